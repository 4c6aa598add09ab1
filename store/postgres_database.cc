#include "store/postgres_database.h"

#include <cctype>
#include <cstdlib>
#include <map>
#include <optional>
#include <vector>

namespace fanzha::store {
namespace {

// pg_type OIDs of the parameter types the interface binds (catalog/pg_type.h, stable).
constexpr Oid kInt8Oid = 20, kTextOid = 25, kByteaOid = 17;

struct Numbered {
  std::string sql;
  int params = 0;
};

// '?' -> $n outside '...' strings, "..." identifiers, -- and /* */ comments.
Numbered Number(std::string_view sql) {
  Numbered out;
  out.sql.reserve(sql.size() + 8);
  for (size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {  // a quoted run; a doubled quote inside it stays in it
      size_t end = i + 1;
      while (end < sql.size() && sql[end] != c) ++end;
      out.sql.append(sql.substr(i, end + 1 - i));
      i = end;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      size_t end = sql.find('\n', i);
      end = end == std::string_view::npos ? sql.size() : end;
      out.sql.append(sql.substr(i, end - i));
      i = end - 1;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      size_t end = sql.find("*/", i + 2);
      end = end == std::string_view::npos ? sql.size() : end + 2;
      out.sql.append(sql.substr(i, end - i));
      i = end - 1;
    } else if (c == '?') {
      out.sql += "$" + std::to_string(++out.params);
    } else {
      out.sql += c;
    }
  }
  return out;
}

// The server's message without its trailing newline.
std::string Trimmed(const char* message) {
  std::string m = message ? message : "";
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  return m;
}

// Runs without parameters, for the transaction statements; the result's status checked.
Status Simple(const PostgresDatabase& db, const char* sql) {
  PGresult* r = PQexec(db.handle(), sql);
  const ExecStatusType status = PQresultStatus(r);
  Status st =
      status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK ? Status::Ok() : db.Error(r, sql);
  PQclear(r);
  return st;
}

class PostgresStatement final : public SqlStatement {
 public:
  PostgresStatement(PostgresDatabase* db, Numbered numbered)
      : db_(db),
        sql_(std::move(numbered.sql)),
        values_(numbered.params),
        types_(numbered.params, 0),
        formats_(numbered.params, 0) {}
  ~PostgresStatement() override { PQclear(result_); }

  SqlStatement& Bind(int index, int64_t value) override {
    return Set(index, std::to_string(value), kInt8Oid, 0);
  }
  SqlStatement& Bind(int index, std::string_view text) override {
    return Set(index, std::string(text), kTextOid, 0);
  }
  // libpq sends what it is given at once: a view is copied like any text.
  SqlStatement& BindView(int index, std::string_view text) override { return Bind(index, text); }
  SqlStatement& BindBlob(int index, std::string_view bytes) override {
    return Set(index, std::string(bytes), kByteaOid, 1);  // binary: no escaping of any byte
  }
  SqlStatement& BindNull(int index) override {
    if (InRange(index)) values_[index - 1].reset(), types_[index - 1] = 0;
    return *this;
  }
  using SqlStatement::Bind;

  Result<bool> Step() override {
    if (!ran_) {
      FANZHA_RETURN_IF_ERROR(Execute());
      ran_ = true;
    }
    bytes_.clear();
    return result_ != nullptr && ++row_ < PQntuples(result_);
  }
  Status Run() override {
    for (;;) {
      FANZHA_ASSIGN_OR_RETURN(bool row, Step());
      if (!row) break;
    }
    Reset();
    return Status::Ok();
  }
  void Reset() override {
    PQclear(result_);
    result_ = nullptr;
    ran_ = false;
    row_ = -1;
    bytes_.clear();
  }

  int ColumnCount() const override { return result_ ? PQnfields(result_) : 0; }
  bool ColumnIsNull(int col) const override { return PQgetisnull(result_, row_, col) != 0; }
  int64_t ColumnInt64(int col) const override {
    const char* v = PQgetvalue(result_, row_, col);
    if (v[0] == 't' || v[0] == 'f') return v[0] == 't';  // a boolean expression's value
    return std::strtoll(v, nullptr, 10);
  }
  std::string_view ColumnText(int col) const override {
    if (PQgetisnull(result_, row_, col)) return {};
    const char* v = PQgetvalue(result_, row_, col);
    if (PQftype(result_, col) != kByteaOid)
      return {v, static_cast<size_t>(PQgetlength(result_, row_, col))};
    // bytea comes as text ("\x48656c6c6f"): decoded once per row and column.
    auto [it, added] = bytes_.try_emplace(col);
    if (added) {
      size_t n = 0;
      unsigned char* raw = PQunescapeBytea(reinterpret_cast<const unsigned char*>(v), &n);
      if (raw) it->second.assign(reinterpret_cast<const char*>(raw), n);
      PQfreemem(raw);
    }
    return it->second;
  }

