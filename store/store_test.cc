#include "store/store.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sodium.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>
#include <vector>

#include "store/postgres_database.h"
#include "store/schema.h"
#include "store/sqlite_database.h"
#include "store/transfer_feed.h"
#include "tests/support/postgres_server.h"

namespace fanzha::store {
namespace {

namespace fs = std::filesystem;
using test_support::StoreLocation;
using test_support::TestsOnPostgres;

// The tests run on SQLite, and again on PostgreSQL (store_test.pg.*): a store is opened where
// StoreLocation() says. A test of SQLite's file itself skips on PostgreSQL.
#define SQLITE_FILE_ONLY() \
  if (TestsOnPostgres()) GTEST_SKIP() << "a test of SQLite's file"

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("fanzha_store_test_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "t.db").string();
    where_ = StoreLocation(path_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<Store> Open() {
    auto s = Store::Open(where_);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return std::move(s).value();
  }

  fs::path dir_;
  std::string path_;   // the SQLite file
  std::string where_;  // where the store is: path_, or a PostgreSQL database's URI
};

Transfer MakeTransfer(std::string id, std::string from, std::string to, Fen amount) {
  Transfer t;
  t.id = std::move(id);
  t.time = 1581093720000;  // 2020-02-08T00:42:00+08:00
  t.from = std::move(from);
  t.to = std::move(to);
  t.amount = amount;
  return t;
}

TEST_F(StoreTest, CreatesAnEmptyStoreAtTheLatestVersion) {
  auto store = Open();
  EXPECT_EQ(store->schema_version(), LatestSchemaVersion());
  auto totals = store->CountTotals();
  ASSERT_TRUE(totals.ok());
  EXPECT_EQ(totals->accounts, 0);
  EXPECT_EQ(totals->transfers, 0);
  EXPECT_EQ(totals->cases, 0);
}

TEST_F(StoreTest, PutsAndGetsEveryRecord) {
  auto store = Open();
  {
    auto imp = store->BeginImport();
    ASSERT_TRUE(imp.ok());
    Account a{"6222021234567890123",   "张三", "工商银行", "451300", AccountKind::kPersonal, 150,
              {{"branch", "来宾分行"}}};
    EXPECT_EQ(*(*imp)->PutAccount(a), PutOutcome::kAdded);
    Transfer t = MakeTransfer("T1", "6228480012345678901", "6222021234567890123", 170000000);
    t.memo = "货款";
    EXPECT_EQ(*(*imp)->PutTransfer(t), PutOutcome::kAdded);
    Transfer w = MakeTransfer("T2", "6222021234567890123", "", 5000);
    w.channel = Channel::kWithdrawal;
    EXPECT_EQ(*(*imp)->PutTransfer(w), PutOutcome::kAdded);
    Case c;
    c.id = "HZ-1";
    c.reported_at = 1581093720000;
    c.loss = 170000000;
    c.victim = {"苏某", "+8613800138000", "6228480012345678901"};
    c.transfers = {"T1"};
    c.identifiers = {{IdentifierType::kPhone, "177 7212 3456", "+8617772123456", true},
                     {IdentifierType::kQq, "abc", "abc", false}};
    EXPECT_EQ(*(*imp)->PutCase(c), PutOutcome::kAdded);
    ASSERT_TRUE((*imp)->Commit().ok());
  }
  store.reset();
  store = Open();
  auto a = store->GetAccount("6222021234567890123");
  ASSERT_TRUE(a.ok() && a->has_value());
  EXPECT_EQ((*a)->holder, "张三");
  EXPECT_EQ((*a)->kind, AccountKind::kPersonal);
  EXPECT_EQ((*a)->opening_balance, 150);
  ASSERT_EQ((*a)->attributes.size(), 1u);
  EXPECT_EQ((*a)->attributes[0].second, "来宾分行");
  auto victim = store->GetAccount("6228480012345678901");  // a placeholder
  ASSERT_TRUE(victim.ok() && victim->has_value());
  EXPECT_EQ((*victim)->kind, AccountKind::kUnknown);
  EXPECT_EQ((*victim)->opening_balance, 0);
  auto t = store->GetTransfer("T1");
  ASSERT_TRUE(t.ok() && t->has_value());
  EXPECT_EQ((*t)->from, "6228480012345678901");
  EXPECT_EQ((*t)->amount, 170000000);
  EXPECT_EQ((*t)->memo, "货款");
  auto w = store->GetTransfer("T2");
  ASSERT_TRUE(w.ok() && w->has_value());
  EXPECT_EQ((*w)->to, "");
  EXPECT_EQ((*w)->channel, Channel::kWithdrawal);
  EXPECT_FALSE(store->GetTransfer("nope")->has_value());
  auto c = store->GetCase("HZ-1");
  ASSERT_TRUE(c.ok() && c->has_value());
  EXPECT_EQ((*c)->victim.phone, "+8613800138000");
  ASSERT_EQ((*c)->identifiers.size(), 2u);
  EXPECT_EQ((*c)->identifiers[0].value, "+8617772123456");
  EXPECT_FALSE((*c)->identifiers[1].valid);
  EXPECT_EQ((*c)->transfers, std::vector<std::string>{"T1"});
  auto hits = store->FindCasesByIdentifier(IdentifierType::kPhone, "+8617772123456");
  ASSERT_TRUE(hits.ok());
  EXPECT_EQ(*hits, std::vector<std::string>{"HZ-1"});

  std::vector<std::string> ids;
  ASSERT_TRUE(
      store->ForEachTransfer([&](const Transfer& t) { ids.push_back(t.id + ":" + t.to); }).ok());
  EXPECT_EQ(ids, (std::vector<std::string>{"T1:6222021234567890123", "T2:"}));
  int cases = 0;
  ASSERT_TRUE(store
                  ->ForEachCase([&](const Case& c) {
                    ++cases;
                    EXPECT_EQ(c.identifiers.size(), 2u);
                  })
                  .ok());
  EXPECT_EQ(cases, 1);
  int accounts = 0;
  ASSERT_TRUE(store->ForEachAccount([&](const Account&) { ++accounts; }).ok());
  EXPECT_EQ(accounts, 2);
  auto totals = store->CountTotals();
  EXPECT_EQ(totals->accounts, 2);
  EXPECT_EQ(totals->transfers, 2);
  EXPECT_EQ(totals->cases, 1);
  EXPECT_EQ(totals->identifiers, 2);
}

TEST_F(StoreTest, SameRecordTwiceIsUnchangedDifferentIsAConflictNamingBoth) {
  auto store = Open();
  auto imp = std::move(store->BeginImport()).value();
  Transfer t = MakeTransfer("T1", "A1", "B1", 100);
  EXPECT_EQ(*imp->PutTransfer(t), PutOutcome::kAdded);
  EXPECT_EQ(*imp->PutTransfer(t), PutOutcome::kUnchanged);
  Transfer other = t;
  other.amount = 200;
  auto r = imp->PutTransfer(other);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kConflict);
  EXPECT_NE(r.status().message().find("amount"), std::string::npos);
  EXPECT_NE(r.status().message().find("1.00"), std::string::npos);
  EXPECT_NE(r.status().message().find("2.00"), std::string::npos);
  // A conflicting transfer naming a new account leaves no placeholder behind.
  Transfer other_to = t;
  other_to.to = "C1";
  EXPECT_EQ(imp->PutTransfer(other_to).status().code(), ErrorCode::kConflict);
  EXPECT_FALSE(store->GetAccount("C1")->has_value());

  Account a{"A1", "x", "", "", AccountKind::kCorporate, 0, {}};
  EXPECT_EQ(*imp->PutAccount(a), PutOutcome::kAdded);  // replaces the placeholder
  EXPECT_EQ(*imp->PutAccount(a), PutOutcome::kUnchanged);
  a.holder = "y";
  auto ra = imp->PutAccount(a);
  EXPECT_EQ(ra.status().code(), ErrorCode::kConflict);
  EXPECT_NE(ra.status().message().find("\"x\""), std::string::npos);
  EXPECT_NE(ra.status().message().find("\"y\""), std::string::npos);

  Case c;
  c.id = "C";
  c.reported_at = 1;
  EXPECT_EQ(*imp->PutCase(c), PutOutcome::kAdded);
  EXPECT_EQ(*imp->PutCase(c), PutOutcome::kUnchanged);
  c.transfers = {"T9"};
  EXPECT_EQ(imp->PutCase(c).status().code(), ErrorCode::kConflict);
  ASSERT_TRUE(imp->Commit().ok());
}

TEST_F(StoreTest, RejectsBrokenTransfers) {
  auto store = Open();
  auto imp = std::move(store->BeginImport()).value();
  EXPECT_EQ(imp->PutTransfer(MakeTransfer("T", "A", "A", 1)).status().code(),
            ErrorCode::kInvalidInput);
  EXPECT_EQ(imp->PutTransfer(MakeTransfer("", "A", "B", 1)).status().code(),
            ErrorCode::kInvalidInput);
  EXPECT_EQ(imp->PutTransfer(MakeTransfer("T", "", "", 1)).status().code(),
            ErrorCode::kInvalidInput);
}

TEST_F(StoreTest, NothingIsVisibleWithoutCommit) {
  auto store = Open();
  {
    auto imp = std::move(store->BeginImport()).value();
    ASSERT_TRUE(imp->PutTransfer(MakeTransfer("T1", "A", "B", 1)).ok());
    EXPECT_EQ(store->BeginImport().status().code(), ErrorCode::kInternal);  // one at a time
  }  // destroyed: rolled back
  EXPECT_FALSE(store->GetTransfer("T1")->has_value());
  EXPECT_EQ(store->CountTotals()->accounts, 0);
  auto imp = store->BeginImport();  // a new one can start
  EXPECT_TRUE(imp.ok());
}

TEST_F(StoreTest, RefusesANewerSchema) {
  {
    auto store = Open();
    ASSERT_TRUE(store->sql()
                    .Exec("UPDATE fanzha_meta SET value = '999' WHERE key = 'schema_version'")
                    .ok());
  }
  auto s = Store::Open(where_);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), ErrorCode::kSchemaMismatch);
  EXPECT_NE(s.status().message().find("newer"), std::string::npos) << s.status().message();
}

