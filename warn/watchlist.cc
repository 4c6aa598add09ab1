#include "warn/watchlist.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <new>
#include <nlohmann/json.hpp>

#include "core/json.h"
#include "core/names.h"
#include "warn/hash.h"
#include "warn/keys.h"
#include "warn/sms.h"

namespace fanzha::warn {
namespace {

constexpr std::string_view kKindNames[kEntryKinds] = {
    "phone", "account", "url", "domain", "social", "device", "ip", "other", "pattern", "phrase"};

constexpr int kMaxListedSources = 3;

std::string SourceOf(const std::vector<std::string>& cases, int32_t count) {
  std::string s = count == 1 ? "case:" : "cases:";
  for (size_t i = 0; i < cases.size(); ++i) s += (i ? "," : "") + cases[i];
  if (count > static_cast<int32_t>(cases.size())) {
    s += " (+" + std::to_string(count - cases.size()) + ")";
  }
  return s;
}

}  // namespace

std::string_view Name(EntryKind kind) { return kKindNames[static_cast<int>(kind)]; }

Result<EntryKind> ParseEntryKind(std::string_view name) {
  // A case's social identifier types are social accounts on a watchlist.
  if (name == "wechat" || name == "qq" || name == "alipay" || name == "email")
    return EntryKind::kSocial;
  return ParseName<EntryKind>(name, kKindNames, "watchlist kind", "布控名单类型");
}

EntryKind EntryKindOf(IdentifierType type) {
  switch (type) {
    case IdentifierType::kPhone:
      return EntryKind::kPhone;
    case IdentifierType::kAccount:
      return EntryKind::kAccount;
    case IdentifierType::kUrl:
      return EntryKind::kUrl;
    case IdentifierType::kDomain:
      return EntryKind::kDomain;
    case IdentifierType::kWechat:
    case IdentifierType::kQq:
    case IdentifierType::kAlipay:
    case IdentifierType::kEmail:
      return EntryKind::kSocial;
    case IdentifierType::kDevice:
      return EntryKind::kDevice;
    case IdentifierType::kIp:
      return EntryKind::kIp;
    case IdentifierType::kIdCard:  // events never carry one; kept for manual look-ups
    case IdentifierType::kOther:
      return EntryKind::kOther;
  }
  return EntryKind::kOther;
}

std::string MatchKey(EntryKind kind, std::string_view raw) {
  switch (kind) {
    case EntryKind::kPhone:
      return PhoneKey(raw);
    case EntryKind::kAccount:
      return AccountKey(raw);
    case EntryKind::kUrl:
      return UrlKey(raw);
    case EntryKind::kDomain: {
      std::string url, host;
      UrlKey(raw, &url, &host);
      return host;
    }
    case EntryKind::kSocial:
      return SocialKey(raw);
    case EntryKind::kPattern:
    case EntryKind::kPhrase:
      return std::string(raw);
    default:
      return PlainKey(raw);
  }
}

std::string Entry::id() const { return std::string(Name(kind)) + ":" + value; }

namespace {

// A zeroed table of `n` slots, in huge pages when it is large enough to matter.
uint64_t* AllocateSlots(size_t n) {
  constexpr size_t kHuge = 2 << 20;
  size_t bytes = n * sizeof(uint64_t);
  void* p = nullptr;
  if (bytes >= kHuge) {
    bytes = (bytes + kHuge - 1) / kHuge * kHuge;
    p = std::aligned_alloc(kHuge, bytes);
    if (p) ::madvise(p, bytes, MADV_HUGEPAGE);
  } else {
    p = std::malloc(bytes);
  }
  if (!p) throw std::bad_alloc();
  std::memset(p, 0, bytes);
  return static_cast<uint64_t*>(p);
}

}  // namespace

void Watchlist::FreeSlots::operator()(uint64_t* p) const { std::free(p); }

Watchlist::Watchlist() : slots_(AllocateSlots(1024)), mask_(1023) {}
Watchlist::Watchlist(Watchlist&&) noexcept = default;
Watchlist& Watchlist::operator=(Watchlist&&) noexcept = default;
Watchlist::~Watchlist() = default;

uint64_t Watchlist::Hash(EntryKind kind, std::string_view key) const {
  return HashKey(key, 0x2545F4914F6CDD1Dull + static_cast<uint64_t>(kind));
}

uint32_t Watchlist::Intern(std::string_view s) {
  auto it = string_ids_.find(s);
  if (it != string_ids_.end()) return it->second;
  strings_.emplace_back(s);
  uint32_t id = static_cast<uint32_t>(strings_.size() - 1);
  string_ids_.emplace(strings_.back(), id);
  return id;
}

void Watchlist::Insert(uint64_t hash, Index i) {
  uint64_t pos = hash & mask_;
  while (slots_[pos] != 0) pos = (pos + 1) & mask_;
  slots_[pos] = (hash & 0xFFFFFFFF00000000ull) | (static_cast<uint64_t>(i) + 1);
}

void Watchlist::Reserve(size_t n) {
  size_t want = 1024;
  while (want < n + n / 2) want <<= 1;  // load factor at most 2/3
  if (want <= mask_ + 1) return;
  slots_.reset(AllocateSlots(want));
  mask_ = want - 1;
  for (Index i = 0; i < recs_.size(); ++i) Insert(Hash(recs_[i].kind, value(i)), i);
  recs_.reserve(n);
}

void Watchlist::Grow() { Reserve(mask_ + 1); }

Watchlist::Index Watchlist::Find(EntryKind kind, std::string_view key) const {
  uint64_t hash = Hash(kind, key);
  uint64_t fp = hash & 0xFFFFFFFF00000000ull;
  for (uint64_t pos = hash & mask_;; pos = (pos + 1) & mask_) {
    uint64_t slot = slots_[pos];
    if (slot == 0) return kNone;
    if ((slot & 0xFFFFFFFF00000000ull) != fp) continue;
    Index i = static_cast<Index>((slot & 0xFFFFFFFFu) - 1);
    const Rec& r = recs_[i];
    if (r.kind == kind && r.value_len == key.size() &&
        std::memcmp(chars_.data() + r.value_offset, key.data(), key.size()) == 0) {
      return i;
    }
  }
}

Watchlist::Index Watchlist::FindHost(std::string_view host) const {
  while (!host.empty()) {
    Index i = Find(EntryKind::kDomain, host);
    if (i != kNone) return i;
    size_t dot = host.find('.');
    if (dot == std::string_view::npos) break;
    host.remove_prefix(dot + 1);
  }
  return kNone;
}

bool Watchlist::Active(Index i, Millis t) const {
  const Rec& r = recs_[i];
  return !r.hub && !r.removed && (r.expires_at == 0 || t < r.expires_at);
}

Result<Watchlist::Index> Watchlist::Put(const Entry& e) {
  if (e.value.empty()) {
    return Status::Invalid("watchlist entry of kind " + std::string(Name(e.kind)) +
                           " has an empty value")
        .WithZh("类型为 " + std::string(Name(e.kind)) + " 的布控名单条目值为空");
  }
  Index i = Find(e.kind, e.value);
  Rec r{0,
        static_cast<uint32_t>(e.value.size()),
        Intern(e.source),
        Intern(e.category),
        e.cases,
        e.expires_at,
        0,
        e.kind,
        e.hub,
        e.removed};
  if (i != kNone) {
    Rec& old = recs_[i];
    r.value_offset = old.value_offset;
    bool same = old.source == r.source && old.category == r.category && old.cases == r.cases &&
                old.expires_at == r.expires_at && old.hub == r.hub && old.removed == r.removed;
    if (same) return i;
    r.version = e.version > 0 ? e.version : ++version_;
    old = r;
    version_ = std::max(version_, r.version);
    return i;
  }
  if ((recs_.size() + 1) * 3 > (mask_ + 1) * 2) Grow();
  r.value_offset = chars_.size();
  chars_.insert(chars_.end(), e.value.begin(), e.value.end());
  r.version = e.version > 0 ? e.version : ++version_;
  version_ = std::max(version_, r.version);
  recs_.push_back(r);
  i = static_cast<Index>(recs_.size() - 1);
  Insert(Hash(e.kind, e.value), i);
  return i;
}

Status Watchlist::Remove(EntryKind kind, std::string_view value) {
  Index i = Find(kind, value);
  if (i == kNone) {
    return Status::NotFound("no watchlist entry " + std::string(Name(kind)) + ":" +
                            std::string(value))
        .WithZh("布控名单条目 " + std::string(Name(kind)) + ":" + std::string(value) + " 不存在");
  }
  if (!recs_[i].removed) {
    recs_[i].removed = true;
    recs_[i].version = ++version_;
  }
  return Status::Ok();
}

Entry Watchlist::Get(Index i) const {
  const Rec& r = recs_[i];
  Entry e;
  e.kind = r.kind;
  e.value = std::string(value(i));
  e.source = strings_[r.source];
  e.category = strings_[r.category];
  e.expires_at = r.expires_at;
  e.version = r.version;
  e.cases = r.cases;
  e.hub = r.hub;
  e.removed = r.removed;
  return e;
}

EntryKind Watchlist::kind(Index i) const { return recs_[i].kind; }
std::string_view Watchlist::value(Index i) const {
  return {chars_.data() + recs_[i].value_offset, recs_[i].value_len};
}
std::string_view Watchlist::category(Index i) const { return strings_[recs_[i].category]; }
int64_t Watchlist::version(Index i) const { return recs_[i].version; }

void Watchlist::ForEach(const std::function<void(Index, const Entry&)>& fn) const {
  for (Index i = 0; i < recs_.size(); ++i) fn(i, Get(i));
}

// ---------------------------------------------------------------------------------------------

void CaseListBuilder::Add(const Case& c) {
  auto note = [&](EntryKind kind, std::string key) {
    if (key.empty()) return;
    Acc& a = acc_[static_cast<int>(kind)][std::move(key)];
    if (std::find(a.cases.begin(), a.cases.end(), c.id) != a.cases.end()) return;
    if (a.cases.size() < kMaxListedSources) a.cases.push_back(c.id);
    ++a.count;
    if (std::find(a.categories.begin(), a.categories.end(), c.category) == a.categories.end() &&
        a.categories.size() < 8) {
      a.categories.push_back(c.category);
    }
    a.newest = std::max(a.newest, c.reported_at);
  };
  for (const Identifier& id : c.identifiers) {
    EntryKind kind = EntryKindOf(id.type);
    const std::string& raw = id.raw.empty() ? id.value : id.raw;
    note(kind, MatchKey(kind, raw));
    if (kind == EntryKind::kUrl) note(EntryKind::kDomain, DomainKey(raw));
  }
  if (options_.phrases && !c.narrative.empty()) narratives_.emplace_back(c.category, c.narrative);
}

Result<int64_t> CaseListBuilder::Build(Watchlist* list, bool keep_manual) {
  int64_t version = list->version() + 1;
  int64_t n = 0;
  for (int k = 0; k < kEntryKinds; ++k) {
    for (auto& [key, a] : acc_[k]) {
      Entry e;
      e.kind = static_cast<EntryKind>(k);
      e.value = key;
      e.source = SourceOf(a.cases, a.count);
      e.category = a.categories.size() == 1 ? a.categories[0] : "";
      e.cases = a.count;
      bool unrelated = a.categories.size() >= static_cast<size_t>(options_.hub_min_categories) ||
                       (a.categories.size() == 1 && a.categories[0].empty());
      e.hub = (a.count >= options_.hub_min_cases && unrelated) ||
              (options_.generic && options_.generic(e.kind, key));
      e.expires_at = options_.ttl > 0 ? a.newest + options_.ttl : 0;
      e.version = version;
      if (keep_manual) {
        Watchlist::Index old = list->Find(e.kind, e.value);
        if (old != Watchlist::kNone && list->Get(old).source.starts_with("manual:")) continue;
      }
      FANZHA_ASSIGN_OR_RETURN(Watchlist::Index i, list->Put(e));
      (void)i;
      ++n;
    }
  }
  for (const Phrase& p : ScriptPhrases(narratives_)) {
    Entry e;
    e.kind = EntryKind::kPhrase;
    e.value = p.text;
    e.source = "narratives:" + std::to_string(p.cases);
    e.category = p.category;
    e.cases = p.cases;
    e.version = version;
    FANZHA_ASSIGN_OR_RETURN(Watchlist::Index i, list->Put(e));
    (void)i;
    ++n;
  }
  list->set_version(std::max(list->version(), version));
  return n;
}

// ---------------------------------------------------------------------------------------------

Status WriteWatchlistJsonl(const Watchlist& list, std::FILE* out) {
  std::string line;
  list.ForEach([&](Watchlist::Index, const Entry& e) {
    nlohmann::ordered_json j;
    j["id"] = e.id();
    j["kind"] = Name(e.kind);
    j["value"] = e.value;
    j["source"] = e.source;
    j["category"] = e.category;
    j["expires_at"] = e.expires_at ? FormatTime(e.expires_at) : "";
    j["version"] = e.version;
    j["cases"] = e.cases;
    j["hub"] = e.hub;
    if (e.removed) j["removed"] = true;
    line = DumpJson(j);
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), out);
  });
  return std::ferror(out) ? Status::Io("cannot write the watchlist").WithZh("无法写入布控名单")
                          : Status::Ok();
}

