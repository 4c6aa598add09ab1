// The queue of cases and a case's timeline (casework.h).
#include "app/casework.h"

#include <algorithm>
#include <deque>
#include <map>
#include <regex>
#include <tuple>

#include "audit/audit.h"
#include "auth/auth.h"
#include "casefile/work.h"
#include "core/names.h"
#include "dispatch/dispatch.h"
#include "freeze/orders.h"
#include "link/from_store.h"
#include "region/region.h"
#include "takedown/takedown.h"
#include "trace/trace.h"

namespace fanzha::app {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view kOrderNames[] = {"newest",   "oldest", "loss_desc",
                                            "loss_asc", "id",     "worked"};

// ---- the queue ----

struct Row {
  const Case* c = nullptr;
  casefile::StageBook::Standing standing;
  casefile::WorkSummary work;
};

bool Passes(const QueueFilter& f, const Row& r) {
  const Case& c = *r.c;
  if (f.may_read && !f.may_read(c)) return false;
  if (!f.region.empty() && !region::Covers(f.region, c.region)) return false;
  if (f.stage && r.standing.stage != *f.stage) return false;
  if (!f.category.empty() && c.category != f.category) return false;
  if (f.from && c.reported_at < *f.from) return false;
  if (f.to && c.reported_at >= *f.to) return false;
  if (f.min_loss && (!c.loss || *c.loss < *f.min_loss)) return false;
  if (f.max_loss && (!c.loss || *c.loss > *f.max_loss)) return false;
  if (f.officer && r.work.officer != *f.officer) return false;
  return !f.overdue_only || r.standing.overdue;
}

// A strict order for every sort: ties fall back to the case id, so pages never overlap.
bool Before(QueueOrder order, const Row& a, const Row& b) {
  const Case &x = *a.c, &y = *b.c;
  const Fen lx = x.loss.value_or(-1), ly = y.loss.value_or(-1);
  switch (order) {
    case QueueOrder::kNewest:
      return std::tie(y.reported_at, x.id) < std::tie(x.reported_at, y.id);
    case QueueOrder::kOldest:
      return std::tie(x.reported_at, x.id) < std::tie(y.reported_at, y.id);
    case QueueOrder::kLossHigh:
      return std::tie(ly, x.id) < std::tie(lx, y.id);
    case QueueOrder::kLossLow:
      return std::tie(lx, x.id) < std::tie(ly, y.id);
    case QueueOrder::kLastWorked:
      return std::tie(b.work.last_worked, x.id) < std::tie(a.work.last_worked, y.id);
    case QueueOrder::kId:
      break;
  }
  return x.id < y.id;
}

Json QueueRow(const Row& r) {
  const Case& c = *r.c;
  Json j = CaseHeadJson(c);
  j["transfers"] = c.transfers.size();
  j["stage"] = casefile::Name(r.standing.stage);
  j["stage_zh"] = casefile::ChineseName(r.standing.stage);
  j["stage_since"] = FormatTime(r.standing.since);
  j["overdue"] = r.standing.overdue;
  j["officer"] = r.work.officer;
  j["notes"] = r.work.notes;
  j["attachments"] = r.work.attachments;
  j["last_worked"] = r.work.last_worked ? Json(FormatTime(r.work.last_worked)) : Json();
  return j;
}

// ---- the timeline ----

struct Event {
  Millis at = 0;
  int source = 0;  // the order of the sources below: an event of the report before its trace
  int64_t seq = 0;
  Json json;
};

class TimelineBuilder {
 public:
  // `detail_zh`: the detail for a Chinese reader, where the server wrote words of its own in it
  // (an audit entry's detail, an order's note); the detail itself when empty.
  void Add(Millis at, std::string_view kind, std::string what, std::string what_zh, std::string by,
           std::string detail, std::string ref, int64_t seq = 0, std::string detail_zh = "") {
    if (detail_zh.empty()) detail_zh = detail;
    Json j = {{"at", FormatTime(at)},
              {"kind", kind},
              {"what", std::move(what)},
              {"what_zh", std::move(what_zh)},
              {"by", std::move(by)},
              {"detail", std::move(detail)},
              {"detail_zh", std::move(detail_zh)},
              {"ref", std::move(ref)}};
    events_.push_back({at, source_, seq, std::move(j)});
  }
  void NextSource() { ++source_; }
  Json Done() {
    std::stable_sort(events_.begin(), events_.end(), [](const Event& a, const Event& b) {
      return std::tie(a.at, a.source, a.seq) < std::tie(b.at, b.source, b.seq);
    });
    Json out = Json::array();
    for (Event& e : events_) out.push_back(std::move(e.json));
    return out;
  }

