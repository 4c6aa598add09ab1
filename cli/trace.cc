// fanzha trace: where is the victims' money now?
#include "trace/trace.h"

#include <chrono>
#include <cstdio>
#include <map>
#include <set>

#include "cli/commands.h"
#include "federated/courier.h"
#include "federated/stop_payments.h"
#include "federated/walk.h"
#include "freeze/freeze.h"
#include "interchange/directory.h"
#include "interchange/platform.h"
#include "ledger/ledger.h"

namespace fanzha::cli {
namespace {

struct TraceOptions {
  StoreOptions store;
  std::vector<std::string> cases;
  std::string policy = "fifo";
  int max_hops = 8;
  std::string until;
  std::string min_amount;
  std::string account, amount, at;
  bool json = false;
  // --via-banks: the federated trace (federated/walk.h)
  bool via_banks = false, stop_payments = false;
  std::string nats_url, document, by, unit, reason, bank_deadline = "30s";
  AuditFileOptions audit;
};

void RunViaBanks(const TraceOptions& o, const trace::Options& trace_options);

std::string Yuan(Fen f) { return FormatMoneyGrouped(f); }

// "hop 2" | "第 2 跳" (both for kBoth).
std::string Hop(int n) {
  const std::string h = std::to_string(n);
  return SayInline(OutputLang(), "hop " + h, "第 " + h + " 跳");
}

// How money left the trace: withdrawal, merchant, platform, exchange, hop_limit.
std::string ExitKindText(trace::ExitKind k) {
  return SayInline(OutputLang(), trace::Name(k), trace::ChineseName(k));
}

// Why a statement is missing: late, rejected, no_bank, no_opening.
std::string GapText(federated::Gap::Why why) {
  constexpr std::string_view kZh[] = {"银行超时未回复", "银行拒绝", "未知开户行", "缺期初余额"};
  return SayInline(OutputLang(), federated::Name(why), kZh[static_cast<size_t>(why)]);
}

// The title of a trace's answer, in both languages.
struct Title {
  std::string en, zh;
};

// The hop a flow's line shows: that of the summary below. Money arrives at `to` at f.hops; cash
// leaves the trace at the account it was withdrawn from, at the hop it had there.
int ShownHop(const trace::Flow& f) { return f.to.empty() ? f.hops - 1 : f.hops; }

// One line per flow, under the flow that brought its money (Flow::parent), children in time order.
void PrintFlow(const std::vector<trace::Flow>& flows,
               const std::vector<std::vector<size_t>>& children, size_t i, int depth) {
  const trace::Flow& f = flows[i];
  const Lang lang = OutputLang();
  std::printf(
      "%*s%s  %s  %s  %s -> %s  %s\n", 2 * depth, "", Hop(ShownHop(f)).c_str(),
      ShownTime(f.time).c_str(), f.transfer.c_str(),
      f.from.empty() ? ("(" + SayInline(lang, "cash", "现金") + ")").c_str() : f.from.c_str(),
      f.to.empty() ? ("(" + SayInline(lang, "cash out", "取现") + ")").c_str() : f.to.c_str(),
      Yuan(f.amount).c_str());
  for (size_t child : children[i]) PrintFlow(flows, children, child, depth + 1);
}

// The readable answer: the money as a tree of transfers from the victims' payments, then the
// freeze targets (with the bank `institution_of` names) and the exits.
void PrintTree(const trace::Answer& a, const Title& title,
               const std::function<std::string(const std::string&)>& institution_of) {
  const Lang lang = OutputLang();
  const std::string seed = Yuan(a.seed), hops = std::to_string(a.max_hops),
                    until = ShownTime(a.until);
  Tell(title.en + ": " + seed + " yuan traced with " + std::string(trace::Name(a.policy)) +
           ", at most " + hops + " hops, until " + until,
       title.zh + "：追踪资金 " + seed + " 元，按" + std::string(trace::ChineseName(a.policy)) +
           "（" + std::string(trace::Name(a.policy)) + "），最多 " + hops + " 跳，截至 " + until);
  const std::string n = std::to_string(a.flows.size());
  std::printf("\n");
  Tell("Where the money went (" + n +
           " transfers carried it; each under the transfer that brought its money):",
       "资金去向：" + n + " 笔转账，每笔列在带来其资金的那笔之下：");
  std::vector<std::vector<size_t>> children(a.flows.size());
  std::vector<size_t> roots;
  for (size_t i = 0; i < a.flows.size(); ++i) {
    int parent = a.flows[i].parent;
    (parent >= 0 ? children[static_cast<size_t>(parent)] : roots).push_back(i);
  }
  for (size_t root : roots) PrintFlow(a.flows, children, root, 0);
  std::printf("\n");
  Tell("Held now (freeze these, largest first):", "资金现存（应止付冻结，金额从大到小）：");
  const std::string none = "  " + SayInline(lang, "none", "无");
  if (a.held.empty()) std::printf("%s\n", none.c_str());
  for (const trace::Held& h : a.held) {
    std::string inst = institution_of(h.account);
    std::printf("  %-24s %14s  %s  %s %s  %s\n", h.account.c_str(), Yuan(h.amount).c_str(),
                Hop(h.hops).c_str(), SayInline(lang, "since", "首次流入").c_str(),
                ShownTime(h.first_tainted_at).c_str(), inst.c_str());
    if (h.by_origin.size() > 1) {
      for (const auto& o : h.by_origin) {
        std::printf("      %s %s: %s\n", SayInline(lang, "of case", "其中案件").c_str(),
                    o.origin.c_str(), Yuan(o.amount).c_str());
      }
    }
  }
  std::printf("\n");
  Tell("Left the trace:", "已离开追踪：");
  if (a.exits.empty()) std::printf("%s\n", none.c_str());
  for (const trace::Exit& e : a.exits) {
    std::printf("  %-24s %s %14s  %s\n", e.account.c_str(),
                Pad(ExitKindText(e.kind), lang == Lang::kBoth ? 18 : 10).c_str(),
                Yuan(e.amount).c_str(), Hop(e.hops).c_str());
  }
  Fen held = 0, exits = 0;
  for (const auto& h : a.held) held += h.amount;
  for (const auto& e : a.exits) exits += e.amount;
  std::printf("\n");
  Tell("Dust: " + Yuan(a.dust), "零散资金：" + Yuan(a.dust));
  if (a.policy != trace::Policy::kPoison) {
    Tell("Check: seed " + Yuan(a.seed) + " = held " + Yuan(held) + " + exits " + Yuan(exits) +
             " + dust " + Yuan(a.dust),
         "核对：起始资金 " + Yuan(a.seed) + " = 现存 " + Yuan(held) + " + 流出 " + Yuan(exits) +
             " + 零散 " + Yuan(a.dust));
  } else {
    Tell("Poison amounts are upper bounds (reachability); they are not conserved.",
         "可达性（poison）策略下的金额是上限（表示资金可能到达），不守恒。");
  }
}

Result<std::vector<trace::Seed>> GatherSeeds(store::Store& store, const ledger::Ledger& ledger,
                                             const TraceOptions& o) {
  std::vector<trace::Seed> seeds;
  for (const std::string& id : o.cases) {
    FANZHA_ASSIGN_OR_RETURN(auto c, store.GetCase(id));
    if (!c)
      return Status::NotFound("no case " + id + " in the store (import its cases.jsonl first)")
          .WithZh("数据库中没有案件 " + id + "（请先导入其 cases.jsonl）");
    FANZHA_ASSIGN_OR_RETURN(auto case_seeds, trace::SeedsOfCase(ledger, *c));
    seeds.insert(seeds.end(), case_seeds.begin(), case_seeds.end());
  }
  if (!o.account.empty() || !o.amount.empty() || !o.at.empty()) {
    if (o.account.empty() || o.amount.empty() || o.at.empty()) {
      return Status::Invalid("an ad-hoc seed needs all of --account, --amount and --at")
          .WithZh("临时种子需要同时给出 --account、--amount 和 --at");
    }
    trace::Seed s;
    s.origin = "seed";
    s.account = o.account;
    FANZHA_ASSIGN_OR_RETURN(s.amount, ParseMoney(o.amount));
    FANZHA_ASSIGN_OR_RETURN(s.time, ParseTime(o.at));
    seeds.push_back(s);
  }
  if (seeds.empty())
    return Status::Invalid("say what to trace: --case ID, or --account --amount --at")
        .WithZh("请指明追踪什么：--case 案件编号，或 --account --amount --at");
  return seeds;
}

void Run(const TraceOptions& o) {
  auto store = OpenStoreOrExit(o.store);
  trace::Options opts;
  opts.policy = ValueOrExit(trace::ParsePolicy(o.policy), "--policy");
  opts.max_hops = o.max_hops;
  if (!o.until.empty()) {
    opts.until = ValueOrExit(ParseTime(o.until), "--until");
  }
  if (!o.min_amount.empty()) {
    opts.min_amount = ValueOrExit(ParseMoney(o.min_amount), "--min-amount");
  }
  if (o.via_banks) {
    store.reset();
    RunViaBanks(o, opts);
    return;
  }
  auto ledger = ledger::Ledger::Load(*store);
  ExitOnError(ledger.status());
  auto seeds = GatherSeeds(*store, **ledger, o);
  ExitOnError(seeds.status());
  auto answer = trace::Trace(**ledger, *seeds, opts);
  ExitOnError(answer.status());
  std::string case_id = o.cases.size() == 1 ? o.cases[0] : "";
  if (o.json) {
    PrintJson(trace::ToJson(*answer, case_id));
  } else {
    Title title = o.cases.empty() ? Title{"Ad-hoc seed", "临时种子"}
                                  : Title{"Case " + case_id, "案件 " + case_id};
    if (o.cases.size() > 1) {
      title = {"Cases", "案件"};
      for (const auto& c : o.cases) {
        title.en += " " + c;
        title.zh += " " + c;
      }
    }
    PrintTree(*answer, title, [&](const std::string& account) {
      auto idx = (*ledger)->FindAccount(account);
      return idx ? (*ledger)->institution(*idx) : std::string();
    });
  }
}

// One line on stderr per round that changed something.
void PrintProgress(const federated::Progress& p) {
  const std::string round = std::to_string(p.round), asked = std::to_string(p.asked),
                    banks = std::to_string(p.banks_asked.size()),
                    answered = std::to_string(p.answered), waiting = std::to_string(p.waiting),
                    late = std::to_string(p.late), hops = std::to_string(p.hops_known),
                    reached = std::to_string(p.accounts_reached);
  std::fprintf(
      stderr, "%s\n",
      Say(OutputLang(),
          "round " + round + ": " + asked + " statement queries to " + banks + " banks, " +
              answered + " answered, " + waiting + " waiting (" + late +
              " late); complete up to hop " + hops + "; the money reached " + reached + " accounts",
          "第 " + round + " 轮：已调单 " + asked + " 次（" + banks + " 家银行），已回复 " +
              answered + "，等待 " + waiting + "（超时 " + late + "），前 " + hops +
              " 跳已完整，资金已到 " + reached + " 个账户")
          .c_str());
}

void PrintGaps(const std::vector<federated::Gap>& gaps) {
  std::printf("\n");
  if (gaps.empty()) {
    Tell("Complete: every account the money reached has its statement.",
         "完整：资金到达的每个账户都已取得流水。");
    return;
  }
  Tell("Incomplete: these statements are missing:", "不完整：以下账户的流水尚缺：");
  const bool both = OutputLang() == Lang::kBoth;
  for (const federated::Gap& g : gaps) {
    std::printf("  %-24s %s %s %s .. %s  %s\n", g.account.c_str(),
                Pad(g.institution.empty() ? "?" : g.institution, 12).c_str(),
                Pad(GapText(g.why), both ? 26 : 14).c_str(), ShownTime(g.from).c_str(),
                ShownTime(g.to).c_str(), g.detail.c_str());
  }
}

// The stop-payments a round sent, on stderr.
void PrintStopPayments(const std::vector<freeze::Order>& orders) {
  for (const freeze::Order& o : orders) {
    const std::string id = std::to_string(o.id), money = FormatMoney(o.requested);
    std::fprintf(stderr, "%s\n",
                 Say(OutputLang(),
                     "stop-payment " + id + " sent to " + o.institution + ": " + o.account + ", " +
                         money + " yuan",
                     "止付令 " + id + " 已发往 " + o.institution + "：账户 " + o.account + "，" +
                         money + " 元")
                     .c_str());
  }
}

// fanzha trace --via-banks: asks the banks over NATS for what the platform does not hold.
void RunViaBanks(const TraceOptions& o, const trace::Options& trace_options) {
  if (o.cases.size() != 1 || !o.account.empty()) {
    ExitOnError(Status::Invalid("--via-banks traces one case: give one --case and no ad-hoc seed")
                    .WithZh("--via-banks 一次追踪一个案件：请只给一个 --case，不要给临时种子"));
  }
  if (o.nats_url.empty()) {
    ExitOnError(Status::Invalid("--via-banks needs --nats URL (the bank interchange)")
                    .WithZh("--via-banks 需要 --nats URL（银行协查通道）"));
  }
  AuditedStore audited = AuditedStore::OpenOrExit(o.store, o.audit);
  interchange::PlatformOptions po;
  po.db = o.store.db;
  po.nats.url = o.nats_url;
  po.audit_key = &audited.key();
  po.poll_every = 100;
  auto platform = ValueOrExit(interchange::Platform::Start(po), "--nats");
  federated::PlatformCourier courier(*platform);
  // Which bank issues an account the registry does not know: the prefixes bank nodes announce.
  auto nats =
      ValueOrExit(interchange::Connection::Open({o.nats_url, "fanzha trace", 5000}), "--nats");
  const interchange::Directory directory = ValueOrExit(interchange::LoadDirectory(*nats), "--nats");
  for (const interchange::SkippedAnnouncement& s : directory.skipped()) {
    std::fprintf(
        stderr, "%s\n",
        Say(OutputLang(), "bank directory: " + s.subject + " skipped (" + s.why.message() + ")",
            "银行目录：已忽略 " + s.subject + "（" + s.why.zh() + "）")
            .c_str());
  }
  federated::Options fo;
  fo.bank_of = [&directory](std::string_view account) { return directory.InstitutionOf(account); };
  fo.trace = trace_options;
  fo.user = CommandLineUser();
  fo.reason = o.reason.empty() ? "federated trace of case " + o.cases[0] : o.reason;
  fo.mandate = {o.document, o.by.empty() ? CommandLineUser() : o.by, o.unit};
  fo.audit_key = &audited.key();
  fo.bank_deadline = ValueOrExit(ParseDuration(o.bank_deadline), "--bank-deadline");
  int64_t shown_asked = -1, shown_answered = -1;
  audit::Entry who;
  who.user = fo.user;
  who.reason = fo.reason;
  federated::StopPayments stops(audited.store(), audited.key(), o.cases[0], fo.mandate, who);
  Status stop_error;
  fo.on_round = [&](const federated::Progress& p, const trace::Answer& a,
                    const ledger::Ledger& ledger) {
    if (p.asked != shown_asked || p.answered != shown_answered) {
      shown_asked = p.asked;
      shown_answered = p.answered;
      PrintProgress(p);
    }
    if (!o.stop_payments || !stop_error.ok()) return;
    Result<std::vector<freeze::Order>> sent = stops.AfterRound(a, ledger, SystemClock().Now());
    if (!sent.ok()) {
      stop_error = sent.status();
      return;
    }
    if (!sent->empty()) platform->Wake();
    PrintStopPayments(*sent);
  };
  auto answer = federated::Walk(audited.store(), o.cases[0], courier, fo);
  platform->Stop();
  ExitOnError(answer.status());
  ExitOnError(stop_error);
  audited.PublishHead(answer->audit_head.id > stops.audit_head().id ? answer->audit_head
                                                                    : stops.audit_head());
  if (o.json) {
    PrintJson(federated::ToJson(*answer, o.cases[0]));
    return;
  }
  const Title title{"Case " + o.cases[0] + " (via the banks)",
                    "案件 " + o.cases[0] + "（经银行调单）"};
  PrintTree(answer->trace, title, [&](const std::string& id) {
    auto a = audited.store().GetAccount(id);
    return a.ok() && *a ? (*a)->institution : std::string();
  });
  PrintGaps(answer->gaps);
}

}  // namespace

void RegisterTrace(CLI::App& app) {
  auto opts = std::make_shared<TraceOptions>();
  CLI::App* cmd = app.add_subcommand(
      "trace",
      Help(
          "Follow a victim's money through the transfers to where it is now (TRACING.md).\n\n"
          "Examples:\n"
          "  fanzha trace --case HZ-20200208-0001\n"
          "  fanzha trace --case C1 --policy haircut --json\n"
          "  fanzha trace --case C7a --case C7b          several cases: where their money is "
          "mixed\n"
          "  fanzha trace --account 6222021234567890123 --amount 50000 --at "
          "2020-02-08T09:20:00+08:00\n"
          "  fanzha trace --case C1 --until 2020-02-08T12:00:00+08:00 --min-amount 10\n"
          "  fanzha trace --case C1 --via-banks --nats nats://127.0.0.1:4222 --document "
          "'公(杭)查字[2020]001号'\n"
          "      the federated trace: asks each bank for the statement of every account the money "
          "reaches\n"
          "      (调单, from the moment it arrived), takes the answers in and traces again, hop by "
          "hop;\n"
          "      the same answer as a trace over every bank's transfers (docs/FEDERATED.md)",
          "沿转账追踪受害人的资金，直到它现在所在的账户（TRACING.md）。\n\n"
          "示例：\n"
          "  fanzha trace --case HZ-20200208-0001\n"
          "  fanzha trace --case C1 --policy haircut --json\n"
          "  fanzha trace --case C7a --case C7b          多个案件：资金在哪里混同\n"
          "  fanzha trace --account 6222021234567890123 --amount 50000 --at "
          "2020-02-08T09:20:00+08:00\n"
          "  fanzha trace --case C1 --until 2020-02-08T12:00:00+08:00 --min-amount 10\n"
          "  fanzha trace --case C1 --via-banks --nats nats://127.0.0.1:4222 --document "
          "'公(杭)查字[2020]001号'\n"
          "      跨行联合追踪：资金每到一个账户，就向所属银行调取该账户自资金到达时起的流水\n"
          "      （调单），收到回复后再追踪，逐跳推进；\n"
          "      结果与在所有银行的转账上追踪相同（docs/FEDERATED.md）"));
  AddDbOption(cmd, &opts->store);
  cmd->add_option("--case", opts->cases,
                  Help("case id whose payments seed the trace (repeatable)",
                       "以该案件的被骗转账作为追踪起点的案件编号（可重复）"));
  cmd->add_option("--policy", opts->policy,
                  Help("which money leaves first: fifo (default), lifo, haircut (pro rata), poison "
                       "(reachability, upper bound)",
                       "先转出哪部分资金：fifo（先进先出，默认）、lifo（后进先出）、"
                       "haircut（按比例）、poison（可达性，上限）"))
      ->capture_default_str();
  cmd->add_option("--max-hops", opts->max_hops,
                  Help("stop following money after this many hops", "追踪到此跳数后停止"))
      ->capture_default_str();
  cmd->add_option("--until", opts->until,
                  Help("horizon (RFC 3339); default: the end of the data",
                       "截止时间（RFC 3339）；默认：数据的最后时间"));
  cmd->add_option(
      "--min-amount", opts->min_amount,
      Help("parts smaller than this (yuan) count as dust", "小于此金额（元）的部分视为零星尾款"));
  cmd->add_option(
      "--account", opts->account,
      Help("ad-hoc seed: the account that received the money", "临时起点：收到资金的账户"));
  cmd->add_option("--amount", opts->amount,
                  Help("ad-hoc seed: the amount in yuan", "临时起点：金额（元）"));
  cmd->add_option(
      "--at", opts->at,
      Help("ad-hoc seed: when it arrived (RFC 3339)", "临时起点：资金到达时间（RFC 3339）"));
  cmd->add_flag("--json", opts->json,
                Help("print the answer of TRACING.md as one JSON document",
                     "以一个 JSON 文档输出 TRACING.md 所述的结果"));
  cmd->add_flag(
      "--via-banks", opts->via_banks,
      Help("ask the banks for the statements the trace needs (one --case; needs --nats and "
           "--document; progress on stderr; --json adds complete, gaps and progress)",
           "向银行调取追踪所需的流水（只能一个 --case；需要 --nats 和 --document；"
           "进度写到 stderr；--json 增加 complete、gaps 和 progress）"));
  cmd->add_option("--nats", opts->nats_url,
                  Help("--via-banks: the bank interchange, nats://HOST:PORT",
                       "--via-banks：银行数据交换通道，nats://HOST:PORT"));
  cmd->add_option(
      "--document", opts->document,
      Help("--via-banks: the number of the document the statement queries rest on (协查文书)",
           "--via-banks：调单所依据的协查文书编号"));
  cmd->add_option("--by", opts->by,
                  Help("--via-banks: the officer who asks", "--via-banks：提出调单的民警"));
  cmd->add_option("--unit", opts->unit,
                  Help("--via-banks: their unit (GB/T 2260 code)",
                       "--via-banks：民警所在单位（GB/T 2260 代码）"));
  cmd->add_option("--reason", opts->reason,
                  Help("--via-banks: why, for the audit log", "--via-banks：事由，记入审计日志"));
  cmd->add_option("--bank-deadline", opts->bank_deadline,
                  Help("--via-banks: a bank that has not answered in this long is named as late "
                       "and the trace answers without it (30s, 2m)",
                       "--via-banks：银行超过此时长未回复即列为逾期，"
                       "追踪结果不再等它（30s、2m）"))
      ->capture_default_str();
  cmd->add_flag(
      "--stop-payments", opts->stop_payments,
      Help("--via-banks: send a stop-payment (止付) for the money held at each account as soon "
           "as a round finds it, before later hops are known",
           "--via-banks：每一轮发现资金停留的账户后立即发出止付，不等后续各跳查清"));
  AddAuditFileOptions(cmd, &opts->audit);
  cmd->callback([opts] {
    for (const std::string& id : opts->cases) CheckCaseOption(id, "--case");
    Run(*opts);
  });
}

}  // namespace fanzha::cli
