// Linking the cases of a store: stored cases become LinkCases (narratives through NormaliseText),
// and each case's traced money becomes its CaseMoney. Thread-compatible (like the Store).
#pragma once

#include <functional>
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

// Traces the money of one case; an error when its payments are not in the ledger.
using CaseTracer = std::function<Result<trace::Answer>(const Case&)>;

struct StoreLinkOptions {
  Options link;
  bool money = true;     // trace each case that lists payments (needs the ledger)
  trace::Options trace;  // fifo, 8 hops by default
  // How the money of a case is traced (with `trace`); empty: on a ledger loaded from the store,
  // once, and only when a case needs it. A server passes its live ledger here, so that linking
  // never loads a second one.
  CaseTracer tracer;
};

// options.tracer, or (when it is empty) one tracing with options.trace on a ledger loaded from the
// store now. Errors: the ledger's load.
Result<CaseTracer> TracerOf(store::Store& store, const StoreLinkOptions& options);

// `base` with the exit accounts named by cases (merchant, platform and exchange accounts, shared by
// unrelated victims) made generic. Every way of linking a store uses it.
Result<Options> OptionsWithExits(store::Store& store, const Options& base);

struct StoreLinkResult {
  Linker linker;
  int64_t traced = 0;    // cases whose money was traced
  int64_t untraced = 0;  // cases with payments that could not be traced (missing transfers)
};

// Reads every case of the store (and, with options.money, its ledger and each case's trace) and
// links them in bulk. O(cases * identifiers + traces). Errors: the store's read errors.
Result<StoreLinkResult> LinkStore(store::Store& store, const StoreLinkOptions& options);

// ---- Clusters kept in the store (migration "link: clusters of cases and their money") ----
//
// Tables: link_cases (case_id, cluster = the smallest case id of its cluster or its own id when it
// is linked to nothing, money = 1 when its money was traced, linked_at) and link_money (case_id,
// account, fen, seed_fen): the money reach of each traced case, so that later runs never trace a
// case twice. A run rebuilds the Linker from these (bulk: cases + stored money, no tracing), then
// adds the cases not linked yet one at a time (tracing their money, loading the ledger only when
// one of them lists payments), retries the money of cases whose payments were missing before, and
// writes back only the rows that changed, in one transaction. Since bulk == incremental
// (link.h), the stored clusters are the same whatever the order in which cases were imported.
// The money of a case is traced once, on the ledger of that moment: after importing transfers
// that change earlier traces, relink with `rebuild`.

struct StoredLinkReport {
  int64_t cases = 0;     // cases in the store
  int64_t added = 0;     // cases linked by this run (not linked before)
  int64_t traced = 0;    // cases whose money this run traced
  int64_t untraced = 0;  // cases with payments not (yet) in the ledger
  int64_t changed = 0;   // rows of link_cases written (new cases and cases whose cluster changed)
};

// Links what is not linked yet and saves it (see above). With `rebuild`, forgets the stored state,
// traces every case again and rewrites both tables. Returns the Linker (as LinkStore does) and the
// report; rows written are dated `now` (linked_at). Errors: the store's.
Result<StoreLinkResult> UpdateStoredLinks(store::Store& store, const StoreLinkOptions& options,
                                          bool rebuild, Millis now, StoredLinkReport* report);

// The stored clusters of two or more cases, and the cases in them. Reads only.
struct StoredClusterTotals {
  int64_t clusters = 0;
  int64_t linked_cases = 0;
};
Result<StoredClusterTotals> CountStoredClusters(store::SqlDatabase& db);

// The stored cluster of one case: its id (the smallest case id in it), the other cases in it (by
// id) and when the case was linked. nullopt for a case not linked yet. Reads only; index lookups.
struct StoredClusterOfCase {
  std::string cluster;
  std::vector<std::string> others;
  Millis linked_at = 0;
};
Result<std::optional<StoredClusterOfCase>> StoredClusterOf(store::SqlDatabase& db,
                                                           const std::string& case_id);

// What changes whenever the stored clusters may have: the cases in the store, the rows of
// link_cases and the newest linked_at (a relink rewrites every row). A skin that keeps an answer
// made from the stored clusters makes it again when the stamp differs. Reads only; O(cases).
struct StoredLinkStamp {
  int64_t cases = 0;
  int64_t linked = 0;
  Millis last_linked_at = 0;
  bool operator==(const StoredLinkStamp&) const = default;
};
Result<StoredLinkStamp> StampOfStoredLinks(store::Store& store);

}  // namespace fanzha::link
