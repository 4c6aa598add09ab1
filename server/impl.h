// Shared by the server's source files; not part of the public interface. See server.h for the
// threading model; each member says which mutex guards it.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <semaphore>
#include <thread>
#include <unordered_map>

#include "app/live_ledger.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "auth/throttle.h"
#include "casefile/casefile.h"
#include "core/json.h"
#include "core/model.h"
#include "core/mutex.h"
#include "federated/walk.h"
#include "freeze/freeze.h"
#include "interchange/platform.h"
#include "ledger/ledger.h"
#include "link/from_store.h"
#include "server/http/transport.h"
#include "server/server.h"
#include "store/store.h"
#include "store/transfer_feed.h"
#include "trace/case_ledger.h"

namespace fanzha::server {

using json = nlohmann::ordered_json;

// The most records one page of a list may ask for (`limit`).
constexpr int64_t kMaxPage = 100000;

// A request in a handler: the HTTP request (its body read once the route admitted it) and, for
// routes that need login, the user.
struct Call {
  const http::Request& req;
  auth::User user;
  std::vector<std::string> parts;  // parts[0] the path, parts[i] the route pattern's i-th group
  std::string query(const char* key) const { return req.param(key); }
  std::string path_part(size_t i) const { return i < parts.size() ? parts[i] : std::string(); }
  std::string header(std::string_view name) const { return req.header(name); }
  // The query parameter `key` as a whole number within [min, max] (core/text.h), `fallback` when
  // it is absent or empty; anything else is kInvalidInput naming the parameter and the bounds.
  Result<int64_t> number(const char* key, int64_t fallback, int64_t min, int64_t max) const;
  // The query parameter `key` as an RFC 3339 time, or as money in yuan; nullopt when it is absent
  // or empty; anything else is the parser's kInvalidInput with the parameter's name in front.
  Result<std::optional<Millis>> time(const char* key) const;
  Result<std::optional<Fen>> money(const char* key) const;
  // Path part i as a record's number (1 or more), `what` naming the record in the error.
  Result<int64_t> path_number(size_t i, std::string_view what) const;
  std::string token;       // the session's token (routes that need login)
  bool by_cookie = false;  // the session came as the dashboard's cookie, not a bearer token
  // Set by a handler that answers 404 for a record the caller may not see (so that ids cannot be
  // probed): why, for the audit log's `denied` entry.
  std::string denied;
};

struct Reply {
  Reply(int status = 200, std::string body = "") : status(status), body(std::move(body)) {}
  int status;
  std::string body;  // JSON, unless content_type says otherwise
  std::string content_type = "application/json";
  std::vector<http::Header> headers;          // more headers to send (Set-Cookie, ...)
  std::shared_ptr<http::EventStream> events;  // set: server-sent events follow `body`
};
// Never throws: bytes that are not UTF-8 in a stored string are replaced, not a 500.
inline Reply JsonReply(const json& doc, int status = 200) { return Reply(status, DumpJson(doc)); }

using Handler = std::function<Result<Reply>(Call&)>;

// Who may call a route and how much it may send; checked from the request's header, before a
// byte of the body is read (a body over the limit answers 413 unread).
struct Access {
  // Users of `roles` (the handler scopes further by region or institution).
  explicit Access(std::vector<auth::Role> roles, size_t body_limit = 0)
      : roles(std::move(roles)), body_limit(body_limit) {}
  static Access AnyUser(size_t body_limit = 0) { return Access({}, body_limit); }
  static Access Public(size_t body_limit = 0) {
    Access a({}, body_limit);
    a.login = false;
    return a;
  }

  bool login = true;
  std::vector<auth::Role> roles;  // empty: every logged-in user
  size_t body_limit = 0;          // bytes; 0: the route takes no body
};
inline constexpr size_t kLoginBody = 4 * 1024;      // a user name and a password
inline constexpr size_t kFormBody = 64 * 1024;      // a move, a feedback, a reason, a few ids
inline constexpr size_t kReportBody = 1024 * 1024;  // a reported case with its transfers
// The roles routes name (Access::roles); handlers then scope by region or institution.
inline const std::vector<auth::Role> kCaseRoles = {auth::Role::kCentre, auth::Role::kInvestigator};
inline const std::vector<auth::Role> kOrderRoles = {auth::Role::kCentre, auth::Role::kInvestigator,
                                                    auth::Role::kBank};
inline const std::vector<auth::Role> kWarningRoles = {auth::Role::kCentre, auth::Role::kHotline};
inline const std::vector<auth::Role> kFigureRoles = {auth::Role::kCentre, auth::Role::kInvestigator,
                                                     auth::Role::kHotline};
inline const std::vector<auth::Role> kCentreRoles = {auth::Role::kCentre};
inline const std::vector<auth::Role> kAuditorRoles = {auth::Role::kAuditor};

// A route's path pattern: literal segments and the groups "([^/]+)" (any one segment) and
// "(\d+)" (digits), matched segment by segment (no regular expression engine: std::regex
// recurses per character and overflows the stack on long paths).
class RoutePattern {
 public:
  explicit RoutePattern(std::string_view pattern);  // asserts the pattern uses only those forms
  // Whether `path` matches; fills `parts` as Call::parts.
  bool Match(const std::string& path, std::vector<std::string>* parts) const;

