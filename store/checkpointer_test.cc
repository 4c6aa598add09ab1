// The checkpointer (store/checkpointer.h) on a real WAL file: the log is synced ahead by its
// thread, checkpointed by the writer at the mark as SQLite would, and nothing committed is lost.
#include "store/checkpointer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

#include "store/store.h"

namespace fanzha::store {
namespace {

class CheckpointerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "/checkpointer-" + std::to_string(::getpid()) + ".db";
    Remove();
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db_), SQLITE_OK);
    Exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; CREATE TABLE t (x INTEGER)");
  }
  void TearDown() override {
    sqlite3_close(db_);
    Remove();
  }
  void Remove() {
    for (const char* end : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + end);
  }
  void Exec(const std::string& sql) {
    ASSERT_EQ(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db_);
  }
  int64_t WalBytes() {
    std::error_code ec;
    auto n = std::filesystem::file_size(path_ + "-wal", ec);
    return ec ? 0 : static_cast<int64_t>(n);
  }
  std::string path_;
  sqlite3* db_ = nullptr;
};

TEST_F(CheckpointerTest, TheLogIsSyncedAheadAndTheWriterStillCheckpointsAtTheMark) {
  constexpr int kPages = 80;
  auto c = Checkpointer::Start(db_, path_, kPages);
  ASSERT_NE(c, nullptr);
  int64_t largest = 0;
  for (int i = 0; i < 2000; ++i) {
    Exec("INSERT INTO t VALUES (" + std::to_string(i) + ")");
    largest = std::max(largest, WalBytes());
  }
  // The thread is woken every kPages / 8 pages of log; give it the moment the last one needs.
  for (int i = 0; i < 1000 && c->syncs() == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_GT(c->syncs(), 0);
  EXPECT_GT(c->checkpoints(), 0);
  // The log restarts after each checkpoint: it never holds much more than kPages frames (a frame
  // is a page of 4 KiB, SQLite's default, and a 24-byte header), where 2,000 commits without a
  // checkpoint would write 2,000.
  EXPECT_LE(largest, 32 + (kPages + 8) * (4096 + 24)) << largest;
  c.reset();
  sqlite3_stmt* count = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db_, "SELECT count(*), sum(x) FROM t", -1, &count, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(count), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int64(count, 0), 2000);
  EXPECT_EQ(sqlite3_column_int64(count, 1), 1999 * 2000 / 2);
  sqlite3_finalize(count);
}

TEST_F(CheckpointerTest, WithoutItSQLitesOwnCheckpointIsBack) {
  { auto c = Checkpointer::Start(db_, path_, 20); }  // started and stopped
  for (int i = 0; i < 3000; ++i) Exec("INSERT INTO t VALUES (" + std::to_string(i) + ")");
  // SQLite checkpoints at the same mark again, by itself (the log restarts after each).
  EXPECT_LE(WalBytes(), 32 + 28 * (4096 + 24));
}

TEST_F(CheckpointerTest, AStoreOpenedWithItKeepsWhatItCommits) {
  sqlite3_close(db_);
  db_ = nullptr;
  Remove();
  SqliteOptions o;
  o.sync_log_ahead = true;
  {
    auto store = Store::OpenSqlite(path_, o);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ASSERT_TRUE((*store)->sql().Exec("CREATE TABLE kept (x INTEGER)").ok());
    for (int i = 0; i < 500; ++i)
      ASSERT_TRUE((*store)->sql().Exec("INSERT INTO kept VALUES (" + std::to_string(i) + ")").ok());
  }
  auto again = Store::OpenSqlite(path_);
  ASSERT_TRUE(again.ok());
  auto n = (*again)->sql().Prepare("SELECT count(*) FROM kept");
  ASSERT_TRUE(n.ok());
  ASSERT_TRUE(*(*n)->Step());
  EXPECT_EQ((*n)->ColumnInt64(0), 500);
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db_), SQLITE_OK);  // for TearDown
}

}  // namespace
}  // namespace fanzha::store
