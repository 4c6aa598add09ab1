// Tracing speed on a store: loads the ledger, traces every case (fifo, one core), checks each
// answer (conservation to the fen; on the first --check cases also equality with the plain full
// replay), then reports load time, memory, median / p99 / total trace time.
//
//   trace_bench --db world.db [--check 3] [--policy fifo] [--cases N] [--reach-out reach.tsv
//   --reach-cases 20]
//               [--pending 100 [--pending-check 1]]
//   trace_bench --db world.db --export-pg DIR [--export-cases 20]
//
// --cases N traces only the first N cases of the store (slow policies on big worlds).
//
// --reach-out writes, for the first --reach-cases cases, the accounts trace::Reach (the `poison`
// policy's reach) finds within 8 hops (case<TAB>account per line), and reports the time it took.
//
// --export-pg writes the ledger as bench/trace_vs_postgres.sh loads it into PostgreSQL, so that
// both systems read exactly the data fanzha traces (whatever files or statements it came from):
// DIR/transfers.tsv (id, time in ms, payer, payee, amount in fen; \N for none), DIR/accounts.tsv
// (account, kind), and DIR/cases.tsv (case, seed transfer) for a deterministic sample of
// --export-cases cases: evenly spaced over the ids, in id order, of the cases whose payments are
// all in the ledger. Then it exits without tracing.
//
// --pending N: reports that arrive before their transfers are in the ledger (the server's case).
// For each of the first N cases a new report: a new victim pays the case's first payee (a mule
// with its whole history), which passes 60% on to a new account a minute later. Each new case is
// traced with trace::LedgerForCase over all those new transfers, timed; with --pending-check 1
// every answer is compared with the answer on the ledger rebuilt with them (slow: a rebuild).
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "core/json.h"
#include "ledger/ledger.h"
#include "store/store.h"
#include "trace/case_ledger.h"
#include "trace/trace.h"

using namespace fanzha;
using Clock = std::chrono::steady_clock;

namespace {

// CPU time of this thread: on a shared machine the wall clock also counts other processes' turns.
double ThreadCpuMicros() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

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
    if (x.held[i].account != y.held[i].account || x.held[i].amount != y.held[i].amount)
      return false;
  }
  for (size_t i = 0; i < x.exits.size(); ++i) {
    if (x.exits[i].account != y.exits[i].account || x.exits[i].amount != y.exits[i].amount)
      return false;
  }
  return true;
}

struct NewReport {
  Case c;
  std::vector<Transfer> transfers;
};

std::vector<NewReport> NewReports(const ledger::Ledger& l, const std::vector<Case>& cases, int n) {
  std::vector<NewReport> out;
  for (const Case& c : cases) {
    if (static_cast<int>(out.size()) >= n) break;
    if (c.transfers.empty()) continue;
    auto t = l.FindTransfer(c.transfers[0]);
    if (!t || l.to(*t) == ledger::kNoAccount) continue;
    NewReport r;
    r.c.id = "NEW-" + c.id;
    std::string payee(l.account_id(l.to(*t)));
    Fen amount = std::max<Fen>(1000, l.amount(*t) / 2);
    r.transfers.push_back({r.c.id + "-T1", l.time(*t), "NEWVICTIM-" + c.id, payee, amount,
                           Channel::kTransfer, "", "", ""});
    r.transfers.push_back({r.c.id + "-T2", l.time(*t) + 60000, payee, "NEWMULE-" + c.id,
                           amount * 6 / 10, Channel::kTransfer, "", "", ""});
    r.c.transfers = {r.transfers[0].id};
    out.push_back(std::move(r));
  }
  return out;
}

