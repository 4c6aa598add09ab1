// The server end to end: a temp store, users of every role, a real server on an ephemeral
// loopback port, real HTTP requests.
#include "server/server.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "audit/audit.h"
#include "auth/auth.h"
#include "dispatch/dispatch.h"
#include "ledger/ledger.h"
#include "store/store.h"
#include "trace/trace.h"
#include "warn/store_io.h"

namespace fanzha::server {
namespace {

using nlohmann::json;

class ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    path_ = (std::filesystem::temp_directory_path() /
             ("server_test_" + std::to_string(::getpid()) + ".db"))
                .string();
    std::filesystem::remove(path_);
    auto store = std::move(store::Store::OpenSqlite(path_)).value();
    auto imp = std::move(store->BeginImport()).value();
    ASSERT_TRUE(
        imp->PutAccount({"M1", "mule one", "ICBC", "450100", AccountKind::kPersonal, 0, {}}).ok());
    ASSERT_TRUE(
        imp->PutAccount({"M2", "mule two", "ABC", "450100", AccountKind::kPersonal, 0, {}}).ok());
    ASSERT_TRUE(imp->Commit().ok());
    imp.reset();  // an Import must not outlive its Store (store.h)
    auth::Users users(store->sql());
    for (auto u : {auth::User{"centre", auth::Role::kCentre, "", ""},
                   auth::User{"hz", auth::Role::kInvestigator, "330100", ""},
                   auth::User{"gx", auth::Role::kInvestigator, "450000", ""},
                   auth::User{"icbc", auth::Role::kBank, "", "ICBC"},
                   auth::User{"abc", auth::Role::kBank, "", "ABC"},
                   auth::User{"hotline", auth::Role::kHotline, "330100", ""},
                   auth::User{"zj-hotline", auth::Role::kHotline, "330000", ""},
                   auth::User{"nb-hotline", auth::Role::kHotline, "330200", ""},
                   auth::User{"auditor", auth::Role::kAuditor, "", ""}}) {
      ASSERT_TRUE(users.Add(u, "password-" + u.name, 1).ok());
    }
    store.reset();
    ServerOptions o;
    o.db = path_;
    o.port = 0;
    o.watch_every = 100;   // notice imports beside the server quickly
    o.notify_every = 100;  // and push notifications quickly
    server_ = std::move(Server::Open(o)).value().release();
    ASSERT_TRUE(server_->Start().ok());
  }
  static void TearDownTestSuite() {
    delete server_;
    std::filesystem::remove(path_);
    std::filesystem::remove(path_ + ".audit-key");
    std::filesystem::remove(path_ + ".audit-heads");
  }

  // A generous read timeout: logins hash with Argon2id, slow on a busy machine.
  httplib::Client Client() {
    httplib::Client c("127.0.0.1", server_->port());
    c.set_read_timeout(60, 0);
    return c;
  }

  std::string Login(const std::string& name) {
    auto res =
        Client().Post("/api/login", json{{"user", name}, {"password", "password-" + name}}.dump(),
                      "application/json");
    if (!res) {
      ADD_FAILURE() << "no answer to the login of " << name << ": "
                    << httplib::to_string(res.error());
      return "";
    }
    EXPECT_EQ(res->status, 200) << res->body;
    return json::parse(res->body).value("token", "");
  }
  httplib::Result Get(const std::string& who, const std::string& path) {
    return Client().Get(path, {{"Authorization", "Bearer " + Login(who)}});
  }
  httplib::Result Post(const std::string& who, const std::string& path, const json& body) {
    return Client().Post(path, {{"Authorization", "Bearer " + Login(who)}}, body.dump(),
                         "application/json");
  }
  json PostCase(const std::string& who, const std::string& id, int expect) {
    json body = {{"case",
                  {{"id", id},
                   {"reported_at", "2020-02-08T10:00:00+08:00"},
                   {"region", "330102"},
                   {"victim", {{"name", "苏某"}}},
                   {"transfers", {id + "-T1"}}}},
                 {"transfers",
                  {{{"id", id + "-T1"},
                    {"time", "2020-02-08T09:00:00+08:00"},
                    {"from", "V1"},
                    {"to", "M1"},
                    {"amount", "5000"}},
                   {{"id", id + "-T2"},
                    {"time", "2020-02-08T09:10:00+08:00"},
                    {"from", "M1"},
                    {"to", "M2"},
                    {"amount", "3000"}}}}};
    auto res = Post(who, "/api/cases", body);
    if (!res) {
      ADD_FAILURE() << "no answer to posting " << id << ": " << httplib::to_string(res.error());
      return json::object();
    }
    EXPECT_EQ(res->status, expect) << res->body;
    return json::parse(res->body);
  }

