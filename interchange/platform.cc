#include "interchange/platform.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <tuple>

#include "audit/audit.h"
#include "core/names.h"
#include "core/text.h"
#include "import/import.h"

namespace fanzha::interchange {
namespace {

using ojson = nlohmann::ordered_json;

constexpr std::string_view kQueryColumns =
    "id, case_id, account, institution, holder, from_at, to_at, document, requested_by, unit, "
    "continues, status, rows_received, reason, created_at, updated_at, opening, r.next_from, "
    "COALESCE(r.asks_rest, 1)";
// The queries with the opening balance of their answer and where an incomplete one stopped (tables
// of their own, migrations 14 and 15).
constexpr std::string_view kQueryTables =
    " FROM statement_queries LEFT JOIN statement_query_openings o ON o.query = id"
    " LEFT JOIN statement_query_rests r ON r.query = id";

StatementQuery ReadQuery(const store::SqlStatement& s) {
  StatementQuery q;
  q.id = s.ColumnInt64(0);
  q.case_id = s.ColumnString(1);
  q.account = s.ColumnString(2);
  q.institution = s.ColumnString(3);
  q.holder = s.ColumnString(4);
  q.from = s.ColumnInt64(5);
  q.to = s.ColumnInt64(6);
  q.mandate = freeze::Mandate{s.ColumnString(7), s.ColumnString(8), s.ColumnString(9)};
  q.continues = s.ColumnInt64(10);
  q.status = s.ColumnString(11);
  q.rows = s.ColumnInt64(12);
  q.reason = s.ColumnString(13);
  q.created_at = s.ColumnInt64(14);
  q.updated_at = s.ColumnInt64(15);
  if (!s.ColumnIsNull(16)) q.opening = s.ColumnInt64(16);
  if (!s.ColumnIsNull(17)) q.next_from = s.ColumnInt64(17);
  q.asks_rest = s.ColumnInt64(18) != 0;
  return q;
}

Result<std::optional<StatementQuery>> GetQuery(store::SqlDatabase& db, int64_t id) {
  FANZHA_ASSIGN_OR_RETURN(auto st, db.Prepare("SELECT " + std::string(kQueryColumns) +
                                              std::string(kQueryTables) + " WHERE id = ?"));
  st->Bind(1, id);
  FANZHA_ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) return std::optional<StatementQuery>();
  return std::optional<StatementQuery>(ReadQuery(*st));
}

// Records one request (or, when the institution cannot be carried, that it cannot be sent).
Status Record(store::SqlDatabase& db, const Request& r, int64_t order_id, int renewal,
              int64_t query_id, Millis now) {
  Result<std::string> token = InstitutionToken(r.institution);
  FANZHA_ASSIGN_OR_RETURN(
      auto st,
      db.Prepare("INSERT INTO interchange_requests (id, kind, order_id, renewal, query_id, "
                 "institution, subject, body, created_at, published_at, attempts, "
                 "last_error, status, answered_at, bank_ms, answer) VALUES "
                 "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, 0, 0, '') ON CONFLICT (id) DO NOTHING"));
  st->Bind(1, r.id).Bind(2, Name(r.kind)).Bind(3, order_id).Bind(4, renewal).Bind(5, query_id);
  st->Bind(6, r.institution).Bind(7, token.ok() ? RequestSubject(*token) : "");
  st->Bind(8, ToJson(r)).Bind(9, now).Bind(10, token.ok() ? 0 : -1);
  st->Bind(11, token.ok() ? "" : token.status().message())
      .Bind(12, token.ok() ? "queued" : "unsendable");
  return st->Run();
}

Request OrderRequest(const freeze::Order& o, std::string_view platform, Millis now) {
  Request r;
  r.id = OrderRequestId(platform, o.id);
  r.kind = o.kind == freeze::OrderKind::kStopPayment ? Kind::kStopPayment
           : o.kind == freeze::OrderKind::kFreeze    ? Kind::kFreeze
                                                     : Kind::kRelease;
  r.institution = o.institution;
  r.sent_at = now;
  r.ref = OrderRef(platform, o.id);
  r.case_id = o.case_id;
  r.document = o.mandate.document;
  r.requested_by = Party{o.mandate.requested_by, o.mandate.unit};
  r.account = AccountRef{o.account, o.holder};
  if (o.payment_time != 0) r.payment = Payment{o.payment_amount, o.payment_time};
  r.amount = o.requested;
  if (o.kind == freeze::OrderKind::kRelease) r.releases = OrderRef(platform, o.releases);
  return r;
}

Status QueueOrders(store::SqlDatabase& db, std::string_view platform, Millis now, size_t limit) {
  // Sent orders (the book's) without a request of their own yet (this module's table).
  FANZHA_ASSIGN_OR_RETURN(std::vector<int64_t> sent,
                          freeze::OrderBook(db).IdsWithStatus(freeze::OrderStatus::kSent));
  FANZHA_ASSIGN_OR_RETURN(auto asked,
                          db.Prepare("SELECT 1 FROM interchange_requests WHERE order_id = ? AND "
                                     "renewal = 0 AND query_id = 0 LIMIT 1"));
  std::vector<int64_t> ids;
  for (int64_t id : sent) {
    if (ids.size() >= limit) break;
    FANZHA_ASSIGN_OR_RETURN(bool has, asked->Bind(1, id).Step());
    asked->Reset();
    if (!has) ids.push_back(id);
  }
  freeze::OrderBook book(db);
  for (int64_t id : ids) {
    FANZHA_ASSIGN_OR_RETURN(auto o, book.Get(id));
    if (!o) continue;
    FANZHA_RETURN_IF_ERROR(Record(db, OrderRequest(*o, platform, now), o->id, 0, 0, now));
  }
  return Status::Ok();
}

Status QueueRenewals(store::SqlDatabase& db, std::string_view platform, Millis now) {
  freeze::OrderBook book(db);
  FANZHA_ASSIGN_OR_RETURN(std::vector<freeze::Renewal> pending, book.PendingRenewals());
  for (const freeze::Renewal& rn : pending) {
    std::string id = RenewalRequestId(platform, rn.order_id, rn.number);
    FANZHA_ASSIGN_OR_RETURN(auto exists,
                            db.Prepare("SELECT 1 FROM interchange_requests WHERE id = ?"));
    exists->Bind(1, id);
    FANZHA_ASSIGN_OR_RETURN(bool known, exists->Step());
    if (known) continue;
    FANZHA_ASSIGN_OR_RETURN(auto o, book.Get(rn.order_id));
    if (!o) continue;
    Request r;
    r.id = id;
    r.kind = Kind::kRenewal;
    r.institution = o->institution;
    r.sent_at = now;
    r.ref = OrderRef(platform, o->id);
    r.document = rn.mandate.document;
    r.requested_by = Party{rn.mandate.requested_by, rn.mandate.unit};
    r.renewal = rn.number;
    FANZHA_RETURN_IF_ERROR(Record(db, r, o->id, rn.number, 0, now));
  }
  return Status::Ok();
}

Status QueueQueries(store::SqlDatabase& db, std::string_view platform, Millis now) {
  FANZHA_ASSIGN_OR_RETURN(
      auto st, db.Prepare("SELECT " + std::string(kQueryColumns) + std::string(kQueryTables) +
                          " WHERE status = 'queued' ORDER BY id"));
  FANZHA_ASSIGN_OR_RETURN(std::vector<StatementQuery> queued,
                          store::ReadRows<StatementQuery>(*st, ReadQuery));
  for (const StatementQuery& q : queued) {
    Request r;
    r.id = QueryRequestId(platform, q.id);
    r.kind = Kind::kStatement;
    r.institution = q.institution;
    r.sent_at = now;
    r.ref = QueryRef(platform, q.id);
    r.case_id = q.case_id;
    r.document = q.mandate.document;
    r.requested_by = Party{q.mandate.requested_by, q.mandate.unit};
    r.account = AccountRef{q.account, q.holder};
    r.from = q.from;
    r.to = q.to;
    FANZHA_RETURN_IF_ERROR(Record(db, r, 0, 0, q.id, now));
    FANZHA_ASSIGN_OR_RETURN(
        auto sent,
        db.Prepare("UPDATE statement_queries SET status = 'sent', updated_at = ? WHERE id = ?"));
    sent->Bind(1, now).Bind(2, q.id);
    FANZHA_RETURN_IF_ERROR(sent->Run());
  }
  return Status::Ok();
}

// ---- answers ----

struct RequestState {
  std::string kind;
  int64_t order_id = 0;
  int renewal = 0;
  int64_t query_id = 0;
  std::string institution;
  Millis answered_at = 0;
};

Result<std::optional<RequestState>> FindRequest(store::SqlDatabase& db, const std::string& id) {
  FANZHA_ASSIGN_OR_RETURN(auto st,
                          db.Prepare("SELECT kind, order_id, renewal, query_id, institution, "
                                     "answered_at FROM interchange_requests WHERE id = ?"));
  st->Bind(1, id);
  FANZHA_ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) return std::optional<RequestState>();
  return std::optional<RequestState>(
      RequestState{st->ColumnString(0), st->ColumnInt64(1), static_cast<int>(st->ColumnInt64(2)),
                   st->ColumnInt64(3), st->ColumnString(4), st->ColumnInt64(5)});
}

