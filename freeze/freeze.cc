#include "freeze/freeze.h"

#include <algorithm>
#include <numeric>

namespace fanzha::freeze {

Plan MakePlan(const ledger::Ledger& ledger, const trace::Answer& answer, const std::string& case_id,
              Millis seed_time) {
  Plan plan;
  plan.case_id = case_id;
  plan.policy = answer.policy;
  plan.seed = answer.seed;
  for (const trace::Held& h : answer.held) {
    PlanItem item;
    item.account = h.account;
    if (auto a = ledger.FindAccount(h.account)) {
      item.institution = ledger.institution(*a);
      item.region = ledger.region(*a);
    }
    item.amount = h.amount;
    item.hops = h.hops;
    item.first_tainted_at = h.first_tainted_at;
    int64_t minutes = std::max<int64_t>(0, (h.first_tainted_at - seed_time) / 60000);
    item.minutes_per_hop = minutes / std::max(1, h.hops);
    item.urgency = item.minutes_per_hop < 30    ? "critical"
                   : item.minutes_per_hop < 180 ? "high"
                                                : "normal";
    const trace::Flow* first = nullptr;  // the payment by which the money first arrived
    for (const trace::Flow& f : answer.flows) {
      if (f.to == h.account && (!first || f.time < first->time)) first = &f;
    }
    if (first) {
      item.payment_transfer = first->transfer;
      item.payment_time = first->time;
      std::optional<ledger::TransferIndex> t = ledger.FindTransfer(first->transfer);
      item.payment_amount = t ? ledger.amount(*t) : first->amount;
    }
    plan.total += h.amount;
    plan.items.push_back(std::move(item));
  }
  return plan;
}

Plan MakePlan(const ledger::Ledger& ledger, const trace::Answer& answer,
              const std::string& case_id) {
  Millis seed_time = answer.flows.empty() ? 0 : answer.flows.front().time;
  return MakePlan(ledger, answer, case_id, seed_time);
}

nlohmann::ordered_json ToJson(const Plan& p) {
  nlohmann::ordered_json items = nlohmann::ordered_json::array();
  for (const auto& i : p.items) {
    items.push_back({{"account", i.account},
                     {"institution", i.institution},
                     {"region", i.region},
                     {"amount", FormatMoney(i.amount)},
                     {"hops", i.hops},
                     {"first_tainted_at", FormatTime(i.first_tainted_at)},
                     {"minutes_per_hop", i.minutes_per_hop},
                     {"urgency", i.urgency}});
    if (!i.holder.empty()) items.back()["holder"] = i.holder;
    if (!i.payment_transfer.empty()) {
      items.back()["payment"] = {{"transfer", i.payment_transfer},
                                 {"amount", FormatMoney(i.payment_amount)},
                                 {"time", FormatTime(i.payment_time)}};
    }
  }
  return {{"case", p.case_id},
          {"policy", trace::Name(p.policy)},
          {"seed", FormatMoney(p.seed)},
          {"to_freeze", FormatMoney(p.total)},
          {"accounts", items}};
}

Status FillHolders(store::Store& store, Plan& plan) {
  for (PlanItem& item : plan.items) {
    FANZHA_ASSIGN_OR_RETURN(std::optional<Account> a, store.GetAccount(item.account));
    if (a) item.holder = a->holder;
  }
  return Status::Ok();
}

Result<ReturnPlan> PlanReturn(const std::string& account, Fen frozen, std::vector<Claim> claims) {
  if (claims.empty())
    return Status::NotFound("no case claims money at " + account)
        .WithZh("没有案件主张账户 " + account + " 中的资金");
  std::sort(claims.begin(), claims.end(),
            [](const Claim& a, const Claim& b) { return a.case_id < b.case_id; });
  ReturnPlan plan;
  plan.account = account;
  plan.frozen = frozen;
  std::vector<Fen> weights;
  size_t with_money =
      std::count_if(claims.begin(), claims.end(), [](const Claim& c) { return c.traced_here > 0; });
  if (with_money == 1) {
    plan.rule = "single_victim";
    plan.explanation =
        "only one victim's money reached this account: all of it goes back to that victim";
    for (const Claim& c : claims) weights.push_back(c.traced_here > 0 ? 1 : 0);
  } else if (with_money > 1) {
    plan.rule = "by_lots";
    plan.explanation =
        "the trace identifies each victim's part in this account: shares follow the lots";
    for (const Claim& c : claims) weights.push_back(c.traced_here);
  } else {
    plan.rule = "pro_rata_by_loss";
    plan.explanation =
        "the victims' money is mixed beyond what the lots identify: shares in proportion to loss";
    for (const Claim& c : claims) weights.push_back(c.loss);
  }
  if (std::accumulate(weights.begin(), weights.end(), Fen{0}) == 0) {
    return Status::Invalid("no claim at " + account + " has a loss or traced money to weigh it by")
        .WithZh("账户 " + account + " 上的各项主张均无损失金额或追踪到的资金，无法据以分配");
  }
  std::vector<Fen> split = SplitInProportion(frozen, weights);
  for (size_t i = 0; i < claims.size(); ++i) {
    if (split[i] > 0) plan.shares.push_back(Share{claims[i].case_id, split[i]});
  }
  return plan;
}

}  // namespace fanzha::freeze
