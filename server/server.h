// The HTTP server of docs/API.md: the routes as a library over the other libraries, so that
// `fanzha serve` and the tests start the same thing (tests in-process, on an ephemeral port).
//
// Start with Server::Open(), then Start() (returns once listening) and Stop(), or Run() to block.
//
// Threads. The HTTP transport (server/http/transport.h) reads and writes every connection on one
// event-loop thread (Boost.Asio and Beast); no thread waits on a client, so idle or slow
// connections hold no worker. A request whose header is whole goes to a bounded pool of
// `threads` workers: the router checks login, role and body limit from the header there, the body
// is read (on the event loop) only if admitted, and the route's handler runs on a worker; handlers
// may block (SQLite, traces, password hashing). Shared state:
//  - the store: ONE connection, every use under one mutex (store writes are serialised anyway by
//    SQLite; reads are point lookups of microseconds);
//  - the ledger: immutable, loaded once at Open() and shared read-only by pointer. Transfers a
//    posted case adds wait in a pending list, which traces take into account at once
//    (trace/case_ledger.h), while a background thread loads a new ledger from a second connection
//    and swaps the pointer (the ledger version goes up; traces running on the old one finish on
//    it). Transfers another process stores (an import beside the server) are noticed by a watcher
//    thread and taken in by the same rebuild, seconds later;
//  - sessions: looked up on every request (a revoked session or a disabled user is refused at
//    once) on a second connection to the store, under its own mutex, so that a request's login
//    check never waits behind a slow store call; password checks (Argon2id, ~0.1 s) run outside
//    every mutex, at most `password_checks` at once (server/session.cc);
//  - caches of cases and trace answers (keyed by case, options and ledger version), each under
//    its own mutex.
// Lock order: never hold two of these mutexes at once.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "auth/throttle.h"
#include "core/clock.h"
#include "core/status.h"
#include "core/time.h"
#include "server/http/transport.h"

namespace fanzha::server {

struct ServerOptions {
  std::string db = "fanzha.db";  // the SQLite store, created (and migrated) when missing
  std::string host = "127.0.0.1";
  int port = 8080;      // 0: an ephemeral port, see Server::port()
  std::string web_dir;  // the built dashboard, served at "/" when the folder exists
  // A GeoJSON FeatureCollection of the provinces, served at /api/map for the leads board; its
  // features name provinces by `adcode` (110000) or `name` (北京市). Empty: no map is served.
  std::string map_file;
  int threads = 16;  // workers running handlers; connections take none while idle
  // Time and size limits of the HTTP transport (timeouts, header size, connections in total
  // and per client address); route bodies have their own limits (impl.h, Access).
  http::Limits limits;
  Millis token_ttl = 12LL * 3600 * 1000;
  bool cache_traces = true;  // cache trace answers per (case, options, ledger version)
  // How often to look for transfers other processes stored (`fanzha import` beside the server);
  // finding some rebuilds the ledger in the background. 0: never.
  Millis watch_every = 5000;
  // The bank interchange (docs/spec/INTERCHANGE.md): NATS server URLs (comma-separated for a
  // cluster). Empty: orders moved to `sent` wait for a liaison (CSV export) instead.
  std::string nats_url;
  int nats_replicas = 1;            // replicas of the streams it creates (3 in a cluster)
  std::string platform = "fanzha";  // names this platform in request ids
  // How often orders whose deadline passed are marked `expired` (also at every due list). 0: never.
  Millis sweep_every = 60000;
  // The time of everything the server dates or checks (audit entries, sessions, leads, reports,
  // the legal clocks); SystemClock() when null.
  const Clock* clock = nullptr;

  // The audit chain's key file (created, mode 0600, when missing) and the append-only file its
  // heads are published to; "" = beside the store (audit::DefaultFiles). See audit/audit.h.
  std::string audit_key;
  std::string audit_heads;
  // The key that signs evidence packages (casefile/casefile.h; made, mode 0600, when missing);
  // "" = beside the store, "<db>.signing-key".
  std::string signing_key;
  Millis audit_head_every = 1000;  // publish the head at most this often (and when stopping)
  // Notifications (GET /api/notifications/stream): how often each stream looks again, and how long
  // one lasts before the browser reconnects (and so shows its session again).
  Millis notify_every = 10000;
  Millis notify_for = 30LL * 60 * 1000;

  // Sessions of the dashboard: an HttpOnly, SameSite=Strict cookie, marked Secure when set (the
  // server is reached over TLS, directly or through a proxy).
  bool secure_cookies = false;
  auth::ThrottlePolicy login_throttle;  // delays and lockout of password guessing
  int password_checks = 2;              // Argon2id checks at once (64 MiB each); more wait
  // Crash tests only: called inside each audited change's transaction just before it commits,
  // with the change's audit action.
  std::function<void(std::string_view action)> before_commit;
};

class Server {
 public:
  // Opens the store and loads the ledger. Errors: the store's (kIoError, kSchemaMismatch).
  static Result<std::unique_ptr<Server>> Open(const ServerOptions& options);
  ~Server();  // stops serving first

  // Binds and serves on the transport's threads; returns once listening. kIoError when the
  // address cannot be bound.
  Status Start();
  // Start(), then blocks the calling thread until Stop() (from another thread or a signal
  // handler's helper thread).
  Status Run();
  void Stop();
  // The bound port (useful with port 0), valid after Start()/while Run() serves.
  int port() const;

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace fanzha::server
