// Orders as the law has them: stop-payment (止付) and freeze (冻结) orders to the institution that
// holds the money, release (解冻) orders that lift them, their legal clocks, renewals and lapses,
// every step kept (table freeze_order_events). docs/spec/INTERCHANGE.md is how they reach a bank.
//
// Start with OrderBook::Draft() (orders from a freeze plan), then Move() (by hand) or Execute() /
// Reject() (an institution's answer), RequestRenewal(), Release(), Sweep() and Due().
//
// The clocks (OrderKind, TermEnd):
//  - stop_payment: in force 48 hours from its execution; renewable at most twice, each +48 h from
//    the current deadline, each asked for before the deadline;
//  - freeze: in force 6 calendar months from its execution (China time); renewable (续冻) any
//    number of times, each +6 months, each asked for before it ends;
//  - release: an order of its own naming the order it lifts; executing it releases that order.
// An order in force that is not renewed by its deadline lapses by itself: Sweep() marks it
// `expired` with the deadline as its time. While a renewal is asked for and not answered, the
// order stays in force (the institution may have renewed it before the deadline).
//
// Lifecycle: planned -> sent -> executed | rejected; planned | sent -> expired (withdrawn);
// executed -> expired (lapsed, by Sweep) | released (by its release order) | returned (returns.h).
//
// Threads: an OrderBook is thread-compatible, like the SqlDatabase it writes to. Every change is
// one transaction (nested in the caller's when one is open, so that a change and the audit entry
// that records it commit together). Errors: kNotFound for an unknown order, kConflict for a move
// the lifecycle or the clocks refuse, kInvalidInput for a missing amount, reason or document.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/money.h"
#include "core/status.h"
#include "core/time.h"
#include "store/store.h"

namespace fanzha::freeze {

struct Plan;  // freeze.h

enum class OrderKind { kStopPayment, kFreeze, kRelease };
// "stop_payment" | "freeze" | "release"
std::string_view Name(OrderKind k);
Result<OrderKind> ParseOrderKind(std::string_view s);
// What a Chinese notice calls it: 止付 | 冻结 | 解冻.
std::string_view ChineseName(OrderKind k);

enum class OrderStatus { kPlanned, kSent, kExecuted, kRejected, kExpired, kReleased, kReturned };
std::string_view Name(OrderStatus s);
Result<OrderStatus> ParseOrderStatus(std::string_view s);
// As the dashboard says it: 待发送, 已发送, 已冻结, 被拒绝, 已过期, 已解冻, 已返还.
std::string_view ChineseName(OrderStatus s);
// The same for a status as stored or sent ("executed" -> 已冻结); the text itself when it names
// none.
std::string StatusInChinese(std::string_view status);
// A note the order book writes on an order's step ("drafted from trace", "in force until T",
// "renewal 2 rejected: R", ... from freeze/orders.cc, app/freeze.cc, freeze/returns.cc) in Chinese,
// as the dashboard shows it (web/src/casework.ts orderNote), times in China time; a note of
// another form (a bank's reason, an officer's note) as it came.
std::string NoteInChinese(const std::string& note);
// The lifecycle above (which moves exist at all; Move() adds the rules of each).
bool CanMove(OrderStatus from, OrderStatus to);

// The law's clocks.
inline constexpr Millis kStopPaymentTerm = 48LL * 3600 * 1000;
inline constexpr int kStopPaymentRenewals = 2;
inline constexpr int kFreezeMonths = 6;
// When a hold of `kind` that starts (or is renewed) at `from` ends: from + 48 h for a
// stop-payment, six calendar months later in China time for a freeze; 0 for a release.
Millis TermEnd(OrderKind kind, Millis from);

// Who asks, on what authority: recorded with every order, renewal and release.
struct Mandate {
  std::string document;  // the legal document's number (止付通知书, 协助冻结财产通知书 ...)
  std::string requested_by;  // the user who asked
  std::string unit;          // their unit: GB/T 2260 region code ("" for a national centre)
};

struct Order {
  int64_t id = 0;
  OrderKind kind = OrderKind::kFreeze;
  std::string case_id;
  std::string account;
  std::string institution;
  // The facts a bank checks before it stops an account (the four facts: this account number, its
  // holder, and the payment by which the traced money arrived there: its amount and time).
  std::string holder;
  std::string payment_transfer;
  Fen payment_amount = 0;
  Millis payment_time = 0;
  Fen requested = 0;  // the traced money held there when drafted: the most the order asks for
  Fen frozen = 0;     // what the institution holds by it (may be more or less than requested)
  OrderStatus status = OrderStatus::kPlanned;
  std::string reason;  // rejection reason or last note
  std::string policy;
  Mandate mandate;
  int64_t releases = 0;     // a release order: the order it lifts
  int64_t released_by = 0;  // a released order: the release order that lifted it
  Millis executed_at = 0;
  Millis deadline = 0;      // when an executed stop-payment or freeze lapses unless renewed
  int renewals = 0;         // renewals executed
  int renewal_pending = 0;  // the number of a renewal asked for and not answered; 0 when none
  Millis expired_at = 0;    // when it lapsed (its deadline) or was withdrawn
  Millis created_at = 0;
  Millis updated_at = 0;
};

struct OrderFilter {
  std::string case_id;
  std::string account;
  std::string institution;
  std::optional<OrderStatus> status;
  std::optional<OrderKind> kind;
};

struct Renewal {
  int64_t order_id = 0;
  int number = 0;  // 1, 2, ... per order
  Mandate mandate;
  Millis requested_at = 0;
  std::string status;   // "requested" | "executed" | "rejected"
  Millis deadline = 0;  // the new deadline, once executed
  std::string reason;   // why it was rejected
  Millis answered_at = 0;
};

// One step of an order's history.
struct Event {
  int seq = 0;
  Millis at = 0;
  std::string status;  // the order's status after the step
  Fen amount = 0;
  std::string note;
};

struct DraftOptions {
  OrderKind kind = OrderKind::kFreeze;  // stop_payment or freeze
  Mandate mandate;
  std::vector<std::string> accounts;  // only these; empty: every account of the plan
};

// The orders of the book: how many, what institutions froze (as they answered) and what of it
// was returned, and the count in each status (by name).
struct OrderTotals {
  int64_t orders = 0;
  Fen frozen = 0;
  Fen returned = 0;
  std::map<std::string, int64_t> by_status;
};

class OrderBook {
 public:
  explicit OrderBook(store::SqlDatabase& db) : db_(db) {}

