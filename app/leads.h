// Leads pushed to the units where the suspects are, and what became of them: the feedback
// workflow `fanzha leads feedback` and POST /api/leads/{id}/feedback share, so that both read the
// same fields, apply the same rules (dispatch::LeadBook::Feedback) and answer the lead as it is
// afterwards, in one JSON shape (dispatch::ToJson).
//
// Threads: none of its own; the caller holds whatever guards the book's database. A change writes
// in the caller's transaction, so that the caller can commit it with its audit entry.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>

#include "core/status.h"
#include "core/time.h"
#include "dispatch/dispatch.h"

namespace fanzha::app {

// Reads {"status", "arrests", "solved", "recovered", "reason"} (status required; counts whole
// numbers from 0, default 0; recovered an amount in yuan, default 0). Errors: kInvalidInput naming
// the field.
Result<dispatch::Feedback> ParseLeadFeedback(const nlohmann::json& body);

// Whether a caller may work a lead: Ok, or the error to answer instead (a caller outside its
// jurisdiction gets what an unknown lead gets). Empty: everyone may.
using LeadAdmission = std::function<Status(const dispatch::StoredLead&)>;

// The answer for a lead that is not there, or that the caller may not see (the same, so that the
// two cannot be told apart): kNotFound "no lead 12", in both languages.
Status NoLead(int64_t id);

// Records `feedback` on lead `id` when `admit` lets the caller work it, and returns the lead
// afterwards. Errors: NoLead for an unknown lead, `admit`'s error, and those of
// dispatch::LeadBook::Feedback (kConflict for a move the lead's status does not allow,
// kInvalidInput for a rejection without a reason).
Result<dispatch::StoredLead> RecordLeadFeedback(dispatch::LeadBook& book, int64_t id,
                                                const dispatch::Feedback& feedback, Millis now,
                                                const LeadAdmission& admit = {});

}  // namespace fanzha::app