  // A case of `region` naming `identifiers` ({"type","value"} objects), without transfers.
  void PostCaseIn(const std::string& who, const std::string& id, const std::string& region,
                  const json& identifiers = json::array()) {
    json body = {{"case",
                  {{"id", id},
                   {"reported_at", "2020-02-08T10:00:00+08:00"},
                   {"region", region},
                   {"category", "refund"},
                   {"loss", "800"},
                   {"identifiers", identifiers}}}};
    auto res = Post(who, "/api/cases", body);
    EXPECT_EQ(res->status, 201) << res->body;
  }
  // The list `key` of a 200 answer, by value (so that a range-for over it does not dangle).
  json Listed(const std::string& who, const std::string& path, const char* key) {
    auto res = Get(who, path);
    EXPECT_EQ(res->status, 200) << path << ": " << res->body;
    return json::parse(res->body)[key];
  }
  // The ids of the warnings a user's queue lists.
  std::vector<std::string> QueueOf(const std::string& who) {
    std::vector<std::string> ids;
    for (const auto& w : Listed(who, "/api/warnings", "warnings")) ids.push_back(w["id"]);
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  static inline std::string path_;
  static inline Server* server_ = nullptr;
};

TEST_F(ServerTest, LoginIsNeededAndWrongPasswordsFail) {
  EXPECT_EQ(Client().Get("/api/cases")->status, 401);
  auto res = Client().Post("/api/login", R"({"user":"hz","password":"nope"})", "application/json");
  EXPECT_EQ(res->status, 401);
  EXPECT_EQ(json::parse(res->body)["error"], "unauthorized");
  EXPECT_EQ(Client().Get("/api/openapi.json")->status, 200);
  EXPECT_EQ(json::parse(Client().Get("/api/openapi.json")->body)["openapi"], "3.0.3");
}

TEST_F(ServerTest, TheOpenApiDescriptionHasTheTakedownAndFigureRoutes) {
  json paths = json::parse(Client().Get("/api/openapi.json")->body)["paths"];
  for (const char* p : {"/api/takedowns", "/api/takedowns/stix", "/api/cases/{id}/takedowns",
                        "/api/takedowns/{id}/move", "/api/stats/breakdown", "/api/stats/daily"}) {
    EXPECT_TRUE(paths.contains(p)) << p;
  }
}

TEST_F(ServerTest, TheStandardMapIsServedOnlyWhenGivenAndMustBeGeoJson) {
  EXPECT_EQ(Client().Get("/api/map")->status, 404);
  std::string map = path_ + ".map.json";
  std::ofstream(map) << R"({"type":"Topology","objects":{}})";
  ServerOptions o;
  o.db = path_;
  o.port = 0;
  o.map_file = map;
  auto refused = Server::Open(o);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find(map), std::string::npos) << refused.status().message();
  std::string geo = R"({"type":"FeatureCollection","features":[]})";
  std::ofstream(map) << geo;
  auto served = Server::Open(o);
  ASSERT_TRUE(served.ok()) << served.status().message();
  ASSERT_TRUE((*served)->Start().ok());
  auto res = httplib::Client("127.0.0.1", (*served)->port()).Get("/api/map");
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, geo);
  std::filesystem::remove(map);
}

TEST_F(ServerTest, BadInputNamesTheFieldAndStoresNothing) {
  json body = {{"case", {{"id", "BAD1"}, {"region", "330102"}}}};
  auto res = Post("hz", "/api/cases", body);
  EXPECT_EQ(res->status, 400);
  EXPECT_NE(res->body.find("case.reported_at"), std::string::npos) << res->body;
  body = {{"case",
           {{"id", "BAD2"}, {"reported_at", "2020-02-08T10:00:00+08:00"}, {"region", "330102"}}},
          {"transfers",
           {{{"id", "X1"},
             {"time", "2020-02-08T09:00:00+08:00"},
             {"from", "A"},
             {"to", "B"},
             {"amount", "12.345"}}}}};
  res = Post("hz", "/api/cases", body);
  EXPECT_EQ(res->status, 400);
  EXPECT_NE(res->body.find("transfers[0].amount"), std::string::npos) << res->body;
  EXPECT_EQ(Get("hz", "/api/cases/BAD1")->status, 404);
  EXPECT_EQ(Get("hz", "/api/cases/BAD2")->status, 404);
}

