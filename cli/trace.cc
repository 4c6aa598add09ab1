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

std::string Yuan(Fen f) { return FormatMoney(f); }

// The hop a flow's line shows: that of the summary below. Money arrives at `to` at f.hops; cash
// leaves the trace at the account it was withdrawn from, at the hop it had there.
int ShownHop(const trace::Flow& f) { return f.to.empty() ? f.hops - 1 : f.hops; }

// One line per flow, under the flow that brought its money (Flow::parent), children in time order.
void PrintFlow(const std::vector<trace::Flow>& flows,
               const std::vector<std::vector<size_t>>& children, size_t i, int depth) {
  const trace::Flow& f = flows[i];
  std::printf("%*shop %d  %s  %s  %s -> %s  %s\n", 2 * depth, "", ShownHop(f),
              FormatTime(f.time).c_str(), f.transfer.c_str(),
              f.from.empty() ? "(cash)" : f.from.c_str(),
              f.to.empty() ? "(cash out)" : f.to.c_str(), Yuan(f.amount).c_str());
  for (size_t child : children[i]) PrintFlow(flows, children, child, depth + 1);
}

// The readable answer: the money as a tree of transfers from the victims' payments, then the
// freeze targets (with the bank `institution_of` names) and the exits.
void PrintTree(const trace::Answer& a, const std::string& title,
               const std::function<std::string(const std::string&)>& institution_of) {
  std::printf("%s: %s yuan traced with %s, at most %d hops, until %s\n", title.c_str(),
              Yuan(a.seed).c_str(), std::string(trace::Name(a.policy)).c_str(), a.max_hops,
              FormatTime(a.until).c_str());
  std::printf(
      "\n资金去向：%zu 笔转账，每笔列在带来其资金的那笔之下\n"
      "Where the money went (%zu transfers carried it; each under the transfer that brought "
      "its money):\n",
      a.flows.size(), a.flows.size());
  std::vector<std::vector<size_t>> children(a.flows.size());
  std::vector<size_t> roots;
  for (size_t i = 0; i < a.flows.size(); ++i) {
    int parent = a.flows[i].parent;
    (parent >= 0 ? children[static_cast<size_t>(parent)] : roots).push_back(i);
  }
  for (size_t root : roots) PrintFlow(a.flows, children, root, 0);
  std::printf("\n资金现存（应止付冻结，金额从大到小）\nHeld now (freeze these, largest first):\n");
  if (a.held.empty()) std::printf("  none\n");
  for (const trace::Held& h : a.held) {
    std::string inst = institution_of(h.account);
    std::printf("  %-24s %14s  hop %d  since %s  %s\n", h.account.c_str(), Yuan(h.amount).c_str(),
                h.hops, FormatTime(h.first_tainted_at).c_str(), inst.c_str());
    if (h.by_origin.size() > 1) {
      for (const auto& o : h.by_origin) {
        std::printf("      of case %s: %s\n", o.origin.c_str(), Yuan(o.amount).c_str());
      }
    }
  }
  std::printf("\n已离开追踪\nLeft the trace:\n");
  if (a.exits.empty()) std::printf("  none\n");
  for (const trace::Exit& e : a.exits) {
    std::printf("  %-24s %-10s %14s  hop %d\n", e.account.c_str(),
                std::string(trace::Name(e.kind)).c_str(), Yuan(e.amount).c_str(), e.hops);
  }
  Fen held = 0, exits = 0;
  for (const auto& h : a.held) held += h.amount;
  for (const auto& e : a.exits) exits += e.amount;
  std::printf("\nDust: %s\n", Yuan(a.dust).c_str());
  if (a.policy != trace::Policy::kPoison) {
    std::printf("Check: seed %s = held %s + exits %s + dust %s\n", Yuan(a.seed).c_str(),
                Yuan(held).c_str(), Yuan(exits).c_str(), Yuan(a.dust).c_str());
  } else {
    std::printf("Poison amounts are upper bounds (reachability); they are not conserved.\n");
  }
}