 private:
  enum class Kind { kLiteral, kSegment, kDigits };
  struct Piece {
    Kind kind;
    std::string text;  // kLiteral
  };
  std::vector<Piece> pieces_;
};

struct Server::Impl {
  ServerOptions options;
  struct RouteEntry {
    std::string method;
    RoutePattern pattern;
    Access access;
    Handler handler;
  };
  std::vector<RouteEntry> routes;  // registered at Open(), read-only afterwards
  std::string web_root;            // the dashboard folder, canonical; "" when none is served
  std::unique_ptr<http::Transport> transport;  // from Start() or Run() on
  Mutex stop_mu;
  CondVar stopped_cv;  // Run() waits on it with stop_mu
  bool stopped GUARDED_BY(stop_mu) = false;

  // The store's one connection. Everything that touches `store` (and the OrderBook, Users,
  // AuditLog over its sql()) holds db_mu.
  Mutex db_mu;
  std::unique_ptr<store::Store> store GUARDED_BY(db_mu);

  // The ledger traces run on, with the transfers stored since it was built (app/live_ledger.h):
  // thread-safe; its rebuilder and the store watcher run on threads of their own.
  std::unique_ptr<app::LiveLedger> live;
  // Store::CountTransfers as of the last look: what the server itself stored or has seen.
  int64_t known_transfers GUARDED_BY(db_mu) = 0;
  // The store's feed of transfers (PostgreSQL: several nodes share it), opened before the ledger
  // is loaded and followed once the server starts; null on SQLite (the watcher counts instead).
  std::unique_ptr<store::TransferFeed> feed;

  // Sessions are resolved on their own connection (server.h); logins are throttled, and at most
  // options.password_checks Argon2id checks run at once.
  // A few connections (SessionConnection(): the next in turn): on PostgreSQL each resolve is a
  // round trip, and one connection would queue every request behind the others'.
  struct SessionStore {
    Mutex mu;
    std::unique_ptr<store::Store> store GUARDED_BY(mu);
  };
  std::vector<std::unique_ptr<SessionStore>> session_stores;  // made at Open(), fixed afterwards
  std::atomic<size_t> session_turn{0};
  SessionStore& SessionConnection() {
    return *session_stores[session_turn.fetch_add(1, std::memory_order_relaxed) %
                           session_stores.size()];
  }
  std::unique_ptr<auth::LoginThrottle> throttle;
  std::unique_ptr<std::counting_semaphore<>> password_gate;

  // The audit chain's key, and the file its heads are published to (audited.cc).
  std::optional<audit::Key> audit_key;
  std::optional<casefile::SigningKey> signing_key;  // signs evidence packages
  std::optional<audit::HeadFile> audit_heads;
  audit::Anchor head GUARDED_BY(db_mu);  // the newest entry
  // Reads' entries waiting for their group commit (Audit), and whether one is being written.
  struct QueuedEntry {
    audit::Entry entry;
    Status status = Status::Ok();
    bool done = false;
  };
  Mutex audit_queue_mu;
  CondVar audit_queue_cv;
  std::vector<QueuedEntry*> audit_queue GUARDED_BY(audit_queue_mu);
  bool audit_writing GUARDED_BY(audit_queue_mu) = false;
  int64_t published_id GUARDED_BY(db_mu) = 0;  // the newest head published
  Millis published_at GUARDED_BY(db_mu) = 0;

  Mutex cache_mu;
  std::unordered_map<std::string, std::shared_ptr<const Case>> cases GUARDED_BY(cache_mu);
  std::unordered_map<std::string, std::shared_ptr<const std::string>> traces GUARDED_BY(cache_mu);

