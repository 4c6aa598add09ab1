// fanzha bank: one institution's side of the bank interchange (docs/spec/INTERCHANGE.md).
#include "bank/bank.h"

#include <csignal>
#include <cstdio>
#include <ctime>

#include "bank/split.h"
#include "cli/commands.h"
#include "freeze/orders.h"
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
    const std::string tries = std::to_string(attempt), most = std::to_string(wait_s);
    std::fprintf(stderr, "%s\n",
                 Say(OutputLang(),
                     "waiting for NATS JetStream (try " + tries + " of at most " + most +
                         " s): " + node.status().message(),
                     "正在等待 NATS JetStream（第 " + tries + " 次，最多 " + most + " 秒）：" +
                         node.status().zh())
                     .c_str());
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
  const std::string shown = store::Store::Shown(o.store.db);
  ExitOnError(node.status().WithContext(shown));
  Tell("bank node of " + o.institution + " (" + shown + ") taking requests from " + o.nats,
       o.institution + " 的银行节点已启动（" + shown + "），从 " + o.nats + " 接收请求");
  if (!n.prefixes.empty()) {
    std::string list;
    for (const std::string& p : n.prefixes) list += (list.empty() ? "" : ",") + p;
    const std::string stream(interchange::kBanksStream);
    Tell("announced its prefixes " + list + " on " + stream,
         "已在 " + stream + " 公告发卡机构前缀 " + list);
  }
  std::fflush(stdout);
  int sig = 0;
  sigwait(&set, &sig);
  (*node)->Stop();
  const std::string answered = std::to_string((*node)->answered());
  Tell("stopping: " + answered + " requests answered", "正在停止：已答复 " + answered + " 个请求");
}

// A hold's kind (stop_payment | freeze | release) as the user reads it.
std::string KindIn(Lang lang, const std::string& kind) {
  auto k = freeze::ParseOrderKind(kind);
  return k.ok() ? SayInline(lang, kind, freeze::ChineseName(*k)) : kind;
}

// A hold's state (bank::ToJson's "state") as the user reads it.
std::string StateIn(Lang lang, const std::string& state) {
  if (state == "in_force") return SayInline(lang, state, "生效中");
  if (state == "lapsed") return SayInline(lang, state, "已到期");
  if (state == "released") return SayInline(lang, state, "已解冻");
  if (state == "release") return SayInline(lang, state, "解冻");
  return state;
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
  if (holds->empty()) {
    return Tell("no holds at " + o.institution, o.institution + " 没有止付、冻结记录");
  }
  const Lang lang = OutputLang();
  const std::string until = SayInline(lang, "until", "期限至");
  for (const auto& h : *holds) {
    auto j = bank::ToJson(h, now);
    const std::string state = j["state"].get<std::string>();
    const std::string line =
        Pad(h.order, 18) + " " + Pad(KindIn(lang, h.kind), 12) + " " + Pad(h.account, 24) + " " +
        Pad(FormatMoneyGrouped(h.amount), 14, false) + " " + Pad(StateIn(lang, state), 9) + " " +
        until + " " + (h.deadline ? ShownTime(h.deadline) : "-");
    std::printf("%s\n", line.c_str());
  }
}

struct SplitArgs {
  std::string world, out;
};

