// The one search box (search.h).
#include "app/search.h"

#include <map>
#include <set>

#include "core/money.h"
#include "core/text.h"
#include "normalise/normalise.h"

namespace fanzha::app {
namespace {

using Json = nlohmann::ordered_json;

constexpr IdentifierType kTypes[] = {
    IdentifierType::kPhone,  IdentifierType::kAccount, IdentifierType::kUrl,
    IdentifierType::kDomain, IdentifierType::kWechat,  IdentifierType::kQq,
    IdentifierType::kAlipay, IdentifierType::kDevice,  IdentifierType::kIp,
    IdentifierType::kEmail,  IdentifierType::kIdCard,  IdentifierType::kOther};

Json CaseHit(const Case& c, const std::vector<std::pair<IdentifierType, std::string>>& matched) {
  Json m = Json::array();
  for (const auto& [type, value] : matched) m.push_back({{"type", Name(type)}, {"value", value}});
  Json j = {{"id", c.id},
            {"reported_at", FormatTime(c.reported_at)},
            {"region", c.region},
            {"category", c.category}};
  j["loss"] = c.loss ? Json(FormatMoney(*c.loss)) : Json();
  j["matched"] = m;
  return j;
}

}  // namespace

Result<Json> Search(store::Store& store, std::string_view text, size_t limit,
                    const std::function<bool(const Case&)>& may_read) {
  const std::string q(Trim(text));
  if (q.empty()) return Status::Invalid("q: empty").WithZh("q：搜索内容为空");
  if (q.size() > kMaxSearchBytes || !IsValidUtf8(q)) {
    return Status::Invalid("q: more than " + std::to_string(kMaxSearchBytes) +
                           " bytes, or not UTF-8")
        .WithZh("q：超过 " + std::to_string(kMaxSearchBytes) + " 字节或不是 UTF-8 文本");
  }
  // Case id -> the identifiers of the case that matched.
  std::map<std::string, std::vector<std::pair<IdentifierType, std::string>>> found;
  std::set<std::pair<IdentifierType, std::string>> asked;
  for (IdentifierType type : kTypes) {
    const Identifier id = normalise::NormaliseIdentifier(type, q);
    if (id.value.empty() || !asked.insert({type, id.value}).second) continue;
    FANZHA_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                            store.FindCasesByIdentifier(type, id.value));
    for (const std::string& c : ids) found[c].push_back({type, id.value});
  }
  if (CheckCaseId(q).ok()) found.try_emplace(q);  // a case id as it is
  Json cases = Json::array();
  for (const auto& [id, matched] : found) {
    if (cases.size() >= limit) break;
    FANZHA_ASSIGN_OR_RETURN(std::optional<Case> c, store.GetCase(id));
    if (c && may_read(*c)) cases.push_back(CaseHit(*c, matched));
  }
  Json accounts = Json::array();
  FANZHA_ASSIGN_OR_RETURN(std::optional<Account> a,
                          store.GetAccount(normalise::NormaliseAccount(q)));
  if (a) {
    accounts.push_back({{"account", a->id},
                        {"holder", a->holder},
                        {"institution", a->institution},
                        {"region", a->region},
                        {"kind", Name(a->kind)}});
  }
  return Json{{"query", q}, {"cases", cases}, {"accounts", accounts}};
}

}  // namespace fanzha::app
