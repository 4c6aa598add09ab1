// The hotline's side of early warning (预警劝阻): the queue of whom to call first and the outcome
// of each call, the workflows `fanzha warn queue`/`fanzha warn outcome` and GET /api/warnings and
// POST /api/warnings/{id}/outcome share, so that both answer in one JSON shape and apply the same
// rules. Screening itself is warn/ (warn/warn.h); the tables are warn/store_io.h's.
//
// Threads: none of its own; the caller holds whatever guards `db`. A change writes in the caller's
// transaction, so that the caller can commit it with its audit entry.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/status.h"
#include "core/time.h"
#include "store/store.h"
#include "warn/store_io.h"

namespace fanzha::app {

// {"id", "revision", "person", "region", "score", "last_event_at", "warning": the warning line as
// screened (null when the stored line does not parse)}: one queued warning, in `fanzha warn queue
// --json` (one per line) and GET /api/warnings ({"warnings": [...]}).
nlohmann::ordered_json ToJson(const warn::QueuedWarning& w);

struct OutcomeReport {
  warn::Outcome outcome = warn::Outcome::kReached;
  Fen saved = 0;  // money the call kept from being paid
};
// Reads {"outcome": "reached|dissuaded|already_paid|not_reached", "saved": yuan (optional)}.
// Errors: kInvalidInput naming the field.
Result<OutcomeReport> ParseOutcomeReport(const nlohmann::json& body);

// The answer for a warning that is not open in the caller's queue (unknown, closed, or another
// region's: the same, so that they cannot be told apart): kNotFound, in both languages.
Status NoOpenWarning(const std::string& id, const std::string& region);

// Records the outcome of warning `id`. With a `region` (not ""), the warning must be open in that
// region's queue (warn::RegionQueue: the region and the divisions under it), else NoOpenWarning;
// "" records on any stored warning (kNotFound for an unknown one). O(open warnings of the region).
Status RecordOutcome(store::SqlDatabase& db, const std::string& id, const OutcomeReport& report,
                     const std::string& region, Millis now);

}  // namespace fanzha::app