Status InsertFault(store::SqlDatabase& db, std::string_view subject, std::string_view msg_id,
                   const std::string& reason, std::string_view bytes, Millis now) {
  auto safe = [](std::string_view text, size_t max) {
    return IsValidUtf8(text) ? Utf8Prefix(text, max)
                             : "(not UTF-8: " + std::to_string(text.size()) + " bytes)";
  };
  FANZHA_ASSIGN_OR_RETURN(auto st,
                          db.Prepare("INSERT INTO interchange_faults (at, subject, msg_id, "
                                     "reason, excerpt) VALUES (?, ?, ?, ?, ?)"));
  st->Bind(1, now)
      .Bind(2, safe(subject, 200))
      .Bind(3, safe(msg_id, 200))
      .Bind(4, safe(reason, 1000));
  st->Bind(5, safe(bytes, 400));
  return st->Run();
}

// The reason an order keeps for a rejection: the code, the facts that did not match, and the
// bank's words in both languages.
std::string RejectionText(const Answer& a) {
  std::string text = a.code;
  if (!a.facts.empty()) {
    text += " (";
    for (size_t i = 0; i < a.facts.size(); ++i) text += (i ? ", " : "") + a.facts[i];
    text += ")";
  }
  if (!a.message_zh.empty()) text += ": " + a.message_zh;
  if (!a.message.empty()) text += (a.message_zh.empty() ? ": " : " / ") + a.message;
  return text;
}