TEST_F(StoreTest, RefusesAForeignDatabaseAndLeavesItAlone) {
  {
    auto store = Open();
    ASSERT_TRUE(store->sql().Exec("DROP TABLE fanzha_meta; CREATE TABLE other (x INTEGER)").ok());
  }
  const auto before = TestsOnPostgres() ? 0 : fs::file_size(path_);
  auto s = Store::Open(where_);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), ErrorCode::kSchemaMismatch);
  EXPECT_NE(s.status().message().find("not a fanzha store"), std::string::npos);
  EXPECT_TRUE(s.status().zh().ends_with("：不是 fanzha 数据库（数据库中没有 fanzha 的表）"))
      << s.status().zh();
  if (TestsOnPostgres()) return;
  EXPECT_TRUE(s.status().zh().starts_with(path_)) << s.status().zh();
  EXPECT_EQ(fs::file_size(path_), before);
}

TEST_F(StoreTest, RefusesAFileThatIsNotADatabase) {
  SQLITE_FILE_ONLY();
  std::ofstream(path_) << "id,time,from,to,amount\nT1,2020-02-08,A,B,1\n" << std::string(5000, 'x');
  auto s = Store::OpenSqlite(path_);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), ErrorCode::kSchemaMismatch) << s.status().ToString();
  EXPECT_NE(s.status().message().find("not a SQLite database"), std::string::npos)
      << s.status().message();
}

