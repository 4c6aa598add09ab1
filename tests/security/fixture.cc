#include "tests/security/fixture.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "auth/auth.h"
#include "store/store.h"

namespace fanzha::security {

namespace fs = std::filesystem;

void SecurityTest::SetUpTestSuite() {
  dir_ = (fs::temp_directory_path() / ("security_test_" + std::to_string(::getpid()))).string();
  fs::remove_all(dir_);
  fs::create_directories(dir_ + "/web/assets");
  std::ofstream(dir_ + "/web/index.html") << "<!doctype html><title>fanzha</title>";
  std::ofstream(dir_ + "/web/assets/app.js") << "console.log('dashboard');";
  std::ofstream(dir_ + "/web/.hidden") << "not for clients";
  std::ofstream(dir_ + "/secret.txt") << "TOP-SECRET beside the dashboard";
  fs::create_symlink(dir_ + "/secret.txt", dir_ + "/web/link.txt");
  std::string db = dir_ + "/fanzha.db";
  {
    auto store = std::move(store::Store::OpenSqlite(db)).value();
    auth::Users users(store->sql());
    for (auto u : {auth::User{"centre", auth::Role::kCentre, "", ""},
                   auth::User{"hz", auth::Role::kInvestigator, "330100", ""},
                   auth::User{"auditor", auth::Role::kAuditor, "", ""}}) {
      ASSERT_TRUE(users.Add(u, "password-" + u.name, 1).ok());
    }
  }
  server::ServerOptions o;
  o.db = db;
  o.port = 0;
  o.web_dir = dir_ + "/web";
  o.watch_every = 0;
  o.limits.max_connections_per_address = 100;
  auto opened = server::Server::Open(o);
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  server_ = opened->release();
  ASSERT_TRUE(server_->Start().ok());
}

void SecurityTest::TearDownTestSuite() {
  delete server_;
  server_ = nullptr;
  tokens_.clear();
  fs::remove_all(dir_);
}

httplib::Client SecurityTest::Client() {
  httplib::Client c("127.0.0.1", port());
  c.set_read_timeout(60, 0);  // logins hash with Argon2id: slow on a busy machine
  return c;
}

std::string SecurityTest::Token(const std::string& user) {
  auto it = tokens_.find(user);
  if (it != tokens_.end()) return it->second;
  auto res = Client().Post("/api/login",
                           nlohmann::json{{"user", user}, {"password", "password-" + user}}.dump(),
                           "application/json");
  if (!res || res->status != 200) {
    ADD_FAILURE() << "login of " << user << " failed";
    return "";
  }
  std::string token = nlohmann::json::parse(res->body).value("token", "");
  tokens_[user] = token;
  return token;
}

std::unique_ptr<server::Server> SecurityTest::OtherServer(
    const std::function<void(server::ServerOptions&)>& change) {
  server::ServerOptions o;
  o.db = dir_ + "/fanzha.db";
  o.port = 0;
  o.watch_every = 0;
  change(o);
  auto opened = server::Server::Open(o);
  if (!opened.ok()) {
    ADD_FAILURE() << opened.status().message();
    return nullptr;
  }
  if (Status st = (*opened)->Start(); !st.ok()) {
    ADD_FAILURE() << st.message();
    return nullptr;
  }
  return std::move(*opened);
}

std::string MissingSecurityHeaders(const std::map<std::string, std::string>& h) {
  std::string missing;
  auto value = [&](const char* name) {
    auto it = h.find(name);
    return it == h.end() ? std::string() : it->second;
  };
  std::string csp = value("content-security-policy");
  if (csp.find("script-src 'self'") == std::string::npos ||
      csp.find("unsafe-inline") != std::string::npos ||
      csp.find("unsafe-eval") != std::string::npos)
    missing += " content-security-policy(script-src 'self', no inline):" + csp;
  if (csp.find("frame-ancestors 'none'") == std::string::npos) missing += " frame-ancestors";
  if (value("x-content-type-options") != "nosniff") missing += " x-content-type-options";
  if (value("x-frame-options") != "DENY") missing += " x-frame-options";
  if (value("referrer-policy") != "no-referrer") missing += " referrer-policy";
  return missing;
}

std::map<std::string, std::string> LowerCased(const httplib::Headers& headers) {
  std::map<std::string, std::string> out;
  for (const auto& [name, value] : headers) {
    std::string lower = name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out[lower] = value;
  }
  return out;
}

}  // namespace fanzha::security
