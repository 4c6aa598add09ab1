// The bank interchange over a real nats-server (each test starts its own: a temporary folder,
// loopback, free ports): a report posted -> stop-payments drafted and sent -> three bank nodes
// execute or reject -> the orders show it with nothing moved by hand; renewal, release, a lapse
// and a statement query through the HTTP API; bad messages of every kind; and a 3-node JetStream
// cluster losing a server and a bank node in the middle of 1,000 orders.
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "audit/audit.h"
#include "auth/auth.h"
#include "bank/bank.h"
#include "federated/split_world.h"
#include "freeze/freeze.h"
#include "import/import.h"
#include "interchange/local_server.h"
#include "interchange/platform.h"
#include "server/server.h"

namespace fanzha {
namespace {

using interchange::LocalServer;
using nlohmann::json;

// The audit chain's key of the platforms these tests start themselves.
const audit::Key kAuditKey = audit::Key::FromBytes({42});

constexpr Millis kHour = 3600 * 1000;
Millis T(const char* text) { return ParseTime(text).value(); }

std::string TempDir(const std::string& name) {
  std::string dir = (std::filesystem::temp_directory_path() /
                     ("interchange_nats_" + name + "_" + std::to_string(::getpid())))
                        .string();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// A store with the given files imported (what `fanzha import` does).
void ImportInto(const std::string& db,
                const std::vector<std::pair<std::string, std::string>>& files) {
  std::vector<std::string> paths;
  for (const auto& [path, text] : files) {
    std::ofstream(path) << text;
    paths.push_back(path);
  }
  auto store = store::Store::OpenSqlite(db);
  ASSERT_TRUE(store.ok()) << store.status().message();
  import::Options o;
  o.progress = false;
  auto out = import::ImportFiles(**store, paths, o);
  ASSERT_TRUE(out.status.ok()) << out.status.message();
}

// Waits (in real time: other processes are at work) until `done` or `limit` passes.
bool WaitFor(const std::function<bool()>& done, Millis limit) {
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(limit);
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  return done();
}

// The last `bytes` of a child's log, for a failure's message.
std::string LogTail(const std::string& path, size_t bytes = 4000) {
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return "\n--- " + path + " ---\n" + text.substr(text.size() > bytes ? text.size() - bytes : 0);
}

int64_t Count(store::SqlDatabase& db, const std::string& sql) {
  auto st = db.Prepare(sql);
  EXPECT_TRUE(st.ok()) << st.status().message();
  auto row = (*st)->Step();
  EXPECT_TRUE(row.ok() && *row) << sql;
  return (*st)->ColumnInt64(0);
}

std::string Stops(const std::string& id) { return "杭公反诈止〔2020〕" + id + "号"; }

// `fanzha serve` in this process on a free port, and an HTTP client to it.
class Served {
 public:
  explicit Served(server::ServerOptions options) {
    options.port = 0;
    auto srv = server::Server::Open(options);
    EXPECT_TRUE(srv.ok()) << srv.status().message();
    if (!srv.ok()) return;
    server_ = std::move(srv).value();
    Status started = server_->Start();
    EXPECT_TRUE(started.ok()) << started.message();
    if (!started.ok()) return;
    http_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    http_->set_read_timeout(60, 0);
  }
  ~Served() { Stop(); }
  bool ok() const { return http_ != nullptr; }
  httplib::Client& http() { return *http_; }
  void Stop() {
    if (server_) server_->Stop();
    server_.reset();
  }
  // The bearer header of user `who` (password "password-<who>"); no header when the login fails.
  httplib::Headers Login(const std::string& who) {
    auto res =
        http_->Post("/api/login", json{{"user", who}, {"password", "password-" + who}}.dump(),
                    "application/json");
    EXPECT_TRUE(res && res->status == 200) << (res ? res->body : "no answer");
    if (!res || res->status != 200) return {};
    return httplib::Headers{
        {"Authorization", "Bearer " + json::parse(res->body)["token"].get<std::string>()}};
  }

 private:
  std::unique_ptr<server::Server> server_;
  std::unique_ptr<httplib::Client> http_;
};

// ---- a case traced through the banks from the dashboard's API ----

// POST /api/cases/{id}/federated-trace starts the walk; GET follows it round by round and, when it
// is done, gives the answer of a trace over every bank's transfers, with the stop-payments it sent
// on the way and every statement query audited. Roles and the missing interchange are refused.
TEST(Interchange, ACaseTracedThroughTheBanksFromTheApiEqualsTheCentralTrace) {
  using namespace federated::testing_support;  // NOLINT: the split worlds of the federated tests
  std::string dir = TempDir("federated");
  World w = MakeWorld(8, 12, 60);
  SplitWorld split(w, dir + "/world");
  auto nats = LocalServer::Start(dir + "/nats");
  ASSERT_TRUE(nats.ok()) << nats.status().message();
  std::vector<std::unique_ptr<bank::Node>> banks;
  for (int b = 0; b < w.banks; ++b) {
    bank::NodeOptions o;
    o.institution = Bank(b);
    o.db = split.bank_db(b);
    o.nats.url = (*nats)->url();
    auto node = bank::Node::Start(o);
    ASSERT_TRUE(node.ok()) << node.status().message();
    banks.push_back(std::move(node).value());
  }
  {
    auto store = std::move(store::Store::OpenSqlite(split.platform_db())).value();
    ASSERT_TRUE(auth::Users(store->sql())
                    .Add({"hz", auth::Role::kInvestigator, "330100", ""}, "password-hz", 1)
                    .ok());
    ASSERT_TRUE(auth::Users(store->sql())
                    .Add({"audit", auth::Role::kAuditor, "", ""}, "password-audit", 1)
                    .ok());
  }
  const std::string case_id = w.cases.begin()->first;
  const std::string path = "/api/cases/" + case_id + "/federated-trace";
  const json start = {{"reason", "follow the victim's money"},
                      {"document", "公(杭)查字[2020]009号"},
                      {"stop_payments", true}};
  {  // without the interchange: refused, saying how to get it
    server::ServerOptions so;
    so.db = split.platform_db();
    Served served(so);
    ASSERT_TRUE(served.ok());
    auto res = served.http().Post(path, served.Login("hz"), start.dump(), "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 409) << res->body;
    EXPECT_NE(res->body.find("--nats"), std::string::npos);
  }
  server::ServerOptions so;
  so.db = split.platform_db();
  so.nats_url = (*nats)->url();
  Served served(so);
  ASSERT_TRUE(served.ok());
  httplib::Client& http = served.http();
  httplib::Headers hz = served.Login("hz");
  auto refused = http.Post(path, served.Login("audit"), start.dump(), "application/json");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 403) << "an auditor asks no bank";
  auto no_document = http.Post(path, hz, json{{"reason", "r"}}.dump(), "application/json");
  ASSERT_TRUE(no_document);
  EXPECT_EQ(no_document->status, 400);
  EXPECT_NE(no_document->body.find("协查文书"), std::string::npos);
  std::string until = FormatTime(w.last);
  until.replace(until.find('+'), 1, "%2B");  // the horizon of the central trace
  auto started = http.Post(path + "?until=" + until, hz, start.dump(), "application/json");
  ASSERT_TRUE(started);
  ASSERT_EQ(started->status, 202) << started->body;
  EXPECT_EQ(json::parse(started->body)["status"], "running");
  json doc;
  ASSERT_TRUE(WaitFor(
      [&] {
        auto res = http.Get(path + "?reason=check", hz);
        if (!res || res->status != 200) return false;
        doc = json::parse(res->body);
        return doc["status"] != "running";
      },
      60000))
      << doc.dump();
  ASSERT_EQ(doc["status"], "done") << doc.dump();
  json answer = doc["answer"];
  EXPECT_TRUE(answer["complete"].get<bool>()) << answer["gaps"].dump();
  EXPECT_GE(answer["progress"]["asked"].get<int>(), 1);
  answer.erase("complete");
  answer.erase("gaps");
  answer.erase("progress");
  trace::Options options;
  EXPECT_EQ(answer.dump(1),
            json::parse(trace::ToJson(split.Central(case_id, options), case_id).dump()).dump(1));
  EXPECT_FALSE(doc["orders"].empty()) << "stop-payments went out as the money was found";
  for (const json& o : doc["orders"]) EXPECT_EQ(o["kind"], "stop_payment");
  auto audit_log = http.Get("/api/audit?limit=1000", served.Login("audit"));
  ASSERT_TRUE(audit_log && audit_log->status == 200);
  EXPECT_NE(audit_log->body.find("statement.ask"), std::string::npos);
  EXPECT_NE(audit_log->body.find("case.trace_via_banks"), std::string::npos);
  for (auto& b : banks) b->Stop();
}

// ---- a report posted -> stop-payments at three banks -> the orders show the answers ----

TEST(Interchange, AReportedCasesStopPaymentsAreExecutedOrRejectedByThreeBanks) {
  std::string dir = TempDir("report");
  auto nats = LocalServer::Start(dir + "/nats");
  ASSERT_TRUE(nats.ok()) << nats.status().message();
  const std::string accounts_header = "account,holder,institution,region,kind,opening_balance\n";
  const std::string transfers_header = "id,time,from,to,amount,channel,memo\n";
  const std::string t1 =
      "T1,2020-02-08T09:00:00+08:00,6217000000000001,6222000000000001,50000.00,transfer,\n";
  const std::string t2 =
      "T2,2020-02-08T09:10:00+08:00,6222000000000001,6228000000000002,30000.00,transfer,\n";
  const std::string t3 =
      "T3,2020-02-08T09:20:00+08:00,6222000000000001,6216000000000003,10000.00,transfer,\n";
  // The platform knows the accounts (as the banks' data said when the case came in).
  ImportInto(dir + "/platform.db",
             {{dir + "/accounts.csv", accounts_header +
                                          "6217000000000001,苏某,CCB,330100,personal,90000.00\n"
                                          "6222000000000001,王某,ICBC,330100,personal,0\n"
                                          "6228000000000002,李某,ABC,450100,personal,0\n"
                                          "6216000000000003,张某,BOC,450100,personal,0\n"}});
  {
    auto store = std::move(store::Store::OpenSqlite(dir + "/platform.db")).value();
    ASSERT_TRUE(auth::Users(store->sql())
                    .Add({"hz", auth::Role::kInvestigator, "330100", ""}, "password-hz", 1)
                    .ok());
    ASSERT_TRUE(auth::Users(store->sql())
                    .Add({"audit", auth::Role::kAuditor, "", ""}, "password-audit", 1)
                    .ok());
  }
  // Each bank holds its own customers and their transfers; BOC knows its customer as 张三.
  ImportInto(
      dir + "/icbc.db",
      {{dir + "/icbc-a.csv", accounts_header + "6222000000000001,王某,ICBC,330100,personal,0\n"},
       {dir + "/icbc-t.csv", transfers_header + t1 + t2 + t3}});
  ImportInto(dir + "/abc.db", {{dir + "/abc-a.csv",
                                accounts_header + "6228000000000002,李某,ABC,450100,personal,0\n"},
                               {dir + "/abc-t.csv", transfers_header + t2}});
  ImportInto(dir + "/boc.db", {{dir + "/boc-a.csv",
                                accounts_header + "6216000000000003,张三,BOC,450100,personal,0\n"},
                               {dir + "/boc-t.csv", transfers_header + t3}});
  std::vector<std::unique_ptr<bank::Node>> banks;
  for (auto [name, db] : {std::pair{"ICBC", "icbc.db"}, {"ABC", "abc.db"}, {"BOC", "boc.db"}}) {
    bank::NodeOptions o;
    o.institution = name;
    o.db = dir + "/" + db;
    o.nats.url = (*nats)->url();
    auto node = bank::Node::Start(o);
    ASSERT_TRUE(node.ok()) << node.status().message();
    banks.push_back(std::move(node).value());
  }
  server::ServerOptions so;
  so.db = dir + "/platform.db";
  so.nats_url = (*nats)->url();
  Served served(so);
  ASSERT_TRUE(served.ok());
  httplib::Client& http = served.http();
  httplib::Headers hz = served.Login("hz");

  json report = {{"case",
                  {{"id", "HZ-1"},
                   {"reported_at", "2020-02-08T10:00:00+08:00"},
                   {"region", "330102"},
                   {"victim", {{"name", "苏某"}, {"account", "6217000000000001"}}},
                   {"transfers", {"T1"}}}},
                 {"transfers",
                  {{{"id", "T1"},
                    {"time", "2020-02-08T09:00:00+08:00"},
                    {"from", "6217000000000001"},
                    {"to", "6222000000000001"},
                    {"amount", "50000"}},
                   {{"id", "T2"},
                    {"time", "2020-02-08T09:10:00+08:00"},
                    {"from", "6222000000000001"},
                    {"to", "6228000000000002"},
                    {"amount", "30000"}},
                   {{"id", "T3"},
                    {"time", "2020-02-08T09:20:00+08:00"},
                    {"from", "6222000000000001"},
                    {"to", "6216000000000003"},
                    {"amount", "10000"}}}}};
  auto posted = http.Post("/api/cases", hz, report.dump(), "application/json");
  ASSERT_TRUE(posted && posted->status == 201) << (posted ? posted->body : "no answer");
  json draft = {
      {"reason", "紧急止付"}, {"kind", "stop_payment"}, {"document", Stops("1")}, {"send", true}};
  auto drafted = http.Post("/api/cases/HZ-1/freeze-orders", hz, draft.dump(), "application/json");
  ASSERT_TRUE(drafted && drafted->status == 201) << (drafted ? drafted->body : "no answer");
  EXPECT_EQ(json::parse(drafted->body)["orders"].size(), 3u);

  json orders;
  bool answered = WaitFor(
      [&] {
        auto res = http.Get("/api/freeze-orders?case=HZ-1", hz);
        if (!res || res->status != 200) return false;
        orders = json::parse(res->body)["orders"];
        for (const auto& o : orders) {
          if (o["status"] == "sent" || o["status"] == "planned") return false;
        }
        return orders.size() == 3;
      },
      30000);
  ASSERT_TRUE(answered) << orders.dump(1);
  std::map<std::string, json> by_bank;
  for (const auto& o : orders) by_bank[o["institution"]] = o;
  EXPECT_EQ(by_bank["ICBC"]["status"], "executed");
  EXPECT_EQ(by_bank["ICBC"]["frozen"], "10000.00");
  EXPECT_EQ(by_bank["ICBC"]["kind"], "stop_payment");
  EXPECT_FALSE(by_bank["ICBC"]["deadline"].is_null());
  EXPECT_EQ(by_bank["ABC"]["status"], "executed");
  EXPECT_EQ(by_bank["ABC"]["frozen"], "30000.00");
  EXPECT_EQ(by_bank["BOC"]["status"], "rejected");
  EXPECT_NE(by_bank["BOC"]["reason"].get<std::string>().find("facts_mismatch (account_name)"),
            std::string::npos)
      << by_bank["BOC"]["reason"];
  EXPECT_NE(by_bank["BOC"]["reason"].get<std::string>().find("户名"), std::string::npos);
  // Nothing was moved by hand: every move after `sent` is the interchange's, audited as such.
  auto history = http.Get(
      "/api/freeze-orders/" + std::to_string(by_bank["ICBC"]["id"].get<int64_t>()) + "/history",
      hz);
  ASSERT_TRUE(history && history->status == 200);
  EXPECT_EQ(json::parse(history->body)["interchange"][0]["status"], "executed");
  auto log = http.Get("/api/audit?limit=1000", served.Login("audit"));
  ASSERT_TRUE(log && log->status == 200);
  int answers = 0, manual_moves = 0;
  json entries = json::parse(log->body)["entries"];  // by value: not a loop over a destroyed result
  for (const auto& e : entries) {
    answers += e["action"] == "freeze.answer";
    manual_moves += e["action"] == "freeze.move";
  }
  EXPECT_EQ(answers, 3);
  EXPECT_EQ(manual_moves, 0);
}

// ---- the legal clocks through the HTTP API: due, renewal, release, a lapse nobody asked about,
// and a statement query answered into the store ----

TEST(Interchange, RenewalReleaseLapseAndStatementQueryGoThroughTheBankByThemselves) {
  std::string dir = TempDir("clocks");
  auto nats = LocalServer::Start(dir + "/nats");
  ASSERT_TRUE(nats.ok()) << nats.status().message();
  const std::string accounts_header = "account,holder,institution,region,kind,opening_balance\n";
  const std::string transfers_header = "id,time,from,to,amount,channel,memo\n";
  const std::string mules =
      "6222000000000001,王某,ICBC,330100,personal,0\n"
      "6222000000000002,李某,ICBC,330100,personal,0\n";
  const std::string t1 =
      "T1,2020-02-08T09:00:00+08:00,6217000000000001,6222000000000001,50000.00,transfer,\n";
  const std::string t2 =
      "T2,2020-02-08T09:10:00+08:00,6222000000000001,6222000000000002,30000.00,transfer,\n";
  // Only the bank knows that 李某 moved 5,000 on: the platform learns it from the statement.
  const std::string t4 =
      "T4,2020-02-08T09:40:00+08:00,6222000000000002,6225000000000009,5000.00,transfer,\n";
  ImportInto(dir + "/platform.db",
             {{dir + "/accounts.csv",
               accounts_header + "6217000000000001,苏某,CCB,330100,personal,90000.00\n" + mules}});
  {
    auto store = std::move(store::Store::OpenSqlite(dir + "/platform.db")).value();
    ASSERT_TRUE(auth::Users(store->sql())
                    .Add({"hz", auth::Role::kInvestigator, "330100", ""}, "password-hz", 1)
                    .ok());
    ASSERT_TRUE(auth::Users(store->sql())
                    .Add({"centre", auth::Role::kCentre, "330100", ""}, "password-centre", 1)
                    .ok());
  }
  ImportInto(dir + "/icbc.db", {{dir + "/icbc-a.csv", accounts_header + mules},
                                {dir + "/icbc-t.csv", transfers_header + t1 + t2 + t4}});
  // One clock for the platform and the bank, moved by the test; the server sweeps every 50 ms.
  ManualClock clock(T("2020-02-08T11:00:00+08:00"));
  bank::NodeOptions bo;
  bo.institution = "ICBC";
  bo.db = dir + "/icbc.db";
  bo.nats.url = (*nats)->url();
  bo.clock = &clock;
  auto bank = bank::Node::Start(bo);
  ASSERT_TRUE(bank.ok()) << bank.status().message();
  server::ServerOptions so;
  so.db = dir + "/platform.db";
  so.nats_url = (*nats)->url();
  so.clock = &clock;
  so.sweep_every = 50;
  Served served(so);
  ASSERT_TRUE(served.ok());
  httplib::Client& http = served.http();
  httplib::Headers hz = served.Login("hz");
  auto get = [&](const std::string& path) {
    auto res = http.Get(path, hz);
    EXPECT_TRUE(res && res->status == 200) << path << ": " << (res ? res->body : "no answer");
    return res && res->status == 200 ? json::parse(res->body) : json();
  };
  auto post = [&](const std::string& path, const json& body, int expect) {
    auto res = http.Post(path, hz, body.dump(), "application/json");
    EXPECT_TRUE(res && res->status == expect) << path << ": " << (res ? res->body : "no answer");
    return res ? json::parse(res->body, nullptr, false) : json();
  };

  json report = {{"case",
                  {{"id", "HZ-2"},
                   {"reported_at", "2020-02-08T10:00:00+08:00"},
                   {"region", "330102"},
                   {"victim", {{"name", "苏某"}, {"account", "6217000000000001"}}},
                   {"transfers", {"T1"}}}},
                 {"transfers",
                  {{{"id", "T1"},
                    {"time", "2020-02-08T09:00:00+08:00"},
                    {"from", "6217000000000001"},
                    {"to", "6222000000000001"},
                    {"amount", "50000"}},
                   {{"id", "T2"},
                    {"time", "2020-02-08T09:10:00+08:00"},
                    {"from", "6222000000000001"},
                    {"to", "6222000000000002"},
                    {"amount", "30000"}}}}};
  post("/api/cases", report, 201);
  json drafted = post(
      "/api/cases/HZ-2/freeze-orders",
      {{"reason", "紧急止付"}, {"kind", "stop_payment"}, {"document", Stops("2")}, {"send", true}},
      201);
  ASSERT_EQ(drafted["orders"].size(), 2u) << drafted.dump(1);
  std::map<std::string, int64_t> id;
  for (const auto& o : drafted["orders"]) id[o["account"]] = o["id"];
  const std::string wang = "/api/freeze-orders/" + std::to_string(id["6222000000000001"]);
  const std::string li = "/api/freeze-orders/" + std::to_string(id["6222000000000002"]);
  ASSERT_TRUE(WaitFor(
      [&] { return get(wang)["status"] == "executed" && get(li)["status"] == "executed"; }, 30000));
  const Millis executed_at = clock.Now();
  EXPECT_EQ(get(wang)["frozen"], "20000.00");
  // The trace held 30,000 at 李某; the bank holds what is left there after T4, and says so.
  EXPECT_EQ(get(li)["amount"], "30000.00");
  EXPECT_EQ(get(li)["frozen"], "25000.00");
  EXPECT_EQ(get(li)["deadline"], FormatTime(executed_at + 48 * kHour));

  // Due soon: within 49 hours both, within 47 neither.
  EXPECT_EQ(get("/api/freeze-orders/due?within=49h")["orders"].size(), 2u);
  EXPECT_EQ(get("/api/freeze-orders/due?within=47h")["orders"].size(), 0u);
  post(wang + "/renew", {{"document", "杭公反诈续止〔2020〕2号"}, {"reason", "续止"}}, 201);
  ASSERT_TRUE(WaitFor([&] { return get(wang)["renewal_pending"] == 0; }, 30000));
  EXPECT_EQ(get(wang)["renewals"], 1);
  EXPECT_EQ(get(wang)["deadline"], FormatTime(executed_at + 96 * kHour));
  // Released by an order of its own, sent at once.
  json release =
      post(wang + "/release",
           {{"document", "杭公反诈解冻〔2020〕2号"}, {"reason", "退还"}, {"send", true}}, 201);
  const std::string release_path =
      "/api/freeze-orders/" + std::to_string(release["id"].get<int64_t>());
  ASSERT_TRUE(WaitFor([&] { return get(release_path)["status"] == "executed"; }, 30000));
  EXPECT_EQ(get(wang)["status"], "released");
  EXPECT_EQ(get(wang)["frozen"], "20000.00");  // what was held until the release lifted it

  // 李某's stop-payment is not renewed: past its deadline the server marks it expired by itself.
  clock.Set(executed_at + 49 * kHour);
  // The server checks sessions on its one clock too: two days on, the morning's session has ended.
  ASSERT_EQ(http.Get(li, hz)->status, 401);
  hz = served.Login("hz");
  ASSERT_TRUE(WaitFor(
      [&] {
        auto res = http.Get(li, hz);
        return res && res->status == 200 && json::parse(res->body)["status"] == "expired";
      },
      30000));
  EXPECT_EQ(get(li)["expired_at"], FormatTime(executed_at + 48 * kHour));
  EXPECT_EQ(get(wang)["status"], "released");  // a released order does not lapse

  // A statement query (明细查询): the bank's postings of 李某 come back into the platform's store.
  json asked = post("/api/statement-queries",
                    {{"case", "HZ-2"},
                     {"account", "6222000000000002"},
                     {"institution", "ICBC"},
                     {"holder", "李某"},
                     {"from", "2020-02-08T00:00:00+08:00"},
                     {"to", "2020-02-09T00:00:00+08:00"},
                     {"document", "杭公反诈调〔2020〕2号"},
                     {"reason", "调单"}},
                    201);
  httplib::Headers centre = served.Login("centre");
  json query;
  ASSERT_TRUE(WaitFor(
      [&] {
        auto res = http.Get("/api/statement-queries?account=6222000000000002", centre);
        if (!res || res->status != 200) return false;
        query = json::parse(res->body)["queries"][0];
        return query["status"] != "queued" && query["status"] != "sent";
      },
      30000))
      << query.dump();
  EXPECT_EQ(query["status"], "answered") << query.dump();
  EXPECT_EQ(query["rows"], 2);  // T2 in, T4 out
  served.Stop();
  (*bank)->Stop();
  auto platform = std::move(store::Store::OpenSqlite(dir + "/platform.db")).value();
  EXPECT_EQ(Count(platform->sql(), "SELECT COUNT(*) FROM transfers WHERE id = 'T4'"), 1);
  EXPECT_EQ(Count(platform->sql(), "SELECT COUNT(*) FROM audit_log WHERE action = 'freeze.expire'"),
            1);
  EXPECT_EQ(Count(platform->sql(), "SELECT COUNT(*) FROM audit_log WHERE action = 'freeze.move'"),
            0);
}

// ---- bad messages of every kind, the clocks, duplicates: over a real server ----

class InterchangeFaults : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir(testing::UnitTest::GetInstance()->current_test_info()->name());
    auto nats = LocalServer::Start(dir_ + "/nats");
    ASSERT_TRUE(nats.ok()) << nats.status().message();
    nats_ = std::move(nats).value();
    const std::string accounts =
        "account,holder,institution,region,kind,opening_balance\n"
        "6222000000000001,王某,ICBC,330100,personal,0\n";
    ImportInto(
        dir_ + "/icbc.db",
        {{dir_ + "/a.csv", accounts},
         {dir_ + "/t.csv",
          "id,time,from,to,amount,channel,memo\n"
          "T1,2020-02-08T09:00:00+08:00,6217000000000001,6222000000000001,50000.00,transfer,\n"}});
    ImportInto(dir_ + "/platform.db", {{dir_ + "/pa.csv", accounts}});
    auto store = store::Store::OpenSqlite(dir_ + "/platform.db");
    ASSERT_TRUE(store.ok());
    store_ = std::move(store).value();
    bank::NodeOptions b;
    b.institution = "ICBC";
    b.db = dir_ + "/icbc.db";
    b.nats.url = nats_->url();
    b.clock = &bank_clock_;
    auto node = bank::Node::Start(b);
    ASSERT_TRUE(node.ok()) << node.status().message();
    bank_ = std::move(node).value();
    interchange::PlatformOptions p;
    p.db = dir_ + "/platform.db";
    p.nats.url = nats_->url();
    p.clock = &clock_;
    p.audit_key = &kAuditKey;
    auto platform = interchange::Platform::Start(p);
    ASSERT_TRUE(platform.ok()) << platform.status().message();
    platform_ = std::move(platform).value();
    interchange::NatsOptions raw;
    raw.url = nats_->url();
    auto conn = interchange::Connection::Open(raw);
    ASSERT_TRUE(conn.ok());
    raw_ = std::move(conn).value();
  }
  void TearDown() override {
    if (platform_) platform_->Stop();
    if (bank_) bank_->Stop();
  }