TEST_F(ServerTest, PostTraceFreezeWithScopes) {
  json posted = PostCase("hz", "HZ1", 201);
  EXPECT_EQ(posted["transfers_added"], 2);
  PostCase("hz", "HZ1", 200);  // the same again changes nothing
  PostCase("gx", "HZ2", 403);  // another region's investigator may not report it

  // A reason is required to trace.
  EXPECT_EQ(Get("hz", "/api/cases/HZ1/trace?policy=fifo")->status, 400);
  auto res = Get("hz", "/api/cases/HZ1/trace?policy=fifo&reason=report%20110");
  ASSERT_EQ(res->status, 200) << res->body;
  // The same answer as `fanzha trace --json`.
  {
    auto store = std::move(store::Store::OpenSqlite(path_)).value();
    auto ledger = std::move(ledger::Ledger::Load(*store)).value();
    auto c = std::move(store->GetCase("HZ1")).value();
    auto seeds = trace::SeedsOfCase(*ledger, *c).value();
    auto answer = trace::Trace(*ledger, seeds, {}).value();
    EXPECT_EQ(res->body, trace::ToJson(answer, "HZ1").dump());
  }
  // The new transfers were traced from the pending list; the ledger rebuilt in the background
  // takes them in and answers the same.
  for (int i = 0;
       i < 200 && json::parse(Client().Get("/api/health")->body)["transfers_pending"] != 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(json::parse(Client().Get("/api/health")->body)["transfers_pending"], 0);
  EXPECT_EQ(Get("hz", "/api/cases/HZ1/trace?policy=fifo&reason=report%20110")->body, res->body);
  // A summary: held and exits whole, the largest flows only, and what was left out.
  {
    json full = json::parse(res->body);
    ASSERT_GE(full["flows"].size(), 2u);
    auto summary = Get("hz", "/api/cases/HZ1/trace?policy=fifo&reason=report%20110&flows_limit=1");
    ASSERT_EQ(summary->status, 200) << summary->body;
    json s = json::parse(summary->body);
    EXPECT_EQ(s["held"], full["held"]);
    EXPECT_EQ(s["exits"], full["exits"]);
    ASSERT_EQ(s["flows"].size(), 1u);
    Fen largest = 0, all = 0;
    for (const json& f : full["flows"]) {
      Fen amount = ParseMoney(f["amount"].get<std::string>()).value();
      largest = std::max(largest, amount);
      all += amount;
    }
    EXPECT_EQ(ParseMoney(s["flows"][0]["amount"].get<std::string>()).value(), largest);
    EXPECT_EQ(s["flows_limit"], 1);
    EXPECT_EQ(s["flows_omitted"]["count"], full["flows"].size() - 1);
    EXPECT_EQ(s["flows_omitted"]["amount"], FormatMoney(all - largest));
    EXPECT_FALSE(full.contains("flows_omitted"));  // the default answer is TRACING.md's
    auto bad = Get("hz", "/api/cases/HZ1/trace?reason=x&flows_limit=-3");
    EXPECT_EQ(bad->status, 400);
    EXPECT_NE(json::parse(bad->body)["message_zh"].get<std::string>().find("flows_limit"),
              std::string::npos);
  }
  EXPECT_EQ(Get("gx", "/api/cases/HZ1/trace?reason=x")->status, 404);
  EXPECT_EQ(Get("icbc", "/api/cases/HZ1/trace?reason=x")->status, 403);
  EXPECT_EQ(Get("auditor", "/api/cases/HZ1")->status, 403);
  EXPECT_EQ(Get("centre", "/api/cases/HZ1")->status, 200);
  EXPECT_EQ(json::parse(Get("gx", "/api/cases")->body)["total"], 0);
  EXPECT_GE(json::parse(Get("hz", "/api/cases")->body)["total"], 1);

  // Draft in one call; a bank sees only its institution's orders.
  res = Post("hz", "/api/cases/HZ1/freeze-orders", {{"reason", "golden hour"}});
  ASSERT_EQ(res->status, 201) << res->body;
  json drafted = json::parse(res->body);
  ASSERT_EQ(drafted["orders"].size(), 2u);
  int64_t m1_order = 0, m2_order = 0;
  for (const auto& o : drafted["orders"]) (o["account"] == "M2" ? m2_order : m1_order) = o["id"];
  // A draft is the police's own until it is sent.
  EXPECT_EQ(json::parse(Get("icbc", "/api/freeze-orders")->body)["orders"].size(), 0u);
  EXPECT_EQ(Get("icbc", "/api/freeze-orders/" + std::to_string(m1_order))->status, 404);
  EXPECT_EQ(Post("hz", "/api/freeze-orders/" + std::to_string(m1_order) + "/move", {{"to", "sent"}})
                ->status,
            200);
  json icbc = json::parse(Get("icbc", "/api/freeze-orders")->body)["orders"];
  ASSERT_EQ(icbc.size(), 1u);
  EXPECT_EQ(icbc[0]["account"], "M1");
  EXPECT_EQ(icbc[0]["amount"], "2000.00");
  EXPECT_EQ(Get("icbc", "/api/freeze-orders/" + std::to_string(m2_order))->status, 404);
  EXPECT_EQ(Post("hz", "/api/freeze-orders/" + std::to_string(m2_order) + "/move", {{"to", "sent"}})
                ->status,
            200);
  res = Post("abc", "/api/freeze-orders/" + std::to_string(m2_order) + "/move",
             {{"to", "executed"}, {"amount", "3000"}});
  EXPECT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(
      Post("abc", "/api/freeze-orders/" + std::to_string(m2_order) + "/move", {{"to", "released"}})
          ->status,
      403);
  EXPECT_EQ(Get("hotline", "/api/freeze-orders")->status, 403);

  // The 3,000 yuan frozen at M2 go back to HZ1's victim: the plan (app/freeze.h, as `fanzha return
  // plan`), then recorded by the centre. Another region's investigator is answered as for an
  // account with nothing frozen; a bank may not plan returns.
  EXPECT_EQ(Get("hz", "/api/accounts/M2/return-plan")->status, 400);  // no reason
  res = Get("hz", "/api/accounts/M2/return-plan?reason=return%20to%20victims");
  ASSERT_EQ(res->status, 200) << res->body;
  json plan = json::parse(res->body);
  EXPECT_EQ(plan["account"], "M2");
  EXPECT_EQ(plan["frozen"], "3000.00");
  EXPECT_EQ(plan["rule"], "single_victim");
  EXPECT_EQ(plan["shares"], json::parse(R"([{"case":"HZ1","amount":"3000.00"}])"));
  auto unknown = Get("hz", "/api/accounts/NOWHERE/return-plan?reason=x");
  auto outside = Get("gx", "/api/accounts/M2/return-plan?reason=x");
  EXPECT_EQ(unknown->status, 404);
  EXPECT_EQ(outside->status, 404);
  EXPECT_EQ(json::parse(outside->body)["message"],
            "no executed freeze order at account M2: nothing frozen there to return");
  EXPECT_EQ(Get("icbc", "/api/accounts/M2/return-plan?reason=x")->status, 403);
  EXPECT_EQ(Post("hz", "/api/accounts/M2/returns", {{"reason", "return"}})->status, 403);
  res = Post("centre", "/api/accounts/M2/returns", {{"reason", "return to the victim"}});
  ASSERT_EQ(res->status, 201) << res->body;
  json recorded = json::parse(res->body);
  EXPECT_EQ(recorded["step"], "planned");
  EXPECT_EQ(recorded["shares"], plan["shares"]);
  EXPECT_EQ(Post("centre", "/api/accounts/M2/returns", {{"reason", "again"}})->status, 409);
}

TEST_F(ServerTest, AuditChainRecordsAndDetectsTampering) {
  PostCase("hz", "HZ3", 201);
  ASSERT_EQ(Get("hz", "/api/cases/HZ3/trace?reason=victim%20called")->status, 200);
  EXPECT_EQ(Get("hz", "/api/audit")->status, 403);
  json entries = json::parse(Get("auditor", "/api/audit?limit=1000")->body)["entries"];
  bool traced = false;
  for (const auto& e : entries) {
    traced |= e["action"] == "case.trace" && e["target"] == "HZ3" &&
              e["reason"] == "victim called" && e["user"] == "hz";
  }
  EXPECT_TRUE(traced);
  // A page size that is not a whole number in range is refused, in both languages, never wrapped.
  for (const char* bad : {"-1", "18446744073709551615", "1e3", "100001"}) {
    auto refused = Get("auditor", std::string("/api/audit?limit=") + bad);
    EXPECT_EQ(refused->status, 400) << bad;
    json why = json::parse(refused->body);
    EXPECT_NE(why["message"].get<std::string>().find("limit"), std::string::npos) << why;
    EXPECT_NE(why["message_zh"].get<std::string>().find("整数"), std::string::npos) << why;
  }
  json v = json::parse(Get("auditor", "/api/audit/verify")->body);
  EXPECT_TRUE(v["ok"]);
  ASSERT_TRUE(v.contains("head")) << v.dump();
  EXPECT_TRUE(json::parse(
      Get("auditor", "/api/audit/verify?anchor=" + v["head"].get<std::string>())->body)["ok"]);
  EXPECT_EQ(Get("auditor", "/api/audit/verify?anchor=12")->status, 400);
  {
    auto store = std::move(store::Store::OpenSqlite(path_)).value();
    ASSERT_TRUE(store->sql().Exec("UPDATE audit_log SET reason = 'edited' WHERE id = 3").ok());
  }
  v = json::parse(Get("auditor", "/api/audit/verify")->body);
  EXPECT_FALSE(v["ok"]);
  EXPECT_EQ(v["first_broken"], 3);
}

// Reads audited at once are written in group commits: each read kept once, the chain unbroken.
TEST_F(ServerTest, ReadsAuditedAtOnceAreEachKeptOnceInOneChain) {
  PostCase("hz", "HZ9", 201);
  const std::string token = Login("hz");
  constexpr int kThreads = 8, kEach = 25;
  std::atomic<int> answered{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      httplib::Client c = Client();
      for (int i = 0; i < kEach; ++i) {
        auto r = c.Get(
            "/api/cases/HZ9/trace?reason=at-once-" + std::to_string(t) + "-" + std::to_string(i),
            {{"Authorization", "Bearer " + token}});
        if (r && r->status == 200) ++answered;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(answered.load(), kThreads * kEach);
  auto store = std::move(store::Store::OpenSqlite(path_)).value();
  auto rows = std::move(store->sql().Prepare(
                            "SELECT id, prev_hash, hash, reason FROM audit_log ORDER BY id"))
                  .value();
  std::map<std::string, int> reads;
  std::string prev(64, '0');
  int64_t id = 0;
  while (rows->Step().value()) {
    EXPECT_EQ(rows->ColumnInt64(0), ++id);
    EXPECT_EQ(rows->ColumnString(1), prev) << "entry " << id;
    prev = rows->ColumnString(2);
    const std::string reason = rows->ColumnString(3);
    if (reason.starts_with("at-once-")) ++reads[reason];
  }
  EXPECT_EQ(reads.size(), static_cast<size_t>(kThreads * kEach));
  for (const auto& [reason, n] : reads) EXPECT_EQ(n, 1) << reason;
}

TEST_F(ServerTest, LeadsGoToTheUnitOfTheirJurisdictionWhichAnswersThem) {
  {
    auto store = std::move(store::Store::OpenSqlite(path_)).value();
    dispatch::Lead lead;
    lead.cases = {"GX-LEAD-1"};
    lead.category = "fake_goods_sale";
    lead.loss = 6600000;
    lead.jurisdiction.code = "451300";
    lead.jurisdiction.name = "来宾市";
    ASSERT_TRUE(dispatch::LeadBook(store->sql()).Dispatch({lead}, 1581127200000).ok());
  }
  json centre = json::parse(Get("centre", "/api/leads")->body)["leads"];
  ASSERT_EQ(centre.size(), 1u);
  EXPECT_EQ(centre[0]["jurisdiction"], "451300");
  std::string id = std::to_string(centre[0]["id"].get<int64_t>());
  EXPECT_EQ(json::parse(Get("gx", "/api/leads")->body)["leads"].size(), 1u);  // Guangxi covers 来宾
  EXPECT_EQ(json::parse(Get("hz", "/api/leads")->body)["leads"].size(), 0u);
  EXPECT_EQ(Get("hotline", "/api/leads")->status, 403);
  EXPECT_EQ(Post("hz", "/api/leads/" + id + "/feedback", {{"status", "accepted"}})->status, 404);
  EXPECT_EQ(Post("gx", "/api/leads/" + id + "/feedback", {{"status", "closd"}})->status, 400);
  auto res = Post("gx", "/api/leads/" + id + "/feedback", {{"status", "accepted"}});
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(json::parse(res->body)["status"], "accepted");
}

TEST_F(ServerTest, TakedownsAreAskedForFromACaseByItsUnitAndMovedAlongTheirLifecycle) {
  PostCaseIn("hz", "HZ-TD1", "330102",
             {{{"type", "domain"}, {"value", "shop-fuli809.cn"}},
              {{"type", "phone"}, {"value", "+8613507721234"}}});
  EXPECT_EQ(Post("icbc", "/api/cases/HZ-TD1/takedowns", json::object())->status, 403);
  EXPECT_EQ(Post("hotline", "/api/cases/HZ-TD1/takedowns", json::object())->status, 403);
  EXPECT_EQ(Post("gx", "/api/cases/HZ-TD1/takedowns", json::object())->status,
            404);  // not its region: as if unknown
  auto res = Post("hz", "/api/cases/HZ-TD1/takedowns", {{"reason", "fraud shop still online"}});
  ASSERT_EQ(res->status, 201) << res->body;
  json made = json::parse(res->body);
  EXPECT_EQ(made["created"], 2);
  int64_t domain = 0;
  for (const auto& r : made["takedowns"]) {
    if (r["kind"] == "domain") domain = r["id"];
  }
  ASSERT_NE(domain, 0) << res->body;
  EXPECT_EQ(Post("hz", "/api/cases/HZ-TD1/takedowns", json::object())->status, 200);  // nothing new

  // A bank user is refused takedowns; another region's investigator sees none of these.
  EXPECT_EQ(Get("icbc", "/api/takedowns")->status, 403);
  EXPECT_EQ(Get("auditor", "/api/takedowns")->status, 403);
  EXPECT_EQ(json::parse(Get("gx", "/api/takedowns?case=HZ-TD1")->body)["total"], 0);
  EXPECT_EQ(json::parse(Get("hz", "/api/takedowns?case=HZ-TD1")->body)["total"], 2);
  json cn =
      json::parse(Get("centre", "/api/takedowns?kind=domain&state=requested")->body)["takedowns"];
  ASSERT_EQ(cn.size(), 1u);
  EXPECT_EQ(cn[0]["platform"], "CNNIC (.cn)");
  EXPECT_EQ(Get("hz", "/api/takedowns?state=gone")->status, 400);

  // A move the lifecycle refuses names the field and changes nothing.
  const std::string move = "/api/takedowns/" + std::to_string(domain) + "/move";
  auto state = [&] {
    return json::parse(
        Get("hz", "/api/takedowns?kind=domain&case=HZ-TD1")->body)["takedowns"][0]["state"];
  };
  res = Post("hz", move, {{"to", "blocked"}});
  EXPECT_EQ(res->status, 409);
  EXPECT_TRUE(json::parse(res->body)["message"].get<std::string>().starts_with("to: "))
      << res->body;
  res = Post("hz", move, {{"to", "refused"}});
  EXPECT_EQ(res->status, 400);
  EXPECT_TRUE(json::parse(res->body)["message"].get<std::string>().starts_with("reason: "))
      << res->body;
  res = Post("hz", move, {{"to", "blockd"}});
  EXPECT_EQ(res->status, 400);
  EXPECT_TRUE(json::parse(res->body)["message"].get<std::string>().starts_with("to: "))
      << res->body;
  EXPECT_EQ(state(), "requested");
  EXPECT_EQ(Post("gx", move, {{"to", "sent"}})->status, 404);
  EXPECT_EQ(Post("hz", "/api/takedowns/999999/move", {{"to", "sent"}})->status, 404);
  res = Post("hz", move, {{"to", "sent"}});
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(json::parse(res->body)["state"], "sent");
  EXPECT_EQ(Post("centre", move, {{"to", "blocked"}})->status, 200);
  EXPECT_EQ(state(), "blocked");

  json stix = json::parse(Get("hz", "/api/takedowns/stix?case=HZ-TD1")->body);
  EXPECT_EQ(stix["type"], "bundle");
  EXPECT_EQ(stix["objects"].size(), 3u);  // the sender and the two requests
  bool audited = false;
  for (const auto& e : Listed("auditor", "/api/audit?limit=100000", "entries")) {
    audited |=
        e["action"] == "takedown.move" && e["user"] == "hz" && e["detail"] == "requested -> sent";
  }
  EXPECT_TRUE(audited);
}

TEST_F(ServerTest, AProvinceHotlineSeesAndAnswersTheWarningsOfItsCities) {
  {
    auto store = std::move(store::Store::OpenSqlite(path_)).value();
    const std::vector<std::pair<std::string, std::string>> warnings = {
        {"W-HZ", "330100"}, {"W-NB", "330200"}, {"W-GX", "450200"}};
    for (const auto& [id, region] : warnings) {
      warn::Warning w;
      w.id = id;
      w.revision = 1;
      w.person = "+8613900001111";
      w.region = region;
      w.score = 100;
      ASSERT_TRUE(warn::SaveWarning(store->sql(), w, "{}", 1).ok());
    }
  }
  using Ids = std::vector<std::string>;
  EXPECT_EQ(QueueOf("zj-hotline"), (Ids{"W-HZ", "W-NB"}));  // 浙江 covers 杭州 and 宁波
  EXPECT_EQ(QueueOf("hotline"), (Ids{"W-HZ"}));
  EXPECT_EQ(QueueOf("centre"), (Ids{"W-GX", "W-HZ", "W-NB"}));  // no region: every city
  EXPECT_EQ(Get("nb-hotline", "/api/warnings?region=330000")->status, 403);
  // Outcomes are scoped as the queue is.
  EXPECT_EQ(Post("nb-hotline", "/api/warnings/W-HZ/outcome", {{"outcome", "reached"}})->status,
            404);
  EXPECT_EQ(Post("zj-hotline", "/api/warnings/W-GX/outcome", {{"outcome", "reached"}})->status,
            404);
  EXPECT_EQ(Post("zj-hotline", "/api/warnings/W-NB/outcome", {{"outcome", "dissuaded"}})->status,
            200);
  EXPECT_EQ(QueueOf("zj-hotline"), (Ids{"W-HZ"}));
}

TEST_F(ServerTest, BreakdownsCountOnlyTheRecordsOfTheCallersRegion) {
  PostCaseIn("hz", "HZ-ST1", "330106");
  PostCaseIn("gx", "GX-ST1", "450103");
  auto keys = [&](const std::string& who, const std::string& query) {
    std::vector<std::string> out;
    for (const auto& row : Listed(who, "/api/stats/breakdown?" + query, "rows"))
      out.push_back(row["key"]);
    return out;
  };
  for (const std::string& key : keys("hz", "by=region")) EXPECT_EQ(key, "330100");
  for (const std::string& key : keys("gx", "by=region")) EXPECT_TRUE(key.starts_with("45")) << key;
  std::vector<std::string> all = keys("centre", "by=region");
  EXPECT_NE(std::find(all.begin(), all.end(), "330100"), all.end());
  EXPECT_NE(std::find(all.begin(), all.end(), "450100"), all.end());
  int64_t hz_cases = 0, centre_cases = 0;
  for (const auto& row : Listed("hz", "/api/stats/breakdown?by=category", "rows"))
    hz_cases += row["cases"].get<int64_t>();
  for (const auto& row : Listed("centre", "/api/stats/breakdown?by=category", "rows"))
    centre_cases += row["cases"].get<int64_t>();
  EXPECT_GE(hz_cases, 1);
  EXPECT_GT(centre_cases, hz_cases);  // the Guangxi case counts for the centre only
  EXPECT_EQ(json::parse(Get("centre", "/api/stats/breakdown?by=region")->body)["rows"][0].contains(
                "name"),
            true);

  EXPECT_EQ(Get("hz", "/api/stats/breakdown?by=region&region=450000")->status, 403);
  EXPECT_EQ(Get("icbc", "/api/stats/breakdown?by=day")->status, 403);
  auto res = Get("hz", "/api/stats/breakdown?by=week");
  EXPECT_EQ(res->status, 400);
  EXPECT_TRUE(json::parse(res->body)["message"].get<std::string>().starts_with("by: "))
      << res->body;

  res = Get("hz", "/api/stats/daily?day=2020-02-08");
  ASSERT_EQ(res->status, 200) << res->body;
  json daily = json::parse(res->body);
  EXPECT_EQ(daily["figures"]["cases"], hz_cases);  // every hz case here was reported that day
  EXPECT_TRUE(daily["html"].get<std::string>().starts_with("<!DOCTYPE html>"));
  res = Get("hz", "/api/stats/daily?day=2020-13-01");
  EXPECT_EQ(res->status, 400);
  EXPECT_TRUE(json::parse(res->body)["message"].get<std::string>().starts_with("day: "))
      << res->body;
}

// Bank data imported with the command line while the server runs reaches its traces.
TEST_F(ServerTest, TransfersImportedBesideTheServerReachItsTraces) {
  json body = {{"case",
                {{"id", "EXT1"},
                 {"reported_at", "2020-02-08T10:00:00+08:00"},
                 {"region", "330102"},
                 {"transfers", {"EXT1-T1"}}}},
               {"transfers",
                {{{"id", "EXT1-T1"},
                  {"time", "2020-02-08T09:00:00+08:00"},
                  {"from", "V9"},
                  {"to", "X1"},
                  {"amount", "5000"}},
                 {{"id", "EXT1-T2"},
                  {"time", "2020-02-08T09:10:00+08:00"},
                  {"from", "X1"},
                  {"to", "X2"},
                  {"amount", "3000"}}}}};
  ASSERT_EQ(Post("hz", "/api/cases", body)->status, 201);
  auto held_by = [&](const std::string& account) {
    json trace =
        json::parse(Get("hz", "/api/cases/EXT1/trace?policy=fifo&reason=report%20110")->body);
    for (const auto& h : trace["held"])
      if (h["account"] == account) return h["amount"].get<std::string>();
    return std::string();
  };
  EXPECT_EQ(held_by("M-EXT"), "");
  {
    auto store = std::move(store::Store::OpenSqlite(path_)).value();
    auto imp = std::move(store->BeginImport()).value();
    ASSERT_TRUE(imp->PutTransfer({"EXT1-T3", *ParseTime("2020-02-08T09:20:00+08:00"), "X1", "M-EXT",
                                  150000, Channel::kTransfer, "", "", ""})
                    .ok());
    ASSERT_TRUE(imp->Commit().ok());
    imp.reset();
  }
  std::string held;
  for (int i = 0; i < 200 && held.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    held = held_by("M-EXT");
  }
  EXPECT_EQ(held, "1500.00")
      << Client().Get("/api/health")->body;  // X1 paid 1500.00 of its 2000.00 on
}

TEST_F(ServerTest, ACaseIsTakenNotedFiledAndItsTimelineTellsIt) {
  PostCaseIn("hz", "HZ-WORK-1", "330102");
  const std::string c = "/api/cases/HZ-WORK-1";
  // An investigator takes a case itself; it does not give cases to others.
  EXPECT_EQ(Post("hz", c + "/assign", {{"officer", "hz"}})->status, 201);
  EXPECT_EQ(Post("hz", c + "/assign", {{"officer", "hz"}})->status, 409);
  EXPECT_EQ(Post("hz", c + "/assign", {{"officer", "centre"}})->status, 403);
  EXPECT_EQ(Post("gx", c + "/assign", {{"officer", "gx"}})->status, 404);  // not its region
  auto far = Post("centre", c + "/assign", {{"officer", "gx"}});           // gx may not work 330102
  EXPECT_EQ(far->status, 400);
  EXPECT_NE(far->body.find("officer"), std::string::npos) << far->body;
  EXPECT_EQ(Post("hz", c + "/notes", {{"text", "回访受害人"}})->status, 201);
  EXPECT_EQ(Post("hz", c + "/notes", {{"text", ""}})->status, 400);
  const std::string file("%PDF-1.4\0<script>x</script>\xff", 29);
  auto up = Client().Post(c + "/attachments?kind=legal_document&name=%E7%AB%8B%E6%A1%88.pdf",
                          {{"Authorization", "Bearer " + Login("hz")}}, file, "text/html");
  ASSERT_EQ(up->status, 201) << up->body;
  EXPECT_EQ(json::parse(up->body)["media_type"], "text/html");  // kept, as a hint only
  auto down = Get("hz", c + "/attachments/1");
  ASSERT_EQ(down->status, 200);
  EXPECT_EQ(down->body, file);
  EXPECT_EQ(down->get_header_value("Content-Type"), "application/octet-stream");
  EXPECT_EQ(down->get_header_value("Content-Disposition").rfind("attachment;", 0), 0u);
  EXPECT_EQ(Get("gx", c + "/attachments/1")->status, 404);
  json work = json::parse(Get("hz", c + "/work")->body);
  EXPECT_EQ(work["officer"], "hz");
  EXPECT_EQ(work["notes"].size(), 1u);
  EXPECT_EQ(work["attachments"][0]["name"], "立案.pdf");
  std::vector<std::string> kinds;
  for (const auto& e : Listed("hz", c + "/timeline", "events")) kinds.push_back(e["kind"]);
  EXPECT_EQ(kinds, (std::vector<std::string>{"report", "assignment", "note", "attachment"}));
  json mine = Listed("hz", "/api/cases?officer=me", "cases");
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0]["id"], "HZ-WORK-1");
  EXPECT_EQ(mine[0]["region_name"], "上城区");
  EXPECT_EQ(Get("hz", "/api/cases?region=杭州市&sort=biggest")->status, 400);
  EXPECT_EQ(Get("hz", "/api/cases?region=南宁市")->status, 403);
}

TEST_F(ServerTest, ACentreManagesTheUsersOfItsRegionOnly) {
  EXPECT_EQ(Post("centre", "/api/users",
                 {{"name", "zj-centre"},
                  {"role", "centre"},
                  {"region", "330000"},
                  {"password", "password-zj-centre"}})
                ->status,
            201);
  EXPECT_EQ(Get("hz", "/api/users")->status, 403);
  std::vector<std::string> names;
  for (const auto& u : Listed("zj-centre", "/api/users", "users")) names.push_back(u["name"]);
  EXPECT_EQ(names,
            (std::vector<std::string>{"hotline", "hz", "nb-hotline", "zj-centre", "zj-hotline"}));
  EXPECT_EQ(Post("zj-centre", "/api/users",
                 {{"name", "gx2"},
                  {"role", "investigator"},
                  {"region", "450100"},
                  {"password", "password-gx2"}})
                ->status,
            403);
  EXPECT_EQ(
      Post("zj-centre", "/api/users",
           {{"name", "nb2"}, {"role", "investigator"}, {"region", "330200"}, {"password", "short"}})
          ->status,
      400);
  EXPECT_EQ(Post("zj-centre", "/api/users/gx/disable", json::object())->status, 404);
  EXPECT_EQ(Post("zj-centre", "/api/users/zj-centre/disable", json::object())->status, 403);
  const std::string token = Login("nb-hotline");
  ASSERT_EQ(Post("zj-centre", "/api/users/nb-hotline/disable", json::object())->status, 200);
  // Its session ends at once, and it cannot log in again.
  EXPECT_EQ(Client().Get("/api/me", {{"Authorization", "Bearer " + token}})->status, 401);
  EXPECT_EQ(Client()
                .Post("/api/login",
                      json{{"user", "nb-hotline"}, {"password", "password-nb-hotline"}}.dump(),
                      "application/json")
                ->status,
            401);
  ASSERT_EQ(Post("zj-centre", "/api/users/nb-hotline/enable", json::object())->status, 200);
  EXPECT_FALSE(Login("nb-hotline").empty());
}

// The notices of each event "notifications" in `stream` (server-sent events), in order.
std::vector<json> NotificationEvents(const std::string& stream) {
  std::vector<json> events;
  const std::string mark = "event: notifications\ndata: ";
  for (size_t at = stream.find(mark); at != std::string::npos; at = stream.find(mark, at + 1)) {
    size_t end = stream.find("\n\n", at);
    if (end == std::string::npos) break;
    events.push_back(json::parse(stream.substr(at + mark.size(), end - at - mark.size())));
  }
  return events;
}

bool Names(const json& notices, const std::string& key) {
  for (const auto& n : notices["notices"])
    if (n["key"] == key) return true;
  return false;
}

TEST_F(ServerTest, ABankIsPushedTheOrdersSentToItAsTheyAreSent) {
  PostCase("hz", "HZ-PUSH-1", 201);
  const std::string token = Login("abc");  // M2 holds the money in any order of the tests
  std::string stream;
  std::string key, drafted_body;
  bool sent = false;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  auto res = Client().Get(
      "/api/notifications/stream", {{"Authorization", "Bearer " + token}},
      [&](const char* data, size_t n) {
        stream.append(data, n);
        std::vector<json> events = NotificationEvents(stream);
        if (!sent && !events.empty()) {  // the list as it stands came first: now send an order
          sent = true;
          auto drafted = Post("hz", "/api/cases/HZ-PUSH-1/freeze-orders",
                              {{"reason", "golden hour"}, {"send", true}});
          EXPECT_EQ(drafted->status, 201) << drafted->body;
          drafted_body = drafted->body;
          const json orders = json::parse(drafted->body)["orders"];
          for (const auto& o : orders)
            if (o["institution"] == "ABC") key = "order_unanswered:" + o["id"].dump();
        }
        if (std::chrono::steady_clock::now() > give_up) return false;
        return events.empty() || !Names(events.back(), key);  // stop once it is pushed
      });
  ASSERT_FALSE(key.empty()) << stream << drafted_body;
  std::vector<json> events = NotificationEvents(stream);
  ASSERT_GE(events.size(), 2u) << stream;
  EXPECT_FALSE(Names(events.front(), key));
  const json& pushed = events.back();
  EXPECT_TRUE(Names(pushed, key)) << stream;
  EXPECT_EQ(pushed["count"], pushed["notices"].size());
  EXPECT_EQ(stream.rfind("retry: ", 0), 0u);
  // The same list read whole; another bank is not told.
  json listed = json::parse(Get("abc", "/api/notifications")->body);
  EXPECT_TRUE(Names(listed, key));
  EXPECT_FALSE(Names(json::parse(Get("icbc", "/api/notifications")->body), key));
  EXPECT_EQ(json::parse(Get("auditor", "/api/notifications")->body)["count"], 0);
}

TEST_F(ServerTest, AnErrorSpeaksTheLanguageTheClientAsksFor) {
  const std::string token = "Bearer " + Login("hz");
  auto en = Client().Get("/api/cases/NO-SUCH", {{"Authorization", token},
                                                {"Accept-Language", "en-GB,en;q=0.9,zh;q=0.5"}});
  ASSERT_EQ(en->status, 404);
  EXPECT_EQ(en->get_header_value("Content-Language"), "en");
  json e = json::parse(en->body);
  EXPECT_EQ(e["text"], e["message"]);
  auto zh = Client().Get("/api/cases/NO-SUCH", {{"Authorization", token},
                                                {"Accept-Language", "zh-CN,zh;q=0.9,en;q=0.8"}});
  EXPECT_EQ(zh->get_header_value("Content-Language"), "zh-CN");
  json z = json::parse(zh->body);
  EXPECT_EQ(z["text"], z["message_zh"]);
  EXPECT_NE(z["text"], z["message"]);
  // Without a choice, the users' language.
  EXPECT_EQ(
      json::parse(Client().Get("/api/cases/NO-SUCH", {{"Authorization", token}})->body)["text"],
      z["message_zh"]);
}

TEST_F(ServerTest, ANotificationStreamEndsWithItsSession) {
  EXPECT_EQ(Client().Get("/api/notifications/stream")->status, 401);
  const std::string token = Login("hotline");
  bool logged_out = false;
  std::string stream;
  auto started = std::chrono::steady_clock::now();
  auto res =
      Client().Get("/api/notifications/stream", {{"Authorization", "Bearer " + token}},
                   [&](const char* data, size_t n) {
                     stream.append(data, n);
                     if (!logged_out && !NotificationEvents(stream).empty()) {
                       logged_out = true;
                       EXPECT_EQ(Client()
                                     .Post("/api/logout", {{"Authorization", "Bearer " + token}},
                                           "", "application/json")
                                     ->status,
                                 200);
                     }
                     return true;  // read until the server closes
                   });
  EXPECT_TRUE(logged_out) << stream;
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(30));
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/event-stream; charset=utf-8");
}

}  // namespace
}  // namespace fanzha::server