  // See OrderTotals. Reads only.
  Result<OrderTotals> Totals();

  struct Drafted {
    Order order;
    bool created;  // false: an order of this kind for this (case, account) existed and is unchanged
  };
  // Drafts a planned order of options.kind for each plan item (or only options.accounts).
  // Idempotent per (case, account, kind). A stop-payment needs the four facts: an account whose
  // holder is unknown is refused (kInvalidInput naming it). Atomic: all drafted or none.
  Result<std::vector<Drafted>> Draft(const Plan& plan, const DraftOptions& options, Millis now);

  // Moves an order by hand (the CLI, a liaison). `executed` needs `amount`, what the institution
  // holds (>= 0; it may exceed the request: the bank freezes what the account holds), and starts
  // the clock now; `rejected` needs a reason; `released` is refused: a release is an order of its
  // own (Release()).
  Result<Order> Move(int64_t id, OrderStatus to, std::optional<Fen> amount, const std::string& note,
                     Millis now);

  // An institution executed a sent order at `at`, holding `amount` until `deadline` (0: the law's
  // deadline from `at`). A release order releases the order it names (which must still be in
  // force). kConflict unless the order is sent.
  Result<Order> Execute(int64_t id, Fen amount, Millis at, Millis deadline, const std::string& note,
                        Millis now);
  // An institution refused a sent order; `reason` says why (required).
  Result<Order> Reject(int64_t id, const std::string& reason, Millis now);
  // Adds a note to an order's history without moving it (e.g. "pending at the bank").
  Status Note(int64_t id, const std::string& note, Millis now);

  // Drafts the release (解冻) of an executed stop-payment or freeze: a planned order of kind
  // release naming it. Idempotent per released order.
  Result<Drafted> Release(int64_t id, const Mandate& mandate, Millis now);

  // Asks for the next renewal of an executed order: before its deadline, none other pending, a
  // stop-payment at most twice. kConflict naming the rule otherwise; the document is required.
  Result<Renewal> RequestRenewal(int64_t id, const Mandate& mandate, Millis now);
  // The institution's answer to renewal `number`: executed with the new deadline (0: the law's,
  // from the current deadline), or rejected with a reason (the order is unchanged and lapses at
  // its deadline unless renewed again).
  Result<Order> AnswerRenewal(int64_t id, int number, bool executed, Millis deadline,
                              const std::string& reason, Millis now);
  Result<std::vector<Renewal>> Renewals(int64_t id);
  // Renewals asked for and not yet answered, oldest first.
  Result<std::vector<Renewal>> PendingRenewals();

  // Marks every order in force whose deadline has passed (and no renewal is pending) `expired`,
  // with its deadline as the time, and gives orders executed before deadlines were kept the law's
  // deadline from their execution. Returns the orders it marked. Cost: an index range.
  Result<std::vector<Order>> Sweep(Millis now);
  // Orders in force whose deadline falls before now + within, soonest first (call Sweep() first
  // so that lapsed ones are marked).
  Result<std::vector<Order>> Due(Millis now, Millis within);

  Result<std::vector<Order>> List(const OrderFilter& filter);
  // The ids of the orders in `status`, ascending (for modules that keep their own records of
  // orders, as the interchange its requests). Cost: an index range.
  Result<std::vector<int64_t>> IdsWithStatus(OrderStatus status);
  // The money frozen per case: its orders' frozen amounts, summed (cases without an order absent).
  Result<std::map<std::string, Fen>> FrozenByCase();
  Result<std::optional<Order>> Get(int64_t id);
  Result<std::vector<Event>> History(int64_t id);

 private:
  Result<Order> Require(int64_t id);
  // The order, when it is sent; kConflict naming its status otherwise.
  Result<Order> RequireSent(int64_t id, OrderStatus to);
  Status Store(const Order& o);
  Status Record(int64_t id, Millis at, OrderStatus status, Fen amount, const std::string& note);
  store::SqlDatabase& db_;
};

// An order as the CLI (--json) and the server answer it.
nlohmann::ordered_json ToJson(const Order& order);
nlohmann::ordered_json ToJson(const Renewal& renewal);
nlohmann::ordered_json ToJson(const Event& event);

// The orders for one institution as a CSV a bank liaison can act on (header first).
std::string OrdersCsv(const std::vector<Order>& orders);

}  // namespace fanzha::freeze
