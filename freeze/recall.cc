#include "freeze/recall.h"

#include <nlohmann/json.hpp>

namespace fanzha::freeze {

PaymentIds PaymentIdsFromAttributes(const std::vector<std::string>& postings) {
  PaymentIds ids;
  for (const std::string& attributes : postings) {
    nlohmann::json a = nlohmann::json::parse(attributes, nullptr, false);
    if (!a.is_array()) continue;
    for (const auto& pair : a) {
      if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string())
        continue;
      const std::string& name = pair[0].get_ref<const std::string&>();
      std::string* id = name == "MsgId"        ? &ids.message_id
                        : name == "InstrId"    ? &ids.instruction_id
                        : name == "EndToEndId" ? &ids.end_to_end_id
                        : name == "TxId"       ? &ids.tx_id
                        : name == "UETR"       ? &ids.uetr
                                               : nullptr;
      if (id && id->empty()) *id = pair[1].get<std::string>();
    }
  }
  return ids;
}

iso20022::RecallRequest RecallFor(const Order& order, const Transfer& payment,
                                  const PaymentIds& ids, const iso20022::Party& requester,
                                  const iso20022::Party& bank, Millis now) {
  iso20022::RecallRequest r;
  r.id = "FZ-RECALL-" + std::to_string(order.id);
  r.case_id = order.case_id;
  r.created_at = now;
  r.requester = requester;
  r.bank = bank;
  r.original_message_id = ids.message_id;
  r.original_instruction_id = ids.instruction_id;
  r.original_end_to_end_id = ids.end_to_end_id;
  r.original_uetr = ids.uetr;
  // A payment known only from a statement's serial: that serial is the bank's transaction id.
  r.original_tx_id = ids.tx_id;
  if (ids.instruction_id.empty() && ids.end_to_end_id.empty() && ids.tx_id.empty() &&
      ids.uetr.empty())
    r.original_tx_id = payment.id;
  r.amount = payment.amount;
  r.currency = payment.currency;
  r.settled_at = payment.time;
  r.debtor_account = payment.from;
  r.creditor_account = payment.to;
  r.reason = "FRAD";
  r.additional_info = {"电信网络诈骗案件 " + order.case_id + "：请求退回该笔被骗资金",
                       "Telecom fraud case " + order.case_id + ": recall of the victim's payment"};
  return r;
}

std::string RejectionReasonText(std::string_view code) {
  struct Reason {
    std::string_view code, text;
  };
  static constexpr Reason kReasons[] = {
      {"LEGL", "法律原因 legal decision"},
      {"CUST", "客户拒绝 customer decision"},
      {"NOAS", "客户未答复 no answer from the customer"},
      {"NOOR", "未收到原交易 original transaction never received"},
      {"ARDT", "已退回 already returned"},
      {"AC04", "账户已销户 account closed"},
      {"AM04", "余额不足 insufficient funds"},
      {"AGNT", "银行决定 agent decision"},
      {"ARPL", "等待答复 awaiting reply"},
      {"PTNA", "已转往下一家银行 passed to the next agent"},
      {"RQDA", "需要借记授权 requested debit authority"},
      {"INDM", "需要赔偿保证 indemnity requested"},
      {"FRNA", "已转发 forwarded to the next agent"},
  };
  for (const Reason& r : kReasons)
    if (r.code == code) return std::string(r.text);
  return std::string(code);
}

namespace {

// The answer is about the request: its case, and where it names the payment, the same payment.
Status CheckAbout(const iso20022::RecallRequest& q, const iso20022::RecallAnswer& a) {
  auto same = [](std::string_view field, const std::string& asked, const std::string& answered) {
    if (asked.empty() || answered.empty() || asked == answered) return Status::Ok();
    return Status::Invalid(std::string(field) + ": the answer names '" + answered +
                           "', the recall asked about '" + asked + "'")
        .WithZh(std::string(field) + "：答复所指为 '" + answered + "'，撤回请求所问为 '" + asked +
                "'");
  };
  FANZHA_RETURN_IF_ERROR(same("case_id", q.case_id, a.case_id));
  FANZHA_RETURN_IF_ERROR(
      same("original_end_to_end_id", q.original_end_to_end_id, a.original_end_to_end_id));
  FANZHA_RETURN_IF_ERROR(same("original_tx_id", q.original_tx_id, a.original_tx_id));
  FANZHA_RETURN_IF_ERROR(same("original_uetr", q.original_uetr, a.original_uetr));
  return same("original_instruction_id", q.original_instruction_id, a.original_instruction_id);
}

}  // namespace

Result<RecallMove> MoveForRecallAnswer(const Order& order, const iso20022::RecallRequest& request,
                                       const iso20022::RecallAnswer& answer) {
  std::string where = "order " + std::to_string(order.id);
  FANZHA_RETURN_IF_ERROR(CheckAbout(request, answer).WithContext(where));
  RecallMove m;
  std::string code =
      answer.status_code.empty() ? std::string(Name(answer.outcome)) : answer.status_code;
  m.note = "camt.029 " + code;
  if (!answer.reason_code.empty())
    m.note += " " + answer.reason_code + " (" + RejectionReasonText(answer.reason_code) + ")";
  if (!answer.reason_text.empty()) m.note += ": " + answer.reason_text;
  if (order.status == OrderStatus::kPlanned)
    return Status::Invalid(where + ": still planned; an answer to a recall never sent")
        .WithZh(where + "：尚未发出，却收到了撤回请求的答复");

  OrderStatus target =
      answer.outcome == iso20022::RecallOutcome::kCancelled  ? OrderStatus::kExecuted
      : answer.outcome == iso20022::RecallOutcome::kRejected ? OrderStatus::kRejected
                                                             : OrderStatus::kSent;
  if (target == OrderStatus::kSent) return m;  // pending: nothing moves yet
  if (order.status == target) return m;        // the same answer again
  if (order.status != OrderStatus::kSent)
    return Status::Conflict(where + " is " + std::string(Name(order.status)) +
                            "; the bank now answers " + code + " (" +
                            std::string(iso20022::Name(answer.outcome)) + ")")
        .WithZh(where + " 的状态是 " + std::string(Name(order.status)) + "，银行的答复却是 " +
                code);
  m.moves = true;
  m.to = target;
  if (target == OrderStatus::kExecuted) {
    bool stated = answer.original_amount > 0 && (answer.original_currency.empty() ||
                                                 answer.original_currency == request.currency);
    m.amount = stated ? answer.original_amount : request.amount;
  }
  return m;
}

}  // namespace fanzha::freeze
