// The federated trace (federated/walk.h) on a generated world split over bank nodes: its answer
// against the central trace on every case, and its time with bank nodes that take 200 ms to
// answer. bench/federated_bench.sh prepares the stores and starts the nodes; every run checks its
// answers (the JSON of trace::ToJson, byte for byte, and no gap) and exits 1 when one differs.
//
//   federated_bench equal --all ALL.db --platform PLATFORM.db --banks DIR [--policy fifo]
//       [--cases N] [--work W]
//     Every case of the platform's store (or the first N, by id), walked with bank desks in this
//     process (federated::DeskCourier over DIR/<token>/bank.db, the code the bank nodes run,
//     without NATS), against the central trace on ALL.db (every transfer; same policy, same
//     `until`: the end of the data). One copy of the platform's store for the whole run (W/equal/),
//     so a later case uses the statements earlier ones brought in, as a centre's store does. Per
//     walk: wall time, rounds, statement queries, banks asked; split into the walk's own work and
//     the desks' (answering, and the answers imported into the platform's store).
//
//   federated_bench timing --all ALL.db --platform PLATFORM.db --nats URL [--crossing 6]
//       [--cases 5] [--policy fifo] [--work W]
//     Cases whose central trace crosses at least --crossing institutions (the banks of the accounts
//     of its flows), the first --cases of them by id; each walked on a fresh copy of the platform's
//     store by an interchange::Platform over NATS (the bank nodes already running there), with the
//     stop-payments of `fanzha trace --via-banks --stop-payments` sent as soon as a round finds
//     money held (federated::StopPayments). Per walk: wall time, rounds, queries, banks asked; the
//     banks' time (while at least one bank was acting on one of its queries: the union of the
//     intervals of bank_ms before each answer was applied) and the platform's own (the rest: its
//     traces, the store, NATS); the time spent waiting for answers; the time from the start of the
//     walk to the first stop-payment request published (interchange::ListRequests: published_at,
//     when JetStream acknowledged it). Before the timed walks every bank node answers one statement
//     query, so each has loaded its ledger as a running node has.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "bank/bank.h"
#include "federated/courier.h"
#include "federated/stop_payments.h"
#include "federated/walk.h"
#include "interchange/messages.h"
#include "interchange/platform.h"
#include "ledger/ledger.h"
#include "trace/trace.h"

namespace fanzha {
namespace {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

struct Args {
  std::string mode;
  std::string all, platform, banks, nats, work;
  std::string policy = "fifo";
  int cases = -1;  // equal: every case; timing: 5
  int crossing = 6;
  std::string only;  // --case: this case alone
};

[[noreturn]] void Die(const std::string& why) {
  std::fprintf(stderr, "federated_bench: %s\n", why.c_str());
  std::exit(2);
}

void Check(const Status& st, const std::string& what) {
  if (!st.ok()) Die(what + ": " + st.ToString());
}

template <typename T>
T Must(Result<T> r, const std::string& what) {
  Check(r.status(), what);
  return std::move(r).value();
}

Millis SteadyMillis() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

// A store file with its write-ahead log and audit files, copied beside `to`. The copy's audit
// chain goes on with the original's key.
void CopyStore(const std::string& from, const std::string& to) {
  fs::create_directories(fs::path(to).parent_path());
  for (const char* suffix : {"", "-wal", "-shm", "-imports.lock"}) fs::remove(to + suffix);
  fs::copy_file(from, to);
  if (fs::exists(from + "-wal")) fs::copy_file(from + "-wal", to + "-wal");
  const audit::Files src = audit::DefaultFiles(from), dst = audit::DefaultFiles(to);
  fs::remove(dst.key);
  fs::remove(dst.heads);
  if (fs::exists(src.key)) {
    fs::copy_file(src.key, dst.key);
    fs::permissions(dst.key, fs::perms::owner_read | fs::perms::owner_write);
  }
}

audit::Key KeyOf(const std::string& db) {
  return Must(audit::Key::Load(audit::DefaultFiles(db).key, /*create=*/true), db + " audit key");
}

// A platform name of this run's own (interchange::CheckPlatformName): request ids differ from
// those of every earlier run, which the desks and JetStream remember.
std::string RunName(const std::string& what) {
  std::string stamp;
  for (uint64_t v = static_cast<uint64_t>(SystemClock().Now()); v; v /= 36)
    stamp.insert(stamp.begin(), "0123456789abcdefghijklmnopqrstuvwxyz"[v % 36]);
  return "fb-" + stamp + "-" + what;
}

// The store of every transfer and its ledger: the central trace.
struct Central {
  std::unique_ptr<store::Store> store;
  std::unique_ptr<ledger::Ledger> ledger;