// Times LedgerForCase + Trace per new report; 0 on success.
int BenchPending(std::shared_ptr<const ledger::Ledger> l, const std::vector<Case>& cases,
                 const trace::Options& options, int n, bool check) {
  std::vector<NewReport> reports = NewReports(*l, cases, n);
  std::vector<Transfer> pending;
  for (const NewReport& r : reports)
    pending.insert(pending.end(), r.transfers.begin(), r.transfers.end());
  std::vector<double> micros;
  std::vector<std::tuple<double, size_t, std::string>> slowest;  // time, ledger traced, case
  std::vector<std::string> answers;
  size_t extracted = 0, extract_transfers = 0;
  for (const NewReport& r : reports) {
    double cpu0 = ThreadCpuMicros();
    auto on = trace::LedgerForCase(l, pending, r.c, options);
    if (!on.ok())
      return std::fprintf(stderr, "%s: %s\n", r.c.id.c_str(), on.status().message().c_str()), 1;
    auto seeds = trace::SeedsOfCase(*on->ledger, r.c);
    if (!seeds.ok())
      return std::fprintf(stderr, "%s: %s\n", r.c.id.c_str(), seeds.status().message().c_str()), 1;
    auto answer = trace::Trace(*on->ledger, *seeds, on->options);
    double cpu1 = ThreadCpuMicros();
    if (!answer.ok())
      return std::fprintf(stderr, "%s: %s\n", r.c.id.c_str(), answer.status().message().c_str()), 1;
    micros.push_back(cpu1 - cpu0);
    slowest.emplace_back(cpu1 - cpu0, on->ledger->transfer_count(), r.c.id);
    extracted += on->ledger != l;
    extract_transfers += on->ledger != l ? on->ledger->transfer_count() : 0;
    answers.push_back(DumpJson(trace::ToJson(*answer, r.c.id)));
  }
  if (micros.empty()) return std::fprintf(stderr, "no case for --pending\n"), 1;
  std::vector<double> sorted = micros;
  std::sort(sorted.begin(), sorted.end());
  std::printf(
      "pending: %zu new reports (%zu new transfers) traced over the pending list: CPU per "
      "report median %.0f us, p99 %.0f us, max %.0f us; %zu on an extract of %.0f transfers "
      "on average\n",
      reports.size(), pending.size(), sorted[sorted.size() / 2],
      sorted[std::min(sorted.size() - 1, sorted.size() * 99 / 100)], sorted.back(), extracted,
      static_cast<double>(extract_transfers) / std::max<size_t>(1, extracted));
  std::sort(slowest.rbegin(), slowest.rend());
  for (size_t i = 0; i < std::min<size_t>(3, slowest.size()); ++i) {
    std::printf("  slow: %s %.0f us, traced on %zu transfers\n", std::get<2>(slowest[i]).c_str(),
                std::get<0>(slowest[i]), std::get<1>(slowest[i]));
  }
  if (!check) return 0;
  auto t0 = Clock::now();
  std::vector<std::string> all;
  for (ledger::AccountIndex a = 0; a < l->account_count(); ++a) all.emplace_back(l->account_id(a));
  for (const Transfer& t : pending) all.insert(all.end(), {t.from, t.to});  // new accounts too
  std::unique_ptr<ledger::Ledger> rebuilt = l->Extract(all, pending);
  std::printf("pending: ledger rebuilt with them in %.1f s wall to check\n",
              Seconds(t0, Clock::now()));
  for (size_t i = 0; i < reports.size(); ++i) {
    auto seeds = trace::SeedsOfCase(*rebuilt, reports[i].c);
    if (!seeds.ok())
      return std::fprintf(stderr, "%s: %s\n", reports[i].c.id.c_str(),
                          seeds.status().message().c_str()),
             1;
    auto answer = trace::Trace(*rebuilt, *seeds, options);
    std::string expected =
        answer.ok() ? DumpJson(trace::ToJson(*answer, reports[i].c.id)) : answer.status().message();
    if (expected != answers[i]) {
      std::fprintf(stderr,
                   "%s: the answer over pending transfers differs from the rebuilt ledger's\n"
                   "  pending: %s\n  rebuilt: %s\n",
                   reports[i].c.id.c_str(), answers[i].c_str(), expected.c_str());
      return 1;
    }
  }
  std::printf("pending: all %zu answers equal those of the rebuilt ledger\n", reports.size());
  return 0;
}

