// The store: fanzha's system of record for accounts, transfers and cases, and the place where later
// modules (freeze orders, leads, warnings, users, audit) keep their own tables.
//
// Start here: Store::Open(), then BeginImport() to write and ForEach*/Get* to read.
//
// Backends. SQLite (an embedded file) is the default, for one machine. PostgreSQL
// (Store::OpenPostgres, a "postgresql://" URI) is the system of record several processes share.
// One Store (store/sql_store.cc) runs on both through SqlDatabase (the SQLite and the PostgreSQL
// connection are tested to one contract: store/sql_database_test.cc); an engine adds only what
// SQL does not say portably (store/store_engine.h). So the interface speaks only portable SQL and
// types: INTEGER/BIGINT, TEXT, '?' placeholders numbered left to right (the PostgreSQL backend
// rewrites them to $n), INSERT ... ON CONFLICT, no engine-only functions in schema or queries.
// Text compares as bytes on both (ORDER BY gives one order).
//
// Threads. A Store is thread-compatible: any one thread may use it at a time; calls from several
// threads need external locking. Several Stores (in one process or in several processes) may open
// the same store. On SQLite the file's locks serialise their writers (a writer waits up to
// `busy_timeout_ms` for another to finish); on PostgreSQL they write at once, each transaction
// READ COMMITTED, and a record written twice at once is a kConflict for the second.
//
// Errors. Every failure is a Status: kIoError when the file cannot be read or written,
// kSchemaMismatch when the file is not a fanzha store or was written by a newer version,
// kConflict when a record exists with different content, kInvalidInput for a record that breaks a
// rule the store checks (an empty id, from == to).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/model.h"
#include "core/status.h"

namespace fanzha::store {

// ---------------------------------------------------------------------------------------------
// SqlDatabase: a thin, portable wrapper over one database connection, for modules that keep their
// own tables. A module declares those tables as migrations in its schema/ folder (see schema.h).
// ---------------------------------------------------------------------------------------------

// A prepared statement. Bind indices are 1-based, column indices 0-based (as in SQLite and libpq).
// Owned by the caller; must be destroyed before the SqlDatabase that made it. Text returned by
// ColumnText() is valid until the next Step(), Reset() or destruction.
class SqlStatement {
 public:
  virtual ~SqlStatement() = default;
  virtual SqlStatement& Bind(int index, int64_t value) = 0;
  virtual SqlStatement& Bind(int index, std::string_view text) = 0;  // copied
  // Binds text without copying it: it must stay valid and unchanged until the statement has run
  // (Run(), or Step() until it returns false) and must be bound again before the next run. For
  // inserts in bulk, where copying every value costs an allocation.
  virtual SqlStatement& BindView(int index, std::string_view text) = 0;
  virtual SqlStatement& BindNull(int index) = 0;
  // Binds bytes that need not be text (a BLOB: a file's content); copied. ColumnText() reads them.
  virtual SqlStatement& BindBlob(int index, std::string_view bytes) = 0;
  // Binds `value` or NULL.
  SqlStatement& Bind(int index, const std::optional<int64_t>& value) {
    return value ? Bind(index, *value) : BindNull(index);
  }
  SqlStatement& Bind(int index, const char* text) { return Bind(index, std::string_view(text)); }
  SqlStatement& Bind(int index, const std::string& text) {
    return Bind(index, std::string_view(text));
  }
  SqlStatement& Bind(int index, int value) { return Bind(index, static_cast<int64_t>(value)); }

  // Runs the statement to its next row: true when a row is available, false when done. A constraint
  // violation (UNIQUE, NOT NULL) is a kConflict error; other failures are kIoError.
  virtual Result<bool> Step() = 0;
  // Runs a statement that returns no rows (INSERT/UPDATE/DELETE/DDL) to completion, then Reset().
  virtual Status Run() = 0;
  // Makes the statement ready to run again; bindings are kept until rebound.
  virtual void Reset() = 0;