TEST_F(StoreTest, MigratesAnOlderSchema) {
  SQLITE_FILE_ONLY();
  {  // A version-1 file, as the first release wrote it.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    std::string sql =
        "CREATE TABLE fanzha_meta (key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL);"
        "INSERT INTO fanzha_meta VALUES ('application', 'fanzha'), ('schema_version', '1');" +
        std::string(Migrations()[0].sql) +
        "INSERT INTO accounts VALUES (1, 'A', 0, '', '', '', 'unknown', 0, '');"
        "INSERT INTO transfers VALUES (1, 'T1', 1581093720000, 1, NULL, 100, 1, '', '', '');";
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  auto store = Open();
  EXPECT_EQ(store->schema_version(), LatestSchemaVersion());
  EXPECT_TRUE(store->sql().Exec("SELECT COUNT(*) FROM statement_postings").ok());
  auto t = store->GetTransfer("T1");
  ASSERT_TRUE(t.ok() && t->has_value());
  EXPECT_EQ((*t)->channel, Channel::kWithdrawal);
}

// The migrations as the release with versions 1-13 had them (store/schema.cc then held them all),
// by the SHA-256 of their SQL: composing the list from the modules' schema folders changed no byte.
struct ReleasedMigration {
  int version;
  std::string_view name;
  std::string_view sha256;
};
constexpr ReleasedMigration kReleased[] = {
    {1, "store: accounts, transfers, cases, case identifiers and transfers",
     "b9e76ed36168ba94bfc48044c0b6479d61fa4111f42b031c83794a87b301ea42"},
    {2, "import: bank statement postings",
     "647511035ffebc8bd97404dba95a75f77840e853bddd8c0c17a57bfa5a5a3b6c"},
    {3, "freeze: freeze orders and their history",
     "6321380a6525407517b95e8c8c402fad700c61a4b402b2de64da0494a194aa90"},
    {4, "warn: watchlist entries, warnings and outcomes",
     "49f3470477888c768f7dc10426547421ca9516d64e4a650768bc8425cf01d1da"},
    {5, "dispatch: leads, batches, feedback and takedown requests",
     "90d9bc50f67cc764c104a0c12a9998ba7d57b2d1644260393405370f82823ed5"},
    {6, "auth, audit: users, login sessions and the hash-chained audit log",
     "839f018911b7e5feec10bcdf625329293364b567e71ad07517366add5bbc33d4"},
    {7, "link: clusters of cases and their traced money",
     "24d257ccffb0f104c088309a1975bb72ebbd1a9a778e7741b2934d37c9bb4da7"},
    {8, "import: currencies of transfers and statement postings",
     "01b6a5ba2e3a202fbce4ba64ab39e1901f2e2b1047a4765a737f88d4894a6d81"},
    {9, "auth, audit: disabled users, sessions by user, keyed audit chain",
     "25564c1c289e56067ba78e2296294e3b48484f6a49a51953cc73c0de1e49da5a"},
    {10, "store: imports in bounded transactions, hidden until finished",
     "f0e1f2c7bfbea46f83b6a2b1c06e57726a5ea94024bca246f3c00cd1f70dda4e"},
    {11,
     "freeze: stop-payment, freeze and release orders with documents, the four facts and legal "
     "clocks; renewals; returns and their steps",
     "031a8da338f6e2f4f75b0a7beaa42c7f1b691c218b536b67e54c81934cd16765"},
    {12, "interchange: requests sent to banks, their answers, faults, statement queries",
     "f22e47a257a67eb08901b4787be8c7f8c8bb72a119b2055b34d977526462769f"},
    {13, "bank: requests a bank node answered and the holds it keeps",
     "7fd95f2e73f5d55e15f7e3d327e3834412547c0f2027ce3da1669a1444597816"},
};

std::string Sha256Hex(std::string_view bytes) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  std::string hex(2 * sizeof digest, '0');
  sodium_bin2hex(hex.data(), hex.size() + 1, digest, sizeof digest);
  return hex;
}

