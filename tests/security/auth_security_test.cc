// Attacks on logins, sessions, scopes and the audit log, against a real server on a temporary
// store (loopback, ephemeral port), each a regression test of something that once broke:
//  - a change and its audit entry committed apart: a kill -9 between them left cases without an
//    entry (KillInsideAChangeLeavesNeitherTheChangeNorItsEntry);
//  - password guessing: unthrottled, and an unknown name answered 200 times faster;
//  - revoked and expired sessions kept working from an in-memory cache;
//  - the session token readable by the page's script (now an HttpOnly cookie with a CSRF token);
//  - out-of-scope ids answered 403 where unknown ones answered 404;
//  - errors named the store's path.
#include <gtest/gtest.h>
#include <httplib.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <thread>

#include "audit/audit.h"
#include "auth/auth.h"
#include "core/text.h"
#include "dispatch/dispatch.h"
#include "server/server.h"
#include "store/store.h"
#include "warn/store_io.h"

namespace fanzha {
namespace {

using nlohmann::json;

class SecurityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("auth_security_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = (dir_ / "fanzha.db").string();
    auto store = std::move(store::Store::OpenSqlite(db_)).value();
    auth::Users users(store->sql());
    for (auto u : {auth::User{"centre", auth::Role::kCentre, "", ""},
                   auth::User{"hz", auth::Role::kInvestigator, "330100", ""},
                   auth::User{"gx", auth::Role::kInvestigator, "450000", ""},
                   auth::User{"icbc", auth::Role::kBank, "", "ICBC"},
                   auth::User{"hotline", auth::Role::kHotline, "330100", ""},
                   auth::User{"gx-hotline", auth::Role::kHotline, "450000", ""},
                   auth::User{"auditor", auth::Role::kAuditor, "", ""}}) {
      ASSERT_TRUE(users.Add(u, "password-" + u.name, 1).ok());
    }
    dispatch::Lead lead;
    lead.cases = {"HZ-LEAD"};
    lead.category = "refund";
    lead.loss = 100000;
    lead.jurisdiction.code = "330100";
    lead.jurisdiction.name = "杭州市";
    ASSERT_TRUE(dispatch::LeadBook(store->sql()).Dispatch({lead}, 1581127200000).ok());
    warn::Warning w;
    w.id = "W-HZ";
    w.revision = 1;
    w.person = "+8613900001111";
    w.region = "330100";
    w.score = 100;
    ASSERT_TRUE(warn::SaveWarning(store->sql(), w, "{}", 1).ok());
  }
  void TearDown() override {
    server_.reset();
    std::filesystem::remove_all(dir_);
  }

  server::ServerOptions Options() const {
    server::ServerOptions o;
    o.db = db_;
    o.port = 0;
    o.watch_every = 0;
    return o;
  }
  void StartServer(server::ServerOptions o) {
    server_ = std::move(server::Server::Open(o)).value();
    ASSERT_TRUE(server_->Start().ok());
    port_ = server_->port();
  }
  httplib::Client Client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(60, 0);
    return c;
  }
  static json Body(const httplib::Result& r) {
    return r ? json::parse(r->body, nullptr, false) : json();
  }
  std::string Login(const std::string& name) const {
    auto r =
        Client().Post("/api/login", json{{"user", name}, {"password", "password-" + name}}.dump(),
                      "application/json");
    EXPECT_TRUE(r && r->status == 200) << (r ? r->body : httplib::to_string(r.error()));
    return r ? json::parse(r->body).value("token", "") : "";
  }
  httplib::Headers Bearer(const std::string& token) const {
    return {{"Authorization", "Bearer " + token}};
  }
  // One value of the store, read on a connection of its own.
  std::string Probe(const std::string& sql) const {
    auto store = std::move(store::Store::OpenSqlite(db_)).value();
    auto q = std::move(store->sql().Prepare(sql)).value();
    EXPECT_TRUE(q->Step().value());
    return q->ColumnString(0);
  }
  int64_t Entries(const std::string& action) const {
    return std::stoll(Probe("SELECT COUNT(*) FROM audit_log WHERE action = '" + action + "'"));
  }
  static json CaseBody(const std::string& id, const std::string& region) {
    return {{"case",
             {{"id", id},
              {"reported_at", "2020-02-08T10:00:00+08:00"},
              {"region", region},
              {"victim", {{"name", "苏某"}}},
              {"transfers", {id + "-T1"}},
              {"identifiers",
               {{{"type", "url"}, {"value", "http://" + id + "-shop.example/pay"}},
                {{"type", "phone"}, {"value", "+8613800001111"}}}}}},
            {"transfers",
             {{{"id", id + "-T1"},
               {"time", "2020-02-08T09:00:00+08:00"},
               {"from", id + "-V"},
               {"to", id + "-M1"},
               {"amount", "5000"}},
              {{"id", id + "-T2"},
               {"time", "2020-02-08T09:10:00+08:00"},
               {"from", id + "-M1"},
               {"to", id + "-M2"},
               {"amount", "3000"}}}}};
  }