  virtual int ColumnCount() const = 0;
  virtual bool ColumnIsNull(int col) const = 0;
  virtual int64_t ColumnInt64(int col) const = 0;          // NULL reads as 0
  virtual std::string_view ColumnText(int col) const = 0;  // NULL reads as ""
  std::string ColumnString(int col) const { return std::string(ColumnText(col)); }
};

// Steps `st` to its end and returns every row as read by `read` (a function of the statement that
// returns a T, or a Result<T> when a row may not parse), or the first error.
template <typename T, typename Read>
Result<std::vector<T>> ReadRows(SqlStatement& st, Read read) {
  std::vector<T> out;
  for (;;) {
    FANZHA_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return out;
    if constexpr (std::is_same_v<decltype(read(st)), Result<T>>) {
      FANZHA_ASSIGN_OR_RETURN(T value, read(st));
      out.push_back(std::move(value));
    } else {
      out.push_back(read(st));
    }
  }
}

// A stored value that does not parse (a row written by another version of fanzha, or edited by
// hand): kSchemaMismatch naming the table, the row and the column, never an exception or a default.
// `row` is the row's key as text (an id, a user name).
inline Status BadStoredValue(std::string_view table, std::string_view row, std::string_view column,
                             const Status& why) {
  const std::string where =
      std::string(table) + " row '" + std::string(row) + "', " + std::string(column);
  return Status(ErrorCode::kSchemaMismatch, where + ": " + why.message())
      .WithZh("库中记录无法读取（可能由其他版本写入或被手工修改）：" + where + "：" + why.zh());
}

class SqlDatabase {
 public:
  virtual ~SqlDatabase() = default;
  // Runs one or more ';'-separated statements that return no rows.
  virtual Status Exec(std::string_view sql) = 0;
  virtual Result<std::unique_ptr<SqlStatement>> Prepare(std::string_view sql) = 0;
  // The key INSERT gave the last row it added to a table with an INTEGER PRIMARY KEY
  // (PostgreSQL: use "INSERT ... RETURNING id" instead where portability matters).
  virtual int64_t LastInsertId() const = 0;
  // Rows changed by the last INSERT/UPDATE/DELETE.
  virtual int64_t Changes() const = 0;
  // Begin() inside an open transaction is a kInternal error; SqlTransaction nests instead.
  virtual Status Begin() = 0;
  // A read transaction: every read until Commit() sees the store as it was at the first read (a
  // snapshot), while other connections go on writing (SQLite in WAL mode, the default).
  virtual Status BeginRead() = 0;
  virtual Status Commit() = 0;
  virtual Status Rollback() = 0;
  virtual bool InTransaction() const = 0;
};

// Rolls back on destruction unless Commit() was called. Usage:
//   FANZHA_ASSIGN_OR_RETURN(auto tx, SqlTransaction::Begin(&db));
//   ... writes ...
//   FANZHA_RETURN_IF_ERROR(tx.Commit());
// Begun inside an open transaction, it is a savepoint of that transaction: its Commit() keeps its
// writes as part of the outer one (stored when that commits, gone when it rolls back), its
// destruction without Commit() undoes only its own writes. So a module's change and the audit
// entry that records it can be committed together: the caller opens the outer transaction, the
// module's own transaction nests in it.
class SqlTransaction {
 public:
  static Result<SqlTransaction> Begin(SqlDatabase* db);
  static Result<SqlTransaction> BeginRead(
      SqlDatabase* db);  // see SqlDatabase::BeginRead; never nested
  SqlTransaction(SqlTransaction&& other) noexcept : db_(other.db_), nested_(other.nested_) {
    other.db_ = nullptr;
  }
  SqlTransaction& operator=(SqlTransaction&&) = delete;
  ~SqlTransaction();
  Status Commit();
  bool nested() const { return nested_; }

