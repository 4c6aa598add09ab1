// fanzha bank: one institution's side of the bank interchange (docs/spec/INTERCHANGE.md).
#include "bank/bank.h"

#include <csignal>
#include <cstdio>
#include <ctime>

#include "bank/split.h"
#include "cli/commands.h"
#include "interchange/directory.h"

namespace fanzha::cli {
namespace {

struct BankOptions {
  StoreOptions store;
  std::string institution;
  std::string nats;
  int replicas = 1;
  std::string prefixes;
  std::string delay = "0ms";
  uint64_t seed = 1;
  int ack_wait_s = 30;
  int nats_wait_s = 60;
  bool json = false;
};

// Starts the node, trying again once a second while NATS JetStream cannot be reached or is not
// ready (a cluster electing a leader, a server restarting) for up to `wait_s` seconds; a stop
// signal in `stops` ends the wait. Other errors (the store, a bad prefix) are returned at once.
Result<std::unique_ptr<bank::Node>> StartWaitingForJetStream(const bank::NodeOptions& n, int wait_s,
                                                             const sigset_t& stops) {
  const time_t give_up = std::time(nullptr) + wait_s;
  for (int attempt = 1;; ++attempt) {
    auto node = bank::Node::Start(n);
    if (node.ok() || node.status().code() != ErrorCode::kIoError || std::time(nullptr) >= give_up) {
      return node;
    }
    std::fprintf(stderr,
                 "waiting for NATS JetStream (try %d of at most %d s): %s / 正在等待 NATS "
                 "JetStream（第 %d 次，最多 %d 秒）：%s\n",
                 attempt, wait_s, node.status().message().c_str(), attempt, wait_s,
                 node.status().zh().c_str());
    const timespec second{1, 0};
    if (sigtimedwait(&stops, nullptr, &second) > 0) std::exit(130);
  }
}

void RunServe(const BankOptions& o) {
  bank::NodeOptions n;
  n.institution = o.institution;
  n.db = o.store.db;
  n.nats.url = o.nats;
  n.replicas = o.replicas;
  n.seed = o.seed;
  n.ack_wait = o.ack_wait_s * 1000LL;
  ExitOnError(bank::ParseDelay(o.delay, &n.delay_min, &n.delay_max));
  if (!o.prefixes.empty())
    n.prefixes = ValueOrExit(interchange::ParsePrefixes(o.prefixes), "--prefixes");
  if (n.ack_wait <= n.delay_max) {
    ExitOnError(Status::Invalid("--ack-wait: must be longer than the longest --delay")
                    .WithZh("--ack-wait：须长于 --delay 的最长延时"));
  }
  const sigset_t set = StopSignals();
  auto node = StartWaitingForJetStream(n, o.nats_wait_s, set);
  ExitOnError(node.status().WithContext(o.store.db));
  std::printf("bank node of %s (%s) taking requests from %s\n", o.institution.c_str(),
              o.store.db.c_str(), o.nats.c_str());
  std::printf("%s 的银行节点已启动，从 %s 接收请求\n", o.institution.c_str(), o.nats.c_str());
  if (!n.prefixes.empty()) {
    std::string list;
    for (const std::string& p : n.prefixes) list += (list.empty() ? "" : ",") + p;
    std::printf("announced its prefixes %s on %s / 已在 %s 公告发卡机构前缀 %s\n", list.c_str(),
                std::string(interchange::kBanksStream).c_str(),
                std::string(interchange::kBanksStream).c_str(), list.c_str());
  }
  std::fflush(stdout);
  int sig = 0;
  sigwait(&set, &sig);
  (*node)->Stop();
  std::printf("stopping: %lld requests answered / 正在停止：已答复 %lld 个请求\n",
              static_cast<long long>((*node)->answered()),
              static_cast<long long>((*node)->answered()));
}

void RunHolds(const BankOptions& o) {
  auto store = OpenStoreOrExit(o.store);
  auto desk = bank::Desk::Open(*store, o.institution, SystemClock());
  ExitOnError(desk.status());
  auto holds = (*desk)->Holds();
  ExitOnError(holds.status());
  Millis now = SystemClock().Now();
  if (o.json) {
    nlohmann::ordered_json arr = nlohmann::ordered_json::array();
    for (const auto& h : *holds) arr.push_back(bank::ToJson(h, now));
    return PrintJson({{"institution", o.institution}, {"holds", arr}});
  }
  for (const auto& h : *holds) {
    auto j = bank::ToJson(h, now);
    std::printf("%-18s %-12s %-24s %14s %-9s until %s\n", h.order.c_str(), h.kind.c_str(),
                h.account.c_str(), FormatMoney(h.amount).c_str(),
                j["state"].get<std::string>().c_str(),
                h.deadline ? FormatTime(h.deadline).c_str() : "-");
  }
}

struct SplitArgs {
  std::string world, out;
};

void RunSplit(const SplitArgs& a) {
  const bank::SplitSummary s = ValueOrExit(bank::SplitWorld({a.world, a.out}));
  const auto n = [](int64_t v) { return static_cast<long long>(v); };
  std::printf(
      "split %s into %s: %zu banks, %lld accounts, %lld transfers (%lld between two banks, in "
      "both)\n",
      a.world.c_str(), a.out.c_str(), s.banks.size(), n(s.accounts), n(s.transfers),
      n(s.interbank));
  std::printf(
      "已将 %s 按机构拆分到 %s：%zu 家机构，账户 %lld 个，交易 %lld 笔（跨行 %lld "
      "笔，两家各存一份）\n",
      a.world.c_str(), a.out.c_str(), s.banks.size(), n(s.accounts), n(s.transfers),
      n(s.interbank));
  std::printf("  %10s %12s  institution / 机构 (folder / 目录)\n", "accounts", "transfers");
  for (const bank::BankShare& b : s.banks)
    std::printf("  %10lld %12lld  %s (%s/)\n", n(b.accounts), n(b.transfers), b.institution.c_str(),
                b.token.c_str());
  std::printf(
      "  %10lld %12lld  platform/: accounts.csv (every account), cases.jsonl and the victims' "
      "payments they name / 平台：全部账户、报案及其所列受害人转账\n",
      n(s.accounts), n(s.reported_payments));
  if (s.accounts_without_institution > 0)
    std::printf(
        "%lld accounts have no institution: no bank holds them / %lld 个账户没有开户机构，"
        "不属于任何银行\n",
        n(s.accounts_without_institution), n(s.accounts_without_institution));
  if (s.unknown_account > 0)
    std::printf(
        "%lld transfers name an account that accounts.csv does not list / %lld 笔交易涉及 "
        "accounts.csv 中没有的账户\n",
        n(s.unknown_account), n(s.unknown_account));
  if (s.to_no_bank > 0)
    std::printf(
        "%lld transfers went to no bank: none of their accounts is a bank's / %lld "
        "笔交易不属于任何银行：其账户均不在任何银行\n",
        n(s.to_no_bank), n(s.to_no_bank));
}

}  // namespace

void RegisterBank(CLI::App& app) {
  CLI::App* bank = app.add_subcommand(
      "bank",
      "A bank node: one institution's side of the interchange (docs/spec/INTERCHANGE.md). Its "
      "store\n"
      "holds the institution's own accounts and transfers (fanzha import --db BANK.db ...).\n\n"
      "Examples:\n"
      "  fanzha bank serve --institution 中国工商银行 --db icbc.db --nats nats://127.0.0.1:4222\n"
      "  fanzha bank serve --institution 中国工商银行 --db icbc.db --nats nats://127.0.0.1:4222 "
      "--prefixes 622202,621226\n"
      "  fanzha bank holds --institution 中国工商银行 --db icbc.db\n"
      "  fanzha bank split --world demo --out banks   # then fanzha import --db icbc.db "
      "banks/<token>/*.csv");
  bank->require_subcommand(1);
  auto split = std::make_shared<SplitArgs>();
  CLI::App* split_cmd = bank->add_subcommand(
      "split",
      "split a world by institution, as the banks hold it: OUT/<token>/accounts.csv (the bank's "
      "own accounts) and OUT/<token>/transfers.csv (every transfer one of them pays or is paid: "
      "one between two banks is in both), OUT/platform/ the whole accounts.csv, cases.jsonl and "
      "the victims' payments they name "
      "(no transfers); <token> is the institution's subject token on the interchange "
      "(docs/spec/INTERCHANGE.md). Streams transfers.csv once: memory grows with the accounts "
      "only");
  split_cmd
      ->add_option("--world", split->world,
                   "the world's folder (accounts.csv, transfers.csv, "
                   "cases.jsonl: fanzha gen --out)")
      ->required();
  split_cmd->add_option("--out", split->out, "output folder (created; its files are overwritten)")
      ->required();
  split_cmd->callback([split] { RunSplit(*split); });
  for (bool serve : {true, false}) {
    auto opts = std::make_shared<BankOptions>();
    CLI::App* cmd = bank->add_subcommand(
        serve ? "serve" : "holds",
        serve ? "take the platform's requests (stop-payment, freeze, renewal, release, statement) "
                "and answer each once"
              : "list what this bank holds per platform order, with deadlines");
    AddDbOption(cmd, &opts->store, /*creates=*/serve);  // a bank node may start with an empty store
    cmd->add_option("--institution", opts->institution, "the institution, as accounts.csv names it")
        ->required();
    if (serve) {
      cmd->add_option("--nats", opts->nats, "NATS server URLs (comma-separated for a cluster)")
          ->required();
      cmd->add_option("--nats-replicas", opts->replicas, "replicas of the streams it creates")
          ->capture_default_str();
      cmd->add_option(
             "--delay", opts->delay,
             "simulated time to act per request: 2s, or 0-2s for a uniform draw (benchmarks)")
          ->capture_default_str();
      cmd->add_option("--prefixes", opts->prefixes,
                      "issuer prefixes of the bank's account numbers, comma-separated (622202,"
                      "621226; 1-11 digits each, at most 1000), announced at start on FANZHA_BANKS "
                      "for the platform's bank directory (docs/spec/INTERCHANGE.md)");
      cmd->add_option("--seed", opts->seed, "seed of the simulated delays")->capture_default_str();
      cmd->add_option("--ack-wait", opts->ack_wait_s,
                      "seconds before a request not answered is delivered again")
          ->capture_default_str();
      cmd->add_option("--nats-wait", opts->nats_wait_s,
                      "seconds to keep trying at start while NATS JetStream cannot be reached or "
                      "is not ready (a server restarting, a cluster electing its leader)")
          ->capture_default_str();
      cmd->callback([opts] {
        // Before any thread starts: only sigwait() sees the stop signals.
        const sigset_t set = StopSignals();
        pthread_sigmask(SIG_BLOCK, &set, nullptr);
        RunServe(*opts);
      });
    } else {
      cmd->add_flag("--json", opts->json, "JSON output");
      cmd->callback([opts] { RunHolds(*opts); });
    }
  }
}

}  // namespace fanzha::cli
