// Reopening a store: the time from opening the file to a ledger ready to trace. Checks the ledger
// against the store (transfer count, money sum, every id found at its position, (time, id) order)
// before it reports. Then the memory the ledger really holds: resident bytes (RSS) with the store
// closed and freed memory given back (malloc_trim), minus the RSS before the store was opened,
// beside Ledger::MemoryBytes; and the peak RSS of the whole load. Usage: ledger_load_bench --db
// STORE
#include <malloc.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

#include "ledger/ledger.h"
#include "store/store.h"

using namespace fanzha;
using Clock = std::chrono::steady_clock;

namespace {

// Resident bytes of this process now (/proc/self/statm), and its peak (VmHWM in /proc/self/status).
int64_t ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  int64_t size = 0, resident = 0;
  statm >> size >> resident;
  return resident * sysconf(_SC_PAGESIZE);
}
int64_t PeakResidentBytes() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stoll(line.substr(6)) * 1024;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string db;
  for (int i = 1; i + 1 < argc; i += 2)
    if (std::string(argv[i]) == "--db") db = argv[i + 1];
  if (db.empty()) return std::fprintf(stderr, "usage: ledger_load_bench --db STORE\n"), 2;
  const int64_t rss_before = ResidentBytes();
  auto t0 = Clock::now();
  auto store = store::Store::OpenSqlite(db);
  if (!store.ok()) return std::fprintf(stderr, "%s\n", store.status().message().c_str()), 1;
  auto ledger = ledger::Ledger::Load(**store);
  if (!ledger.ok()) return std::fprintf(stderr, "%s\n", ledger.status().message().c_str()), 1;
  double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  const ledger::Ledger& l = **ledger;

  auto totals = (*store)->CountTotals();  // the ledger holds the transfers in yuan
  if (!totals.ok()) return std::fprintf(stderr, "cannot count\n"), 1;
  int64_t count = totals->transfers, money = totals->volume, ledger_money = 0;
  for (const auto& [currency, n] : totals->transfers_by_other_currency) count -= n;
  for (ledger::TransferIndex t = 0; t < l.transfer_count(); ++t) {
    ledger_money += l.amount(t);
    if (t > 0 && (l.time(t - 1) > l.time(t) ||
                  (l.time(t - 1) == l.time(t) && l.transfer_id(t - 1) >= l.transfer_id(t))))
      return std::fprintf(stderr, "not in (time, id) order at %u\n", t), 1;
    if (t % 997 == 0 && l.FindTransfer(l.transfer_id(t)) != t)
      return std::fprintf(stderr, "transfer %u not found by its id\n", t), 1;
  }
  if (static_cast<int64_t>(l.transfer_count()) != count || ledger_money != money)
    return std::fprintf(stderr, "ledger has %zu transfers, store %lld\n", l.transfer_count(),
                        static_cast<long long>(count)),
           1;
  store->reset();  // the store's page cache is not the ledger's
  malloc_trim(0);
  const double n = static_cast<double>(std::max<size_t>(1, l.transfer_count()));
  std::printf(
      "open + Ledger::Load: %zu transfers, %zu accounts in %.2f s (verified count, money, "
      "order, ids)\n",
      l.transfer_count(), l.account_count(), seconds);
  std::printf(
      "ledger memory: %.1f bytes per transfer resident (%.0f MiB), %.1f by Ledger::MemoryBytes; "
      "peak RSS of the load %.0f MiB\n",
      static_cast<double>(ResidentBytes() - rss_before) / n,
      static_cast<double>(ResidentBytes() - rss_before) / 1048576.0,
      static_cast<double>(l.MemoryBytes()) / n,
      static_cast<double>(PeakResidentBytes()) / 1048576.0);
  return 0;
}
