// The SQL interface (store.h SqlDatabase) on its two backends, side by side: what one statement
// costs through it on SQLite (a file, WAL, synchronous NORMAL, as the store opens it) and on
// PostgreSQL (the server tests/support/postgres_server.h starts: a Unix socket, fsync off).
//
//   sql_backends_bench [--rows N] [--backend sqlite|postgresql|both]
//
// For each backend, in a new database: N rows inserted in one transaction through one prepared
// statement (on PostgreSQL each in its own savepoint, as the backend runs every statement inside a
// transaction); N point reads by key outside a transaction, each checked; N/10 inserts of keys that
// exist, each a kConflict the transaction survives. Prints microseconds per statement (wall) and
// exits 1 when a read does not find what was written or a conflict is not one.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "store/postgres_database.h"
#include "store/sqlite_database.h"
#include "tests/support/postgres_server.h"

namespace {

using fanzha::Status;
using fanzha::store::SqlDatabase;
using fanzha::store::SqlTransaction;
using Clock = std::chrono::steady_clock;

double MicrosSince(Clock::time_point start, int64_t n) {
  return std::chrono::duration<double, std::micro>(Clock::now() - start).count() / n;
}

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "sql_backends_bench: %s\n", what.c_str());
  std::exit(1);
}

void Check(const Status& st, const std::string& what) {
  if (!st.ok()) Fail(what + ": " + st.ToString());
}

std::string Key(int64_t i) { return "T" + std::to_string(1000000000 + i); }

void Measure(const char* name, SqlDatabase& db, int64_t rows) {
  Check(db.Exec("CREATE TABLE t (id TEXT NOT NULL PRIMARY KEY, amount BIGINT NOT NULL, memo TEXT)"),
        "create");
  auto insert = std::move(db.Prepare("INSERT INTO t (id, amount, memo) VALUES (?, ?, ?)")).value();
  Clock::time_point start = Clock::now();
  {
    auto tx = std::move(SqlTransaction::Begin(&db)).value();
    for (int64_t i = 0; i < rows; ++i) {
      Check(insert->Bind(1, Key(i)).Bind(2, i * 100 + 1).Bind(3, "转账 memo").Run(), "insert");
    }
    Check(tx.Commit(), "commit");
  }
  const double insert_us = MicrosSince(start, rows);

  auto read = std::move(db.Prepare("SELECT amount, memo FROM t WHERE id = ?")).value();
  start = Clock::now();
  for (int64_t i = 0; i < rows; ++i) {
    auto row = read->Bind(1, Key(i)).Step();
    if (!row.ok() || !*row || read->ColumnInt64(0) != i * 100 + 1 ||
        read->ColumnText(1) != "转账 memo")
      Fail(std::string(name) + ": row " + Key(i) + " does not read back as written");
    read->Reset();
  }
  const double read_us = MicrosSince(start, rows);

  const int64_t conflicts = std::max<int64_t>(1, rows / 10);
  start = Clock::now();
  {
    auto tx = std::move(SqlTransaction::Begin(&db)).value();
    for (int64_t i = 0; i < conflicts; ++i) {
      if (insert->Bind(1, Key(i)).Bind(2, 0).Bind(3, "").Run().code() !=
          fanzha::ErrorCode::kConflict)
        Fail(std::string(name) + ": an existing key is not a conflict");
    }
    Check(tx.Commit(), "commit after conflicts");
  }
  const double conflict_us = MicrosSince(start, conflicts);
  std::printf("%-11s %9lld rows  insert %7.2f us  point read %7.2f us  conflict %7.2f us\n", name,
              static_cast<long long>(rows), insert_us, read_us, conflict_us);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"the SQL interface on SQLite and on PostgreSQL, microseconds per statement"};
  int64_t rows = 100000;
  std::string backend = "both";
  app.add_option("--rows", rows, "rows inserted and read")->capture_default_str();
  app.add_option("--backend", backend, "sqlite | postgresql | both")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  if (backend == "sqlite" || backend == "both") {
    const std::string dir = std::filesystem::temp_directory_path() /
                            ("fanzha_sql_backends_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    {
      auto db = fanzha::store::SqliteDatabase::Open(dir + "/b.db", 1000);
      if (!db.ok()) Fail(db.status().ToString());
      Check((*db)->Exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL"), "pragmas");
      Measure("sqlite", **db, rows);
    }
    std::filesystem::remove_all(dir);
  }
  if (backend == "postgresql" || backend == "both") {
    std::string why;
    auto* server = fanzha::test_support::PostgresServer::Get(&why);
    if (!server) Fail(why);
    auto db = server->NewDatabase();
    if (!db.ok()) Fail(db.status().ToString());
    Measure("postgresql", **db, rows);
  }
  return 0;
}