// A statement answer: written as the bank's statement file, then imported like one.
Result<std::string> ImportStatement(store::Store& store, const StatementQuery& q, const Answer& a,
                                    const AnswerContext& context) {
  const Statement& s = *a.statement;
  if (s.account != q.account) {
    return Status::Invalid("statement.account: " + s.account + " is not the account asked for (" +
                           q.account + ")")
        .WithZh("statement.account：" + s.account + " 不是所查询的账户（" + q.account + "）");
  }
  std::error_code ec;
  std::filesystem::create_directories(context.statements_dir, ec);
  std::string path =
      context.statements_dir + "/statement_q" + std::to_string(q.id) + "_" + q.account + ".csv";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << s.csv;
    if (!out)
      return Status::Io(path + ": cannot write the statement answer")
          .WithZh(path + "：无法写入银行回复的流水");
  }
  if (s.rows == 0) return path + " (no postings)";
  import::Options options;
  options.progress = false;
  import::Outcome outcome = import::ImportFiles(store, {path}, options);
  FANZHA_RETURN_IF_ERROR(outcome.status);
  int64_t added = 0, merged = 0;
  for (const auto& f : outcome.files) added += f.added, merged += f.merged;
  return path + ": " + std::to_string(s.rows) + " postings, " + std::to_string(added) +
         " transfers added, " + std::to_string(merged) + " merged";
}

struct Applying {
  Applied what;
  std::string detail;
};

// The effect of a final answer on the platform's records. Inside the caller's transaction.
Result<Applying> ApplyFinal(store::Store& store, const RequestState& req, const Answer& a,
                            const AnswerContext& context, Millis now) {
  store::SqlDatabase& db = store.sql();
  freeze::OrderBook book(db);
  const bool executed = a.status == AnswerStatus::kExecuted;
  std::string by = " by " + a.institution;
  if (a.kind == Kind::kStatement) {
    FANZHA_ASSIGN_OR_RETURN(auto q, GetQuery(db, req.query_id));
    if (!q)
      return Status::Internal("statement query " + std::to_string(req.query_id) + " vanished");
    std::string detail;
    int64_t rows = 0;
    std::optional<Millis> next_from;  // an incomplete answer: where its rest starts
    std::string status = executed ? "answered" : "rejected";
    if (executed) {
      if (!a.statement)
        return Applying{Applied::kFault, "an executed statement answer without a statement"};
      if (!a.statement->complete &&
          (a.statement->next_from <= q->from || a.statement->next_from >= q->to)) {
        return Applying{Applied::kFault,
                        "an incomplete statement answer whose next_from " +
                            FormatTime(a.statement->next_from) +
                            " is not inside the window: the rest cannot be asked for"};
      }
      Result<std::string> imported = ImportStatement(store, *q, a, context);
      if (!imported.ok())
        return Applying{Applied::kFault, "statement not imported: " + imported.status().message()};
      detail = *imported;
      rows = a.statement->rows;
      if (!a.statement->complete) {
        next_from = a.statement->next_from;
        if (q->asks_rest) {
          StatementQuery next = *q;
          next.from = *next_from;
          next.continues = q->id;
          FANZHA_ASSIGN_OR_RETURN(StatementQuery asked, AskStatement(db, next, now));
          detail += "; the rest is asked for by query " + std::to_string(asked.id);
        } else {
          detail += "; the rest, from " + FormatTime(*next_from) + ", is left to the asker";
        }
      }
    } else {
      detail = RejectionText(a);
    }
    FANZHA_ASSIGN_OR_RETURN(
        auto st, db.Prepare("UPDATE statement_queries SET status = ?, rows_received = ?, "
                            "reason = ?, updated_at = ? WHERE id = ?"));
    st->Bind(1, status).Bind(2, rows).Bind(3, executed ? "" : detail).Bind(4, now).Bind(5, q->id);
    FANZHA_RETURN_IF_ERROR(st->Run());
    if (next_from) {
      FANZHA_ASSIGN_OR_RETURN(
          auto rest,
          db.Prepare("INSERT INTO statement_query_rests (query, next_from) VALUES (?, ?) "
                     "ON CONFLICT (query) DO UPDATE SET next_from = excluded.next_from"));
      rest->Bind(1, q->id).Bind(2, *next_from);
      FANZHA_RETURN_IF_ERROR(rest->Run());
    }
    if (executed && a.statement && a.statement->opening) {
      FANZHA_ASSIGN_OR_RETURN(
          auto put,
          db.Prepare("INSERT INTO statement_query_openings (query, opening) VALUES (?, ?)"));
      put->Bind(1, q->id).Bind(2, *a.statement->opening);
      FANZHA_RETURN_IF_ERROR(put->Run());
    }
    return Applying{Applied::kApplied,
                    "query " + std::to_string(q->id) + " " + status + by + ": " + detail};
  }
  if (a.kind == Kind::kRenewal) {
    Result<freeze::Order> o = book.AnswerRenewal(req.order_id, req.renewal, executed, a.deadline,
                                                 executed ? "" : RejectionText(a), now);
    if (!o.ok()) {
      if (o.status().code() == ErrorCode::kIoError) return o.status();
      return Applying{Applied::kFault, "renewal not applied: " + o.status().message()};
    }
    return Applying{Applied::kApplied,
                    "renewal " + std::to_string(req.renewal) +
                        (executed ? " executed" + by + ": until " + FormatTime(o->deadline)
                                  : " rejected" + by + ": " + RejectionText(a))};
  }
  Result<freeze::Order> o =
      executed ? book.Execute(req.order_id, a.amount, a.at, a.deadline, "executed" + by, now)
               : book.Reject(req.order_id, RejectionText(a), now);
  if (!o.ok()) {
    if (o.status().code() == ErrorCode::kIoError) return o.status();
    return Applying{Applied::kFault, "order not moved: " + o.status().message()};
  }
  return Applying{Applied::kApplied,
                  "sent -> " + std::string(freeze::Name(o->status)) +
                      (executed ? " " + FormatMoney(a.amount) +
                                      (o->deadline ? ", until " + FormatTime(o->deadline) : "")
                                : ": " + o->reason)};
}

}  // namespace

