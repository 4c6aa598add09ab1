// The evidence package's export (casefile/casefile.h) on a store: a case whose poison trace carries
// at least --flows transfers, in a gang of at least --gang cases, exported --runs times (without
// the PDF) into fresh folders; each package is verified and checked before a time is reported.
//
//   case_export_bench --db world.db --work DIR [--flows 1000] [--gang 50] [--runs 5]
//
// The case: the first case of the store, in id order, whose poison trace has --flows flows or more
// (the case with the most flows when none has). The gang: when the stored clusters give the case
// fewer than --gang cases, reports sharing the case's first identifier are added (BENCH-GANG-n)
// and linked, as cases reported in other cities would be. The store is changed by that: run it on
// a copy. Reported: loading the ledger (what the CLI does first; a server holds it already),
// export time per run (median, max), verification time, package size.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "casefile/casefile.h"
#include "ledger/ledger.h"
#include "link/from_store.h"
#include "store/store.h"

namespace {

using namespace fanzha;
using Clock = std::chrono::steady_clock;

struct Args {
  std::string db, work;
  size_t flows = 1000, gang = 50;
  int runs = 5;
};

[[noreturn]] void Die(const std::string& why) {
  std::fprintf(stderr, "case_export_bench: %s\n", why.c_str());
  std::exit(1);
}

template <typename T>
T Must(Result<T> r, const char* what) {
  if (!r.ok()) Die(std::string(what) + ": " + r.status().ToString());
  return std::move(r).value();
}

double Ms(Clock::time_point since) {
  return std::chrono::duration<double, std::milli>(Clock::now() - since).count();
}

Args Parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--db")
      a.db = v;
    else if (k == "--work")
      a.work = v;
    else if (k == "--flows")
      a.flows = std::stoul(v);
    else if (k == "--gang")
      a.gang = std::stoul(v);
    else if (k == "--runs")
      a.runs = std::stoi(v);
    else
      Die("unknown option " + k);
  }
  if (a.db.empty() || a.work.empty())
    Die("usage: case_export_bench --db world.db --work DIR [--flows 1000] [--gang 50] [--runs 5]");
  return a;
}

// Of the first 200 cases with payments (in id order), the one whose poison trace (every transfer
// out of every account the money reaches) has the fewest flows at or above `flows`, else the one
// with the most: a case of the size asked for, not the largest of the world.
Case PickCase(store::Store& store, const ledger::Ledger& ledger, size_t flows, size_t* found) {
  std::vector<Case> cases;
  const Status read = store.ForEachCase([&](const Case& c) { cases.push_back(c); });
  if (!read.ok()) Die("cases: " + read.ToString());
  std::sort(cases.begin(), cases.end(), [](const Case& a, const Case& b) { return a.id < b.id; });
  Case best;
  *found = 0;
  size_t tried = 0;
  trace::Options poison;
  poison.policy = trace::Policy::kPoison;
  for (const Case& c : cases) {
    if (c.transfers.empty() || tried == 200) continue;
    Result<std::vector<trace::Seed>> seeds = trace::SeedsOfCase(ledger, c);
    if (!seeds.ok()) continue;
    ++tried;
    const size_t n = Must(trace::Trace(ledger, *seeds, poison), "trace").flows.size();
    const bool better = best.id.empty() || (*found < flows ? n > *found : n >= flows && n < *found);
    if (better) {
      *found = n;
      best = c;
    }
  }
  if (best.id.empty()) Die("no case with payments in the ledger");
  return best;
}

