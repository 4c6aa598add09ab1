// A recall of one victim payment (ISO 20022 camt.056, reason FRAD) and its answer (camt.029) on the
// order lifecycle: sending the recall moves the order planned -> sent; the bank's answer moves it
// to executed (cancelled: the payment comes back), rejected (with the bank's reason), or leaves it
// sent (pending). Pure functions: the caller sends, receives and calls OrderBook::Move.
//
// Threads: pure, thread-safe. Errors are values (kInvalidInput, kConflict) naming the order.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/status.h"
#include "freeze/freeze.h"
#include "iso20022/recall.h"

namespace fanzha::freeze {

// The bank's ids of a payment, as the ISO 20022 statement postings of its transfer kept them
// (import::PostingAttributes(): JSON arrays of [name, value] pairs, the payer's first). Each id is
// taken from the first posting that has it; missing ids stay empty; text that is not such an array
// counts as none.
struct PaymentIds {
  std::string message_id, instruction_id, end_to_end_id, tx_id, uetr;
};
PaymentIds PaymentIdsFromAttributes(const std::vector<std::string>& postings);

// The camt.056 request recalling `payment` (the victim's transfer) for `order`: id
// "FZ-RECALL-<order id>" (the same order recalls once, so a resent request is the same request),
// the order's case as the case, the payment's ids (its transfer id as the transaction id when no
// ISO 20022 id is known), amount, currency and date, the payer and payee accounts, reason FRAD with
// the case in the additional information (Chinese and English). Write it with
// iso20022::WriteRecall().
iso20022::RecallRequest RecallFor(const Order& order, const Transfer& payment,
                                  const PaymentIds& ids, const iso20022::Party& requester,
                                  const iso20022::Party& bank, Millis now);

// What an answer does to the order that asked.
struct RecallMove {
  bool moves = false;  // false: nothing to record (pending, or the same answer again)
  OrderStatus to = OrderStatus::kSent;
  std::optional<Fen> amount;  // executed: the payment's amount that came back
  std::string note;           // the answer for the order's history, e.g.
                              // "camt.029 RJCR LEGL (法律原因 legal decision): ..."
};

// The move for `answer` to the recall of `request` sent for `order`:
//   cancelled (CNCL/ACCR) -> executed with the recalled amount (the answer's original amount in
//     the request's currency, else the request's amount);
//   rejected (RJCR + reason) -> rejected, the reason code and text in the note;
//   pending (PDCR, other codes) -> no move (moves = false), a note to log.
// An order already where the answer would take it does not move again (a repeated answer).
// Errors: kInvalidInput when the answer is about another case or payment than the request
// (names the field), or when the order was never sent; kConflict when the order already moved
// the other way (executed, then a rejection).
Result<RecallMove> MoveForRecallAnswer(const Order& order, const iso20022::RecallRequest& request,
                                       const iso20022::RecallAnswer& answer);

// "法律原因 legal decision" for a camt.029 rejection code; the code itself when unknown.
std::string RejectionReasonText(std::string_view code);

}  // namespace fanzha::freeze