 private:
  SqlTransaction(SqlDatabase* db, bool nested) : db_(db), nested_(nested) {}
  SqlDatabase* db_;  // null once committed or rolled back
  bool nested_;      // a savepoint inside an outer transaction
};

// ---------------------------------------------------------------------------------------------
// Store
// ---------------------------------------------------------------------------------------------

enum class PutOutcome {
  kAdded,      // new record (or an account that existed only as a placeholder, see PutAccount)
  kUnchanged,  // an identical record with the same id was already there
};

struct Totals {
  int64_t accounts = 0;  // including placeholder accounts created by transfers
  int64_t transfers = 0;
  int64_t cases = 0;
  int64_t identifiers = 0;     // case identifiers (incl. derived domains), not distinct
  int64_t case_transfers = 0;  // transfer ids listed by cases
  Fen volume = 0;              // the transfers in yuan (CNY); other currencies are only counted
  std::optional<Millis> first_transfer, last_transfer;  // of the transfers in yuan
  std::map<std::string, int64_t> accounts_by_kind;
  int64_t accounts_only_in_transfers = 0;  // placeholders: seen in transfers, never declared
  std::map<std::string, int64_t> identifiers_by_type;
  std::map<std::string, int64_t> transfers_by_other_currency;
};

struct SqliteOptions {
  // true: write-ahead log (readers never block the writer; synchronous=NORMAL). false: rollback
  // journal (cheaper for large imports into new tables). Both are atomic under kill -9.
  bool wal = true;
  // How long a writer waits for another's transaction (polling every millisecond) before the
  // write fails with kIoError "database is locked".
  int busy_timeout_ms = 10000;
  int64_t cache_bytes = 256ll << 20;  // page cache for large imports and index builds
  // An Import commits its rows (still hidden) every this many rows or milliseconds, whichever
  // comes first: the longest any other writer waits for it is about one batch.
  int64_t import_batch_rows = 20000;
  int import_batch_ms = 100;
  // And then pauses this long, so that a writer waiting for the lock gets it between batches.
  int import_pause_us = 2000;
  // Page size of a new store (an existing one keeps its own). 16 KiB rather than SQLite's 4 KiB:
  // a bulk import of transfers takes about an eighth less CPU (shallower trees, fewer splits).
  int page_size = 16384;
  // WAL only: a thread of the store's own syncs the log ahead of the checkpoint the commit that
  // passes 1,000 log pages runs (store/checkpointer.h), so that commit no longer waits 50 ms for
  // the log's sync: for a server whose requests each commit (an audited read) under one mutex.
  bool sync_log_ahead = false;
};

class Store {
 public:
  // One atomic write, in bounded transactions. Nothing of it is visible (to any reader, this Store
  // included) until Commit() returns; destroying an Import without Commit() removes everything it
  // wrote, and so does the next open of the store (or the next import) after a crash or kill -9 of
  // its process. Yet no transaction is long: the rows are written and committed in batches of
  // SqliteOptions::import_batch_rows, tagged with the import's id and hidden by the views every
  // reader uses (tables accounts, transfers, cases, case_identifiers, case_transfers,
  // statement_postings; the rows themselves are in *_rows tables), and Commit() is one short
  // transaction that shows them all. So a server beside a big import keeps reading and writing:
  // it waits for one batch at most.
  //
  // Several imports (in one or several processes) may run at once. A record another unfinished
  // import is writing (a transfer, case or declared account with the same id) is kConflict "being
  // written by another import"; an account that two imports both only name is shared. Costs:
  // Commit() is O(placeholders this import declared); a rolled-back import is removed in
  // O(its rows) in short transactions. At most one Import per Store may be open at a time, and the
  // Store must outlive it.
  //
  // Begun inside an open SqlTransaction, an Import nests in it instead (see SqlTransaction): it is
  // written in one savepoint of that transaction, without batches of its own; its Commit() shows
  // its records to that transaction, and they are stored when that transaction commits (or are
  // gone when it rolls back). So a module's records and the audit entry that records them commit
  // together.
  class Import {
   public:
    virtual ~Import() = default;
    // The import's id: a module that writes rows of its own as part of the import (statement
    // postings) tags them with it (column import_id), and its table has a view hiding them.
    virtual int64_t id() const = 0;
    // `a.id` must be normalised and non-empty. A placeholder (an account that so far existed only
    // because a transfer named it) is replaced by `a` (kAdded). Same id, different fields of a
    // declared account: kConflict naming both versions.
    virtual Result<PutOutcome> PutAccount(const Account& a) = 0;
    // `t.id` non-empty; from/to normalised; from != to; at least one of them set. Accounts that do
    // not exist yet are created as placeholders (kind unknown, opening balance 0). Same id,
    // different fields: kConflict naming both versions.
    virtual Result<PutOutcome> PutTransfer(const Transfer& t) = 0;
    // `c.id` non-empty. The listed transfers need not exist. Identifiers are stored in the given
    // order (the importer adds derived domain identifiers). Same id, different content: kConflict.
    virtual Result<PutOutcome> PutCase(const Case& c) = 0;
    // Shows the import's rows and commits them. `with`, when given, runs inside that last
    // transaction, after the rows are shown and before they commit (the caller's audit entry
    // for the import, so that both commit or neither); its error rolls the import back as any
    // failure does.
    virtual Status Commit(const std::function<Status()>& with = nullptr) = 0;
  };

  virtual ~Store() = default;

