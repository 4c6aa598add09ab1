// Case linking at scale: a synthetic world of N cases (default 1,000,000, ~3 identifiers each, with
// gangs, formatting noise and hubs) is linked in bulk, then M more cases are added one by one.
// Reports bulk time, peak memory, and the latency of one addition (p50/p99/max); verifies the
// answer (quality against the world's ground truth, and the hubs found) before reporting.
//
//   link_bench [--cases N] [--add M]
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unordered_map>

#include "link/link.h"
#include "link/quality.h"
#include "link/world.h"

namespace {

using fanzha::link::CaseMoney;
using fanzha::link::Linker;
using fanzha::link::Quality;

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

double PeakMiB() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024;
}

// User + system CPU time of the process so far (all threads).
double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto s = [](const timeval& v) { return static_cast<double>(v.tv_sec) + v.tv_usec / 1e6; };
  return s(u.ru_utime) + s(u.ru_stime);
}

bool Check(bool ok, const char* what) {
  if (!ok) std::fprintf(stderr, "link_bench: FAILED: %s\n", what);
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  int64_t n = 1000000, add = 10000;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--cases")) n = std::atoll(argv[i + 1]);
    if (!std::strcmp(argv[i], "--add")) add = std::atoll(argv[i + 1]);
  }
  auto t = std::chrono::steady_clock::now();
  fanzha::link::WorldOptions wo;
  wo.cases = n + add;
  wo.seed = 42;
  fanzha::link::World w = fanzha::link::MakeWorld(wo);
  std::printf(
      "world: %lld cases, %lld identifiers, %zu with money, made in %.1f s (peak %.0f MiB)\n",
      static_cast<long long>(w.cases.size()), static_cast<long long>(w.identifiers), w.money.size(),
      Seconds(t), PeakMiB());

  // The first n cases in bulk.
  std::vector<fanzha::link::LinkCase> first(w.cases.begin(), w.cases.begin() + n);
  std::unordered_map<std::string, const CaseMoney*> money_of;
  for (const CaseMoney& m : w.money) money_of[m.case_id] = &m;
  std::vector<CaseMoney> first_money;
  for (const auto& c : first) {
    if (money_of.count(c.id)) first_money.push_back(*money_of[c.id]);
  }
  double before = PeakMiB();
  Linker linker;
  t = std::chrono::steady_clock::now();
  double cpu0 = CpuSeconds();
  if (!Check(linker.AddAll(first, first_money).ok(), "bulk add")) return 1;
  double bulk_s = Seconds(t);
  double bulk_cpu = CpuSeconds() - cpu0;
  double bulk_peak = PeakMiB();
  fanzha::link::Totals totals = linker.CountTotals();
  std::printf(
      "bulk: %lld cases linked in %.2f s wall, %.2f s CPU; %lld linked cases in %lld "
      "clusters, %lld hubs; peak %.0f MiB (%.0f MiB before linking)\n",
      static_cast<long long>(n), bulk_s, bulk_cpu, static_cast<long long>(totals.linked_cases),
      static_cast<long long>(totals.clusters), static_cast<long long>(totals.hubs), bulk_peak,
      before);
  first.clear();
  first.shrink_to_fit();

  // The rest one by one.
  std::vector<double> us;
  double inc_cpu0 = CpuSeconds();
  for (size_t i = static_cast<size_t>(n); i < w.cases.size(); ++i) {
    auto s = std::chrono::steady_clock::now();
    bool ok = linker.Add(w.cases[i]).ok();
    auto m = money_of.find(w.cases[i].id);
    if (m != money_of.end()) ok = ok && linker.AddMoney(*m->second).ok();
    us.push_back(Seconds(s) * 1e6);
    if (!Check(ok, "incremental add")) return 1;
  }
  double inc_cpu = CpuSeconds() - inc_cpu0;
  std::sort(us.begin(), us.end());
  auto pct = [&](double p) {
    return us.empty() ? 0 : us[static_cast<size_t>(p * (us.size() - 1))];
  };
  std::printf(
      "incremental: %zu cases added to %lld linked: p50 %.1f us, p99 %.1f us, max %.1f us "
      "(wall, each); %.2f s CPU for all\n",
      us.size(), static_cast<long long>(n), pct(0.5), pct(0.99), us.empty() ? 0 : us.back(),
      inc_cpu);

  // Verify: quality against the ground truth, and the planted hubs found.
  Quality q = fanzha::link::Measure(linker.Labels(), w.truth);
  std::printf("quality: pairwise P %.4f R %.4f F1 %.4f | B-cubed P %.4f R %.4f F1 %.4f\n",
              q.pair_precision, q.pair_recall, q.pair_f1, q.bcubed_precision, q.bcubed_recall,
              q.bcubed_f1);
  std::vector<std::pair<std::string, std::vector<std::string>>> raw;
  for (size_t i = 0; i < w.cases.size(); ++i) raw.push_back({w.cases[i].id, std::move(w.raw[i])});
  Quality b = fanzha::link::Measure(fanzha::link::ExactMatchLabels(raw), w.truth);
  std::printf(
      "baseline (exact raw strings): pairwise P %.4f R %.4f F1 %.4f | B-cubed P %.4f R %.4f "
      "F1 %.4f\n",
      b.pair_precision, b.pair_recall, b.pair_f1, b.bcubed_precision, b.bcubed_recall, b.bcubed_f1);
  bool ok = Check(q.pair_f1 >= 0.98 && q.bcubed_f1 >= 0.98, "quality >= 0.98");
  ok = Check(linker.CountTotals().hubs >= 2, "hubs found") && ok;
  ok = Check(bulk_s <= 60, "bulk <= 60 s") && ok;
  ok = Check(pct(0.99) <= 5000, "p99 <= 5 ms") && ok;
  ok = Check(bulk_peak <= 4096, "peak <= 4 GiB") && ok;
  return ok ? 0 : 1;
}
