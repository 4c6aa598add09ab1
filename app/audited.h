// Changing the store with its audit entry: the one way every skin writes (the server's routes, the
// command line, the interchange). A change and its entry commit in ONE transaction or not at all,
// so that a crash at any point leaves both or neither (tests/security kills the server inside every
// kind of change).
//
// Threads: none of its own; the caller holds whatever guards `store`. The chain's new head is
// returned, not published: the caller publishes it (audit::HeadFile) after the commit, as often as
// it likes (the server every audit_head_every, the command line at once).
#pragma once

#include <functional>
#include <vector>

#include "audit/audit.h"
#include "core/status.h"
#include "freeze/orders.h"
#include "store/store.h"

namespace fanzha::app {

// Runs `change` inside a transaction of `store` (a module's own transaction nests in it as a
// savepoint); `change` may complete `entry` (counts, the id it made). Then appends `entry` to the
// chain keyed by `key` and commits both. `before_commit`, when given, runs between the append and
// the commit (a test kills the process there). Returns the entry as stored: the chain's new head.
// Errors: those of `change` (nothing is stored then), of the audit log and of the commit.
Result<audit::Entry> AuditedChange(
    store::Store& store, const audit::Key& key, audit::Entry entry,
    const std::function<Status(audit::Entry&)>& change,
    const std::function<void(const audit::Entry&)>& before_commit = nullptr);

// Marks the freeze orders whose deadline passed `expired` (freeze::OrderBook::Sweep), each with its
// own audit entry ("freeze.expire", no user: the law's clock did it), in one transaction. Every
// skin sweeps before it shows orders, so that what it shows is true now.
struct Swept {
  std::vector<freeze::Order> lapsed;
  audit::Entry head;  // the newest entry appended (id 0 when nothing lapsed)
};
Result<Swept> SweepLapsed(store::Store& store, const audit::Key& key, Millis now);

}  // namespace fanzha::app
