#include "freeze/freeze.h"

#include <algorithm>
#include <numeric>

#include "core/csv.h"
#include "core/names.h"

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
    plan.total += h.amount;
    plan.items.push_back(std::move(item));
  }
  return plan;
}

Plan MakePlan(const ledger::Ledger& ledger, const trace::Answer& answer, const std::string& case_id) {
  Millis seed_time = answer.flows.empty() ? 0 : answer.flows.front().time;
  return MakePlan(ledger, answer, case_id, seed_time);
}

nlohmann::ordered_json ToJson(const Plan& p) {
  nlohmann::ordered_json items = nlohmann::ordered_json::array();
  for (const auto& i : p.items) {
    items.push_back({{"account", i.account}, {"institution", i.institution}, {"region", i.region},
                     {"amount", FormatMoney(i.amount)}, {"hops", i.hops},
                     {"first_tainted_at", FormatTime(i.first_tainted_at)},
                     {"minutes_per_hop", i.minutes_per_hop}, {"urgency", i.urgency}});
  }
  return {{"case", p.case_id}, {"policy", trace::Name(p.policy)}, {"seed", FormatMoney(p.seed)},
          {"to_freeze", FormatMoney(p.total)}, {"accounts", items}};
}

nlohmann::ordered_json ToJson(const Order& o) {
  return {{"id", o.id}, {"case", o.case_id}, {"account", o.account}, {"institution", o.institution},
          {"amount", FormatMoney(o.requested)}, {"frozen", FormatMoney(o.frozen)},
          {"status", Name(o.status)}, {"reason", o.reason}, {"policy", o.policy},
          {"created_at", FormatTime(o.created_at)}, {"updated_at", FormatTime(o.updated_at)}};
}

namespace {

constexpr std::pair<std::string_view, OrderStatus> kStatuses[] = {
    {"planned", OrderStatus::kPlanned},   {"sent", OrderStatus::kSent},
    {"executed", OrderStatus::kExecuted}, {"rejected", OrderStatus::kRejected},
    {"expired", OrderStatus::kExpired},   {"released", OrderStatus::kReleased},
    {"returned", OrderStatus::kReturned}};

constexpr std::string_view kOrderColumns =
    "id, case_id, account, institution, amount_requested, amount_frozen, status, reason, policy, "
    "created_at, updated_at";

Order ReadOrder(const store::SqlStatement& s) {
  Order o;
  o.id = s.ColumnInt64(0);
  o.case_id = s.ColumnString(1);
  o.account = s.ColumnString(2);
  o.institution = s.ColumnString(3);
  o.requested = s.ColumnInt64(4);
  o.frozen = s.ColumnInt64(5);
  o.status = *ParseOrderStatus(s.ColumnText(6));
  o.reason = s.ColumnString(7);
  o.policy = s.ColumnString(8);
  o.created_at = s.ColumnInt64(9);
  o.updated_at = s.ColumnInt64(10);
  return o;
}

Status RecordEvent(store::SqlDatabase& db, int64_t order_id, Millis at, OrderStatus status, Fen amount,
                   const std::string& note) {
  FANZHA_ASSIGN_OR_RETURN(
      auto st, db.Prepare("INSERT INTO freeze_order_events (order_id, seq, at, status, amount, note) "
                          "SELECT ?, COALESCE(MAX(seq), 0) + 1, ?, ?, ?, ? FROM freeze_order_events "
                          "WHERE order_id = ?"));
  st->Bind(1, order_id).Bind(2, at).Bind(3, Name(status)).Bind(4, amount).Bind(5, note).Bind(6, order_id);
  return st->Run();
}

}  // namespace

std::string_view Name(OrderStatus s) { return NameOf(s, kStatuses); }
Result<OrderStatus> ParseOrderStatus(std::string_view s) {
  return ParseName(s, kStatuses, "order status");
}

bool CanMove(OrderStatus from, OrderStatus to) {
  using S = OrderStatus;
  switch (from) {
    case S::kPlanned: return to == S::kSent || to == S::kExpired;
    case S::kSent: return to == S::kExecuted || to == S::kRejected || to == S::kExpired;
    case S::kExecuted: return to == S::kReleased || to == S::kReturned;
    default: return false;
  }
}