namespace {

// Typed members of one line, read without nlohmann's throwing conversions (json::value() throws
// when a member has another type: `{"kind":3}` used to abort `fanzha warn --watchlist`).
using Json = nlohmann::json;

Result<std::string> StringMember(const Json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::string();
  if (!it->is_string()) {
    return Status::Invalid(std::string(key) + ": not a string")
        .WithZh(std::string(key) + "：不是字符串");
  }
  return it->get<std::string>();
}

// A whole number in [0, max]; 0 when absent.
Result<int64_t> CountMember(const Json& j, const char* key, int64_t max) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return int64_t{0};
  bool fits = (it->is_number_integer() && it->get<int64_t>() >= 0 && it->get<int64_t>() <= max) ||
              (it->is_number_unsigned() && it->get<uint64_t>() <= static_cast<uint64_t>(max));
  if (!fits) {
    return Status::Invalid(std::string(key) + ": not a whole number from 0 to " +
                           std::to_string(max))
        .WithZh(std::string(key) + "：应为 0 到 " + std::to_string(max) + " 之间的整数");
  }
  return it->get<int64_t>();
}

Result<Entry> ParseEntryLine(const std::string& line) {
  Json j = Json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::Invalid("not a JSON object").WithZh("不是 JSON 对象");
  }
  Entry e;
  FANZHA_ASSIGN_OR_RETURN(std::string kind_name, StringMember(j, "kind"));
  Result<EntryKind> kind = ParseEntryKind(kind_name);
  if (!kind.ok()) return kind.status().WithContext("kind");
  e.kind = *kind;
  FANZHA_ASSIGN_OR_RETURN(std::string value, StringMember(j, "value"));
  e.value = MatchKey(e.kind, value);
  FANZHA_ASSIGN_OR_RETURN(e.source, StringMember(j, "source"));
  FANZHA_ASSIGN_OR_RETURN(e.category, StringMember(j, "category"));
  FANZHA_ASSIGN_OR_RETURN(std::string expires, StringMember(j, "expires_at"));
  if (!expires.empty()) {
    Result<Millis> t = ParseTime(expires);
    if (!t.ok()) return t.status().WithContext("expires_at");
    e.expires_at = *t;
  }
  // Versions stay far from overflow (the list adds one per change) and exact in JSON numbers.
  FANZHA_ASSIGN_OR_RETURN(e.version, CountMember(j, "version", (int64_t{1} << 53) - 1));
  FANZHA_ASSIGN_OR_RETURN(int64_t cases, CountMember(j, "cases", INT32_MAX));
  e.cases = static_cast<int32_t>(cases);
  FANZHA_ASSIGN_OR_RETURN(e.hub, BoolField(j, "hub"));
  FANZHA_ASSIGN_OR_RETURN(e.removed, BoolField(j, "removed"));
  return e;
}

}  // namespace

Status ReadWatchlistJsonl(const std::string& path, Watchlist* list) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Io("cannot open " + path).WithZh("无法打开 " + path);
  return ReadWatchlistJsonl(in, path, list);
}

Status ReadWatchlistJsonl(std::istream& in, const std::string& name, Watchlist* list) {
  std::string line;
  for (int64_t n = 1; std::getline(in, line); ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::string where = name + ":" + std::to_string(n);
    Result<Entry> e = ParseEntryLine(line);
    if (!e.ok()) return e.status().WithContext(where);
    // Two lines with one key (raw forms that key alike): the later change, by version, wins.
    // Taking them in file order let an older line replace a newer entry while the list kept the
    // newer version, and the list written out read back with another version.
    Watchlist::Index known = list->Find(e->kind, e->value);
    if (known != Watchlist::kNone && e->version > 0 && list->version(known) > e->version) continue;
    auto put = list->Put(*e);
    if (!put.ok()) return put.status().WithContext(where);
  }
  if (in.bad()) return Status::Io(name + ": read error").WithZh(name + "：读取出错");

  return Status::Ok();
}

}  // namespace fanzha::warn
