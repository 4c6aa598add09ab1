// What differs between the database engines under one Store (internal to store/).
//
// The Store itself (store/sql_store.cc) is portable SQL over SqlDatabase: the same tables, views,
// statements and import protocol on every engine. An engine adds only what SQL does not say
// portably: which tables exist, how migrations are kept from running twice at once, how an
// import's liveness is known (an import killed mid-way must be found and removed), and how its
// rows are removed without holding other writers up.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.h"

namespace fanzha::store {

// The longest notice Announce() is given (PostgreSQL takes up to 8000 bytes).
constexpr size_t kMaxNotice = 7000;

class StoreEngine {
 public:
  virtual ~StoreEngine() = default;
  virtual SqlDatabase& db() = 0;
  // Where the store is, for messages: a file's path, or a server's URI without its password.
  virtual const std::string& where() const = 0;
  // The names of the tables there; empty for a new, empty database. kSchemaMismatch when it is not
  // a database at all (a file of something else).
  virtual Result<std::vector<std::string>> TableNames() = 0;
  // Runs once the database is known to be a fanzha store (or empty), before migrating: the
  // engine's settings that write (SQLite's pragmas). The default does nothing.
  virtual Status Prepare() { return Status::Ok(); }
  // Runs first in the migration's transaction: until it commits, no other process migrates.
  virtual Status LockSchema() = 0;
  // A migration as this engine must run it (schema.h: migrations are written as SQLite reads them).
  virtual std::string MigrationSql(std::string_view sql) const = 0;

  // An import's liveness: held by the import's own process until Release() or until the process
  // ends, however it ends. Hold() never blocks (ids are never reused).
  virtual Status HoldImport(int64_t id) = 0;
  // Takes the lock of import `id` when nobody holds it (its import is dead: the caller cleans it,
  // then releases); false when its import is alive or another process is cleaning it.
  virtual bool TryTakeImport(int64_t id) = 0;
  virtual void ReleaseImport(int64_t id) = 0;
  // Tells the processes that follow the store (store/transfer_feed.h) `notice`, when the open
  // transaction commits (at once outside one). The default does nothing: on one machine the
  // server watches Store::CountTransfers() instead.
  virtual Status Announce(std::string_view notice) {
    (void)notice;
    return Status::Ok();
  }
  // The connection's id on its server (PostgreSQL's backend pid), as a Notice names it; 0 on
  // SQLite.
  virtual int64_t ConnectionId() const { return 0; }
  // Removes the rows of import `id` from `table` (a *_rows table with column import_id), in
  // transactions short enough that other writers wait for one at most.
  virtual Status DeleteImportRows(std::string_view table, int64_t id) = 0;
};

// The Store over `engine`: reads the schema version, migrates, removes the rows of killed imports.
// `options`: the import batches (SqliteOptions::import_batch_*; the rest is the engine's).
Result<std::unique_ptr<Store>> OpenSqlStore(std::unique_ptr<StoreEngine> engine,
                                            const SqliteOptions& options);

}  // namespace fanzha::store