// Every schema object of a SQLite file (type, name, table, SQL), by name.
std::vector<std::string> SchemaOf(const std::string& path) {
  sqlite3* db = nullptr;
  std::vector<std::string> out;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db,
                               "SELECT type || ' ' || name || ' on ' || tbl_name || ': ' || "
                               "COALESCE(sql, '') FROM sqlite_master ORDER BY name",
                               -1, &s, nullptr),
            SQLITE_OK);
  while (sqlite3_step(s) == SQLITE_ROW)
    out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
  sqlite3_finalize(s);
  sqlite3_close(db);
  return out;
}

TEST(SchemaTest, TheReleasedMigrationsKeepTheirVersionsNamesAndBytes) {
  auto list = Migrations();
  ASSERT_GE(list.size(), std::size(kReleased));
  for (const ReleasedMigration& r : kReleased) {
    const Migration& m = list[r.version - 1];
    EXPECT_EQ(m.version, r.version);
    EXPECT_EQ(m.name, r.name) << "migration " << r.version;
    EXPECT_EQ(Sha256Hex(m.sql), r.sha256) << "migration " << r.version << " was edited:\n" << m.sql;
  }
  for (size_t i = 0; i < list.size(); ++i) EXPECT_EQ(list[i].version, static_cast<int>(i) + 1);
  EXPECT_EQ(LatestSchemaVersion(), list.back().version);
}