 private:
  std::vector<Event> events_;
  int source_ = 0;
};

void AddReport(TimelineBuilder& t, const Case& c) {
  const Category* category = FindCategory(c.category);
  std::string detail = region::RegionTable::Builtin().DisplayName(c.region);
  detail += (detail.empty() ? "" : " ") + c.region;
  if (c.loss) detail += " · " + FormatMoneyGrouped(*c.loss);
  t.Add(c.reported_at, "report", "reported: " + (category ? std::string(category->en) : c.category),
        "报案：" + (category ? std::string(category->zh) : c.category), c.victim.name, detail, "");
}

// An audit entry's detail as the actions of AddAudited write it ("policy=fifo", "document X,
// stop-payments", "3 freeze orders, sent", "2 new requests"), in Chinese as the dashboard shows it
// (web/src/casework.ts timelineDetail); any other detail as it is.
std::string AuditDetailInChinese(const std::string& detail) {
  static const std::regex kPolicy("^policy=(\\w+)$"),
      kDocument("^document (.*?)(, stop-payments)?$"), kOrders("^(\\d+) (\\w+) orders(, sent)?$"),
      kRequests("^(\\d+) new requests$");
  std::smatch m;
  if (std::regex_match(detail, m, kPolicy)) {
    Result<trace::Policy> p = trace::ParsePolicy(m[1].str());
    return "追踪规则：" + (p.ok() ? std::string(trace::ChineseName(*p)) : m[1].str());
  }
  if (std::regex_match(detail, m, kDocument))
    return "文书 " + m[1].str() + (m[2].matched ? "，同时止付" : "");
  if (std::regex_match(detail, m, kOrders)) {
    Result<freeze::OrderKind> k = freeze::ParseOrderKind(m[2].str());
    return m[1].str() + " 份" + (k.ok() ? std::string(freeze::ChineseName(*k)) : m[2].str()) +
           "指令" + (m[3].matched ? "，已发送" : "");
  }
  if (std::regex_match(detail, m, kRequests)) return "新申请 " + m[1].str() + " 项";
  return detail;
}

// What the audit log alone knows: who traced the case, asked for statements, exported it.
Status AddAudited(TimelineBuilder& t, store::Store& store, const std::string& case_id) {
  struct Kind {
    std::string_view action, kind, what, zh;
  };
  static constexpr Kind kKinds[] = {
      {"case.trace", "trace", "traced", "追踪资金"},
      {"case.trace_via_banks", "trace", "traced through the banks", "经银行逐跳追踪"},
      {"statement.ask", "statement", "statement asked for", "调取流水"},
      {"case.export", "export", "case file exported", "导出案卷"},
      {"takedown.create", "takedown", "takedowns requested", "申请封堵"},
      {"freeze.draft", "order", "orders drafted", "起草止付/冻结指令"},
  };
  FANZHA_ASSIGN_OR_RETURN(std::vector<audit::Entry> entries,
                          audit::AuditLog(store.sql()).About(case_id));
  for (const audit::Entry& e : entries) {
    for (const Kind& k : kKinds) {
      if (e.action != k.action) continue;
      std::string detail = e.detail, detail_zh = AuditDetailInChinese(e.detail);
      if (!e.reason.empty()) {
        detail += (detail.empty() ? "" : " · ") + e.reason;
        detail_zh += (detail_zh.empty() ? "" : " · ") + e.reason;
      }
      t.Add(e.at, k.kind, std::string(k.what), std::string(k.zh), e.user, detail, "", e.id,
            detail_zh);
    }
  }
  return Status::Ok();
}

Status AddProcess(TimelineBuilder& t, store::Store& store, const std::string& case_id, Millis now) {
  FANZHA_ASSIGN_OR_RETURN(casefile::CaseProcess p,
                          casefile::StageBook(store).Process(case_id, now));
  for (const casefile::StageMove& m : p.moves) {
    std::string zh =
        std::string(m.back ? "退回" : "进入") + std::string(casefile::ChineseName(m.to));
    std::string detail = m.document;
    if (!m.note.empty()) detail += (detail.empty() ? "" : " · ") + m.note;
    t.Add(m.at, "stage", "moved to " + std::string(casefile::Name(m.to)), zh, m.by, detail, "",
          m.seq);
  }
  for (const casefile::Suspect& s : p.suspects) {
    t.Add(s.attached_at, "suspect", "suspect attached", "添加嫌疑人", s.by,
          s.name + " · " + std::string(casefile::ChineseName(s.role)), "", s.seq);
    if (s.detained_at) {
      t.Add(*s.detained_at, "suspect", "suspect detained", "嫌疑人到案", s.by, s.name, "", s.seq);
    }
  }
  return Status::Ok();
}

Status AddWork(TimelineBuilder& t, store::Store& store, const std::string& case_id) {
  casefile::WorkBook work(store);
  FANZHA_ASSIGN_OR_RETURN(std::vector<casefile::Assignment> assigned, work.Assignments(case_id));
  for (const casefile::Assignment& a : assigned) {
    t.Add(a.at, "assignment", a.officer.empty() ? "taken back" : "assigned to " + a.officer,
          a.officer.empty() ? "收回承办" : "指派给 " + a.officer, a.by, a.note, "", a.seq);
  }
  FANZHA_ASSIGN_OR_RETURN(std::vector<casefile::CaseNote> notes, work.Notes(case_id));
  for (const casefile::CaseNote& n : notes)
    t.Add(n.at, "note", "note", "备注", n.by, n.text, "note " + std::to_string(n.seq), n.seq);
  FANZHA_ASSIGN_OR_RETURN(std::vector<casefile::Attachment> files, work.Attachments(case_id));
  for (const casefile::Attachment& f : files) {
    t.Add(f.at, "attachment", "file attached", "上传" + std::string(casefile::ChineseName(f.kind)),
          f.by, f.name, "attachment " + std::to_string(f.seq), f.seq);
  }
  return Status::Ok();
}

Status AddOrders(TimelineBuilder& t, store::Store& store, const std::string& case_id) {
  freeze::OrderBook book(store.sql());
  freeze::OrderFilter filter;
  filter.case_id = case_id;
  FANZHA_ASSIGN_OR_RETURN(std::vector<freeze::Order> orders, book.List(filter));
  for (const freeze::Order& o : orders) {
    FANZHA_ASSIGN_OR_RETURN(std::vector<freeze::Event> steps, book.History(o.id));
    const std::string ref = "order " + std::to_string(o.id);
    for (const freeze::Event& e : steps) {
      std::string detail = o.account + " · " + o.institution;
      if (e.amount) detail += " · " + FormatMoneyGrouped(e.amount);
      std::string detail_zh = detail;
      if (!e.note.empty()) {
        detail += " · " + e.note;
        detail_zh += " · " + freeze::NoteInChinese(e.note);
      }
      t.Add(e.at, "order",
            std::string(freeze::Name(o.kind)) + " order " + std::to_string(o.id) + " " + e.status,
            std::string(freeze::ChineseName(o.kind)) + "指令 " + std::to_string(o.id) + " " +
                freeze::StatusInChinese(e.status),
            e.seq == 1 ? o.mandate.requested_by : "", detail, ref, o.id * 1000 + e.seq, detail_zh);
    }
  }
  return Status::Ok();
}

Status AddLeads(TimelineBuilder& t, store::Store& store, const std::string& case_id, Millis now) {
  dispatch::LeadFilter filter;
  filter.case_id = case_id;
  FANZHA_ASSIGN_OR_RETURN(std::vector<dispatch::StoredLead> leads,
                          dispatch::LeadBook(store.sql()).List(filter, now));
  const region::RegionTable& regions = region::RegionTable::Builtin();
  for (const dispatch::StoredLead& l : leads) {
    const std::string ref = "lead " + std::to_string(l.id);
    const std::string where = regions.DisplayName(l.jurisdiction) + " " + l.jurisdiction;
    t.Add(l.pushed_at, "lead", "lead " + std::to_string(l.id) + " dispatched",
          "线索 " + std::to_string(l.id) + " 推送", "", where + " · " + l.batch_label, ref, l.id);
    if (l.status == dispatch::LeadStatus::kPushed || l.updated_at <= l.pushed_at) continue;
    const std::string n = std::to_string(l.id), arrests = std::to_string(l.arrests),
                      solved = std::to_string(l.solved),
                      recovered = FormatMoneyGrouped(l.recovered);
    t.Add(l.updated_at, "lead",
          "lead " + n + " " + std::string(Name(l.status)) + ": " + arrests + " arrested, " +
              solved + " solved, " + recovered + " yuan recovered",
          "线索 " + n + std::string(dispatch::ChineseName(l.status)) + "：抓获 " + arrests +
              " 人，破案 " + solved + " 起，挽损 " + recovered + " 元",
          "", where + (l.reason.empty() ? "" : " · " + l.reason), ref, l.id);
  }
  return Status::Ok();
}

Status AddTakedowns(TimelineBuilder& t, store::Store& store, const std::string& case_id) {
  FANZHA_ASSIGN_OR_RETURN(std::vector<takedown::Request> all,
                          takedown::TakedownBook(store.sql()).List({}));
  for (const takedown::Request& r : all) {
    if (std::find(r.cases.begin(), r.cases.end(), case_id) == r.cases.end()) continue;
    t.Add(r.updated_at, "takedown",
          std::string(takedown::Name(r.kind)) + " " + std::string(takedown::Name(r.state)) + " · " +
              r.platform,
          "封停请求" + std::string(takedown::ChineseName(r.state)) + " · " +
              takedown::PlatformInChinese(r.platform),
          "", r.value, "takedown " + std::to_string(r.id), r.id);
  }
  return Status::Ok();
}

Status AddLink(TimelineBuilder& t, store::Store& store, const std::string& case_id) {
  FANZHA_ASSIGN_OR_RETURN(std::optional<link::StoredClusterOfCase> cluster,
                          link::StoredClusterOf(store.sql(), case_id));
  if (!cluster || cluster->others.empty()) return Status::Ok();
  std::string detail;
  for (size_t i = 0; i < cluster->others.size() && i < 10; ++i)
    detail += (i ? ", " : "") + cluster->others[i];
  if (cluster->others.size() > 10) detail += " …";
  const std::string n = std::to_string(cluster->others.size());
  t.Add(cluster->linked_at, "link", "linked to " + n + " other cases", "与 " + n + " 起案件串并",
        "", detail, "cluster " + cluster->cluster);
  return Status::Ok();
}

}  // namespace

