// app/live_ledger.h: transfers added count in traces at once and a rebuild takes them in with the
// same answer; transfers stored by another connection come in when the watcher's tick says so.
#include "app/live_ledger.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "import/store_fixture.h"
#include "tests/support/postgres_server.h"

namespace fanzha::app {
namespace {

class LiveLedgerTest : public import::StoreFixture {
 protected:
  // Where the fixture's store is (a SQLite file, or its database on PostgreSQL).
  std::string Db() const { return test_support::StoreLocation((dir_ / "t.db").string()); }
  // Imports transfers.csv rows (after the header) through `store`.
  void Store(store::Store& store, const std::string& name, const std::string& rows) {
    std::string path = Write(name, "id,time,from,to,amount,channel,memo\n" + rows);
    import::Options o;
    o.progress = false;
    ASSERT_TRUE(import::ImportFiles(store, {path}, o).status.ok());
  }
  // Waits (up to 30 s) until `done` holds.
  template <typename Done>
  static bool Eventually(Done done) {
    for (int i = 0; i < 3000 && !done(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return done();
  }
  static Case VictimCase() {
    Case c;
    c.id = "C1";
    c.transfers = {"T1"};
    return c;
  }
};

TEST_F(LiveLedgerTest, AddedTransfersCountAtOnceAndARebuildTakesThemInWithTheSameAnswer) {
  Store(*store_, "a.csv", "T1,2020-02-08T09:00:00+08:00,V,M1,5000.00,transfer,\n");
  auto live = std::move(LiveLedger::Load(*store_, Db())).value();
  EXPECT_EQ(live->Current().ledger->transfer_count(), 1u);

  // The mule pays on: stored, then added, as the server does with a report's transfers.
  Store(*store_, "b.csv", "T2,2020-02-08T09:10:00+08:00,M1,M2,3000.00,transfer,\n");
  const int64_t before = live->Current().version;
  Transfer t2 = std::move(store_->GetTransfer("T2")).value().value();
  live->Add({t2});
  auto pending = live->TraceCase(VictimCase(), {});
  ASSERT_TRUE(pending.ok()) << pending.status().ToString();
  ASSERT_EQ(pending->answer.held.size(), 2u) << "M1 keeps 2,000, M2 holds 3,000";

  ASSERT_TRUE(Eventually([&] { return live->Current().pending->empty(); }));
  LiveLedger::Snapshot now = live->Current();
  EXPECT_EQ(now.ledger->transfer_count(), 2u);
  EXPECT_GT(now.version, before);
  auto rebuilt = live->TraceCase(VictimCase(), {});
  ASSERT_TRUE(rebuilt.ok());
  EXPECT_EQ(trace::ToJson(rebuilt->answer, "C1"), trace::ToJson(pending->answer, "C1"));
}

TEST_F(LiveLedgerTest, TransfersStoredElsewhereComeInWhenTheWatcherSaysTheStoreChanged) {
  Store(*store_, "a.csv", "T1,2020-02-08T09:00:00+08:00,V,M1,5000.00,transfer,\n");
  auto live = std::move(LiveLedger::Load(*store_, Db())).value();
  std::atomic<int> ticks = 0;
  std::atomic<bool> changed = false;
  live->Watch(10, [&] {
    ++ticks;
    return changed.exchange(false);
  });
  auto other = std::move(store::Store::Open(Db())).value();  // another process, say
  Store(*other, "b.csv", "T2,2020-02-08T09:10:00+08:00,M1,M2,3000.00,transfer,\n");
  ASSERT_TRUE(Eventually([&] { return ticks >= 3; }));
  EXPECT_EQ(live->Current().ledger->transfer_count(), 1u) << "no rebuild until a tick says so";
  changed = true;
  ASSERT_TRUE(Eventually([&] { return live->Current().ledger->transfer_count() == 2u; }));
  live->Stop();
  const int after_stop = ticks;
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(ticks, after_stop) << "the watcher stopped";
}

}  // namespace
}  // namespace fanzha::app

namespace fanzha::app {
namespace {

// Several nodes on one PostgreSQL store: transfers another connection stores come in as pending
// as soon as they commit (the store's feed), without a tick; this connection's own are skipped.
TEST_F(LiveLedgerTest, OnASharedStoreOtherNodesTransfersComeInFromTheFeed) {
  if (!test_support::TestsOnPostgres()) GTEST_SKIP() << "a feed needs a store on PostgreSQL";
  Store(*store_, "a.csv", "T1,2020-02-08T09:00:00+08:00,V,M1,5000.00,transfer,\n");
  auto feed = std::move(store::TransferFeed::Listen(Db())).value();
  auto live = std::move(LiveLedger::Load(*store_, Db())).value();
  std::atomic<int> fetched = 0;
  live->Follow(std::move(feed), store_->ConnectionId(),
               [&](const std::vector<std::string>& ids) -> Result<std::vector<Transfer>> {
                 std::vector<Transfer> out;
                 for (const std::string& id : ids) {
                   FANZHA_ASSIGN_OR_RETURN(std::optional<Transfer> t, store_->GetTransfer(id));
                   if (t) out.push_back(*t);
                 }
                 fetched += static_cast<int>(out.size());
                 return out;
               });
  Store(*store_, "own.csv", "T0,2020-02-08T08:00:00+08:00,X,Y,1.00,transfer,\n");  // skipped
  auto other = std::move(store::Store::Open(Db())).value();                        // another node
  Store(*other, "b.csv", "T2,2020-02-08T09:10:00+08:00,M1,M2,3000.00,transfer,\n");
  ASSERT_TRUE(Eventually([&] { return fetched == 1; }));
  auto now = live->TraceCase(VictimCase(), {});
  ASSERT_TRUE(now.ok()) << now.status().ToString();
  EXPECT_EQ(now->answer.held.size(), 2u) << "M1 keeps 2,000, M2 holds 3,000";
  live->Stop();
  EXPECT_EQ(fetched, 1) << "this connection's own transfer is not fetched again";
}

}  // namespace
}  // namespace fanzha::app
