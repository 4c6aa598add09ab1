// A PostgreSQL server for the tests and benchmarks: Debian's (the newest under
// /usr/lib/postgresql), initialised in a fresh folder under /tmp, listening on a Unix socket in
// that folder only (no TCP), fsync off; run as the postgres user when the process is root (the
// server refuses root). Started on first use, stopped and removed when the process exits.
#pragma once

#include <memory>
#include <string>

#include "store/postgres_database.h"

namespace fanzha::test_support {

class PostgresServer {
 public:
  // The process's server; null when none is installed or it did not start (`why` says which).
  static PostgresServer* Get(std::string* why = nullptr);

  // A new, empty database of its own ("t1", "t2", ...) and a connection to it.
  Result<std::unique_ptr<store::PostgresDatabase>> NewDatabase();
  // Another connection to database `name`.
  Result<std::unique_ptr<store::PostgresDatabase>> Connect(const std::string& name) const;
  // The libpq connection string of database `name`.
  std::string Uri(const std::string& name) const;

 private:
  PostgresServer() = default;
  static PostgresServer* Start(std::string* why);
  bool Run(const std::string& command) const;  // a server program, as the postgres user if root
  std::string dir_, bin_;
  int databases_ = 0;
};

}  // namespace fanzha::test_support