void RunSplit(const SplitArgs& a) {
  const bank::SplitSummary s = ValueOrExit(bank::SplitWorld({a.world, a.out}));
  const auto n = [](int64_t v) { return static_cast<long long>(v); };
  const auto text = [](int64_t v) { return std::to_string(v); };
  const std::string banks = std::to_string(s.banks.size());
  Tell("split " + a.world + " into " + a.out + ": " + banks + " banks, " + text(s.accounts) +
           " accounts, " + text(s.transfers) + " transfers (" + text(s.interbank) +
           " between two banks, in both)",
       "已将 " + a.world + " 按机构拆分到 " + a.out + "：" + banks + " 家机构，账户 " +
           text(s.accounts) + " 个，交易 " + text(s.transfers) + " 笔（跨行 " + text(s.interbank) +
           " 笔，两家各存一份）");
  const Lang lang = OutputLang();
  const std::string header = "  " + Pad(SayInline(lang, "accounts", "账户"), 10, false) + " " +
                             Pad(SayInline(lang, "transfers", "交易"), 12, false) + "  " +
                             SayInline(lang, "institution (folder)", "机构（目录）");
  std::printf("%s\n", header.c_str());
  for (const bank::BankShare& b : s.banks)
    std::printf("  %10lld %12lld  %s (%s/)\n", n(b.accounts), n(b.transfers), b.institution.c_str(),
                b.token.c_str());
  std::printf("  %10lld %12lld  %s\n", n(s.accounts), n(s.reported_payments),
              SayInline(lang,
                        "platform/: accounts.csv (every account), cases.jsonl and the victims' "
                        "payments they name",
                        "platform/（平台）：accounts.csv（全部账户）、cases.jsonl（报案）及其所列"
                        "受害人转账")
                  .c_str());
  if (s.accounts_without_institution > 0) {
    const std::string k = text(s.accounts_without_institution);
    Tell(k + " accounts have no institution: no bank holds them",
         k + " 个账户没有开户机构，不属于任何银行");
  }
  if (s.unknown_account > 0) {
    const std::string k = text(s.unknown_account);
    Tell(k + " transfers name an account that accounts.csv does not list",
         k + " 笔交易涉及 accounts.csv 中没有的账户");
  }
  if (s.to_no_bank > 0) {
    const std::string k = text(s.to_no_bank);
    Tell(k + " transfers went to no bank: none of their accounts is a bank's",
         k + " 笔交易不属于任何银行：其账户均不在任何银行");
  }
}

}  // namespace

