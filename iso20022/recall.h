// The recall of one payment in ISO 20022: the request goes out as camt.056
// (FIToFIPaymentCancellationRequest, reason FRAD), the bank's answer comes back as camt.029
// (ResolutionOfInvestigation): cancelled, rejected with a reason, or pending. Start with
// WriteRecall() and ReadRecallAnswers(); the other two are the bank's side of the same exchange
// (a bank node reads the request and writes the answer).
//
// Versions: written as camt.056.001.09 and camt.029.001.10 (they validate against ISO's schemas, in
// iso20022/schemas/); read in every version (camt.056.001.01 and later, camt.029.001.01 and later):
// the elements that moved between versions are looked for at each of their places.
//
// Errors are kInvalidInput naming the field ("original_end_to_end_id: 36 characters, at most 35")
// for a request that cannot be written, and "NAME:LINE: PATH: what" for a document that cannot be
// read (not well-formed, another message, a required element missing). Reading follows the rules
// of statement.h (no DTD, no network, bounded size).
//
// Threads: pure functions, thread-safe. Cost: linear in the message.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/money.h"
#include "core/status.h"
#include "core/time.h"

namespace fanzha::iso20022 {

// Who asks or answers: a financial institution by BIC, or a party by name (an anti-fraud centre),
// with an optional identifier (its unit code).
struct Party {
  std::string name;  // at most 140 characters
  std::string bic;   // BICFI, e.g. "ICBKCNBJ"; makes the party an agent
  std::string id;    // an organisation identifier (Othr/Id), at most 35 characters
};

struct RecallRequest {
  std::string id;       // Assgnmt/Id and TxInf/CxlId: unique per request (at most 35 characters)
  std::string case_id;  // Case/Id: what the answer refers back to (at most 35 characters)
  Millis created_at = 0;
  Party requester;  // Assgnr, Case/Cretr and CxlRsnInf/Orgtr: the one asking
  Party bank;       // Assgne: the institution asked to recall the payment
  // The payment to recall: at least one of its ids, its amount and settlement date.
  std::string original_message_id;                        // OrgnlGrpInf/OrgnlMsgId; may be empty
  std::string original_message_name = "pacs.008.001.08";  // OrgnlGrpInf/OrgnlMsgNmId
  std::string original_instruction_id, original_end_to_end_id, original_tx_id, original_uetr;
  Fen amount = 0;  // hundredths of the currency's unit, > 0
  std::string currency = "CNY";
  Millis settled_at = 0;  // its calendar date (in the writer's zone) is OrgnlIntrBkSttlmDt
  // The original payment's parties (OrgnlTxRef), optional.
  std::string debtor_name, debtor_account, creditor_name, creditor_account;
  std::string reason = "FRAD";  // CxlRsnInf/Rsn/Cd: fraud
  std::vector<std::string>
      additional_info;  // CxlRsnInf/AddtlInf lines, each at most 105 characters
};

// The camt.056.001.09 document (UTF-8 XML) for one request; times in `zone`.
Result<std::string> WriteRecall(const RecallRequest& request, Zone zone = Zone{});
// Reads a camt.056 of any version that recalls one payment (the first TxInf when it lists several).
Result<RecallRequest> ReadRecall(std::string_view xml, std::string_view name, Zone zone = Zone{});

enum class RecallOutcome {
  kCancelled,  // CNCL (and ACCR, an accepted cancellation request): the payment is recalled
  kRejected,   // RJCR: not recalled; reason_code says why (LEGL, CUST, NOAS, AC04, AM04, ARDT ...)
  kPending,    // PDCR, and every other code: the bank has not decided yet
};
std::string_view Name(RecallOutcome outcome);  // "cancelled", "rejected", "pending"

struct RecallAnswer {
  RecallOutcome outcome = RecallOutcome::kPending;
  std::string status_code;  // as written: TxCxlSts, else GrpCxlSts, else Sts/Conf
  std::string reason_code;  // CxlStsRsnInf/Rsn/Cd (or Prtry)
  std::string reason_text;  // CxlStsRsnInf/AddtlInf lines joined with " "
  std::string answer_id;    // Assgnmt/Id of the camt.029
  std::string case_id;      // RslvdCase/Id: the request's Case/Id
  Party answered_by;        // Assgnmt/Assgnr
  Millis answered_at = 0;   // Assgnmt/CreDtTm
  // The payment the answer is about, as the answer names it.
  std::string original_message_id, original_instruction_id, original_end_to_end_id, original_tx_id,
      original_uetr;
  Fen original_amount = 0;  // OrgnlIntrBkSttlmAmt when given
  std::string original_currency;
};

// One answer per TxInfAndSts of a camt.029 (any version); one answer from the group status when it
// lists no transaction. Errors: not a camt.029, no status, a status on neither level.
Result<std::vector<RecallAnswer>> ReadRecallAnswers(std::string_view xml, std::string_view name,
                                                    Zone zone = Zone{});
// The camt.029.001.10 document answering `request` (the bank's side): `answer.outcome`,
// `status_code` (default: CNCL, RJCR or PDCR by the outcome), `reason_code` (required when
// rejected), `reason_text`, `answer_id`, `answered_by`, `answered_at` are written; the case and
// the original ids are taken from the request.
Result<std::string> WriteRecallAnswer(const RecallRequest& request, const RecallAnswer& answer,
                                      Zone zone = Zone{});

}  // namespace fanzha::iso20022