TEST_F(StoreTest, AStoreTheReleasedListCreatedOpensAsItWas) {
  SQLITE_FILE_ONLY();
  std::ifstream in(FANZHA_SOURCE_DIR "/store/testdata/version-13-store.sql");
  std::string dump((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_NE(dump.find("('schema_version','13')"), std::string::npos);
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, dump.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  std::vector<std::string> released = SchemaOf(path_);
  ASSERT_GT(released.size(), 40u);
  {
    auto store = Open();
    ASSERT_TRUE(store);
    EXPECT_EQ(store->schema_version(), LatestSchemaVersion());
  }
  // Nothing it had was touched: no migration of 1-13 ran again (with the released list, none ran).
  std::vector<std::string> opened = SchemaOf(path_);
  for (const std::string& object : released)
    EXPECT_NE(std::find(opened.begin(), opened.end(), object), opened.end()) << object;
  if (LatestSchemaVersion() == 13) {
    EXPECT_EQ(opened, released);
  }
  // And a store created now has the very same schema.
  std::string fresh = (dir_ / "fresh.db").string();
  ASSERT_TRUE(Store::OpenSqlite(fresh).ok());
  EXPECT_EQ(SchemaOf(fresh), opened);
}

TEST_F(StoreTest, SqlWrapperForModuleTables) {
  auto store = Open();
  SqlDatabase& db = store->sql();
  // A module's tables come from its migrations, which each engine reads its own way.
  const std::string notes =
      "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE)";
  ASSERT_TRUE(db.Exec(TestsOnPostgres() ? PostgresDatabase::SchemaFor(notes) : notes).ok());
  {
    auto tx = std::move(SqlTransaction::Begin(&db)).value();
    auto ins = std::move(db.Prepare("INSERT INTO notes (text) VALUES (?)")).value();
    ASSERT_TRUE(ins->Bind(1, "a").Run().ok());
    EXPECT_EQ(db.LastInsertId(), 1);
    EXPECT_EQ(ins->Bind(1, "a").Run().code(), ErrorCode::kConflict);
    ASSERT_TRUE(tx.Commit().ok());
  }
  {
    auto tx = std::move(SqlTransaction::Begin(&db)).value();
    ASSERT_TRUE(db.Exec("INSERT INTO notes (text) VALUES ('b')").ok());
  }  // rolled back
  auto q = std::move(db.Prepare("SELECT COUNT(*), MAX(text) FROM notes")).value();
  ASSERT_TRUE(*q->Step());
  EXPECT_EQ(q->ColumnInt64(0), 1);
  EXPECT_EQ(q->ColumnText(1), "a");
}

// A transaction begun inside another is a savepoint: committed, its writes go with the outer
// transaction (and are undone with it); dropped, only its own writes are undone. An Import nests
// the same way, so a change and the audit entry written beside it commit together.
TEST_F(StoreTest, NestedTransactionsAreSavepoints) {
  auto store = Open();
  SqlDatabase& db = store->sql();
  ASSERT_TRUE(db.Exec("CREATE TABLE notes (text TEXT NOT NULL)").ok());
  auto count = [&] {
    auto q = std::move(db.Prepare("SELECT COUNT(*) FROM notes")).value();
    EXPECT_TRUE(*q->Step());
    return q->ColumnInt64(0);
  };
  {
    auto outer = std::move(SqlTransaction::Begin(&db)).value();
    EXPECT_FALSE(outer.nested());
    ASSERT_TRUE(db.Exec("INSERT INTO notes VALUES ('outer')").ok());
    {
      auto inner = std::move(SqlTransaction::Begin(&db)).value();
      EXPECT_TRUE(inner.nested());
      ASSERT_TRUE(db.Exec("INSERT INTO notes VALUES ('kept')").ok());
      ASSERT_TRUE(inner.Commit().ok());
    }
    {
      auto inner = std::move(SqlTransaction::Begin(&db)).value();
      ASSERT_TRUE(db.Exec("INSERT INTO notes VALUES ('dropped')").ok());
    }
    EXPECT_TRUE(db.InTransaction());
    EXPECT_EQ(count(), 2);
    auto imp = std::move(store->BeginImport()).value();
    ASSERT_TRUE(imp->PutTransfer(MakeTransfer("N1", "A", "B", 100)).ok());
    ASSERT_TRUE(imp->Commit().ok());
    EXPECT_TRUE(db.InTransaction());  // the import's commit left the outer transaction open
  }                                   // the outer one rolls back: everything goes
  EXPECT_EQ(count(), 0);
  EXPECT_EQ(store->CountTotals()->transfers, 0);
  {
    auto outer = std::move(SqlTransaction::Begin(&db)).value();
    {
      auto imp = std::move(store->BeginImport()).value();
      ASSERT_TRUE(imp->PutTransfer(MakeTransfer("N2", "A", "B", 100)).ok());
    }  // the import is dropped: only its writes go
    ASSERT_TRUE(db.Exec("INSERT INTO notes VALUES ('after')").ok());
    auto imp = std::move(store->BeginImport()).value();
    ASSERT_TRUE(imp->PutTransfer(MakeTransfer("N3", "A", "B", 100)).ok());
    ASSERT_TRUE(imp->Commit().ok());
    ASSERT_TRUE(outer.Commit().ok());
  }
  EXPECT_EQ(count(), 1);
  EXPECT_FALSE(store->GetTransfer("N2")->has_value());
  EXPECT_TRUE(store->GetTransfer("N3")->has_value());
}

// Rows in the store's tables, hidden or not (the views hide those of unfinished imports).
int64_t RowsIn(const std::string& where, const char* table) {
  return test_support::RowsIn(where, table);
}

// After a kill -9: PostgreSQL ends the killed process's session a few milliseconds later.
void WaitForKilledSessions(const std::string& where) {
  EXPECT_TRUE(test_support::WaitForOtherSessionsToEnd(where))
      << "the killed process's session did not end";
}

// A child process imports many transfers in one Import and is killed with SIGKILL in the middle;
// the store must then hold none of them (and still open cleanly). A second child commits and is
// killed right after: all of them must be there.
void ChildImport(const std::string& path, int ready_fd, int n, bool commit) {
  auto store = Store::Open(path);
  if (!store.ok()) _exit(1);
  auto imp = std::move((*store)->BeginImport()).value();
  for (int i = 0; i < n; ++i) {
    auto r = imp->PutTransfer(MakeTransfer("K" + std::to_string(i), "A" + std::to_string(i % 97),
                                           "B" + std::to_string(i % 89), 100 + i));
    if (!r.ok()) _exit(2);
    if (!commit && i == n / 2) {
      char c = 'x';
      (void)!write(ready_fd, &c, 1);
    }
  }
  if (commit) {
    if (!imp->Commit().ok()) _exit(3);
    char c = 'x';
    (void)!write(ready_fd, &c, 1);
  }
  pause();
  _exit(0);
}

int64_t KillChildDuringImport(const std::string& path, int n, bool commit) {
  int fds[2];
  EXPECT_EQ(pipe(fds), 0);
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    ChildImport(path, fds[1], n, commit);
  }
  close(fds[1]);
  char c;
  EXPECT_EQ(read(fds[0], &c, 1), 1);
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  close(fds[0]);
  EXPECT_TRUE(WIFSIGNALED(status));
  WaitForKilledSessions(path);
  auto store = Store::Open(path);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  if (!store.ok()) return -1;
  return (*store)->CountTotals()->transfers;
}

SqliteOptions SmallBatches(int64_t rows) {
  SqliteOptions o;
  o.import_batch_rows = rows;
  o.import_batch_ms = 1000000000;  // batches by rows only: the tests know where they end
  o.import_pause_us = 0;
  return o;
}

TEST_F(StoreTest, BatchesStayHiddenUntilTheImportCommits) {
  auto a = std::move(Store::Open(where_, SmallBatches(10))).value();
  auto b = Open();
  auto imp = std::move(a->BeginImport()).value();
  for (int i = 0; i < 100; ++i)  // ten batches, the last committed too: no transaction is open
    ASSERT_TRUE(imp->PutTransfer(
                       MakeTransfer("T" + std::to_string(i), "A", "B" + std::to_string(i % 7), 100))
                    .ok());
  EXPECT_GE(RowsIn(where_, "transfer_rows"), 90);  // nine batches committed...
  EXPECT_EQ(b->CountTotals()->transfers, 0);       // ...and seen by nobody
  EXPECT_EQ(b->CountTotals()->accounts, 0);
  EXPECT_EQ(*b->CountTransfers(), 0);
  EXPECT_FALSE(a->GetTransfer("T3")->has_value());  // not even by the importing Store
  {  // Another writer goes on meanwhile: it does not wait for the import to finish.
    auto other = std::move(b->BeginImport()).value();
    ASSERT_TRUE(other->PutTransfer(MakeTransfer("X1", "A", "C", 5)).ok());  // shares account A
    ASSERT_TRUE(other->Commit().ok());
  }
  EXPECT_EQ(b->CountTotals()->transfers, 1);
  EXPECT_EQ(*b->CountTransfers(), 1);
  ASSERT_TRUE(imp->Commit().ok());
  EXPECT_EQ(b->CountTotals()->transfers, 101);
  EXPECT_EQ(*b->CountTransfers(), 101);
  EXPECT_EQ((*b->GetTransfer("T99"))->to, "B1");
  EXPECT_EQ(RowsIn(where_, "pending_imports"), 0);
}

// An import begun inside a transaction (a report posted with its audit entry) is one savepoint of
// it, whatever its size: no batch of its own is committed, so the caller's rollback takes every row
// away and its commit shows them all, with the import no longer pending.
TEST_F(StoreTest, ANestedImportWritesNoBatchesOfItsOwn) {
  auto a = std::move(Store::Open(where_, SmallBatches(10))).value();
  auto b = Open();
  auto put = [&](const std::string& prefix) {
    auto imp = std::move(a->BeginImport()).value();
    for (int i = 0; i < 50; ++i)  // five batches' worth
      ASSERT_TRUE(imp->PutTransfer(MakeTransfer(prefix + std::to_string(i), "A", "B", 100)).ok());
    ASSERT_TRUE(imp->PutAccount(Account{"A", "张三", "", "", AccountKind::kPersonal, 0, {}}).ok());
    EXPECT_FALSE(a->GetTransfer(prefix + "0")->has_value());  // hidden until the import commits
    ASSERT_TRUE(imp->Commit().ok());
    EXPECT_TRUE(a->GetTransfer(prefix + "0")->has_value());  // then seen by its transaction
  };
  {
    auto outer = std::move(SqlTransaction::Begin(&a->sql())).value();
    put("R");
    EXPECT_EQ(*a->CountTransfers(), 50);
    EXPECT_EQ(*b->CountTransfers(), 0);  // nothing committed yet, not even hidden batches
  }                                      // rolled back
  EXPECT_EQ(RowsIn(where_, "transfer_rows"), 0);
  EXPECT_EQ(RowsIn(where_, "pending_imports"), 0);
  EXPECT_EQ(a->CountTotals()->accounts, 0);
  {
    auto outer = std::move(SqlTransaction::Begin(&a->sql())).value();
    put("C");
    ASSERT_TRUE(outer.Commit().ok());
  }
  EXPECT_EQ(b->CountTotals()->transfers, 50);
  // An upper bound: PostgreSQL's sequences do not roll back with the transfers of "R".
  EXPECT_EQ(*b->CountTransfers(), TestsOnPostgres() ? 100 : 50);
  EXPECT_EQ((*b->GetAccount("A"))->holder, "张三");
  EXPECT_EQ(RowsIn(where_, "pending_imports"), 0);
  EXPECT_EQ(RowsIn(where_, "account_fills"), 0);
}

TEST_F(StoreTest, AnAbandonedImportIsRemovedAndOthersAreUntouched) {
  auto a = std::move(Store::Open(where_, SmallBatches(7))).value();
  {
    auto first = std::move(a->BeginImport()).value();
    ASSERT_TRUE(first->PutTransfer(MakeTransfer("KEEP", "A", "B", 1)).ok());
    ASSERT_TRUE(first->Commit().ok());
  }
  {
    auto imp = std::move(a->BeginImport()).value();
    for (int i = 0; i < 50; ++i)
      ASSERT_TRUE(
          imp->PutTransfer(MakeTransfer("T" + std::to_string(i), "A", "N" + std::to_string(i), 1))
              .ok());
    Case c;
    c.id = "C1";
    c.transfers = {"T1"};
    c.identifiers = {{IdentifierType::kPhone, "x", "+8613800138000", true}};
    ASSERT_TRUE(imp->PutCase(c).ok());
  }  // destroyed without Commit: batches were committed, and are removed
  EXPECT_EQ(RowsIn(where_, "transfer_rows"), 1);
  EXPECT_EQ(RowsIn(where_, "account_rows"), 2);  // A and B; none of the N accounts
  EXPECT_EQ(RowsIn(where_, "case_rows"), 0);
  EXPECT_EQ(RowsIn(where_, "case_identifier_rows"), 0);
  EXPECT_EQ(RowsIn(where_, "pending_imports"), 0);
  EXPECT_TRUE(a->GetTransfer("KEEP")->has_value());
}

TEST_F(StoreTest, TwoImportsAtOnceShareAccountsButNotRecords) {
  auto a = std::move(Store::Open(where_, SmallBatches(1))).value();
  auto b = std::move(Store::Open(where_, SmallBatches(1))).value();
  auto ia = std::move(a->BeginImport()).value();
  auto ib = std::move(b->BeginImport()).value();  // a began, but holds no transaction
  ASSERT_TRUE(ia->PutTransfer(MakeTransfer("T1", "MULE", "CASHOUT", 100)).ok());  // one batch
  // The same transfer from the other import: it is being written, so it cannot be compared yet.
  auto same = ib->PutTransfer(MakeTransfer("T1", "MULE", "CASHOUT", 100));
  EXPECT_EQ(same.status().code(), ErrorCode::kConflict);
  EXPECT_NE(same.status().message().find("another import"), std::string::npos);
  EXPECT_NE(same.status().zh().find("另一导入任务"), std::string::npos);
  EXPECT_NE(same.status().zh().find("交易 \"T1\" 正由另一导入任务"), std::string::npos)
      << same.status().zh();
  // An account both only name is shared: the second import's transfer can refer to it.
  ASSERT_TRUE(ib->PutTransfer(MakeTransfer("T9", "VICTIM", "MULE", 50)).ok());
  ASSERT_TRUE(ib->Commit().ok());
  ia.reset();  // the first import fails: its rows go, the shared account stays
  auto t9 = b->GetTransfer("T9");
  ASSERT_TRUE(t9.ok() && t9->has_value());
  EXPECT_EQ((*t9)->to, "MULE");
  EXPECT_FALSE(b->GetTransfer("T1")->has_value());
  EXPECT_FALSE(b->GetAccount("CASHOUT")->has_value());
  EXPECT_EQ(b->CountTotals()->accounts, 2);
}

TEST_F(StoreTest, DeclaringAPlaceholderShowsOnlyAtCommit) {
  auto store = std::move(Store::Open(where_, SmallBatches(2))).value();
  {
    auto imp = std::move(store->BeginImport()).value();
    ASSERT_TRUE(imp->PutTransfer(MakeTransfer("T1", "A", "B", 100)).ok());
    ASSERT_TRUE(imp->Commit().ok());
  }
  auto imp = std::move(store->BeginImport()).value();
  Account a;
  a.id = "A";
  a.holder = "张三";
  a.kind = AccountKind::kPersonal;
  for (int i = 0; i < 5; ++i) {
    Account other = a;
    other.id = "P" + std::to_string(i);
    ASSERT_TRUE(imp->PutAccount(other).ok());
  }
  ASSERT_EQ(*imp->PutAccount(a), PutOutcome::kAdded);
  ASSERT_EQ(*imp->PutAccount(a), PutOutcome::kUnchanged);  // twice in one file
  a.holder = "李四";
  EXPECT_EQ(imp->PutAccount(a).status().code(), ErrorCode::kConflict);
  EXPECT_EQ((*store->GetAccount("A"))->holder, "");  // still the placeholder
  ASSERT_TRUE(imp->Commit().ok());
  EXPECT_EQ((*store->GetAccount("A"))->holder, "张三");
  EXPECT_EQ((*store->GetAccount("A"))->kind, AccountKind::kPersonal);
  EXPECT_EQ(store->CountTotals()->accounts, 7);
}

// A child imports in many small batches and is killed in the middle, with batches committed: the
// rows are in the file but hidden, a writer beside it is not held up, and the next open removes
// them.
TEST_F(StoreTest, KilledBatchedImportIsHiddenThenCleanedAtNextOpen) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    auto store = Store::Open(where_, SmallBatches(500));
    if (!store.ok()) _exit(1);
    auto imp = std::move((*store)->BeginImport()).value();
    for (int i = 0; i < 20000; ++i) {
      if (!imp->PutTransfer(MakeTransfer("K" + std::to_string(i), "A" + std::to_string(i % 97),
                                         "B" + std::to_string(i % 89), 100 + i))
               .ok())
        _exit(2);
    }
    char c = 'x';
    (void)!write(fds[1], &c, 1);
    pause();
    _exit(0);
  }
  close(fds[1]);
  char c;
  ASSERT_EQ(read(fds[0], &c, 1), 1);
  {  // The import is alive and unfinished: hidden, and the store is writable beside it.
    auto store = Open();
    EXPECT_EQ(store->CountTotals()->transfers, 0);
    EXPECT_GE(RowsIn(where_, "transfer_rows"), 19500);
    auto imp = std::move(store->BeginImport()).value();  // does not remove the live import's rows
    ASSERT_TRUE(imp->PutTransfer(MakeTransfer("BESIDE", "A1", "Z", 1)).ok());
    ASSERT_TRUE(imp->Commit().ok());
    EXPECT_GE(RowsIn(where_, "transfer_rows"), 19501);
  }
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  close(fds[0]);
  WaitForKilledSessions(where_);
  EXPECT_EQ(RowsIn(where_, "pending_imports"), 1);
  auto store = Open();  // finds the import dead and removes its rows
  EXPECT_EQ(RowsIn(where_, "transfer_rows"), 1);
  EXPECT_EQ(RowsIn(where_, "pending_imports"), 0);
  EXPECT_EQ(store->CountTotals()->transfers, 1);
  EXPECT_EQ(store->CountTotals()->accounts, 2);  // A1 (shared, made visible) and Z
}

