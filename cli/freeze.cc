// fanzha freeze / fanzha return: from a trace to freeze orders, and frozen money back to victims.
#include "app/freeze.h"

#include <algorithm>
#include <cstdio>
#include <fstream>

#include "cli/commands.h"
#include "core/clock.h"
#include "freeze/freeze.h"
#include "freeze/returns.h"
#include "ledger/ledger.h"
#include "trace/trace.h"

namespace fanzha::cli {
namespace {

using json = nlohmann::ordered_json;

Millis Now() { return SystemClock().Now(); }

// A plan item's urgency ("critical" | "high" | "normal") as the user reads it.
std::string UrgencyIn(Lang lang, const std::string& urgency) {
  if (urgency == "critical") return SayInline(lang, urgency, "特急");
  if (urgency == "high") return SayInline(lang, urgency, "紧急");
  if (urgency == "normal") return SayInline(lang, urgency, "一般");
  return urgency;
}

// A return rule (freeze::ReturnPlan::rule) as the user reads it, with its code.
std::string RuleInChinese(const std::string& rule) {
  if (rule == "single_victim") return "单一受害人全额返还（" + rule + "）";
  if (rule == "by_lots") return "按资金批次返还（" + rule + "）";
  if (rule == "pro_rata_by_loss") return "按损失比例返还（" + rule + "）";
  return rule;
}

// What freeze::PlanReturn's explanation says, in Chinese.
std::string ExplanationInChinese(const freeze::ReturnPlan& plan) {
  if (plan.rule == "single_victim") return "只有一名受害人的资金流入该账户：全部返还该受害人";
  if (plan.rule == "by_lots") return "资金追踪已确定各受害人在该账户中的份额：按资金批次返还";
  if (plan.rule == "pro_rata_by_loss") {
    return "各受害人资金已混同，无法按批次区分：按损失金额比例返还";
  }
  return plan.explanation;
}

// A return's step (planned | noticed | returned) as the user reads it.
std::string StepIn(Lang lang, freeze::ReturnStep step) {
  const std::string en(freeze::Name(step));
  switch (step) {
    case freeze::ReturnStep::kPlanned:
      return SayInline(lang, en, "待返还");
    case freeze::ReturnStep::kNoticed:
      return SayInline(lang, en, "公告中");
    case freeze::ReturnStep::kReturned:
      return SayInline(lang, en, "已返还");
  }
  return en;
}

// Orders lapse by themselves: every freeze and return command first marks those whose deadline
// passed (each audited), so that what it shows is true now.
AuditedStore OpenAndSweep(const StoreOptions& store, const AuditFileOptions& audit) {
  AuditedStore books = AuditedStore::OpenOrExit(store, audit);
  books.SweepLapsed();
  return books;
}

// --db and the audit chain's files: every freeze and return command may write.
void AddBooksOptions(CLI::App* cmd, StoreOptions* store, AuditFileOptions* audit) {
  AddDbOption(cmd, store);
  AddAuditFileOptions(cmd, audit);
}

audit::Entry Note(std::string action, std::string target, std::string reason = "",
                  std::string detail = "") {
  audit::Entry e;
  e.action = std::move(action);
  e.target = std::move(target);
  e.reason = std::move(reason);
  e.detail = std::move(detail);
  return e;
}

// Who asks, on which document: --document, --by, --unit.
void AddMandateOptions(CLI::App* cmd, freeze::Mandate* m) {
  cmd->add_option("--document", m->document,
                  Help("the legal document's number (止付/冻结/解冻通知书文号)",
                       "法律文书的文号（止付、冻结或解冻通知书文号）"));
  cmd->add_option("--by", m->requested_by,
                  Help("who asks (the officer's user name)", "申请人（民警的用户名）"));
  cmd->add_option(
      "--unit", m->unit,
      Help("their unit: GB/T 2260 region code", "申请人所在单位：GB/T 2260 行政区划代码"));
}

struct PlanOptions {
  StoreOptions store;
  AuditFileOptions audit;
  std::string case_id;
  std::string policy = "fifo";
  std::string kind = "freeze";
  freeze::Mandate mandate;
  std::vector<std::string> accounts;
  bool json = false;
};

// Traces a case and makes its freeze plan.
freeze::Plan PlanOf(store::Store& store, const ledger::Ledger& ledger, const std::string& case_id,
                    const std::string& policy_name) {
  auto c = store.GetCase(case_id);
  ExitOnError(c.status());
  if (!*c)
    ExitOnError(
        Status::NotFound("no case " + case_id + " in the store").WithZh("库中没有案件 " + case_id));
  trace::Options opts;
  opts.policy = ValueOrExit(trace::ParsePolicy(policy_name), "--policy");
  return ValueOrExit(app::PlanFreeze(ledger, **c, opts));
}

// The orders as a table in the user's language: kinds and statuses named as on the dashboard,
// money with separators, deadlines to the minute in China time.
void PrintOrders(const std::vector<freeze::Order>& orders) {
  const bool zh = OutputLang() != Lang::kEn;
  // Padded by display columns: institutions and statuses are Chinese in either language.
  const size_t kind_w = zh ? 4 : 12, status_w = zh ? 6 : 9;
  auto row = [&](std::string id, std::string kind, std::string c, std::string account,
                 std::string inst, std::string requested, std::string status, std::string frozen,
                 std::string deadline, const std::string& note) {
    std::string line = Pad(std::move(id), 6) + " " + Pad(std::move(kind), kind_w) + " " +
                       Pad(std::move(c), 20) + " " + Pad(std::move(account), 24) + " " +
                       Pad(std::move(inst), 14) + " " + Pad(std::move(requested), 14, false) + " " +
                       Pad(std::move(status), status_w) + " " + Pad(std::move(frozen), 14, false) +
                       " " + Pad(std::move(deadline), 16) + "  " + note;
    std::printf("%.*s\n", static_cast<int>(line.find_last_not_of(' ') + 1), line.c_str());
  };
  if (zh) {
    row("编号", "种类", "案件", "账户", "机构", "请求冻结", "状态", "已冻结", "期限", "备注");
  } else {
    row("order", "kind", "case", "account", "inst.", "to freeze", "status", "frozen", "deadline",
        "note");
  }
  for (const auto& o : orders) {
    row(std::to_string(o.id), std::string(zh ? freeze::ChineseName(o.kind) : freeze::Name(o.kind)),
        o.case_id, o.account, o.institution, FormatMoneyGrouped(o.requested),
        std::string(zh ? freeze::ChineseName(o.status) : freeze::Name(o.status)),
        FormatMoneyGrouped(o.frozen), o.deadline ? FormatMinute(o.deadline) : "-", o.reason);
  }
}

void RunPlan(const PlanOptions& o, bool draft) {
  AuditedStore books = OpenAndSweep(o.store, o.audit);
  store::Store* store = &books.store();
  auto ledger = ledger::Ledger::Load(*store);
  ExitOnError(ledger.status());
  freeze::Plan plan = PlanOf(*store, **ledger, o.case_id, o.policy);
  if (!draft) {
    if (o.json) return PrintJson(freeze::ToJson(plan));
    const std::string policy(trace::Name(plan.policy)), n = std::to_string(plan.items.size());
    Tell("Freeze plan for case " + plan.case_id + " (" + policy +
             "): " + FormatMoneyGrouped(plan.total) + " of " + FormatMoneyGrouped(plan.seed) +
             " yuan can still be frozen in " + n + " accounts",
         "案件 " + plan.case_id + " 止付冻结方案（" + policy + "）：被骗 " +
             FormatMoneyGrouped(plan.seed) + " 元中仍可冻结 " + FormatMoneyGrouped(plan.total) +
             " 元，涉及 " + n + " 个账户");
    const Lang lang = OutputLang();
    for (const auto& i : plan.items) {
      const std::string hops = std::to_string(i.hops),
                        pace = std::to_string(static_cast<long long>(i.minutes_per_hop)),
                        since = FormatMinute(i.first_tainted_at);
      const std::string when =
          SayInline(lang, "hop " + hops + "  " + pace + " min/hop  since " + since,
                    "第 " + hops + " 跳  每跳 " + pace + " 分钟  自 " + since + " 起");
      const size_t urgency_w = lang == Lang::kBoth ? 14 : 8;  // "特急 critical"
      const std::string line = "  " + Pad(UrgencyIn(lang, i.urgency), urgency_w) + " " +
                               Pad(i.account, 24) + " " + Pad(i.institution, 14) + " " +
                               Pad(FormatMoneyGrouped(i.amount), 14, false) + "  " + when;
      std::printf("%s\n", line.c_str());
    }
    Tell("Draft the orders with: fanzha freeze order --case " + plan.case_id,
         "生成冻结单：fanzha freeze order --case " + plan.case_id);
    return;
  }
  freeze::DraftOptions draft_options;
  draft_options.kind = ValueOrExit(freeze::ParseOrderKind(o.kind), "--kind");
  draft_options.mandate = o.mandate;
  draft_options.accounts = o.accounts;
  std::vector<freeze::OrderBook::Drafted> drafted;
  books.Change(Note("freeze.draft", plan.case_id), [&](audit::Entry& e) -> Status {
    FANZHA_ASSIGN_OR_RETURN(drafted, app::DraftOrders(*store, plan, draft_options, Now()));
    e.detail = std::to_string(drafted.size()) + " " + o.kind + " orders";
    return Status::Ok();
  });
  if (o.json) return PrintJson(app::DraftedJson(plan, drafted));
  std::vector<freeze::Order> orders;
  int created = 0;
  for (const auto& d : drafted) {
    orders.push_back(d.order);
    created += d.created;
  }
  const std::string made = std::to_string(created),
                    before = std::to_string(drafted.size() - created);
  Tell(made + " new freeze orders, " + before + " already drafted",
       "新冻结单 " + made + " 张，" + before + " 张此前已生成");
  PrintOrders(orders);
}

struct MoveOptions {
  StoreOptions store;
  AuditFileOptions audit;
  int64_t id = 0;
  std::string status;
  std::string amount;
  std::string reason;
  bool json = false;
};

void RunMove(const MoveOptions& o) {
  AuditedStore books = OpenAndSweep(o.store, o.audit);
  store::Store* store = &books.store();
  auto to = freeze::ParseOrderStatus(o.status);
  ExitOnError(to.status());
  std::optional<Fen> amount;
  if (!o.amount.empty()) {
    amount = ValueOrExit(ParseMoney(o.amount), "--amount");
  }
  freeze::Order moved;
  books.Change(Note("freeze.move", "order " + std::to_string(o.id), o.reason, "-> " + o.status),
               [&](audit::Entry&) -> Status {
                 FANZHA_ASSIGN_OR_RETURN(
                     moved,
                     freeze::OrderBook(store->sql()).Move(o.id, *to, amount, o.reason, Now()));
                 return Status::Ok();
               });
  if (o.json) return PrintJson(freeze::ToJson(moved));
  PrintOrders({moved});
}

struct ListOptions {
  StoreOptions store;
  AuditFileOptions audit;
  freeze::OrderFilter filter;
  std::string status;
  std::string kind;
  std::string csv_out;
  bool json = false;
};

void RunList(const ListOptions& o) {
  AuditedStore books = OpenAndSweep(o.store, o.audit);
  store::Store* store = &books.store();
  freeze::OrderFilter f = o.filter;
  if (!o.status.empty()) {
    auto s = freeze::ParseOrderStatus(o.status);
    ExitOnError(s.status());
    f.status = *s;
  }
  if (!o.kind.empty()) f.kind = ValueOrExit(freeze::ParseOrderKind(o.kind), "--kind");
  freeze::OrderBook book(store->sql());
  auto orders = book.List(f);
  ExitOnError(orders.status());
  if (!o.csv_out.empty()) {
    std::string csv = freeze::OrdersCsv(*orders);
    if (o.csv_out == "-") {
      std::fwrite(csv.data(), 1, csv.size(), stdout);
    } else {
      std::ofstream(o.csv_out, std::ios::binary) << csv;
      const std::string n = std::to_string(orders->size());
      std::fprintf(stderr, "%s\n",
                   Say(OutputLang(), "wrote " + n + " orders to " + o.csv_out,
                       "已将 " + n + " 张指令写入 " + o.csv_out)
                       .c_str());
    }
    return;
  }
  if (o.json) {
    json arr = json::array();
    for (const auto& order : *orders) arr.push_back(freeze::ToJson(order));
    return PrintJson({{"orders", arr}});
  }
  PrintOrders(*orders);
}

struct ReturnOptions {
  StoreOptions store;
  AuditFileOptions audit;
  std::string account;
  bool record = false;
  int64_t id = 0;
  std::string note;
  bool json = false;
};

// Frozen money at an account, split among the cases whose orders froze it.
void RunReturn(const ReturnOptions& o) {
  AuditedStore books = OpenAndSweep(o.store, o.audit);
  store::Store* store = &books.store();
  app::FrozenAt frozen = ValueOrExit(app::FindFrozen(*store, o.account));
  auto ledger = ledger::Ledger::Load(*store);
  ExitOnError(ledger.status());
  auto plan = app::PlanReturn(**ledger, frozen);
  ExitOnError(plan.status());
  if (o.record) {
    freeze::StoredReturn stored;
    books.Change(Note("return.record", "account " + o.account, "", plan->rule),
                 [&](audit::Entry& e) -> Status {
                   FANZHA_ASSIGN_OR_RETURN(stored, app::RecordReturn(*store, *plan, frozen, Now()));
                   e.detail = "return " + std::to_string(stored.id) + ", " + plan->rule;
                   return Status::Ok();
                 });
    if (o.json) return PrintJson(freeze::ToJson(stored));
    const std::string id = std::to_string(stored.id);
    const bool notice = freeze::NeedsNotice(*plan);
    Tell("return " + id + " recorded (" + plan->rule + ")" +
             (notice ? ": pro rata, so publish a 30-day public notice first (fanzha return notice "
                       "--id N)"
                     : ""),
         "返还记录 " + id + " 已登记（" + RuleInChinese(plan->rule) + "）" +
             (notice ? "：按比例返还，须先发布 30 日公告（fanzha return notice --id N）" : ""));
  }
  if (o.json) return PrintJson(freeze::ToJson(*plan));
  const std::string held = FormatMoneyGrouped(plan->frozen);
  Tell("Return plan for " + plan->account + ": " + held + " yuan frozen, rule " + plan->rule,
       "账户 " + plan->account + " 返还方案：已冻结 " + held + " 元，规则：" +
           RuleInChinese(plan->rule));
  Tell("  " + plan->explanation, "  " + ExplanationInChinese(*plan));
  const std::string case_label = SayInline(OutputLang(), "case", "案件");
  for (const auto& s : plan->shares) {
    std::printf("  %s %-24s %14s\n", case_label.c_str(), s.case_id.c_str(),
                FormatMoneyGrouped(s.amount).c_str());
  }
}

struct OrderOptions {
  StoreOptions store;
  AuditFileOptions audit;
  int64_t id = 0;
  freeze::Mandate mandate;
  std::string within = "6h";
  bool json = false;
};

void RunRenew(const OrderOptions& o) {
  AuditedStore books = OpenAndSweep(o.store, o.audit);
  store::Store* store = &books.store();
  freeze::Renewal renewal;
  books.Change(Note("freeze.renew", "order " + std::to_string(o.id), "", o.mandate.document),
               [&](audit::Entry&) -> Status {
                 FANZHA_ASSIGN_OR_RETURN(
                     renewal,
                     freeze::OrderBook(store->sql()).RequestRenewal(o.id, o.mandate, Now()));
                 return Status::Ok();
               });
  if (o.json) return PrintJson(freeze::ToJson(renewal));
  const std::string id = std::to_string(o.id), number = std::to_string(renewal.number);
  Tell("renewal " + number + " of order " + id +
           " asked for; a server with --nats sends it to the bank",
       "已申请第 " + id + " 号冻结单的第 " + number + " 次续冻；带 --nats 的服务会将其发送给银行");
}

void RunRelease(const OrderOptions& o) {
  AuditedStore books = OpenAndSweep(o.store, o.audit);
  store::Store* store = &books.store();
  freeze::OrderBook::Drafted release;
  books.Change(Note("freeze.release", "order " + std::to_string(o.id), "", o.mandate.document),
               [&](audit::Entry&) -> Status {
                 FANZHA_ASSIGN_OR_RETURN(
                     release, freeze::OrderBook(store->sql()).Release(o.id, o.mandate, Now()));
                 return Status::Ok();
               });
  if (o.json) return PrintJson(freeze::ToJson(release.order));
  const std::string release_id = std::to_string(release.order.id), id = std::to_string(o.id);
  const std::string send = "fanzha freeze move --order " + release_id + " --to sent";
  Tell(std::string(release.created ? "drafted" : "already drafted:") + " release order " +
           release_id + " of order " + id + "; send it with: " + send,
       std::string(release.created ? "已生成" : "此前已生成") + "第 " + id + " 号指令的解冻单 " +
           release_id + "；发送：" + send);
}

// Orders whose clock runs out within --within, soonest first.
void RunDue(const OrderOptions& o) {
  Millis within = ValueOrExit(ParseDuration(o.within), "--within");
  AuditedStore books = OpenAndSweep(o.store, o.audit);
  store::Store* store = &books.store();
  auto due = freeze::OrderBook(store->sql()).Due(Now(), within);
  ExitOnError(due.status());
  if (o.json) {
    json arr = json::array();
    for (const auto& order : *due) arr.push_back(freeze::ToJson(order));
    return PrintJson({{"within", o.within}, {"orders", arr}});
  }
  const std::string n = std::to_string(due->size());
  Tell(n + " orders lapse within " + o.within + " unless renewed:",
       "到期提醒：" + n + " 张指令将在 " + o.within + " 内到期，请及时续期：");
  PrintOrders(*due);
}

void RunShow(const OrderOptions& o) {
  AuditedStore books = OpenAndSweep(o.store, o.audit);
  store::Store* store = &books.store();
  freeze::OrderBook book(store->sql());
  auto order = book.Get(o.id);
  ExitOnError(order.status());
  if (!*order) {
    ExitOnError(Status::NotFound("no freeze order " + std::to_string(o.id))
                    .WithZh("没有第 " + std::to_string(o.id) + " 号冻结指令"));
  }
  auto history = book.History(o.id);
  ExitOnError(history.status());
  auto renewals = book.Renewals(o.id);
  ExitOnError(renewals.status());
  if (o.json) {
    json j = freeze::ToJson(**order);
    j["history"] = json::array();
    for (const auto& e : *history) j["history"].push_back(freeze::ToJson(e));
    j["renewal_requests"] = json::array();
    for (const auto& r : *renewals) j["renewal_requests"].push_back(freeze::ToJson(r));
    return PrintJson(j);
  }
  PrintOrders({**order});
  const Lang lang = OutputLang();
  for (const auto& e : *history) {
    const std::string status =
        lang == Lang::kEn ? e.status : SayInline(lang, e.status, freeze::StatusInChinese(e.status));
    const std::string line = "  " + Pad(std::to_string(e.seq), 3, false) + " " +
                             FormatMinute(e.at) + " " + Pad(status, 9) + " " +
                             Pad(FormatMoneyGrouped(e.amount), 14, false) + "  " + e.note;
    std::printf("%s\n", line.c_str());
  }
}

struct ReturnStepOptions {
  StoreOptions store;
  AuditFileOptions audit;
  std::string account;
  int64_t id = 0;
  std::string note;
  bool json = false;
};

void PrintReturn(const freeze::StoredReturn& r) {
  const std::string id = std::to_string(r.id), money = FormatMoneyGrouped(r.plan.frozen);
  const std::string until = r.notice_ends_at ? FormatMinute(r.notice_ends_at) : "";
  Tell("return " + id + " at " + r.plan.account + ": " + money + " yuan, rule " + r.plan.rule +
           ", " + std::string(freeze::Name(r.step)) +
           (until.empty() ? "" : " (notice until " + until + ")"),
       "返还 " + id + "，账户 " + r.plan.account + "：" + money + " 元，规则：" +
           RuleInChinese(r.plan.rule) + "，" + StepIn(Lang::kZh, r.step) +
           (until.empty() ? "" : "（公告期至 " + until + "）"));
}

void RunReturnStep(const ReturnStepOptions& o, const std::string& step) {
  AuditedStore books = OpenAndSweep(o.store, o.audit);
  store::Store* store = &books.store();
  freeze::ReturnBook book(store->sql());
  if (step == "list") {
    auto all = book.List(o.account);
    ExitOnError(all.status());
    if (o.json) {
      json arr = json::array();
      for (const auto& r : *all) arr.push_back(freeze::ToJson(r));
      return PrintJson({{"returns", arr}});
    }
    for (const auto& r : *all) PrintReturn(r);
    return;
  }
  freeze::StoredReturn r;
  books.Change(Note("return." + step, "return " + std::to_string(o.id), "", o.note),
               [&](audit::Entry&) -> Status {
                 FANZHA_ASSIGN_OR_RETURN(r, step == "notice" ? book.Notice(o.id, o.note, Now())
                                                             : book.Complete(o.id, o.note, Now()));
                 return Status::Ok();
               });
  if (o.json) return PrintJson(freeze::ToJson(r));
  PrintReturn(r);
}

}  // namespace

void RegisterFreeze(CLI::App& app) {
  CLI::App* freeze = app.add_subcommand(
      "freeze",
      Help("Freeze plans and freeze orders (止付/冻结).\n\n"
           "Examples:\n"
           "  fanzha freeze plan --case HZ-20200208-0001      what to freeze, most urgent first\n"
           "  fanzha freeze order --case HZ-20200208-0001     draft orders for every held account\n"
           "  fanzha freeze move --order 3 --to sent\n"
           "  fanzha freeze move --order 3 --to executed --amount 120000\n"
           "  fanzha freeze move --order 4 --to rejected --reason 'account closed'\n"
           "  fanzha freeze order --case HZ-20200208-0001 --kind stop_payment --document "
           "'杭公反诈止〔2020〕12号'\n"
           "  fanzha freeze renew --order 3 --document '杭公反诈续冻〔2020〕5号'\n"
           "  fanzha freeze release --order 3 --document '杭公反诈解〔2020〕2号'\n"
           "  fanzha freeze due --within 6h                 orders whose clock runs out soon\n"
           "  fanzha freeze list --institution ICBC --csv icbc-orders.csv\n\n"
           "A stop-payment (止付) lasts 48 h from its execution (renewable twice), a freeze (冻结) "
           "6 months\n(renewable before it ends); an order not renewed in time lapses by itself "
           "(expired). Every\nfreeze and return command marks lapsed orders first.",
           "止付、冻结方案与止付、冻结指令。\n\n"
           "示例：\n"
           "  fanzha freeze plan --case HZ-20200208-0001      应冻结哪些账户，最紧急的在前\n"
           "  fanzha freeze order --case HZ-20200208-0001     为每个资金停留的账户起草指令\n"
           "  fanzha freeze move --order 3 --to sent\n"
           "  fanzha freeze move --order 3 --to executed --amount 120000\n"
           "  fanzha freeze move --order 4 --to rejected --reason 'account closed'\n"
           "  fanzha freeze order --case HZ-20200208-0001 --kind stop_payment --document "
           "'杭公反诈止〔2020〕12号'\n"
           "  fanzha freeze renew --order 3 --document '杭公反诈续冻〔2020〕5号'\n"
           "  fanzha freeze release --order 3 --document '杭公反诈解〔2020〕2号'\n"
           "  fanzha freeze due --within 6h                 即将到期的指令\n"
           "  fanzha freeze list --institution ICBC --csv icbc-orders.csv\n\n"
           "止付自执行起 48 小时有效（可续止两次），冻结 6 个月有效（期满前可续冻）；\n"
           "未按时续期的指令自动失效（expired）。\n"
           "每条 freeze 和 return 命令都会先标记已失效的指令。"));
  freeze->require_subcommand(1);
  for (bool draft : {false, true}) {
    auto opts = std::make_shared<PlanOptions>();
    CLI::App* cmd = freeze->add_subcommand(
        draft ? "order" : "plan",
        draft
            ? Help("draft freeze orders (planned) from a case's trace; idempotent per case and "
                   "account",
                   "根据案件的资金追踪起草止付、冻结指令（planned，待发送）；"
                   "同一案件同一账户只起草一次")
            : Help(
                  "trace a case and list the held accounts to freeze, with institution and urgency",
                  "追踪案件资金，列出应冻结的资金停留账户，附开户机构和紧急程度"));
    AddBooksOptions(cmd, &opts->store, &opts->audit);
    cmd->add_option("--case", opts->case_id, Help("the case", "案件编号"))->required();
    cmd->add_option("--policy", opts->policy, Help("tracing policy", "追踪策略"))
        ->capture_default_str();
    if (draft) {
      cmd->add_option("--account", opts->accounts,
                      Help("only these accounts (repeatable)", "只处理这些账户（可重复）"));
      cmd->add_option(
             "--kind", opts->kind,
             Help("stop_payment (止付) or freeze (冻结)", "stop_payment（止付）或 freeze（冻结）"))
          ->capture_default_str();
      AddMandateOptions(cmd, &opts->mandate);
    }
    cmd->add_flag("--json", opts->json, Help("JSON output", "以 JSON 输出"));
    cmd->callback([opts, draft] {
      CheckCaseOption(opts->case_id, "--case");
      RunPlan(*opts, draft);
    });
  }
  {
    auto opts = std::make_shared<MoveOptions>();
    CLI::App* cmd = freeze->add_subcommand(
        "move",
        Help("move an order along planned -> sent -> executed | "
             "rejected | expired, then released | returned",
             "推进指令状态：planned（待发送）-> sent（已发送）-> executed（已冻结）| "
             "rejected（被拒绝）| expired（已过期），之后 released（已解冻）| returned（已返还）"));
    AddBooksOptions(cmd, &opts->store, &opts->audit);
    cmd->add_option("--order", opts->id, Help("order id", "指令编号"))->required();
    cmd->add_option("--to", opts->status, Help("new status", "新状态"))->required();
    cmd->add_option(
        "--amount", opts->amount,
        Help("executed: the amount actually frozen (yuan)", "executed：实际冻结金额（元）"));
    cmd->add_option(
        "--reason", opts->reason,
        Help("rejected: the reason; otherwise a note", "rejected：拒绝原因；其他状态：备注"));
    cmd->add_flag("--json", opts->json, Help("JSON output", "以 JSON 输出"));
    cmd->callback([opts] { RunMove(*opts); });
  }
  {
    auto opts = std::make_shared<ListOptions>();
    CLI::App* cmd = freeze->add_subcommand(
        "list", Help("list freeze orders; --csv exports them for a bank liaison",
                     "列出止付、冻结指令；--csv 导出给银行联络员"));
    AddBooksOptions(cmd, &opts->store, &opts->audit);
    cmd->add_option("--case", opts->filter.case_id, Help("only this case", "只看此案件"));
    cmd->add_option("--account", opts->filter.account, Help("only this account", "只看此账户"));
    cmd->add_option("--institution", opts->filter.institution,
                    Help("only orders addressed to this institution", "只看发给此机构的指令"));
    cmd->add_option("--status", opts->status,
                    Help("only orders in this status", "只看此状态的指令"));
    cmd->add_option("--kind", opts->kind,
                    Help("only orders of this kind (stop_payment, freeze, release)",
                         "只看此类指令（stop_payment 止付、freeze 冻结、release 解冻）"));
    cmd->add_option(
        "--csv", opts->csv_out,
        Help("write CSV to this file ('-' for stdout)", "把 CSV 写入此文件（'-' 为标准输出）"));
    cmd->add_flag("--json", opts->json, Help("JSON output", "以 JSON 输出"));
    cmd->callback([opts] {
      CheckCaseOption(opts->filter.case_id, "--case");
      RunList(*opts);
    });
  }
  struct Sub {
    const char* name;
    std::string help;
    void (*run)(const OrderOptions&);
  };
  for (const Sub& sub :
       {Sub{"renew",
            Help("ask for the next renewal (续止/续冻) of an executed order, before its deadline",
                 "为已执行的指令申请下一次续止或续冻，须在期满前办理"),
            RunRenew},
        Sub{"release",
            Help("draft the release (解冻) of an executed order: an order of its own",
                 "为已执行的指令起草解冻：解冻本身是一条单独的指令"),
            RunRelease},
        Sub{"due",
            Help("orders whose clock runs out within --within (default 6h)",
                 "在 --within 时间内到期的指令（默认 6h）"),
            RunDue},
        Sub{"show", Help("one order with its history and renewals", "一条指令及其历史和续期"),
            RunShow}}) {
    auto opts = std::make_shared<OrderOptions>();
    CLI::App* cmd = freeze->add_subcommand(sub.name, sub.help);
    AddBooksOptions(cmd, &opts->store, &opts->audit);
    if (std::string(sub.name) == "due") {
      cmd->add_option("--within", opts->within,
                      Help("how soon: 6h, 90m, 2d", "多久之内：6h、90m、2d"))
          ->capture_default_str();
    } else {
      cmd->add_option("--order", opts->id, Help("order id", "指令编号"))->required();
    }
    if (std::string(sub.name) == "renew" || std::string(sub.name) == "release") {
      AddMandateOptions(cmd, &opts->mandate);
    }
    cmd->add_flag("--json", opts->json, Help("JSON output", "以 JSON 输出"));
    cmd->callback([opts, run = sub.run] { run(*opts); });
  }
}

void RegisterReturn(CLI::App& app) {
  CLI::App* ret = app.add_subcommand(
      "return",
      Help("Return frozen money to victims (返还) by the rules: one victim's money -> that victim; "
           "lots\n"
           "that identify each victim -> by the lots; otherwise pro rata by loss.\n\n"
           "A pro-rata return waits for a 30-day public notice; every step is recorded.\n\n"
           "Examples:\n  fanzha return plan --account 6222021234567890123 --record\n"
           "  fanzha return notice --id 1 --note '公告见杭州日报'\n"
           "  fanzha return complete --id 1\n  fanzha return list",
           "按规则把冻结资金返还受害人：只有一名受害人的资金 -> 返还该受害人；\n"
           "能分清各受害人的资金 -> 按各自资金返还；否则按损失比例返还。\n\n"
           "按比例返还须先公告 30 日；每一步都有记录。\n\n"
           "示例：\n"
           "  fanzha return plan --account 6222021234567890123 --record\n"
           "  fanzha return notice --id 1 --note '公告见杭州日报'\n"
           "  fanzha return complete --id 1\n"
           "  fanzha return list"));
  ret->require_subcommand(1);
  auto opts = std::make_shared<ReturnOptions>();
  CLI::App* cmd =
      ret->add_subcommand("plan", Help("split the money frozen at an account among the victims",
                                       "把一个账户上的冻结资金在受害人之间分配"));
  AddBooksOptions(cmd, &opts->store, &opts->audit);
  cmd->add_option("--account", opts->account,
                  Help("the account where money is frozen", "资金被冻结的账户"))
      ->required();
  cmd->add_flag(
      "--record", opts->record,
      Help("record the plan as a return (its first step)", "把方案记为一次返还（返还的第一步）"));
  cmd->add_flag("--json", opts->json, Help("JSON output", "以 JSON 输出"));
  cmd->callback([opts] { RunReturn(*opts); });
  for (const char* step : {"notice", "complete", "list"}) {
    auto o = std::make_shared<ReturnStepOptions>();
    std::string name = step;
    CLI::App* sub = ret->add_subcommand(
        step, name == "notice" ? Help("publish the 30-day public notice of a pro-rata return",
                                      "发布按比例返还的 30 日公告")
              : name == "complete"
                  ? Help("record that the money went back (after the notice, when one is needed)",
                         "记录资金已返还（需要公告的，在公告期满后）")
                  : Help("list recorded returns and their steps", "列出已记录的返还及其各步骤"));
    AddBooksOptions(sub, &o->store, &o->audit);
    if (name == "list") {
      sub->add_option("--account", o->account, Help("only this account", "只看此账户"));
    } else {
      sub->add_option("--id", o->id, Help("return id", "返还编号"))->required();
      sub->add_option("--note", o->note,
                      Help("a note kept with the step (where the notice was published)",
                           "随该步骤保存的备注（公告刊登在何处）"));
    }
    sub->add_flag("--json", o->json, Help("JSON output", "以 JSON 输出"));
    sub->callback([o, name] { RunReturnStep(*o, name); });
  }
}

}  // namespace fanzha::cli
