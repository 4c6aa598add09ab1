// LeadBook: leads, batches and feedback in the store (dispatch.h).
#include <algorithm>
#include <map>
#include <unordered_map>

#include "core/json.h"
#include "core/names.h"
#include "dispatch/dispatch.h"

namespace fanzha::dispatch {

namespace {
constexpr std::string_view kStatusNames[] = {"pushed", "accepted", "verified", "closed",
                                             "rejected"};
}

std::string_view Name(LeadStatus s) { return kStatusNames[static_cast<int>(s)]; }

std::string_view ChineseName(LeadStatus s) {
  constexpr std::string_view kZh[] = {"已推送", "已接收", "已核实", "已办结", "已退回"};
  return kZh[static_cast<size_t>(s)];
}

Result<LeadStatus> ParseLeadStatus(std::string_view s) {
  return ParseName<LeadStatus>(s, kStatusNames, "lead status", "线索状态");
}

bool CanMove(LeadStatus from, LeadStatus to) {
  if (from == LeadStatus::kClosed || from == LeadStatus::kRejected) return false;
  if (to == LeadStatus::kRejected) return true;
  return static_cast<int>(to) > static_cast<int>(from);
}

namespace {

using Json = nlohmann::ordered_json;

std::string BatchLabel(const std::string& jurisdiction, int64_t number) {
  std::string n = std::to_string(number);
  if (n.size() < 4) n.insert(0, 4 - n.size(), '0');
  return (jurisdiction.empty() ? "000000" : jurisdiction) + "-" + n;
}

Result<std::unordered_map<std::string, int64_t>> CaseLeads(store::SqlDatabase& db) {
  std::unordered_map<std::string, int64_t> out;
  FANZHA_ASSIGN_OR_RETURN(auto s, db.Prepare("SELECT case_id, lead_id FROM lead_cases"));
  for (;;) {
    FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return out;
    out[s->ColumnString(0)] = s->ColumnInt64(1);
  }
}

Status AddEvent(store::SqlDatabase& db, int64_t lead, Millis at, std::string_view status,
                std::string_view note) {
  FANZHA_ASSIGN_OR_RETURN(
      auto s, db.Prepare("INSERT INTO lead_events (lead_id, seq, at, status, note) VALUES "
                         "(?, (SELECT COUNT(*) FROM lead_events WHERE lead_id = ?), ?, ?, ?)"));
  return s->Bind(1, lead).Bind(2, lead).Bind(3, at).Bind(4, status).Bind(5, note).Run();
}

// The batches of one dispatch run, made on first use per jurisdiction.
class BatchMaker {
 public:
  BatchMaker(store::SqlDatabase& db, Millis now) : db_(db), now_(now) {}
  Result<Batch*> For(const std::string& jurisdiction) {
    auto it = batches_.find(jurisdiction);
    if (it != batches_.end()) return &it->second;
    FANZHA_ASSIGN_OR_RETURN(
        auto q,
        db_.Prepare("SELECT COALESCE(MAX(number), 0) FROM lead_batches WHERE jurisdiction = ?"));
    q->Bind(1, jurisdiction);
    FANZHA_ASSIGN_OR_RETURN(bool row, q->Step());
    Batch b{0, jurisdiction, (row ? q->ColumnInt64(0) : 0) + 1, "", now_, {}, {}};
    b.label = BatchLabel(jurisdiction, b.number);
    FANZHA_ASSIGN_OR_RETURN(auto ins, db_.Prepare("INSERT INTO lead_batches (jurisdiction, number, "
                                                  "label, created_at) VALUES (?, ?, ?, ?)"));
    FANZHA_RETURN_IF_ERROR(
        ins->Bind(1, jurisdiction).Bind(2, b.number).Bind(3, b.label).Bind(4, now_).Run());
    b.id = db_.LastInsertId();
    return &(batches_[jurisdiction] = std::move(b));
  }
  DispatchResult Finish(int64_t unchanged) {
    DispatchResult r;
    for (auto& [j, b] : batches_) r.batches.push_back(std::move(b));
    r.unchanged = unchanged;
    return r;
  }