TEST_F(StoreTest, KillDuringImportLeavesNothing) {
  // PostgreSQL takes a round trip per row: fewer rows, the same protocol.
  const int n = TestsOnPostgres() ? 4000 : 50000;
  EXPECT_EQ(KillChildDuringImport(where_, 4 * n, /*commit=*/false), 0);
  EXPECT_EQ(KillChildDuringImport(where_, n, /*commit=*/true), n);
  EXPECT_EQ(KillChildDuringImport(where_, 4 * n, /*commit=*/false), n);
}

}  // namespace
}  // namespace fanzha::store

namespace fanzha::store {
namespace {

// The notices a feed gives within a second.
std::vector<TransferFeed::Notice> Notices(TransferFeed& feed) {
  std::vector<TransferFeed::Notice> all;
  for (int i = 0; i < 10; ++i) {
    auto got = feed.Wait(100);
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    if (!got.ok()) break;
    all.insert(all.end(), got->begin(), got->end());
    if (!all.empty() && got->empty()) break;
  }
  return all;
}

TEST_F(StoreTest, AFeedNamesTheTransfersOtherConnectionsCommit) {
  if (!TestsOnPostgres()) {
    EXPECT_EQ(TransferFeed::Listen(where_).status().code(), ErrorCode::kInvalidInput);
    return;
  }
  auto writer = Open();
  auto feed = std::move(TransferFeed::Listen(where_)).value();
  {  // committed: named, by the connection that wrote them
    auto imp = std::move(writer->BeginImport()).value();
    ASSERT_TRUE(imp->PutTransfer(MakeTransfer("F1", "A", "B", 100)).ok());
    ASSERT_TRUE(imp->PutTransfer(MakeTransfer("F2", "B", "C", 60)).ok());
    ASSERT_TRUE(imp->Commit().ok());
  }
  auto notices = Notices(*feed);
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0].ids, (std::vector<std::string>{"F1", "F2"}));
  EXPECT_FALSE(notices[0].too_many);
  EXPECT_EQ(notices[0].connection, writer->ConnectionId());
  EXPECT_NE(writer->ConnectionId(), 0);
  {  // nested in a transaction that rolls back: nothing to tell
    auto outer = std::move(SqlTransaction::Begin(&writer->sql())).value();
    auto imp = std::move(writer->BeginImport()).value();
    ASSERT_TRUE(imp->PutTransfer(MakeTransfer("F3", "A", "B", 1)).ok());
    ASSERT_TRUE(imp->Commit().ok());
  }
  {  // only what was new; an import of nothing new tells nothing
    auto imp = std::move(writer->BeginImport()).value();
    ASSERT_TRUE(imp->PutTransfer(MakeTransfer("F1", "A", "B", 100)).ok());
    ASSERT_TRUE(imp->Commit().ok());
  }
  EXPECT_TRUE(Notices(*feed).empty());
  {  // too many to name: reload
    auto imp = std::move(writer->BeginImport()).value();
    for (int i = 0; i < 150; ++i)
      ASSERT_TRUE(imp->PutTransfer(MakeTransfer("G" + std::to_string(i), "A", "B", 1)).ok());
    ASSERT_TRUE(imp->Commit().ok());
  }
  notices = Notices(*feed);
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_TRUE(notices[0].too_many);
}

}  // namespace
}  // namespace fanzha::store

