// fanzha dispatch: leads to the jurisdiction where the suspects are, in numbered batches.
// fanzha leads: list and filter them, and record their feedback (dispatch/dispatch.h).
#include "dispatch/dispatch.h"

#include <chrono>
#include <cstdio>

#include "app/leads.h"
#include "cli/commands.h"
#include "region/region.h"

namespace fanzha::cli {
namespace {

using Json = nlohmann::ordered_json;

struct ClockOptions {
  std::string now;  // RFC 3339; empty: the system clock
  double deadline_hours = 72;
};

void AddClockOptions(CLI::App* cmd, ClockOptions* o) {
  cmd->add_option("--now", o->now,
                  Help("the time to act at (RFC 3339), instead of the clock",
                       "按此时间处理（RFC 3339），而不是系统时钟"));
  cmd->add_option("--deadline-hours", o->deadline_hours,
                  Help("a lead with no feedback this long after its push is overdue",
                       "线索推送后超过此小时数仍无反馈即为逾期"))
      ->capture_default_str();
}

Millis NowOf(const ClockOptions& o) {
  if (o.now.empty()) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  return ValueOrExit(ParseTime(o.now), "--now");
}

Millis DeadlineOf(const ClockOptions& o) {
  return static_cast<Millis>(o.deadline_hours * 3600 * 1000);
}

struct DispatchOptions {
  StoreOptions store;
  AuditFileOptions audit;
  ClockOptions clock;
  bool json = false;
  bool no_singles = false;
};

void PrintBatch(const dispatch::Batch& b) {
  const std::string name = region::RegionTable::Builtin().DisplayName(b.jurisdiction);
  const std::string fresh = std::to_string(b.new_leads.size()),
                    updates = std::to_string(b.updates.size());
  Tell("batch " + b.label + "  " + (name.empty() ? "(unknown place)" : name) + ": " + fresh +
           " new, " + updates + " updates",
       "批次 " + b.label + "  " + (name.empty() ? "（地点不明）" : name) + "：新线索 " + fresh +
           " 条，更新 " + updates + " 条");
}

void RunDispatch(const DispatchOptions& o) {
  AuditedStore books = AuditedStore::OpenOrExit(o.store, o.audit);
  store::Store* store = &books.store();
  dispatch::LeadOptions lo;
  lo.singles = !o.no_singles;
  auto leads = dispatch::MakeLeads(*store, lo);
  ExitOnError(leads.status());
  dispatch::LeadBook book(store->sql(), DeadlineOf(o.clock));
  std::optional<dispatch::DispatchResult> r;
  audit::Entry note;
  note.action = "lead.dispatch";
  note.target = std::to_string(leads->size()) + " leads";
  books.Change(note, [&](audit::Entry& e) -> Status {
    FANZHA_ASSIGN_OR_RETURN(r, book.Dispatch(*leads, NowOf(o.clock)));
    e.detail = std::to_string(r->batches.size()) + " batches, " + std::to_string(r->unchanged) +
               " unchanged";
    return Status::Ok();
  });
  if (o.json) {
    Json batches = Json::array();
    for (const dispatch::Batch& b : r->batches) {
      batches.push_back({{"batch", b.number},
                         {"label", b.label},
                         {"jurisdiction", b.jurisdiction},
                         {"new", b.new_leads},
                         {"updates", b.updates}});
    }
    PrintJson({{"leads", leads->size()}, {"batches", batches}, {"unchanged", r->unchanged}});
    return;
  }
  const std::string n = std::to_string(leads->size()), batches = std::to_string(r->batches.size()),
                    unchanged = std::to_string(r->unchanged);
  Tell(n + " leads: " + batches + " batches, " + unchanged + " already sent with nothing new",
       "线索 " + n + " 条：" + batches + " 个批次，" + unchanged + " 条此前已推送且无新内容");
  for (const dispatch::Batch& b : r->batches) PrintBatch(b);
}

struct LeadsOptions {
  StoreOptions store;
  ClockOptions clock;
  bool json = false;
  std::string status, jurisdiction, case_id;
  int64_t batch = 0;
  bool overdue = false;
};

// A lead's status as the dashboard names it, in the chosen language.
std::string StatusText(dispatch::LeadStatus s) {
  return SayInline(OutputLang(), dispatch::Name(s), dispatch::ChineseName(s));
}

void PrintLead(const dispatch::StoredLead& l) {
  const Lang lang = OutputLang();
  std::string cases;
  for (const std::string& c : l.cases) cases += (cases.empty() ? "" : " ") + c;
  std::string status = StatusText(l.status);
  if (l.overdue) status += " (" + SayInline(lang, "overdue", "已超期") + ")";
  const std::string loss = l.body.value("loss", std::string("0.00"));
  Result<Fen> loss_fen = ParseMoney(loss);
  std::printf("%6lld  %-12s %s %s %s %lld  %s %s  %s %s\n", static_cast<long long>(l.id),
              l.batch_label.c_str(), Pad(RegionText(l.jurisdiction), 18).c_str(),
              Pad(status, lang == Lang::kBoth ? 32 : 20).c_str(),
              SayInline(lang, "rev", "版本").c_str(), static_cast<long long>(l.revision),
              SayInline(lang, "loss", "损失").c_str(),
              loss_fen.ok() ? FormatMoneyGrouped(*loss_fen).c_str() : loss.c_str(),
              SayInline(lang, "cases", "案件").c_str(), cases.c_str());
}

void RunLeads(const LeadsOptions& o) {
  auto store = OpenStoreOrExit(o.store);
  dispatch::LeadFilter f;
  if (!o.status.empty()) {
    f.status = ValueOrExit(dispatch::ParseLeadStatus(o.status), "--status");
  }
  f.jurisdiction = o.jurisdiction;
  f.case_id = o.case_id;
  f.batch = o.batch;
  f.overdue_only = o.overdue;
  dispatch::LeadBook book(store->sql(), DeadlineOf(o.clock));
  auto leads = book.List(f, NowOf(o.clock));
  ExitOnError(leads.status());
  for (const dispatch::StoredLead& l : *leads) {
    if (o.json)
      PrintJson(dispatch::ToJson(l));
    else
      PrintLead(l);
  }
}

struct FeedbackOptions {
  StoreOptions store;
  AuditFileOptions audit;
  ClockOptions clock;
  int64_t id = 0;
  std::string status, recovered = "0", reason;
  int64_t arrests = 0, solved = 0;
};

void RunFeedback(const FeedbackOptions& o) {
  AuditedStore books = AuditedStore::OpenOrExit(o.store, o.audit);
  store::Store* store = &books.store();
  dispatch::Feedback fb;
  fb.status = ValueOrExit(dispatch::ParseLeadStatus(o.status), "--status");
  fb.recovered = ValueOrExit(ParseMoney(o.recovered), "--recovered");
  fb.arrests = o.arrests;
  fb.solved = o.solved;
  fb.reason = o.reason;
  dispatch::LeadBook book(store->sql(), DeadlineOf(o.clock));
  const Millis now = NowOf(o.clock);
  audit::Entry note;
  note.action = "lead.feedback";
  note.target = std::to_string(o.id);
  note.reason = o.reason;
  note.detail = o.status;
  dispatch::StoredLead lead;
  books.Change(note, [&](audit::Entry&) -> Status {
    FANZHA_ASSIGN_OR_RETURN(lead, app::RecordLeadFeedback(book, o.id, fb, now));
    return Status::Ok();
  });
  PrintLead(lead);
}

void RegisterFeedback(CLI::App* leads) {
  auto o = std::make_shared<FeedbackOptions>();
  CLI::App* cmd = leads->add_subcommand(
      "feedback", Help("Record what became of a lead.", "登记线索的办理结果。"));
  cmd->footer(Help(
      "pushed -> accepted -> verified -> closed; or rejected (with a reason) from any open "
      "status.\n"
      "Examples:\n"
      "  fanzha leads feedback 12 --status accepted\n"
      "  fanzha leads feedback 12 --status closed --arrests 5 --solved 9 --recovered 120000.00\n"
      "  fanzha leads feedback 13 --status rejected --reason \"suspects not in our area\"",
      "pushed（已推送）-> accepted（已接收）-> verified（已核实）-> closed（已办结）；\n"
      "或从任一未结状态转为 rejected（已退回，须说明理由）。\n"
      "示例：\n"
      "  fanzha leads feedback 12 --status accepted\n"
      "  fanzha leads feedback 12 --status closed --arrests 5 --solved 9 --recovered 120000.00\n"
      "  fanzha leads feedback 13 --status rejected --reason \"suspects not in our area\""));
  AddDbOption(cmd, &o->store);
  AddAuditFileOptions(cmd, &o->audit);
  AddClockOptions(cmd, &o->clock);
  cmd->add_option("id", o->id, Help("lead id", "线索编号"))->required();
  cmd->add_option("--status", o->status,
                  Help("accepted|verified|closed|rejected",
                       "accepted|verified|closed|rejected（已接收|已核实|已办结|已退回）"))
      ->required();
  cmd->add_option("--arrests", o->arrests, Help("suspects arrested", "抓获嫌疑人数"));
  cmd->add_option("--solved", o->solved, Help("cases solved", "破案数"));
  cmd->add_option("--recovered", o->recovered,
                  Help("money recovered, yuan (\"1234.56\")", "追回资金，单位元（\"1234.56\"）"));
  cmd->add_option("--reason", o->reason, Help("why rejected, or a note", "退回理由或备注"));
  cmd->callback([o] { RunFeedback(*o); });
}

}  // namespace

void RegisterDispatch(CLI::App& app) {
  auto o = std::make_shared<DispatchOptions>();
  CLI::App* cmd = app.add_subcommand(
      "dispatch", Help("Push new leads to the jurisdiction where the suspects are (daily batches).",
                       "将新线索推送至嫌疑人所在地的管辖单位（按日分批）。"));
  cmd->footer(Help(
      "Links the cases, makes a lead per cluster (and per lone case naming a suspect), decides "
      "its\n"
      "jurisdiction from the suspects' phones, cash-out and last-layer accounts, and puts new "
      "leads\n"
      "and updates of leads sent before into one numbered batch per jurisdiction. Running it "
      "again\n"
      "sends nothing new.\n"
      "Examples:\n"
      "  fanzha dispatch\n"
      "  fanzha dispatch --json --now 2020-03-01T09:00:00+08:00",
      "串并案件，每个串并组生成一条线索（指明嫌疑人的单起案件也各生成一条），根据嫌疑人的\n"
      "电话、取现账户和末层账户确定管辖地，并将新线索和此前已推送线索的更新按管辖地\n"
      "各编为一个带编号的批次。再次运行不会重复推送。\n"
      "示例：\n"
      "  fanzha dispatch\n"
      "  fanzha dispatch --json --now 2020-03-01T09:00:00+08:00"));
  AddDbOption(cmd, &o->store);
  AddAuditFileOptions(cmd, &o->audit);
  AddClockOptions(cmd, &o->clock);
  cmd->add_flag("--json", o->json, Help("one JSON document", "输出一份 JSON 文档"));
  cmd->add_flag(
      "--no-singles", o->no_singles,
      Help("leads for clusters only, not for lone cases", "只为串并组生成线索，不为单起案件生成"));
  cmd->callback([o] { RunDispatch(*o); });
}

void RegisterLeads(CLI::App& app) {
  auto o = std::make_shared<LeadsOptions>();
  CLI::App* cmd = app.add_subcommand(
      "leads", Help("List the leads sent and their feedback.", "列出已推送的线索及其反馈。"));
  cmd->footer(Help(
      "Examples:\n"
      "  fanzha leads --status pushed --jurisdiction 450000   # a province or a city code\n"
      "  fanzha leads --overdue --now 2020-03-05T00:00:00+08:00\n"
      "  fanzha leads --json          # one lead per line: id, batch, jurisdiction, cases, "
      "status,\n"
      "                               # evidence, identifiers, money, jurisdiction_detail\n"
      "  fanzha leads feedback 12 --status closed --arrests 5 --solved 9 --recovered 120000",
      "示例：\n"
      "  fanzha leads --status pushed --jurisdiction 450000   # 省级或市级代码\n"
      "  fanzha leads --overdue --now 2020-03-05T00:00:00+08:00\n"
      "  fanzha leads --json          # 每行一条线索：id、batch、jurisdiction、cases、status、\n"
      "                               # evidence、identifiers、money、jurisdiction_detail\n"
      "  fanzha leads feedback 12 --status closed --arrests 5 --solved 9 --recovered 120000"));
  AddDbOption(cmd, &o->store);
  AddClockOptions(cmd, &o->clock);
  cmd->add_flag("--json", o->json,
                Help("one JSON document per lead", "每条线索输出一份 JSON 文档"));
  cmd->add_option("--status", o->status,
                  Help("pushed|accepted|verified|closed|rejected",
                       "pushed|accepted|verified|closed|rejected（已推送|已接收|已核实|已办结|"
                       "已退回）"));
  cmd->add_option("--jurisdiction", o->jurisdiction,
                  Help("GB/T 2260 code of a city or province", "市或省的 GB/T 2260 行政区划代码"));
  cmd->add_option("--case", o->case_id, Help("leads carrying this case", "包含此案件的线索"));
  cmd->add_option("--batch", o->batch, Help("batch number", "批次号"));
  cmd->add_flag(
      "--overdue", o->overdue,
      Help("only leads with no feedback past their deadline", "只列出超过办理期限仍无反馈的线索"));
  RegisterFeedback(cmd);
  cmd->callback([o, cmd] {
    CheckRegionOption(o->jurisdiction, "--jurisdiction");
    CheckCaseOption(o->case_id, "--case");
    if (cmd->get_subcommands().empty()) RunLeads(*o);
  });
}

}  // namespace fanzha::cli
