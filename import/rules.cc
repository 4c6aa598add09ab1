// The rules every record meets before it is stored, wherever it comes from (import.h).
#include "core/text.h"
#include "import/internal.h"
#include "region/region.h"

namespace fanzha::import {
namespace {

Status Length(std::string_view field, std::string_view text, size_t max) {
  return CheckLength(field, text, max);
}

Status Region(std::string_view field, std::string_view code) {
  Status st = region::CheckCode(code);
  return st.ok() ? st : FieldError(field, st);
}

Status CheckChannel(const Transfer& t) {
  switch (t.channel) {
    case Channel::kWithdrawal:
      if (!t.to.empty()) return FieldError("to", "must be empty for a withdrawal", "取现时须为空");
      if (t.from.empty()) return FieldError("from", "empty", "为空");
      break;
    case Channel::kDeposit:
      if (!t.from.empty()) return FieldError("from", "must be empty for a deposit", "存现时须为空");
      if (t.to.empty()) return FieldError("to", "empty", "为空");
      break;
    case Channel::kTransfer:
    case Channel::kPurchase:
      if (t.from.empty())
        return FieldError("from", "empty (only a deposit has no payer)",
                          "为空（只有存现没有付款方）");
      if (t.to.empty())
        return FieldError("to", "empty (only a withdrawal has no payee)",
                          "为空（只有取现没有收款方）");
      break;
  }
  if (t.from == t.to)
    return FieldError("to", "the same account as from ('" + Excerpt(t.from) + "')",
                      "与 from 是同一账户（'" + Excerpt(t.from) + "'）");
  return Status::Ok();
}

}  // namespace

Status CheckAccount(const Account& a) {
  if (a.id.empty()) return FieldError("account", "empty", "为空");
  FANZHA_RETURN_IF_ERROR(Length("account", a.id, Limits::kAccount));
  FANZHA_RETURN_IF_ERROR(Length("holder", a.holder, Limits::kName));
  FANZHA_RETURN_IF_ERROR(Length("institution", a.institution, Limits::kName));
  FANZHA_RETURN_IF_ERROR(Region("region", a.region));
  if (a.attributes.size() > Limits::kAttributes)
    return FieldError("attributes",
                      std::to_string(a.attributes.size()) + " extra columns, more than " +
                          std::to_string(Limits::kAttributes),
                      "额外列有 " + std::to_string(a.attributes.size()) + " 个，超过上限 " +
                          std::to_string(Limits::kAttributes));
  for (const auto& [name, value] : a.attributes) {
    FANZHA_RETURN_IF_ERROR(Length("column name", name, Limits::kAttribute));
    FANZHA_RETURN_IF_ERROR(Length(Excerpt(name), value, Limits::kAttribute));
  }
  return Status::Ok();
}

Status CheckTransfer(const Transfer& t) {
  if (t.id.empty()) return FieldError("id", "empty", "为空");
  FANZHA_RETURN_IF_ERROR(Length("id", t.id, Limits::kId));
  FANZHA_RETURN_IF_ERROR(Length("from", t.from, Limits::kAccount));
  FANZHA_RETURN_IF_ERROR(Length("to", t.to, Limits::kAccount));
  if (t.amount <= 0)
    return FieldError("amount", "'" + FormatMoney(t.amount) + "' is not more than 0",
                      "'" + FormatMoney(t.amount) + "' 不大于 0");
  FANZHA_RETURN_IF_ERROR(CheckChannel(t));
  FANZHA_RETURN_IF_ERROR(Length("memo", t.memo, Limits::kMemo));
  FANZHA_RETURN_IF_ERROR(Length("ip", t.ip, Limits::kShortText));
  return Length("device", t.device, Limits::kShortText);
}

Status CheckCase(const Case& c) {
  Status id = CheckCaseId(c.id);
  if (!id.ok()) return FieldError("id", id);
  FANZHA_RETURN_IF_ERROR(Region("region", c.region));
  FANZHA_RETURN_IF_ERROR(Length("category", c.category, Limits::kCategory));
  FANZHA_RETURN_IF_ERROR(Length("narrative", c.narrative, Limits::kNarrative));
  FANZHA_RETURN_IF_ERROR(Length("victim.name", c.victim.name, Limits::kName));
  FANZHA_RETURN_IF_ERROR(Length("victim.phone", c.victim.phone, Limits::kShortText));
  FANZHA_RETURN_IF_ERROR(Length("victim.account", c.victim.account, Limits::kAccount));
  if (c.transfers.size() > Limits::kListItems)
    return FieldError("transfers",
                      std::to_string(c.transfers.size()) + " ids, more than " +
                          std::to_string(Limits::kListItems),
                      "有 " + std::to_string(c.transfers.size()) + " 个交易编号，超过上限 " +
                          std::to_string(Limits::kListItems));
  for (size_t i = 0; i < c.transfers.size(); ++i)
    FANZHA_RETURN_IF_ERROR(
        Length("transfers[" + std::to_string(i) + "]", c.transfers[i], Limits::kId));
  if (c.identifiers.size() > Limits::kListItems)
    return FieldError("identifiers",
                      std::to_string(c.identifiers.size()) + " identifiers, more than " +
                          std::to_string(Limits::kListItems),
                      "有 " + std::to_string(c.identifiers.size()) + " 个标识，超过上限 " +
                          std::to_string(Limits::kListItems));
  for (size_t i = 0; i < c.identifiers.size(); ++i) {
    const std::string field = "identifiers[" + std::to_string(i) + "].value";
    FANZHA_RETURN_IF_ERROR(Length(field, c.identifiers[i].raw, Limits::kIdentifier));
    FANZHA_RETURN_IF_ERROR(Length(field, c.identifiers[i].value, Limits::kIdentifier));
  }
  return Status::Ok();
}

}  // namespace fanzha::import
