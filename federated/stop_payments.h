// Stop-payments as a federated walk finds the money: after each round, every account that holds
// the case's money and has no order yet gets a stop-payment (止付), drafted and moved to `sent` for
// the bank interchange with its audit entry ("freeze.draft") in one transaction. So the money
// found at hop 2 is stopped while hop 5 is still being asked for.
//
// Threads: one walk's; uses the walk's store.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "audit/audit.h"
#include "core/status.h"
#include "freeze/orders.h"
#include "ledger/ledger.h"
#include "store/store.h"
#include "trace/trace.h"

namespace fanzha::federated {

class StopPayments {
 public:
  // `who`: the audit entry's user, role and reason; `mandate`: the document the orders rest on.
  StopPayments(store::Store& store, const audit::Key& key, std::string case_id,
               freeze::Mandate mandate, audit::Entry who)
      : store_(store),
        key_(key),
        case_id_(std::move(case_id)),
        mandate_(std::move(mandate)),
        who_(std::move(who)) {}

  // The orders made for the money `answer` holds at accounts that have none yet (freeze::MakePlan
  // on the round's ledger), already `sent`. Idempotent: an account is stopped once per walk, and
  // an account under an open order of the case is not ordered again (freeze::OrderBook::Draft).
  Result<std::vector<freeze::Order>> AfterRound(const trace::Answer& answer,
                                                const ledger::Ledger& ledger, Millis now);
  // The newest audit entry appended (id 0: none), to publish.
  const audit::Entry& audit_head() const { return head_; }

 private:
  store::Store& store_;
  const audit::Key& key_;
  const std::string case_id_;
  const freeze::Mandate mandate_;
  const audit::Entry who_;
  std::set<std::string> stopped_;
  audit::Entry head_;
};

}  // namespace fanzha::federated