namespace fanzha::store {
namespace {

TEST(StoreLocation, AMessageNeverShowsAPassword) {
  EXPECT_EQ(Store::Shown("postgresql://fanzha:s3cret@db1:5432/fanzha"),
            "postgresql://fanzha@db1:5432/fanzha");
  EXPECT_EQ(Store::Shown("postgres://fanzha@db1/fanzha?password=s3cret&sslmode=require"),
            "postgres://fanzha@db1/fanzha?sslmode=require");
  EXPECT_EQ(Store::Shown("postgresql:///fanzha?host=/run/pg&password=x"),
            "postgresql:///fanzha?host=/run/pg");
  EXPECT_EQ(Store::Shown("postgresql://db1/fanzha?password=x"), "postgresql://db1/fanzha");
  EXPECT_EQ(Store::Shown("/data/user:name@x.db"), "/data/user:name@x.db");  // a file is a file
  EXPECT_EQ(Store::SideFiles("postgresql://fanzha:s3cret@db1/fanzha-prod?sslmode=require"),
            "fanzha-fanzha_prod");
  EXPECT_EQ(Store::SideFiles("/data/centre.db"), "/data/centre.db");
}

}  // namespace
}  // namespace fanzha::store

namespace fanzha::store {
namespace {

// Nodes started together on a new database: each opens it, one migrates, none fails.
TEST_F(StoreTest, StoresOpenedAtOnceOnANewDatabaseMigrateItOnce) {
  constexpr int kOpeners = 4;
  std::vector<std::thread> openers;
  std::vector<Status> opened(kOpeners);
  std::vector<int> versions(kOpeners, 0);
  for (int i = 0; i < kOpeners; ++i) {
    openers.emplace_back([&, i] {
      auto s = Store::Open(where_);
      opened[i] = s.status();
      if (s.ok()) versions[i] = (*s)->schema_version();
    });
  }
  for (auto& t : openers) t.join();
  for (int i = 0; i < kOpeners; ++i) {
    EXPECT_TRUE(opened[i].ok()) << opened[i].ToString();
    EXPECT_EQ(versions[i], LatestSchemaVersion());
  }
  EXPECT_EQ(RowsIn(where_, "fanzha_meta"), 3);  // application, version, last import id: once
}

}  // namespace
}  // namespace fanzha::store