 private:
  store::SqlDatabase& db_;
  Millis now_;
  std::map<std::string, Batch> batches_;
};

Status AddItem(store::SqlDatabase& db, const Batch& b, int64_t lead, int64_t revision,
               std::string_view kind) {
  FANZHA_ASSIGN_OR_RETURN(
      auto s,
      db.Prepare(
          "INSERT INTO lead_batch_items (batch_id, lead_id, revision, kind) VALUES (?, ?, ?, ?)"));
  FANZHA_RETURN_IF_ERROR(s->Bind(1, b.id).Bind(2, lead).Bind(3, revision).Bind(4, kind).Run());
  FANZHA_ASSIGN_OR_RETURN(auto u, db.Prepare("UPDATE leads SET batch_id = ? WHERE id = ?"));
  return u->Bind(1, b.id).Bind(2, lead).Run();
}

Status AddCases(store::SqlDatabase& db, const Lead& lead, int64_t id,
                std::unordered_map<std::string, int64_t>& case_leads) {
  FANZHA_ASSIGN_OR_RETURN(auto s,
                          db.Prepare("INSERT INTO lead_cases (case_id, lead_id) VALUES (?, ?)"));
  for (const std::string& c : lead.cases) {
    if (case_leads.count(c)) continue;
    FANZHA_RETURN_IF_ERROR(s->Bind(1, c).Bind(2, id).Run());
    case_leads[c] = id;
  }
  return Status::Ok();
}

Result<int64_t> InsertLead(store::SqlDatabase& db, const Lead& lead, const std::string& body,
                           Millis now, Millis deadline) {
  FANZHA_ASSIGN_OR_RETURN(
      auto s,
      db.Prepare(
          "INSERT INTO leads (jurisdiction, category, status, revision, batch_id, pushed_at, "
          "deadline_at, updated_at, arrests, solved, recovered, reason, body) "
          "VALUES (?, ?, 'pushed', 1, 0, ?, ?, ?, 0, 0, 0, '', ?)"));
  FANZHA_RETURN_IF_ERROR(s->Bind(1, lead.jurisdiction.code)
                             .Bind(2, lead.category)
                             .Bind(3, now)
                             .Bind(4, now + deadline)
                             .Bind(5, now)
                             .Bind(6, body)
                             .Run());
  int64_t id = db.LastInsertId();
  FANZHA_RETURN_IF_ERROR(AddEvent(db, id, now, "pushed", "new lead"));
  return id;
}

// The stored body and revision of a lead.
Result<std::pair<std::string, int64_t>> BodyOf(store::SqlDatabase& db, int64_t id) {
  FANZHA_ASSIGN_OR_RETURN(auto s, db.Prepare("SELECT body, revision FROM leads WHERE id = ?"));
  s->Bind(1, id);
  FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row)
    return Status::NotFound("lead " + std::to_string(id))
        .WithZh("线索 " + std::to_string(id) + " 不存在");
  return std::make_pair(s->ColumnString(0), s->ColumnInt64(1));
}

// The oldest lead sent before that shares a case with `lead`, or 0.
int64_t KnownLead(const Lead& lead, const std::unordered_map<std::string, int64_t>& case_leads) {
  int64_t found = 0;
  for (const std::string& c : lead.cases) {
    auto it = case_leads.find(c);
    if (it != case_leads.end() && (found == 0 || it->second < found)) found = it->second;
  }
  return found;
}

constexpr std::string_view kSelectLead =
    "SELECT l.id, COALESCE(b.number, 0), COALESCE(b.label, ''), l.jurisdiction, l.status, "
    "l.revision, l.category, l.pushed_at, l.deadline_at, l.updated_at, l.arrests, l.solved, "
    "l.recovered, l.reason, l.body FROM leads l LEFT JOIN lead_batches b ON b.id = l.batch_id";

StoredLead ReadLead(const store::SqlStatement& s, Millis now) {
  StoredLead l;
  l.id = s.ColumnInt64(0);
  l.batch = s.ColumnInt64(1);
  l.batch_label = s.ColumnString(2);
  l.jurisdiction = s.ColumnString(3);
  auto status = ParseLeadStatus(s.ColumnText(4));
  l.status = status.ok() ? *status : LeadStatus::kPushed;
  l.revision = s.ColumnInt64(5);
  l.category = s.ColumnString(6);
  l.pushed_at = s.ColumnInt64(7);
  l.deadline_at = s.ColumnInt64(8);
  l.updated_at = s.ColumnInt64(9);
  l.arrests = s.ColumnInt64(10);
  l.solved = s.ColumnInt64(11);
  l.recovered = s.ColumnInt64(12);
  l.reason = s.ColumnString(13);
  l.body = Json::parse(s.ColumnText(14), nullptr, false);
  if (l.body.contains("cases")) l.cases = l.body["cases"].get<std::vector<std::string>>();
  l.overdue = l.status == LeadStatus::kPushed && now >= l.deadline_at;
  return l;
}

bool Matches(const StoredLead& l, const LeadFilter& f) {
  if (f.status && l.status != *f.status) return false;
  if (f.overdue_only && !l.overdue) return false;
  if (f.batch != 0 && l.batch != f.batch) return false;
  if (!f.jurisdiction.empty()) {
    const bool province = f.jurisdiction.size() == 6 && f.jurisdiction.ends_with("0000");
    if (province ? l.jurisdiction.substr(0, 2) != f.jurisdiction.substr(0, 2)
                 : l.jurisdiction != f.jurisdiction) {
      return false;
    }
  }
  if (!f.case_id.empty() && std::find(l.cases.begin(), l.cases.end(), f.case_id) == l.cases.end()) {
    return false;
  }
  return true;
}

}  // namespace

