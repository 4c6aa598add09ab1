#include "server/server.h"

#include <algorithm>
#include <cassert>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/clock.h"
#include "core/json.h"
#include "core/text.h"
#include "server/impl.h"
#include "server/openapi_json.h"
#include "server/session.h"

namespace fanzha::server {

Status Forbidden(const std::string& m) { return Status(ErrorCode::kForbidden, m); }

Result<int64_t> Call::number(const char* key, int64_t fallback, int64_t min, int64_t max) const {
  std::string text = query(key);
  if (text.empty()) return fallback;
  if (std::optional<int64_t> v = ParseWholeNumber(text, min, max)) return *v;
  std::string range = std::to_string(min) + " .. " + std::to_string(max), shown = Excerpt(text, 24);
  return Status::Invalid(std::string(key) + ": '" + shown + "' is not a whole number in " + range)
      .WithZh(std::string(key) + "：'" + shown + "' 不是 " + range + " 之间的整数");
}

Result<std::optional<Millis>> Call::time(const char* key) const {
  const std::string text = query(key);
  if (text.empty()) return std::optional<Millis>();
  Result<Millis> t = ParseTime(text);
  if (!t.ok()) return FieldOf(std::string(key) + ": ", t.status());
  return std::optional<Millis>(*t);
}

Result<std::optional<Fen>> Call::money(const char* key) const {
  const std::string text = query(key);
  if (text.empty()) return std::optional<Fen>();
  Result<Fen> m = ParseMoney(text);
  if (!m.ok()) return FieldOf(std::string(key) + ": ", m.status());
  return std::optional<Fen>(*m);
}

Result<int64_t> Call::path_number(size_t i, std::string_view what) const {
  std::string text = path_part(i);
  if (std::optional<int64_t> v = ParseWholeNumber(text, 1, INT64_MAX)) return *v;
  std::string shown = Excerpt(text, 24);
  return Status::Invalid(std::string(what) + " '" + shown + "': not a record number")
      .WithZh(std::string(what) + " '" + shown + "'：不是记录编号");
}

Result<Millis> TimeField(const nlohmann::json& body, const char* key,
                         std::optional<Millis> absent) {
  FANZHA_ASSIGN_OR_RETURN(std::string text, StringField(body, key));
  if (text.empty()) {
    if (absent) return *absent;
    return Status::Invalid(std::string(key) + ": missing").WithZh(std::string(key) + "：缺失");
  }
  Result<Millis> t = ParseTime(text);
  if (!t.ok()) return t.status().WithContext(key);
  return *t;
}

Result<nlohmann::json> BodyObject(const http::Request& req) {
  return ParseJsonObject(req.body, "body", "请求体");
}

namespace {

// The map file, checked to be a GeoJSON FeatureCollection (what the dashboard can draw).
Result<std::string> ReadMap(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Io(path + ": cannot read the map").WithZh(path + "：无法读取地图文件");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || doc.value("type", "") != "FeatureCollection" ||
      !doc.contains("features") || !doc["features"].is_array()) {
    return Status::Invalid(path +
                           ": not a GeoJSON FeatureCollection (\"type\": \"FeatureCollection\", "
                           "\"features\": [...])")
        .WithZh(path +
                "：不是 GeoJSON FeatureCollection（须有 \"type\": \"FeatureCollection\" 和 "
                "\"features\": [...]）");
  }
  return text;
}

// The most of a refused request's path that its audit entry keeps (a path may be 16 KiB).
constexpr size_t kAuditedPath = 512;

// A refused request as its answer and audit entry name it: the method and the path, capped.
std::string AuditedTarget(const http::Request& r) {
  return Utf8Prefix(r.method + " " + r.path, kAuditedPath);
}

// The `denied` audit entry of a refused request: who (nobody before login), what, why.
void AuditDenied(Server::Impl& s, const auth::User& u, const http::Request& r,
                 const std::string& why) {
  (void)s.Audit(u, "denied", AuditedTarget(r), "", why);
}

// Sent with every answer. The dashboard's page loads its script and styles from files only, so
// the policy allows no inline script; frames of it are refused (clickjacking).
std::vector<http::Header> SecurityHeaders() {
  return {{"Content-Security-Policy",
           "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
           "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
           "form-action 'self'; frame-ancestors 'none'"},
          {"X-Content-Type-Options", "nosniff"},
          {"X-Frame-Options", "DENY"},
          {"Referrer-Policy", "no-referrer"}};
}

http::Response ToResponse(Reply reply) {
  http::Response r;
  r.status = reply.status;
  r.body = std::move(reply.body);
  r.content_type = std::move(reply.content_type);
  r.headers = std::move(reply.headers);
  r.events = std::move(reply.events);
  return r;
}

}  // namespace

