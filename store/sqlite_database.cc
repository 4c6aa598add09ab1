#include "store/sqlite_database.h"

namespace fanzha::store {
namespace {

class SqliteStatement final : public SqlStatement {
 public:
  SqliteStatement(const SqliteDatabase* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~SqliteStatement() override { sqlite3_finalize(stmt_); }

  SqlStatement& Bind(int index, int64_t value) override {
    sqlite3_bind_int64(stmt_, index, value);
    return *this;
  }
  SqlStatement& Bind(int index, std::string_view text) override {
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
  }
  SqlStatement& BindView(int index, std::string_view text) override {
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
    return *this;
  }
  SqlStatement& BindBlob(int index, std::string_view bytes) override {
    sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
    return *this;
  }
  SqlStatement& BindNull(int index) override {
    sqlite3_bind_null(stmt_, index);
    return *this;
  }
  using SqlStatement::Bind;

  Result<bool> Step() override {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    Status st = db_->Error(rc, sqlite3_sql(stmt_));
    sqlite3_reset(stmt_);
    return st;
  }
  Status Run() override {
    for (;;) {
      Result<bool> row = Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
    }
    sqlite3_reset(stmt_);
    return Status::Ok();
  }
  void Reset() override { sqlite3_reset(stmt_); }

  int ColumnCount() const override { return sqlite3_column_count(stmt_); }
  bool ColumnIsNull(int col) const override {
    return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
  }
  int64_t ColumnInt64(int col) const override { return sqlite3_column_int64(stmt_, col); }
  std::string_view ColumnText(int col) const override {
    const unsigned char* p = sqlite3_column_text(stmt_, col);
    if (!p) return {};
    return {reinterpret_cast<const char*>(p),
            static_cast<size_t>(sqlite3_column_bytes(stmt_, col))};
  }

 private:
  const SqliteDatabase* db_;
  sqlite3_stmt* stmt_;
};

}  // namespace

Result<std::unique_ptr<SqliteDatabase>> SqliteDatabase::Open(const std::string& path,
                                                             int busy_timeout_ms) {
  // No memory statistics: they take a global mutex on every allocation SQLite makes (a few per
  // inserted row). Only possible before SQLite's first use in the process; later it is a no-op.
  static const int kNoMemoryStatistics = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)kNoMemoryStatistics;
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return Status::Io(path + ": cannot open the store: " + msg)
        .WithZh(path + "：无法打开数据库：" + msg);
  }
  sqlite3_extended_result_codes(db, 0);
  std::unique_ptr<SqliteDatabase> out(new SqliteDatabase(path, db));
  out->busy_timeout_ms_ = busy_timeout_ms;
  sqlite3_busy_handler(db, &SqliteDatabase::OnBusy, out.get());
  return out;
}

// Waits a millisecond and tries again, until the timeout: SQLite's own handler sleeps longer and
// longer (up to 100 ms), and a writer polling that slowly keeps missing the short gaps a batched
// import leaves between its transactions.
int SqliteDatabase::OnBusy(void* self, int attempts) {
  if (attempts >= static_cast<SqliteDatabase*>(self)->busy_timeout_ms_) return 0;
  sqlite3_sleep(1);
  return 1;
}

SqliteDatabase::~SqliteDatabase() {
  if (InTransaction()) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close_v2(db_);
}

Status SqliteDatabase::Error(int rc, std::string_view what) const {
  // The library's own text (English) stays, after a Chinese sentence, as the detail.
  std::string msg = path_ + ": " + sqlite3_errmsg(db_) + " (in: " + std::string(what) + ")";
  int code = (rc & 0xff) == SQLITE_ERROR ? sqlite3_errcode(db_) & 0xff : rc & 0xff;
  switch (code) {
    case SQLITE_CONSTRAINT:
      return Status::Conflict(msg).WithZh("数据库拒绝写入（违反约束）：" + msg);
    case SQLITE_NOTADB:
      return Status(ErrorCode::kSchemaMismatch, msg)
          .WithZh("数据库文件无法识别（不是 SQLite 数据库）：" + msg);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::Io(msg).WithZh("数据库正被其他任务占用，请稍后再试：" + msg);
    case SQLITE_FULL:
      return Status::Io(msg).WithZh("磁盘已满，数据库无法写入：" + msg);
    default:
      return Status::Io(msg).WithZh("数据库读写失败：" + msg);
  }
}

Status SqliteDatabase::Exec(std::string_view sql) {
  std::string text(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
  sqlite3_free(err);
  if (rc != SQLITE_OK) return Error(rc, sql.substr(0, 120));
  return Status::Ok();
}

Result<std::unique_ptr<SqlStatement>> SqliteDatabase::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return Error(rc, sql);
  return std::unique_ptr<SqlStatement>(new SqliteStatement(this, stmt));
}

int64_t SqliteDatabase::LastInsertId() const { return sqlite3_last_insert_rowid(db_); }
int64_t SqliteDatabase::Changes() const { return sqlite3_changes64(db_); }

Status SqliteDatabase::Begin() {
  if (InTransaction()) return Status::Internal("a transaction is already open");
  return Exec("BEGIN IMMEDIATE");
}
Status SqliteDatabase::BeginRead() {
  if (InTransaction()) return Status::Internal("a transaction is already open");
  return Exec("BEGIN DEFERRED");  // the first SELECT takes the snapshot; no write lock
}
Status SqliteDatabase::Commit() { return Exec("COMMIT"); }
Status SqliteDatabase::Rollback() {
  if (!InTransaction()) return Status::Ok();
  return Exec("ROLLBACK");
}
bool SqliteDatabase::InTransaction() const { return !sqlite3_get_autocommit(db_); }

// ---- SqlTransaction (backend independent) ----

// Savepoints share one name: SQLite and PostgreSQL both resolve a repeated name to the innermost.
constexpr std::string_view kSavepoint = "fanzha_nested";

Result<SqlTransaction> SqlTransaction::Begin(SqlDatabase* db) {
  if (db->InTransaction()) {
    FANZHA_RETURN_IF_ERROR(db->Exec("SAVEPOINT " + std::string(kSavepoint)));
    return SqlTransaction(db, true);
  }
  FANZHA_RETURN_IF_ERROR(db->Begin());
  return SqlTransaction(db, false);
}
Result<SqlTransaction> SqlTransaction::BeginRead(SqlDatabase* db) {
  FANZHA_RETURN_IF_ERROR(db->BeginRead());
  return SqlTransaction(db, false);
}

SqlTransaction::~SqlTransaction() {
  if (!db_) return;
  if (!nested_) {
    (void)db_->Rollback();
    return;
  }
  // Undo this savepoint's writes, then drop it; the outer transaction goes on.
  if (!db_->Exec("ROLLBACK TO SAVEPOINT " + std::string(kSavepoint)).ok() ||
      !db_->Exec("RELEASE SAVEPOINT " + std::string(kSavepoint)).ok()) {
    (void)db_->Rollback();  // the savepoint is lost: give up the whole outer transaction
  }
}

Status SqlTransaction::Commit() {
  if (!db_) return Status::Internal("transaction already finished");
  SqlDatabase* db = db_;
  db_ = nullptr;
  if (nested_) {
    Status st = db->Exec("RELEASE SAVEPOINT " + std::string(kSavepoint));
    if (!st.ok()) (void)db->Rollback();
    return st;
  }
  Status st = db->Commit();
  if (!st.ok()) (void)db->Rollback();
  return st;
}

}  // namespace fanzha::store
