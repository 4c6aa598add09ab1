// Watchlists: the phones, accounts, URLs and domains, social ids, devices and SMS phrases of
// confirmed frauds, plus manual entries, each with its source and expiry. An event that touches an
// active entry is evidence that its person is being defrauded right now.
//
// Versioned: the list has a version that grows by one with every change (a build from cases, a
// manual add or removal), and each entry records the list version in which it last changed. A
// warning names the entries it rests on with their versions, so a later reader can tell exactly
// which list entry caused it.
//
// Hubs: a value carried by very many unrelated cases (a courier hotline, weixin.qq.com, a large
// merchant) is kept in the list, flagged `hub`, and never causes a warning (LINKING.md "Hubs").
//
// Threads: a Watchlist is thread-compatible. Lookups (const) may run from any number of threads
// while no thread changes it.
// Memory: about 60 bytes per entry plus the key text (10M entries: under 1 GB).
#pragma once

#include <cstdint>
#include <cstdio>
#include <deque>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/model.h"
#include "core/status.h"
#include "core/time.h"

namespace fanzha::warn {

enum class EntryKind : uint8_t {
  kPhone,    // E.164 (PhoneKey)
  kAccount,  // bank or platform account (AccountKey)
  kUrl,      // canonical URL (UrlKey)
  kDomain,   // registrable domain or host
  kSocial,   // wechat / qq / alipay id, e-mail (SocialKey)
  kDevice,   // IMEI and other device ids
  kIp,
  kOther,
  kPattern,  // a regular expression matched against SMS text (manual)
  kPhrase,   // a literal phrase of a fraud script, taken from case narratives
};
constexpr int kEntryKinds = 10;
std::string_view Name(EntryKind kind);
Result<EntryKind> ParseEntryKind(std::string_view name);
// The entry kind a case identifier becomes (url -> kUrl; its domain is added separately).
EntryKind EntryKindOf(IdentifierType type);
// The match key of a raw value of this kind (PhoneKey, AccountKey, ...). Patterns and phrases are
// kept as given.
std::string MatchKey(EntryKind kind, std::string_view raw);

struct Entry {
  EntryKind kind = EntryKind::kOther;
  std::string value;      // match key (normalised)
  std::string source;     // "case:HZ-1", "cases:HZ-1,GZ-7 (+3)", "manual:hotline-lz"
  std::string category;   // fraud category of the source cases, when known
  Millis expires_at = 0;  // 0: never; an entry is active strictly before this instant
  int64_t version = 0;    // list version in which the entry was last added or changed
  int32_t cases = 0;      // distinct cases that carried the value
  bool hub = false;       // carried by many unrelated cases: never warns
  bool removed = false;   // withdrawn (kept so that old warnings still resolve)

  // "phone:+8617772123456": stable across versions.
  std::string id() const;
};

class Watchlist {
 public:
  using Index = uint32_t;
  static constexpr Index kNone = 0xFFFFFFFFu;

  Watchlist();
  Watchlist(Watchlist&&) noexcept;
  Watchlist& operator=(Watchlist&&) noexcept;
  ~Watchlist();

  // Adds an entry or changes the entry with the same kind and value (whose fields are replaced).
  // `e.value` must already be a match key (MatchKey). The list version grows by one per call that
  // changes anything; the entry gets that version. Empty values are kInvalidInput.
  // Amortised O(1).
  Result<Index> Put(const Entry& e);
  // Marks the entry withdrawn (it stays resolvable by id). kNotFound when absent. O(1).
  Status Remove(EntryKind kind, std::string_view value);
  // Reserves room for `n` entries (avoids rehashing during a bulk load).
  void Reserve(size_t n);

  // The entry with this kind and match key, or kNone. O(1): one probe sequence in a flat table,
  // usually one cache miss. Thread-safe against other const calls.
  Index Find(EntryKind kind, std::string_view key) const;
  // Asks the CPU to fetch the table slot where Find(kind, key) starts, so that a caller who knows
  // its next lookups can overlap their memory latency (Screener::ScreenAll does). No effect on
  // results.
  void Prefetch(EntryKind kind, std::string_view key) const {
    __builtin_prefetch(&slots_[Hash(kind, key) & mask_]);
  }
  // A kDomain entry for the host or any of its parent domains (longest first), or kNone.
  Index FindHost(std::string_view host) const;
  // Whether the entry may cause a warning at event time `t`: not a hub, not removed, not expired.
  bool Active(Index i, Millis t) const;