Result<std::vector<trace::Seed>> GatherSeeds(store::Store& store, const ledger::Ledger& ledger,
                                             const TraceOptions& o) {
  std::vector<trace::Seed> seeds;
  for (const std::string& id : o.cases) {
    FANZHA_ASSIGN_OR_RETURN(auto c, store.GetCase(id));
    if (!c)
      return Status::NotFound("no case " + id + " in the store (import its cases.jsonl first)");
    FANZHA_ASSIGN_OR_RETURN(auto case_seeds, trace::SeedsOfCase(ledger, *c));
    seeds.insert(seeds.end(), case_seeds.begin(), case_seeds.end());
  }
  if (!o.account.empty() || !o.amount.empty() || !o.at.empty()) {
    if (o.account.empty() || o.amount.empty() || o.at.empty()) {
      return Status::Invalid("an ad-hoc seed needs all of --account, --amount and --at");
    }
    trace::Seed s;
    s.origin = "seed";
    s.account = o.account;
    FANZHA_ASSIGN_OR_RETURN(s.amount, ParseMoney(o.amount));
    FANZHA_ASSIGN_OR_RETURN(s.time, ParseTime(o.at));
    seeds.push_back(s);
  }
  if (seeds.empty())
    return Status::Invalid("say what to trace: --case ID, or --account --amount --at");
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
    std::string title = o.cases.empty() ? "Ad-hoc seed" : "Case " + case_id;
    if (o.cases.size() > 1) {
      title = "Cases";
      for (const auto& c : o.cases) title += " " + c;
    }
    PrintTree(*answer, title, [&](const std::string& account) {
      auto idx = (*ledger)->FindAccount(account);
      return idx ? (*ledger)->institution(*idx) : std::string();
    });
  }
}

// One line on stderr per round that changed something.
void PrintProgress(const federated::Progress& p) {
  std::fprintf(stderr,
               "第 %d 轮：已调单 %lld 次（%zu 家银行），已回复 %lld，等待 %lld（超时 %lld），"
               "前 %d 跳已完整，资金已到 %zu 个账户\n"
               "round %d: %lld statement queries to %zu banks, %lld answered, %lld waiting (%lld "
               "late); complete up to hop %d; the money reached %zu accounts\n",
               p.round, static_cast<long long>(p.asked), p.banks_asked.size(),
               static_cast<long long>(p.answered), static_cast<long long>(p.waiting),
               static_cast<long long>(p.late), p.hops_known, p.accounts_reached, p.round,
               static_cast<long long>(p.asked), p.banks_asked.size(),
               static_cast<long long>(p.answered), static_cast<long long>(p.waiting),
               static_cast<long long>(p.late), p.hops_known, p.accounts_reached);
}

void PrintGaps(const std::vector<federated::Gap>& gaps) {
  if (gaps.empty()) {
    std::printf(
        "\n完整：资金到达的每个账户都已取得流水\nComplete: every account the money "
        "reached has its statement.\n");
    return;
  }
  std::printf("\n不完整：以下账户的流水尚缺\nIncomplete: these statements are missing:\n");
  for (const federated::Gap& g : gaps) {
    std::printf("  %-24s %-12s %-10s %s .. %s  %s\n", g.account.c_str(),
                g.institution.empty() ? "?" : g.institution.c_str(),
                std::string(federated::Name(g.why)).c_str(), FormatTime(g.from).c_str(),
                FormatTime(g.to).c_str(), g.detail.c_str());
  }
}

