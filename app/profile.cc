// The profile of one identifier or account (profile.h).
#include "app/profile.h"

#include <algorithm>
#include <map>

#include "app/casework.h"
#include "app/warnings.h"
#include "core/money.h"
#include "core/text.h"
#include "freeze/orders.h"
#include "normalise/normalise.h"
#include "region/region.h"
#include "warn/store_io.h"

namespace fanzha::app {
namespace {

using Json = nlohmann::ordered_json;

constexpr size_t kMaxValueBytes = 256;
constexpr size_t kCounterparties = 10, kRecent = 20, kWarnings = 50;

Json AccountJson(const Account& a) {
  return {{"account", a.id},
          {"holder", a.holder},
          {"institution", a.institution},
          {"region", a.region},
          {"region_name", region::RegionTable::Builtin().DisplayName(a.region)},
          {"kind", Name(a.kind)}};
}

struct Side {
  int64_t count = 0;
  Fen amount = 0;
};
Json SideJson(const Side& s) { return {{"count", s.count}, {"amount", FormatMoney(s.amount)}}; }

// The money through account `a`: totals, the largest counterparties, the latest transfers.
Json MoneyJson(const ledger::Ledger& l, ledger::AccountIndex a) {
  struct Counterparty {
    Fen received = 0, paid = 0;
    int64_t transfers = 0;
  };
  Side received, paid;
  std::map<std::string, Counterparty> others;
  const ledger::TransferIndex *first = l.adjacency_begin(a), *last = l.adjacency_end(a);
  for (const ledger::TransferIndex* e = first; e != last; ++e) {
    const ledger::TransferIndex t = *e;
    const bool pays = l.IsPayment(e);
    const Fen amount = l.amount(t);
    (pays ? paid : received).count++;
    (pays ? paid : received).amount += amount;
    const ledger::AccountIndex other = pays ? l.to(t) : l.from(t);
    Counterparty& c = others[other == ledger::kNoAccount ? "" : std::string(l.account_id(other))];
    (pays ? c.paid : c.received) += amount;
    ++c.transfers;
  }
  std::vector<std::pair<std::string, Counterparty>> top(others.begin(), others.end());
  std::sort(top.begin(), top.end(), [](const auto& x, const auto& y) {
    const Fen a = x.second.received + x.second.paid, b = y.second.received + y.second.paid;
    return a != b ? a > b : x.first < y.first;
  });
  if (top.size() > kCounterparties) top.resize(kCounterparties);
  Json parties = Json::array();
  for (const auto& [id, c] : top) {
    parties.push_back({{"account", id},  // "" for cash in or out
                       {"received", FormatMoney(c.received)},
                       {"paid", FormatMoney(c.paid)},
                       {"transfers", c.transfers}});
  }
  Json recent = Json::array();
  for (const ledger::TransferIndex* e = last; e != first && recent.size() < kRecent;) {
    const ledger::TransferIndex t = *--e;
    const auto id = [&](ledger::AccountIndex x) {
      return x == ledger::kNoAccount ? std::string() : std::string(l.account_id(x));
    };
    recent.push_back({{"id", l.transfer_id(t)},
                      {"time", FormatTime(l.time(t))},
                      {"from", id(l.from(t))},
                      {"to", id(l.to(t))},
                      {"amount", FormatMoney(l.amount(t))},
                      {"channel", Name(l.channel(t))}});
  }
  Json j = {{"received", SideJson(received)}, {"paid", SideJson(paid)}};
  j["first"] = first == last ? Json() : Json(FormatTime(l.time(*first)));
  j["last"] = first == last ? Json() : Json(FormatTime(l.time(*(last - 1))));
  j["balance"] =
      FormatMoney(l.BalanceBefore(a, static_cast<ledger::TransferIndex>(l.transfer_count())));
  j["counterparties"] = std::move(parties);
  j["recent"] = std::move(recent);
  return j;
}

// The orders on the account whose case the caller may read.
Result<Json> OrdersOn(store::Store& store, const std::string& account, const ProfileScope& scope) {
  freeze::OrderFilter filter;
  filter.account = account;
  FANZHA_ASSIGN_OR_RETURN(std::vector<freeze::Order> orders,
                          freeze::OrderBook(store.sql()).List(filter));
  Json list = Json::array();
  for (const freeze::Order& o : orders) {
    FANZHA_ASSIGN_OR_RETURN(std::optional<Case> c, store.GetCase(o.case_id));
    if (c && scope.may_read_case(*c)) list.push_back(freeze::ToJson(o));
  }
  return list;
}

}  // namespace

Result<Json> Profile(store::Store& store, const ledger::Ledger* ledger, IdentifierType type,
                     std::string_view value, const ProfileScope& scope) {
  const std::string raw(Trim(value));
  if (raw.empty() || raw.size() > kMaxValueBytes || !IsValidUtf8(raw)) {
    return Status::Invalid("value: empty, more than " + std::to_string(kMaxValueBytes) +
                           " bytes, or not UTF-8")
        .WithZh("value：为空、超过 " + std::to_string(kMaxValueBytes) + " 字节或不是 UTF-8 文本");
  }
  const Identifier id = normalise::NormaliseIdentifier(type, raw);
  const std::string v = id.value.empty() ? raw : id.value;
  Json j = {{"type", Name(type)}, {"value", v}};

  FANZHA_ASSIGN_OR_RETURN(std::vector<std::string> ids, store.FindCasesByIdentifier(type, v));
  Json cases = Json::array();
  for (const std::string& case_id : ids) {
    FANZHA_ASSIGN_OR_RETURN(std::optional<Case> c, store.GetCase(case_id));
    if (c && scope.may_read_case(*c)) cases.push_back(CaseHeadJson(*c));
  }
  j["cases"] = std::move(cases);

  FANZHA_ASSIGN_OR_RETURN(std::optional<Account> account, store.GetAccount(v));
  j["account"] = account ? AccountJson(*account) : Json();
  std::optional<ledger::AccountIndex> in_ledger;
  if (account && ledger) in_ledger = ledger->FindAccount(v);
  j["money"] = in_ledger ? MoneyJson(*ledger, *in_ledger) : Json();
  if (account) {
    FANZHA_ASSIGN_OR_RETURN(j["orders"], OrdersOn(store, v, scope));
  } else {
    j["orders"] = Json::array();
  }

  FANZHA_ASSIGN_OR_RETURN(std::vector<warn::QueuedWarning> warned,
                          warn::WarningsAbout(store.sql(), v, kWarnings));
  Json warnings = Json::array();
  for (const warn::QueuedWarning& w : warned) {
    if (scope.may_see_warnings(w.region)) warnings.push_back(ToJson(w));
  }
  j["warnings"] = std::move(warnings);
  return j;
}

}  // namespace fanzha::app
