// The bank interchange, whole processes on loopback: a nats-server, bank nodes (`fanzha bank
// serve`), and the platform. Every run checks its answers (every order executed, each for the
// amount the bank held) before it reports a time; it exits 1 otherwise.
//
//   interchange_bench report --fanzha build/fanzha [--banks 10] [--accounts 3] [--delay 0-2s]
//   [--runs 5]
//     A report posted to `fanzha serve --nats` -> the one-click draft sends stop-payments to every
//     bank holding the money -> each bank takes --delay to act. End to end: from the POST of the
//     report to the last order executed. fanzha's own part: for each order, the time from the POST
//     to its answer applied, less the bank's own time (bank_ms, the simulated delay and its work);
//     the largest of those.
//
//   interchange_bench throughput --fanzha build/fanzha [--banks 10] [--orders 10000] [--rate 10000]
//     Orders moved to `sent` at --rate a minute (the platform of `fanzha serve --nats`, in this
//     process) to --banks bank nodes acting at once: answer latency (moved to sent -> answer
//     applied) p50 / p99 / max, and that none is lost.
#include <httplib.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "auth/auth.h"
#include "freeze/freeze.h"
#include "import/import.h"
#include "interchange/local_server.h"
#include "interchange/platform.h"

namespace fanzha {
namespace {

using nlohmann::json;

struct Args {
  std::string mode;
  std::string fanzha = "build/fanzha";
  int banks = 10;
  int accounts = 3;  // report: mule accounts per bank the victim's money reaches
  std::string delay = "0-2s";
  int runs = 5;
  int orders = 10000;
  int rate = 10000;  // throughput: orders a minute
  std::string dir;
};

[[noreturn]] void Die(const std::string& why) {
  std::fprintf(stderr, "interchange_bench: %s\n", why.c_str());
  std::exit(1);
}

void Check(const Status& st, const std::string& what) {
  if (!st.ok()) Die(what + ": " + st.ToString());
}

Millis WallMillis() { return SystemClock().Now(); }
// The day the benchmark's payments are made.
Millis T0() { return ParseTime("2020-02-08T09:00:00+08:00").value(); }

// A child process, stopped (SIGTERM) when the benchmark ends.
struct Process {
  Process(std::vector<std::string> args, std::string log) : child(std::move(args), std::move(log)) {
    Check(child.Start(), "start");
  }
  interchange::ChildProcess child;
};

std::string Bank(int b) { return "BANK" + std::to_string(b); }
std::string Mule(int run, int b, int k) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "62%02d%03d%02d%08d", b, run, k, b * 1000 + k);
  return buf;
}

void Import(const std::string& db, const std::vector<std::pair<std::string, std::string>>& files) {
  std::vector<std::string> paths;
  for (const auto& [path, text] : files) {
    std::ofstream(path) << text;
    paths.push_back(path);
  }
  auto store = store::Store::OpenSqlite(db);
  Check(store.status(), db);
  import::Options o;
  o.progress = false;
  Check(import::ImportFiles(**store, paths, o).status, db);
}

std::vector<std::unique_ptr<Process>> StartBanks(const Args& a, const std::string& urls,
                                                 const std::string& delay) {
  std::vector<std::unique_ptr<Process>> banks;
  for (int b = 0; b < a.banks; ++b) {
    banks.push_back(std::make_unique<Process>(
        std::vector<std::string>{a.fanzha, "bank", "serve", "--institution", Bank(b), "--db",
                                 a.dir + "/" + Bank(b) + ".db", "--nats", urls, "--delay", delay,
                                 "--seed", std::to_string(b + 1)},
        a.dir + "/" + Bank(b) + ".log"));
  }
  return banks;
}

struct Percentiles {
  Millis p50, p99, max;
};
Percentiles Of(std::vector<Millis> v) {
  std::sort(v.begin(), v.end());
  auto at = [&](double q) {
    return v[std::min(v.size() - 1, static_cast<size_t>(q * (v.size() - 1) + 0.5))];
  };
  return {at(0.5), at(0.99), v.back()};
}

// ---- report -----------------------------------------------------------------------------------

