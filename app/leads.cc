#include "app/leads.h"

#include <string>

#include "core/json.h"

namespace fanzha::app {

Result<dispatch::Feedback> ParseLeadFeedback(const nlohmann::json& body) {
  if (!body.is_object())
    return Status::Invalid("the feedback is not a JSON object").WithZh("反馈不是 JSON 对象");
  dispatch::Feedback feedback;
  FANZHA_ASSIGN_OR_RETURN(std::string status, StringField(body, "status"));
  Result<dispatch::LeadStatus> parsed = dispatch::ParseLeadStatus(status);
  if (!parsed.ok()) return parsed.status().WithContext("status");
  feedback.status = *parsed;
  FANZHA_ASSIGN_OR_RETURN(feedback.arrests, CountField(body, "arrests"));
  FANZHA_ASSIGN_OR_RETURN(feedback.solved, CountField(body, "solved"));
  if (auto it = body.find("recovered"); it != body.end() && !it->is_null()) {
    FANZHA_ASSIGN_OR_RETURN(feedback.recovered, MoneyValue(*it, "recovered"));
  }
  FANZHA_ASSIGN_OR_RETURN(feedback.reason, StringField(body, "reason"));
  return feedback;
}

Status NoLead(int64_t id) {
  return Status::NotFound("no lead " + std::to_string(id))
      .WithZh("没有编号为 " + std::to_string(id) + " 的线索");
}

Result<dispatch::StoredLead> RecordLeadFeedback(dispatch::LeadBook& book, int64_t id,
                                                const dispatch::Feedback& feedback, Millis now,
                                                const LeadAdmission& admit) {
  FANZHA_ASSIGN_OR_RETURN(std::optional<dispatch::StoredLead> lead, book.Get(id, now));
  if (!lead) return NoLead(id);
  if (admit) FANZHA_RETURN_IF_ERROR(admit(*lead));
  FANZHA_RETURN_IF_ERROR(book.Feedback(id, feedback, now));
  FANZHA_ASSIGN_OR_RETURN(lead, book.Get(id, now));
  if (!lead) return NoLead(id);
  return std::move(*lead);
}

}  // namespace fanzha::app
