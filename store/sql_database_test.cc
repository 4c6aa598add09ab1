// The SQL interface (store.h SqlDatabase, SqlStatement, SqlTransaction) keeps one contract on both
// backends: every test below runs on SQLite and on a real PostgreSQL server, started by the test
// itself in a temporary folder, listening on a Unix socket only.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "store/postgres_database.h"
#include "store/schema.h"
#include "store/sqlite_database.h"
#include "tests/support/postgres_server.h"

namespace fanzha::store {
namespace {

namespace fs = std::filesystem;
using test_support::PostgresServer;

// Each test gets two connections to one new database (db_, other_) and the DDL of a key the
// database numbers itself, the one thing the backends spell differently.
class SqlDatabaseTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "sqlite") {
      dir_ = fs::temp_directory_path() / ("fanzha_sql_test_" + std::to_string(::getpid()));
      fs::create_directories(dir_);
      const std::string path = (dir_ / "t.db").string();
      db_ = std::move(SqliteDatabase::Open(path, 1000)).value();
      ASSERT_TRUE(db_->Exec("PRAGMA journal_mode=WAL").ok());
      other_ = std::move(SqliteDatabase::Open(path, 1000)).value();
      numbered_key_ = "id INTEGER PRIMARY KEY";
      return;
    }
    std::string why;
    PostgresServer* server = PostgresServer::Get(&why);
    if (!server) GTEST_SKIP() << why;
    auto db = server->NewDatabase();
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    const std::string name = PQdb((*db)->handle());
    db_ = std::move(db).value();
    auto other = server->Connect(name);
    ASSERT_TRUE(other.ok()) << other.status().ToString();
    other_ = std::move(other).value();
    numbered_key_ = "id BIGSERIAL PRIMARY KEY";
  }
  void TearDown() override {
    other_.reset();
    db_.reset();
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  int64_t Count(SqlDatabase& db, const std::string& table) {
    auto q = std::move(db.Prepare("SELECT COUNT(*) FROM " + table)).value();
    EXPECT_TRUE(*q->Step());
    return q->ColumnInt64(0);
  }

  fs::path dir_;
  std::unique_ptr<SqlDatabase> db_, other_;
  std::string numbered_key_;
};

TEST_P(SqlDatabaseTest, EveryTypeComesBackAsBound) {
  ASSERT_TRUE(db_->Exec("CREATE TABLE t (i BIGINT, s TEXT, b BYTEA, n BIGINT)").ok());
  const std::string bytes("\0\xff\x01 binary'\\x", 13);
  auto ins = std::move(db_->Prepare("INSERT INTO t (i, s, b, n) VALUES (?, ?, ?, ?)")).value();
  ASSERT_TRUE(ins->Bind(1, int64_t{-9007199254740993})
                  .Bind(2, "反诈 'it''s' ?")
                  .BindBlob(3, bytes)
                  .BindNull(4)
                  .Run()
                  .ok());
  EXPECT_EQ(db_->Changes(), 1);
  auto q = std::move(db_->Prepare("SELECT i, s, b, n FROM t WHERE s = ?")).value();
  ASSERT_TRUE(*q->Bind(1, "反诈 'it''s' ?").Step());
  EXPECT_EQ(q->ColumnCount(), 4);
  EXPECT_EQ(q->ColumnInt64(0), -9007199254740993);
  EXPECT_EQ(q->ColumnText(1), "反诈 'it''s' ?");
  EXPECT_EQ(q->ColumnText(2), bytes);
  EXPECT_TRUE(q->ColumnIsNull(3));
  EXPECT_EQ(q->ColumnInt64(3), 0);
  EXPECT_EQ(q->ColumnText(3), "");
  EXPECT_FALSE(*q->Step());
}

TEST_P(SqlDatabaseTest, AQuestionMarkInAStringOrAnIdentifierIsNoPlaceholder) {
  ASSERT_TRUE(db_->Exec("CREATE TABLE \"t?\" (s TEXT)").ok());
  auto ins = std::move(db_->Prepare("INSERT INTO \"t?\" (s) VALUES ('why?' || ?)")).value();
  ASSERT_TRUE(ins->Bind(1, "!").Run().ok());
  auto q = std::move(db_->Prepare("SELECT s FROM \"t?\" WHERE s <> '?' -- a comment?\n")).value();
  ASSERT_TRUE(*q->Step());
  EXPECT_EQ(q->ColumnText(0), "why?!");
}

