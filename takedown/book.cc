// TakedownBook: takedown requests in the store (table takedowns; takedown.h).
#include <algorithm>
#include <map>

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

using Named = std::pair<std::string, std::string>;  // identifier type (= kind name), value

// Where requests come from: the lead or the case that named the values.
struct Origin {
  int64_t lead_id = 0;  // 0: a case
  std::vector<std::string> cases;
  std::string category, region;
};

// Writes the requests of one call (FromLeads, FromCase) inside its transaction.
class RequestWriter {
 public:
  static Result<RequestWriter> Open(store::SqlDatabase& db) {
    RequestWriter w;
    FANZHA_ASSIGN_OR_RETURN(auto known, db.Prepare("SELECT kind, value, cases FROM takedowns"));
    for (;;) {
      FANZHA_ASSIGN_OR_RETURN(bool row, known->Step());
      if (!row) break;
      w.known_[{known->ColumnString(0), known->ColumnString(1)}] = Split(known->ColumnText(2));
    }
    FANZHA_ASSIGN_OR_RETURN(
        w.insert_,
        db.Prepare("INSERT INTO takedowns (kind, value, platform, status, reason, lead_id, cases, "
                   "category, region, created_at, updated_at) VALUES (?, ?, ?, 'requested', '', "
                   "?, ?, ?, ?, ?, ?)"));
    FANZHA_ASSIGN_OR_RETURN(
        w.join_, db.Prepare("UPDATE takedowns SET cases = ? WHERE kind = ? AND value = ?"));
    return w;
  }

  // A new request for the value, or, for a value requested before, the origin's cases it lacked
  // (so that every case's unit finds it; its state is left alone). Returns whether it is new.
  Result<bool> Add(const Named& named, const Origin& o, Millis now) {
    std::optional<Kind> kind = KindOfIdentifier(named.first);
    if (!kind || named.second.empty()) return false;
    auto [it, added] = known_.try_emplace(named, o.cases);
    if (!added) {
      FANZHA_RETURN_IF_ERROR(JoinCases(named, o.cases, &it->second));
      return false;
    }
    FANZHA_RETURN_IF_ERROR(insert_->Bind(1, named.first)
                               .Bind(2, named.second)
                               .Bind(3, PlatformOf(*kind, named.second))
                               .Bind(4, o.lead_id)
                               .Bind(5, Join(o.cases))
                               .Bind(6, o.category)
                               .Bind(7, o.region)
                               .Bind(8, now)
                               .Bind(9, now)
                               .Run());
    return true;
  }

 private:
  Status JoinCases(const Named& named, const std::vector<std::string>& more,
                   std::vector<std::string>* cases) {
    const size_t before = cases->size();
    for (const std::string& c : more) {
      if (std::find(cases->begin(), cases->end(), c) == cases->end()) cases->push_back(c);
    }
    if (cases->size() == before) return Status::Ok();
    return join_->Bind(1, Join(*cases)).Bind(2, named.first).Bind(3, named.second).Run();
  }

  std::map<Named, std::vector<std::string>> known_;  // by value: the cases of its request
  std::unique_ptr<store::SqlStatement> insert_, join_;
};

// The columns ReadRequest reads.
constexpr std::string_view kSelect =
    "SELECT id, kind, value, platform, status, reason, lead_id, cases, category, region, "
    "created_at, updated_at FROM takedowns";

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
  FANZHA_ASSIGN_OR_RETURN(RequestWriter writer, RequestWriter::Open(db_));
  int64_t added = 0;
  for (const dispatch::StoredLead& lead : leads) {
    if (!lead.body.contains("identifiers")) continue;
    const Origin origin{lead.id, lead.cases, lead.category, lead.jurisdiction};
    for (const auto& id : lead.body["identifiers"]) {
      FANZHA_ASSIGN_OR_RETURN(
          bool is_new, writer.Add({id.value("type", ""), id.value("value", "")}, origin, now));
      added += is_new;
    }
  }
  FANZHA_RETURN_IF_ERROR(tx.Commit());
  return added;
}

Result<int64_t> TakedownBook::FromCase(const Case& c, Millis now) {
  FANZHA_ASSIGN_OR_RETURN(auto tx, store::SqlTransaction::Begin(&db_));
  FANZHA_ASSIGN_OR_RETURN(RequestWriter writer, RequestWriter::Open(db_));
  const Origin origin{0, {c.id}, c.category, c.region};
  int64_t added = 0;
  for (const Identifier& id : c.identifiers) {
    if (!id.valid) continue;  // as reported but not understood: nothing a platform could act on
    FANZHA_ASSIGN_OR_RETURN(bool is_new,
                            writer.Add({std::string(Name(id.type)), id.value}, origin, now));
    added += is_new;
  }
  FANZHA_RETURN_IF_ERROR(tx.Commit());
  return added;
}

Status TakedownBook::Move(int64_t id, State to, const std::string& reason, Millis now) {
  if (to == State::kRefused && reason.empty()) {
    return Status::Invalid("takedown " + std::to_string(id) + ": a refusal needs a reason")
        .WithZh("下架请求 " + std::to_string(id) + "：平台拒绝须注明原因");
  }
  FANZHA_ASSIGN_OR_RETURN(auto q, db_.Prepare("SELECT status FROM takedowns WHERE id = ?"));
  q->Bind(1, id);
  FANZHA_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row)
    return Status::NotFound("no takedown request " + std::to_string(id))
        .WithZh("下架请求 " + std::to_string(id) + " 不存在");
  FANZHA_ASSIGN_OR_RETURN(State from, ParseState(q->ColumnText(0)));
  if (!CanMove(from, to)) {
    return Status::Conflict("takedown " + std::to_string(id) + " is " + std::string(Name(from)) +
                            ": cannot move to " + std::string(Name(to)))
        .WithZh("下架请求 " + std::to_string(id) + " 当前状态为 " + std::string(Name(from)) +
                "，不能改为 " + std::string(Name(to)));
  }
  FANZHA_ASSIGN_OR_RETURN(
      auto u,
      db_.Prepare("UPDATE takedowns SET status = ?, reason = ?, updated_at = ? WHERE id = ?"));
  return u->Bind(1, Name(to)).Bind(2, reason).Bind(3, now).Bind(4, id).Run();
}

Result<std::optional<Request>> TakedownBook::Get(int64_t id) {
  FANZHA_ASSIGN_OR_RETURN(auto s, db_.Prepare(std::string(kSelect) + " WHERE id = ?"));
  s->Bind(1, id);
  FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return std::optional<Request>();
  return std::optional<Request>(ReadRequest(*s));
}

Result<std::vector<Request>> TakedownBook::List(const Filter& f) {
  FANZHA_ASSIGN_OR_RETURN(auto s, db_.Prepare(std::string(kSelect) + " ORDER BY platform, id"));
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

Result<std::map<std::string, int64_t>> TakedownBook::CountByState() {
  FANZHA_ASSIGN_OR_RETURN(auto s,
                          db_.Prepare("SELECT status, COUNT(*) FROM takedowns GROUP BY status"));
  std::map<std::string, int64_t> out;
  for (;;) {
    FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return out;
    out[std::string(s->ColumnText(0))] = s->ColumnInt64(1);
  }
}

}  // namespace fanzha::takedown