  // A sent stop-payment of account `account` (holder 王某, the victim's payment T1).
  int64_t SendStop(const std::string& case_id, const std::string& account = "6222000000000001") {
    freeze::Plan plan;
    plan.case_id = case_id;
    plan.items.push_back(freeze::PlanItem{account, "ICBC", "330100", 3000000, 1, 0, 5, "critical",
                                          "王某", "T1", 5000000, T("2020-02-08T09:00:00+08:00")});
    freeze::DraftOptions o;
    o.kind = freeze::OrderKind::kStopPayment;
    o.mandate = freeze::Mandate{Stops(case_id), "li", "330100"};
    freeze::OrderBook book(store_->sql());
    auto d = book.Draft(plan, o, clock_.Now());
    EXPECT_TRUE(d.ok()) << d.status().message();
    int64_t id = d->at(0).order.id;
    EXPECT_TRUE(book.Move(id, freeze::OrderStatus::kSent, std::nullopt, "", clock_.Now()).ok());
    platform_->Wake();
    return id;
  }
  freeze::Order Order(int64_t id) { return freeze::OrderBook(store_->sql()).Get(id)->value(); }
  bool Settles(int64_t id) {
    return WaitFor([&] { return Order(id).status != freeze::OrderStatus::kSent; }, 20000);
  }
  int64_t Faults() { return Count(store_->sql(), "SELECT COUNT(*) FROM interchange_faults"); }