  // The stored clusters as JSON, made again when the stamp of the stored links changes, or when
  // cases whose payments were missing may be traced now (the ledger changed).
  Mutex link_mu;
  std::shared_ptr<const json> clusters GUARDED_BY(link_mu);
  link::StoredLinkStamp clusters_stamp GUARDED_BY(link_mu);
  bool clusters_untraced GUARDED_BY(link_mu) = false;
  int64_t clusters_ledger GUARDED_BY(link_mu) = 0;  // the ledger version it was made on

  // ---- helpers (server.cc) ----
  using LedgerState = app::LiveLedger::Snapshot;
  LedgerState CurrentLedger() const { return live->Current(); }
  // Checks whether another process stored transfers (takes db_mu) and publishes the audit head:
  // the live ledger's watcher calls it every watch_every.
  bool StoreChangedElsewhere() EXCLUDES(db_mu);
  // Traces a case on the current ledger and pending transfers (app::LiveLedger::TraceCase).
  using CaseTrace = app::LiveLedger::CaseTrace;
  Result<CaseTrace> TraceCase(const Case& c, const trace::Options& options) const {
    return live->TraceCase(c, options);
  }
  // Appends to the audit log, for reads and refusals, and returns once the entry is committed; a
  // change is audited with Change() instead. A group commit: the entries of the requests that
  // came while one transaction was being written go together in the next (takes audit_queue_mu,
  // then db_mu).
  Status Audit(const auth::User& u, std::string action, std::string target, std::string reason,
               std::string detail = "") EXCLUDES(db_mu, audit_queue_mu);
  // Appends the entries of `batch` in one transaction (takes db_mu).
  Status AppendQueued(const std::vector<QueuedEntry*>& batch) EXCLUDES(db_mu);
  struct Note {
    std::string action, target, reason, detail;
  };
  // One audited change: `change` writes to the store, then `note` (which `change` may complete,
  // e.g. with counts) is appended to the audit log, and both commit in ONE transaction or neither
  // does (a crash leaves neither). Takes db_mu: `change` runs with it held (declare the lambda
  // REQUIRES(db_mu), so that the compiler checks its body), and must not take it again (GetCase,
  // Audit).
  Status Change(const auth::User& u, Note& note, const std::function<Status()>& change)
      EXCLUDES(db_mu);
  // Publishes the newest head when the last publication is older than audit_head_every, or
  // `now_or_never` (the watcher, stopping). Holds db_mu.
  void PublishHead(bool now_or_never) EXCLUDES(db_mu);
  // The stored clusters brought up to date and as JSON (link::ToJson): cases posted or imported
  // since the last look are linked and saved (link::UpdateStoredLinks), their money traced on the
  // live ledger. Takes link_mu, then db_mu.
  Result<std::shared_ptr<const json>> LinkedClusters() EXCLUDES(link_mu, db_mu);
  // A stored case, from the cache or the store; kNotFound when none.
  Result<std::shared_ptr<const Case>> GetCase(const std::string& id) EXCLUDES(db_mu, cache_mu);
  // Registers a route (before Start).
  void Route(const std::string& method, const std::string& pattern, Access access, Handler h);
  // The transport's admission of a request (server.cc): routes it, checks login and role from
  // the header, and gives the route's body limit; static files of the dashboard otherwise.
  http::Admission Admit(const http::Request& head);
  http::Response NoRoute(const http::Request& head) const;  // a dashboard file, or 404

  void AddSessionRoutes();  // login, logout, me (session.cc)
  void AddCaseRoutes();
  void AddFreezeRoutes();
  void AddOtherRoutes();         // clusters, warnings, stats, audit
  void AddLeadRoutes();          // leads and their feedback
  void AddTakedownRoutes();      // takedown requests: list, from a case, move, STIX
  void AddReportRoutes();        // figures by day, region, fraud type; the daily report
  void AddCaseFileRoutes();      // a case's justice process and its evidence package
  void AddCaseWorkRoutes();      // the queue, assignment, notes, attachments, the timeline
  void AddUserRoutes();          // a centre's users: list, add, disable, enable
  void AddNotificationRoutes();  // what a user should act on now, and its stream