// Every watch_every (app::LiveLedger::Watch): compares the store's transfer count with what the
// server knows of; more means another process stored transfers, which only a rebuild brings into
// traces. Publishes the audit head too: the last head before a quiet spell.
bool Server::Impl::StoreChangedElsewhere() {
  bool changed = [&] {
    MutexLock db(db_mu);
    if (store::Store::IsPostgresUri(options.db)) return false;  // the feed tells (StartWatching)
    Result<int64_t> now = store->CountTransfers();
    if (!now.ok() || *now == known_transfers) return false;
    known_transfers = *now;
    return true;
  }();
  PublishHead(true);
  return changed;
}

Result<std::shared_ptr<const Case>> Server::Impl::GetCase(const std::string& id) {
  {
    MutexLock lock(cache_mu);
    auto it = cases.find(id);
    if (it != cases.end()) return it->second;
  }
  std::optional<Case> c;
  {
    MutexLock lock(db_mu);
    FANZHA_ASSIGN_OR_RETURN(c, store->GetCase(id));
  }
  if (!c) return Status::NotFound("no case " + id).WithZh("案件 " + id + " 不存在");

  auto shared = std::make_shared<const Case>(std::move(*c));
  MutexLock lock(cache_mu);
  cases.emplace(id, shared);  // a stored case never changes (same id, other content: conflict)
  return shared;
}

RoutePattern::RoutePattern(std::string_view pattern) {
  constexpr std::string_view kSegment = "([^/]+)", kDigits = R"((\d+))";
  while (!pattern.empty()) {
    assert(pattern[0] == '/' && "a route pattern is '/'-separated segments");
    pattern.remove_prefix(1);
    if (pattern.starts_with(kSegment)) {  // before looking for '/': the group holds one
      pieces_.push_back({Kind::kSegment, ""});
      pattern.remove_prefix(kSegment.size());
    } else if (pattern.starts_with(kDigits)) {
      pieces_.push_back({Kind::kDigits, ""});
      pattern.remove_prefix(kDigits.size());
    } else {
      std::string_view literal = pattern.substr(0, pattern.find('/'));
      assert(literal.find_first_of("()[]\\*+?") == std::string_view::npos &&
             "a route pattern group is ([^/]+) or (\\d+)");
      pieces_.push_back({Kind::kLiteral, std::string(literal)});
      pattern.remove_prefix(literal.size());
    }
  }
}

bool RoutePattern::Match(const std::string& path, std::vector<std::string>* parts) const {
  parts->assign(1, path);
  std::string_view rest = path;
  for (const Piece& piece : pieces_) {
    if (rest.empty() || rest[0] != '/') return false;
    rest.remove_prefix(1);
    std::string_view segment = rest.substr(0, rest.find('/'));
    rest.remove_prefix(segment.size());
    switch (piece.kind) {
      case Kind::kLiteral:
        if (segment != piece.text) return false;
        break;
      case Kind::kDigits:
        if (segment.empty() || !std::all_of(segment.begin(), segment.end(),
                                            [](char c) { return c >= '0' && c <= '9'; }))
          return false;
        parts->emplace_back(segment);
        break;
      case Kind::kSegment:
        if (segment.empty()) return false;
        parts->emplace_back(segment);
        break;
    }
  }
  return rest.empty();
}

void Server::Impl::Route(const std::string& method, const std::string& pattern, Access access,
                         Handler h) {
  routes.push_back({method, RoutePattern(pattern), std::move(access), std::move(h)});
}

// A request no route takes: a file of the dashboard, or 404.
http::Response Server::Impl::NoRoute(const http::Request& head) const {
  bool api = head.path == "/api" || head.path.starts_with("/api/");
  if (!api && (head.method == "GET" || head.method == "HEAD") && !web_root.empty())
    return WebFile(web_root, head.path);
  std::string what = AuditedTarget(head);
  return http::ErrorResponse(head,
                             Status::NotFound("no route " + what).WithZh("没有此接口：" + what));
}