  std::string dir_;
  ManualClock clock_{T("2020-02-09T00:00:00+08:00")};
  ManualClock bank_clock_{T("2020-02-09T00:00:00+08:00")};
  std::unique_ptr<LocalServer> nats_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<bank::Node> bank_;
  std::unique_ptr<interchange::Platform> platform_;
  std::unique_ptr<interchange::Connection> raw_;
};

TEST_F(InterchangeFaults, AnAccountUnknownToTheBankIsRejectedSayingSo) {
  int64_t id = SendStop("C1", "6222999999999999");
  ASSERT_TRUE(Settles(id));
  freeze::Order o = Order(id);
  EXPECT_EQ(o.status, freeze::OrderStatus::kRejected);
  EXPECT_NE(o.reason.find("unknown_account (account_number)"), std::string::npos) << o.reason;
}

TEST_F(InterchangeFaults, ARenewalAfterTheDeadlineIsRejectedAndTheOrderLapses) {
  int64_t id = SendStop("C1");
  ASSERT_TRUE(Settles(id));
  ASSERT_EQ(Order(id).status, freeze::OrderStatus::kExecuted);
  Millis deadline = Order(id).deadline;
  EXPECT_EQ(deadline, bank_clock_.Now() + 48 * kHour);
  // The platform asks in time by its clock; the request reaches the bank after the deadline.
  clock_.Set(deadline - kHour);
  bank_clock_.Set(deadline + kHour);
  freeze::OrderBook book(store_->sql());
  ASSERT_TRUE(book.RequestRenewal(id, freeze::Mandate{"续止1", "li", ""}, clock_.Now()).ok());
  platform_->Wake();
  ASSERT_TRUE(WaitFor([&] { return Order(id).renewal_pending == 0; }, 20000));
  auto renewals = book.Renewals(id);
  ASSERT_EQ(renewals->size(), 1u);
  EXPECT_EQ(renewals->at(0).status, "rejected");
  EXPECT_NE(renewals->at(0).reason.find("deadline_passed"), std::string::npos)
      << renewals->at(0).reason;
  EXPECT_EQ(Order(id).deadline, deadline);  // unchanged
  clock_.Set(deadline + 2 * kHour);
  auto lapsed = book.Sweep(clock_.Now());
  ASSERT_EQ(lapsed->size(), 1u);
  EXPECT_EQ(Order(id).status, freeze::OrderStatus::kExpired);
  EXPECT_EQ(Order(id).expired_at, deadline);
}

TEST_F(InterchangeFaults, ARequestSentTwiceIsExecutedOnce) {
  int64_t id = SendStop("C1");
  ASSERT_TRUE(Settles(id));
  auto rows = interchange::ListRequests(store_->sql(), id, 10);
  ASSERT_EQ(rows->size(), 1u);
  auto body = store_->sql().Prepare("SELECT body, subject FROM interchange_requests WHERE id = ?");
  (*body)->Bind(1, rows->at(0).id);
  ASSERT_TRUE(*(*body)->Step());
  std::string bytes = (*body)->ColumnString(0), subject = (*body)->ColumnString(1);
  // Within the duplicate window JetStream drops the copy itself.
  bool duplicate = false;
  ASSERT_TRUE(raw_->Publish(subject, rows->at(0).id, bytes, &duplicate).ok());
  EXPECT_TRUE(duplicate);
  // Beyond it (another stream sequence, as after the window), the bank knows the id: it sends its
  // stored answer again and executes nothing. The platform drops the copy.
  int64_t answered = bank_->answered();
  ASSERT_TRUE(raw_->Publish(subject, rows->at(0).id + "/again", bytes).ok());
  ASSERT_TRUE(WaitFor([&] { return bank_->answered() > answered; }, 20000));
  auto bank_store = std::move(store::Store::OpenSqlite(dir_ + "/icbc.db")).value();
  EXPECT_EQ(Count(bank_store->sql(), "SELECT COUNT(*) FROM bank_holds"), 1);
  auto history = freeze::OrderBook(store_->sql()).History(id);
  int executed = 0;
  for (const auto& e : *history) executed += e.status == "executed";
  EXPECT_EQ(executed, 1);
}

TEST_F(InterchangeFaults, MalformedOversizedAndForgedMessagesChangeNothing) {
  int64_t id = SendStop("C1");
  ASSERT_TRUE(Settles(id));
  freeze::Order before = Order(id);
  std::string icbc = interchange::RequestSubject("ICBC");
  // Malformed: the bank answers it (rejected, malformed) under its message id; the platform did
  // not send it, so that answer is a fault on its side. The bank goes on.
  ASSERT_TRUE(raw_->Publish(icbc, "junk-1", "{\"interchange\":1,\"id\":").ok());
  ASSERT_TRUE(WaitFor([&] { return Faults() >= 1; }, 20000));
  auto faults = interchange::ListFaults(store_->sql(), 10);
  EXPECT_NE(faults->at(0).reason.find("no request 'junk-1'"), std::string::npos)
      << faults->at(0).reason;
  EXPECT_NE(faults->at(0).excerpt.find("malformed"), std::string::npos);
  // Oversized: the stream refuses it, and says why.
  Status big = raw_->Publish(icbc, "big-1", std::string(interchange::kMaxRequestBytes + 100, 'x'));
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.message().find("fanzha.req.ICBC"), std::string::npos) << big.message();
  // Forged: another bank answering ICBC's request, and an answer above the size limit.
  interchange::Answer forged;
  forged.request = interchange::OrderRequestId("fanzha", id);
  forged.id = interchange::FinalAnswerId(forged.request);
  forged.kind = interchange::Kind::kStopPayment;
  forged.institution = "ABC";
  forged.status = interchange::AnswerStatus::kRejected;
  forged.answered_at = clock_.Now();
  forged.code = "facts_mismatch";
  ASSERT_TRUE(
      raw_->Publish(interchange::AnswerSubject("ABC"), "forged-1", interchange::ToJson(forged))
          .ok());
  ASSERT_TRUE(WaitFor([&] { return Faults() >= 2; }, 20000));
  faults = interchange::ListFaults(store_->sql(), 10);
  EXPECT_NE(faults->at(0).reason.find("a bank answers only its own requests"), std::string::npos)
      << faults->at(0).reason;
  freeze::Order after = Order(id);
  EXPECT_EQ(after.status, before.status);
  EXPECT_EQ(after.frozen, before.frozen);
  EXPECT_EQ(after.updated_at, before.updated_at);
  // And the next order goes through as ever.
  int64_t next = SendStop("C2");
  ASSERT_TRUE(Settles(next));
  EXPECT_EQ(Order(next).status, freeze::OrderStatus::kExecuted);
  EXPECT_EQ(Order(next).frozen, 0);  // the first stop-payment holds the account's money already
}

