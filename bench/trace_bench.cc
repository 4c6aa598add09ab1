// Tracing speed on a store: loads the ledger, traces every case (fifo, one core), checks each
// answer (conservation to the fen; on the first --check cases also equality with the plain full
// replay), then reports load time, memory, median / p99 / total trace time.
//
//   trace_bench --db world.db [--check 3] [--policy fifo] [--reach-out reach.tsv --reach-cases 20]
//
// --reach-out writes, for the first --reach-cases cases, the accounts trace::Reach (the `poison`
// policy's reach) finds within 8 hops (case<TAB>account per line) with the time each took, for bench/trace_vs_postgres.sh.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "ledger/ledger.h"
#include "store/store.h"
#include "trace/trace.h"

using namespace fanzha;
using Clock = std::chrono::steady_clock;

namespace {

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

bool Conserved(const trace::Answer& a) {
  Fen sum = a.dust;
  for (const auto& h : a.held) sum += h.amount;
  for (const auto& e : a.exits) sum += e.amount;
  return sum == a.seed;
}

bool SameAnswer(const trace::Answer& x, const trace::Answer& y) {
  if (x.seed != y.seed || x.dust != y.dust || x.held.size() != y.held.size() ||
      x.exits.size() != y.exits.size() || x.flows.size() != y.flows.size()) {
    return false;
  }
  for (size_t i = 0; i < x.held.size(); ++i) {
    if (x.held[i].account != y.held[i].account || x.held[i].amount != y.held[i].amount) return false;
  }
  for (size_t i = 0; i < x.exits.size(); ++i) {
    if (x.exits[i].account != y.exits[i].account || x.exits[i].amount != y.exits[i].amount) return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::string db, policy_name = "fifo", reach_out;
  int check = 3, reach_cases = 20;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--db") db = argv[i + 1];
    else if (flag == "--check") check = std::stoi(argv[i + 1]);
    else if (flag == "--policy") policy_name = argv[i + 1];
    else if (flag == "--reach-out") reach_out = argv[i + 1];
    else if (flag == "--reach-cases") reach_cases = std::stoi(argv[i + 1]);
  }
  if (db.empty()) {
    std::fprintf(stderr, "usage: trace_bench --db STORE [--check N] [--policy P] [--reach-out FILE]\n");
    return 2;
  }
  auto store = store::Store::OpenSqlite(db);
  if (!store.ok()) return std::fprintf(stderr, "%s\n", store.status().message().c_str()), 1;
  auto t0 = Clock::now();
  auto ledger = ledger::Ledger::Load(**store);
  if (!ledger.ok()) return std::fprintf(stderr, "%s\n", ledger.status().message().c_str()), 1;
  auto t1 = Clock::now();
  const ledger::Ledger& l = **ledger;
  std::vector<Case> cases;
  auto st = (*store)->ForEachCase([&](const Case& c) { cases.push_back(c); });
  if (!st.ok()) return std::fprintf(stderr, "%s\n", st.message().c_str()), 1;
  std::printf("ledger: %zu transfers, %zu accounts loaded in %.2f s, %.1f bytes per transfer\n",
              l.transfer_count(), l.account_count(), Seconds(t0, t1),
              static_cast<double>(l.MemoryBytes()) / std::max<size_t>(1, l.transfer_count()));

  trace::Options options;
  options.policy = *trace::ParsePolicy(policy_name);
  std::vector<double> micros;
  size_t touched = 0, failures = 0, traced = 0;
  auto all0 = Clock::now();
  for (const Case& c : cases) {
    auto seeds = trace::SeedsOfCase(l, c);
    if (!seeds.ok()) continue;
    auto a = Clock::now();
    auto answer = trace::Trace(l, *seeds, options);
    auto b = Clock::now();
    if (!answer.ok()) {
      ++failures;
      continue;
    }
    micros.push_back(std::chrono::duration<double, std::micro>(b - a).count());
    touched += answer->transfers_touched;
    ++traced;
    if (options.policy != trace::Policy::kPoison && !Conserved(*answer)) {
      std::fprintf(stderr, "conservation broken for case %s\n", c.id.c_str());
      return 1;
    }
    if (static_cast<int>(traced) <= check) {
      auto plain = trace::TraceByFullReplay(l, *seeds, options);
      if (!plain.ok() || !SameAnswer(*answer, *plain)) {
        std::fprintf(stderr, "case %s: fast trace differs from the full replay\n", c.id.c_str());
        return 1;
      }
    }
  }
  auto all1 = Clock::now();
  if (micros.empty()) return std::fprintf(stderr, "no traceable case\n"), 1;
  std::sort(micros.begin(), micros.end());
  auto pct = [&](double p) { return micros[std::min(micros.size() - 1, static_cast<size_t>(p * micros.size()))]; };
  std::printf("%s: %zu cases traced (%zu failed) in %.2f s; per case median %.0f us, p99 %.0f us, "
              "max %.0f us; %.0f transfers touched per case; %d checked against the full replay\n",
              policy_name.c_str(), traced, failures, Seconds(all0, all1), pct(0.5), pct(0.99),
              micros.back(), static_cast<double>(touched) / traced, std::min<int>(check, traced));

  if (!reach_out.empty()) {
    std::ofstream out(reach_out);
    trace::Options poison;
    poison.policy = trace::Policy::kPoison;
    int done = 0;
    double total_us = 0;
    for (const Case& c : cases) {
      if (done >= reach_cases) break;
      auto seeds = trace::SeedsOfCase(l, c);
      if (!seeds.ok()) continue;
      auto a = Clock::now();
      auto reach = trace::Reach(l, *seeds, poison);
      auto b = Clock::now();
      if (!reach.ok()) continue;
      total_us += std::chrono::duration<double, std::micro>(b - a).count();
      std::set<std::string> reached;
      for (const auto& r : *reach) reached.insert(r.account);
      for (const auto& acc : reached) out << c.id << '\t' << acc << '\n';
      ++done;
    }
    std::printf("poison reach: %d cases in %.3f ms total (%.0f us per case), written to %s\n", done,
                total_us / 1000, total_us / std::max(1, done), reach_out.c_str());
  }
  return 0;
}
