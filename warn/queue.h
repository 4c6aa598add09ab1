// The hotline's view: the latest revision of each warning, per region, most urgent first, and the
// outcome of the call that followed.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/money.h"
#include "core/status.h"
#include "core/time.h"

namespace fanzha::warn {

enum class Outcome { kReached, kDissuaded, kAlreadyPaid, kNotReached };
std::string_view Name(Outcome o);
// "reached" | "dissuaded" | "already_paid" | "not_reached".
Result<Outcome> ParseOutcome(std::string_view s);

struct QueuedWarning {
  std::string id;
  int revision = 0;
  std::string person;
  std::string region;
  int score = 0;
  Millis last_event_at = 0;
  std::string body;  // the warning's JSON line (WarningJson)
};

// Most urgent first: the higher score, then the more recent last event (the person may still be
// on the phone), then the id (a total order).
bool MoreUrgent(const QueuedWarning& a, const QueuedWarning& b);

// In memory: keeps the highest revision of each warning. Thread-compatible. O(1) per Upsert,
// O(n log n) per Region.
class WarningQueue {
 public:
  // Keeps `w` unless a revision at least as high is there. Returns whether it was kept.
  bool Upsert(QueuedWarning w);
  // Drops a warning once it has an outcome.
  void Close(std::string_view id);
  // The open warnings of a region and the divisions under it (region::Covers; "" lists all), most
  // urgent first, at most `limit` (0: all). The same queue as RegionQueue (store_io.h).
  std::vector<QueuedWarning> Region(std::string_view region, size_t limit = 0) const;
  size_t size() const { return open_.size(); }

 private:
  std::unordered_map<std::string, QueuedWarning> open_;
};

}  // namespace fanzha::warn
