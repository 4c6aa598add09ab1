#include "app/warnings.h"

#include "core/json.h"

namespace fanzha::app {

nlohmann::ordered_json ToJson(const warn::QueuedWarning& w) {
  nlohmann::ordered_json body = nlohmann::ordered_json::parse(w.body, nullptr, false);
  return {{"id", w.id},
          {"revision", w.revision},
          {"person", w.person},
          {"region", w.region},
          {"score", w.score},
          {"last_event_at", FormatTime(w.last_event_at)},
          {"warning", body.is_discarded() ? nlohmann::ordered_json(nullptr) : body}};
}

Result<OutcomeReport> ParseOutcomeReport(const nlohmann::json& body) {
  if (!body.is_object())
    return Status::Invalid("the outcome is not a JSON object").WithZh("劝阻结果不是 JSON 对象");
  OutcomeReport report;
  FANZHA_ASSIGN_OR_RETURN(std::string name, StringField(body, "outcome"));
  Result<warn::Outcome> outcome = warn::ParseOutcome(name);
  if (!outcome.ok()) return outcome.status().WithContext("outcome");
  report.outcome = *outcome;
  if (auto it = body.find("saved"); it != body.end() && !it->is_null()) {
    FANZHA_ASSIGN_OR_RETURN(report.saved, MoneyValue(*it, "saved"));
  }
  return report;
}

Status NoOpenWarning(const std::string& id, const std::string& region) {
  return Status::NotFound("no open warning " + id + " in the queue of " + region)
      .WithZh(region + " 的待处理预警中没有 " + id);
}

Status RecordOutcome(store::SqlDatabase& db, const std::string& id, const OutcomeReport& report,
                     const std::string& region, Millis now) {
  if (!region.empty()) {
    FANZHA_ASSIGN_OR_RETURN(std::vector<warn::QueuedWarning> open,
                            warn::RegionQueue(db, region, 0));
    bool found = false;
    for (const warn::QueuedWarning& w : open) found |= w.id == id;
    if (!found) return NoOpenWarning(id, region);
  }
  return warn::RecordOutcome(db, id, report.outcome, report.saved, now);
}

}  // namespace fanzha::app
