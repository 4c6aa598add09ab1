// fanzha reach: every account each case's money can have reached (the `poison` policy's reach,
// trace::Reach), with the tracer's own CPU time, so the answer can be compared with any other
// system's on the same data.
#include <time.h>

#include <algorithm>
#include <cstdio>

#include "cli/commands.h"
#include "ledger/ledger.h"
#include "trace/trace.h"

namespace fanzha::cli {
namespace {

struct ReachOptions {
  StoreOptions store;
  std::vector<std::string> cases;
  int max_hops = 8;
  std::string until;
  bool json = false;
};

// CPU time of this thread in microseconds: what the tracer itself costs, whatever else the
// machine runs meanwhile.
int64_t ThreadCpuMicros() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

// An account reached, by its id (trace::Reached names it by its index in the ledger).
struct ReachedAccount {
  std::string account;
  int hops = 0;
};

struct CaseReach {
  std::string id;
  std::vector<ReachedAccount> reached;  // by account id
  int64_t cpu_us = 0;
};

void PrintTable(const std::vector<CaseReach>& all, int max_hops) {
  const Lang lang = OutputLang();
  std::printf("%s %s %s\n", Pad(SayInline(lang, "case", "案件"), 24).c_str(),
              Pad(SayInline(lang, "accounts", "可达账户"), 20, false).c_str(),
              Pad(SayInline(lang, "cpu_us", "CPU 微秒"), 20, false).c_str());
  for (const CaseReach& r : all) {
    std::printf("%-24s %20zu %20lld\n", r.id.c_str(), r.reached.size(),
                static_cast<long long>(r.cpu_us));
  }
  for (const CaseReach& r : all) {
    const std::string n = std::to_string(r.reached.size()), hops = std::to_string(max_hops);
    std::printf("\n");
    Tell("Case " + r.id + ": " + n + " accounts its money can have reached within " + hops +
             " hops (fewest hops):",
         "案件 " + r.id + " 的资金在 " + hops + " 跳内可能到达 " + n + " 个账户（最少跳数）：");
    for (const ReachedAccount& a : r.reached) {
      const std::string h = std::to_string(a.hops);
      std::printf("  %-28s %s\n", a.account.c_str(),
                  SayInline(lang, "hop " + h, "第 " + h + " 跳").c_str());
    }
  }
}

void Run(const ReachOptions& o) {
  auto store = OpenStoreOrExit(o.store);
  trace::Options opts;
  opts.policy = trace::Policy::kPoison;
  opts.max_hops = o.max_hops;
  if (!o.until.empty()) opts.until = ValueOrExit(ParseTime(o.until), "--until");
  auto ledger = ledger::Ledger::Load(*store);
  ExitOnError(ledger.status());
  // Every case is looked up before any is traced: a typo fails fast, with nothing printed.
  std::vector<std::pair<std::string, std::vector<trace::Seed>>> seeded;
  for (const std::string& id : o.cases) {
    auto c = store->GetCase(id);
    ExitOnError(c.status());
    if (!*c) {
      ExitOnError(Status::NotFound("no case " + id + " in the store (import its cases.jsonl first)")
                      .WithZh("数据库中没有案件 " + id + "（请先导入其 cases.jsonl）"));
    }
    auto seeds = trace::SeedsOfCase(**ledger, **c);
    ExitOnError(seeds.status());
    seeded.emplace_back(id, std::move(*seeds));
  }
  std::vector<CaseReach> all;
  trace::ReserveReach(**ledger);  // once, not in the first case's time
  for (const auto& [id, seeds] : seeded) {
    CaseReach r{id, {}, 0};
    int64_t cpu0 = ThreadCpuMicros();
    auto reached = trace::Reach(**ledger, seeds, opts);
    r.cpu_us = ThreadCpuMicros() - cpu0;
    ExitOnError(reached.status().WithContext("case " + id));
    r.reached.reserve(reached->size());
    for (const trace::Reached& a : *reached)
      r.reached.push_back({std::string((*ledger)->account_id(a.index)), a.hops});
    std::sort(
        r.reached.begin(), r.reached.end(),
        [](const ReachedAccount& a, const ReachedAccount& b) { return a.account < b.account; });
    if (o.json) {
      nlohmann::ordered_json accounts = nlohmann::ordered_json::array();
      for (const ReachedAccount& a : r.reached) accounts.push_back(a.account);
      PrintJson({{"case", r.id}, {"accounts", std::move(accounts)}, {"cpu_us", r.cpu_us}});
    } else {
      all.push_back(std::move(r));
    }
  }
  if (!o.json) PrintTable(all, o.max_hops);
}

}  // namespace

void RegisterReach(CLI::App& app) {
  auto opts = std::make_shared<ReachOptions>();
  CLI::App* cmd = app.add_subcommand(
      "reach",
      Help("Every account a case's money can have reached: time-ascending paths of at most "
           "--max-hops\n"
           "transfers from the case's payments, not continuing past exits (merchant, platform,\n"
           "exchange). This is the `poison` policy's reach (TRACING.md) without amounts: who may "
           "hold\n"
           "the money, for a first sweep or to compare fanzha with another system on the same "
           "data.\n"
           "The CPU time is the tracer's own (this thread's CPU clock), without loading the "
           "store.\n\n"
           "Examples:\n"
           "  fanzha reach --case HZ-20200208-0001\n"
           "      a table: accounts reached and CPU time per case, then each case's accounts with\n"
           "      the fewest hops by which the money can have arrived\n"
           "  fanzha reach --case C1 --case C2 --json\n"
           "      one JSON line per case, in the order given:\n"
           "      {\"case\":\"C1\",\"accounts\":[\"6222...\",\"6228...\"],\"cpu_us\":2710}\n"
           "      (accounts sorted as text; cpu_us in microseconds)\n"
           "  fanzha reach --case C1 --max-hops 3 --until 2020-02-08T12:00:00+08:00\n"
           "      only three hops, and only transfers up to noon",
           "一个案件的资金可能到达的每个账户：从案件的转账流水出发，按时间先后\n"
           "最多经过 --max-hops 笔转账的路径，遇到出口（商户、平台、交易所）不再延续。\n"
           "即 `poison` 策略的追踪范围（TRACING.md），但不计金额：谁可能持有这笔钱，\n"
           "用于初步排查，或在同一数据上与其他系统比对。\n"
           "CPU 时间只计追踪本身（本线程的 CPU 时钟），不含加载数据库。\n\n"
           "示例：\n"
           "  fanzha reach --case HZ-20200208-0001\n"
           "      一张表：每个案件到达的账户数和 CPU 时间，然后列出每个案件的账户，\n"
           "      以及资金可能到达该账户的最少跳数\n"
           "  fanzha reach --case C1 --case C2 --json\n"
           "      每个案件一行 JSON，按给出的顺序：\n"
           "      {\"case\":\"C1\",\"accounts\":[\"6222...\",\"6228...\"],\"cpu_us\":2710}\n"
           "      （accounts 按文本排序；cpu_us 单位为微秒）\n"
           "  fanzha reach --case C1 --max-hops 3 --until 2020-02-08T12:00:00+08:00\n"
           "      只追三跳，且只看中午之前的转账"));
  AddDbOption(cmd, &opts->store);
  cmd->add_option("--case", opts->cases,
                  Help("case id whose payments start the reach (repeatable)",
                       "从该案件的转账流水开始追踪的案件编号（可重复）"))
      ->required();
  cmd->add_option("--max-hops", opts->max_hops,
                  Help("follow the money at most this many transfers", "资金最多追踪多少笔转账"))
      ->capture_default_str();
  cmd->add_option("--until", opts->until,
                  Help("horizon (RFC 3339); default: the end of the data",
                       "截止时间（RFC 3339）；默认：数据的最后时间"));
  cmd->add_flag("--json", opts->json,
                Help("one JSON line per case: case, accounts (sorted), cpu_us",
                     "每个案件一行 JSON：case、accounts（已排序）、cpu_us"));
  cmd->callback([opts] { Run(*opts); });
}

}  // namespace fanzha::cli
