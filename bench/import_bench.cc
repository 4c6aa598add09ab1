// Import benchmark: writes N generated transfers to a transfers.csv, imports them into a new store,
// reopens it and scans every transfer back. Verifies the counts and the money sum before it
// reports times. Usage: import_bench [N=1000000] [DIR=/tmp/fanzha_import_bench]
// [--rollback-journal] or: import_bench --world WORLD_DIR STORE (accounts.csv, transfers.csv,
// cases.jsonl of a world from `fanzha gen` into a new STORE, as `fanzha import` does; checks the
// row counts; reports the CPU time of the import, user + system, and per transfer). Peak memory:
// run under /usr/bin/time -v.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "core/time.h"
#include "import/import.h"
#include "store/store.h"

namespace {

using Clock = std::chrono::steady_clock;
double Since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// CPU seconds of this process so far, user + system: on a shared machine the wall clock also
// counts other processes' turns.
double CpuSeconds() {
  rusage u;
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// Accounts cycle through a pool of N/10 (a mule network is much smaller than its transfers).
int64_t WriteTransfers(const std::string& path, int64_t n) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return -1;
  std::fputs("id,time,from,to,amount,channel,memo\n", f);
  int64_t pool = std::max<int64_t>(n / 10, 2), sum = 0;
  uint64_t x = 88172645463325252ull;
  for (int64_t i = 0; i < n; ++i) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    int64_t from = x % pool, to = (from + 1 + (x >> 20) % (pool - 1)) % pool;
    int64_t fen = 100 + (x >> 32) % 10000000;
    sum += fen;
    int64_t secs = 1580486400 + i / 4;  // 2020-02-01, four transfers a second
    std::fprintf(f, "T%010lld,%s,62220%014lld,62170%014lld,%lld.%02lld,,\n", (long long)i,
                 fanzha::FormatTime(secs * 1000).c_str(), (long long)from, (long long)to,
                 (long long)(fen / 100), (long long)(fen % 100));
  }
  std::fclose(f);
  return sum;
}

}  // namespace

int ImportWorld(const std::string& world, const std::string& db) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(db + suffix);
  auto t0 = Clock::now();
  const double cpu0 = CpuSeconds();
  auto store = fanzha::store::Store::OpenSqlite(db);
  if (!store.ok()) return std::fprintf(stderr, "%s\n", store.status().message().c_str()), 1;
  fanzha::import::Options o;
  o.progress = false;
  auto out = fanzha::import::ImportFiles(
      **store, {world + "/accounts.csv", world + "/transfers.csv", world + "/cases.jsonl"}, o);
  if (!out.status.ok()) return std::fprintf(stderr, "%s\n", out.status.message().c_str()), 1;
  const double cpu = CpuSeconds() - cpu0;
  auto totals = (*store)->CountTotals();
  if (!totals.ok()) return 1;
  for (const auto& f : out.files) {
    std::printf("%s: %lld rows, %lld added in %.2f s\n", f.path.c_str(), (long long)f.rows,
                (long long)f.added, f.seconds);
    if (f.rows != f.added) return std::fprintf(stderr, "not every row was added\n"), 1;
  }
  if (totals->transfers != out.files[1].added || totals->cases != out.files[2].added)
    return std::fprintf(stderr, "store counts differ from the files\n"), 1;
  std::printf(
      "world imported in %.2f s wall, %.2f s CPU: %.2f us of CPU per transfer (verified row "
      "counts)\n",
      Since(t0), cpu, cpu * 1e6 / static_cast<double>(std::max<int64_t>(1, totals->transfers)));
  return 0;
}

int main(int argc, char** argv) {
  if (argc == 4 && std::string(argv[1]) == "--world") return ImportWorld(argv[2], argv[3]);
  int64_t n = argc > 1 ? std::atoll(argv[1]) : 1000000;
  std::string dir = argc > 2 ? argv[2] : "/tmp/fanzha_import_bench";
  bool wal = !(argc > 3 && std::string(argv[3]) == "--rollback-journal");
  std::filesystem::create_directories(dir);
  std::string csv = dir + "/transfers.csv", db = dir + "/bench.db";
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(db + suffix);

  auto t0 = Clock::now();
  int64_t sum = WriteTransfers(csv, n);
  if (sum < 0) return std::fprintf(stderr, "cannot write %s\n", csv.c_str()), 1;
  std::printf("generated %lld transfers in %.2f s\n", (long long)n, Since(t0));

  fanzha::store::SqliteOptions so;
  so.wal = wal;
  auto t1 = Clock::now();
  {
    auto store = fanzha::store::Store::OpenSqlite(db, so);
    if (!store.ok()) return std::fprintf(stderr, "%s\n", store.status().message().c_str()), 1;
    fanzha::import::Options o;
    o.progress = false;
    auto out = fanzha::import::ImportFiles(**store, {csv}, o);
    if (!out.status.ok()) return std::fprintf(stderr, "%s\n", out.status.message().c_str()), 1;
    if (out.files[0].added != n)
      return std::fprintf(stderr, "added %lld\n", (long long)out.files[0].added), 1;
  }
  double import_s = Since(t1);
  std::printf("import (%s): %.2f s, %.0f transfers/s\n", wal ? "wal" : "rollback journal", import_s,
              n / import_s);

  auto t2 = Clock::now();
  auto store = fanzha::store::Store::OpenSqlite(db, so);
  if (!store.ok()) return 1;
  int64_t count = 0, scanned_sum = 0;
  auto st = (*store)->ForEachTransfer([&](const fanzha::Transfer& t) {
    ++count;
    scanned_sum += t.amount;
  });
  double scan_s = Since(t2);
  if (!st.ok() || count != n || scanned_sum != sum) {
    std::fprintf(stderr, "scan mismatch: %lld transfers, sum %lld (want %lld)\n", (long long)count,
                 (long long)scanned_sum, (long long)sum);
    return 1;
  }
  std::printf(
      "reopen + full ForEachTransfer scan: %.2f s, %.0f transfers/s (verified count and sum)\n",
      scan_s, n / scan_s);
  std::printf("store size: %.1f MiB\n", std::filesystem::file_size(db) / 1048576.0);
  return 0;
}