// Adds reports until the case's gang has `gang` cases, as reports from other cities would come: a
// chain, the first naming every identifier of the case and a phone of its own, each next one the
// phone before it and a new one (a value shared by two cases only: never a hub). Relinks.
size_t GrowGang(store::Store& store, const Case& c, size_t gang, const link::CaseTracer& tracer) {
  link::StoreLinkOptions so;
  so.tracer = tracer;
  auto explain = [&] {
    link::StoreLinkResult linked =
        Must(link::UpdateStoredLinks(store, so, false, 0, nullptr), "link");
    return Must(linked.linker.Explain(c.id), "explain").cluster_cases.size();
  };
  size_t now = explain();
  if (now >= gang) return now;
  if (c.identifiers.empty()) Die("case " + c.id + " names no identifier to share");
  auto phone = [](size_t i) {
    std::string digits = std::to_string(i);
    return "+86139" + std::string(8 - digits.size(), '0') + digits;
  };
  auto imp = Must(store.BeginImport(), "import");
  for (size_t i = 0; i + std::max<size_t>(now, 1) < gang; ++i) {
    Case k;
    k.id = "BENCH-GANG-" + std::to_string(i);
    k.reported_at = c.reported_at;
    k.region = c.region;
    k.category = c.category;
    k.narrative = "同一团伙在其他城市的报案";
    if (i == 0)
      k.identifiers = c.identifiers;
    else
      k.identifiers.push_back({IdentifierType::kPhone, phone(i - 1), phone(i - 1), true});
    k.identifiers.push_back({IdentifierType::kPhone, phone(i), phone(i), true});
    Must(imp->PutCase(k), "put case");
  }
  if (!imp->Commit().ok()) Die("commit");
  imp.reset();
  return explain();
}

}  // namespace

int main(int argc, char** argv) {
  const Args a = Parse(argc, argv);
  auto store = Must(store::Store::OpenSqlite(a.db), "open");
  auto t0 = Clock::now();
  std::shared_ptr<const ledger::Ledger> ledger = Must(ledger::Ledger::Load(*store), "ledger");
  const double load_ms = Ms(t0);
  size_t flows = 0;
  const Case c = PickCase(*store, *ledger, a.flows, &flows);
  casefile::Tracer tracer = [ledger](const Case& k,
                                     const trace::Options& o) -> Result<trace::Answer> {
    FANZHA_ASSIGN_OR_RETURN(auto seeds, trace::SeedsOfCase(*ledger, k));
    return trace::Trace(*ledger, seeds, o);
  };
  const size_t gang = GrowGang(*store, c, a.gang, [&](const Case& k) { return tracer(k, {}); });
  std::printf(
      "case %s: poison trace %zu flows, gang of %zu cases; ledger of %zu transfers loaded in %.0f "
      "ms\n",
      c.id.c_str(), flows, gang, ledger->transfer_count(), load_ms);
  if (flows < a.flows || gang < a.gang)
    std::printf("note: fewer than asked (%zu flows, %zu cases): no case of this world has them\n",
                a.flows, a.gang);
  const casefile::SigningKey key = casefile::SigningKey::FromSeed({1});
  std::vector<double> export_ms, verify_ms;
  int64_t bytes = 0;
  std::filesystem::remove_all(a.work);
  for (int run = 0; run < a.runs; ++run) {
    casefile::ExportOptions o;
    o.case_id = c.id;
    o.out = a.work + "/run-" + std::to_string(run);
    o.tracer = tracer;
    o.exported_by = "bench";
    t0 = Clock::now();
    casefile::Exported done = Must(casefile::Export(*store, o, key, 0), "export");
    export_ms.push_back(Ms(t0));
    t0 = Clock::now();
    casefile::Verification v = Must(casefile::Verify(o.out, key.public_hex()), "verify");
    verify_ms.push_back(Ms(t0));
    if (!v.ok) Die("the package does not verify: " + v.first_bad + ": " + v.problem);
    if (static_cast<size_t>(done.linked_cases) != gang)
      Die("the package's gang is not the store's");
    if (done.trace_flows != static_cast<int64_t>(flows))
      Die("the package's largest trace is not the poison trace");
    bytes = 0;
    for (const auto& f : done.files) bytes += f.bytes;
  }
  std::sort(export_ms.begin(), export_ms.end());
  std::sort(verify_ms.begin(), verify_ms.end());
  std::printf(
      "export (4 policies, no PDF): median %.0f ms, max %.0f ms over %d runs; verify median %.0f "
      "ms; package %.1f MB\n",
      export_ms[export_ms.size() / 2], export_ms.back(), a.runs, verify_ms[verify_ms.size() / 2],
      static_cast<double>(bytes) / 1e6);
  return 0;
}