Result<DispatchResult> LeadBook::Dispatch(const std::vector<Lead>& leads, Millis now) {
  FANZHA_ASSIGN_OR_RETURN(auto tx, store::SqlTransaction::Begin(&db_));
  FANZHA_ASSIGN_OR_RETURN(auto case_leads, CaseLeads(db_));
  BatchMaker batches(db_, now);
  int64_t unchanged = 0;
  for (const Lead& lead : leads) {
    const std::string body = DumpJson(ToJson(lead));
    int64_t id = KnownLead(lead, case_leads);
    if (id == 0) {
      FANZHA_ASSIGN_OR_RETURN(id, InsertLead(db_, lead, body, now, deadline_));
      FANZHA_RETURN_IF_ERROR(AddCases(db_, lead, id, case_leads));
      FANZHA_ASSIGN_OR_RETURN(Batch * b, batches.For(lead.jurisdiction.code));
      FANZHA_RETURN_IF_ERROR(AddItem(db_, *b, id, 1, "new"));
      b->new_leads.push_back(id);
      continue;
    }
    FANZHA_ASSIGN_OR_RETURN(auto old, BodyOf(db_, id));
    if (old.first == body) {
      ++unchanged;
      continue;
    }
    FANZHA_ASSIGN_OR_RETURN(
        auto u, db_.Prepare("UPDATE leads SET body = ?, revision = revision + 1 WHERE id = ?"));
    FANZHA_RETURN_IF_ERROR(u->Bind(1, body).Bind(2, id).Run());
    FANZHA_RETURN_IF_ERROR(AddCases(db_, lead, id, case_leads));
    FANZHA_ASSIGN_OR_RETURN(auto stored, Get(id, now));
    FANZHA_ASSIGN_OR_RETURN(Batch * b, batches.For(stored->jurisdiction));
    FANZHA_RETURN_IF_ERROR(AddItem(db_, *b, id, old.second + 1, "update"));
    FANZHA_RETURN_IF_ERROR(AddEvent(db_, id, now, Name(stored->status), "update sent"));
    b->updates.push_back(id);
  }
  FANZHA_RETURN_IF_ERROR(tx.Commit());
  return batches.Finish(unchanged);
}