 private:
  bool InRange(int index) const { return index >= 1 && index <= static_cast<int>(values_.size()); }
  SqlStatement& Set(int index, std::string value, Oid type, int format) {
    if (!InRange(index)) return *this;  // as SQLite: a bind past the placeholders is ignored
    values_[index - 1] = std::move(value);
    types_[index - 1] = type;
    formats_[index - 1] = format;
    return *this;
  }

  // Inside a transaction each statement that writes runs in a savepoint, so that a failed one (a
  // UNIQUE conflict the caller handles) leaves the transaction going, as SQLite does; PostgreSQL
  // would otherwise refuse everything until the rollback. The savepoint, the statement and its
  // release go to the server in one round trip (a pipeline). A read needs none: no caller goes on
  // after a failed read. The statement runs prepared on the server (parsed and planned once a
  // connection): the first time, its preparation goes in the same pipeline.
  Status Execute() {
    // Control statements not sent yet (BEGIN, savepoints) go first, in the same round trip.
    std::vector<std::string> steps = db_->TakeDeferred();
    const bool guard = db_->InTransaction() && !IsRead();
    const std::string key = PreparedKey();
    std::string name = db_->PreparedName(key);
    const std::string fresh = name.empty() ? db_->NewPreparedName() : "";
    if (steps.empty() && !guard && fresh.empty()) return ExecuteParams(name);
    if (guard) steps.push_back("SAVEPOINT fanzha_statement");
    PGconn* conn = db_->handle();
    if (PQenterPipelineMode(conn) != 1) return db_->Error(nullptr, "entering pipeline mode");
    std::vector<const char*> values;
    std::vector<int> lengths;
    Parameters(&values, &lengths);
    auto send = [&](const std::string& control) {
      return PQsendQueryParams(conn, control.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) ==
             1;
    };
    const int n = static_cast<int>(values.size());
    bool sent = true;
    for (const std::string& step : steps) sent = sent && send(step);
    if (!fresh.empty()) {
      sent = sent && PQsendPrepare(conn, fresh.c_str(), sql_.c_str(), n, types_.data()) == 1;
      name = fresh;
    }
    sent =
        sent && (name.empty() ? PQsendQueryParams(conn, sql_.c_str(), n, types_.data(),
                                                  values.data(), lengths.data(), formats_.data(), 0)
                              : PQsendQueryPrepared(conn, name.c_str(), n, values.data(),
                                                    lengths.data(), formats_.data(), 0)) == 1;
    if (guard) sent = sent && send("RELEASE SAVEPOINT fanzha_statement");
    sent = sent && PQpipelineSync(conn) == 1;
    Status st = sent ? Status::Ok() : db_->Error(nullptr, sql_);
    // The results, in order: the control statements', the preparation's, the statement's, the
    // release's (skipped after a failure), then the sync.
    Status before = Status::Ok();
    for (const std::string& step : steps) {
      Status one = Collect(conn, nullptr, step);
      if (before.ok() && !one.ok()) before = one;
    }
    Status prepared = fresh.empty() ? Status::Ok() : Collect(conn, nullptr, sql_);
    // Prepared statements outlive a rollback; one whose preparation failed or was skipped does
    // not exist, and is prepared again next time under a new name.
    if (!fresh.empty() && prepared.ok()) db_->AddPrepared(key, fresh);
    Status statement = Collect(conn, &result_, sql_);
    if (!prepared.ok() && before.ok()) statement = prepared;
    if (guard) (void)Collect(conn, nullptr, "RELEASE SAVEPOINT fanzha_statement");
    while (PGresult* r = PQgetResult(conn)) {  // the sync
      const bool synced = PQresultStatus(r) == PGRES_PIPELINE_SYNC;
      PQclear(r);
      if (synced) break;
    }
    PQexitPipelineMode(conn);
    row_ = -1;
    if (!st.ok()) return st;
    if (!before.ok()) return before;
    if (!statement.ok() && guard) {
      FANZHA_RETURN_IF_ERROR(Simple(*db_, "ROLLBACK TO SAVEPOINT fanzha_statement"));
      FANZHA_RETURN_IF_ERROR(Simple(*db_, "RELEASE SAVEPOINT fanzha_statement"));
    }
    return statement;
  }