  static Central Open(const std::string& db) {
    Central c;
    Millis t0 = SteadyMillis();
    c.store = Must(store::Store::OpenSqlite(db), db);
    c.ledger = Must(ledger::Ledger::Load(*c.store), db);
    std::fprintf(stderr, "central: %zu transfers, %zu accounts loaded from %s in %.1f s\n",
                 c.ledger->transfer_count(), c.ledger->account_count(), db.c_str(),
                 (SteadyMillis() - t0) / 1000.0);
    return c;
  }

  trace::Answer Trace(const std::string& case_id, const trace::Options& options) const {
    std::optional<Case> c = Must(store->GetCase(case_id), "case " + case_id);
    if (!c) Die("case " + case_id + " is in the platform's store, not in the central one");
    std::vector<trace::Seed> seeds = Must(trace::SeedsOfCase(*ledger, *c), case_id);
    return Must(trace::Trace(*ledger, seeds, options), case_id);
  }

  // The institutions of the accounts of the answer's flows.
  std::set<std::string> Institutions(const trace::Answer& a) const {
    std::set<std::string> out;
    for (const trace::Flow& f : a.flows) {
      for (const std::string* id : {&f.from, &f.to}) {
        if (id->empty()) continue;
        std::optional<ledger::AccountIndex> i = ledger->FindAccount(*id);
        if (i && !ledger->institution(*i).empty()) out.insert(ledger->institution(*i));
      }
    }
    return out;
  }

  // One account of each institution (its first personal one, else its first): whom to ask in a
  // warm-up.
  std::map<std::string, std::string> AccountPerInstitution() const {
    std::map<std::string, std::string> out;
    for (bool personal : {true, false}) {
      for (ledger::AccountIndex a = 0; a < ledger->account_count(); ++a) {
        const std::string& bank = ledger->institution(a);
        if (!bank.empty() && (!personal || ledger->kind(a) == AccountKind::kPersonal))
          out.try_emplace(bank, std::string(ledger->account_id(a)));
      }
    }
    return out;
  }
};

std::vector<std::string> CaseIds(store::Store& store) {
  std::vector<std::string> ids;
  Check(store.ForEachCaseHeader([&](const Case& c) { ids.push_back(c.id); }), "cases");
  std::sort(ids.begin(), ids.end());
  return ids;
}

federated::Options WalkOptions(const trace::Options& trace, const audit::Key& key) {
  federated::Options o;
  o.trace = trace;
  o.user = "federated_bench";
  o.role = "investigator";
  o.reason = "benchmark of the federated trace";
  o.mandate = {"公(杭)查字[2020]001号", "federated_bench", "330100"};
  o.audit_key = &key;
  o.bank_deadline = 30000;
  return o;
}

// The courier, timed: how long the walk spent handing queries over (Send: with desks in the
// process, the banks' whole work and the answers' import) and waiting for answers (Await).
class TimedCourier : public federated::Courier {
 public:
  explicit TimedCourier(federated::Courier& inner) : inner_(inner) {}
  Status Send() override {
    Millis t0 = SteadyMillis();
    Status st = inner_.Send();
    send_ms += SteadyMillis() - t0;
    return st;
  }
  void Await(Millis wait) override {
    Millis t0 = SteadyMillis();
    inner_.Await(wait);
    await_ms += SteadyMillis() - t0;
  }
  Millis send_ms = 0, await_ms = 0;

