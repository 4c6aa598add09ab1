// Freeze (止付/冻结) and return (返还): from a trace to orders at the institutions holding the
// money, tracked to their outcome, and frozen money split among victims by the legal rules.
//
// Start with MakePlan() (what to freeze, most urgent first), then orders.h (the stop-payment,
// freeze and release orders, their lifecycle and legal clocks), then PlanReturn() (who gets the
// frozen money back) and returns.h (the return's steps).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/status.h"
#include "freeze/orders.h"
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
  // The facts a bank checks before it stops the account: its holder (FillHolders), and the payment
  // by which the traced money first arrived (for a first-layer account, the victim's payment):
  // that transfer's id, its whole amount and its time.
  std::string holder;
  std::string payment_transfer;
  Fen payment_amount = 0;
  Millis payment_time = 0;
};

struct Plan {
  std::string case_id;
  trace::Policy policy = trace::Policy::kFifo;
  Fen seed = 0;
  Fen total = 0;                // sum of the items
  std::vector<PlanItem> items;  // the trace's held order: amount descending, then account
};

// The freeze plan of a traced case. `seed_time` is the time of its first seed payment.
Plan MakePlan(const ledger::Ledger& ledger, const trace::Answer& answer, const std::string& case_id,
              Millis seed_time);
// The same, with the seed time taken from the trace (its first flow is the first seed payment).
Plan MakePlan(const ledger::Ledger& ledger, const trace::Answer& answer,
              const std::string& case_id);
// The plan as the CLI (--json) and the server answer it.
nlohmann::ordered_json ToJson(const Plan& plan);
// Fills each item's holder from the store's accounts (left empty for an account the store knows
// only from transfers). One point lookup per item.
Status FillHolders(store::Store& store, Plan& plan);

// ---- Return -----------------------------------------------------------------------------------

struct Claim {
  std::string case_id;
  Fen loss = 0;         // the victim's reported loss
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
