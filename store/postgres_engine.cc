// The Store's engine on a PostgreSQL server: the system of record that several fanzha processes
// (API nodes, importers, screening) share.
#include <cctype>
#include <memory>

#include "store/postgres_database.h"
#include "store/store_engine.h"
#include "store/transfer_feed.h"

namespace fanzha::store {
namespace {

// Advisory lock keys. An import's is its id (positive); the schema's a negative constant, so the
// two never meet.
constexpr int64_t kSchemaLock = -0x66616e7a6861;  // "fanzha"

class PostgresEngine final : public StoreEngine {
 public:
  explicit PostgresEngine(std::unique_ptr<PostgresDatabase> db) : db_(std::move(db)) {
    PGconn* c = db_->handle();
    // Where, for messages: never the password the connection string may hold.
    where_ = std::string("postgresql://") + PQuser(c) + "@" + PQhost(c) + ":" + PQport(c) + "/" +
             PQdb(c);
  }

  SqlDatabase& db() override { return *db_; }
  const std::string& where() const override { return where_; }

  Result<std::vector<std::string>> TableNames() override {
    FANZHA_ASSIGN_OR_RETURN(auto s, db_->Prepare("SELECT table_name FROM information_schema.tables "
                                                 "WHERE table_schema = current_schema() AND "
                                                 "table_type = 'BASE TABLE'"));
    return ReadRows<std::string>(*s, [](const SqlStatement& row) { return row.ColumnString(0); });
  }

  Status Prepare() override {
    // Stored text is UTF-8 everywhere in fanzha: a database in another encoding would change it.
    FANZHA_ASSIGN_OR_RETURN(auto s, db_->Prepare("SHOW server_encoding"));
    FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
    const std::string encoding = row ? s->ColumnString(0) : "";
    if (encoding != "UTF8")
      return Status(ErrorCode::kSchemaMismatch, where_ + ": the database's encoding is " +
                                                    encoding +
                                                    ", not UTF8: create it with ENCODING 'UTF8'")
          .WithZh(where_ + "：数据库编码为 " + encoding + "，不是 UTF8：请以 ENCODING 'UTF8' 建库");
    return Status::Ok();
  }

  // Released when the migration's transaction ends: two processes opening a new database at once
  // migrate it once.
  Status LockSchema() override { return Lock("pg_advisory_xact_lock", kSchemaLock).status(); }
  std::string MigrationSql(std::string_view sql) const override {
    return PostgresDatabase::SchemaFor(sql);
  }

  // A session's advisory lock: the server drops it when the session ends, however the process
  // ended (kill -9 closes its socket).
  Status HoldImport(int64_t id) override {
    FANZHA_ASSIGN_OR_RETURN(bool taken, Lock("pg_try_advisory_lock", id));
    if (taken) return Status::Ok();
    return Status::Io("cannot lock import " + std::to_string(id) + ": another session holds it")
        .WithZh("无法锁定导入任务 " + std::to_string(id) + "：已被其他会话持有");
  }
  bool TryTakeImport(int64_t id) override {
    auto taken = Lock("pg_try_advisory_lock", id);
    return taken.ok() && *taken;
  }
  void ReleaseImport(int64_t id) override { (void)Lock("pg_advisory_unlock", id); }

  // Delivered when the transaction commits, and not at all when it rolls back.
  Status Announce(std::string_view notice) override {
    FANZHA_ASSIGN_OR_RETURN(
        auto s, db_->Prepare("SELECT pg_notify('" + std::string(kTransferChannel) + "', ?)"));
    return s->Bind(1, notice).Run();
  }
  int64_t ConnectionId() const override { return PQbackendPID(db_->handle()); }

  // One statement: PostgreSQL's readers never wait for a writer, and other writers wait only for
  // rows this one deletes, which no one else writes (an unfinished import's are hidden).
  Status DeleteImportRows(std::string_view table, int64_t id) override {
    FANZHA_ASSIGN_OR_RETURN(auto tx, SqlTransaction::Begin(db_.get()));
    FANZHA_ASSIGN_OR_RETURN(
        auto del, db_->Prepare("DELETE FROM " + std::string(table) + " WHERE import_id = ?"));
    FANZHA_RETURN_IF_ERROR(del->Bind(1, id).Run());
    del.reset();
    return tx.Commit();
  }

 private:
  // Calls an advisory lock function on `key`; its boolean answer (true for the void ones).
  Result<bool> Lock(const char* function, int64_t key) {
    FANZHA_ASSIGN_OR_RETURN(auto s, db_->Prepare(std::string("SELECT ") + function + "(?)"));
    FANZHA_ASSIGN_OR_RETURN(bool row, s->Bind(1, key).Step());
    if (!row) return false;
    return s->ColumnText(0) != "f";
  }

  std::unique_ptr<PostgresDatabase> db_;
  std::string where_;
};

}  // namespace

Result<std::unique_ptr<Store>> Store::OpenPostgres(const std::string& uri,
                                                   const SqliteOptions& options) {
  FANZHA_ASSIGN_OR_RETURN(auto db, PostgresDatabase::Connect(uri));
  SqliteOptions imports = options;
  imports.import_pause_us = 0;  // no file lock to yield: writers do not wait for a batch
  return OpenSqlStore(std::make_unique<PostgresEngine>(std::move(db)), imports);
}

bool Store::IsPostgresUri(std::string_view location) {
  return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

std::string Store::Shown(const std::string& location) {
  if (!IsPostgresUri(location)) return location;
  const size_t q = location.find('?');
  std::string base = location.substr(0, q);
  // "scheme://user:password@host": the password is between the user's ':' and the '@'.
  const size_t authority = base.find("://") + 3;
  const size_t at = base.find('@', authority), slash = base.find('/', authority);
  if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
    const size_t colon = base.find(':', authority);
    if (colon < at) base.erase(colon, at - colon);
  }
  if (q == std::string::npos) return base;
  std::string query;  // every parameter but a password
  std::string_view rest = std::string_view(location).substr(q + 1);
  while (!rest.empty()) {
    const size_t amp = rest.find('&');
    const std::string_view param = rest.substr(0, amp);
    if (!param.starts_with("password=")) query += (query.empty() ? "" : "&") + std::string(param);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
  }
  return query.empty() ? base : base + "?" + query;
}

std::string Store::SideFiles(const std::string& location) {
  if (!IsPostgresUri(location)) return location;
  std::string database;
  if (PQconninfoOption* options = PQconninfoParse(location.c_str(), nullptr)) {
    for (PQconninfoOption* o = options; o->keyword; ++o) {
      if (std::string_view(o->keyword) == "dbname" && o->val) database = o->val;
    }
    PQconninfoFree(options);
  }
  std::string name;  // only characters a file name takes everywhere
  for (char c : database) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return "fanzha-" + (name.empty() ? std::string("postgres") : name);
}

Result<std::unique_ptr<Store>> Store::Open(const std::string& location,
                                           const SqliteOptions& options) {
  return IsPostgresUri(location) ? OpenPostgres(location, options) : OpenSqlite(location, options);
}

}  // namespace fanzha::store