http::Admission Server::Impl::Admit(const http::Request& head) {
  std::vector<std::string> parts;
  const RouteEntry* route = nullptr;
  for (const RouteEntry& r : routes) {
    if (r.method == head.method && r.pattern.Match(head.path, &parts)) {
      route = &r;
      break;
    }
  }
  if (!route) return http::Admission::Answer(NoRoute(head));
  Caller caller;
  if (route->access
          .login) {  // session.h: bearer token, or the dashboard's cookie with its CSRF token
    Result<Caller> who = Authenticate(
        *this, {head.header("Authorization"), head.header("Cookie"), head.header(kCsrfHeader),
                head.method != "GET" && head.method != "HEAD"});
    if (!who.ok()) {
      if (who.status().code() == ErrorCode::kForbidden)
        AuditDenied(*this, {}, head, who.status().message());
      return http::Admission::Answer(http::ErrorResponse(head, ForClient(*this, who.status())));
    }
    caller = std::move(*who);
    const auth::User& user = caller.user;
    const std::vector<auth::Role>& roles = route->access.roles;
    if (!roles.empty() && std::find(roles.begin(), roles.end(), user.role) == roles.end()) {
      std::string what = AuditedTarget(head);
      std::string role(auth::Name(user.role));
      Status denied =
          Forbidden("a " + role + " may not " + what).WithZh("角色 " + role + " 无权访问 " + what);
      AuditDenied(*this, user, head, denied.message());
      return http::Admission::Answer(http::ErrorResponse(head, denied));
    }
  }
  return http::Admission::ReadBody(
      route->access.body_limit,
      [this, route, caller = std::move(caller), parts = std::move(parts)](http::Request& req) {
        Call call{req, caller.user, parts, caller.token, caller.by_cookie, ""};
        Result<Reply> reply = route->handler(call);
        if (!call.denied.empty() ||
            (!reply.ok() && reply.status().code() == ErrorCode::kForbidden)) {
          AuditDenied(*this, call.user, req,
                      call.denied.empty() ? reply.status().message() : call.denied);
        }
        if (reply.ok()) return ToResponse(std::move(*reply));
        return http::ErrorResponse(req, ForClient(*this, reply.status()));
      });
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() { Stop(); }

Result<std::unique_ptr<Server>> Server::Open(const ServerOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  // One connection for sessions in a file (a read there is a few microseconds), four to a server.
  const int session_connections = store::Store::IsPostgresUri(options.db) ? 4 : 1;
  for (int i = 0; i < session_connections; ++i) {
    auto& one = impl->session_stores.emplace_back(std::make_unique<Impl::SessionStore>());
    MutexLock lock(one->mu);  // no other thread runs yet; the lock tells the compiler
    FANZHA_ASSIGN_OR_RETURN(one->store, store::Store::Open(options.db));
  }
  const std::string side_files = store::Store::SideFiles(options.db);
  audit::Files files = audit::DefaultFiles(side_files);
  std::string key_file = options.audit_key.empty() ? files.key : options.audit_key;
  std::string heads_file = options.audit_heads.empty() ? files.heads : options.audit_heads;
  FANZHA_ASSIGN_OR_RETURN(audit::Key key, audit::Key::Load(key_file, /*create=*/true));
  impl->audit_key = key;
  const std::string signing_file =
      options.signing_key.empty() ? casefile::DefaultKeyFile(side_files) : options.signing_key;
  FANZHA_ASSIGN_OR_RETURN(impl->signing_key, casefile::SigningKey::Load(signing_file, true));
  FANZHA_ASSIGN_OR_RETURN(audit::HeadFile heads, audit::HeadFile::Open(heads_file));
  impl->audit_heads.emplace(std::move(heads));
  impl->throttle = std::make_unique<auth::LoginThrottle>(options.login_throttle);
  impl->password_gate =
      std::make_unique<std::counting_semaphore<>>(std::max(1, options.password_checks));
  {
    MutexLock db(impl->db_mu);  // no other thread runs yet; the lock tells the compiler
    // Every request commits (its audit entry) under db_mu: the log is synced ahead of each
    // checkpoint, so that the requests behind one do not wait for its sync (store/checkpointer.h).
    store::SqliteOptions sqlite;
    sqlite.sync_log_ahead = true;
    FANZHA_ASSIGN_OR_RETURN(impl->store, store::Store::Open(options.db, sqlite));
    // Listening before the load: a transfer stored during it comes as a notice too.
    if (store::Store::IsPostgresUri(options.db)) {
      FANZHA_ASSIGN_OR_RETURN(impl->feed, store::TransferFeed::Listen(options.db));
    }
    // Counted before the load: a transfer stored during it shows as a change, and a rebuild.
    FANZHA_ASSIGN_OR_RETURN(impl->known_transfers, impl->store->CountTransfers());
    FANZHA_ASSIGN_OR_RETURN(impl->live, app::LiveLedger::Load(*impl->store, options.db));
  }
  Impl* s = impl.get();
  const Access kPublic = Access::Public();
  s->Route("GET", "/api/openapi.json", kPublic, [](Call&) -> Result<Reply> {
    return Reply{200, std::string(kOpenApiJson)};
  });
  s->Route("GET", "/api/health", kPublic, [s](Call&) -> Result<Reply> {
    Impl::LedgerState now = s->CurrentLedger();
    return JsonReply({{"ok", true},
                      {"transfers", now.ledger->transfer_count() + now.pending->size()},
                      {"transfers_pending", now.pending->size()},
                      {"ledger_version", now.version}});
  });
  if (!options.map_file.empty()) {
    FANZHA_ASSIGN_OR_RETURN(std::string map, ReadMap(options.map_file));
    s->Route("GET", "/api/map", kPublic, [map = std::move(map)](Call&) -> Result<Reply> {
      return Reply{200, map};
    });
  }
  s->AddSessionRoutes();
  s->AddNotificationRoutes();
  s->AddCaseRoutes();
  s->AddFreezeRoutes();
  s->AddOtherRoutes();
  s->AddLeadRoutes();
  s->AddTakedownRoutes();
  s->AddReportRoutes();
  s->AddCaseFileRoutes();
  s->AddCaseWorkRoutes();
  s->AddUserRoutes();
  s->AddInterchangeRoutes();
  if (!options.web_dir.empty() && std::filesystem::is_directory(options.web_dir)) {
    s->web_root = std::filesystem::canonical(options.web_dir).string();
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

namespace {

Status Listen(Server::Impl& s) {
  http::Options o;
  o.host = s.options.host;
  o.port = s.options.port;
  o.workers = s.options.threads > 0 ? s.options.threads : 16;
  o.limits = s.options.limits;
  o.headers = SecurityHeaders();
  o.admit = [&s](const http::Request& head) { return s.Admit(head); };
  FANZHA_ASSIGN_OR_RETURN(s.transport, http::Transport::Listen(std::move(o)));
  s.options.port = s.transport->port();
  return Status::Ok();
}

void StartWatching(Server::Impl& s) {
  s.live->Watch(s.options.watch_every, [&s] { return s.StoreChangedElsewhere(); });
  if (!s.feed) return;
  // Other nodes' transfers, read on this node's connection as they commit.
  int64_t own = 0;
  {
    MutexLock db(s.db_mu);
    own = s.store->ConnectionId();
  }
  s.live->Follow(std::move(s.feed), own,
                 [&s](const std::vector<std::string>& ids) -> Result<std::vector<Transfer>> {
                   MutexLock db(s.db_mu);
                   std::vector<Transfer> found;
                   for (const std::string& id : ids) {
                     FANZHA_ASSIGN_OR_RETURN(std::optional<Transfer> t, s.store->GetTransfer(id));
                     if (t) found.push_back(std::move(*t));
                   }
                   return found;
                 });
}

}  // namespace

Status Server::Start() {
  FANZHA_RETURN_IF_ERROR(Listen(*impl_));
  StartWatching(*impl_);
  FANZHA_RETURN_IF_ERROR(impl_->StartInterchange());
  impl_->transport->Start();
  return Status::Ok();
}

Status Server::Run() {
  FANZHA_RETURN_IF_ERROR(Start());
  MutexLock lock(impl_->stop_mu);
  while (!impl_->stopped) impl_->stopped_cv.Wait(impl_->stop_mu);
  return Status::Ok();
}

void Server::Stop() {
  if (!impl_) return;
  if (impl_->transport) impl_->transport->Stop();  // running handlers finish first
  if (impl_->live) impl_->live->Stop();
  impl_->StopInterchange();
  {
    MutexLock lock(impl_->stop_mu);
    impl_->stopped = true;
  }
  impl_->stopped_cv.SignalAll();
  impl_->PublishHead(true);
}

int Server::port() const { return impl_->options.port; }

}  // namespace fanzha::server
