// Freeze (止付/冻结) and return (返还): from a trace to orders at the institutions holding the money,
// tracked to their outcome, and frozen money split among victims by the legal rules.
//
// Start with MakePlan() (what to freeze, most urgent first), then OrderBook (the orders and their
// lifecycle), then PlanReturn() (who gets the frozen money back).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/model.h"
#include "core/status.h"
#include "ledger/ledger.h"
#include "store/store.h"
#include "trace/trace.h"

namespace fanzha::freeze {

// ---- Freeze plan ----------------------------------------------------------------------------

struct PlanItem {
  std::string account;
  std::string institution;
  std::string region;
  Fen amount = 0;  // the held taint: what to freeze (not the whole balance)
  int hops = 0;
  Millis first_tainted_at = 0;
  // How fast the money moved on its way here: minutes from the first seed payment to its arrival
  // here, divided by the hops. Money that moves fast leaves soon: freeze it first.
  int64_t minutes_per_hop = 0;
  std::string urgency;  // "critical" (< 30 min a hop), "high" (< 3 h a hop), "normal"
};

struct Plan {
  std::string case_id;
  trace::Policy policy = trace::Policy::kFifo;
  Fen seed = 0;
  Fen total = 0;  // sum of the items
  std::vector<PlanItem> items;  // the trace's held order: amount descending, then account
};

// The freeze plan of a traced case. `seed_time` is the time of its first seed payment.
Plan MakePlan(const ledger::Ledger& ledger, const trace::Answer& answer, const std::string& case_id,
              Millis seed_time);
// The same, with the seed time taken from the trace (its first flow is the first seed payment).
Plan MakePlan(const ledger::Ledger& ledger, const trace::Answer& answer, const std::string& case_id);
// The plan as the CLI (--json) and the server answer it.
nlohmann::ordered_json ToJson(const Plan& plan);

// ---- Freeze orders --------------------------------------------------------------------------

enum class OrderStatus { kPlanned, kSent, kExecuted, kRejected, kExpired, kReleased, kReturned };
std::string_view Name(OrderStatus s);
Result<OrderStatus> ParseOrderStatus(std::string_view s);
// planned -> sent | expired; sent -> executed | rejected | expired; executed -> released | returned.
bool CanMove(OrderStatus from, OrderStatus to);

struct Order {
  int64_t id = 0;
  std::string case_id;
  std::string account;
  std::string institution;
  Fen requested = 0;  // the held taint when drafted
  Fen frozen = 0;     // what the institution actually froze (executed)
  OrderStatus status = OrderStatus::kPlanned;
  std::string reason;  // rejection reason or last note
  std::string policy;
  Millis created_at = 0;
  Millis updated_at = 0;
};

struct OrderFilter {
  std::string case_id;
  std::string account;
  std::string institution;
  std::optional<OrderStatus> status;
};

// Freeze orders kept in the store (tables of migration "freeze"). Thread-compatible, like the
// store it writes to.
class OrderBook {
 public:
  explicit OrderBook(store::SqlDatabase& db) : db_(db) {}

  struct Drafted {
    Order order;
    bool created;  // false: an order for this (case, account) existed already and is unchanged
  };
  // Drafts a planned order for each plan item (or only for `accounts` when not empty). Idempotent
  // per (case, account). Atomic: all drafted or none.
  Result<std::vector<Drafted>> Draft(const Plan& plan, const std::vector<std::string>& accounts,
                                     Millis now);

  // Moves an order along its lifecycle. `executed` needs `amount` (what was frozen), which may not
  // exceed what the trace held there (the order's requested amount); `rejected` needs a reason
  // (kInvalidInput otherwise). A move the lifecycle does not allow from the order's status is
  // kConflict; kNotFound for an unknown order. Part of the caller's transaction when one is open.
  Result<Order> Move(int64_t id, OrderStatus to, std::optional<Fen> amount, const std::string& note,
                     Millis now);

  Result<std::vector<Order>> List(const OrderFilter& filter);
  Result<std::optional<Order>> Get(int64_t id);

 private:
  store::SqlDatabase& db_;
};

// An order as the CLI (--json) and the server answer it.
nlohmann::ordered_json ToJson(const Order& order);

// The orders for one institution as a CSV a bank liaison can act on (header first).
std::string OrdersCsv(const std::vector<Order>& orders);

// ---- Return -----------------------------------------------------------------------------------

struct Claim {
  std::string case_id;
  Fen loss = 0;       // the victim's reported loss
  Fen traced_here = 0;  // the case's taint held at the account by the trace
};

struct Share {
  std::string case_id;
  Fen amount = 0;
};

struct ReturnPlan {
  std::string account;
  Fen frozen = 0;
  // "single_victim": one victim's money only; "by_lots": the trace's lots identify each victim;
  // "pro_rata_by_loss": mixed money the lots cannot attribute.
  std::string rule;
  std::vector<Share> shares;  // sum == frozen, to the fen
  std::string explanation;
};

// Allocates `frozen` fen at `account` among the claims by the rules of 2016 (one victim -> that
// victim; identified by lots -> by the lots; otherwise pro rata by loss). Shares are exact, by
// TRACING.md's one rule for proportional splits (SplitInProportion, core/money.h): the fen that
// proportional division leaves over go to the largest remainders, ties to the earlier case id.
Result<ReturnPlan> PlanReturn(const std::string& account, Fen frozen, std::vector<Claim> claims);

}  // namespace fanzha::freeze
