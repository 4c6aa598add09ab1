// Shared by the server's source files; not part of the public interface. See server.h for the
// threading model; each member says which mutex guards it.
#pragma once

#include <httplib.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <shared_mutex>
#include <thread>
#include <unordered_map>

#include "audit/audit.h"
#include "auth/auth.h"
#include "core/json.h"
#include "core/model.h"
#include "ledger/ledger.h"
#include "server/server.h"
#include "store/store.h"
#include "trace/case_ledger.h"

namespace fanzha::server {

using json = nlohmann::ordered_json;

// A request in a handler: the HTTP request and, for routes that need login, the user.
struct Call {
  const httplib::Request& req;
  auth::User user;
  std::string query(const char* key) const {
    return req.has_param(key) ? req.get_param_value(key) : std::string();
  }
  std::string path_part(size_t i) const { return req.matches[i]; }
};

struct Reply {
  int status = 200;
  std::string body;  // JSON
};
inline Reply JsonReply(const json& doc, int status = 200) { return {status, DumpJson(doc)}; }

using Handler = std::function<Result<Reply>(Call&)>;

struct Server::Impl {
  ServerOptions options;
  httplib::Server http;
  std::thread thread;  // serving thread of Start()

  // The store's one connection. Everything that touches `store` (and the OrderBook, Users,
  // AuditLog over its sql()) holds db_mu.
  std::mutex db_mu;
  std::unique_ptr<store::Store> store;  // GUARDED_BY(db_mu)

  // The current ledger; the Ledger itself is immutable and read without locks. Transfers stored
  // since it was built wait in `pending` until a rebuild on the `rebuilder` thread takes them in;
  // traces meanwhile see them through trace::LedgerForCase, so an answer never lags the store.
  mutable std::shared_mutex ledger_mu;
  std::shared_ptr<const ledger::Ledger> ledger;                // GUARDED_BY(ledger_mu)
  std::shared_ptr<const std::vector<Transfer>> pending;        // GUARDED_BY(ledger_mu)
  int64_t ledger_version = 1;  // GUARDED_BY(ledger_mu); up with every change of either
  std::mutex rebuild_mu;
  std::thread rebuilder;        // GUARDED_BY(rebuild_mu)
  bool rebuild_wanted = false;  // GUARDED_BY(rebuild_mu)
  bool rebuilding = false;      // GUARDED_BY(rebuild_mu)
  bool stopping = false;        // GUARDED_BY(rebuild_mu)
  std::condition_variable stop_watching;  // with rebuild_mu: wakes the watcher to stop
  std::thread watcher;                    // see ServerOptions::watch_every
  // Store::CountTransfers as of the last look: what the server itself stored or has seen.
  int64_t known_transfers = 0;  // GUARDED_BY(db_mu)

  std::mutex sessions_mu;
  std::unordered_map<std::string, auth::Session> sessions;  // GUARDED_BY(sessions_mu), by token hash

  std::mutex cache_mu;
  std::unordered_map<std::string, std::shared_ptr<const Case>> cases;         // GUARDED_BY(cache_mu)
  std::unordered_map<std::string, std::shared_ptr<const std::string>> traces;  // GUARDED_BY(cache_mu)
  std::atomic<int64_t> cases_version{1};  // goes up when a case is posted (clusters are redone)

  std::mutex link_mu;
  std::shared_ptr<const json> clusters;  // GUARDED_BY(link_mu)
  int64_t clusters_version = 0;          // GUARDED_BY(link_mu)

  // ---- helpers (server.cc) ----
  struct LedgerState {
    std::shared_ptr<const ledger::Ledger> ledger;
    std::shared_ptr<const std::vector<Transfer>> pending;
    int64_t version;
  };
  LedgerState CurrentLedger() const;
  // Adds stored transfers to `pending` and has the rebuilder take them into a new ledger.
  void AddTransfers(std::vector<Transfer> added);
  void RequestRebuild();  // another rebuild after the running one, if any
  void WatchStore();      // the watcher thread's loop
  void RebuildUntilCurrent();  // the rebuilder thread's loop
  void StopRebuilding();
  // Traces a case on the current ledger and pending transfers (trace/case_ledger.h); `on` is
  // the ledger the answer refers to (for freeze plans).
  struct CaseTrace {
    trace::CaseLedger on;
    trace::Answer answer;
  };
  Result<CaseTrace> TraceCase(const Case& c, const trace::Options& options);
  // Appends to the audit log (takes db_mu).
  Status Audit(const auth::User& u, std::string action, std::string target, std::string reason,
               std::string detail = "");
  // A stored case, from the cache or the store; kNotFound when none.
  Result<std::shared_ptr<const Case>> GetCase(const std::string& id);
  // Registers a route; `login` false for the few public ones.
  void Route(const std::string& method, const std::string& pattern, bool login, Handler h);

  void AddSessionRoutes();
  void AddCaseRoutes();
  void AddFreezeRoutes();
  void AddOtherRoutes();  // clusters, warnings, stats, audit
  void AddLeadRoutes();   // leads and their feedback
  void AddTakedownRoutes();  // takedown requests: list, from a case, move, STIX
  void AddReportRoutes();    // figures by day, region, fraud type; the daily report
};

Status Forbidden(const std::string& m);
// A readable case in the caller's scope, or why not (cases.cc).
Result<std::shared_ptr<const Case>> ScopedCase(Server::Impl& s, const Call& call, const std::string& id);
// Trace options from the query (max_hops, until, min_amount) and a policy name ("" = fifo).
Result<trace::Options> TraceOptionsOf(const Call& call, const std::string& policy_name);
// kInvalidInput unless a reason is given: `what` needs one, and it is audited.
Status RequireReason(const std::string& reason, const char* what);
// The body as a JSON object; kInvalidInput when it is not one.
Result<nlohmann::json> BodyObject(const httplib::Request& req);
// A string member, "" when absent; kInvalidInput naming `field` when not a string.
Result<std::string> StringField(const nlohmann::json& obj, const char* key);
Millis NowMillis();

json CaseJson(const Case& c);

}  // namespace fanzha::server
