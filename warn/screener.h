// The Screener: turns a stream of events into warnings about the people being defrauded now.
//
// Who the person is: the callee of a call or SMS from a listed number (the caller when a person
// calls a listed number back), the payer of a payment (their registered phone when the event
// carries one, else the payer account), the visitor of a URL, the installer of an app.
//
// Scoring (points add up; a warning is written once the score reaches `threshold`):
//   call with a listed phone       40, +10 at 60 s, +20 at 300 s (a long call), +30 at 1200 s
//   SMS from a listed phone        40
//   SMS with script phrases        15 per distinct phrase (at most 30); a manual pattern 40
//   visit of a listed URL          45; of a listed domain 40
//   app install of a listed app    40; a listed device placing the call 40
//   repeated contact               +10 per further contact event (at most +30)
//   payment to a listed account    60, +10 at 1,000 yuan, +20 at 10,000, +30 at 100,000
//   sequence                       +20 when that payment follows a contact in the window
//   any payment after a contact    10 + the same amount points (a warned person paying anyone)
// Only the strongest evidence of each kind counts (two long calls are 60 + 10 repeat, not 120).
//
// Windows: one warning per person per window (default 24 h) from the person's first hit, driven by
// event time only. Later evidence in the window updates the same warning: the same id, a higher
// revision, a higher score. Warning ids are a hash of (person, window start), so screening nodes
// that see the same person agree on the id without talking to each other.
//
// Threads: a Screener is single-threaded (one per screening thread). The Watchlist and the
// SmsMatcher are shared read-only. Cost: per event one or two flat-table probes for events that
// touch no listed value (the vast majority), plus a Hyperscan scan of SMS text.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "warn/event.h"
#include "warn/sms.h"
#include "warn/watchlist.h"

namespace fanzha::warn {

struct ScreenOptions {
  Millis window = 24 * 3600 * 1000;
  int threshold = 40;
  size_t max_events = 64;  // event ids kept per warning (the count goes on)
};

struct Warning {
  std::string id;      // "W1f0c..." : hash of person and window start
  int revision = 0;    // 1 for the first line, then +1 per update
  std::string person;  // E.164 phone or account number
  std::string region;  // GB/T 2260 code of the person's phone; empty when unknown
  int score = 0;
  std::string category;  // fraud category of the entries hit, when they agree
  std::vector<std::string> reasons;
  std::vector<std::string> events;  // ids, oldest first (at most max_events)
  int64_t event_count = 0;
  std::vector<Watchlist::Index> entries;
  Millis window_start = 0, window_end = 0, first_event_at = 0, last_event_at = 0;
  Fen paid = 0;  // payments by the person seen in the window
};

// One JSON line (no newline) with id, revision, person, region, score, category, reasons, events,
// entries ({id, kind, value, source, version}), times and paid.
std::string WarningJson(const Warning& w, const Watchlist& list);

// The region of a person's phone (GB/T 2260), or empty. Default: RegionOfPhone.
using RegionFn = std::function<std::string(std::string_view e164)>;
// GB/T 2260 code of the city of a Chinese phone number (region::PhoneRegion); empty when unknown.
std::string RegionOfPhone(std::string_view e164);

// The partition of a consumer group (group.h) that screens the people of `region`: its province
// ("451302" -> "450000"), or "000000" for people of no known region.
std::string PartitionOf(std::string_view region);
// Every partition: "000000" and the 34 provinces of GB/T 2260, in order.
const std::vector<std::string>& Partitions();

// The regions of accounts (accounts.csv `region`, GB/T 2260), for payers known only by their
// account number. Built with the watchlist (LoadAccountRegions in store_io.h). About 40 bytes per
// account plus the number; Find is one hash probe. Thread-compatible: Find may run from many
// threads.
class AccountRegions {
 public:
  // `account` is an AccountKey; `region` six digits (anything else is ignored).
  void Put(std::string_view account, std::string_view region);
  // The region of the account, or empty.
  std::string Find(std::string_view account) const;
  size_t size() const { return codes_.size(); }