  std::filesystem::path dir_;
  std::string db_;
  std::unique_ptr<server::Server> server_;
  int port_ = 0;
};

// ---- a change and its audit entry: one transaction, even under kill -9 ----

struct Step {
  std::string action;  // the audit action of the change
  std::string who;     // "" for the login itself
  std::string method, path;
  json body;
  std::string probe;  // SQL whose answer the change alters
};

// Runs `fanzha serve`'s server in a child process. The child calls back from inside the audited
// change `kill_at` just before its transaction commits, and waits there; the parent then kills it
// with SIGKILL (a pipe handshake: the moment is known, never timed). With kill_at empty, the
// request completes and the child is killed afterwards. Returns whether the request answered.
bool RunInChild(const std::string& db, const Step& step, bool kill_inside) {
  int port_pipe[2], hook_pipe[2];
  EXPECT_EQ(pipe(port_pipe), 0);
  EXPECT_EQ(pipe(hook_pipe), 0);
  pid_t pid = fork();
  if (pid == 0) {
    close(port_pipe[0]);
    close(hook_pipe[0]);
    server::ServerOptions o;
    o.db = db;
    o.port = 0;
    o.watch_every = 0;
    if (kill_inside) {
      o.before_commit = [&](std::string_view action) {
        if (action != step.action) return;
        char c = 'x';
        (void)!write(hook_pipe[1], &c, 1);
        for (;;) pause();
      };
    }
    auto srv = server::Server::Open(o);
    if (!srv.ok() || !(*srv)->Start().ok()) _exit(1);
    int port = (*srv)->port();
    (void)!write(port_pipe[1], &port, sizeof port);
    for (;;) pause();
  }
  close(port_pipe[1]);
  close(hook_pipe[1]);
  int port = 0;
  EXPECT_EQ(read(port_pipe[0], &port, sizeof port), static_cast<ssize_t>(sizeof port));
  bool answered = false;
  std::thread client([&] {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(60, 0);
    std::string token;
    if (!step.who.empty()) {
      auto r = c.Post("/api/login",
                      json{{"user", step.who}, {"password", "password-" + step.who}}.dump(),
                      "application/json");
      if (!r || r->status != 200) return;
      token = json::parse(r->body)["token"];
    }
    httplib::Headers h = {{"Authorization", "Bearer " + token}};
    auto r = step.method == "POST" ? c.Post(step.path, h, step.body.dump(), "application/json")
                                   : c.Get(step.path, h);
    answered = r && r->status < 300;
    EXPECT_TRUE(!r || r->status < 300 || kill_inside)
        << step.action << ": " << r->status << " " << r->body;
  });
  if (kill_inside) {
    pollfd p{hook_pipe[0], POLLIN, 0};
    EXPECT_EQ(poll(&p, 1, 120'000), 1) << step.action << ": the change never reached its commit";
    char c;
    EXPECT_EQ(read(hook_pipe[0], &c, 1), 1) << step.action
                                            << ": the server answered without committing "
                                               "the change and its entry together";
  } else {
    client.join();
  }
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  if (client.joinable()) client.join();
  close(port_pipe[0]);
  close(hook_pipe[0]);
  EXPECT_TRUE(WIFSIGNALED(status));
  return answered;
}

TEST_F(SecurityTest, KillInsideAChangeLeavesNeitherTheChangeNorItsEntry) {
  const std::string lead = Probe("SELECT MIN(id) FROM leads");
  std::vector<Step> steps = {
      {"login",
       "",
       "POST",
       "/api/login",
       {{"user", "hz"}, {"password", "password-hz"}},
       "SELECT COUNT(*) FROM sessions"},
      {"case.create", "hz", "POST", "/api/cases", CaseBody("HZ-K1", "330102"),
       "SELECT COUNT(*) FROM cases"},
      {"freeze.draft",
       "hz",
       "POST",
       "/api/cases/HZ-K1/freeze-orders",
       {{"reason", "golden hour"}},
       "SELECT COUNT(*) FROM freeze_orders"},
      {"freeze.move",
       "hz",
       "POST",
       "/api/freeze-orders/ORDER/move",
       {{"to", "sent"}},
       "SELECT group_concat(status) FROM freeze_orders"},
      {"takedown.create",
       "hz",
       "POST",
       "/api/cases/HZ-K1/takedowns",
       {{"reason", "fraud site"}},
       "SELECT COUNT(*) FROM takedowns"},
      {"takedown.move",
       "hz",
       "POST",
       "/api/takedowns/TAKEDOWN/move",
       {{"to", "sent"}},
       "SELECT group_concat(status) FROM takedowns"},
      {"lead.feedback",
       "hz",
       "POST",
       "/api/leads/" + lead + "/feedback",
       {{"status", "accepted"}},
       "SELECT group_concat(status) FROM leads"},
      {"warning.outcome",
       "hotline",
       "POST",
       "/api/warnings/W-HZ/outcome",
       {{"outcome", "dissuaded"}},
       "SELECT COUNT(*) FROM warning_outcomes"},
      {"logout", "hz", "POST", "/api/logout", json::object(), "SELECT COUNT(*) FROM sessions"},
  };
  for (Step step : steps) {
    SCOPED_TRACE(step.action);
    if (step.path.find("ORDER") != std::string::npos)
      step.path.replace(step.path.find("ORDER"), 5, Probe("SELECT MIN(id) FROM freeze_orders"));
    if (step.path.find("TAKEDOWN") != std::string::npos)
      step.path.replace(step.path.find("TAKEDOWN"), 8, Probe("SELECT MIN(id) FROM takedowns"));
    std::string before = Probe(step.probe);
    int64_t entries = Entries(step.action);
    EXPECT_FALSE(RunInChild(db_, step, /*kill_inside=*/true));
    // (The logout's own login, a change before it, is stored: one session more.)
    bool logout = step.action == "logout";
    if (logout) before = std::to_string(std::stoll(before) + 1);
    EXPECT_EQ(Probe(step.probe), before) << "the change outlived the kill";
    EXPECT_EQ(Entries(step.action), entries) << "an entry without its change";
    // Now let it through: the change and its entry are both there, even when killed right after.
    before = Probe(step.probe);
    EXPECT_TRUE(RunInChild(db_, step, /*kill_inside=*/false));
    if (logout) {
      EXPECT_EQ(Probe(step.probe), before) << "its login's session is gone again";
    } else
      EXPECT_NE(Probe(step.probe), before) << "the change is missing";
    EXPECT_EQ(Entries(step.action), entries + 1);
  }
  auto store = std::move(store::Store::OpenSqlite(db_)).value();
  audit::Key key = std::move(audit::Key::Load(audit::DefaultFiles(db_).key, false)).value();
  auto heads = audit::ReadHeads(audit::DefaultFiles(db_).heads);
  ASSERT_TRUE(heads.ok());
  EXPECT_FALSE(heads->empty());  // every child published the head at its last change... or its end
  auto v = audit::AuditLog(store->sql(), key).Verify(*heads);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok) << v->message;
}

// ---- logins ----

TEST_F(SecurityTest, GuessingIsThrottledWithoutPasswordChecks) {
  server::ServerOptions o = Options();
  o.login_throttle.first_delay = 60'000;  // the guesses below all fall in the first wait
  StartServer(o);
  std::string auditor = Login("auditor");  // before the guessing: the address will wait after it
  int64_t checks = auth::PasswordChecks();
  int refused = 0, wrong = 0;
  std::string retry_after, message_zh;
  for (int i = 0; i < 40; ++i) {
    auto r = Client().Post("/api/login",
                           json{{"user", "hz"}, {"password", "guess-" + std::to_string(i)}}.dump(),
                           "application/json");
    ASSERT_TRUE(r);
    if (r->status == 401) ++wrong;
    if (r->status == 429) {
      ++refused;
      retry_after = r->get_header_value("Retry-After");
      message_zh = Body(r)["message_zh"];
      EXPECT_EQ(Body(r)["error"], "too_many");
    }
  }
  EXPECT_EQ(wrong, 6);  // five free, the sixth sets the first wait
  EXPECT_EQ(refused, 34);
  EXPECT_EQ(auth::PasswordChecks() - checks, 6) << "a refused login spent a password check";
  EXPECT_FALSE(retry_after.empty());
  EXPECT_NE(message_zh.find("请"), std::string::npos) << message_zh;
  // The right password waits too: the name is throttled.
  auto right =
      Client().Post("/api/login", R"({"user":"hz","password":"password-hz"})", "application/json");
  EXPECT_EQ(right->status, 429);
  // Refusals are audited once per wait, not once per guess.
  json entries = Body(Client().Get("/api/audit?limit=1000", Bearer(auditor)))["entries"];
  int failed = 0, throttled = 0;
  for (const auto& e : entries) {
    failed += e["action"] == "login_failed";
    throttled += e["action"] == "login_throttled";
  }
  EXPECT_EQ(failed, 6);
  EXPECT_GE(throttled, 1);
  EXPECT_LE(throttled, 3);
}

TEST_F(SecurityTest, UnknownNamesCostACheckAndHugeNamesAreCappedInTheLog) {
  StartServer(Options());
  std::string auditor = Login("auditor");
  // 3,900 bytes: the most a login's body (4 KiB) holds, far above what the audit log keeps of it.
  for (std::string name :
       {std::string("nobody"), std::string(3'900, 'n'), std::string("li\xFF\xFE")}) {
    int64_t checks = auth::PasswordChecks();
    auto r = Client().Post("/api/login",
                           json{{"user", name}, {"password", "x"}}.dump(
                               -1, ' ', false, json::error_handler_t::replace),
                           "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 401) << r->body;
    EXPECT_EQ(Body(r)["message"], "wrong user or password");
    EXPECT_EQ(auth::PasswordChecks() - checks, 1)
        << "an unknown name must cost what a known one does";
  }
  // A bigger body is refused from its header, before any password check.
  int64_t checks = auth::PasswordChecks();
  auto huge = Client().Post("/api/login",
                            json{{"user", std::string(200'000, 'n')}, {"password", "x"}}.dump(),
                            "application/json");
  ASSERT_TRUE(huge);
  EXPECT_EQ(huge->status, 413) << huge->body;
  EXPECT_EQ(auth::PasswordChecks(), checks);
  auto raw = Client().Post("/api/login", std::string("{\"user\":\"li\xFF\",\"password\":\"x\"}"),
                           "application/json");
  ASSERT_TRUE(raw);
  auto list = Client().Get("/api/audit?limit=1000", Bearer(auditor));
  ASSERT_EQ(list->status, 200) << list->body;
  for (const auto& e : Body(list)["entries"]) {
    std::string target = e["target"];
    EXPECT_LE(target.size(), audit::kMaxTarget + 3);
    EXPECT_TRUE(IsValidUtf8(target));
  }
}

// ---- sessions ----

TEST_F(SecurityTest, DisabledRevokedExpiredAndLoggedOutSessionsStopAtOnce) {
  StartServer(Options());
  auto me = [&](const std::string& token) {
    return Client().Get("/api/me", Bearer(token))->status;
  };
  auto with_store = [&](const std::function<void(auth::Users&, store::SqlDatabase&)>& f) {
    auto store = std::move(store::Store::OpenSqlite(db_)).value();
    auth::Users users(store->sql());
    f(users, store->sql());
  };
  std::string token = Login("hz");
  EXPECT_EQ(me(token), 200);
  EXPECT_EQ(me(token), 200);  // used twice: any cache is warm
  with_store([](auth::Users& u, store::SqlDatabase&) { ASSERT_TRUE(u.Disable("hz", 5).ok()); });
  EXPECT_EQ(me(token), 401);
  auto disabled =
      Client().Post("/api/login", R"({"user":"hz","password":"password-hz"})", "application/json");
  EXPECT_EQ(disabled->status, 401);
  EXPECT_NE(Body(disabled)["message"].get<std::string>().find("disabled"), std::string::npos);
  with_store([](auth::Users& u, store::SqlDatabase&) { ASSERT_TRUE(u.Enable("hz").ok()); });
  token = Login("hz");
  EXPECT_EQ(me(token), 200);
  with_store([](auth::Users& u, store::SqlDatabase&) { ASSERT_EQ(*u.Revoke("hz"), 1); });
  EXPECT_EQ(me(token), 401);
  token = Login("hz");
  EXPECT_EQ(me(token), 200);
  with_store([](auth::Users&, store::SqlDatabase& db) {
    ASSERT_TRUE(db.Exec("UPDATE sessions SET expires_at = 1").ok());
  });
  EXPECT_EQ(me(token), 401);
  token = Login("hz");
  EXPECT_EQ(Client().Post("/api/logout", Bearer(token), "", "application/json")->status, 200);
  EXPECT_EQ(me(token), 401);
}

TEST_F(SecurityTest, TheDashboardsCookieIsHttpOnlyAndChangesNeedItsCsrfToken) {
  server::ServerOptions o = Options();
  o.secure_cookies = true;
  StartServer(o);
  auto login = Client().Post(
      "/api/login", R"({"user":"hz","password":"password-hz","cookie":true})", "application/json");
  ASSERT_EQ(login->status, 200) << login->body;
  json answer = Body(login);
  EXPECT_FALSE(answer.contains("token")) << "the page's script must never see the session token";
  std::string csrf = answer["csrf"];
  std::string set = login->get_header_value("Set-Cookie");
  for (const char* attr : {"HttpOnly", "SameSite=Strict", "Path=/api", "Secure", "Max-Age=43200"})
    EXPECT_NE(set.find(attr), std::string::npos) << attr << " missing: " << set;
  std::string cookie = set.substr(0, set.find(';'));
  httplib::Headers by_cookie = {{"Cookie", "other=1; " + cookie}};
  auto me = Client().Get("/api/me", by_cookie);
  ASSERT_EQ(me->status, 200);
  EXPECT_EQ(Body(me)["csrf"], csrf);
  std::string body = CaseBody("HZ-C1", "330102").dump();
  auto no_csrf = Client().Post("/api/cases", by_cookie, body, "application/json");
  EXPECT_EQ(no_csrf->status, 403);
  EXPECT_NE(Body(no_csrf)["message_zh"].get<std::string>().find("CSRF"), std::string::npos);
  httplib::Headers wrong = by_cookie;
  wrong.emplace("X-CSRF-Token", std::string(64, '0'));
  EXPECT_EQ(Client().Post("/api/cases", wrong, body, "application/json")->status, 403);
  EXPECT_EQ(Probe("SELECT COUNT(*) FROM cases"), "0");
  httplib::Headers right = by_cookie;
  right.emplace("X-CSRF-Token", csrf);
  EXPECT_EQ(Client().Post("/api/cases", right, body, "application/json")->status, 201);
  // API clients go on with bearer tokens and no CSRF token.
  EXPECT_EQ(Client()
                .Post("/api/cases", Bearer(Login("hz")), CaseBody("HZ-C2", "330102").dump(),
                      "application/json")
                ->status,
            201);
  // Logout clears the cookie, and the session is gone.
  auto out = Client().Post("/api/logout", right, "", "application/json");
  EXPECT_EQ(out->status, 200);
  EXPECT_NE(out->get_header_value("Set-Cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(Client().Get("/api/me", by_cookie)->status, 401);
}

// ---- scopes ----

TEST_F(SecurityTest, OutOfScopeIdsAnswerExactlyLikeUnknownOnes) {
  StartServer(Options());
  std::string hz = Login("hz");
  ASSERT_EQ(
      Client()
          .Post("/api/cases", Bearer(hz), CaseBody("HZ-S1", "330102").dump(), "application/json")
          ->status,
      201);
  auto drafted = Client().Post("/api/cases/HZ-S1/freeze-orders", Bearer(hz), R"({"reason":"r"})",
                               "application/json");
  ASSERT_EQ(drafted->status, 201) << drafted->body;
  std::string order = std::to_string(Body(drafted)["orders"][0]["id"].get<int64_t>());
  ASSERT_EQ(Client().Post("/api/cases/HZ-S1/takedowns", Bearer(hz), "", "application/json")->status,
            201);
  std::string takedown = Probe("SELECT MIN(id) FROM takedowns");
  std::string lead = Probe("SELECT MIN(id) FROM leads");
  struct Pair {
    std::string who, method, known, unknown, known_id, unknown_id;
    json body;
  };
  std::vector<Pair> pairs = {
      {"gx", "GET", "/api/cases/HZ-S1", "/api/cases/NO-SUCH", "HZ-S1", "NO-SUCH", nullptr},
      {"gx", "GET", "/api/cases/HZ-S1/trace?reason=x", "/api/cases/NO-SUCH/trace?reason=x", "HZ-S1",
       "NO-SUCH", nullptr},
      {"gx", "GET", "/api/cases/HZ-S1/freeze-plan?reason=x",
       "/api/cases/NO-SUCH/freeze-plan?reason=x", "HZ-S1", "NO-SUCH", nullptr},
      {"gx",
       "POST",
       "/api/cases/HZ-S1/freeze-orders",
       "/api/cases/NO-SUCH/freeze-orders",
       "HZ-S1",
       "NO-SUCH",
       {{"reason", "x"}}},
      {"gx", "POST", "/api/cases/HZ-S1/takedowns", "/api/cases/NO-SUCH/takedowns", "HZ-S1",
       "NO-SUCH", json::object()},
      {"gx", "GET", "/api/freeze-orders/" + order, "/api/freeze-orders/999999", order, "999999",
       nullptr},
      {"icbc", "GET", "/api/freeze-orders/" + order, "/api/freeze-orders/999999", order, "999999",
       nullptr},
      {"gx",
       "POST",
       "/api/freeze-orders/" + order + "/move",
       "/api/freeze-orders/999999/move",
       order,
       "999999",
       {{"to", "sent"}}},
      {"gx",
       "POST",
       "/api/takedowns/" + takedown + "/move",
       "/api/takedowns/999999/move",
       takedown,
       "999999",
       {{"to", "sent"}}},
      {"gx",
       "POST",
       "/api/leads/" + lead + "/feedback",
       "/api/leads/999999/feedback",
       lead,
       "999999",
       {{"status", "accepted"}}},
      {"gx-hotline",
       "POST",
       "/api/warnings/W-HZ/outcome",
       "/api/warnings/W-NONE/outcome",
       "W-HZ",
       "W-NONE",
       {{"outcome", "reached"}}},
  };
  for (const Pair& p : pairs) {
    SCOPED_TRACE(p.who + " " + p.method + " " + p.known);
    std::string token = Login(p.who);
    auto ask = [&](const std::string& path) {
      return p.method == "GET"
                 ? Client().Get(path, Bearer(token))
                 : Client().Post(path, Bearer(token), p.body.dump(), "application/json");
    };
    auto known = ask(p.known), unknown = ask(p.unknown);
    ASSERT_TRUE(known && unknown);
    EXPECT_EQ(known->status, 404);
    EXPECT_EQ(known->status, unknown->status);
    std::string a = known->body, b = unknown->body;
    for (size_t at; (at = a.find(p.known_id)) != std::string::npos;)
      a.replace(at, p.known_id.size(), "ID");
    for (size_t at; (at = b.find(p.unknown_id)) != std::string::npos;)
      b.replace(at, p.unknown_id.size(), "ID");
    EXPECT_EQ(a, b);
  }
  // Nothing was changed, and each refusal is in the audit log.
  EXPECT_EQ(Probe("SELECT group_concat(status) FROM freeze_orders WHERE id = " + order), "planned");
  EXPECT_GE(std::stoll(Probe("SELECT COUNT(*) FROM audit_log WHERE action = 'denied'")), 11);
}

TEST_F(SecurityTest, AnIllegalFreezeMoveIsAConflict) {
  StartServer(Options());
  std::string hz = Login("hz");
  ASSERT_EQ(
      Client()
          .Post("/api/cases", Bearer(hz), CaseBody("HZ-M1", "330102").dump(), "application/json")
          ->status,
      201);
  auto drafted = Client().Post("/api/cases/HZ-M1/freeze-orders", Bearer(hz), R"({"reason":"r"})",
                               "application/json");
  std::string order = std::to_string(Body(drafted)["orders"][0]["id"].get<int64_t>());
  auto r = Client().Post("/api/freeze-orders/" + order + "/move", Bearer(hz),
                         R"({"to":"returned"})", "application/json");
  EXPECT_EQ(r->status, 409) << r->body;
  EXPECT_EQ(Body(r)["error"], "conflict");
}

// ---- errors ----

TEST_F(SecurityTest, ErrorsNeverNameTheStoresFiles) {
  StartServer(Options());
  std::string centre = Login("centre");
  {
    auto store = std::move(store::Store::OpenSqlite(db_)).value();
    ASSERT_TRUE(store->sql().Exec("DROP TABLE freeze_orders").ok());
  }
  auto r = Client().Get("/api/freeze-orders", Bearer(centre));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  EXPECT_EQ(r->body.find(dir_.string()), std::string::npos) << r->body;
  EXPECT_EQ(r->body.find("fanzha.db"), std::string::npos) << r->body;
  EXPECT_EQ(r->body.find("freeze_orders"), std::string::npos) << r->body;  // no SQL either
  EXPECT_NE(Body(r)["message"].get<std::string>().find("error ref"), std::string::npos);
  for (const auto& [name, value] : r->headers)
    EXPECT_EQ(value.find(dir_.string()), std::string::npos) << name;
}

}  // namespace
}  // namespace fanzha