// A field of PostgreSQL's COPY text format.
std::string CopyField(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '\t' || c == '\n' || c == '\r') out.push_back('\\');
    out.push_back(c == '\t' ? 't' : c == '\n' ? 'n' : c == '\r' ? 'r' : c);
  }
  return out;
}

int ExportForPostgres(const ledger::Ledger& l, std::vector<Case> cases, const std::string& dir,
                      int sample) {
  std::ofstream transfers(dir + "/transfers.tsv"), accounts(dir + "/accounts.tsv"),
      seeds(dir + "/cases.tsv");
  if (!transfers || !accounts || !seeds)
    return std::fprintf(stderr, "cannot write in %s\n", dir.c_str()), 1;
  auto account = [&](ledger::AccountIndex a) {
    return a == ledger::kNoAccount ? std::string("\\N") : CopyField(l.account_id(a));
  };
  for (ledger::TransferIndex t = 0; t < l.transfer_count(); ++t) {
    transfers << CopyField(l.transfer_id(t)) << '\t' << l.time(t) << '\t' << account(l.from(t))
              << '\t' << account(l.to(t)) << '\t' << l.amount(t) << '\n';
  }
  for (ledger::AccountIndex a = 0; a < l.account_count(); ++a) {
    accounts << CopyField(l.account_id(a)) << '\t' << Name(l.kind(a)) << '\n';
  }
  std::erase_if(cases, [&](const Case& c) { return !trace::SeedsOfCase(l, c).ok(); });
  std::sort(cases.begin(), cases.end(), [](const Case& a, const Case& b) { return a.id < b.id; });
  size_t n = std::min<size_t>(std::max(sample, 0), cases.size());
  for (size_t i = 0; i < n; ++i) {
    const Case& c = cases[i * cases.size() / n];
    for (const std::string& t : c.transfers)
      seeds << CopyField(c.id) << '\t' << CopyField(t) << '\n';
  }
  transfers.close();
  accounts.close();
  seeds.close();
  if (!transfers || !accounts || !seeds)
    return std::fprintf(stderr, "writing in %s failed\n", dir.c_str()), 1;
  std::printf("exported %zu transfers, %zu accounts and %zu of %zu cases to %s\n",
              l.transfer_count(), l.account_count(), n, cases.size(), dir.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string db, policy_name = "fifo", reach_out, export_dir;
  int check = 3, reach_cases = 20, export_cases = 20, show_slowest = 0, repeat = 1, pending = 0,
      pending_check = 0;
  size_t max_cases = SIZE_MAX;
  std::string only;  // trace just this case (with --repeat, for profiling)
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--db")
      db = argv[i + 1];
    else if (flag == "--check")
      check = std::stoi(argv[i + 1]);
    else if (flag == "--policy")
      policy_name = argv[i + 1];
    else if (flag == "--reach-out")
      reach_out = argv[i + 1];
    else if (flag == "--reach-cases")
      reach_cases = std::stoi(argv[i + 1]);
    else if (flag == "--export-pg")
      export_dir = argv[i + 1];
    else if (flag == "--export-cases")
      export_cases = std::stoi(argv[i + 1]);
    else if (flag == "--slowest")
      show_slowest = std::stoi(argv[i + 1]);
    else if (flag == "--only")
      only = argv[i + 1];
    else if (flag == "--repeat")
      repeat = std::stoi(argv[i + 1]);
    else if (flag == "--pending")
      pending = std::stoi(argv[i + 1]);
    else if (flag == "--pending-check")
      pending_check = std::stoi(argv[i + 1]);
    else if (flag == "--cases")
      max_cases = std::stoul(argv[i + 1]);
  }
  if (db.empty()) {
    std::fprintf(
        stderr,
        "usage: trace_bench --db STORE [--check N] [--policy P] [--pending N] [--reach-out FILE]\n"
        "       trace_bench --db STORE --export-pg DIR [--export-cases N]\n");
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
  std::printf(
      "ledger: %zu transfers, %zu accounts loaded in %.2f s wall, %.1f bytes per transfer\n",
      l.transfer_count(), l.account_count(), Seconds(t0, t1),
      static_cast<double>(l.MemoryBytes()) / std::max<size_t>(1, l.transfer_count()));

  if (!export_dir.empty()) return ExportForPostgres(l, cases, export_dir, export_cases);

  trace::Options options;
  options.policy = *trace::ParsePolicy(policy_name);
  std::vector<double> micros;
  std::vector<std::tuple<double, size_t, std::string>> slowest;  // time, touched, case
  size_t touched = 0, flows = 0, failures = 0, traced = 0;
  double total_cpu = 0;
  auto all0 = Clock::now();
  if (!only.empty()) {
    std::erase_if(cases, [&](const Case& c) { return c.id != only; });
    std::vector<Case> repeated;
    for (int r = 0; r < repeat; ++r) repeated.insert(repeated.end(), cases.begin(), cases.end());
    cases.swap(repeated);
  }
  for (const Case& c : cases) {
    if (traced + failures >= max_cases) break;
    auto seeds = trace::SeedsOfCase(l, c);
    if (!seeds.ok()) continue;
    double cpu0 = ThreadCpuMicros();
    auto answer = trace::Trace(l, *seeds, options);
    double cpu1 = ThreadCpuMicros();
    if (!answer.ok()) {
      ++failures;
      continue;
    }
    micros.push_back(cpu1 - cpu0);
    total_cpu += cpu1 - cpu0;
    slowest.emplace_back(micros.back(), answer->transfers_touched, c.id);
    touched += answer->transfers_touched;
    flows += answer->flows.size();
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
  auto pct = [&](double p) {
    return micros[std::min(micros.size() - 1, static_cast<size_t>(p * micros.size()))];
  };
  std::printf(
      "%s: %zu cases traced (%zu failed) in %.2f s CPU (%.2f s wall, checks included); "
      "CPU per case median %.0f us, p99 %.0f us, "
      "max %.0f us; %.0f transfers touched and %.0f flows per case; %d checked against the full "
      "replay\n",
      policy_name.c_str(), traced, failures, total_cpu / 1e6, Seconds(all0, all1), pct(0.5),
      pct(0.99), micros.back(), static_cast<double>(touched) / traced,
      static_cast<double>(flows) / traced, std::min<int>(check, traced));

  std::sort(slowest.rbegin(), slowest.rend());
  for (size_t i = 0; i < std::min<size_t>(show_slowest, slowest.size()); ++i) {
    std::printf("  slow: %s %.0f us, %zu transfers touched\n", std::get<2>(slowest[i]).c_str(),
                std::get<0>(slowest[i]), std::get<1>(slowest[i]));
  }

  if (pending > 0) {
    std::shared_ptr<const ledger::Ledger> shared = std::move(*ledger);
    return BenchPending(shared, cases, options, pending, pending_check != 0);
  }

  if (!reach_out.empty()) {
    std::ofstream out(reach_out);
    trace::Options poison;
    poison.policy = trace::Policy::kPoison;
    int done = 0;
    double total_us = 0;
    trace::ReserveReach(l);  // as fanzha reach does: not in the first case's time
    for (const Case& c : cases) {
      if (done >= reach_cases) break;
      auto seeds = trace::SeedsOfCase(l, c);
      if (!seeds.ok()) continue;
      double cpu0 = ThreadCpuMicros();
      auto reach = trace::Reach(l, *seeds, poison);
      double cpu1 = ThreadCpuMicros();
      if (!reach.ok()) continue;
      total_us += cpu1 - cpu0;
      std::set<std::string> reached;
      for (const auto& r : *reach) reached.insert(std::string(l.account_id(r.index)));
      for (const auto& acc : reached) out << c.id << '\t' << acc << '\n';
      ++done;
    }
    std::printf("poison reach: %d cases in %.3f ms CPU total (%.0f us per case), written to %s\n",
                done, total_us / 1000, total_us / std::max(1, done), reach_out.c_str());
  }
  return 0;
}
