// The ledger traces run on, kept current while the store changes underneath: what a long-running
// skin (the server, the bank node next) holds instead of loading a ledger per question.
//
// Rebuilding a ledger of 10M transfers takes seconds, and a report's freeze orders must be out in
// less than one. So transfers this process stores are added (Add) to a list of pending ones and
// count in every trace at once (TraceCase: trace::LedgerForCase, the same answer as on a rebuilt
// ledger), while a rebuild on a thread of its own loads the ledger again and swaps it in. Transfers
// another process stores (a `fanzha import` beside the server) are noticed by a watcher the owner
// starts (Watch), which asks for a rebuild when its tick says the store changed.
//
// Threads: every method is thread-safe. A Snapshot is immutable and may be used after the ledger
// moved on. Errors: Load's are the store's; a failed rebuild is reported on stderr and leaves the
// transfers pending (traces stay exact, only slower).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/model.h"
#include "core/mutex.h"
#include "core/status.h"
#include "ledger/ledger.h"
#include "store/store.h"
#include "store/transfer_feed.h"
#include "trace/case_ledger.h"
#include "trace/trace.h"

namespace fanzha::app {

class LiveLedger {
 public:
  // Loads the ledger from `store` (the caller's connection, used only during the call). Rebuilds
  // open a connection of their own to `db_path`, so that the caller's stays free for requests.
  static Result<std::unique_ptr<LiveLedger>> Load(store::Store& store, std::string db_path);
  ~LiveLedger();  // Stop()
  LiveLedger(const LiveLedger&) = delete;
  LiveLedger& operator=(const LiveLedger&) = delete;

  struct Snapshot {
    std::shared_ptr<const ledger::Ledger> ledger;
    std::shared_ptr<const std::vector<Transfer>> pending;  // stored since the ledger was built
    int64_t version;  // up with every change of either: a key for cached answers
  };
  Snapshot Current() const EXCLUDES(mu_);

  // Transfers this process has just stored (committed): they count in traces at once, and a
  // rebuild takes them into the ledger.
  void Add(std::vector<Transfer> added) EXCLUDES(mu_, rebuild_mu_);
  // Asks for a rebuild (after the running one, if any): for transfers stored by another process.
  void Rebuild() EXCLUDES(rebuild_mu_);
  // Calls `tick` every `every` ms on a thread of its own until Stop(); a tick that returns true
  // (the store holds transfers this process did not add) asks for a rebuild. Once.
  void Watch(Millis every, std::function<bool()> tick) EXCLUDES(rebuild_mu_);
  // Follows `feed` (a store that several processes share, store/transfer_feed.h) on a thread of
  // its own until Stop(): the transfers another connection stores are read by `fetch` (by id, on
  // the owner's connection) and added as Add() adds them, as soon as they commit; an import too
  // big to name them asks for a rebuild. Notices of connection `own` are skipped: the owner adds
  // its own transfers. A lost feed is reported on stderr and listened to again (the store's
  // location given to Load), then a rebuild takes in what came meanwhile. Once.
  using Fetch = std::function<Result<std::vector<Transfer>>(const std::vector<std::string>& ids)>;
  void Follow(std::unique_ptr<store::TransferFeed> feed, int64_t own, Fetch fetch)
      EXCLUDES(rebuild_mu_);
  // Stops the watcher and the follower, and waits for a running rebuild. Later Add()s only add to
  // `pending`.
  void Stop() EXCLUDES(rebuild_mu_);

  // Case `c` traced on the current ledger and pending transfers; `on` is the ledger the answer
  // refers to (for freeze plans). Errors: those of trace::LedgerForCase and trace::Trace.
  struct CaseTrace {
    trace::CaseLedger on;
    trace::Answer answer;
  };
  Result<CaseTrace> TraceCase(const Case& c, const trace::Options& options) const;

 private:
  explicit LiveLedger(std::string db_path) : db_path_(std::move(db_path)) {}
  void RebuildUntilCurrent() EXCLUDES(mu_, rebuild_mu_);  // the rebuilder thread's loop
  void WatchLoop(Millis every, const std::function<bool()>& tick) EXCLUDES(rebuild_mu_);
  void FollowLoop(store::TransferFeed* feed, int64_t own, const Fetch& fetch)
      EXCLUDES(mu_, rebuild_mu_);
  bool Stopping() EXCLUDES(rebuild_mu_);

  const std::string db_path_;
  mutable SharedMutex mu_;
  std::shared_ptr<const ledger::Ledger> ledger_ GUARDED_BY(mu_);
  std::shared_ptr<const std::vector<Transfer>> pending_ GUARDED_BY(mu_);
  int64_t version_ GUARDED_BY(mu_) = 1;

  Mutex rebuild_mu_;
  std::thread rebuilder_ GUARDED_BY(rebuild_mu_);
  std::thread watcher_ GUARDED_BY(rebuild_mu_);
  std::thread follower_ GUARDED_BY(rebuild_mu_);
  std::unique_ptr<store::TransferFeed> feed_;  // the follower's, until Stop()
  bool rebuild_wanted_ GUARDED_BY(rebuild_mu_) = false;
  bool rebuilding_ GUARDED_BY(rebuild_mu_) = false;
  bool stopping_ GUARDED_BY(rebuild_mu_) = false;
  CondVar stop_watching_;  // with rebuild_mu_: wakes the watcher to stop
};

}  // namespace fanzha::app
