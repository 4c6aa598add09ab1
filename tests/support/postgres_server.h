// A PostgreSQL server for the tests and benchmarks: Debian's (the newest under
// /usr/lib/postgresql), initialised in a fresh folder under /tmp, listening on a Unix socket in
// that folder only (no TCP), fsync off; run as the postgres user when the process is root (the
// server refuses root). Started on first use, stopped and removed when the process exits; or,
// when FANZHA_TEST_POSTGRES names a folder, the server tests/support/postgres_server.sh started
// there for the whole test run (CTest's fixture `postgres_server`), which is left running.
//
// Module tests run on both backends: CTest runs them a second time with FANZHA_TEST_POSTGRES set
// (fanzha_add_postgres_run in cmake/FanzhaModule.cmake, label `postgres`), and a test opens its
// store at StoreLocation(path) instead of `path`.
#pragma once

#include <memory>
#include <string>

#include "store/postgres_database.h"

namespace fanzha::test_support {

class PostgresServer {
 public:
  // The process's server; null when none is installed or it did not start (`why` says which).
  static PostgresServer* Get(std::string* why = nullptr);

  // A new, empty database of its own ("t<pid>_1", "t<pid>_2", ...): its name.
  Result<std::string> CreateDatabase();
  // A new, empty database and a connection to it.
  Result<std::unique_ptr<store::PostgresDatabase>> NewDatabase();
  // Another connection to database `name`.
  Result<std::unique_ptr<store::PostgresDatabase>> Connect(const std::string& name) const;
  // The URI of database `name` ("postgresql:///name?host=..."), as `--db` takes it.
  std::string Uri(const std::string& name) const;

 private:
  PostgresServer() = default;
  static PostgresServer* Start(std::string* why);
  bool Run(const std::string& command) const;  // a server program, as the postgres user if root
  std::string dir_, bin_;
  int databases_ = 0;
};

// After a kill -9 of a process that used the store at `location`: PostgreSQL ends the killed
// process's sessions (and drops their locks) when it notices their closed sockets, a few
// milliseconds later. Waits (up to 5 s) until no other session uses that database; true when none
// does. Does nothing, true, for a SQLite file.
bool WaitForOtherSessionsToEnd(const std::string& location);
// Rows in `table` of the store at `location`, read on a connection of its own (opening a Store
// would clean up after killed imports); -1 when it cannot be read.
int64_t RowsIn(const std::string& location, const std::string& table);

// Whether this test process runs on PostgreSQL (FANZHA_TEST_POSTGRES is set).
bool TestsOnPostgres();
// Where a test's store lives: `sqlite_path` itself, or, on PostgreSQL, a new database of its own
// on the test server (the same path gives the same database within the process, so a test that
// reopens its store finds what it wrote). Aborts, saying why, when the server cannot be reached.
std::string StoreLocation(const std::string& sqlite_path);

}  // namespace fanzha::test_support