Result<std::vector<OrderBook::Drafted>> OrderBook::Draft(const Plan& plan,
                                                         const std::vector<std::string>& accounts,
                                                         Millis now) {
  for (const std::string& a : accounts) {
    bool held = std::any_of(plan.items.begin(), plan.items.end(),
                            [&](const PlanItem& i) { return i.account == a; });
    if (!held) {
      return Status::Invalid("account " + a + " holds none of case " + plan.case_id +
                             "'s money in the trace: nothing to freeze there");
    }
  }
  FANZHA_ASSIGN_OR_RETURN(auto tx, store::SqlTransaction::Begin(&db_));
  FANZHA_ASSIGN_OR_RETURN(
      auto insert,
      db_.Prepare("INSERT INTO freeze_orders (case_id, account, institution, amount_requested, "
                  "amount_frozen, status, reason, policy, created_at, updated_at) "
                  "VALUES (?, ?, ?, ?, 0, 'planned', '', ?, ?, ?) ON CONFLICT (case_id, account) DO NOTHING"));
  std::vector<Drafted> out;
  for (const PlanItem& item : plan.items) {
    if (!accounts.empty() && std::find(accounts.begin(), accounts.end(), item.account) == accounts.end()) {
      continue;
    }
    insert->Bind(1, plan.case_id).Bind(2, item.account).Bind(3, item.institution).Bind(4, item.amount);
    insert->Bind(5, trace::Name(plan.policy)).Bind(6, now).Bind(7, now);
    FANZHA_RETURN_IF_ERROR(insert->Run());
    bool created = db_.Changes() > 0;
    FANZHA_ASSIGN_OR_RETURN(auto found, List(OrderFilter{plan.case_id, item.account, "", std::nullopt}));
    if (found.size() != 1) return Status::Internal("freeze order for " + item.account + " not found after insert");
    if (created) {
      FANZHA_RETURN_IF_ERROR(RecordEvent(db_, found[0].id, now, OrderStatus::kPlanned, item.amount, "drafted from trace"));
    }
    out.push_back(Drafted{found[0], created});
  }
  FANZHA_RETURN_IF_ERROR(tx.Commit());
  return out;
}

Result<std::optional<Order>> OrderBook::Get(int64_t id) {
  FANZHA_ASSIGN_OR_RETURN(auto st, db_.Prepare("SELECT " + std::string(kOrderColumns) +
                                               " FROM freeze_orders WHERE id = ?"));
  st->Bind(1, id);
  FANZHA_ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) return std::optional<Order>();
  return std::optional<Order>(ReadOrder(*st));
}

Result<Order> OrderBook::Move(int64_t id, OrderStatus to, std::optional<Fen> amount,
                              const std::string& note, Millis now) {
  FANZHA_ASSIGN_OR_RETURN(auto tx, store::SqlTransaction::Begin(&db_));
  FANZHA_ASSIGN_OR_RETURN(auto current, Get(id));
  if (!current) return Status::NotFound("no freeze order " + std::to_string(id));
  Order o = *current;
  if (!CanMove(o.status, to)) {  // the order is not in a state to move so: a conflict (409)
    return Status::Conflict("freeze order " + std::to_string(id) + " is " + std::string(Name(o.status)) +
                           " and cannot become " + std::string(Name(to)));
  }
  if (to == OrderStatus::kExecuted) {
    if (!amount) return Status::Invalid("an executed order needs --amount: what the institution froze");
    if (*amount <= 0 || *amount > o.requested) {
      return Status::Invalid("frozen amount " + FormatMoney(*amount) + " must be above 0 and at most " +
                             FormatMoney(o.requested) + ", what the trace holds at " + o.account);
    }
    o.frozen = *amount;
  } else if (amount) {
    return Status::Invalid("--amount goes with executed only");
  }
  if (to == OrderStatus::kRejected && note.empty()) {
    return Status::Invalid("a rejected order needs a reason");
  }
  o.status = to;
  if (!note.empty()) o.reason = note;
  o.updated_at = now;
  FANZHA_ASSIGN_OR_RETURN(auto st, db_.Prepare("UPDATE freeze_orders SET status = ?, amount_frozen = ?, "
                                               "reason = ?, updated_at = ? WHERE id = ?"));
  st->Bind(1, Name(to)).Bind(2, o.frozen).Bind(3, o.reason).Bind(4, now).Bind(5, id);
  FANZHA_RETURN_IF_ERROR(st->Run());
  FANZHA_RETURN_IF_ERROR(RecordEvent(db_, id, now, to, o.frozen, note));
  FANZHA_RETURN_IF_ERROR(tx.Commit());
  return o;
}

