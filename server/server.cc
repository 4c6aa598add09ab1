#include "server/server.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/json.h"
#include "server/impl.h"
#include "server/openapi_json.h"

namespace fanzha::server {

Status Forbidden(const std::string& m) { return Status(ErrorCode::kForbidden, m); }

Millis NowMillis() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

Result<nlohmann::json> BodyObject(const httplib::Request& req) {
  nlohmann::json body = nlohmann::json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object())
    return Status::Invalid("body: not a JSON object");
  return body;
}

Result<std::string> StringField(const nlohmann::json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::string();
  if (!it->is_string()) return Status::Invalid(std::string(key) + ": not a string");
  return it->get<std::string>();
}

namespace {

// The map file, checked to be a GeoJSON FeatureCollection (what the dashboard can draw).
Result<std::string> ReadMap(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Io(path + ": cannot read the map");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || doc.value("type", "") != "FeatureCollection" ||
      !doc.contains("features") || !doc["features"].is_array()) {
    return Status::Invalid(path + ": not a GeoJSON FeatureCollection (\"type\": \"FeatureCollection\", \"features\": [...])");
  }
  return text;
}

json ErrorJson(const Status& st) {
  return {{"error", ErrorCodeName(st.code())}, {"message", st.message()}, {"message_zh", st.zh()}};
}

std::string BearerToken(const httplib::Request& req) {
  std::string h = req.get_header_value("Authorization");
  constexpr std::string_view kPrefix = "Bearer ";
  return h.starts_with(kPrefix) ? h.substr(kPrefix.size()) : std::string();
}

}  // namespace

Server::Impl::LedgerState Server::Impl::CurrentLedger() const {
  std::shared_lock lock(ledger_mu);
  return {ledger, pending, ledger_version};
}

void Server::Impl::AddTransfers(std::vector<Transfer> added) {
  {
    std::unique_lock lock(ledger_mu);
    auto more = std::make_shared<std::vector<Transfer>>(*pending);
    more->insert(more->end(), std::make_move_iterator(added.begin()),
                 std::make_move_iterator(added.end()));
    pending = std::move(more);
    ++ledger_version;
  }
  RequestRebuild();
}

void Server::Impl::RequestRebuild() {
  std::lock_guard lock(rebuild_mu);
  rebuild_wanted = true;
  if (rebuilding || stopping) return;  // a running rebuilder loops once more
  if (rebuilder.joinable()) rebuilder.join();  // it has finished: it cleared `rebuilding`
  rebuilding = true;
  rebuilder = std::thread([this] { RebuildUntilCurrent(); });
}

// Loads the ledger again from the store (a second connection, so that requests keep the first),
// then swaps it in and drops the pending transfers it now holds: those stored before the load
// began (a transfer is stored before it is added to `pending`).
void Server::Impl::RebuildUntilCurrent() {
  for (;;) {
    {
      std::lock_guard lock(rebuild_mu);
      if (!rebuild_wanted || stopping) {
        rebuilding = false;
        return;
      }
      rebuild_wanted = false;
    }
    size_t taken = CurrentLedger().pending->size();
    Result<std::unique_ptr<ledger::Ledger>> fresh = [&]() -> Result<std::unique_ptr<ledger::Ledger>> {
      FANZHA_ASSIGN_OR_RETURN(auto reader, store::Store::OpenSqlite(options.db));
      return ledger::Ledger::Load(*reader);
    }();
    if (!fresh.ok()) {  // traces stay exact through `pending`; say so and stop trying
      std::fprintf(stderr, "fanzha serve: ledger rebuild failed, new transfers stay pending: %s\n",
                   fresh.status().message().c_str());
      std::lock_guard lock(rebuild_mu);
      rebuilding = false;
      return;
    }
    std::unique_lock lock(ledger_mu);
    ledger = std::move(*fresh);
    pending = std::make_shared<const std::vector<Transfer>>(pending->begin() + taken, pending->end());
    ++ledger_version;
  }
}

