// Early warning as a consumer group over NATS JetStream (docs/WARN.md "Several screening
// processes"): a publisher puts each event on the subject of the province of every person it may
// be evidence about; N members share the provinces, each screening its own with a Screener of its
// own, and take over a member's provinces when it stops renewing them.
//
// Subjects: events on `fanzha.events.<province>` ("fanzha.events.440000"; "000000" for people of
// no known region) in stream FANZHA_EVENTS, one durable consumer per province ("warn-440000").
// Group state in stream FANZHA_WARN_GROUP, the last message of each subject kept:
// `fanzha.warngroup.member.<name>` (a heartbeat) and `fanzha.warngroup.lease.<province>` (who
// screens it), taken and renewed by compare-and-set on the subject's last sequence.
//
// What a member promises: every event is screened by the member holding its province; a warning
// line (id, revision) is written once, by the member that stores it first (SaveWarning reports
// whether the store already had it). Members take a province over by reading its events again
// from the stream, up to where the durable consumer had them acknowledged, with nothing written, so
// its people's windows are what the member before had; events it had not acknowledged come again
// and are screened as new. A member acknowledges an event after its warnings are stored.
//
// Threads: one thread per member (Run). Errors: kIoError from NATS or the store; a malformed
// message is skipped (terminated, counted, reported), never fatal.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "interchange/nats.h"
#include "store/store.h"
#include "warn/screener.h"

namespace fanzha::warn {

inline constexpr char kEventStream[] = "FANZHA_EVENTS";
inline constexpr char kGroupStream[] = "FANZHA_WARN_GROUP";

// The subject of the events screened by the partition (province) `partition`.
std::string EventSubject(std::string_view partition);

struct PublishOptions {
  int replicas = 1;                      // copies of the streams kept by a JetStream cluster
  Millis keep = 7LL * 24 * 3600 * 1000;  // how long the stream keeps events (at least a window)
  size_t batch = 4096;                   // events read and published together
  Millis patience = 30000;  // how long NATS errors are tried again (a cluster moving its leaders)
};

struct PublishStats {
  int64_t events = 0;
  int64_t messages = 0;    // an event about two people of different provinces is sent twice
  int64_t duplicates = 0;  // the stream had them already (a publish run again)
};

// Makes the two streams when missing (an operator may make them with other limits).
Status EnsureGroupStreams(interchange::Connection* nats, int replicas, Millis keep);

// Reads events.jsonl from `fd` (`name` in messages) to its end and publishes each event to the
// subjects of its people's provinces, with the message id "<event id>@<province>" (publishing a
// file again adds nothing). The regions of payers known only by account come from
// `account_regions` (may be null: "000000"); members must be given the same. A bad line is
// kInvalidInput naming `name`, the line and the field, with the lines before it published.
Result<PublishStats> PublishEvents(int fd, const std::string& name, interchange::Connection* nats,
                                   const AccountRegions* account_regions,
                                   const PublishOptions& options,
                                   const std::function<void(const PublishStats&)>& progress = {});

struct MemberOptions {
  std::string name;  // unique in the group (default in the CLI: host-pid)
  ScreenOptions screen;
  // A member silent for this long loses its provinces to the others, and an event it had fetched
  // without acknowledging it is delivered again.
  Millis lease = 6000;
  Millis heartbeat = 1000;  // how often a member renews its leases and looks for work
  int batch = 512;          // events fetched at once from a province
  Millis refresh = 2000;    // how often the watchlist is read again from the store
  // Stop once the member has held provinces and found nothing new in them for this long (0:
  // never): a backlog screened, then the member ends.
  Millis stop_when_idle = 0;
  int replicas = 1;            // copies of the streams, when the member makes them
  std::function<bool()> stop;  // asked between batches; true ends Run
};

struct MemberStats {
  int64_t events = 0;               // screened as new
  int64_t replayed = 0;             // read again to take a province over
  int64_t rejects = 0;              // malformed messages skipped
  int64_t lines = 0;                // warning lines written
  int64_t repeats = 0;              // warning lines the store had already (not written again)
  int64_t taken = 0, released = 0;  // provinces taken over and given up
  int64_t list_version = 0;
  // From the stream storing an event to its warnings being stored, over the events screened as
  // new (milliseconds, by this machine's clock against the server's).
  Millis latency_p50 = 0, latency_p99 = 0, latency_max = 0;
  Millis first_at = 0, last_at = 0;  // when the first and the last new event were screened
};

// What a member reports as it works, on its own thread.
struct MemberCallbacks {
  // A warning line the store did not have: write it out.
  std::function<void(const Warning&, const std::string& line)> on_warning;
  // A malformed message ("fanzha.events.440000 #12: line 1: time: ...").
  std::function<void(const std::string&)> on_reject;
  // Provinces taken or given up ("+440000", "-440000").
  std::function<void(const std::string&)> on_partition;
  // A heartbeat that could not be sent (NATS unreachable, a cluster electing its leader): the
  // member tries again at the next; its provinces stay its own for half a lease.
  std::function<void(const Status&)> on_heartbeat_failed;
};

// Joins the group and screens until options.stop() says so. `store` holds the watchlist (read
// again every options.refresh) and receives the warnings; `account_regions` as for the publisher.
Result<MemberStats> RunMember(interchange::Connection* nats, store::Store* store,
                              const AccountRegions* account_regions, const Clock* clock,
                              const MemberOptions& options, const MemberCallbacks& callbacks);

}  // namespace fanzha::warn
