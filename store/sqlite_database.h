// SqlDatabase over one SQLite connection (internal to store/; use Store::sql()).
#pragma once

#include <sqlite3.h>

#include <memory>
#include <string>

#include "store/store.h"

namespace fanzha::store {

class SqliteDatabase final : public SqlDatabase {
 public:
  // Opens or creates the file. Does not touch its contents (no pragmas that write).
  static Result<std::unique_ptr<SqliteDatabase>> Open(const std::string& path, int busy_timeout_ms);
  ~SqliteDatabase() override;

  Status Exec(std::string_view sql) override;
  Result<std::unique_ptr<SqlStatement>> Prepare(std::string_view sql) override;
  int64_t LastInsertId() const override;
  int64_t Changes() const override;
  Status Begin() override;
  Status BeginRead() override;
  Status Commit() override;
  Status Rollback() override;
  bool InTransaction() const override;

  sqlite3* handle() { return db_; }
  const std::string& path() const { return path_; }
  // A Status for the connection's last error, with `what` as context.
  Status Error(int rc, std::string_view what) const;

 private:
  SqliteDatabase(std::string path, sqlite3* db) : path_(std::move(path)), db_(db) {}
  static int OnBusy(void* self, int attempts);  // sqlite3_busy_handler
  std::string path_;
  sqlite3* db_;
  int busy_timeout_ms_ = 0;
};

}  // namespace fanzha::store