Result<std::vector<Order>> OrderBook::List(const OrderFilter& f) {
  std::string sql = "SELECT " + std::string(kOrderColumns) +
                    " FROM freeze_orders WHERE (? = '' OR case_id = ?) AND (? = '' OR account = ?) "
                    "AND (? = '' OR institution = ?) AND (? = '' OR status = ?) ORDER BY id";
  FANZHA_ASSIGN_OR_RETURN(auto st, db_.Prepare(sql));
  std::string status = f.status ? std::string(Name(*f.status)) : "";
  st->Bind(1, f.case_id).Bind(2, f.case_id).Bind(3, f.account).Bind(4, f.account);
  st->Bind(5, f.institution).Bind(6, f.institution).Bind(7, status).Bind(8, status);
  std::vector<Order> out;
  for (;;) {
    FANZHA_ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row) break;
    out.push_back(ReadOrder(*st));
  }
  return out;
}

std::string OrdersCsv(const std::vector<Order>& orders) {
  std::string out;
  AppendCsvRow(&out, {"order", "case", "account", "institution", "amount_to_freeze", "status",
                      "amount_frozen", "reason", "drafted_at", "updated_at"});
  for (const Order& o : orders) {
    AppendCsvRow(&out, {std::to_string(o.id), o.case_id, o.account, o.institution,
                        FormatMoney(o.requested), std::string(Name(o.status)), FormatMoney(o.frozen),
                        o.reason, FormatTime(o.created_at), FormatTime(o.updated_at)});
  }
  return out;
}

Result<ReturnPlan> PlanReturn(const std::string& account, Fen frozen, std::vector<Claim> claims) {
  if (claims.empty()) return Status::NotFound("no case claims money at " + account);
  std::sort(claims.begin(), claims.end(),
            [](const Claim& a, const Claim& b) { return a.case_id < b.case_id; });
  ReturnPlan plan;
  plan.account = account;
  plan.frozen = frozen;
  std::vector<Fen> weights;
  size_t with_money = std::count_if(claims.begin(), claims.end(),
                                    [](const Claim& c) { return c.traced_here > 0; });
  if (with_money == 1) {
    plan.rule = "single_victim";
    plan.explanation = "only one victim's money reached this account: all of it goes back to that victim";
    for (const Claim& c : claims) weights.push_back(c.traced_here > 0 ? 1 : 0);
  } else if (with_money > 1) {
    plan.rule = "by_lots";
    plan.explanation = "the trace identifies each victim's part in this account: shares follow the lots";
    for (const Claim& c : claims) weights.push_back(c.traced_here);
  } else {
    plan.rule = "pro_rata_by_loss";
    plan.explanation = "the victims' money is mixed beyond what the lots identify: shares in proportion to loss";
    for (const Claim& c : claims) weights.push_back(c.loss);
  }
  if (std::accumulate(weights.begin(), weights.end(), Fen{0}) == 0) {
    return Status::Invalid("no claim at " + account + " has a loss or traced money to weigh it by");
  }
  std::vector<Fen> split = SplitInProportion(frozen, weights);
  for (size_t i = 0; i < claims.size(); ++i) {
    if (split[i] > 0) plan.shares.push_back(Share{claims[i].case_id, split[i]});
  }
  return plan;
}

}  // namespace fanzha::freeze