Json CaseHeadJson(const Case& c) {
  const Category* category = FindCategory(c.category);
  Json j = {{"id", c.id},
            {"reported_at", FormatTime(c.reported_at)},
            {"region", c.region},
            {"region_name", region::RegionTable::Builtin().DisplayName(c.region)},
            {"category", c.category},
            {"category_zh", category ? std::string(category->zh) : c.category}};
  j["loss"] = c.loss ? Json(FormatMoney(*c.loss)) : Json();
  return j;
}

Result<QueueOrder> ParseQueueOrder(std::string_view text) {
  if (text.empty()) return QueueOrder::kNewest;
  return ParseName<QueueOrder>(text, kOrderNames, "sort", "排序方式");
}

Result<Json> Queue(store::Store& store, const QueueFilter& filter, QueueOrder order, size_t limit,
                   size_t offset, Millis now) {
  FANZHA_ASSIGN_OR_RETURN(auto standings, casefile::StageBook(store).Standings(now));
  FANZHA_ASSIGN_OR_RETURN(auto work, casefile::WorkBook(store).Summaries());
  // Only the cases that pass are kept (a deque: the rows point into it as it grows).
  std::deque<Case> kept;
  std::vector<Row> rows;
  FANZHA_RETURN_IF_ERROR(store.ForEachCase([&](const Case& c) {
    Row r{&c, {casefile::Stage::kReported, c.reported_at, false}, {}};
    if (auto s = standings.find(c.id); s != standings.end()) r.standing = s->second;
    if (auto w = work.find(c.id); w != work.end()) r.work = w->second;
    if (!Passes(filter, r)) return;
    r.c = &kept.emplace_back(c);
    rows.push_back(std::move(r));
  }));
  const size_t first = std::min(offset, rows.size());
  const size_t last = first + std::min(limit, rows.size() - first);
  auto before = [order](const Row& a, const Row& b) { return Before(order, a, b); };
  std::partial_sort(rows.begin(), rows.begin() + static_cast<ptrdiff_t>(last), rows.end(), before);
  Json list = Json::array();
  for (size_t i = first; i < last; ++i) list.push_back(QueueRow(rows[i]));
  return Json{{"cases", std::move(list)}, {"total", rows.size()}};
}