  // Opens (creating when missing) a SQLite store. An older schema is migrated in one transaction.
  // The rows of imports killed before they finished are removed (see Import).
  // A file written by a newer fanzha, or a database that is not a fanzha store (or not a database
  // at all), is refused with kSchemaMismatch and left untouched.
  static Result<std::unique_ptr<Store>> OpenSqlite(const std::string& path,
                                                   const SqliteOptions& options = {});
  // Opens (migrating as OpenSqlite does) the store in a PostgreSQL database, given as a libpq URI
  // ("postgresql://user@host:5432/fanzha", "postgresql:///fanzha?host=/run/postgresql"). The
  // database must exist and be UTF8; fanzha creates its tables in its current schema. kIoError
  // when the server cannot be reached (naming why, never the password). `options`: only the
  // import batches (import_batch_rows, import_batch_ms) apply.
  static Result<std::unique_ptr<Store>> OpenPostgres(const std::string& uri,
                                                     const SqliteOptions& options = {});
  // Where every `--db` goes: a "postgresql://" or "postgres://" URI opens PostgreSQL, anything
  // else is a SQLite file's path.
  static Result<std::unique_ptr<Store>> Open(const std::string& location,
                                             const SqliteOptions& options = {});
  static bool IsPostgresUri(std::string_view location);
  // `location` as a message may show it: a URI without the password it may hold
  // ("postgresql://fanzha:secret@db1/fanzha?password=x" -> "postgresql://fanzha@db1/fanzha").
  static std::string Shown(const std::string& location);
  // The prefix of the files fanzha keeps beside a store (the audit key and heads, the signing key,
  // fetched statements: "<prefix>.audit-key", ...): a SQLite store's own path; for a store on
  // PostgreSQL, "fanzha-<database>" in the working directory. Several nodes of one deployment
  // must share those files (the keys above all): start them in one folder, or copy the keys.
  static std::string SideFiles(const std::string& location);

  // kInternal when an Import is already open on this Store. Removes the rows of killed imports
  // first (as OpenSqlite does).
  virtual Result<std::unique_ptr<Import>> BeginImport() = 0;

  // Full scans in storage order. The reference passed to `fn` is valid only during the call.
  // `fn` must not call back into the Store. Cost: O(rows); transfers are read at several million
  // per second.
  virtual Status ForEachAccount(const std::function<void(const Account&)>& fn) = 0;
  virtual Status ForEachTransfer(const std::function<void(const Transfer&)>& fn) = 0;
  virtual Status ForEachCase(const std::function<void(const Case&)>& fn) = 0;
  // The cases' own fields only (identifiers and transfers left empty), by id: one scan of one
  // table, for figures that attribute records by a case's day, region and category.
  virtual Status ForEachCaseHeader(const std::function<void(const Case&)>& fn) = 0;

  // Scans for loading the ledger (ledger/load.cc) without building a record per row. Accounts come
  // with their integer key (every account a transfer names exists, placeholders included);
  // transfers name accounts by that key (0: none, a deposit's payer or a withdrawal's payee). Only
  // transfers in yuan (currency CNY) are scanned: the ledger follows yuan.
  // Storage order; text views are valid only during the call; `fn` must not call back into the
  // Store. Cost: O(rows), no allocation per row.
  struct LedgerAccountRow {
    int64_t key = 0;
    std::string_view id, institution, region;
    AccountKind kind = AccountKind::kUnknown;
    Fen opening_balance = 0;
  };
  struct LedgerTransferRow {
    std::string_view id;
    Millis time = 0;
    int64_t from = 0, to = 0;  // account keys; 0 when absent
    Fen amount = 0;
    Channel channel = Channel::kTransfer;
  };
  virtual Status ScanLedgerAccounts(const std::function<void(const LedgerAccountRow&)>& fn) = 0;
  virtual Status ScanLedgerTransfers(const std::function<void(const LedgerTransferRow&)>& fn) = 0;
  // Transfers stored (an upper bound for reserving). It grows with every transfer stored and
  // with every import that finishes, from any process, and not while an import is being written:
  // the server watches it to notice imports made beside it. O(1).
  virtual Result<int64_t> CountTransfers() = 0;
  // Cases stored (those of finished imports, as every read sees). O(cases), an index scan.
  virtual Result<int64_t> CountCases() = 0;

  // Point lookups by id; nullopt when there is no such record.
  virtual Result<std::optional<Account>> GetAccount(std::string_view id) = 0;
  virtual Result<std::optional<Transfer>> GetTransfer(std::string_view id) = 0;
  virtual Result<std::optional<Case>> GetCase(std::string_view id) = 0;

  // Ids of the cases that reported an identifier with this normalised value (index lookup), in id
  // order. For linking and early warning.
  virtual Result<std::vector<std::string>> FindCasesByIdentifier(IdentifierType type,
                                                                 std::string_view value) = 0;

  // What the store holds (Totals): counts, the yuan volume and time span, groupings. Reads only.
  virtual Result<Totals> CountTotals() = 0;

  // The underlying connection, for modules that keep their own tables.
  virtual SqlDatabase& sql() = 0;
  // The connection's id on a shared server, as a TransferFeed notice names the connection that
  // stored the transfers (PostgreSQL's backend pid); 0 on SQLite.
  virtual int64_t ConnectionId() const = 0;
  // The schema version of the open file (after migration).
  virtual int schema_version() const = 0;
};

}  // namespace fanzha::store
