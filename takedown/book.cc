// TakedownBook: takedown requests in the store (table takedowns; takedown.h).
#include <set>

#include "takedown/takedown.h"

namespace fanzha::takedown {
namespace {

bool CanMove(State from, State to) {
  if (from == State::kRequested) return to == State::kSent || to == State::kRefused;
  if (from == State::kSent) return to == State::kBlocked || to == State::kRefused;
  return false;
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : ";") + s;
  return out;
}

std::vector<std::string> Split(std::string_view s) {
  std::vector<std::string> out;
  while (!s.empty()) {
    size_t semi = s.find(';');
    out.emplace_back(s.substr(0, semi));
    if (semi == std::string_view::npos) break;
    s.remove_prefix(semi + 1);
  }
  return out;
}

Result<std::set<std::pair<std::string, std::string>>> Known(store::SqlDatabase& db) {
  std::set<std::pair<std::string, std::string>> out;
  FANZHA_ASSIGN_OR_RETURN(auto s, db.Prepare("SELECT kind, value FROM takedowns"));
  for (;;) {
    FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return out;
    out.insert({s->ColumnString(0), s->ColumnString(1)});
  }
}

Request ReadRequest(const store::SqlStatement& s) {
  Request r;
  r.id = s.ColumnInt64(0);
  auto kind = ParseKind(s.ColumnText(1));
  r.kind = kind.ok() ? *kind : Kind::kDomain;
  r.value = s.ColumnString(2);
  r.platform = s.ColumnString(3);
  auto state = ParseState(s.ColumnText(4));
  r.state = state.ok() ? *state : State::kRequested;
  r.reason = s.ColumnString(5);
  r.lead_id = s.ColumnInt64(6);
  r.cases = Split(s.ColumnText(7));
  r.category = s.ColumnString(8);
  r.region = s.ColumnString(9);
  r.created_at = s.ColumnInt64(10);
  r.updated_at = s.ColumnInt64(11);
  return r;
}

}  // namespace

Result<int64_t> TakedownBook::FromLeads(const std::vector<dispatch::StoredLead>& leads,
                                        Millis now) {
  FANZHA_ASSIGN_OR_RETURN(auto tx, store::SqlTransaction::Begin(&db_));
  FANZHA_ASSIGN_OR_RETURN(auto known, Known(db_));
  FANZHA_ASSIGN_OR_RETURN(
      auto ins,
      db_.Prepare(
          "INSERT INTO takedowns (kind, value, platform, status, reason, lead_id, cases, category, "
          "region, created_at, updated_at) VALUES (?, ?, ?, 'requested', '', ?, ?, ?, ?, ?, ?)"));
  int64_t added = 0;
  for (const dispatch::StoredLead& lead : leads) {
    if (!lead.body.contains("identifiers")) continue;
    for (const auto& id : lead.body["identifiers"]) {
      const std::string type = id.value("type", ""), value = id.value("value", "");
      std::optional<Kind> kind = KindOfIdentifier(type);
      if (!kind || value.empty() || !known.insert({type, value}).second) continue;
      FANZHA_RETURN_IF_ERROR(ins->Bind(1, type)
                                 .Bind(2, value)
                                 .Bind(3, PlatformOf(*kind, value))
                                 .Bind(4, lead.id)
                                 .Bind(5, Join(lead.cases))
                                 .Bind(6, lead.category)
                                 .Bind(7, lead.jurisdiction)
                                 .Bind(8, now)
                                 .Bind(9, now)
                                 .Run());
      ++added;
    }
  }
  FANZHA_RETURN_IF_ERROR(tx.Commit());
  return added;
}

Status TakedownBook::Move(int64_t id, State to, const std::string& reason, Millis now) {
  if (to == State::kRefused && reason.empty()) {
    return Status::Invalid("takedown " + std::to_string(id) + ": a refusal needs a reason");
  }
  FANZHA_ASSIGN_OR_RETURN(auto q, db_.Prepare("SELECT status FROM takedowns WHERE id = ?"));
  q->Bind(1, id);
  FANZHA_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return Status::NotFound("no takedown request " + std::to_string(id));
  FANZHA_ASSIGN_OR_RETURN(State from, ParseState(q->ColumnText(0)));
  if (!CanMove(from, to)) {
    return Status::Conflict("takedown " + std::to_string(id) + " is " + std::string(Name(from)) +
                            ": cannot move to " + std::string(Name(to)));
  }
  FANZHA_ASSIGN_OR_RETURN(
      auto u,
      db_.Prepare("UPDATE takedowns SET status = ?, reason = ?, updated_at = ? WHERE id = ?"));
  return u->Bind(1, Name(to)).Bind(2, reason).Bind(3, now).Bind(4, id).Run();
}

Result<std::vector<Request>> TakedownBook::List(const Filter& f) {
  FANZHA_ASSIGN_OR_RETURN(
      auto s,
      db_.Prepare(
          "SELECT id, kind, value, platform, status, reason, lead_id, cases, category, region, "
          "created_at, updated_at FROM takedowns ORDER BY platform, id"));
  std::vector<Request> out;
  for (;;) {
    FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return out;
    Request r = ReadRequest(*s);
    if (!f.platform.empty() && r.platform != f.platform) continue;
    if (f.state && r.state != *f.state) continue;
    if (f.kind && r.kind != *f.kind) continue;
    out.push_back(std::move(r));
  }
}

}  // namespace fanzha::takedown
