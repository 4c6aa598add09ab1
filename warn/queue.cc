#include "warn/queue.h"

#include <algorithm>
#include <tuple>

#include "core/names.h"
#include "region/region.h"

namespace fanzha::warn {

// In enum order (core/names.h).
constexpr std::string_view kOutcomeNames[] = {"reached", "dissuaded", "already_paid",
                                              "not_reached"};

std::string_view Name(Outcome o) { return kOutcomeNames[static_cast<int>(o)]; }

Result<Outcome> ParseOutcome(std::string_view s) {
  return ParseName<Outcome>(s, kOutcomeNames, "outcome", "劝阻结果");
}

bool MoreUrgent(const QueuedWarning& a, const QueuedWarning& b) {
  return std::tuple(-a.score, -a.last_event_at, a.id) <
         std::tuple(-b.score, -b.last_event_at, b.id);
}

bool WarningQueue::Upsert(QueuedWarning w) {
  auto [it, added] = open_.try_emplace(w.id);
  if (!added && it->second.revision >= w.revision) return false;
  it->second = std::move(w);
  return true;
}

void WarningQueue::Close(std::string_view id) { open_.erase(std::string(id)); }

std::vector<QueuedWarning> WarningQueue::Region(std::string_view region, size_t limit) const {
  std::vector<QueuedWarning> out;
  for (const auto& [id, w] : open_) {
    if (region::Covers(region, w.region)) out.push_back(w);
  }
  std::sort(out.begin(), out.end(), MoreUrgent);
  if (limit && out.size() > limit) out.resize(limit);
  return out;
}

}  // namespace fanzha::warn
