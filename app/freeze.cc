#include "app/freeze.h"

#include <algorithm>

namespace fanzha::app {

using json = nlohmann::ordered_json;

Result<freeze::Plan> PlanFreeze(const ledger::Ledger& ledger, const Case& c,
                                const trace::Options& options) {
  FANZHA_ASSIGN_OR_RETURN(std::vector<trace::Seed> seeds, trace::SeedsOfCase(ledger, c));
  FANZHA_ASSIGN_OR_RETURN(trace::Answer answer, trace::Trace(ledger, seeds, options));
  return freeze::MakePlan(ledger, answer, c.id);
}

Result<std::vector<freeze::OrderBook::Drafted>> DraftOrders(store::Store& store, freeze::Plan& plan,
                                                            const freeze::DraftOptions& options,
                                                            Millis now) {
  FANZHA_RETURN_IF_ERROR(freeze::FillHolders(store, plan));
  return freeze::OrderBook(store.sql()).Draft(plan, options, now);
}

Result<std::vector<freeze::OrderBook::Drafted>> DraftOrders(store::Store& store, freeze::Plan& plan,
                                                            const freeze::DraftOptions& options,
                                                            bool send, Millis now) {
  FANZHA_ASSIGN_OR_RETURN(auto drafted, DraftOrders(store, plan, options, now));
  if (!send) return drafted;
  freeze::OrderBook book(store.sql());
  for (freeze::OrderBook::Drafted& d : drafted) {
    if (d.order.status != freeze::OrderStatus::kPlanned) continue;
    FANZHA_ASSIGN_OR_RETURN(d.order, book.Move(d.order.id, freeze::OrderStatus::kSent, std::nullopt,
                                               "sent with the draft", now));
  }
  return drafted;
}

json DraftedJson(const freeze::Plan& plan, const std::vector<freeze::OrderBook::Drafted>& drafted) {
  json orders = json::array();
  for (const freeze::OrderBook::Drafted& d : drafted) {
    json o = freeze::ToJson(d.order);
    o["created"] = d.created;
    orders.push_back(std::move(o));
  }
  return {{"case", plan.case_id}, {"plan", freeze::ToJson(plan)}, {"orders", std::move(orders)}};
}

Status NothingFrozenAt(const std::string& account) {
  return Status::NotFound("no executed freeze order at account " + account +
                          ": nothing frozen there to return")
      .WithZh("账户 " + account + " 没有已执行的冻结令：无可返还的冻结资金");
}

Result<FrozenAt> FindFrozen(store::Store& store, const std::string& account) {
  freeze::OrderFilter executed;
  executed.account = account;
  executed.status = freeze::OrderStatus::kExecuted;
  FANZHA_ASSIGN_OR_RETURN(std::vector<freeze::Order> orders,
                          freeze::OrderBook(store.sql()).List(executed));
  if (orders.empty()) return NothingFrozenAt(account);
  FrozenAt at;
  at.account = account;
  for (const freeze::Order& order : orders) {
    at.frozen += order.frozen;
    at.orders.push_back(order.id);
    bool claimed = std::any_of(at.cases.begin(), at.cases.end(),
                               [&](const Case& c) { return c.id == order.case_id; });
    if (claimed) continue;  // a stop-payment and a freeze of one case: one claim
    FANZHA_ASSIGN_OR_RETURN(std::optional<Case> c, store.GetCase(order.case_id));
    if (!c) {
      return Status::NotFound("order " + std::to_string(order.id) + " names unknown case " +
                              order.case_id)
          .WithZh("冻结令 " + std::to_string(order.id) + " 所属案件 " + order.case_id + " 不存在");
    }
    at.cases.push_back(std::move(*c));
  }
  return at;
}

Case AllPayments(const std::vector<Case>& cases) {
  Case all;
  for (const Case& c : cases)
    all.transfers.insert(all.transfers.end(), c.transfers.begin(), c.transfers.end());
  return all;
}

Result<freeze::ReturnPlan> PlanReturn(const ledger::Ledger& ledger, const FrozenAt& frozen) {
  std::vector<trace::Seed> seeds;
  std::vector<freeze::Claim> claims;
  for (const Case& c : frozen.cases) {
    FANZHA_ASSIGN_OR_RETURN(std::vector<trace::Seed> own, trace::SeedsOfCase(ledger, c));
    Fen loss = c.loss.value_or(0);
    if (!c.loss) {
      for (const trace::Seed& seed : own)
        loss += ledger.amount(*ledger.FindTransfer(seed.transfer_id));
    }
    seeds.insert(seeds.end(), own.begin(), own.end());
    claims.push_back(freeze::Claim{c.id, loss, 0});
  }
  // Traced together, so that the lots at the account say whose money it is.
  FANZHA_ASSIGN_OR_RETURN(trace::Answer answer, trace::Trace(ledger, seeds, trace::Options{}));
  for (const trace::Held& h : answer.held) {
    if (h.account != frozen.account) continue;
    for (freeze::Claim& claim : claims) {
      for (const auto& by : h.by_origin) {
        if (by.origin == claim.case_id) claim.traced_here = by.amount;
      }
    }
  }
  return freeze::PlanReturn(frozen.account, frozen.frozen, std::move(claims));
}

Result<freeze::StoredReturn> RecordReturn(store::Store& store, const freeze::ReturnPlan& plan,
                                          const FrozenAt& frozen, Millis now) {
  return freeze::ReturnBook(store.sql()).Record(plan, frozen.orders, now);
}

}  // namespace fanzha::app