void RegisterBank(CLI::App& app) {
  CLI::App* bank = app.add_subcommand(
      "bank",
      Help(
          "A bank node: one institution's side of the interchange (docs/spec/INTERCHANGE.md). "
          "Its store\n"
          "holds the institution's own accounts and transfers (fanzha import --db BANK.db ...).\n\n"
          "Examples:\n"
          "  fanzha bank serve --institution 中国工商银行 --db icbc.db --nats "
          "nats://127.0.0.1:4222\n"
          "  fanzha bank serve --institution 中国工商银行 --db icbc.db --nats "
          "nats://127.0.0.1:4222 --prefixes 622202,621226\n"
          "  fanzha bank holds --institution 中国工商银行 --db icbc.db\n"
          "  fanzha bank split --world demo --out banks   # then fanzha import --db icbc.db "
          "banks/<token>/*.csv",
          "银行节点：数据交换中某一机构的一端（docs/spec/INTERCHANGE.md）。其数据库\n"
          "存放该机构自己的账户和交易（fanzha import --db BANK.db ...）。\n\n"
          "示例：\n"
          "  fanzha bank serve --institution 中国工商银行 --db icbc.db --nats "
          "nats://127.0.0.1:4222\n"
          "  fanzha bank serve --institution 中国工商银行 --db icbc.db --nats "
          "nats://127.0.0.1:4222 --prefixes 622202,621226\n"
          "  fanzha bank holds --institution 中国工商银行 --db icbc.db\n"
          "  fanzha bank split --world demo --out banks   # 然后 fanzha import --db icbc.db "
          "banks/<token>/*.csv"));
  bank->require_subcommand(1);
  auto split = std::make_shared<SplitArgs>();
  CLI::App* split_cmd = bank->add_subcommand(
      "split",
      Help(
          "split a world by institution, as the banks hold it: OUT/<token>/accounts.csv (the "
          "bank's own accounts) and OUT/<token>/transfers.csv (every transfer one of them pays or "
          "is paid: one between two banks is in both), OUT/platform/ the whole accounts.csv, "
          "cases.jsonl and the victims' payments they name "
          "(no transfers); <token> is the institution's subject token on the interchange "
          "(docs/spec/INTERCHANGE.md). Streams transfers.csv once: memory grows with the "
          "accounts only",
          "将演示数据按开户机构拆分，与各银行实际所持一致：OUT/<token>/accounts.csv（该行自己的"
          "账户）和 OUT/<token>/transfers.csv（其账户付出或收到的每笔交易，跨行交易两家各存一份），"
          "OUT/platform/ 存放完整的 accounts.csv、cases.jsonl 及其所列受害人转账（不含其他交易）；"
          "<token> 是该机构在数据交换中的主题标识（docs/spec/INTERCHANGE.md）。"
          "只顺序读一遍 transfers.csv：内存只随账户数增长"));
  split_cmd
      ->add_option(
          "--world", split->world,
          Help("the world's folder (accounts.csv, transfers.csv, "
               "cases.jsonl: fanzha gen --out)",
               "演示数据目录（accounts.csv、transfers.csv、cases.jsonl：fanzha gen --out）"))
      ->required();
  split_cmd
      ->add_option("--out", split->out,
                   Help("output folder (created; its files are overwritten)",
                        "输出目录（不存在则新建；其中同名文件将被覆盖）"))
      ->required();
  split_cmd->callback([split] { RunSplit(*split); });
  for (bool serve : {true, false}) {
    auto opts = std::make_shared<BankOptions>();
    CLI::App* cmd = bank->add_subcommand(
        serve ? "serve" : "holds",
        serve ? Help("take the platform's requests (stop-payment, freeze, renewal, release, "
                     "statement) and answer each once",
                     "接收平台的请求（止付、冻结、续冻、解冻、明细查询），每个请求答复一次")
              : Help("list what this bank holds per platform order, with deadlines",
                     "按平台指令列出本行所执行的止付、冻结及其期限"));
    AddDbOption(cmd, &opts->store, /*creates=*/serve);  // a bank node may start with an empty store
    cmd->add_option(
           "--institution", opts->institution,
           Help("the institution, as accounts.csv names it", "机构名称，与 accounts.csv 中一致"))
        ->required();
    if (serve) {
      cmd->add_option("--nats", opts->nats,
                      Help("NATS server URLs (comma-separated for a cluster)",
                           "NATS 服务器地址（集群时以逗号分隔）"))
          ->required();
      cmd->add_option("--nats-replicas", opts->replicas,
                      Help("replicas of the streams it creates", "所建消息流的副本数"))
          ->capture_default_str();
      cmd->add_option(
             "--delay", opts->delay,
             Help("simulated time to act per request: 2s, or 0-2s for a uniform draw (benchmarks)",
                  "每个请求的模拟处理时长：如 2s，或 0-2s 表示在此区间内均匀随机取值（用于压测）"))
          ->capture_default_str();
      cmd->add_option(
          "--prefixes", opts->prefixes,
          Help("issuer prefixes of the bank's account numbers, comma-separated "
               "(622202,621226; 1-11 digits each, at most 1000), announced at start "
               "on FANZHA_BANKS for the platform's bank directory "
               "(docs/spec/INTERCHANGE.md)",
               "本行账号的发卡机构前缀，以逗号分隔（如 622202,621226；每个 1 至 11 位数字，"
               "最多 1000 个），启动时在 FANZHA_BANKS 上公告，供平台的银行目录使用"
               "（docs/spec/INTERCHANGE.md）"));
      cmd->add_option("--seed", opts->seed,
                      Help("seed of the simulated delays", "模拟延时的随机种子"))
          ->capture_default_str();
      cmd->add_option("--ack-wait", opts->ack_wait_s,
                      Help("seconds before a request not answered is delivered again",
                           "请求未答复时，隔多少秒重新投递"))
          ->capture_default_str();
      cmd->add_option("--nats-wait", opts->nats_wait_s,
                      Help("seconds to keep trying at start while NATS JetStream cannot be "
                           "reached or is not ready (a server restarting, a cluster electing its "
                           "leader)",
                           "启动时 NATS JetStream 无法连接或尚未就绪（服务器重启、集群选举主节点）"
                           "时，持续重试的秒数"))
          ->capture_default_str();
      cmd->callback([opts] {
        // Before any thread starts: only sigwait() sees the stop signals.
        const sigset_t set = StopSignals();
        pthread_sigmask(SIG_BLOCK, &set, nullptr);
        RunServe(*opts);
      });
    } else {
      cmd->add_flag("--json", opts->json, Help("JSON output", "以 JSON 输出"));
      cmd->callback([opts] { RunHolds(*opts); });
    }
  }
}

}  // namespace fanzha::cli