  // What tells one prepared statement from another: the text and the parameters' types (a NULL
  // bound leaves its type to the server).
  std::string PreparedKey() const {
    std::string key = sql_;
    key += '\0';
    for (Oid t : types_) key += std::to_string(t) + ",";
    return key;
  }

  // Whether the statement only reads (SELECT or WITH ... SELECT).
  bool IsRead() const {
    size_t i = sql_.find_first_not_of(" \t\n(");
    if (i == std::string::npos) return false;
    auto starts = [&](std::string_view word) {
      if (sql_.size() - i < word.size()) return false;
      for (size_t k = 0; k < word.size(); ++k) {
        if (std::toupper(static_cast<unsigned char>(sql_[i + k])) != word[k]) return false;
      }
      return true;
    };
    return starts("SELECT") || starts("SHOW");
  }

  // The next query's result in a pipeline: kept in `*rows` when it returned rows, the rows changed
  // noted otherwise; its error, if it failed.
  Status Collect(PGconn* conn, PGresult** rows, std::string_view what) {
    Status st = Status::Ok();
    while (PGresult* r = PQgetResult(conn)) {
      switch (PQresultStatus(r)) {
        case PGRES_TUPLES_OK:
          if (rows) {
            PQclear(*rows);
            *rows = r;
            continue;
          }
          break;
        case PGRES_COMMAND_OK:
          if (rows) db_->set_changes(std::strtoll(PQcmdTuples(r), nullptr, 10));
          break;
        case PGRES_PIPELINE_ABORTED:
          st = Status::Io("skipped after an earlier failure");
          break;
        default:
          st = db_->Error(r, what);
      }
      PQclear(r);
    }
    return st;
  }

  void Parameters(std::vector<const char*>* values, std::vector<int>* lengths) const {
    const size_t n = values_.size();
    values->resize(n);
    lengths->resize(n);
    for (size_t i = 0; i < n; ++i) {
      (*values)[i] = values_[i] ? values_[i]->data() : nullptr;
      (*lengths)[i] = values_[i] ? static_cast<int>(values_[i]->size()) : 0;
    }
  }

  // One round trip: the statement prepared before under `name`, or unnamed when "".
  Status ExecuteParams(const std::string& name) {
    std::vector<const char*> values;
    std::vector<int> lengths;
    Parameters(&values, &lengths);
    const int n = static_cast<int>(values.size());
    PGresult* r = name.empty() ? PQexecParams(db_->handle(), sql_.c_str(), n, types_.data(),
                                              values.data(), lengths.data(), formats_.data(), 0)
                               : PQexecPrepared(db_->handle(), name.c_str(), n, values.data(),
                                                lengths.data(), formats_.data(), 0);
    switch (PQresultStatus(r)) {
      case PGRES_TUPLES_OK:
        result_ = r;
        row_ = -1;
        return Status::Ok();
      case PGRES_COMMAND_OK:
        db_->set_changes(std::strtoll(PQcmdTuples(r), nullptr, 10));
        PQclear(r);
        return Status::Ok();
      default: {
        Status st = db_->Error(r, sql_);
        PQclear(r);
        return st;
      }
    }
  }

