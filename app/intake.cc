#include "app/intake.h"

#include "core/json.h"
#include "import/import.h"
#include "normalise/normalise.h"

namespace fanzha::app {
namespace {

Status Missing(const std::string& field) {
  return Status::Invalid(field + ": missing").WithZh(field + "：缺少此项");
}

Result<Fen> MoneyField(const nlohmann::json& obj, const char* key, const std::string& field) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return Missing(field);
  FANZHA_ASSIGN_OR_RETURN(Fen v, MoneyValue(*it, field));
  if (v <= 0)
    return Status::Invalid(field + ": must be more than 0").WithZh(field + "：必须大于 0");
  return v;
}

// A transfers.csv row given as a JSON object.
Result<Transfer> ParseTransfer(const nlohmann::json& obj, const std::string& field) {
  if (!obj.is_object())
    return Status::Invalid(field + ": not an object").WithZh(field + "：应为对象");
  Transfer t;
  std::string time, channel;
  for (auto [key, out] : {std::pair{"id", &t.id},
                          {"time", &time},
                          {"from", &t.from},
                          {"to", &t.to},
                          {"channel", &channel},
                          {"memo", &t.memo},
                          {"ip", &t.ip},
                          {"device", &t.device}}) {
    Result<std::string> v = StringField(obj, key);
    if (!v.ok()) return FieldOf(field + ".", v.status());
    *out = *v;
  }
  if (t.id.empty()) return Missing(field + ".id");
  if (time.empty()) return Missing(field + ".time");
  Result<Millis> at = ParseTime(time);
  if (!at.ok()) return FieldOf(field + ".time: ", at.status());
  t.time = *at;
  FANZHA_ASSIGN_OR_RETURN(t.amount, MoneyField(obj, "amount", field + ".amount"));
  Result<Channel> ch = ParseChannel(channel);
  if (!ch.ok()) return FieldOf(field + ".channel: ", ch.status());
  t.channel = *ch;
  for (auto [name, account] : {std::pair{"from", &t.from}, {"to", &t.to}}) {
    FANZHA_RETURN_IF_ERROR(FieldOf(field + ".", CheckLength(name, *account, Limits::kAccount)));
    if (!account->empty()) *account = normalise::NormaliseAccount(*account);
  }
  // The importer's rules, the same for a posted report as for transfers.csv.
  FANZHA_RETURN_IF_ERROR(FieldOf(field + ".", import::CheckTransfer(t)));
  return t;
}

}  // namespace

Result<Report> ParseReport(const nlohmann::json& body) {
  if (!body.is_object())
    return Status::Invalid("body: not a JSON object").WithZh("请求体：不是 JSON 对象");
  auto it = body.find("case");
  if (it == body.end() || !it->is_object()) {
    return Status::Invalid("case: missing (an object)").WithZh("case：缺少（应为对象）");
  }
  Report report;
  FANZHA_ASSIGN_OR_RETURN(report.reason, StringField(body, "reason"));
  Result<Case> c = import::ParseCaseJson(*it);  // the parsed value: never serialised again
  if (!c.ok()) return FieldOf("case.", c.status());
  report.c = std::move(*c);
  auto ts = body.find("transfers");
  if (ts != body.end() && !ts->is_null()) {
    if (!ts->is_array())
      return Status::Invalid("transfers: not a list").WithZh("transfers：应为列表");
    for (size_t i = 0; i < ts->size(); ++i) {
      FANZHA_ASSIGN_OR_RETURN(Transfer t,
                              ParseTransfer((*ts)[i], "transfers[" + std::to_string(i) + "]"));
      report.transfers.push_back(std::move(t));
    }
  }
  return report;
}

Result<StoredReport> StoreReport(store::Store& store, const Report& report) {
  FANZHA_ASSIGN_OR_RETURN(auto imp, store.BeginImport());
  StoredReport out;
  for (size_t i = 0; i < report.transfers.size(); ++i) {
    Result<store::PutOutcome> r = imp->PutTransfer(report.transfers[i]);
    if (!r.ok()) return FieldOf("transfers[" + std::to_string(i) + "]: ", r.status());
    if (*r == store::PutOutcome::kAdded) out.added.push_back(report.transfers[i]);
  }
  Result<store::PutOutcome> r = imp->PutCase(report.c);
  if (!r.ok()) return FieldOf("case: ", r.status());
  FANZHA_RETURN_IF_ERROR(imp->Commit());
  out.created = *r == store::PutOutcome::kAdded;
  return out;
}

nlohmann::ordered_json ToJson(const Report& report, const StoredReport& stored) {
  return {
      {"case", report.c.id}, {"created", stored.created}, {"transfers_added", stored.added.size()}};
}

}  // namespace fanzha::app
