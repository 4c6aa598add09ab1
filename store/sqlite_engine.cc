// The Store's engine on a SQLite file: the embedded default for one machine.
#include <memory>
#include <optional>

#include "store/checkpointer.h"
#include "store/import_locks.h"
#include "store/sqlite_database.h"
#include "store/store_engine.h"

namespace fanzha::store {
namespace {

Status NotADatabase(const std::string& path) {
  return Status(ErrorCode::kSchemaMismatch, path + ": not a fanzha store (not a SQLite database)")
      .WithZh(path + "：不是 fanzha 数据库（不是 SQLite 数据库文件）");
}

class SqliteEngine final : public StoreEngine {
 public:
  SqliteEngine(std::unique_ptr<SqliteDatabase> db, const SqliteOptions& options)
      : db_(std::move(db)), options_(options) {}

  SqlDatabase& db() override { return *db_; }
  const std::string& where() const override { return db_->path(); }

  Result<std::vector<std::string>> TableNames() override {
    auto tables = db_->Prepare("SELECT name FROM sqlite_master WHERE type = 'table'");
    if (!tables.ok()) {
      if (tables.status().code() == ErrorCode::kSchemaMismatch) return NotADatabase(where());
      return tables.status();
    }
    std::vector<std::string> names;
    for (;;) {
      Result<bool> row = (*tables)->Step();
      if (!row.ok()) {
        if (row.status().code() == ErrorCode::kSchemaMismatch) return NotADatabase(where());
        return row.status();
      }
      if (!*row) return names;
      names.push_back((*tables)->ColumnString(0));
    }
  }

  Status Prepare() override {
    // Only a new, empty file takes a page size (before WAL mode is set); others keep theirs.
    FANZHA_RETURN_IF_ERROR(db_->Exec("PRAGMA page_size = " + std::to_string(options_.page_size)));
    FANZHA_RETURN_IF_ERROR(SetJournalMode());
    FANZHA_RETURN_IF_ERROR(db_->Exec("PRAGMA cache_size = -" +
                                     std::to_string(options_.cache_bytes / 1024) +
                                     "; PRAGMA temp_store = MEMORY; PRAGMA foreign_keys = OFF"));
    if (options_.wal && options_.sync_log_ahead)
      checkpointer_ = Checkpointer::Start(db_->handle(), db_->path());
    return Status::Ok();
  }

  // Several processes opening a new file at once: switching its journal needs the file alone, and
  // SQLite answers "busy" at once, without its busy handler, when two connections would otherwise
  // wait on each other. Tried again each millisecond for the store's busy timeout.
  Status SetJournalMode() {
    const char* sql = options_.wal ? "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL"
                                   : "PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL";
    for (int waited_ms = 0;; ++waited_ms) {
      Status set = db_->Exec(sql);
      bool busy = (sqlite3_errcode(db_->handle()) & 0xff) == SQLITE_BUSY;
      if (set.ok() || !busy || waited_ms >= options_.busy_timeout_ms) return set;
      sqlite3_sleep(1);
    }
  }

  // SQLite's writers are serialised by the file's write lock, which the migration's transaction
  // takes with its first write; the version is read again after it.
  Status LockSchema() override { return Status::Ok(); }
  std::string MigrationSql(std::string_view sql) const override { return std::string(sql); }

  Status HoldImport(int64_t id) override {
    FANZHA_ASSIGN_OR_RETURN(ImportLocks * locks, Locks());
    return locks->Hold(id);
  }
  bool TryTakeImport(int64_t id) override {
    auto locks = Locks();
    return locks.ok() && (*locks)->TryTake(id);
  }
  void ReleaseImport(int64_t id) override {
    if (auto locks = Locks(); locks.ok()) (*locks)->Release(id);
  }

  Status DeleteImportRows(std::string_view table, int64_t id) override {
    // Rows are found by a read (no lock held), then removed a range of rowids at a time, each
    // range in a transaction of its own, so that other writers wait for one range at most.
    constexpr int64_t kRange = 50000;
    const std::string t(table);
    FANZHA_ASSIGN_OR_RETURN(auto where, db_->Prepare("SELECT min(rowid), max(rowid) FROM " + t +
                                                     " WHERE import_id = ?"));
    where->Bind(1, id);
    FANZHA_ASSIGN_OR_RETURN(bool row, where->Step());
    if (!row || where->ColumnIsNull(0)) return Status::Ok();
    const int64_t lo = where->ColumnInt64(0), hi = where->ColumnInt64(1);
    where.reset();
    FANZHA_ASSIGN_OR_RETURN(auto del, db_->Prepare("DELETE FROM " + t +
                                                   " WHERE rowid >= ? AND "
                                                   "rowid < ? AND import_id = ?"));
    for (int64_t from = lo; from <= hi; from += kRange) {
      FANZHA_ASSIGN_OR_RETURN(auto tx, SqlTransaction::Begin(db_.get()));
      FANZHA_RETURN_IF_ERROR(del->Bind(1, from).Bind(2, from + kRange).Bind(3, id).Run());
      FANZHA_RETURN_IF_ERROR(tx.Commit());
    }
    return Status::Ok();
  }

 private:
  // The import lock file beside the store, opened on first use.
  Result<ImportLocks*> Locks() {
    if (!locks_) {
      FANZHA_ASSIGN_OR_RETURN(ImportLocks locks, ImportLocks::Open(db_->path()));
      locks_.emplace(std::move(locks));
    }
    return &*locks_;
  }

  std::unique_ptr<SqliteDatabase> db_;
  SqliteOptions options_;
  std::optional<ImportLocks> locks_;
  std::unique_ptr<Checkpointer> checkpointer_;  // with sync_log_ahead; destroyed before db_
};

}  // namespace

Result<std::unique_ptr<Store>> Store::OpenSqlite(const std::string& path,
                                                 const SqliteOptions& options) {
  FANZHA_ASSIGN_OR_RETURN(auto db, SqliteDatabase::Open(path, options.busy_timeout_ms));
  return OpenSqlStore(std::make_unique<SqliteEngine>(std::move(db), options), options);
}

}  // namespace fanzha::store