Status LeadBook::Feedback(int64_t id, const dispatch::Feedback& f, Millis now) {
  if (f.arrests < 0 || f.solved < 0 || f.recovered < 0) {
    return Status::Invalid("lead " + std::to_string(id) +
                           ": arrests, solved and recovered must not be negative")
        .WithZh("线索 " + std::to_string(id) + "：抓获人数、破案数和追回金额不能为负数");
  }
  if (f.status == LeadStatus::kRejected && f.reason.empty()) {
    return Status::Invalid("lead " + std::to_string(id) + ": a rejection needs a reason")
        .WithZh("线索 " + std::to_string(id) + "：退回线索须注明原因");
  }
  FANZHA_ASSIGN_OR_RETURN(auto tx, store::SqlTransaction::Begin(&db_));
  FANZHA_ASSIGN_OR_RETURN(auto lead, Get(id, now));
  if (!lead)
    return Status::NotFound("no lead " + std::to_string(id))
        .WithZh("线索 " + std::to_string(id) + " 不存在");
  if (!CanMove(lead->status, f.status)) {
    return Status::Conflict("lead " + std::to_string(id) + " is " +
                            std::string(Name(lead->status)) + ": cannot move to " +
                            std::string(Name(f.status)))
        .WithZh("线索 " + std::to_string(id) + " 当前状态为 " + std::string(Name(lead->status)) +
                "，不能改为 " + std::string(Name(f.status)));
  }
  FANZHA_ASSIGN_OR_RETURN(auto s,
                          db_.Prepare("UPDATE leads SET status = ?, updated_at = ?, arrests = "
                                      "arrests + ?, solved = solved + ?, "
                                      "recovered = recovered + ?, reason = ? WHERE id = ?"));
  FANZHA_RETURN_IF_ERROR(s->Bind(1, Name(f.status))
                             .Bind(2, now)
                             .Bind(3, f.arrests)
                             .Bind(4, f.solved)
                             .Bind(5, f.recovered)
                             .Bind(6, f.reason)
                             .Bind(7, id)
                             .Run());
  std::string note = "arrests " + std::to_string(f.arrests) + ", solved " +
                     std::to_string(f.solved) + ", recovered " + FormatMoney(f.recovered);
  if (!f.reason.empty()) note += ", " + f.reason;
  FANZHA_RETURN_IF_ERROR(AddEvent(db_, id, now, Name(f.status), note));
  return tx.Commit();
}

Result<std::vector<StoredLead>> LeadBook::List(const LeadFilter& filter, Millis now) {
  FANZHA_ASSIGN_OR_RETURN(auto s, db_.Prepare(std::string(kSelectLead) + " ORDER BY l.id"));
  std::vector<StoredLead> out;
  for (;;) {
    FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return out;
    StoredLead l = ReadLead(*s, now);
    if (Matches(l, filter)) out.push_back(std::move(l));
  }
}

Result<std::optional<StoredLead>> LeadBook::Get(int64_t id, Millis now) {
  FANZHA_ASSIGN_OR_RETURN(auto s, db_.Prepare(std::string(kSelectLead) + " WHERE l.id = ?"));
  s->Bind(1, id);
  FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return std::optional<StoredLead>();
  return std::optional<StoredLead>(ReadLead(*s, now));
}

Result<LeadTotals> LeadBook::Totals(Millis now) {
  FANZHA_ASSIGN_OR_RETURN(auto all, List({}, now));
  LeadTotals t;
  t.leads = static_cast<int64_t>(all.size());
  for (const StoredLead& l : all) {
    t.pushed += l.status == LeadStatus::kPushed;
    t.answered += l.status != LeadStatus::kPushed;
    t.overdue += l.overdue;
    t.closed += l.status == LeadStatus::kClosed;
    t.rejected += l.status == LeadStatus::kRejected;
    t.arrests += l.arrests;
    t.solved += l.solved;
    t.recovered += l.recovered;
  }
  FANZHA_ASSIGN_OR_RETURN(auto s, db_.Prepare("SELECT COUNT(*) FROM lead_batches"));
  FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
  if (row) t.batches = s->ColumnInt64(0);
  return t;
}

Json ToJson(const StoredLead& l) {
  Json j = {{"id", l.id},
            {"batch", l.batch},
            {"batch_label", l.batch_label},
            {"jurisdiction", l.jurisdiction},
            {"cases", l.cases},
            {"status", Name(l.status)},
            {"overdue", l.overdue},
            {"revision", l.revision},
            {"category", l.category},
            {"pushed_at", FormatTime(l.pushed_at)},
            {"deadline", FormatTime(l.deadline_at)},
            {"updated_at", FormatTime(l.updated_at)},
            {"arrests", l.arrests},
            {"solved", l.solved},
            {"recovered", FormatMoney(l.recovered)},
            {"reason", l.reason}};
  for (const char* key : {"loss", "held", "frozen", "identifiers", "evidence"}) {
    if (l.body.contains(key)) j[key] = l.body[key];
  }
  if (l.body.contains("jurisdiction")) j["jurisdiction_detail"] = l.body["jurisdiction"];
  return j;
}

}  // namespace fanzha::dispatch