// Every watch_every, compares the store's transfer count with what the server knows of; more
// means another process stored transfers, which only a rebuild brings into traces.
void Server::Impl::WatchStore() {
  std::unique_lock lock(rebuild_mu);
  while (!stop_watching.wait_for(lock, std::chrono::milliseconds(options.watch_every),
                                 [this] { return stopping; })) {
    lock.unlock();
    bool changed = [&] {
      std::lock_guard db(db_mu);
      Result<int64_t> now = store->CountTransfers();
      if (!now.ok() || *now == known_transfers) return false;
      known_transfers = *now;
      return true;
    }();
    if (changed) RequestRebuild();
    lock.lock();
  }
}

void Server::Impl::StopRebuilding() {
  std::thread done, watching;
  {
    std::lock_guard lock(rebuild_mu);
    stopping = true;
    done = std::move(rebuilder);
    watching = std::move(watcher);
  }
  stop_watching.notify_all();
  if (watching.joinable()) watching.join();
  if (done.joinable()) done.join();
}

Status Server::Impl::Audit(const auth::User& u, std::string action, std::string target,
                           std::string reason, std::string detail) {
  audit::Entry e;
  e.at = NowMillis();
  e.user = u.name;
  e.role = u.name.empty() ? "" : std::string(auth::Name(u.role));
  e.action = std::move(action);
  e.target = std::move(target);
  e.reason = std::move(reason);
  e.detail = std::move(detail);
  std::lock_guard lock(db_mu);
  return audit::AuditLog(store->sql()).Append(std::move(e)).status();
}

Result<std::shared_ptr<const Case>> Server::Impl::GetCase(const std::string& id) {
  {
    std::lock_guard lock(cache_mu);
    auto it = cases.find(id);
    if (it != cases.end()) return it->second;
  }
  std::optional<Case> c;
  {
    std::lock_guard lock(db_mu);
    FANZHA_ASSIGN_OR_RETURN(c, store->GetCase(id));
  }
  if (!c) return Status::NotFound("no case " + id);
  auto shared = std::make_shared<const Case>(std::move(*c));
  std::lock_guard lock(cache_mu);
  cases.emplace(id, shared);  // a stored case never changes (same id, other content: conflict)
  return shared;
}

Result<auth::User> Authenticate(Server::Impl& s, const httplib::Request& req) {
  std::string token = BearerToken(req);
  if (token.empty())
    return Status(ErrorCode::kUnauthorized, "log in first: Authorization: Bearer <token>");
  std::string key = auth::TokenHash(token);
  Millis now = NowMillis();
  {
    std::lock_guard lock(s.sessions_mu);
    auto it = s.sessions.find(key);
    if (it != s.sessions.end() && it->second.expires_at > now) return it->second.user;
  }
  Result<auth::Session> session = [&]() -> Result<auth::Session> {
    std::lock_guard lock(s.db_mu);
    return auth::Users(s.store->sql()).Resolve(token, now);
  }();
  if (!session.ok()) return session.status();
  std::lock_guard lock(s.sessions_mu);
  s.sessions[key] = *session;
  return session->user;
}

