// fanzha gen: writes a generated fraud world with ground truth (see gen/gen.h).
#include <chrono>
#include <cstdio>

#include "cli/commands.h"
#include "core/progress.h"
#include "core/time.h"
#include "gen/gen.h"

namespace fanzha::cli {
namespace {

struct GenArgs {
  gen::GenOptions options;
  std::string start = "2020-02-01";
};

void RunGen(GenArgs& args) {
  auto start = ParseTime(args.start);
  if (!start.ok()) ExitOnError(start.status().WithContext("gen: --start"));
  args.options.start = *start;
  const auto began = std::chrono::steady_clock::now();
  Progress bar("gen", args.options.transfers);
  auto summary = gen::GenerateWorld(args.options, [&](int64_t done) { bar.Update(done); });
  bar.Finish();
  if (!summary.ok()) ExitOnError(summary.status());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  const gen::GenSummary& s = *summary;
  std::printf("wrote %s (seed %llu) in %.1f s\n", args.options.out_dir.c_str(),
              static_cast<unsigned long long>(args.options.seed), seconds);
  std::printf("  accounts.csv   %lld accounts\n", static_cast<long long>(s.accounts));
  std::printf("  transfers.csv  %lld transfers (%lld in fraud flows), %.0f transfers/s\n",
              static_cast<long long>(s.transfers), static_cast<long long>(s.fraud_transfers),
              seconds > 0 ? s.transfers / seconds : 0.0);
  std::printf("  cases.jsonl    %lld cases by %lld gangs (%lld mule accounts)\n",
              static_cast<long long>(s.cases), static_cast<long long>(s.gangs),
              static_cast<long long>(s.mules));
  std::printf("  events.jsonl   %lld events\n", static_cast<long long>(s.events));
  std::printf("  流水_*.csv      %lld bank statements\n", static_cast<long long>(s.statements));
  std::printf("  truth/         cases.csv gangs.csv mules.csv targets.csv hubs.csv accomplices.csv events.csv\n");
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
      "Same options, same bytes: worlds are reproducible from their seed.");
  cmd->add_option("--out", args->options.out_dir, "output directory (created)")->required();
  cmd->add_option("--seed", args->options.seed, "random seed")->capture_default_str();
  cmd->add_option("--transfers", args->options.transfers, "about this many transfers (>= 1000)")
      ->capture_default_str();
  cmd->add_option("--cases", args->options.cases, "fraud cases (default: transfers/1000, at least 20)");
  cmd->add_option("--start", args->start, "first day, YYYY-MM-DD (Asia/Shanghai)")->capture_default_str();
  cmd->add_option("--days", args->options.days, "days of activity")->capture_default_str();
  cmd->add_option("--events", args->options.events, "early-warning events (default: transfers/5)");
  cmd->callback([args] { RunGen(*args); });
}

}  // namespace fanzha::cli