  // ---- the bank interchange and the legal clocks (interchange.cc) ----
  std::unique_ptr<interchange::Platform> platform;  // with --nats; thread-safe
  Mutex sweep_mu;
  CondVar sweep_cv;  // with sweep_mu: wakes the sweeper to stop
  bool sweep_stopping GUARDED_BY(sweep_mu) = false;
  std::thread sweeper;
  const Clock& clock() const { return options.clock ? *options.clock : SystemClock(); }
  Status StartInterchange();  // the platform (with --nats) and the sweep of lapsed orders
  void StopInterchange();
  // Marks lapsed orders expired (takes db_mu) and audits each.
  Status SweepLapsed() EXCLUDES(db_mu);
  // Orders moved to `sent`: the platform sends them now rather than at its next look.
  void OrdersSent();
  void AddInterchangeRoutes();  // due orders, renewals, releases, statement queries, status

  // ---- federated traces: a case's money followed through the banks (interchange.cc) ----
  struct FederatedRun {
    std::string status = "running";  // running | done | failed
    std::string by;                  // who started it
    Millis started_at = 0, finished_at = 0;
    json progress;                // the last round's (federated::ToJson's "progress")
    json orders = json::array();  // stop-payments sent so far (freeze::ToJson)
    json answer;                  // done: federated::ToJson
    json error;                   // failed: {"code", "message", "message_zh"}
  };
  Mutex federated_mu;
  std::map<std::string, std::shared_ptr<FederatedRun>> federated_runs GUARDED_BY(federated_mu);
  // The walks' threads, joined when their run has finished (ReapFederated) or the server stops.
  std::vector<std::pair<std::thread, std::shared_ptr<FederatedRun>>> federated_threads
      GUARDED_BY(federated_mu);
  std::atomic<bool> federated_stopping{false};
  // Runs the walk of `run` for case `c` on a store connection of its own (a thread).
  void RunFederated(std::shared_ptr<FederatedRun> run, Case c, federated::Options options,
                    bool stop_payments) EXCLUDES(federated_mu, db_mu);
  json FederatedJson(const std::string& case_id, const FederatedRun& run) REQUIRES(federated_mu);
  void ReapFederated() REQUIRES(federated_mu);
};

Status Forbidden(const std::string& m);
// Whether the user may see the order: a bank its institution's, others by the case's region
// (freeze_routes.cc).
bool MaySeeOrder(Server::Impl& s, const auth::User& u, const freeze::Order& o);
// The order number in the path, and the order if the caller may see it (freeze_routes.cc).
Result<int64_t> OrderId(const Call& call);
Result<freeze::Order> ScopedOrder(Server::Impl& s, Call& call, int64_t id);
// The kind, document and accounts of a draft (body fields kind, document, accounts), asked by `u`.
Result<freeze::DraftOptions> DraftOptionsOf(const nlohmann::json& body, const auth::User& u);
// The answer for a record that exists but is outside the caller's scope: exactly the answer for an
// unknown id (`not_found`, the same 404 and body), so ids cannot be probed; `why` goes to the
// audit log as a `denied` entry.
Status Hidden(Call& call, Status not_found, std::string why);
// A readable case in the caller's scope, or why not (cases.cc): 403 for a role that reads no
// cases, 404 for an unknown case and for one outside the caller's region alike.
Result<std::shared_ptr<const Case>> ScopedCase(Server::Impl& s, Call& call, const std::string& id);
// Trace options from the query (max_hops, until, min_amount) and a policy name ("" = fifo).
Result<trace::Options> TraceOptionsOf(const Call& call, const std::string& policy_name);
// kInvalidInput unless a reason is given: `what` (`what_zh` in Chinese: "资金追踪") needs one,
// and it is audited.
Status RequireReason(const std::string& reason, const char* what, const char* what_zh);
// A time field of a body (RFC 3339, or a form ParseTime takes), its key named in an error. Missing
// or empty: `absent`, or kInvalidInput "KEY: missing" when the field has no default.
Result<Millis> TimeField(const nlohmann::json& body, const char* key,
                         std::optional<Millis> absent = std::nullopt);
// The body as a JSON object. kInvalidInput when it is not UTF-8, nests deeper than kMaxJsonDepth
// (core/json.h: checked before parsing), or is not a JSON object.
Result<nlohmann::json> BodyObject(const http::Request& req);
// GET of a file of the dashboard under `root` (canonical) by its decoded request path ("/" is
// index.html): 404 for anything that is not a regular file inside `root` (no "..", no hidden
// files, no symbolic link out of it). web_files.cc.
http::Response WebFile(const std::string& root, const std::string& path);
// What a client may read of an error: a 5xx answer's details (store paths, SQL) go to the server's
// log under a reference, the client gets the reference; other messages never name the store's
// files (session.cc).
Status ForClient(const Server::Impl& s, const Status& st);

json CaseJson(const Case& c);

}  // namespace fanzha::server