// Run r: the victim pays a first mule at bank 0, which passes the money on to `accounts` mules at
// every bank (the first mule keeps a part). Every bank holds its own mules' transfers.
void RunReport(const Args& a) {
  auto nats = interchange::LocalServer::Start(a.dir + "/nats");
  Check(nats.status(), "nats-server");
  const std::string accounts_header = "account,holder,institution,region,kind,opening_balance\n";
  const std::string transfers_header = "id,time,from,to,amount,channel,memo\n";
  std::string all_accounts =
      accounts_header + "6217000000000001,苏某,CCB,330100,personal,100000000.00\n";
  std::vector<std::string> bank_accounts(a.banks, accounts_header),
      bank_transfers(a.banks, transfers_header);
  std::vector<json> reports;
  std::vector<std::map<std::string, Fen>> expected(
      a.runs);  // per run: account -> what the bank holds
  for (int r = 0; r < a.runs; ++r) {
    std::string first = Mule(r, 0, 99);
    Millis t = T0() + r * 3600000LL;
    Fen each = 100000;  // 1000 yuan to every mule
    Fen seed = each * (a.banks * a.accounts + 1);
    std::string id = "R" + std::to_string(r);
    json transfers = json::array();
    auto add = [&](const std::string& tid, Millis at, const std::string& from,
                   const std::string& to, Fen amount, int payer_bank, int payee_bank) {
      std::string row = tid + "," + FormatTime(at) + "," + from + "," + to + "," +
                        FormatMoney(amount) + ",transfer,\n";
      if (payer_bank >= 0) bank_transfers[payer_bank] += row;
      if (payee_bank >= 0 && payee_bank != payer_bank) bank_transfers[payee_bank] += row;
      transfers.push_back({{"id", tid},
                           {"time", FormatTime(at)},
                           {"from", from},
                           {"to", to},
                           {"amount", FormatMoney(amount)}});
    };
    for (std::string* acc : {&all_accounts, &bank_accounts[0]})
      *acc += first + ",首" + id + "," + Bank(0) + ",330100,personal,0\n";
    add(id + "-V", t, "6217000000000001", first, seed, -1, 0);
    expected[r][first] = each;
    int n = 0;
    for (int b = 0; b < a.banks; ++b) {
      for (int k = 0; k < a.accounts; ++k) {
        std::string m = Mule(r, b, k);
        for (std::string* acc : {&all_accounts, &bank_accounts[b]}) {
          *acc += m + ",户" + id + "-" + std::to_string(b) + "-" + std::to_string(k) + "," +
                  Bank(b) + ",330100,personal,0\n";
        }
        int serial = n++;
        add(id + "-M" + std::to_string(serial), t + 60000 + n * 1000, first, m, each, 0, b);
        expected[r][m] = each;
      }
    }
    reports.push_back({{"case",
                        {{"id", id},
                         {"reported_at", FormatTime(t + 3600000)},
                         {"region", "330102"},
                         {"victim", {{"name", "苏某"}}},
                         {"transfers", {id + "-V"}}}},
                       {"transfers", transfers}});
  }
  Import(a.dir + "/platform.db", {{a.dir + "/accounts.csv", all_accounts}});
  for (int b = 0; b < a.banks; ++b) {
    Import(a.dir + "/" + Bank(b) + ".db", {{a.dir + "/" + Bank(b) + "-a.csv", bank_accounts[b]},
                                           {a.dir + "/" + Bank(b) + "-t.csv", bank_transfers[b]}});
  }
  {
    auto store = std::move(store::Store::OpenSqlite(a.dir + "/platform.db")).value();
    Check(auth::Users(store->sql())
              .Add({"hz", auth::Role::kInvestigator, "330100", ""}, "password-hz", 1),
          "user");
  }
  auto port = interchange::FreePort();
  Check(port.status(), "port");
  auto banks = StartBanks(a, (*nats)->url(), a.delay);
  Process serve({a.fanzha, "serve", "--db", a.dir + "/platform.db", "--port", std::to_string(*port),
                 "--nats", (*nats)->url(), "--web", a.dir + "/no-web"},
                a.dir + "/serve.log");
  httplib::Client http("127.0.0.1", *port);
  http.set_read_timeout(60, 0);
  std::string token;
  for (int i = 0; i < 600 && token.empty(); ++i) {
    auto login =
        http.Post("/api/login", R"({"user":"hz","password":"password-hz"})", "application/json");
    if (login && login->status == 200)
      token = json::parse(login->body)["token"].get<std::string>();
    else
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (token.empty()) Die("fanzha serve did not come up (see " + a.dir + "/serve.log)");
  httplib::Headers auth{{"Authorization", "Bearer " + token}};
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // bank nodes bound to their streams

  std::vector<Millis> total, own, bank_part;
  for (int r = 0; r < a.runs; ++r) {
    std::string id = "R" + std::to_string(r);
    Millis t0 = WallMillis();
    auto posted = http.Post("/api/cases", auth, reports[r].dump(), "application/json");
    if (!posted || posted->status != 201)
      Die("report " + id + ": " + (posted ? posted->body : "no answer"));
    json draft = {
        {"reason", "benchmark"}, {"kind", "stop_payment"}, {"document", "止" + id}, {"send", true}};
    auto drafted =
        http.Post("/api/cases/" + id + "/freeze-orders", auth, draft.dump(), "application/json");
    if (!drafted || drafted->status != 201)
      Die("draft " + id + ": " + (drafted ? drafted->body : "no answer"));
    Millis t_sent = WallMillis();
    json orders;
    for (;;) {
      auto res = http.Get("/api/freeze-orders?case=" + id, auth);
      if (!res || res->status != 200) Die("list: " + (res ? res->body : std::string("no answer")));
      orders = json::parse(res->body)["orders"];
      bool done = !orders.empty() && std::all_of(orders.begin(), orders.end(), [](const json& o) {
        return o["status"] != "sent" && o["status"] != "planned";
      });
      if (done) break;
      if (WallMillis() - t0 > 60000) Die("report " + id + ": not every order answered within 60 s");
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    Millis t_end = WallMillis();
    if (orders.size() != expected[r].size())
      Die(id + ": " + std::to_string(orders.size()) + " orders, expected " +
          std::to_string(expected[r].size()));
    Millis worst_own = 0, last_bank = 0, last_answer = 0;
    for (const json& o : orders) {
      std::string account = o["account"];
      if (o["status"] != "executed")
        Die(id + ": order at " + account + " is " + o["status"].get<std::string>() + ": " +
            o["reason"].get<std::string>());
      if (ParseMoney(o["frozen"].get<std::string>()).value() != expected[r][account]) {
        Die(id + ": " + account + " froze " + o["frozen"].get<std::string>() + ", the bank holds " +
            FormatMoney(expected[r][account]));
      }
      auto h = http.Get("/api/freeze-orders/" + std::to_string(o["id"].get<int64_t>()) + "/history",
                        auth);
      json req = json::parse(h->body)["interchange"][0];
      Millis answered = ParseTime(req["answered_at"].get<std::string>()).value();
      Millis bank_ms = req["bank_ms"].get<int64_t>();
      worst_own = std::max(worst_own, answered - t0 - bank_ms);
      if (answered > last_answer) last_answer = answered, last_bank = bank_ms;
    }
    total.push_back(t_end - t0);
    own.push_back(worst_own);
    bank_part.push_back(last_bank);
    std::printf(
        "report %s: %zu stop-payments at %d banks, end to end %lld ms (sent after %lld ms), the "
        "last "
        "bank's own time %lld ms, fanzha's part at most %lld ms\n",
        id.c_str(), orders.size(), a.banks, static_cast<long long>(t_end - t0),
        static_cast<long long>(t_sent - t0), static_cast<long long>(last_bank),
        static_cast<long long>(worst_own));
  }
  Percentiles t = Of(total), o = Of(own), b = Of(bank_part);
  std::printf(
      "RESULT report banks=%d accounts_per_bank=%d delay=%s runs=%d: end to end median %lld ms max "
      "%lld ms; "
      "banks' simulated time of the last answer median %lld ms; fanzha's own part median %lld ms "
      "max %lld ms\n",
      a.banks, a.accounts, a.delay.c_str(), a.runs, static_cast<long long>(t.p50),
      static_cast<long long>(t.max), static_cast<long long>(b.p50), static_cast<long long>(o.p50),
      static_cast<long long>(o.max));
}

// ---- throughput -------------------------------------------------------------------------------

void RunThroughput(const Args& a) {
  auto nats = interchange::LocalServer::Start(a.dir + "/nats");
  Check(nats.status(), "nats-server");
  std::string accounts = "account,holder,institution,region,kind,opening_balance\n";
  std::vector<std::string> transfers(a.banks, "id,time,from,to,amount,channel,memo\n");
  freeze::Plan plan;
  plan.case_id = "LOAD";
  Millis t = T0();
  for (int i = 0; i < a.orders; ++i) {
    int b = i % a.banks;
    std::string account = "62" + std::to_string(1000000000 + i);
    std::string holder = "户" + std::to_string(i);
    Millis at = t + i * 1000LL;
    Fen amount = 100000 + (i % 977);
    accounts += account + "," + holder + "," + Bank(b) + ",330100,personal,0\n";
    transfers[b] += "P" + std::to_string(i) + "," + FormatTime(at) + ",6217000000000001," +
                    account + "," + FormatMoney(amount) + ",transfer,\n";
    plan.items.push_back(freeze::PlanItem{account, Bank(b), "330100", amount, 1, at, 0, "critical",
                                          holder, "P" + std::to_string(i), amount, at});
  }
  for (int b = 0; b < a.banks; ++b) {
    Import(a.dir + "/" + Bank(b) + ".db", {{a.dir + "/" + Bank(b) + "-a.csv", accounts},
                                           {a.dir + "/" + Bank(b) + "-t.csv", transfers[b]}});
  }
  auto store = std::move(store::Store::OpenSqlite(a.dir + "/platform.db")).value();
  freeze::OrderBook book(store->sql());
  freeze::DraftOptions draft;
  draft.kind = freeze::OrderKind::kStopPayment;
  draft.mandate = freeze::Mandate{"止LOAD", "bench", "330100"};
  auto drafted = book.Draft(plan, draft, WallMillis());
  Check(drafted.status(), "draft");
  auto banks = StartBanks(a, (*nats)->url(), "0ms");
  interchange::PlatformOptions po;
  po.db = a.dir + "/platform.db";
  po.nats.url = (*nats)->url();
  const audit::Key audit_key =
      audit::Key::FromBytes({42});  // the store's audit chain is the bench's own
  po.audit_key = &audit_key;
  auto platform = interchange::Platform::Start(po);
  Check(platform.status(), "platform");
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // bank nodes bound to their streams

  // Feed: every 100 ms, the orders due by then move to `sent` (one transaction) and the platform
  // is woken, as the server does after a move.
  std::map<int64_t, Millis> sent_at;
  Millis start = WallMillis();
  size_t next = 0;
  while (next < drafted->size()) {
    Millis now = WallMillis();
    size_t due =
        std::min(drafted->size(), static_cast<size_t>((now - start) * a.rate / 60000.0) + 1);
    if (due > next) {
      auto tx = std::move(store::SqlTransaction::Begin(&store->sql())).value();
      for (; next < due; ++next) {
        int64_t id = (*drafted)[next].order.id;
        Check(book.Move(id, freeze::OrderStatus::kSent, std::nullopt, "", now).status(), "move");
        sent_at[id] = now;
      }
      Check(tx.Commit(), "commit");
      (*platform)->Wake();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  Millis fed = WallMillis();
  auto answered = [&] { return (*platform)->stats().applied; };
  while (answered() < a.orders) {
    if (WallMillis() - fed > 60000)
      Die(std::to_string(answered()) + " of " + std::to_string(a.orders) +
          " answered 60 s after the last was sent");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  Millis end = WallMillis();
  (*platform)->Stop();
  auto requests = interchange::ListRequests(store->sql(), 0, 2 * static_cast<size_t>(a.orders));
  Check(requests.status(), "read");
  std::vector<Millis> latency;
  for (const interchange::RequestRow& r : *requests) {
    auto o = book.Get(r.order_id);
    Check(o.status(), "read");
    if (!o->has_value() || (*o)->status != freeze::OrderStatus::kExecuted ||
        (*o)->frozen != (*o)->requested) {
      Die("order " + std::to_string(r.order_id) + " is " +
          (o->has_value()
               ? std::string(freeze::Name((*o)->status)) + " holding " + FormatMoney((*o)->frozen)
               : std::string("missing")));
    }
    latency.push_back(r.answered_at - sent_at.at(r.order_id));
  }
  if (latency.size() != static_cast<size_t>(a.orders))
    Die("lost orders: " + std::to_string(latency.size()));
  auto stats = (*platform)->stats();
  Percentiles p = Of(latency);
  std::printf(
      "RESULT throughput banks=%d orders=%d rate=%d/min: fed in %.1f s, all answered %.1f s after "
      "the first "
      "(%.0f orders a minute); answer latency p50 %lld ms p99 %lld ms max %lld ms; lost 0; "
      "duplicates dropped %lld, faults %lld\n",
      a.banks, a.orders, a.rate, (fed - start) / 1000.0, (end - start) / 1000.0,
      a.orders * 60000.0 / std::max<Millis>(1, end - start), static_cast<long long>(p.p50),
      static_cast<long long>(p.p99), static_cast<long long>(p.max),
      static_cast<long long>(stats.duplicates), static_cast<long long>(stats.faults));
}

}  // namespace
}  // namespace fanzha

int main(int argc, char** argv) {
  using namespace fanzha;
  Args a;
  if (argc < 2) Die("usage: interchange_bench report|throughput --fanzha PATH [options]");
  a.mode = argv[1];
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--fanzha")
      a.fanzha = v;
    else if (k == "--banks")
      a.banks = std::stoi(v);
    else if (k == "--accounts")
      a.accounts = std::stoi(v);
    else if (k == "--delay")
      a.delay = v;
    else if (k == "--runs")
      a.runs = std::stoi(v);
    else if (k == "--orders")
      a.orders = std::stoi(v);
    else if (k == "--rate")
      a.rate = std::stoi(v);
    else if (k == "--dir")
      a.dir = v;
    else
      Die("unknown option " + k);
  }
  if (a.dir.empty()) {
    a.dir = (std::filesystem::temp_directory_path() /
             ("interchange_bench_" + std::to_string(::getpid())))
                .string();
  }
  std::filesystem::remove_all(a.dir);
  std::filesystem::create_directories(a.dir);
  if (a.mode == "report")
    RunReport(a);
  else if (a.mode == "throughput")
    RunThroughput(a);
  else
    Die("unknown mode " + a.mode);
  std::filesystem::remove_all(a.dir);
  return 0;
}
