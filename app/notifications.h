// Notifications (通知): what a user should act on now, pushed to the dashboard as server-sent
// events (GET /api/notifications/stream) and read whole by GET /api/notifications and
// `fanzha notifications`, so that every skin shows the same list.
//
// What each role is told (a user sees only what its scope lets it see elsewhere):
//  - centre, investigator: freeze orders in force for cases of its region whose legal clock runs
//    out within Rules::order_within (kind "order_due"); leads pushed to its region and overdue
//    (kind "lead_overdue");
//  - bank: orders sent to its institution and not answered yet ("order_unanswered"), and its
//    orders in force whose clock runs out within order_within ("order_due");
//  - hotline, centre: open warnings of its region scoring at least Rules::warning_score whose
//    last event is within Rules::warning_within, as one notice with their count ("warnings"): a
//    notice names no person, so that pushing it is not a read of the warnings (the hotline's
//    queue, which is audited, names them);
//  - auditor: none.
// Each notice: {"key", "kind", "at", "href", "text", "text_zh"}. `key` stays the same while the
// notice stands ("order_due:12", "lead_overdue:3", "warnings:330100"), so that a page can tell a
// new one from one already seen; `at` is the deadline (orders, leads) or the newest event
// (warnings); `href` the dashboard page that deals with it. The list: {"count", "notices"},
// the most urgent (earliest `at`) first, warnings first of all; `count` counts them all, `notices`
// holds at most NoticeRules::max_notices of them (a national centre may have thousands of overdue
// leads: the bell shows the first, the leads page has them all).
//
// Threads: none of its own; the caller holds whatever guards `store`. Reads only.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "auth/auth.h"
#include "core/status.h"
#include "core/time.h"
#include "store/store.h"

namespace fanzha::app {

struct NoticeRules {
  Millis order_within = 6 * 3600 * 1000;  // the orders page's "clock runs out soon"
  int warning_score = 80;                 // a warning the hotline must call about first
  Millis warning_within = 24 * 3600 * 1000;
  size_t max_notices = 100;  // in the list; the count counts all
};

struct Notice {
  std::string key, kind;
  Millis at = 0;
  std::string href, text, text_zh;
};

struct Notices {
  int64_t count = 0;            // all the notices of the user
  std::vector<Notice> notices;  // the most urgent, at most max_notices
};

// The notices of `user` at `now`, most urgent first. Errors: kIoError from the store.
// Cost: the orders due and unanswered (index ranges), the overdue leads, the region's open
// warnings.
Result<Notices> NoticesFor(store::Store& store, const auth::User& user, Millis now,
                           const NoticeRules& rules = {});

nlohmann::ordered_json ToJson(const Notices& notices);

}  // namespace fanzha::app