 private:
  federated::Courier& inner_;
};

struct Percentiles {
  double p50 = 0, p99 = 0, max = 0;
};
template <typename T>
Percentiles Of(std::vector<T> v) {
  if (v.empty()) return {};
  std::sort(v.begin(), v.end());
  auto at = [&](double q) {
    return static_cast<double>(
        v[std::min(v.size() - 1, static_cast<size_t>(q * (v.size() - 1) + 0.5))]);
  };
  return {at(0.5), at(0.99), static_cast<double>(v.back())};
}

trace::Options TraceOptions(const Args& a) {
  trace::Options o;
  o.policy = Must(trace::ParsePolicy(a.policy), "--policy");
  return o;
}

// Whether the walk's answer is the central one; says how it differs when it is not.
bool SameAnswer(const std::string& case_id, const federated::Answer& walked,
                const trace::Answer& central) {
  const std::string w = trace::ToJson(walked.trace, case_id).dump(1),
                    c = trace::ToJson(central, case_id).dump(1);
  if (w == c && walked.gaps.empty()) return true;
  if (!walked.gaps.empty()) {
    const federated::Gap& g = walked.gaps[0];
    std::fprintf(stderr, "%s: %zu gaps, the first %s at %s (%s): %s\n", case_id.c_str(),
                 walked.gaps.size(), g.account.c_str(), g.institution.c_str(),
                 std::string(federated::Name(g.why)).c_str(), g.detail.c_str());
  }
  if (w != c) {
    size_t at = 0;
    while (at < w.size() && at < c.size() && w[at] == c[at]) ++at;
    const size_t from = at > 200 ? at - 200 : 0;
    std::fprintf(stderr,
                 "%s differs from the central trace at byte %zu:\n  walked:  %s\n  central: %s\n",
                 case_id.c_str(), at, w.substr(from, 400).c_str(), c.substr(from, 400).c_str());
  }
  return false;
}

// Asks every institution's bank for the statement of one of its accounts over the last day of the
// data (queued in `store`, a throwaway copy of the platform's), then `send`s them: each bank loads
// its ledger for its first query, which a running bank node has long done.
size_t WarmUp(store::Store& store, const Central& central, const std::function<void()>& send) {
  const Millis end = central.ledger->time(central.ledger->transfer_count() - 1);
  const std::vector<std::string> cases = CaseIds(store);
  if (cases.empty()) Die("the platform's store has no case");
  size_t asked = 0;
  for (const auto& [bank, account] : central.AccountPerInstitution()) {
    interchange::StatementQuery q;
    q.case_id = cases[0];
    q.account = account;
    q.institution = bank;
    q.from = end - 24 * 3600 * 1000LL;
    q.to = end + 1;
    q.mandate = {"公(杭)查字[2020]000号", "federated_bench", "330100"};
    Must(interchange::AskStatement(store.sql(), q, SystemClock().Now()), "warm-up query");
    ++asked;
  }
  send();
  return asked;
}

// ---- equal ----------------------------------------------------------------------------------

struct Bank {
  std::unique_ptr<store::Store> store;
  std::unique_ptr<bank::Desk> desk;
};

void RunEqual(const Args& a) {
  Central central = Central::Open(a.all);
  std::map<std::string, std::string> institution_of_token;
  for (const auto& [bank, account] : central.AccountPerInstitution())
    institution_of_token[Must(interchange::InstitutionToken(bank), bank)] = bank;
  std::vector<Bank> banks;
  for (const fs::directory_entry& d : fs::directory_iterator(a.banks)) {
    const std::string token = d.path().filename().string(), db = d.path() / "bank.db";
    if (token == "platform" || !fs::exists(db)) continue;
    auto institution = institution_of_token.find(token);
    if (institution == institution_of_token.end())
      Die(db + ": no institution of the central store has the token " + token);
    Bank b;
    b.store = Must(store::Store::OpenSqlite(db), db);
    b.desk = Must(bank::Desk::Open(*b.store, institution->second, SystemClock()), db);
    banks.push_back(std::move(b));
  }
  if (banks.empty()) Die("no DIR/<token>/bank.db under " + a.banks);

  const std::string dir = a.work + "/equal", db = dir + "/platform.db";
  fs::remove_all(dir);
  CopyStore(a.platform, db);
  auto platform = Must(store::Store::OpenSqlite(db), db);
  const audit::Key key = KeyOf(db);
  federated::DeskCourier desks(*platform, {dir + "/statements", &key}, SystemClock(),
                               RunName("equal"));
  for (Bank& b : banks) desks.AddBank(*b.desk);

  // Warm-up, on a copy of its own: every desk loads its bank's ledger, as a running node has.
  {
    const std::string warm_db = dir + "/warm/platform.db";
    CopyStore(a.platform, warm_db);
    auto warm = Must(store::Store::OpenSqlite(warm_db), warm_db);
    federated::DeskCourier courier(*warm, {dir + "/warm/statements", &key}, SystemClock(),
                                   RunName("warm"));
    for (Bank& b : banks) courier.AddBank(*b.desk);
    Millis t0 = SteadyMillis();
    WarmUp(*warm, central, [&] { Check(courier.Send(), "warm-up"); });
    std::fprintf(stderr, "warm-up: %zu desks loaded their ledgers in %.1f s\n", banks.size(),
                 (SteadyMillis() - t0) / 1000.0);
  }

  std::vector<std::string> cases = CaseIds(*platform);
  if (!a.only.empty()) cases = {a.only};
  if (a.cases >= 0 && static_cast<size_t>(a.cases) < cases.size()) cases.resize(a.cases);
  const trace::Options options = TraceOptions(a);
  std::vector<Millis> wall, own, desk_ms;
  std::vector<int> rounds, queries, banks_asked;
  int64_t equal = 0, different = 0, with_gaps = 0;
  const Millis started = SteadyMillis();
  for (size_t i = 0; i < cases.size(); ++i) {
    const std::string& id = cases[i];
    trace::Answer want = central.Trace(id, options);
    federated::Options o = WalkOptions(options, key);
    o.trace.until = want.until;
    TimedCourier courier(desks);
    Millis t0 = SteadyMillis();
    federated::Answer got = Must(federated::Walk(*platform, id, courier, o), id);
    Millis took = SteadyMillis() - t0;
    if (SameAnswer(id, got, want)) {
      ++equal;
    } else {
      ++different;
      with_gaps += !got.gaps.empty();
    }
    wall.push_back(took);
    desk_ms.push_back(courier.send_ms);
    own.push_back(took - courier.send_ms);
    rounds.push_back(got.progress.round);
    queries.push_back(static_cast<int>(got.progress.asked));
    banks_asked.push_back(static_cast<int>(got.progress.banks_asked.size()));
    if ((i + 1) % 100 == 0 || i + 1 == cases.size()) {
      const double spent = (SteadyMillis() - started) / 1000.0;
      std::fprintf(stderr, "%zu of %zu cases walked in %.0f s (%lld differ); about %.0f s left\n",
                   i + 1, cases.size(), spent, static_cast<long long>(different),
                   spent / static_cast<double>(i + 1) * static_cast<double>(cases.size() - i - 1));
    }
  }
  const Percentiles w = Of(wall), o = Of(own), d = Of(desk_ms), r = Of(rounds), q = Of(queries),
                    b = Of(banks_asked);
  std::printf(
      "equal: %lld of %zu cases equal to the central trace (%s), %lld differ (%lld with gaps); "
      "%zu bank desks\n"
      "  walk wall time  median %.0f ms, p99 %.0f ms, max %.0f ms (%.1f s in all)\n"
      "  of which the walk's own  median %.0f ms, p99 %.0f ms, max %.0f ms; the desks' (answering, "
      "answers imported) median %.0f ms, p99 %.0f ms, max %.0f ms\n"
      "  rounds  median %.0f, p99 %.0f, max %.0f; statement queries  median %.0f, p99 %.0f, max "
      "%.0f; banks asked  median %.0f, p99 %.0f, max %.0f\n",
      static_cast<long long>(equal), cases.size(), a.policy.c_str(),
      static_cast<long long>(different), static_cast<long long>(with_gaps), banks.size(), w.p50,
      w.p99, w.max, (SteadyMillis() - started) / 1000.0, o.p50, o.p99, o.max, d.p50, d.p99, d.max,
      r.p50, r.p99, r.max, q.p50, q.p99, q.max, b.p50, b.p99, b.max);
  ordered_json line = {{"mode", "equal"},
                       {"policy", a.policy},
                       {"cases", cases.size()},
                       {"equal", equal},
                       {"different", different},
                       {"with_gaps", with_gaps},
                       {"banks", banks.size()},
                       {"wall_ms", {{"p50", w.p50}, {"p99", w.p99}, {"max", w.max}}},
                       {"own_ms", {{"p50", o.p50}, {"p99", o.p99}, {"max", o.max}}},
                       {"desks_ms", {{"p50", d.p50}, {"p99", d.p99}, {"max", d.max}}},
                       {"rounds", {{"p50", r.p50}, {"p99", r.p99}, {"max", r.max}}},
                       {"queries", {{"p50", q.p50}, {"p99", q.p99}, {"max", q.max}}},
                       {"banks_asked", {{"p50", b.p50}, {"p99", b.p99}, {"max", b.max}}}};
  std::printf("%s\n", line.dump().c_str());
  if (different > 0) std::exit(1);
}

// ---- timing ---------------------------------------------------------------------------------

// One timed walk: its figures as a JSON line.
ordered_json TimeOne(const Args& a, const Central& central, const std::string& id, int k,
                     const trace::Options& options, const std::set<std::string>& crossed) {
  const std::string dir = a.work + "/timing/" + id, db = dir + "/platform.db";
  fs::remove_all(dir);
  CopyStore(a.platform, db);
  const audit::Key key = KeyOf(db);
  auto store = Must(store::Store::OpenSqlite(db), db);
  interchange::PlatformOptions po;
  po.db = db;
  po.nats.url = a.nats;
  po.platform = RunName("t" + std::to_string(k));
  po.audit_key = &key;
  po.statements_dir = dir + "/statements";
  po.poll_every = 100;  // as `fanzha trace --via-banks`
  auto platform = Must(interchange::Platform::Start(po), "platform on " + a.nats);
  const trace::Answer want = central.Trace(id, options);

  federated::Options o = WalkOptions(options, key);
  o.trace.until = want.until;
  audit::Entry who;
  who.user = o.user;
  who.role = o.role;
  who.reason = o.reason;
  federated::StopPayments stop(*store, key, id, o.mandate, who);
  size_t stop_payments = 0;
  std::string stop_error;
  o.on_round = [&](const federated::Progress&, const trace::Answer& answer,
                   const ledger::Ledger& ledger) {
    Result<std::vector<freeze::Order>> sent = stop.AfterRound(answer, ledger, SystemClock().Now());
    if (sent.ok()) {
      stop_payments += sent->size();
      if (!sent->empty()) platform->Wake();
    } else if (stop_error.empty()) {
      stop_error = sent.status().ToString();
    }
  };
  federated::PlatformCourier nats(*platform);
  TimedCourier courier(nats);
  const Millis start = SystemClock().Now(), t0 = SteadyMillis();
  federated::Answer got = Must(federated::Walk(*store, id, courier, o), id);
  const Millis took = SteadyMillis() - t0;
  const bool same = SameAnswer(id, got, want);

  // Every stop-payment published (they go out while the walk goes on: the last round's may not
  // be yet), then the requests as the platform recorded them.
  std::vector<interchange::RequestRow> requests;
  for (const Millis until = SteadyMillis() + 10000;;) {
    requests = Must(interchange::ListRequests(store->sql(), 0, 1000000), "requests");
    size_t published = 0;
    for (const interchange::RequestRow& r : requests)
      published += r.kind == "stop_payment" && r.published_at > 0;
    if (published >= stop_payments || SteadyMillis() > until) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  platform->Stop();
  // The banks' time: while at least one bank was acting on one of the walk's queries (from its
  // answer's bank_ms before the answer was applied, to then), the union over the queries.
  Millis first_stop = -1;
  std::vector<std::pair<Millis, Millis>> at_banks;
  for (const interchange::RequestRow& r : requests) {
    if (r.kind == "stop_payment" && r.published_at > 0 &&
        (first_stop < 0 || r.published_at - start < first_stop))
      first_stop = r.published_at - start;
    if (r.kind == "statement" && r.answered_at > 0)
      at_banks.emplace_back(r.answered_at - r.bank_ms, r.answered_at);
  }
  std::sort(at_banks.begin(), at_banks.end());
  Millis banks_ms = 0, covered = start;
  for (auto [from, to] : at_banks) {
    from = std::max(from, covered);
    if (to > from) banks_ms += to - from;
    covered = std::max(covered, to);
  }
  if (!stop_error.empty())
    std::fprintf(stderr, "%s: stop-payments: %s\n", id.c_str(), stop_error.c_str());
  return {{"mode", "timing"},
          {"case", id},
          {"policy", a.policy},
          {"institutions_crossed", crossed.size()},
          {"equal", same},
          {"wall_ms", took},
          {"rounds", got.progress.round},
          {"queries", got.progress.asked},
          {"banks_asked", got.progress.banks_asked.size()},
          {"banks_ms", banks_ms},
          {"platform_ms", took - banks_ms},
          {"waiting_ms", courier.await_ms},
          {"first_stop_payment_ms", first_stop},
          {"stop_payments", stop_payments},
          {"flows", got.trace.flows.size()},
          {"transfers_known", got.progress.transfers_known}};
}

void RunTiming(const Args& a) {
  if (a.nats.empty() || a.all.empty()) Die("timing needs --nats URL and --all ALL.db");
  Central central = Central::Open(a.all);
  const trace::Options options = TraceOptions(a);
  std::vector<std::pair<std::string, std::set<std::string>>> picked;
  size_t crossing = 0, all = 0;
  {
    auto platform = Must(store::Store::OpenSqlite(a.platform), a.platform);
    for (const std::string& id : CaseIds(*platform)) {
      if (!a.only.empty() && id != a.only) continue;
      ++all;
      std::set<std::string> crossed = central.Institutions(central.Trace(id, options));
      if (static_cast<int>(crossed.size()) < a.crossing) continue;
      ++crossing;
      if (static_cast<int>(picked.size()) < (a.cases < 0 ? 5 : a.cases))
        picked.emplace_back(id, std::move(crossed));
    }
  }
  std::fprintf(stderr, "%zu of %zu cases cross at least %d institutions; timing %zu\n", crossing,
               all, a.crossing, picked.size());
  if (picked.empty()) Die("no case crosses " + std::to_string(a.crossing) + " institutions");

  {  // Warm-up: every bank node answers once (its ledger loaded, its consumer bound).
    const std::string db = a.work + "/timing/warm/platform.db";
    CopyStore(a.platform, db);
    const audit::Key key = KeyOf(db);
    auto store = Must(store::Store::OpenSqlite(db), db);
    interchange::PlatformOptions po;
    po.db = db;
    po.nats.url = a.nats;
    po.platform = RunName("warm");
    po.audit_key = &key;
    po.statements_dir = a.work + "/timing/warm/statements";
    po.poll_every = 100;
    auto platform = Must(interchange::Platform::Start(po), "platform on " + a.nats);
    const Millis t0 = SteadyMillis();
    size_t asked = 0;
    asked = WarmUp(*store, central, [&] { platform->Wake(); });
    while (platform->stats().applied + platform->stats().faults < static_cast<int64_t>(asked) &&
           SteadyMillis() - t0 < 120000)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::fprintf(stderr, "warm-up: %lld of %zu banks answered in %.1f s\n",
                 static_cast<long long>(platform->stats().applied), asked,
                 (SteadyMillis() - t0) / 1000.0);
    platform->Stop();
  }

  std::printf("%-9s %7s %5s %8s %6s %7s %11s %9s %11s %10s %11s %5s\n", "case", "crossed", "equal",
              "wall ms", "rounds", "queries", "banks asked", "banks' ms", "platform ms",
              "waiting ms", "1st stop ms", "stops");
  std::vector<ordered_json> lines;
  bool all_equal = true;
  for (size_t k = 0; k < picked.size(); ++k) {
    ordered_json j =
        TimeOne(a, central, picked[k].first, static_cast<int>(k), options, picked[k].second);
    all_equal = all_equal && j["equal"].get<bool>();
    std::printf("%-9s %7zu %5s %8lld %6d %7lld %11zu %9lld %11lld %10lld %11lld %5zu\n",
                picked[k].first.c_str(), picked[k].second.size(),
                j["equal"].get<bool>() ? "yes" : "NO", j["wall_ms"].get<long long>(),
                j["rounds"].get<int>(), j["queries"].get<long long>(),
                j["banks_asked"].get<size_t>(), j["banks_ms"].get<long long>(),
                j["platform_ms"].get<long long>(), j["waiting_ms"].get<long long>(),
                j["first_stop_payment_ms"].get<long long>(), j["stop_payments"].get<size_t>());
    std::fflush(stdout);
    lines.push_back(std::move(j));
  }
  for (const ordered_json& j : lines) std::printf("%s\n", j.dump().c_str());
  if (!all_equal) std::exit(1);
}

}  // namespace
}  // namespace fanzha

int main(int argc, char** argv) {
  using namespace fanzha;
  Args a;
  if (argc < 2) {
    Die("usage: federated_bench equal --all ALL.db --platform PLATFORM.db --banks DIR [--policy P] "
        "[--cases N] [--work W] | timing --all ALL.db --platform PLATFORM.db --nats URL "
        "[--crossing 6] [--cases 5] [--policy P] [--work W]");
  }
  a.mode = argv[1];
  for (int i = 2; i < argc; i += 2) {
    const std::string k = argv[i];
    if (i + 1 >= argc) Die("option " + k + " needs a value");
    const std::string v = argv[i + 1];
    if (k == "--all")
      a.all = v;
    else if (k == "--platform")
      a.platform = v;
    else if (k == "--banks")
      a.banks = v;
    else if (k == "--nats")
      a.nats = v;
    else if (k == "--work")
      a.work = v;
    else if (k == "--policy")
      a.policy = v;
    else if (k == "--cases")
      a.cases = std::stoi(v);
    else if (k == "--case")
      a.only = v;
    else if (k == "--crossing")
      a.crossing = std::stoi(v);
    else
      Die("unknown option " + k);
  }
  if (a.all.empty() || a.platform.empty()) Die("--all and --platform are needed");
  const bool own_work = a.work.empty();
  if (own_work) {
    a.work =
        (fs::temp_directory_path() / ("federated_bench_" + std::to_string(::getpid()))).string();
  }
  fs::create_directories(a.work);
  if (a.mode == "equal") {
    if (a.banks.empty()) Die("equal needs --banks DIR");
    RunEqual(a);
  } else if (a.mode == "timing") {
    RunTiming(a);
  } else {
    Die("unknown mode " + a.mode);
  }
  if (own_work) fs::remove_all(a.work);
  return 0;
}