  Entry Get(Index i) const;
  EntryKind kind(Index i) const;
  std::string_view value(Index i) const;
  std::string_view category(Index i) const;
  int64_t version(Index i) const;
  size_t size() const { return recs_.size(); }
  int64_t version() const { return version_; }
  void set_version(int64_t v) { version_ = v; }
  // Every entry in insertion order.
  void ForEach(const std::function<void(Index, const Entry&)>& fn) const;

 private:
  struct Rec {
    uint64_t value_offset;
    uint32_t value_len;
    uint32_t source;    // into strings_
    uint32_t category;  // into strings_
    int32_t cases;
    Millis expires_at;
    int64_t version;
    EntryKind kind;
    bool hub;
    bool removed;
  };
  uint64_t Hash(EntryKind kind, std::string_view key) const;
  uint32_t Intern(std::string_view s);
  void Grow();
  void Insert(uint64_t hash, Index i);

  std::vector<Rec> recs_;
  std::vector<char> chars_;  // all values, back to back
  struct FreeSlots {
    void operator()(uint64_t* p) const;
  };
  // (fingerprint << 32) | (index + 1); 0 = empty. In 2 MB pages where the kernel allows: each
  // lookup touches one random slot, and with 4 KB pages most of its cost would be the TLB miss.
  std::unique_ptr<uint64_t[], FreeSlots> slots_;
  uint64_t mask_ = 0;
  std::deque<std::string> strings_;  // interned sources and categories
  std::unordered_map<std::string_view, uint32_t> string_ids_;
  int64_t version_ = 0;
};

// Builds entries from confirmed cases: every identifier (and the registrable domain of every URL)
// becomes an entry whose source names the cases that reported it; SMS phrases are taken from the
// narratives (ScriptPhrases). Values carried by at least `hub_min_cases` cases from at least
// `hub_min_categories` different fraud categories (or with no category) are flagged hubs: one gang
// running one script on many victims is not a hub, a courier hotline in every kind of fraud is.
struct BuildOptions {
  int hub_min_cases = 8;
  int hub_min_categories = 3;
  Millis ttl = 0;  // entries expire this long after the newest report carrying them; 0: never
  bool phrases = true;
  // Values that are hubs by what they are, whatever their count: RefreshWatchlist flags the store's
  // merchant, platform and exchange accounts (a big shop paid by victims of every gang, and by
  // everyone else). Null: none.
  std::function<bool(EntryKind, std::string_view)> generic;
};
class CaseListBuilder {
 public:
  explicit CaseListBuilder(BuildOptions options = {}) : options_(options) {}
  // O(identifiers + narrative length).
  void Add(const Case& c);
  // Puts every entry into `list` (one new list version for the whole build); entries that do not
  // change keep their version. With `keep_manual`, values that already have a manual entry (source
  // "manual:...") are left as they are. Returns the number of entries put.
  Result<int64_t> Build(Watchlist* list, bool keep_manual = false);

 private:
  struct Acc {
    std::vector<std::string> cases;  // first few ids
    int32_t count = 0;
    std::vector<std::string> categories;
    Millis newest = 0;
  };
  BuildOptions options_;
  std::unordered_map<std::string, Acc> acc_[kEntryKinds];
  std::vector<std::pair<std::string, std::string>> narratives_;  // (category, narrative)
};

// JSON lines, one entry per line:
// {"kind":"phone","value":"+8617772123456","source":"manual:lz","category":"",
//  "expires_at":"2020-03-01T00:00:00+08:00","version":3,"cases":1,"hub":false}
// Values are re-keyed with MatchKey on reading, so raw forms are accepted. Absent members take
// their defaults; a member of the wrong type or out of range (a negative version, cases beyond
// int32) is kInvalidInput naming the file, the line and the member. Nothing from the file throws.
// When lines share a key, the one with the higher version wins (on equal versions, the later line),
// so the list's version is its newest entry's and a list written and read back is the same list.
Status WriteWatchlistJsonl(const Watchlist& list, std::FILE* out);
Status ReadWatchlistJsonl(const std::string& path, Watchlist* list);
// The same from a stream; `name` stands for the file in messages.
Status ReadWatchlistJsonl(std::istream& in, const std::string& name, Watchlist* list);

}  // namespace fanzha::warn
