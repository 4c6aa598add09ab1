// A case's path through the justice process and its clocks (stages.h).
#include "casefile/stages.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "casefile/book.h"
#include "core/text.h"

namespace fanzha::casefile {
namespace {

using ojson = nlohmann::ordered_json;

constexpr std::string_view kStageNames[] = {
    "reported",         "opened",          "investigating",
    "arrest_requested", "arrest_approved", "sent_to_prosecution",
    "prosecuted",       "verdict",         "closed"};
constexpr std::string_view kStageChinese[] = {
    "受案", "立案", "侦查", "提请逮捕", "批准逮捕", "移送审查起诉", "提起公诉", "判决", "撤案"};
constexpr std::string_view kRoleNames[] = {"organiser", "recruiter",  "mule",
                                           "caller",    "technician", "other"};
constexpr std::string_view kRoleChinese[] = {"组织者", "招募者",   "取款/转账人员",
                                             "话务员", "技术支持", "其他"};
constexpr Millis kDay = 24LL * 3600 * 1000;

// Every stage but these needs the document that decided it.
bool NeedsDocument(Stage s) { return s != Stage::kInvestigating && s != Stage::kReported; }
bool Final(Stage s) { return s == Stage::kVerdict || s == Stage::kClosed; }

Deadline Clock(std::string what, std::string zh, std::string article, Millis from, Millis due,
               Millis now) {
  Deadline d;
  d.what = std::move(what);
  d.what_zh = std::move(zh);
  d.article = std::move(article);
  d.from = from;
  d.due = due;
  const Millis quarter = std::max<Millis>((due - from) / 4, kDay);
  d.overdue = now > due;
  d.soon = !d.overdue && now >= due - quarter;
  return d;
}

// The clock of the stage a case is at, if that stage has one.
std::optional<Deadline> StageClock(Stage stage, Millis since, Millis now) {
  switch (stage) {
    case Stage::kArrestRequested:
      return Clock("arrest_decision", "检察院审查批准逮捕", "刑事诉讼法第九十一条", since,
                   since + 7 * kDay, now);
    case Stage::kArrestApproved:
      return Clock("custody_investigation", "逮捕后侦查羁押", "刑事诉讼法第一百五十六条", since,
                   AddMonths(since, 2), now);
    case Stage::kSentToProsecution:
      return Clock("prosecution_review", "审查起诉（可延长十五日）", "刑事诉讼法第一百七十二条",
                   since, AddMonths(since, 1), now);
    case Stage::kProsecuted:
      return Clock("first_instance", "一审审理（至迟三个月）", "刑事诉讼法第二百零八条", since,
                   AddMonths(since, 2), now);
    default:
      return std::nullopt;
  }
}

// The clocks of detained suspects while the case has not yet asked for their arrest.
void DetentionClocks(const CaseProcess& p, Millis now, std::vector<Deadline>* out) {
  if (p.stage > Stage::kInvestigating) return;
  for (const Suspect& s : p.suspects) {
    if (!s.detained_at) continue;
    const bool gang = s.role != SuspectRole::kOther;
    Deadline d =
        Clock("arrest_request",
              gang ? "提请批准逮捕（结伙作案，至多三十日）" : "提请批准逮捕（三日，可延长至七日）",
              "刑事诉讼法第九十一条", *s.detained_at, *s.detained_at + (gang ? 30 : 7) * kDay, now);
    d.suspect = s.name;
    out->push_back(std::move(d));
  }
}

Result<StageMove> ReadMove(const store::SqlStatement& s) {
  StageMove m;
  m.case_id = s.ColumnString(0);
  m.seq = s.ColumnInt64(1);
  const std::string row = m.case_id + " " + std::to_string(m.seq);
  FANZHA_ASSIGN_OR_RETURN(
      m.from, Stored(ParseStage(s.ColumnText(2)), "case_stage_moves", row, "from_stage"));
  FANZHA_ASSIGN_OR_RETURN(m.to,
                          Stored(ParseStage(s.ColumnText(3)), "case_stage_moves", row, "to_stage"));
  m.at = s.ColumnInt64(4);
  m.by = s.ColumnString(5);
  m.document = s.ColumnString(6);
  m.note = s.ColumnString(7);
  m.back = s.ColumnInt64(8) != 0;
  m.recorded_at = s.ColumnInt64(9);
  return m;
}

constexpr std::string_view kMoveColumns =
    "SELECT case_id, seq, from_stage, to_stage, at, by_user, document, note, back, recorded_at "
    "FROM case_stage_moves ";

}  // namespace

std::string_view Name(Stage s) { return kStageNames[static_cast<size_t>(s)]; }
std::string_view ChineseName(Stage s) { return kStageChinese[static_cast<size_t>(s)]; }
Result<Stage> ParseStage(std::string_view text) {
  return ByEitherName<Stage>(text, kStageNames, kStageChinese, "stage");
}
std::string_view Name(SuspectRole r) { return kRoleNames[static_cast<size_t>(r)]; }
std::string_view ChineseName(SuspectRole r) { return kRoleChinese[static_cast<size_t>(r)]; }
Result<SuspectRole> ParseSuspectRole(std::string_view text) {
  return ByEitherName<SuspectRole>(text, kRoleNames, kRoleChinese, "role");
}

Result<std::vector<StageMove>> StageBook::Moves(const std::string& case_id) {
  FANZHA_ASSIGN_OR_RETURN(
      auto st, db_.Prepare(std::string(kMoveColumns) + "WHERE case_id = ? ORDER BY seq"));
  st->Bind(1, case_id);
  return store::ReadRows<StageMove>(*st, ReadMove);
}

Result<std::vector<Suspect>> StageBook::Suspects(const std::string& case_id) {
  FANZHA_ASSIGN_OR_RETURN(
      auto st, db_.Prepare("SELECT case_id, seq, name, identifier, role, detained_at, by_user, "
                           "attached_at FROM case_suspects WHERE case_id = ? ORDER BY seq"));
  st->Bind(1, case_id);
  return store::ReadRows<Suspect>(*st, [](const store::SqlStatement& s) -> Result<Suspect> {
    Suspect x;
    x.case_id = s.ColumnString(0);
    x.seq = s.ColumnInt64(1);
    x.name = s.ColumnString(2);
    x.identifier = s.ColumnString(3);
    FANZHA_ASSIGN_OR_RETURN(x.role, Stored(ParseSuspectRole(s.ColumnText(4)), "case_suspects",
                                           x.case_id + " " + std::to_string(x.seq), "role"));
    if (!s.ColumnIsNull(5)) x.detained_at = s.ColumnInt64(5);
    x.by = s.ColumnString(6);
    x.attached_at = s.ColumnInt64(7);
    return x;
  });
}

Result<StageMove> StageBook::Move(const std::string& case_id, Stage to, Millis at,
                                  const std::string& by, const std::string& document,
                                  const std::string& note, Millis now) {
  FANZHA_ASSIGN_OR_RETURN(auto tx, store::SqlTransaction::Begin(&db_));
  FANZHA_ASSIGN_OR_RETURN(CaseProcess p, Process(case_id, now));
  if (to == p.stage) {
    return Status(ErrorCode::kConflict,
                  "case " + case_id + " is at " + std::string(Name(to)) + " already")
        .WithZh("案件 " + case_id + " 已处于" + std::string(ChineseName(to)) + "阶段");
  }
  if (Final(p.stage)) {
    return Status(ErrorCode::kConflict, "case " + case_id + " is at " + std::string(Name(p.stage)) +
                                            ": it moves no further")
        .WithZh("案件 " + case_id + " 已" + std::string(ChineseName(p.stage)) + "，不能再变更阶段");
  }
  StageMove m{
      0, case_id, p.stage, to, at, by, std::string(Trim(document)), std::string(Trim(note))};
  m.back = to < p.stage;  // closed is last: ending a case is never a move back
  m.recorded_at = now;
  if (NeedsDocument(to) && m.document.empty())
    return Field("document", "the document number of the decision is required",
                 "须填写决定文书编号");
  if (m.back && m.note.empty())
    return Field("note", "a move back needs its reason (退回补充侦查 ...)",
                 "退回前一阶段须说明原因（如退回补充侦查）");
  if (at > now) return Field("at", "in the future", "不能晚于当前时间");
  if (at < p.since)
    return Field("at", "before the case entered " + std::string(Name(p.stage)),
                 "早于案件进入" + std::string(ChineseName(p.stage)) + "阶段的时间");
  m.seq = static_cast<int64_t>(p.moves.size()) + 1;
  FANZHA_ASSIGN_OR_RETURN(
      auto st, db_.Prepare("INSERT INTO case_stage_moves (case_id, seq, from_stage, to_stage, at, "
                           "by_user, document, note, back, recorded_at) VALUES (?, ?, ?, ?, ?, ?, "
                           "?, ?, ?, ?)"));
  st->Bind(1, m.case_id).Bind(2, m.seq).Bind(3, Name(m.from)).Bind(4, Name(m.to)).Bind(5, m.at);
  st->Bind(6, m.by).Bind(7, m.document).Bind(8, m.note).Bind(9, m.back ? 1 : 0).Bind(10, now);
  FANZHA_RETURN_IF_ERROR(st->Run());
  FANZHA_RETURN_IF_ERROR(tx.Commit());
  return m;
}

Result<Suspect> StageBook::Attach(Suspect s, Millis now) {
  s.name = std::string(Trim(s.name));
  if (s.name.empty()) return Field("name", "the suspect's name is required", "须填写嫌疑人姓名");
  if (s.detained_at && *s.detained_at > now)
    return Field("detained_at", "in the future", "不能晚于当前时间");
  FANZHA_ASSIGN_OR_RETURN(auto tx, store::SqlTransaction::Begin(&db_));
  FANZHA_ASSIGN_OR_RETURN(std::optional<Case> c, store_.GetCase(s.case_id));
  if (!c) return NoCase(s.case_id);
  FANZHA_ASSIGN_OR_RETURN(std::vector<Suspect> before, Suspects(s.case_id));
  s.seq = static_cast<int64_t>(before.size()) + 1;
  s.attached_at = now;
  FANZHA_ASSIGN_OR_RETURN(
      auto st, db_.Prepare("INSERT INTO case_suspects (case_id, seq, name, identifier, role, "
                           "detained_at, by_user, attached_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  st->Bind(1, s.case_id).Bind(2, s.seq).Bind(3, s.name).Bind(4, s.identifier);
  st->Bind(5, Name(s.role)).Bind(6, s.detained_at).Bind(7, s.by).Bind(8, now);
  FANZHA_RETURN_IF_ERROR(st->Run());
  FANZHA_RETURN_IF_ERROR(tx.Commit());
  return s;
}

Result<CaseProcess> StageBook::Process(const std::string& case_id, Millis now) {
  FANZHA_ASSIGN_OR_RETURN(std::optional<Case> c, store_.GetCase(case_id));
  if (!c) return NoCase(case_id);
  CaseProcess p;
  p.case_id = case_id;
  p.since = c->reported_at;
  FANZHA_ASSIGN_OR_RETURN(p.moves, Moves(case_id));
  FANZHA_ASSIGN_OR_RETURN(p.suspects, Suspects(case_id));
  if (!p.moves.empty()) {
    p.stage = p.moves.back().to;
    p.since = p.moves.back().at;
  }
  if (std::optional<Deadline> d = StageClock(p.stage, p.since, now)) p.deadlines.push_back(*d);
  DetentionClocks(p, now, &p.deadlines);
  return p;
}

Result<std::vector<StageBook::DueClock>> StageBook::Due(Millis now) {
  FANZHA_ASSIGN_OR_RETURN(auto st, db_.Prepare("SELECT case_id FROM case_stage_moves UNION "
                                               "SELECT case_id FROM case_suspects"));
  FANZHA_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                          store::ReadRows<std::string>(
                              *st, [](const store::SqlStatement& s) { return s.ColumnString(0); }));
  std::vector<DueClock> due;
  for (const std::string& id : ids) {
    FANZHA_ASSIGN_OR_RETURN(CaseProcess p, Process(id, now));
    for (Deadline& d : p.deadlines) {
      if (d.soon || d.overdue) due.push_back({id, p.stage, std::move(d)});
    }
  }
  std::sort(due.begin(), due.end(), [](const DueClock& a, const DueClock& b) {
    if (a.deadline.overdue != b.deadline.overdue) return a.deadline.overdue;
    return std::tie(a.deadline.due, a.case_id) < std::tie(b.deadline.due, b.case_id);
  });
  return due;
}

Result<std::map<std::string, StageBook::Standing>> StageBook::Standings(Millis now) {
  FANZHA_ASSIGN_OR_RETURN(auto st,
                          db_.Prepare(std::string(kMoveColumns) + "ORDER BY case_id, seq"));
  FANZHA_ASSIGN_OR_RETURN(std::vector<StageMove> moves, store::ReadRows<StageMove>(*st, ReadMove));
  std::map<std::string, Standing> out;
  for (const StageMove& m : moves) out[m.case_id] = Standing{m.to, m.at, false};
  for (auto& [id, s] : out) {
    std::optional<Deadline> d = StageClock(s.stage, s.since, now);
    s.overdue = d && d->overdue;
  }
  return out;
}

Result<std::vector<StageFigures>> StageBook::Figures(Millis now) {
  struct Head {
    std::string region;
    Millis reported_at;
  };
  std::map<std::string, Head> cases;
  FANZHA_RETURN_IF_ERROR(store_.ForEachCaseHeader([&](const Case& c) {
    cases.emplace(c.id, Head{c.region, c.reported_at});
  }));
  FANZHA_ASSIGN_OR_RETURN(auto st,
                          db_.Prepare(std::string(kMoveColumns) + "ORDER BY case_id, seq"));
  FANZHA_ASSIGN_OR_RETURN(std::vector<StageMove> moves, store::ReadRows<StageMove>(*st, ReadMove));
  std::map<std::pair<std::string, Stage>, StageFigures> figures;
  auto at = [&](const std::string& region, Stage s) -> StageFigures& {
    StageFigures& f = figures[{region, s}];
    f.region = region;
    f.stage = s;
    return f;
  };
  size_t i = 0;
  for (const auto& [id, head] : cases) {
    Stage stage = Stage::kReported;
    Millis since = head.reported_at;
    for (; i < moves.size() && moves[i].case_id < id; ++i) {
    }
    for (; i < moves.size() && moves[i].case_id == id; ++i) {
      StageFigures& left = at(head.region, stage);
      ++left.passed;
      left.total_waited += std::max<Millis>(0, moves[i].at - since);
      stage = moves[i].to;
      since = moves[i].at;
    }
    StageFigures& here = at(head.region, stage);
    ++here.cases_now;
    here.longest_now = std::max(here.longest_now, now - since);
    std::optional<Deadline> d = StageClock(stage, since, now);
    if (d && d->overdue) ++here.overdue_now;
  }
  std::vector<StageFigures> out;
  for (auto& [key, f] : figures) out.push_back(f);
  return out;
}

ojson ToJson(const StageMove& m) {
  return {{"seq", m.seq},           {"from", Name(m.from)},
          {"to", Name(m.to)},       {"to_zh", ChineseName(m.to)},
          {"at", FormatTime(m.at)}, {"by", m.by},
          {"document", m.document}, {"note", m.note},
          {"back", m.back},         {"recorded_at", FormatTime(m.recorded_at)}};
}

ojson ToJson(const Suspect& s) {
  return {{"seq", s.seq},
          {"name", s.name},
          {"identifier", s.identifier},
          {"role", Name(s.role)},
          {"role_zh", ChineseName(s.role)},
          {"detained_at", s.detained_at ? ojson(FormatTime(*s.detained_at)) : ojson()},
          {"by", s.by},
          {"attached_at", FormatTime(s.attached_at)}};
}

ojson ToJson(const CaseProcess& p) {
  ojson moves = ojson::array(), suspects = ojson::array(), deadlines = ojson::array();
  for (const auto& m : p.moves) moves.push_back(ToJson(m));
  for (const auto& s : p.suspects) suspects.push_back(ToJson(s));
  for (const auto& d : p.deadlines) {
    deadlines.push_back({{"what", d.what},
                         {"what_zh", d.what_zh},
                         {"article", d.article},
                         {"from", FormatTime(d.from)},
                         {"due", FormatTime(d.due)},
                         {"suspect", d.suspect},
                         {"soon", d.soon},
                         {"overdue", d.overdue}});
  }
  return {{"case", p.case_id},
          {"stage", Name(p.stage)},
          {"stage_zh", ChineseName(p.stage)},
          {"since", FormatTime(p.since)},
          {"moves", moves},
          {"suspects", suspects},
          {"deadlines", deadlines}};
}

}  // namespace fanzha::casefile