TEST_P(SqlDatabaseTest, AConflictIsAnErrorTheTransactionSurvives) {
  ASSERT_TRUE(
      db_->Exec("CREATE TABLE notes (" + numbered_key_ + ", text TEXT NOT NULL UNIQUE)").ok());
  auto tx = std::move(SqlTransaction::Begin(db_.get())).value();
  auto ins = std::move(db_->Prepare("INSERT INTO notes (text) VALUES (?)")).value();
  ASSERT_TRUE(ins->Bind(1, "a").Run().ok());
  EXPECT_EQ(db_->LastInsertId(), 1);
  Status again = ins->Bind(1, "a").Run();
  EXPECT_EQ(again.code(), ErrorCode::kConflict) << again.ToString();
  EXPECT_EQ(ins->BindNull(1).Run().code(), ErrorCode::kConflict);  // NOT NULL
  ASSERT_TRUE(ins->Bind(1, "b").Run().ok());
  EXPECT_EQ(db_->LastInsertId(), GetParam() == "sqlite" ? 2 : 4);  // a sequence skips the failed
  ASSERT_TRUE(tx.Commit().ok());
  EXPECT_EQ(Count(*db_, "notes"), 2);
}

TEST_P(SqlDatabaseTest, ChangesCountsTheRowsOfTheLastWrite) {
  ASSERT_TRUE(db_->Exec("CREATE TABLE t (k BIGINT); INSERT INTO t VALUES (1); INSERT INTO t VALUES "
                        "(2); INSERT INTO t VALUES (3)")
                  .ok());
  auto up = std::move(db_->Prepare("UPDATE t SET k = k + 10 WHERE k >= ?")).value();
  ASSERT_TRUE(up->Bind(1, 2).Run().ok());
  EXPECT_EQ(db_->Changes(), 2);
  auto del = std::move(db_->Prepare("DELETE FROM t WHERE k = ?")).value();
  ASSERT_TRUE(del->Bind(1, 99).Run().ok());
  EXPECT_EQ(db_->Changes(), 0);
}

TEST_P(SqlDatabaseTest, NestedTransactionsAreSavepoints) {
  ASSERT_TRUE(db_->Exec("CREATE TABLE notes (text TEXT NOT NULL)").ok());
  {
    auto outer = std::move(SqlTransaction::Begin(db_.get())).value();
    ASSERT_TRUE(db_->Exec("INSERT INTO notes VALUES ('outer')").ok());
    {
      auto inner = std::move(SqlTransaction::Begin(db_.get())).value();
      EXPECT_TRUE(inner.nested());
      ASSERT_TRUE(db_->Exec("INSERT INTO notes VALUES ('kept')").ok());
      ASSERT_TRUE(inner.Commit().ok());
    }
    {
      auto inner = std::move(SqlTransaction::Begin(db_.get())).value();
      ASSERT_TRUE(db_->Exec("INSERT INTO notes VALUES ('dropped')").ok());
    }
    EXPECT_EQ(Count(*db_, "notes"), 2);
    EXPECT_EQ(Count(*other_, "notes"), 0);  // nothing is visible before the commit
    ASSERT_TRUE(outer.Commit().ok());
  }
  EXPECT_EQ(Count(*other_, "notes"), 2);
  {
    auto dropped = std::move(SqlTransaction::Begin(db_.get())).value();
    ASSERT_TRUE(db_->Exec("INSERT INTO notes VALUES ('gone')").ok());
  }
  EXPECT_FALSE(db_->InTransaction());
  EXPECT_EQ(Count(*db_, "notes"), 2);
}

TEST_P(SqlDatabaseTest, AReadTransactionSeesOneSnapshotWhileAnotherConnectionWrites) {
  ASSERT_TRUE(db_->Exec("CREATE TABLE t (k BIGINT); INSERT INTO t VALUES (1)").ok());
  auto read = std::move(SqlTransaction::BeginRead(db_.get())).value();
  EXPECT_EQ(Count(*db_, "t"), 1);
  ASSERT_TRUE(other_->Exec("INSERT INTO t VALUES (2)").ok());
  EXPECT_EQ(Count(*db_, "t"), 1);
  ASSERT_TRUE(read.Commit().ok());
  EXPECT_EQ(Count(*db_, "t"), 2);
}

