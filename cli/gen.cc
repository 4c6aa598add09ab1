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
  row("truth/", "cases.csv gangs.csv mules.csv targets.csv hubs.csv accomplices.csv events.csv",
      "真值：cases.csv gangs.csv mules.csv targets.csv hubs.csv accomplices.csv events.csv");
}

}  // namespace

void RegisterGen(CLI::App& app) {
  auto args = std::make_shared<GenArgs>();
  CLI::App* cmd = app.add_subcommand("gen", "generate a fraud world with ground truth");
  cmd->footer(
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
      "Same options, same bytes: worlds are reproducible from their seed and shape.");
  cmd->add_option("--out", args->options.out_dir, "output directory (created)")->required();
  cmd->add_option("--seed", args->options.seed, "random seed")->capture_default_str();
  cmd->add_option("--transfers", args->options.transfers, "about this many transfers (>= 1000)")
      ->capture_default_str();
  cmd->add_option("--cases", args->options.cases,
                  "fraud cases (default: transfers/1000, at least 20)");
  cmd->add_option("--start", args->start, "first day, YYYY-MM-DD (Asia/Shanghai)")
      ->capture_default_str();
  cmd->add_option("--days", args->options.days, "days of activity")->capture_default_str();
  cmd->add_option("--events", args->options.events, "early-warning events (default: transfers/5)");
  cmd->add_option("--banks", args->options.banks,
                  "institutions holding people's cards and companies' accounts: the first N of " +
                      std::to_string(gen::IssuingInstitutions()) +
                      " banks (中国工商银行, 中国农业银行, ..., 恒丰银行; the default 8 gives the "
                      "worlds made before this option, byte for byte)")
      ->capture_default_str();
  std::string shapes;
  for (std::string_view n : gen::ShapeNames())
    shapes += (shapes.empty() ? "" : ", ") + std::string(n);
  cmd->add_option("--shape", args->shape, "named shape of the world: " + shapes)
      ->capture_default_str();
  cmd->add_option("--accounts", args->accounts,
                  "people with accounts, 1500..5000000 (default: transfers/20; busy-mules: /25)");
  cmd->add_option("--mule-transfers", args->mule_transfers,
                  "everyday transfers of each mule card of its own over the period (gen: 0, "
                  "busy-mules: 1500)");
  cmd->add_option("--fan-out", args->fan_out,
                  "a victim's payment leaves the collection card in 2..N parts (gen: 4, wide: 40)");
  cmd->add_option("--layers", args->layers,
                  "most extra split cards money passes through in a chain (gen: 2, deep: 12)");
  cmd->add_option("--layer-chance", args->layer_chance,
                  "per mille chance a split card passes the money on (gen: 250, deep: 850)");
  cmd->add_option(
      "--amount-percent", args->amount_percent,
      "every amount (payments, salaries, balances) as a percentage of the default (100)");
  cmd->callback([args] { RunGen(*args); });
}

}  // namespace fanzha::cli