void Server::Impl::Route(const std::string& method, const std::string& pattern, bool login,
                         Handler h) {
  auto wrapped = [this, login, h, method](const httplib::Request& req, httplib::Response& res) {
    Call call{req, {}};
    Result<Reply> reply = Status::Internal("not run");
    if (login) {
      Result<auth::User> user = Authenticate(*this, req);
      if (!user.ok()) reply = user.status();
      else call.user = *user;
    }
    if (!login || !call.user.name.empty()) reply = h(call);
    if (!reply.ok() && reply.status().code() == ErrorCode::kForbidden) {
      (void)Audit(call.user, "denied", method + " " + req.path, "", reply.status().message());
    }
    if (reply.ok()) {
      res.status = reply->status;
      res.set_content(reply->body, "application/json");
    } else {
      res.status = HttpStatus(reply.status().code());
      res.set_content(DumpJson(ErrorJson(reply.status())), "application/json");
    }
  };
  if (method == "GET") http.Get(pattern, wrapped);
  else http.Post(pattern, wrapped);
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() { Stop(); }

Result<std::unique_ptr<Server>> Server::Open(const ServerOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  FANZHA_ASSIGN_OR_RETURN(impl->store, store::Store::OpenSqlite(options.db));
  // Counted before the load: a transfer stored during it shows as a change, and a rebuild.
  FANZHA_ASSIGN_OR_RETURN(impl->known_transfers, impl->store->CountTransfers());
  FANZHA_ASSIGN_OR_RETURN(std::unique_ptr<ledger::Ledger> ledger, ledger::Ledger::Load(*impl->store));
  impl->ledger = std::move(ledger);
  impl->pending = std::make_shared<const std::vector<Transfer>>();
  Impl* s = impl.get();
  int threads = options.threads > 0 ? options.threads : 16;
  s->http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  s->http.set_keep_alive_max_count(100000);
  s->http.set_tcp_nodelay(true);  // small JSON answers: no Nagle delay behind delayed ACKs
  s->http.set_keep_alive_timeout(30);
  s->Route("GET", "/api/openapi.json", false,
           [](Call&) -> Result<Reply> { return Reply{200, std::string(kOpenApiJson)}; });
  s->Route("GET", "/api/health", false, [s](Call&) -> Result<Reply> {
    Impl::LedgerState now = s->CurrentLedger();
    return JsonReply({{"ok", true}, {"transfers", now.ledger->transfer_count() + now.pending->size()},
                      {"transfers_pending", now.pending->size()}, {"ledger_version", now.version}});
  });
  if (!options.map_file.empty()) {
    FANZHA_ASSIGN_OR_RETURN(std::string map, ReadMap(options.map_file));
    s->Route("GET", "/api/map", false,
             [map = std::move(map)](Call&) -> Result<Reply> { return Reply{200, map}; });
  }
  s->AddSessionRoutes();
  s->AddCaseRoutes();
  s->AddFreezeRoutes();
  s->AddOtherRoutes();
  s->AddLeadRoutes();
  s->AddTakedownRoutes();
  s->AddReportRoutes();
  if (!options.web_dir.empty() && std::filesystem::is_directory(options.web_dir)) {
    s->http.set_mount_point("/", options.web_dir);
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

namespace {

Status Bind(Server::Impl& s) {
  int port = s.options.port;
  if (port == 0) port = s.http.bind_to_any_port(s.options.host);
  else if (!s.http.bind_to_port(s.options.host, port)) port = -1;
  if (port <= 0) {
    return Status::Io("cannot listen on " + s.options.host + ":" + std::to_string(s.options.port));
  }
  s.options.port = port;
  return Status::Ok();
}

void StartWatching(Server::Impl& s) {
  if (s.options.watch_every <= 0) return;
  std::lock_guard lock(s.rebuild_mu);
  if (!s.watcher.joinable()) s.watcher = std::thread([&s] { s.WatchStore(); });
}

}  // namespace

Status Server::Start() {
  FANZHA_RETURN_IF_ERROR(Bind(*impl_));
  Impl& s = *impl_;
  StartWatching(s);
  s.thread = std::thread([&s] { s.http.listen_after_bind(); });
  return Status::Ok();  // the socket listens already: connections wait in its backlog
}

Status Server::Run() {
  FANZHA_RETURN_IF_ERROR(Bind(*impl_));
  StartWatching(*impl_);
  impl_->http.listen_after_bind();
  return Status::Ok();
}

void Server::Stop() {
  if (!impl_) return;
  impl_->http.stop();
  if (impl_->thread.joinable() && impl_->thread.get_id() != std::this_thread::get_id())
    impl_->thread.join();
  impl_->StopRebuilding();
}

int Server::port() const { return impl_->options.port; }

}  // namespace fanzha::server