TEST_P(SqlDatabaseTest, ABadStatementIsAnIoErrorNamingItInBothLanguages) {
  Status st = db_->Exec("SELEC 1");
  EXPECT_EQ(st.code(), ErrorCode::kIoError);
  EXPECT_NE(st.message().find("SELEC 1"), std::string::npos) << st.message();
  EXPECT_NE(st.zh().find("数据库读写失败"), std::string::npos) << st.zh();
  // An unknown table: SQLite says so when preparing, PostgreSQL when running.
  auto q = db_->Prepare("SELECT * FROM nowhere WHERE k = ?");
  Status missing = q.ok() ? (*q)->Bind(1, 1).Step().status() : q.status();
  EXPECT_EQ(missing.code(), ErrorCode::kIoError);
  EXPECT_NE(missing.message().find("nowhere"), std::string::npos) << missing.message();
}

INSTANTIATE_TEST_SUITE_P(Backends, SqlDatabaseTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

// Every migration of every module, as the PostgreSQL backend will run them (SchemaFor), on a real
// server: the schema is one list for both backends.
TEST(PostgresDatabase, EveryMigrationRunsOnPostgreSQL) {
  std::string why;
  PostgresServer* server = PostgresServer::Get(&why);
  if (!server) GTEST_SKIP() << why;
  auto opened = server->NewDatabase();
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  std::unique_ptr<PostgresDatabase> db = std::move(opened).value();
  auto tx = std::move(SqlTransaction::Begin(db.get())).value();
  // What the store creates before its first migration (sqlite_store.cc), then every migration.
  ASSERT_TRUE(
      db->Exec("CREATE TABLE fanzha_meta (key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL)")
          .ok());
  for (const Migration& m : Migrations()) {
    Status st = db->Exec(PostgresDatabase::SchemaFor(m.sql));
    EXPECT_TRUE(st.ok()) << "migration " << m.version << " (" << m.name << "): " << st.ToString();
  }
  ASSERT_TRUE(tx.Commit().ok());
  // A fen amount beyond 32 bits is stored whole: INTEGER became BIGINT.
  auto q = std::move(db->Prepare("SELECT data_type FROM information_schema.columns WHERE "
                                 "table_name = 'transfers' AND column_name = 'amount'"))
               .value();
  ASSERT_TRUE(*q->Step());
  EXPECT_EQ(q->ColumnText(0), "bigint");
}

TEST(PostgresDatabase, SchemaForWidensIntegersAndLeavesQuotesAndCommentsAlone) {
  EXPECT_EQ(PostgresDatabase::SchemaFor(
                "CREATE TABLE t (id INTEGER PRIMARY KEY, n integer NOT NULL, b BLOB, "
                "s TEXT DEFAULT 'INTEGER', points INTEGERS); -- INTEGER"),
            "CREATE TABLE t (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, n BIGINT NOT "
            "NULL, b BYTEA, s TEXT COLLATE \"C\" DEFAULT 'INTEGER', points INTEGERS); -- INTEGER");
  // A column of type TEXT compares as bytes; a column named text keeps its name.
  EXPECT_EQ(PostgresDatabase::SchemaFor("CREATE TABLE n (text TEXT NOT NULL, k TEXT, v TEXT)"),
            "CREATE TABLE n (text TEXT COLLATE \"C\" NOT NULL, k TEXT COLLATE \"C\", v TEXT "
            "COLLATE \"C\")");
}

TEST(PostgresDatabase, PlaceholdersAreNumberedOutsideQuotesAndComments) {
  EXPECT_EQ(PostgresDatabase::NumberPlaceholders("SELECT a FROM t WHERE b = ? AND c IN (?, ?)"),
            "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)");
  EXPECT_EQ(PostgresDatabase::NumberPlaceholders("SELECT '?', \"?\", ? /* ? */ -- ?\n, ?"),
            "SELECT '?', \"?\", $1 /* ? */ -- ?\n, $2");
  EXPECT_EQ(PostgresDatabase::NumberPlaceholders("SELECT 'it''s ?', ?"), "SELECT 'it''s ?', $1");
}

TEST(PostgresDatabase, NoServerIsAnIoErrorInBothLanguages) {
  auto db = PostgresDatabase::Connect("host=/nonexistent-fanzha port=5432 user=x dbname=y");
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), ErrorCode::kIoError);
  EXPECT_NE(db.status().message().find("cannot connect to PostgreSQL"), std::string::npos);
  EXPECT_NE(db.status().zh().find("无法连接 PostgreSQL"), std::string::npos);
}

}  // namespace
}  // namespace fanzha::store
