// Early warning's tables in the store (migration 4, warn/schema/): watchlist entries,
// warnings (the latest revision of each) and the outcomes of the calls that followed.
//
// Threads: like the Store, one thread at a time per SqlDatabase. Errors: kIoError from the store.
#pragma once

#include <string>
#include <vector>

#include "store/store.h"
#include "warn/queue.h"
#include "warn/screener.h"
#include "warn/watchlist.h"

namespace fanzha::warn {

// Reads every stored entry (with its version) into `list`; with `changed_only`, only those changed
// since the list's version (what a running screener reads again: indexes already given stay the
// same entries). O(entries) either way (a scan).
Status LoadWatchlist(store::SqlDatabase& db, Watchlist* list, bool changed_only = false);
// Writes the entries whose version is above `since` (those changed since the list was loaded).
Status SaveWatchlist(store::SqlDatabase& db, const Watchlist& list, int64_t since);

// Loads the stored list, adds what the stored cases carry (entries from cases; manual entries,
// whose source starts with "manual:", are left alone), saves the entries that changed. An unchanged
// case base changes nothing (the version stays). The store's merchant, platform and exchange
// accounts are hubs whatever their count (BuildOptions::generic). Returns the number of entries
// that changed.
Result<int64_t> RefreshWatchlist(store::Store& store, Watchlist* list, const BuildOptions& options);

// Stores a warning line; an older revision never overwrites a newer one, nor the same one again.
// `*written` (optional): whether the store took it (false: it had this revision or a newer one).
Status SaveWarning(store::SqlDatabase& db, const Warning& w, const std::string& body, Millis now,
                   bool* written = nullptr);

// Open warnings (no outcome yet) of a region and of every division under it (region::Covers: a
// province's queue holds its cities' warnings, a city's its districts'; "" holds all), most urgent
// first, at most `limit` (0: all).
Result<std::vector<QueuedWarning>> RegionQueue(store::SqlDatabase& db, const std::string& region,
                                               size_t limit);

// Stored warnings about `value` (an E.164 phone, an account number, a URL: a watchlist entry's
// value): those warning that person, and those that hit an entry with that value. Answered or not;
// the most recent last event first, at most `limit` (0: all). O(warnings): a scan of their bodies.
Result<std::vector<QueuedWarning>> WarningsAbout(store::SqlDatabase& db, const std::string& value,
                                                 size_t limit);

// Records the outcome of a warning's call (several may be recorded; the last one counts).
// kNotFound for an unknown warning id; `saved` must not be negative.
Status RecordOutcome(store::SqlDatabase& db, const std::string& warning_id, Outcome outcome,
                     Fen saved, Millis now);

// The regions of all stored accounts that have one (keyed by AccountKey), for payers known only by
// their account number. O(accounts).
Result<AccountRegions> LoadAccountRegions(store::Store& store);

struct WarnTotals {
  int64_t warnings = 0;
  int64_t open = 0;  // no outcome yet
  int64_t reached = 0, dissuaded = 0, already_paid = 0, not_reached = 0;
  Fen saved = 0;
};
// For `fanzha stats`: counts by the last outcome of each warning, and money saved.
Result<WarnTotals> CountWarnings(store::SqlDatabase& db);

// What figures attribute a warning by (report/): its first event, region and fraud category.
struct WarningFacts {
  std::string id;
  Millis first_event_at = 0;
  std::string region, category;
};
// Every stored warning (its latest revision), by id. O(warnings).
Result<std::vector<WarningFacts>> ListWarningFacts(store::SqlDatabase& db);

}  // namespace fanzha::warn
