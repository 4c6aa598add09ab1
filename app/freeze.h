// Freezing a case's money and returning frozen money to its victims: the workflows `fanzha freeze`,
// `fanzha return` and the API's freeze and return routes share, so that each answer is worked out
// once and has one JSON shape whichever skin serves it (docs/API.md). The books themselves
// (freeze::OrderBook, freeze::ReturnBook) own their tables; this layer puts a trace, the store's
// cases and the books together.
//
// Threads: none of its own; the caller holds whatever guards `store` (the server's db_mu) for the
// calls that take one. A change (DraftOrders, RecordReturn) writes in the caller's transaction, so
// that the caller can commit it with its audit entry.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/status.h"
#include "freeze/freeze.h"
#include "freeze/returns.h"
#include "ledger/ledger.h"
#include "store/store.h"
#include "trace/trace.h"

namespace fanzha::app {

// The freeze plan of case `c`: its money traced on `ledger` with `options`, then freeze::MakePlan.
// Errors: those of trace::SeedsOfCase (a listed payment not in the ledger) and trace::Trace.
Result<freeze::Plan> PlanFreeze(const ledger::Ledger& ledger, const Case& c,
                                const trace::Options& options);

// Drafts the plan's orders (each account's holder and institution filled in from the store, then
// freeze::OrderBook::Draft): idempotent, an account already under an open order of the case is
// handed back with created = false.
Result<std::vector<freeze::OrderBook::Drafted>> DraftOrders(store::Store& store, freeze::Plan& plan,
                                                            const freeze::DraftOptions& options,
                                                            Millis now);
// DraftOrders, and `send`: every order it created moved on to `sent` ("sent with the draft"), for
// the bank interchange to carry. In the caller's transaction, as DraftOrders.
Result<std::vector<freeze::OrderBook::Drafted>> DraftOrders(store::Store& store, freeze::Plan& plan,
                                                            const freeze::DraftOptions& options,
                                                            bool send, Millis now);
// {"case", "plan", "orders": [each order (freeze::ToJson) with "created"]}: the answer of `fanzha
// freeze order --json` and of POST /api/cases/{id}/freeze-orders.
nlohmann::ordered_json DraftedJson(const freeze::Plan& plan,
                                   const std::vector<freeze::OrderBook::Drafted>& drafted);

// The money frozen at an account and who may claim it: every executed order there and the cases
// they were made for (one claim per case, however many orders it has there).
struct FrozenAt {
  std::string account;
  Fen frozen = 0;               // the sum of the orders' frozen amounts
  std::vector<int64_t> orders;  // the executed orders, by id
  std::vector<Case> cases;      // the cases of those orders, each once, in order of first order
};
// kNotFound when no executed order holds money at `account` (NothingFrozenAt), or an order names
// an unknown case.
Result<FrozenAt> FindFrozen(store::Store& store, const std::string& account);
Status NothingFrozenAt(const std::string& account);

// A case whose payments are those of every case in `cases`, with no id: the ledger a trace of all
// of them needs is the one this case needs (trace::LedgerForCase, for transfers not yet in the
// ledger).
Case AllPayments(const std::vector<Case>& cases);

// How the money frozen at an account goes back (freeze::PlanReturn, the rules of 2016): the cases
// traced together on `ledger` (a shared default trace, so that the lots say whose money sits in the
// account), a claim per case with its loss (the reported loss, else the sum of its payments) and
// its money traced to the account. Errors: those of the trace and of PlanReturn.
Result<freeze::ReturnPlan> PlanReturn(const ledger::Ledger& ledger, const FrozenAt& frozen);

// The plan's JSON is freeze::ToJson(ReturnPlan): the answer of `fanzha return plan --json` and of
// GET /api/accounts/{account}/return-plan.

// Records the planned return of `plan` over the orders of `frozen` (freeze::ReturnBook::Record).
Result<freeze::StoredReturn> RecordReturn(store::Store& store, const freeze::ReturnPlan& plan,
                                          const FrozenAt& frozen, Millis now);

}  // namespace fanzha::app
