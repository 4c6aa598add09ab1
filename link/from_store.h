// Linking the cases of a store: stored cases become LinkCases (narratives through NormaliseText),
// and each case's traced money becomes its CaseMoney. Thread-compatible (like the Store).
#pragma once

#include <optional>
#include <vector>

#include "core/model.h"
#include "core/status.h"
#include "ledger/ledger.h"
#include "link/link.h"
#include "store/store.h"
#include "trace/trace.h"

namespace fanzha::link {

// A stored case as linking sees it: identifiers' normalised values (invalid ones keep their cleaned
// raw text), the narrative normalised (NFKC, Traditional -> Simplified), loss 0 when absent.
LinkCase ToLinkCase(const Case& c);

// Where the traced money of one case went: every account a flow of the trace brought its money to,
// with the amounts (summed per account by the Linker), except exits (merchant, platform, exchange
// accounts and cash withdrawals). seed_fen is the trace's seed total.
CaseMoney MoneyOf(const std::string& case_id, const trace::Answer& answer);

struct StoreLinkOptions {
  Options link;
  bool money = true;             // trace each case that lists payments (needs the ledger)
  trace::Options trace;          // fifo, 8 hops by default
};

struct StoreLinkResult {
  Linker linker;
  int64_t traced = 0;     // cases whose money was traced
  int64_t untraced = 0;   // cases with payments that could not be traced (missing transfers)
};

// Reads every case of the store (and, with options.money, its ledger and each case's trace) and
// links them in bulk. O(cases * identifiers + traces). Errors: the store's read errors.
Result<StoreLinkResult> LinkStore(store::Store& store, const StoreLinkOptions& options);

}  // namespace fanzha::link
