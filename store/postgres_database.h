// SqlDatabase over one PostgreSQL connection (libpq): the store's SQL interface (store.h) on a
// server that several fanzha processes share. The same statements give the same answers as on
// SQLite: '?' placeholders (numbered $1, $2, ... here), 64-bit integers, text, bytes, NULL; a
// violated constraint is kConflict, any other failure kIoError naming the server's message.
//
// The Store over it: Store::OpenPostgres (store/postgres_engine.cc).
//
// As on SQLite, a statement that fails inside a transaction (a UNIQUE conflict the caller handles)
// leaves the transaction going: each statement that writes runs in a savepoint there (sent in the
// same round trip). Each statement is prepared on the server the first time this connection runs
// it, and executed prepared from then on.
//
// Threads: a PostgresDatabase is one connection, used by one thread at a time, like SqliteDatabase.
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/store.h"

namespace fanzha::store {

class PostgresDatabase final : public SqlDatabase {
 public:
  // Connects with a libpq connection string or URI ("postgresql:///fanzha?host=/run/pg&port=5433",
  // "host=/tmp/pg port=5433 dbname=fanzha user=fanzha"). kIoError naming the server's reason when
  // it cannot; the password, if the string holds one, is never repeated in the message.
  static Result<std::unique_ptr<PostgresDatabase>> Connect(const std::string& uri);
  ~PostgresDatabase() override;

  Status Exec(std::string_view sql) override;
  Result<std::unique_ptr<SqlStatement>> Prepare(std::string_view sql) override;
  // The value the last INSERT took from a sequence in this session (lastval(): an identity or
  // BIGSERIAL key); 0 when none has.
  int64_t LastInsertId() const override;
  int64_t Changes() const override { return changes_; }
  // Begin(): READ COMMITTED, as PostgreSQL's writers usually run; BeginRead(): REPEATABLE READ,
  // READ ONLY: every read until Commit() sees one snapshot, as SqlDatabase promises. Neither
  // talks to the server: BEGIN goes with the transaction's first statement, and so do savepoints
  // opened (Exec "SAVEPOINT x") and released before the next statement: a transaction of one
  // statement is one round trip, its COMMIT another.
  Status Begin() override;
  Status BeginRead() override;
  Status Commit() override;
  Status Rollback() override;
  bool InTransaction() const override;

  // `sql` with its '?' placeholders numbered $1, $2, ... left to right; a '?' inside a quoted
  // string or identifier, or in a comment, stays as it is. Pure.
  static std::string NumberPlaceholders(std::string_view sql);
  // A migration (schema.h: portable SQL, as SQLite reads it) as PostgreSQL must read it to store
  // the same values: INTEGER is 64 bits in SQLite and 32 in PostgreSQL, so it becomes BIGINT; an
  // INTEGER PRIMARY KEY (SQLite numbers it when not given) an identity; BLOB BYTEA; a TEXT column
  // compares as bytes (COLLATE "C"), as SQLite's do, whatever the database's locale, so that
  // ORDER BY gives one order on both. Words inside quotes and comments stay. Pure.
  static std::string SchemaFor(std::string_view migration);

  // For the statements this connection makes (internal).
  PGconn* handle() const { return conn_; }
  // The control statements not sent yet, in order; the list is left empty.
  std::vector<std::string> TakeDeferred() const;
  // `sql` preceded by the control statements not sent yet, as one string of several statements.
  std::string WithDeferred(std::string_view sql) const;
  void set_changes(int64_t n) { changes_ = n; }
  // Statements are prepared on the server once a connection, under names of their own, so that
  // it parses and plans each once (most statements of a server or an import run many times).
  // The name a statement (its text and parameter types: `key`) was prepared under, or "".
  std::string PreparedName(const std::string& key) const;
  // A name never used on this connection, or "" once kMaxPrepared statements are prepared (the
  // rest run unprepared: the statements a caller builds by the number of its values are many).
  std::string NewPreparedName();
  void AddPrepared(const std::string& key, const std::string& name);
  static constexpr size_t kMaxPrepared = 512;
  // A Status for a failed result (kConflict for SQLSTATE class 23, else kIoError), naming `what`.
  Status Error(const PGresult* result, std::string_view what) const;

 private:
  explicit PostgresDatabase(PGconn* conn) : conn_(conn) {}
  PGconn* conn_;
  int64_t changes_ = 0;
  std::unordered_map<std::string, std::string> prepared_;  // key -> name
  int64_t prepared_made_ = 0;
  bool open_ = false;  // Begin() called, Commit()/Rollback() not yet
  // BEGIN and savepoints waiting for the next statement (sent by const LastInsertId() too).
  mutable std::vector<std::string> deferred_;
};

}  // namespace fanzha::store