// ---- statement queries ------------------------------------------------------------------------

Result<StatementQuery> AskStatement(store::SqlDatabase& db, StatementQuery q, Millis now) {
  if (q.account.empty())
    return Status::Invalid("account: required").WithZh("account：须填写查询账号");
  if (q.institution.empty())
    return Status::Invalid("institution: required").WithZh("institution：须填写开户机构");
  FANZHA_RETURN_IF_ERROR(InstitutionToken(q.institution).status());
  if (q.to <= q.from)
    return Status::Invalid("to: the window ends before it starts")
        .WithZh("查询时间段的结束早于开始");
  if (q.mandate.document.empty() && q.continues == 0) {
    return Status::Invalid("document: a statement query is made with its document's number")
        .WithZh("document：明细查询须填写协查文书文号");
  }
  FANZHA_ASSIGN_OR_RETURN(
      auto st,
      db.Prepare("INSERT INTO statement_queries (case_id, account, institution, holder, from_at, "
                 "to_at, document, requested_by, unit, continues, status, rows_received, "
                 "reason, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                 "'queued', 0, '', ?, ?)"));
  st->Bind(1, q.case_id)
      .Bind(2, q.account)
      .Bind(3, q.institution)
      .Bind(4, q.holder)
      .Bind(5, q.from);
  st->Bind(6, q.to)
      .Bind(7, q.mandate.document)
      .Bind(8, q.mandate.requested_by)
      .Bind(9, q.mandate.unit);
  st->Bind(10, q.continues).Bind(11, now).Bind(12, now);
  FANZHA_RETURN_IF_ERROR(st->Run());
  q.id = db.LastInsertId();
  if (!q.asks_rest) {
    FANZHA_ASSIGN_OR_RETURN(
        auto rest,
        db.Prepare("INSERT INTO statement_query_rests (query, asks_rest) VALUES (?, 0)"));
    rest->Bind(1, q.id);
    FANZHA_RETURN_IF_ERROR(rest->Run());
  }
  q.status = "queued";
  q.created_at = q.updated_at = now;
  return q;
}

Result<std::vector<StatementQuery>> ListStatementQueries(store::SqlDatabase& db,
                                                         const std::string& account) {
  // Two forms, so that one account's queries are found through its index.
  FANZHA_ASSIGN_OR_RETURN(
      auto st, db.Prepare("SELECT " + std::string(kQueryColumns) + std::string(kQueryTables) +
                          (account.empty() ? "" : " WHERE account = ?") + " ORDER BY id"));
  if (!account.empty()) st->Bind(1, account);
  return store::ReadRows<StatementQuery>(*st, ReadQuery);
}

Result<std::vector<std::vector<StatementQuery>>> ListStatementQueries(
    store::SqlDatabase& db, const std::vector<std::string>& accounts) {
  FANZHA_ASSIGN_OR_RETURN(
      auto st, db.Prepare("SELECT " + std::string(kQueryColumns) + std::string(kQueryTables) +
                          " WHERE account = ? ORDER BY id"));
  std::vector<std::vector<StatementQuery>> out;
  out.reserve(accounts.size());
  for (const std::string& account : accounts) {
    st->Bind(1, account);
    FANZHA_ASSIGN_OR_RETURN(std::vector<StatementQuery> queries,
                            store::ReadRows<StatementQuery>(*st, ReadQuery));
    st->Reset();
    out.push_back(std::move(queries));
  }
  return out;
}

ojson ToJson(const StatementQuery& q) {
  return {{"id", q.id},
          {"case", q.case_id},
          {"account", q.account},
          {"institution", q.institution},
          {"from", FormatTime(q.from)},
          {"to", FormatTime(q.to)},
          {"document", q.mandate.document},
          {"requested_by", q.mandate.requested_by},
          {"continues", q.continues ? ojson(q.continues) : ojson()},
          {"status", q.status},
          {"rows", q.rows},
          {"opening", q.opening ? ojson(FormatMoney(*q.opening)) : ojson()},
          {"next_from", q.next_from ? ojson(FormatTime(*q.next_from)) : ojson()},
          {"asks_rest", q.asks_rest},
          {"reason", q.reason},
          {"created_at", FormatTime(q.created_at)},
          {"updated_at", FormatTime(q.updated_at)}};
}

// ---- requests out -----------------------------------------------------------------------------

Result<std::vector<Outgoing>> QueueRequests(store::SqlDatabase& db, std::string_view platform,
                                            Millis now, size_t limit) {
  FANZHA_RETURN_IF_ERROR(CheckPlatformName(platform));
  FANZHA_ASSIGN_OR_RETURN(auto tx, store::SqlTransaction::Begin(&db));
  FANZHA_RETURN_IF_ERROR(QueueOrders(db, platform, now, limit));
  FANZHA_RETURN_IF_ERROR(QueueRenewals(db, platform, now));
  FANZHA_RETURN_IF_ERROR(QueueQueries(db, platform, now));
  FANZHA_ASSIGN_OR_RETURN(
      auto st, db.Prepare("SELECT id, institution, subject, body FROM interchange_requests "
                          "WHERE published_at = 0 ORDER BY created_at, id LIMIT ?"));
  st->Bind(1, static_cast<int64_t>(limit));
  FANZHA_ASSIGN_OR_RETURN(
      std::vector<Outgoing> out, store::ReadRows<Outgoing>(*st, [](const store::SqlStatement& r) {
        return Outgoing{r.ColumnString(0), r.ColumnString(1), r.ColumnString(2), r.ColumnString(3)};
      }));
  st.reset();
  FANZHA_RETURN_IF_ERROR(tx.Commit());
  return out;
}

Status MarkPublished(store::SqlDatabase& db, const std::string& id, Millis now) {
  FANZHA_ASSIGN_OR_RETURN(auto st,
                          db.Prepare("UPDATE interchange_requests SET published_at = ?, "
                                     "attempts = attempts + 1, last_error = '', status = "
                                     "CASE WHEN status = 'queued' THEN 'published' ELSE status END "
                                     "WHERE id = ?"));
  st->Bind(1, now).Bind(2, id);
  return st->Run();
}

Status MarkPublishFailed(store::SqlDatabase& db, const std::string& id, const std::string& error) {
  FANZHA_ASSIGN_OR_RETURN(auto st,
                          db.Prepare("UPDATE interchange_requests SET attempts = attempts + 1, "
                                     "last_error = ? WHERE id = ?"));
  st->Bind(1, Utf8Prefix(error, 500)).Bind(2, id);
  return st->Run();
}

namespace {

// The columns of a RequestRow, then `extra`, of interchange_requests.
std::string RequestColumns(std::string_view extra) {
  return "SELECT id, kind, order_id, renewal, query_id, institution, status, created_at, "
         "published_at, answered_at, bank_ms, attempts, last_error" +
         std::string(extra) + " FROM interchange_requests ";
}

RequestRow ReadRequestRow(const store::SqlStatement& s) {
  RequestRow r;
  r.id = s.ColumnString(0);
  r.kind = s.ColumnString(1);
  r.order_id = s.ColumnInt64(2);
  r.renewal = static_cast<int>(s.ColumnInt64(3));
  r.query_id = s.ColumnInt64(4);
  r.institution = s.ColumnString(5);
  r.status = s.ColumnString(6);
  r.created_at = s.ColumnInt64(7);
  r.published_at = s.ColumnInt64(8);
  r.answered_at = s.ColumnInt64(9);
  r.bank_ms = s.ColumnInt64(10);
  r.attempts = static_cast<int>(s.ColumnInt64(11));
  r.last_error = s.ColumnString(12);
  return r;
}

}  // namespace

Result<std::vector<RequestRow>> ListRequests(store::SqlDatabase& db, int64_t order_id,
                                             size_t limit) {
  FANZHA_ASSIGN_OR_RETURN(
      auto st, db.Prepare(RequestColumns("") + "WHERE (? = 0 OR order_id = ?) ORDER BY created_at "
                                               "DESC, id DESC LIMIT ?"));
  st->Bind(1, order_id).Bind(2, order_id).Bind(3, static_cast<int64_t>(limit));
  return store::ReadRows<RequestRow>(*st, ReadRequestRow);
}

Result<std::vector<Exchange>> ExchangesOf(store::SqlDatabase& db,
                                          const std::vector<int64_t>& order_ids,
                                          const std::vector<int64_t>& query_ids) {
  auto read = [](const store::SqlStatement& s) {
    return Exchange{ReadRequestRow(s), s.ColumnString(13), s.ColumnString(14)};
  };
  std::vector<Exchange> out;
  FANZHA_ASSIGN_OR_RETURN(auto by_order,
                          db.Prepare(RequestColumns(", body, answer") + "WHERE order_id = ?"));
  for (int64_t id : order_ids) {
    by_order->Reset();
    by_order->Bind(1, id);
    FANZHA_ASSIGN_OR_RETURN(std::vector<Exchange> rows, store::ReadRows<Exchange>(*by_order, read));
    for (Exchange& e : rows) out.push_back(std::move(e));
  }
  if (!query_ids.empty()) {
    const std::set<int64_t> wanted(query_ids.begin(), query_ids.end());
    FANZHA_ASSIGN_OR_RETURN(auto by_query,
                            db.Prepare(RequestColumns(", body, answer") + "WHERE query_id > 0"));
    FANZHA_ASSIGN_OR_RETURN(std::vector<Exchange> rows, store::ReadRows<Exchange>(*by_query, read));
    for (Exchange& e : rows) {
      if (wanted.count(e.row.query_id)) out.push_back(std::move(e));
    }
  }
  std::sort(out.begin(), out.end(), [](const Exchange& a, const Exchange& b) {
    return std::tie(a.row.created_at, a.row.id) < std::tie(b.row.created_at, b.row.id);
  });
  return out;
}

ojson ToJson(const RequestRow& r) {
  auto time_or_null = [](Millis t) { return t > 0 ? ojson(FormatTime(t)) : ojson(); };
  return {{"id", r.id},
          {"kind", r.kind},
          {"order", r.order_id ? ojson(r.order_id) : ojson()},
          {"renewal", r.renewal ? ojson(r.renewal) : ojson()},
          {"query", r.query_id ? ojson(r.query_id) : ojson()},
          {"institution", r.institution},
          {"status", r.status},
          {"created_at", FormatTime(r.created_at)},
          {"published_at", time_or_null(r.published_at)},
          {"answered_at", time_or_null(r.answered_at)},
          {"bank_ms", r.bank_ms},
          {"attempts", r.attempts},
          {"last_error", r.last_error}};
}

// ---- answers in -------------------------------------------------------------------------------

std::string_view Name(Applied a) {
  switch (a) {
    case Applied::kApplied:
      return "applied";
    case Applied::kPending:
      return "pending";
    case Applied::kDuplicate:
      return "duplicate";
    case Applied::kFault:
      return "fault";
  }
  return "?";
}

Result<AnswerOutcome> ApplyAnswer(store::Store& store, std::string_view subject,
                                  std::string_view bytes, const AnswerContext& context,
                                  Millis now) {
  store::SqlDatabase& db = store.sql();
  AnswerOutcome out;
  std::optional<store::SqlTransaction> tx;
  // Not applied: the answer is kept as a fault (committed, whatever else rolls back).
  auto fault = [&](const std::string& reason) -> Result<AnswerOutcome> {
    FANZHA_RETURN_IF_ERROR(InsertFault(db, subject, out.request, reason, bytes, now));
    if (tx) FANZHA_RETURN_IF_ERROR(tx->Commit());
    out.what = Applied::kFault;
    out.detail = reason;
    return out;
  };
  std::string_view token = AnswerSubjectToken(subject);
  if (token.empty())
    return fault("subject '" + std::string(subject) +
                 "' is not an answer subject (fanzha.ans.<institution>)");
  Result<Answer> parsed = ParseAnswer(bytes);
  if (!parsed.ok()) {
    out.request = EnvelopeOf(bytes).id;
    return fault((parsed.status().code() == ErrorCode::kTooLarge ? "too_large: " : "malformed: ") +
                 parsed.status().message());
  }
  const Answer& a = *parsed;
  out.request = a.request;
  if (a.id != (a.status == AnswerStatus::kPending ? PendingAnswerId(a.request)
                                                  : FinalAnswerId(a.request))) {
    return fault("id: '" + a.id + "' is not the id of a " + std::string(Name(a.status)) +
                 " answer to " + a.request);
  }
  {
    FANZHA_ASSIGN_OR_RETURN(auto begun, store::SqlTransaction::Begin(&db));
    tx.emplace(std::move(begun));
  }
  FANZHA_ASSIGN_OR_RETURN(std::optional<RequestState> req, FindRequest(db, a.request));
  if (!req) return fault("request: no request '" + a.request + "' was sent by this platform");
  out.order_id = req->query_id ? req->query_id : req->order_id;
  Result<std::string> expected = InstitutionToken(req->institution);
  if (!expected.ok() || *expected != token || a.institution != req->institution) {
    return fault("institution: an answer from '" + a.institution + "' on " + std::string(subject) +
                 " to a request sent to '" + req->institution +
                 "': a bank answers only its own requests");
  }
  if (std::string(Name(a.kind)) != req->kind) {
    return fault("kind: the answer is for a " + std::string(Name(a.kind)) + ", the request was a " +
                 req->kind);
  }
  if (req->answered_at != 0) {
    out.what = Applied::kDuplicate;
    out.detail = "the request has its final answer already";
    return out;  // nothing written: the transaction rolls back
  }
  freeze::OrderBook book(db);
  audit::Entry entry;
  entry.at = now;
  entry.user = "bank:" + a.institution;
  entry.role = "bank";
  entry.target = a.kind == Kind::kStatement ? "query " + std::to_string(req->query_id)
                                            : "order " + std::to_string(req->order_id);
  if (a.status == AnswerStatus::kPending) {
    std::string note = "pending at " + a.institution +
                       (a.message_zh.empty() ? "" : ": " + a.message_zh) +
                       (a.message.empty() ? "" : " / " + a.message);
    if (req->order_id) FANZHA_RETURN_IF_ERROR(book.Note(req->order_id, note, now));
    FANZHA_ASSIGN_OR_RETURN(auto st,
                            db.Prepare("UPDATE interchange_requests SET status = 'pending' "
                                       "WHERE id = ? AND answered_at = 0"));
    st->Bind(1, a.request);
    FANZHA_RETURN_IF_ERROR(st->Run());
    FANZHA_RETURN_IF_ERROR(tx->Commit());
    out.what = Applied::kPending;
    out.detail = note;
    return out;
  }
  FANZHA_ASSIGN_OR_RETURN(Applying applied, ApplyFinal(store, *req, a, context, now));
  if (applied.what == Applied::kFault) {
    FANZHA_RETURN_IF_ERROR(InsertFault(db, subject, a.request, applied.detail, bytes, now));
  }
  FANZHA_ASSIGN_OR_RETURN(auto st,
                          db.Prepare("UPDATE interchange_requests SET status = ?, answered_at = ?, "
                                     "bank_ms = ?, answer = ? WHERE id = ?"));
  st->Bind(1, applied.what == Applied::kFault ? "unapplied" : std::string(Name(a.status)));
  st->Bind(2, now).Bind(3, a.bank_ms).Bind(4, bytes).Bind(5, a.request);
  FANZHA_RETURN_IF_ERROR(st->Run());
  entry.action = a.kind == Kind::kStatement ? "statement.answer" : "freeze.answer";
  entry.detail = Utf8Prefix(
      std::string(Name(a.kind)) + " " + std::string(Name(a.status)) + ": " + applied.detail, 900);
  if (!context.audit_key)
    return Status::Invalid("the audit key is needed to apply answers (AnswerContext::audit_key)")
        .WithZh("需要审计密钥才能处理银行的回执（AnswerContext::audit_key）");

  FANZHA_RETURN_IF_ERROR(audit::AuditLog(db, *context.audit_key).Append(entry).status());
  FANZHA_RETURN_IF_ERROR(tx->Commit());
  out.what = applied.what;
  out.detail = applied.detail;
  return out;
}

Result<std::vector<Fault>> ListFaults(store::SqlDatabase& db, size_t limit) {
  FANZHA_ASSIGN_OR_RETURN(auto st,
                          db.Prepare("SELECT id, at, subject, msg_id, reason, excerpt FROM "
                                     "interchange_faults ORDER BY id DESC LIMIT ?"));
  st->Bind(1, static_cast<int64_t>(limit));
  return store::ReadRows<Fault>(*st, [](const store::SqlStatement& s) {
    return Fault{s.ColumnInt64(0),  s.ColumnInt64(1),  s.ColumnString(2),
                 s.ColumnString(3), s.ColumnString(4), s.ColumnString(5)};
  });
}

// ---- the running platform ---------------------------------------------------------------------

Result<std::unique_ptr<Platform>> Platform::Start(const PlatformOptions& options) {
  FANZHA_RETURN_IF_ERROR(CheckPlatformName(options.platform));
  if (!options.audit_key) {
    return Status::Invalid(
               "the platform appends the banks' answers to the audit log: it needs the audit key")
        .WithZh("平台需要审计密钥才能把银行的回执写入审计日志");
  }
  std::unique_ptr<Platform> p(new Platform(options));
  if (!p->options_.clock) p->options_.clock = &SystemClock();
  if (p->options_.statements_dir.empty())
    p->options_.statements_dir = store::Store::SideFiles(options.db) + ".statements";
  if (p->options_.nats.name.empty()) p->options_.nats.name = "fanzha platform " + options.platform;
  FANZHA_ASSIGN_OR_RETURN(p->send_store_, store::Store::Open(options.db));
  FANZHA_ASSIGN_OR_RETURN(p->receive_store_, store::Store::Open(options.db));
  FANZHA_ASSIGN_OR_RETURN(p->nats_, Connection::Open(p->options_.nats));
  StreamSpec answers{std::string(kAnswerStream),
                     {std::string(kAnswerSubjects)},
                     static_cast<int32_t>(kMaxAnswerBytes),
                     options.replicas};
  FANZHA_RETURN_IF_ERROR(p->nats_->EnsureStream(answers));
  FANZHA_ASSIGN_OR_RETURN(
      p->answers_, p->nats_->PullConsumer(std::string(kAnswerStream), std::string(kAnswerSubjects),
                                          std::string(kPlatformConsumer), 30000));
  Platform* raw = p.get();
  p->sender_ = std::thread([raw] { raw->SendLoop(); });
  p->receiver_ = std::thread([raw] { raw->ReceiveLoop(); });
  return p;
}

Platform::~Platform() { Stop(); }

void Platform::Wake() {
  MutexLock lock(mu_);
  woken_ = true;
  wake_.SignalAll();
}

void Platform::Stop() {
  {
    MutexLock lock(mu_);
    if (stopping_ && !sender_.joinable() && !receiver_.joinable()) return;
    stopping_ = true;
  }
  wake_.SignalAll();
  if (sender_.joinable()) sender_.join();
  if (receiver_.joinable()) receiver_.join();
}

Platform::Stats Platform::stats() const {
  return Stats{published_.load(),          applied_.load(), pending_.load(),
               duplicates_.load(),         faults_.load(),  errors_.load(),
               nats_ && nats_->connected()};
}

Status Platform::EnsureRequestStream(const std::string& institution) {
  if (std::find(streams_.begin(), streams_.end(), institution) != streams_.end())
    return Status::Ok();
  FANZHA_ASSIGN_OR_RETURN(std::string token, InstitutionToken(institution));
  StreamSpec spec{RequestStream(token),
                  {RequestSubject(token)},
                  static_cast<int32_t>(kMaxRequestBytes),
                  options_.replicas};
  FANZHA_RETURN_IF_ERROR(nats_->EnsureStream(spec));
  streams_.push_back(institution);
  return Status::Ok();
}

void Platform::SendLoop() {
  store::SqlDatabase& db = send_store_->sql();
  Millis backoff = 0;
  for (;;) {
    {
      MutexLock lock(mu_);
      if (!stopping_ && !(woken_ && backoff == 0))
        wake_.WaitFor(mu_, std::chrono::milliseconds(backoff ? backoff : options_.poll_every));
      if (stopping_) return;
      woken_ = false;
    }
    backoff = 0;
    for (bool more = true; more;) {
      Result<std::vector<Outgoing>> batch =
          QueueRequests(db, options_.platform, options_.clock->Now(), 256);
      if (!batch.ok()) {  // the store is busy or gone: try again soon
        ++errors_;
        std::fprintf(stderr, "fanzha interchange: %s\n", batch.status().ToString().c_str());
        backoff = 1000;
        break;
      }
      more = batch->size() == 256;
      for (const Outgoing& out : *batch) {
        Status st = EnsureRequestStream(out.institution);
        if (st.ok()) st = nats_->Publish(out.subject, out.id, out.body);
        Status marked = st.ok() ? MarkPublished(db, out.id, options_.clock->Now())
                                : MarkPublishFailed(db, out.id, st.message());
        if (!st.ok() || !marked.ok()) {  // NATS unreachable (a failover) or the store busy
          ++errors_;
          backoff = 500;
          more = false;
          break;
        }
        ++published_;
      }
      MutexLock lock(mu_);
      if (stopping_) return;
    }
  }
}

void Platform::ReceiveLoop() {
  AnswerContext context{options_.statements_dir, options_.audit_key};
  for (;;) {
    {
      MutexLock lock(mu_);
      if (stopping_) return;
    }
    Result<std::vector<std::unique_ptr<Delivery>>> batch = answers_->Fetch(256, 500);
    if (!batch.ok()) {  // a failover in progress: the connection reconnects by itself
      ++errors_;
      MutexLock lock(mu_);
      if (!stopping_) wake_.WaitFor(mu_, std::chrono::milliseconds(200));
      continue;
    }
    for (auto& d : *batch) {
      Result<AnswerOutcome> r =
          ApplyAnswer(*receive_store_, d->subject(), d->data(), context, options_.clock->Now());
      if (!r.ok()) {  // the store could not be written: let it come again
        ++errors_;
        (void)d->Nak(1000);
        continue;
      }
      switch (r->what) {
        case Applied::kApplied:
          ++applied_;
          break;
        case Applied::kPending:
          ++pending_;
          break;
        case Applied::kDuplicate:
          ++duplicates_;
          break;
        case Applied::kFault:
          ++faults_;
          break;
      }
      (void)d->Ack();
    }
  }
}

}  // namespace fanzha::interchange
