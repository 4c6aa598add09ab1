// An anti-fraud centre's day: the queue of cases to work, and everything that happened to one.
//
// The queue (`fanzha case queue`, GET /api/cases) lists the cases the caller may read, filtered
// and sorted, a page at a time. Each row: {"id", "reported_at", "region", "region_name",
// "category", "category_zh", "loss", "transfers", "stage", "stage_zh", "stage_since", "overdue",
// "officer", "notes", "attachments", "last_worked"}; the page: {"cases": [...], "total": N} where
// total counts every row that passed the filter. "overdue": the clock of the stage the case is at
// ran out (casefile/stages.h).
//
// The timeline (`fanzha case timeline`, GET /api/cases/{id}/timeline) merges, oldest first: the
// report; the traces, statement queries, exports and takedown requests made for the case (from
// the audit log); its moves through the justice process and its suspects; who was given it, the
// notes and the files; its freeze orders and every step of each, the banks' answers included;
// its leads and their feedback; the gang it was linked to. Each event: {"at", "kind", "what",
// "what_zh", "by", "detail", "detail_zh", "ref"} (detail_zh: the detail for a Chinese reader);
// `kind` is one of report, trace, statement, export, stage, suspect, assignment, note, attachment,
// order, lead, takedown, link; `ref` names the record
// ("order 12", "lead 3", "attachment 2", "") so that a page can open it.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "casefile/stages.h"
#include "casefile/work.h"
#include "core/model.h"
#include "core/money.h"
#include "core/status.h"
#include "core/time.h"
#include "store/store.h"

namespace fanzha::app {

// A case as lists show it: {"id", "reported_at", "region", "region_name", "category",
// "category_zh", "loss"} (the first fields of a queue row, and the cases of a profile).
nlohmann::ordered_json CaseHeadJson(const Case& c);

enum class QueueOrder { kNewest, kOldest, kLossHigh, kLossLow, kId, kLastWorked };
// "newest" (the default), "oldest", "loss_desc", "loss_asc", "id", "worked" (the latest worked
// first). kInvalidInput listing them.
Result<QueueOrder> ParseQueueOrder(std::string_view text);

struct QueueFilter {
  std::function<bool(const Case&)> may_read;  // the caller's scope; cases outside it do not exist
  std::string region;                         // a division code: it and the divisions within it
  std::optional<casefile::Stage> stage;
  std::string category;                   // a category key, exactly
  std::optional<Millis> from, to;         // reported at or after `from`, before `to`
  std::optional<Fen> min_loss, max_loss;  // a case without a loss passes neither
  std::optional<std::string> officer;     // who has it; "" for cases nobody has
  bool overdue_only = false;
};

// One page of the queue (see above): `limit` rows from `offset`. Errors: the store's.
// O(cases + moves + work rows) per call: one pass over the cases' headers.
Result<nlohmann::ordered_json> Queue(store::Store& store, const QueueFilter& filter,
                                     QueueOrder order, size_t limit, size_t offset, Millis now);

// Gives case `case_id` to `officer` ("" takes it back), by `by`. The officer must be a user who
// may work the case (auth::CanReadCase); `by` may give any case it may read to anyone when
// `may_assign_others` (a centre, the command line), otherwise only take the case itself or give
// back its own (kForbidden). Errors: casefile::WorkBook::Assign's; kInvalidInput naming `officer`.
struct Assigner {
  std::string name;
  bool may_assign_others = false;
};
Result<casefile::Assignment> AssignCase(store::Store& store, const std::string& case_id,
                                        const std::string& officer, const std::string& note,
                                        const Assigner& by, Millis now);

// The timeline of case `case_id` (see above). kNotFound for an unknown case. Reads the audit
// entries about the case and its orders by index, not the whole log.
Result<nlohmann::ordered_json> Timeline(store::Store& store, const std::string& case_id,
                                        Millis now);

}  // namespace fanzha::app
