// Statistics of the store: one JSON document, the same whichever skin serves it (`fanzha stats
// --json`, GET /api/stats; the bank node will be a third). Each module counts its own records
// (store::Store::CountTotals, link::CountStoredClusters, freeze::OrderBook::Totals,
// warn::CountWarnings, dispatch::LeadBook::Totals, takedown::TakedownBook::CountByState,
// casefile::StageBook::Figures); this
// layer only puts them together, so no skin holds SQL or its own idea of a figure.
#pragma once

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "core/time.h"
#include "store/store.h"

namespace fanzha::app {

// The document (keys in this order; money as yuan strings, times RFC 3339; docs/API.md):
//   accounts, transfers, cases, identifiers          counts (the keys fixed by contract)
//   transfer_volume, first_transfer, last_transfer   the transfers in yuan (times when there are
//   any) accounts_by_kind, accounts_only_in_transfers, identifiers_by_type,
//   transfers_in_other_currencies (when there are any), statement_postings
//   link            {linked_cases, clusters}: the stored clusters of two or more cases
//   freeze          {orders, frozen, returned}
//   freeze_orders   {<status>: N}
//   warnings        {warnings, open, dissuaded, already_paid, saved}
//   leads           {leads, batches, answered, overdue, closed, rejected, arrests, solved,
//   recovered} takedowns       {<state>: N}
//   stages          [{region, name, stage, cases_now, overdue_now, longest_now_hours, passed,
//                   mean_wait_hours}]: how long cases wait at each stage of the justice process
//                   (casefile::StageBook::Figures), by region then stage
// `now` decides which leads are overdue. Reads only: the caller holds whatever guards `store`.
// Errors: the store's, with the module that failed named.
Result<nlohmann::ordered_json> Statistics(store::Store& store, Millis now);

}  // namespace fanzha::app