 private:
  std::unordered_map<std::string, uint32_t> codes_;
};

struct ScreenStats {
  int64_t events = 0;
  int64_t hits = 0;           // evidence applied
  int64_t hub_hits = 0;       // touched a hub value: ignored
  int64_t inactive_hits = 0;  // touched an expired or removed entry: ignored
  int64_t warnings = 0;       // distinct warnings written
  int64_t updates = 0;        // warning lines written (first lines and updates)
};

class Screener {
 public:
  // `list` and `sms` (may be null: no SMS text screening) must outlive the Screener.
  Screener(const Watchlist* list, const SmsMatcher* sms, ScreenOptions options = {},
           RegionFn region = RegionOfPhone);
  ~Screener();

  // Screens one event. Returns the warning it created or raised (valid until the next call), or
  // null when it changed no written warning.
  const Warning* Screen(const Event& e);
  // Screens events in order, calling on_warning for each warning written: the same as Screen() on
  // each, but faster on large lists, since it fetches the table slots of later events while it
  // screens earlier ones.
  template <typename Fn>
  void ScreenAll(const std::vector<Event>& events, Fn&& on_warning) {
    constexpr size_t kAhead = 8;
    for (size_t i = 0; i < events.size(); ++i) {
      if (i + kAhead < events.size()) Prefetch(events[i + kAhead]);
      if (const Warning* w = Screen(events[i])) on_warning(*w);
    }
  }
  // Prefetches the table slots that screening `e` will probe first.
  void Prefetch(const Event& e);
  // Gives payers known only by their account number the region of that account. `regions` must
  // outlive the Screener; null: such payers have no region.
  void set_account_regions(const AccountRegions* regions) { account_regions_ = regions; }
  // Screens only the people of one partition (PartitionOf their region): evidence about anyone
  // else is left to the group member screening theirs. Empty (the default): everyone.
  void set_partition(std::string partition) { partition_ = std::move(partition); }
  // The people an event may be evidence about, at most two (a call: the callee, or the caller when
  // the callee is listed), whatever the watchlist holds; `people` is cleared first. What a
  // publisher routes an event by: every partition holding one of them receives it.
  void PeopleOf(const Event& e, std::vector<std::string>* people);
  // The region of a person as warnings name it (empty when unknown).
  std::string RegionFor(const std::string& person);
  // Uses another SMS matcher from now on (the watchlist changed); null: no SMS text screening.
  void set_sms(const SmsMatcher* sms);
  // Forgets people whose window ended before `t` (event time). Screen() calls it as time moves.
  void Expire(Millis t);

  const ScreenStats& stats() const { return stats_; }
  size_t open_windows() const { return people_.size(); }

 private:
  struct State;
  struct Evidence;
  void ScreenCallOrSms(const Event& e);
  void ScreenPayment(const Event& e);
  void ScreenVisit(const Event& e);
  void ScreenAppInstall(const Event& e);
  bool Usable(Watchlist::Index i, Millis t);
  State& StateFor(const std::string& person, Millis t);
  bool InPartition(const std::string& person);
  void Apply(const Event& e, const std::string& person, const Evidence& ev);
  int Score(const State& s) const;

  const Watchlist* list_;
  const SmsMatcher* sms_;
  std::unique_ptr<SmsMatcher::Scratch> scratch_;
  ScreenOptions options_;
  RegionFn region_;
  const AccountRegions* account_regions_ = nullptr;
  std::string partition_;
  std::unordered_map<std::string, std::unique_ptr<State>> people_;
  const Warning* emitted_ = nullptr;
  Millis watermark_ = 0, next_expiry_ = 0;
  ScreenStats stats_;
  std::string k1_, k2_, k3_, p1_, p2_;  // key buffers, reused
  std::vector<Watchlist::Index> sms_hits_;
  std::unordered_map<std::string, std::string> region_by_block_;  // "+861390000" -> "450200"
};

}  // namespace fanzha::warn
