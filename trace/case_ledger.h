// Tracing a case before its transfers are in the ledger.
//
// A report brings the victim's payments and the first mule hops; rebuilding a ledger of 10M
// transfers to include them takes seconds, and the freeze orders should be out in less than one.
// CaseLedger() gives the ledger to trace a case on, given transfers stored since the ledger was
// built (`extra`): the ledger itself when they cannot change the case's answer, else a small
// ledger extracted from it (Ledger::Extract) with the whole history of every account the case's
// money reaches. Either way, tracing the case on it gives the same answer as on the ledger
// rebuilt with `extra` (checked against a rebuild on random ledgers in case_ledger_test.cc).
#pragma once

#include <memory>
#include <vector>

#include "core/model.h"
#include "core/status.h"
#include "ledger/ledger.h"
#include "trace/trace.h"

namespace fanzha::trace {

struct CaseLedger {
  std::shared_ptr<const ledger::Ledger> ledger;
  // The options to trace with: the caller's, with the horizon set to the end of all the data
  // (the ledger and `extra`) when the caller left it open.
  Options options;
};

// Errors: those of SeedsOfCase (a listed transfer in neither the ledger nor `extra`) and Trace.
// Cost: one trace when `extra` touches no account the case's money reaches; otherwise about one
// trace and one extract of the reached accounts' histories per hop of the money.
Result<CaseLedger> LedgerForCase(std::shared_ptr<const ledger::Ledger> ledger,
                                 const std::vector<Transfer>& extra, const Case& c,
                                 const Options& options);

}  // namespace fanzha::trace
