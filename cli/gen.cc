// fanzha gen: writes a generated fraud world with ground truth (see gen/gen.h).
#include "gen/gen.h"

#include <chrono>
#include <cstdio>
#include <optional>

#include "cli/commands.h"
#include "core/progress.h"
#include "core/time.h"
#include "gen/identity.h"

namespace fanzha::cli {
namespace {

struct GenArgs {
  gen::GenOptions options;
  std::string start = "2020-02-01";
  std::string shape = "gen";
  // Shape fields given on the command line: they override the named shape's.
  std::optional<int64_t> accounts, mule_transfers;
  std::optional<int> fan_out, layers, layer_chance, amount_percent;
};

void RunGen(GenArgs& args) {
  auto start = ParseTime(args.start);
  if (!start.ok()) ExitOnError(start.status().WithContext("gen: --start"));
  args.options.start = *start;
  auto shape = gen::ShapeNamed(args.shape);
  if (!shape.ok()) ExitOnError(shape.status());
  gen::Shape& chosen = args.options.shape = *shape;
  if (args.accounts) chosen.accounts = *args.accounts;
  if (args.mule_transfers) chosen.mule_transfers = *args.mule_transfers;
  if (args.fan_out) chosen.fan_out = *args.fan_out;
  if (args.layers) chosen.layers = *args.layers;
  if (args.layer_chance) chosen.layer_chance = *args.layer_chance;
  if (args.amount_percent) chosen.amount_percent = *args.amount_percent;
  const auto began = std::chrono::steady_clock::now();
  Progress bar("gen", args.options.transfers);
  auto summary = gen::GenerateWorld(args.options, [&](int64_t done) { bar.Update(done); });
  bar.Finish();
  if (!summary.ok()) ExitOnError(summary.status());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  const gen::GenSummary& s = *summary;
  const Lang lang = OutputLang();
  const auto n = [](int64_t v) { return std::to_string(v); };
  char took[32], rate[32];
  std::snprintf(took, sizeof took, "%.1f", seconds);
  std::snprintf(rate, sizeof rate, "%.0f", seconds > 0 ? s.transfers / seconds : 0.0);
  const std::string seed = std::to_string(args.options.seed);
  Tell("wrote " + args.options.out_dir + " (seed " + seed + ", shape " + args.shape + ") in " +
           took + " s",
       "已生成演示数据 " + args.options.out_dir + "（种子 " + seed + "，规模 " + args.shape +
           "），用时 " + took + " 秒");
  const auto row = [&](const char* file, const std::string& en, const std::string& zh) {
    std::printf("  %-14s %s\n", file, SayInline(lang, en, zh).c_str());
  };
  row("accounts.csv", n(s.accounts) + " accounts", "账户 " + n(s.accounts) + " 个");
  row("transfers.csv",
      n(s.transfers) + " transfers (" + n(s.fraud_transfers) + " in fraud flows), " + rate +
          " transfers/s",
      "交易 " + n(s.transfers) + " 笔（涉诈资金流 " + n(s.fraud_transfers) + " 笔），每秒 " + rate +
          " 笔");
  row("cases.jsonl",
      n(s.cases) + " cases by " + n(s.gangs) + " gangs (" + n(s.mules) + " mule accounts)",
      "案件 " + n(s.cases) + " 起，团伙 " + n(s.gangs) + " 个（涉案账户 " + n(s.mules) + " 个）");
  row("events.jsonl", n(s.events) + " events", "事件 " + n(s.events) + " 条");
  std::printf("  流水_*.csv     %s\n", SayInline(lang, n(s.statements) + " bank statements",
                                                 "银行流水 " + n(s.statements) + " 份")
                                           .c_str());
  const std::string truth =
      "cases.csv gangs.csv mules.csv targets.csv hubs.csv accomplices.csv events.csv";
  row("truth/", "ground truth: " + truth, "真值：" + truth);
}

}  // namespace

void RegisterGen(CLI::App& app) {
  auto args = std::make_shared<GenArgs>();
  CLI::App* cmd = app.add_subcommand(
      "gen", Help("generate a fraud world with ground truth", "生成带真值的模拟诈骗数据世界"));
  cmd->footer(Help(
      "Examples:\n"
      "  fanzha gen --out demo                          small world (~100k transfers)\n"
      "  fanzha gen --out w10m --transfers 10000000     10 million transfers\n"
      "  fanzha gen --out w --seed 7 --cases 500 --start 2021-06-01 --days 60\n"
      "  fanzha gen --out busy --transfers 5000000 --shape busy-mules\n"
      "  fanzha gen --out w --shape wide --fan-out 100 --amount-percent 300\n"
      "  fanzha gen --out w20 --banks 20                the cards of 20 banks\n"
      "\n"
      "Shapes (--shape; the shape options below override the shape's own values):\n"
      "  gen         mule cards are ordinary people's cards (tens of transfers a month); a "
      "victim's\n"
      "              payment is split in 2-4 and passes through at most two extra split cards\n"
      "  busy-mules  mule cards are busy everyday cards (1,500 transfers of their own each), 25\n"
      "              transfers a person, a case per 5,000 transfers: a tainted card's later "
      "payments\n"
      "              reach thousands of people, as on real mule cards\n"
      "  wide        huge fan-out: each victim's payment is split over up to 40 split cards\n"
      "  deep        long chains: split cards pass the money on through up to 12 more split cards\n"
      "\n"
      "Same options, same bytes: worlds are reproducible from their seed and shape.",
      "示例：\n"
      "  fanzha gen --out demo                          小规模世界（约 10 万笔转账）\n"
      "  fanzha gen --out w10m --transfers 10000000     1000 万笔转账\n"
      "  fanzha gen --out w --seed 7 --cases 500 --start 2021-06-01 --days 60\n"
      "  fanzha gen --out busy --transfers 5000000 --shape busy-mules\n"
      "  fanzha gen --out w --shape wide --fan-out 100 --amount-percent 300\n"
      "  fanzha gen --out w20 --banks 20                20 家银行的银行卡\n"
      "\n"
      "形态（--shape；下列形态选项覆盖该形态自身的取值）：\n"
      "  gen         涉案卡为普通人的银行卡（每月数十笔转账）；受害人的一笔付款\n"
      "              拆成 2-4 笔，最多再经过两张拆分卡\n"
      "  busy-mules  涉案卡为日常交易频繁的银行卡（各自另有 1,500 笔转账），每人 25 笔\n"
      "              转账，每 5,000 笔转账一起案件：涉赃卡此后的付款\n"
      "              流向数千人，与真实涉案卡相同\n"
      "  wide        大范围分散：每笔受害人付款最多拆到 40 张拆分卡\n"
      "  deep        长链条：拆分卡将资金再经最多 12 张拆分卡转出\n"
      "\n"
      "选项相同，输出逐字节相同：同一种子和形态可复现同一世界。"));
  cmd->add_option("--out", args->options.out_dir,
                  Help("output directory (created)", "输出目录（自动创建）"))
      ->required();
  cmd->add_option("--seed", args->options.seed, Help("random seed", "随机种子"))
      ->capture_default_str();
  cmd->add_option("--transfers", args->options.transfers,
                  Help("about this many transfers (>= 1000)", "大约生成的转账笔数（>= 1000）"))
      ->capture_default_str();
  cmd->add_option("--cases", args->options.cases,
                  Help("fraud cases (default: transfers/1000, at least 20)",
                       "诈骗案件数（默认：转账笔数/1000，至少 20）"));
  cmd->add_option(
         "--start", args->start,
         Help("first day, YYYY-MM-DD (Asia/Shanghai)", "起始日期，YYYY-MM-DD（Asia/Shanghai）"))
      ->capture_default_str();
  cmd->add_option("--days", args->options.days, Help("days of activity", "活动天数"))
      ->capture_default_str();
  cmd->add_option(
      "--events", args->options.events,
      Help("early-warning events (default: transfers/5)", "预警事件数（默认：转账笔数/5）"));
  cmd->add_option(
         "--banks", args->options.banks,
         Help("institutions holding people's cards and companies' accounts: the first N of " +
                  std::to_string(gen::IssuingInstitutions()) +
                  " banks (中国工商银行, 中国农业银行, ..., 恒丰银行; the default 8 gives the "
                  "worlds made before this option, byte for byte)",
              "持有个人银行卡和企业账户的机构：" + std::to_string(gen::IssuingInstitutions()) +
                  " 家银行中的前 N 家（中国工商银行、中国农业银行……恒丰银行；默认 8 家，"
                  "与加入此选项之前生成的世界逐字节相同）"))
      ->capture_default_str();
  std::string shapes;
  for (std::string_view n : gen::ShapeNames())
    shapes += (shapes.empty() ? "" : ", ") + std::string(n);
  cmd->add_option("--shape", args->shape,
                  Help("named shape of the world: " + shapes, "世界的命名形态：" + shapes))
      ->capture_default_str();
  cmd->add_option(
      "--accounts", args->accounts,
      Help("people with accounts, 1500..5000000 (default: transfers/20; busy-mules: /25)",
           "有账户的人数，1500..5000000（默认：转账笔数/20；busy-mules：/25）"));
  cmd->add_option("--mule-transfers", args->mule_transfers,
                  Help("everyday transfers of each mule card of its own over the period (gen: 0, "
                       "busy-mules: 1500)",
                       "每张涉案卡在此期间自身的日常转账笔数（gen：0，busy-mules：1500）"));
  cmd->add_option(
      "--fan-out", args->fan_out,
      Help("a victim's payment leaves the collection card in 2..N parts (gen: 4, wide: 40)",
           "受害人的一笔付款从收款卡分 2..N 笔转出（gen：4，wide：40）"));
  cmd->add_option("--layers", args->layers,
                  Help("most extra split cards money passes through in a chain (gen: 2, deep: 12)",
                       "资金在一条链上最多再经过的拆分卡张数（gen：2，deep：12）"));
  cmd->add_option("--layer-chance", args->layer_chance,
                  Help("per mille chance a split card passes the money on (gen: 250, deep: 850)",
                       "拆分卡继续转出资金的千分比概率（gen：250，deep：850）"));
  cmd->add_option(
      "--amount-percent", args->amount_percent,
      Help("every amount (payments, salaries, balances) as a percentage of the default (100)",
           "所有金额（付款、工资、余额）相对默认值的百分比（100）"));
  cmd->callback([args] { RunGen(*args); });
}

}  // namespace fanzha::cli