Result<casefile::Assignment> AssignCase(store::Store& store, const std::string& case_id,
                                        const std::string& officer, const std::string& note,
                                        const Assigner& by, Millis now) {
  casefile::WorkBook work(store);
  FANZHA_ASSIGN_OR_RETURN(std::optional<Case> c, store.GetCase(case_id));
  if (!c) return Status::NotFound("no case " + case_id).WithZh("没有案件 " + case_id);
  const std::string who(Trim(officer));
  if (!who.empty()) {
    FANZHA_ASSIGN_OR_RETURN(std::optional<auth::User> u, auth::Users(store.sql()).Get(who));
    if (!u || !auth::CanReadCase(*u, c->region)) {
      return Status::Invalid("officer: no user " + Excerpt(who) + " may work cases of region " +
                             c->region)
          .WithZh("officer：没有可办理 " + c->region + " 地区案件的用户 " + Excerpt(who));
    }
  }
  if (!by.may_assign_others) {
    FANZHA_ASSIGN_OR_RETURN(std::vector<casefile::Assignment> before, work.Assignments(case_id));
    const std::string current = before.empty() ? "" : before.back().officer;
    const bool takes_it = who == by.name;
    const bool gives_back_own = who.empty() && current == by.name;
    if (!takes_it && !gives_back_own) {
      return Status(ErrorCode::kForbidden,
                    "you may take a case yourself or give back your own; a centre assigns others")
          .WithZh("只能自己承办或退回自己承办的案件；指派他人须由反诈中心操作");
    }
  }
  return work.Assign(case_id, who, by.name, note, now);
}

Result<Json> Timeline(store::Store& store, const std::string& case_id, Millis now) {
  FANZHA_ASSIGN_OR_RETURN(std::optional<Case> c, store.GetCase(case_id));
  if (!c) return Status::NotFound("no case " + case_id).WithZh("没有案件 " + case_id);
  TimelineBuilder t;
  AddReport(t, *c);
  t.NextSource();
  FANZHA_RETURN_IF_ERROR(AddAudited(t, store, case_id));
  t.NextSource();
  FANZHA_RETURN_IF_ERROR(AddProcess(t, store, case_id, now));
  t.NextSource();
  FANZHA_RETURN_IF_ERROR(AddWork(t, store, case_id));
  t.NextSource();
  FANZHA_RETURN_IF_ERROR(AddOrders(t, store, case_id));
  t.NextSource();
  FANZHA_RETURN_IF_ERROR(AddLeads(t, store, case_id, now));
  t.NextSource();
  FANZHA_RETURN_IF_ERROR(AddTakedowns(t, store, case_id));
  t.NextSource();
  FANZHA_RETURN_IF_ERROR(AddLink(t, store, case_id));
  return Json{{"case", case_id}, {"events", t.Done()}};
}

}  // namespace fanzha::app