  PostgresDatabase* db_;
  std::string sql_;
  std::vector<std::optional<std::string>> values_;
  std::vector<Oid> types_;
  std::vector<int> formats_;
  PGresult* result_ = nullptr;  // the rows of the last run, when it returned rows
  bool ran_ = false;
  int row_ = -1;
  mutable std::map<int, std::string> bytes_;  // decoded bytea of the current row, by column
};

// Whether `rest` (what follows the word TEXT in a migration) shows that TEXT is a column's type:
// a constraint, a comma or a parenthesis follows it, not another word (a column named "text").
bool TypeFollows(std::string_view rest) {
  size_t i = 0;
  while (i < rest.size() && std::isspace(static_cast<unsigned char>(rest[i]))) ++i;
  if (i == rest.size()) return true;
  if (rest[i] == ',' || rest[i] == ')' || rest[i] == ';') return true;
  for (std::string_view word : {"NOT", "PRIMARY", "DEFAULT", "UNIQUE", "REFERENCES", "CHECK"}) {
    if (rest.size() - i < word.size()) continue;
    bool same = true;
    for (size_t k = 0; k < word.size() && same; ++k)
      same = std::toupper(static_cast<unsigned char>(rest[i + k])) == word[k];
    if (same) return true;
  }
  return false;
}

}  // namespace

Result<std::unique_ptr<PostgresDatabase>> PostgresDatabase::Connect(const std::string& uri) {
  PGconn* conn = PQconnectdb(uri.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    const std::string why = Trimmed(PQerrorMessage(conn));
    PQfinish(conn);
    return Status::Io("cannot connect to PostgreSQL: " + why)
        .WithZh("无法连接 PostgreSQL 数据库：" + why);
  }
  if (PQsetClientEncoding(conn, "UTF8") != 0) {
    PQfinish(conn);
    return Status::Io("PostgreSQL: the connection cannot use UTF-8")
        .WithZh("PostgreSQL 连接无法使用 UTF-8 编码");
  }
  return std::unique_ptr<PostgresDatabase>(new PostgresDatabase(conn));
}

PostgresDatabase::~PostgresDatabase() {
  if (InTransaction()) PQclear(PQexec(conn_, "ROLLBACK"));
  PQfinish(conn_);
}

std::string PostgresDatabase::NumberPlaceholders(std::string_view sql) { return Number(sql).sql; }

std::string PostgresDatabase::SchemaFor(std::string_view migration) {
  static const std::pair<std::string_view, std::string_view> kTypes[] = {
      {"INTEGER PRIMARY KEY", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"},
      {"INTEGER", "BIGINT"},
      {"BLOB", "BYTEA"}};
  auto word_at = [&](size_t i, std::string_view word) {
    if (i + word.size() > migration.size()) return false;
    for (size_t k = 0; k < word.size(); ++k) {
      if (std::toupper(static_cast<unsigned char>(migration[i + k])) != word[k]) return false;
    }
    auto is_word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
    return (i == 0 || !is_word(migration[i - 1])) &&
           (i + word.size() == migration.size() || !is_word(migration[i + word.size()]));
  };
  std::string out;
  out.reserve(migration.size() + 64);
  for (size_t i = 0; i < migration.size();) {
    const char c = migration[i];
    size_t skip = 0;  // a quoted run or a comment, copied as it is
    if (c == '\'' || c == '"') {
      skip = migration.find(c, i + 1);
      skip = skip == std::string_view::npos ? migration.size() : skip + 1;
    } else if (migration.substr(i, 2) == "--") {
      skip = migration.find('\n', i);
      skip = skip == std::string_view::npos ? migration.size() : skip;
    }
    if (skip) {
      out.append(migration.substr(i, skip - i));
      i = skip;
      continue;
    }
    if (word_at(i, "TEXT") && TypeFollows(migration.substr(i + 4))) {
      out.append("TEXT COLLATE \"C\"");  // byte order, as SQLite compares text
      i += 4;
      continue;
    }
    bool replaced = false;
    for (const auto& [from, to] : kTypes) {
      if (word_at(i, from)) {
        out.append(to);
        i += from.size();
        replaced = true;
        break;
      }
    }
    if (!replaced) out += migration[i++];
  }
  return out;
}

Status PostgresDatabase::Error(const PGresult* result, std::string_view what) const {
  const std::string msg =
      "PostgreSQL: " + Trimmed(result ? PQresultErrorMessage(result) : PQerrorMessage(conn_)) +
      " (in: " + std::string(what) + ")";
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  if (state && std::string_view(state).starts_with("23"))  // integrity constraint violation
    return Status::Conflict(msg).WithZh("数据库拒绝写入（违反约束）：" + msg);
  return Status::Io(msg).WithZh("数据库读写失败：" + msg);
}

namespace {

// A savepoint command's name: "SAVEPOINT x", "RELEASE SAVEPOINT x", "ROLLBACK TO SAVEPOINT x".
bool IsCommand(std::string_view sql, std::string_view command, std::string* name) {
  if (!sql.starts_with(command) || sql.size() == command.size()) return false;
  std::string_view rest = sql.substr(command.size());
  if (rest.find_first_of(" ;\n\t") != std::string_view::npos) return false;
  *name = std::string(rest);
  return true;
}

}  // namespace

Status PostgresDatabase::Exec(std::string_view sql) {
  // Inside a transaction, a savepoint waits to go with the next statement (most are opened and
  // released around a few statements: a round trip each saved).
  std::string name;
  if (open_ && IsCommand(sql, "SAVEPOINT ", &name)) {
    deferred_.push_back("SAVEPOINT " + name);
    return Status::Ok();
  }
  if (open_ && IsCommand(sql, "RELEASE SAVEPOINT ", &name)) {
    if (!deferred_.empty() && deferred_.back() == "SAVEPOINT " + name) {
      deferred_.pop_back();  // nothing ran inside it
    } else {
      deferred_.push_back("RELEASE SAVEPOINT " + name);
    }
    return Status::Ok();
  }
  if (open_ && IsCommand(sql, "ROLLBACK TO SAVEPOINT ", &name)) {
    // A savepoint not sent yet saw nothing run: undo the commands deferred since.
    for (size_t i = deferred_.size(); i-- > 0;) {
      if (deferred_[i] == "SAVEPOINT " + name) {
        deferred_.resize(i + 1);
        return Status::Ok();
      }
    }
  }
  return Simple(*this, WithDeferred(sql).c_str());
}

std::vector<std::string> PostgresDatabase::TakeDeferred() const {
  std::vector<std::string> out;
  out.swap(deferred_);
  return out;
}

std::string PostgresDatabase::WithDeferred(std::string_view sql) const {
  std::string all;
  for (const std::string& d : TakeDeferred()) all += d + "; ";
  return all + std::string(sql);
}

Result<std::unique_ptr<SqlStatement>> PostgresDatabase::Prepare(std::string_view sql) {
  return std::unique_ptr<SqlStatement>(new PostgresStatement(this, Number(sql)));
}

std::string PostgresDatabase::PreparedName(const std::string& key) const {
  auto it = prepared_.find(key);
  return it == prepared_.end() ? "" : it->second;
}

std::string PostgresDatabase::NewPreparedName() {
  if (prepared_.size() >= kMaxPrepared) return "";
  return "fanzha_" + std::to_string(++prepared_made_);
}

void PostgresDatabase::AddPrepared(const std::string& key, const std::string& name) {
  prepared_.emplace(key, name);
}

int64_t PostgresDatabase::LastInsertId() const {
  // lastval() fails when no sequence was used in the session, which would abort an open
  // transaction: ask inside a savepoint then.
  const bool in_tx = InTransaction();
  if (!deferred_.empty()) PQclear(PQexec(conn_, WithDeferred("SELECT 1").c_str()));
  if (in_tx) PQclear(PQexec(conn_, "SAVEPOINT fanzha_lastval"));
  PGresult* r = PQexec(conn_, "SELECT lastval()");
  int64_t id =
      PQresultStatus(r) == PGRES_TUPLES_OK ? std::strtoll(PQgetvalue(r, 0, 0), nullptr, 10) : 0;
  PQclear(r);
  if (in_tx) {
    if (id == 0) PQclear(PQexec(conn_, "ROLLBACK TO SAVEPOINT fanzha_lastval"));
    PQclear(PQexec(conn_, "RELEASE SAVEPOINT fanzha_lastval"));
  }
  return id;
}

// BEGIN goes to the server with the transaction's first statement (or not at all when none ran).
Status PostgresDatabase::Begin() {
  if (InTransaction())
    return Status::Internal("Begin() inside an open transaction (use SqlTransaction to nest)");
  open_ = true;
  deferred_ = {"BEGIN"};
  return Status::Ok();
}

Status PostgresDatabase::BeginRead() {
  if (InTransaction()) return Status::Internal("BeginRead() inside an open transaction");
  open_ = true;
  deferred_ = {"BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"};
  return Status::Ok();
}

Status PostgresDatabase::Commit() {
  open_ = false;
  if (PQtransactionStatus(conn_) == PQTRANS_IDLE) {  // nothing was sent: nothing to commit
    deferred_.clear();
    return Status::Ok();
  }
  // COMMIT of a transaction an error has aborted rolls it back and still answers "success":
  // say what happened instead.
  const bool aborted = PQtransactionStatus(conn_) == PQTRANS_INERROR;
  FANZHA_RETURN_IF_ERROR(Simple(*this, WithDeferred("COMMIT").c_str()));
  if (aborted)
    return Status::Io("PostgreSQL: the transaction was rolled back: a statement in it failed")
        .WithZh("PostgreSQL：事务中有语句失败，整个事务已回滚");
  return Status::Ok();
}

Status PostgresDatabase::Rollback() {
  open_ = false;
  deferred_.clear();
  if (PQtransactionStatus(conn_) == PQTRANS_IDLE) return Status::Ok();
  return Simple(*this, "ROLLBACK");
}

bool PostgresDatabase::InTransaction() const {
  const PGTransactionStatusType s = PQtransactionStatus(conn_);
  return open_ || s == PQTRANS_INTRANS || s == PQTRANS_INERROR || s == PQTRANS_ACTIVE;
}

}  // namespace fanzha::store