// ---- a 3-node JetStream cluster: a server and a bank node die in the middle of 1,000 orders ----

TEST(InterchangeCluster, AServerAndABankNodeDieInTheMiddleOf1000OrdersAndNoneIsLost) {
  constexpr int kOrders = 1000;
  std::string dir = TempDir("cluster");
  auto cluster = interchange::StartCluster(dir + "/nats", 3);
  ASSERT_TRUE(cluster.ok()) << cluster.status().message();
  std::string urls = interchange::Urls(*cluster);
  ASSERT_TRUE(interchange::WaitForJetStream(urls).ok());

  // Two banks, 500 accounts each, every one paid by its victim once.
  std::string accounts = "account,holder,institution,region,kind,opening_balance\n";
  std::string icbc_t = "id,time,from,to,amount,channel,memo\n", abc_t = icbc_t;
  freeze::Plan plan;
  plan.case_id = "BIG";
  for (int i = 0; i < kOrders; ++i) {
    std::string bank = i % 2 ? "ABC" : "ICBC";
    std::string account = "62" + std::to_string(100000000 + i);
    std::string holder = "户" + std::to_string(i);
    Millis at = T("2020-02-08T09:00:00+08:00") + i * 1000;
    accounts += account + "," + holder + "," + bank + ",330100,personal,0\n";
    (i % 2 ? abc_t : icbc_t) += "P" + std::to_string(i) + "," + FormatTime(at) +
                                ",6217000000000001," + account + "," + FormatMoney(100000 + i) +
                                ",transfer,\n";
    plan.items.push_back(freeze::PlanItem{account, bank, "330100", 100000 + i, 1, at, 0, "critical",
                                          holder, "P" + std::to_string(i), 100000 + i, at});
  }
  ImportInto(dir + "/icbc.db", {{dir + "/ia.csv", accounts}, {dir + "/it.csv", icbc_t}});
  ImportInto(dir + "/abc.db", {{dir + "/aa.csv", accounts}, {dir + "/at.csv", abc_t}});
  auto platform_store = std::move(store::Store::OpenSqlite(dir + "/platform.db")).value();

  std::string fanzha = std::string(FANZHA_BINARY_DIR) + "/fanzha";
  auto bank_args = [&](const std::string& name, const std::string& db) {
    return std::vector<std::string>{
        fanzha, "bank",   "serve", "--institution",   name, "--db",
        db,     "--nats", urls,    "--nats-replicas", "3",  "--ack-wait",
        "2"};
  };
  interchange::ChildProcess icbc(bank_args("ICBC", dir + "/icbc.db"), dir + "/icbc.log");
  interchange::ChildProcess abc(bank_args("ABC", dir + "/abc.db"), dir + "/abc.log");
  ASSERT_TRUE(icbc.Start().ok());
  ASSERT_TRUE(abc.Start().ok());

  interchange::PlatformOptions po;
  po.db = dir + "/platform.db";
  po.nats.url = urls;
  po.replicas = 3;
  po.audit_key = &kAuditKey;
  auto platform = interchange::Platform::Start(po);
  ASSERT_TRUE(platform.ok()) << platform.status().message();
  {
    freeze::DraftOptions o;
    o.kind = freeze::OrderKind::kStopPayment;
    o.mandate = freeze::Mandate{Stops("BIG"), "li", "330100"};
    freeze::OrderBook book(platform_store->sql());
    auto tx = std::move(store::SqlTransaction::Begin(&platform_store->sql())).value();
    auto drafted = book.Draft(plan, o, 1);
    ASSERT_TRUE(drafted.ok()) << drafted.status().message();
    for (const auto& d : *drafted) {
      ASSERT_TRUE(book.Move(d.order.id, freeze::OrderStatus::kSent, std::nullopt, "", 2).ok());
    }
    ASSERT_TRUE(tx.Commit().ok());
  }
  (*platform)->Wake();
  auto answered = [&] {
    return Count(platform_store->sql(),
                 "SELECT COUNT(*) FROM interchange_requests WHERE answered_at > 0");
  };
  ASSERT_TRUE(WaitFor([&] { return answered() >= 300; }, 60000)) << answered();
  (*cluster)[1]->Kill();  // a NATS server of the three
  icbc.Kill();            // and a bank node, mid-stream
  int64_t at_kill = answered();
  // The other bank goes on through the two servers left.
  EXPECT_TRUE(WaitFor([&] { return answered() >= at_kill + 50; }, 30000)) << answered();
  std::printf(
      "killed a NATS server and the ICBC node at %lld answers; %lld answered before they came "
      "back\n",
      static_cast<long long>(at_kill), static_cast<long long>(answered()));
  ASSERT_TRUE((*cluster)[1]->Restart().ok());
  ASSERT_TRUE(icbc.Start().ok());
  ASSERT_TRUE(WaitFor([&] { return answered() == kOrders; }, 120000))
      << answered() << " of " << kOrders << LogTail(dir + "/icbc.log") << LogTail(dir + "/abc.log");
  (*platform)->Stop();

  store::SqlDatabase& db = platform_store->sql();
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM freeze_orders WHERE status = 'executed'"), kOrders);
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM interchange_requests"), kOrders);
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM interchange_faults"), 0);
  // Exactly once: one execution per order in its history and in the audit log.
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM freeze_order_events WHERE status = 'executed'"),
            kOrders);
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'freeze.answer'"), kOrders);
  EXPECT_EQ(Count(db,
                  "SELECT COUNT(*) FROM freeze_orders WHERE status = 'executed' AND amount_frozen "
                  "<> amount_requested"),
            0);
  for (const char* bank_db : {"/icbc.db", "/abc.db"}) {
    auto s = std::move(store::Store::OpenSqlite(dir + bank_db)).value();
    EXPECT_EQ(Count(s->sql(), "SELECT COUNT(*) FROM bank_requests"), kOrders / 2) << bank_db;
    EXPECT_EQ(Count(s->sql(), "SELECT COUNT(*) FROM bank_holds"), kOrders / 2) << bank_db;
  }
  icbc.Kill();
  abc.Kill();
}

}  // namespace
}  // namespace fanzha
