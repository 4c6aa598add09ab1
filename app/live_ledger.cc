#include "app/live_ledger.h"

#include <chrono>
#include <cstdio>

namespace fanzha::app {

Result<std::unique_ptr<LiveLedger>> LiveLedger::Load(store::Store& store, std::string db_path) {
  std::unique_ptr<LiveLedger> live(new LiveLedger(std::move(db_path)));
  FANZHA_ASSIGN_OR_RETURN(std::unique_ptr<ledger::Ledger> loaded, ledger::Ledger::Load(store));
  WriterLock lock(live->mu_);
  live->ledger_ = std::move(loaded);
  live->pending_ = std::make_shared<const std::vector<Transfer>>();
  return live;
}

LiveLedger::~LiveLedger() { Stop(); }

LiveLedger::Snapshot LiveLedger::Current() const {
  ReaderLock lock(mu_);
  return {ledger_, pending_, version_};
}

void LiveLedger::Add(std::vector<Transfer> added) {
  if (added.empty()) return;
  {
    WriterLock lock(mu_);
    auto more = std::make_shared<std::vector<Transfer>>(*pending_);
    more->insert(more->end(), std::make_move_iterator(added.begin()),
                 std::make_move_iterator(added.end()));
    pending_ = std::move(more);
    ++version_;
  }
  Rebuild();
}

void LiveLedger::Rebuild() {
  MutexLock lock(rebuild_mu_);
  rebuild_wanted_ = true;
  if (rebuilding_ || stopping_) return;          // a running rebuilder loops once more
  if (rebuilder_.joinable()) rebuilder_.join();  // it has finished: it cleared `rebuilding_`
  rebuilding_ = true;
  rebuilder_ = std::thread([this] { RebuildUntilCurrent(); });
}

// Loads the ledger again from the store (a connection of its own), then swaps it in and drops the
// pending transfers it now holds: those added before the load began (a transfer is stored before
// it is added to `pending_`).
void LiveLedger::RebuildUntilCurrent() {
  for (;;) {
    {
      MutexLock lock(rebuild_mu_);
      if (!rebuild_wanted_ || stopping_) {
        rebuilding_ = false;
        return;
      }
      rebuild_wanted_ = false;
    }
    const size_t taken = Current().pending->size();
    Result<std::unique_ptr<ledger::Ledger>> fresh =
        [&]() -> Result<std::unique_ptr<ledger::Ledger>> {
      FANZHA_ASSIGN_OR_RETURN(auto reader, store::Store::Open(db_path_));
      return ledger::Ledger::Load(*reader);
    }();
    if (!fresh.ok()) {  // traces stay exact through `pending_`; say so and stop trying
      std::fprintf(stderr, "fanzha: ledger rebuild failed, new transfers stay pending: %s\n",
                   fresh.status().message().c_str());
      MutexLock lock(rebuild_mu_);
      rebuilding_ = false;
      return;
    }
    WriterLock lock(mu_);
    ledger_ = std::move(*fresh);
    pending_ =
        std::make_shared<const std::vector<Transfer>>(pending_->begin() + taken, pending_->end());
    ++version_;
  }
}

void LiveLedger::Watch(Millis every, std::function<bool()> tick) {
  MutexLock lock(rebuild_mu_);
  if (watcher_.joinable() || stopping_ || every <= 0) return;
  watcher_ = std::thread([this, every, tick = std::move(tick)] { WatchLoop(every, tick); });
}

void LiveLedger::WatchLoop(Millis every, const std::function<bool()>& tick) {
  for (;;) {
    {
      MutexLock lock(rebuild_mu_);
      if (!stopping_) stop_watching_.WaitFor(rebuild_mu_, std::chrono::milliseconds(every));
      if (stopping_) return;
    }
    if (tick()) Rebuild();
  }
}

void LiveLedger::Follow(std::unique_ptr<store::TransferFeed> feed, int64_t own, Fetch fetch) {
  MutexLock lock(rebuild_mu_);
  if (follower_.joinable() || stopping_ || !feed) return;
  feed_ = std::move(feed);
  follower_ =
      std::thread([this, own, fetch = std::move(fetch)] { FollowLoop(feed_.get(), own, fetch); });
}

bool LiveLedger::Stopping() {
  MutexLock lock(rebuild_mu_);
  return stopping_;
}

void LiveLedger::FollowLoop(store::TransferFeed* feed, int64_t own, const Fetch& fetch) {
  constexpr int kWaitMs = 200;                 // how long Stop() may wait for the follower
  std::unique_ptr<store::TransferFeed> again;  // the feed listened to again after a loss
  while (!Stopping()) {
    if (!feed) {  // lost: listen again, then rebuild for what came meanwhile
      std::this_thread::sleep_for(std::chrono::milliseconds(kWaitMs));
      Result<std::unique_ptr<store::TransferFeed>> listened = store::TransferFeed::Listen(db_path_);
      if (!listened.ok()) continue;
      again = std::move(*listened);
      feed = again.get();
      std::fprintf(stderr, "fanzha: following the store's transfers again\n");
      Rebuild();
      continue;
    }
    Result<std::vector<store::TransferFeed::Notice>> notices = feed->Wait(kWaitMs);
    if (!notices.ok()) {
      std::fprintf(stderr, "fanzha: %s; listening again, then rebuilding the ledger\n",
                   notices.status().message().c_str());
      feed = nullptr;
      continue;
    }
    for (const store::TransferFeed::Notice& n : *notices) {
      if (n.connection == own) continue;
      if (n.too_many) {
        Rebuild();
        continue;
      }
      Result<std::vector<Transfer>> stored = fetch(n.ids);
      if (stored.ok()) {
        Add(std::move(*stored));
      } else {  // traces stay exact once the rebuild has read them
        std::fprintf(stderr, "fanzha: reading transfers another node stored: %s\n",
                     stored.status().message().c_str());
        Rebuild();
      }
    }
  }
}

void LiveLedger::Stop() {
  std::thread done, watching, following;
  {
    MutexLock lock(rebuild_mu_);
    stopping_ = true;
    done = std::move(rebuilder_);
    watching = std::move(watcher_);
    following = std::move(follower_);
  }
  stop_watching_.SignalAll();
  if (watching.joinable()) watching.join();
  if (following.joinable()) following.join();
  if (done.joinable()) done.join();
}

Result<LiveLedger::CaseTrace> LiveLedger::TraceCase(const Case& c,
                                                    const trace::Options& options) const {
  Snapshot now = Current();
  CaseTrace out;
  FANZHA_ASSIGN_OR_RETURN(out.on, trace::LedgerForCase(now.ledger, *now.pending, c, options));
  FANZHA_ASSIGN_OR_RETURN(auto seeds, trace::SeedsOfCase(*out.on.ledger, c));
  FANZHA_ASSIGN_OR_RETURN(out.answer, trace::Trace(*out.on.ledger, seeds, out.on.options));
  return out;
}

}  // namespace fanzha::app