// The stop-payments a round sent, on stderr.
void PrintStopPayments(const std::vector<freeze::Order>& orders) {
  for (const freeze::Order& o : orders) {
    std::fprintf(stderr,
                 "止付令 %lld 已发往 %s：账户 %s，%s 元 / stop-payment %lld sent to %s: %s, %s "
                 "yuan\n",
                 static_cast<long long>(o.id), o.institution.c_str(), o.account.c_str(),
                 FormatMoney(o.requested).c_str(), static_cast<long long>(o.id),
                 o.institution.c_str(), o.account.c_str(), FormatMoney(o.requested).c_str());
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
    std::fprintf(stderr, "银行目录：已忽略 %s（%s）/ bank directory: %s skipped (%s)\n",
                 s.subject.c_str(), s.why.zh().c_str(), s.subject.c_str(), s.why.message().c_str());
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
  PrintTree(answer->trace, "Case " + o.cases[0] + " (via the banks)", [&](const std::string& id) {
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
      "Follow a victim's money through the transfers to where it is now (TRACING.md).\n\n"
      "Examples:\n"
      "  fanzha trace --case HZ-20200208-0001\n"
      "  fanzha trace --case C1 --policy haircut --json\n"
      "  fanzha trace --case C7a --case C7b          several cases: where their money is mixed\n"
      "  fanzha trace --account 6222021234567890123 --amount 50000 --at 2020-02-08T09:20:00+08:00\n"
      "  fanzha trace --case C1 --until 2020-02-08T12:00:00+08:00 --min-amount 10\n"
      "  fanzha trace --case C1 --via-banks --nats nats://127.0.0.1:4222 --document "
      "'公(杭)查字[2020]001号'\n"
      "      the federated trace: asks each bank for the statement of every account the money "
      "reaches\n"
      "      (调单, from the moment it arrived), takes the answers in and traces again, hop by "
      "hop;\n"
      "      the same answer as a trace over every bank's transfers (docs/FEDERATED.md)");
  AddDbOption(cmd, &opts->store);
  cmd->add_option("--case", opts->cases, "case id whose payments seed the trace (repeatable)");
  cmd->add_option("--policy", opts->policy,
                  "which money leaves first: fifo (default), lifo, haircut (pro rata), poison "
                  "(reachability, upper bound)")
      ->capture_default_str();
  cmd->add_option("--max-hops", opts->max_hops, "stop following money after this many hops")
      ->capture_default_str();
  cmd->add_option("--until", opts->until, "horizon (RFC 3339); default: the end of the data");
  cmd->add_option("--min-amount", opts->min_amount, "parts smaller than this (yuan) count as dust");
  cmd->add_option("--account", opts->account, "ad-hoc seed: the account that received the money");
  cmd->add_option("--amount", opts->amount, "ad-hoc seed: the amount in yuan");
  cmd->add_option("--at", opts->at, "ad-hoc seed: when it arrived (RFC 3339)");
  cmd->add_flag("--json", opts->json, "print the answer of TRACING.md as one JSON document");
  cmd->add_flag("--via-banks", opts->via_banks,
                "ask the banks for the statements the trace needs (one --case; needs --nats and "
                "--document; progress on stderr; --json adds complete, gaps and progress)");
  cmd->add_option("--nats", opts->nats_url, "--via-banks: the bank interchange, nats://HOST:PORT");
  cmd->add_option(
      "--document", opts->document,
      "--via-banks: the number of the document the statement queries rest on (协查文书)");
  cmd->add_option("--by", opts->by, "--via-banks: the officer who asks");
  cmd->add_option("--unit", opts->unit, "--via-banks: their unit (GB/T 2260 code)");
  cmd->add_option("--reason", opts->reason, "--via-banks: why, for the audit log");
  cmd->add_option("--bank-deadline", opts->bank_deadline,
                  "--via-banks: a bank that has not answered in this long is named as late and "
                  "the trace answers without it (30s, 2m)")
      ->capture_default_str();
  cmd->add_flag(
      "--stop-payments", opts->stop_payments,
      "--via-banks: send a stop-payment (止付) for the money held at each account as soon "
      "as a round finds it, before later hops are known");
  AddAuditFileOptions(cmd, &opts->audit);
  cmd->callback([opts] {
    for (const std::string& id : opts->cases) CheckCaseOption(id, "--case");
    Run(*opts);
  });
}

}  // namespace fanzha::cli
