// The platform's side of the bank interchange (docs/spec/INTERCHANGE.md): freeze orders moved to
// `sent`, renewals asked for and statement queries go out as requests over NATS JetStream; the
// banks' answers come back and move the orders along their lifecycle by themselves, each with its
// audit entry in the same transaction.
//
// Start with Platform::Start() (what `fanzha serve --nats URL` runs). It is made of steps that
// tests also call one by one: QueueRequests() (what is to go out, each request recorded byte for
// byte before it is published), MarkPublished(), ApplyAnswer() (one answer as it came from NATS).
//
// Nothing is lost: a request is recorded in the store before it is published and published again
// (same id) until JetStream acknowledges it; an answer is acknowledged only after its effect is
// committed. Tables interchange_requests, interchange_faults, statement_queries (migration 12).
#pragma once

#include <atomic>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "audit/audit.h"
#include "core/clock.h"
#include "core/mutex.h"
#include "core/status.h"
#include "freeze/orders.h"
#include "interchange/messages.h"
#include "interchange/nats.h"
#include "store/store.h"

namespace fanzha::interchange {

// ---- Statement queries (明细查询) -------------------------------------------------------------

struct StatementQuery {
  int64_t id = 0;
  std::string case_id;
  std::string account;
  std::string institution;
  std::string holder;
  Millis from = 0, to = 0;  // the window [from, to)
  freeze::Mandate mandate;
  int64_t continues = 0;       // the query whose incomplete answer this one continues; 0 when none
  std::string status;          // "queued" | "sent" | "answered" | "rejected"
  int64_t rows = 0;            // postings received
  std::optional<Fen> opening;  // answered: the balance just before `from`, when the bank said
  // Answered incomplete: the time of the first posting the answer left out; the query covers
  // [from, next_from). None when complete (or not answered).
  std::optional<Millis> next_from;
  // Whether the platform asks for the rest of an incomplete answer by itself (a query that
  // `continues` this one); false when the asker does, for only what it still needs.
  bool asks_rest = true;
  std::string reason;
  Millis created_at = 0, updated_at = 0;
};

// Queues a query for a running platform to send. kInvalidInput naming the field (account,
// institution, window, document). Returns it with its id. A query with asks_rest false writes two
// rows: make it inside the caller's transaction.
Result<StatementQuery> AskStatement(store::SqlDatabase& db, StatementQuery query, Millis now);
Result<std::vector<StatementQuery>> ListStatementQueries(store::SqlDatabase& db,
                                                         const std::string& account);
// The queries of each of `accounts` (by id), in the order given: one statement prepared for them
// all (a federated walk reads those of every account it meets, tens of thousands in a round).
Result<std::vector<std::vector<StatementQuery>>> ListStatementQueries(
    store::SqlDatabase& db, const std::vector<std::string>& accounts);
nlohmann::ordered_json ToJson(const StatementQuery& q);

// ---- Requests out -----------------------------------------------------------------------------

struct Outgoing {
  std::string id;
  std::string institution;
  std::string subject;
  std::string body;
};

// Records a request for everything that is to go out and has none yet (orders `sent`, renewals
// asked for, queued statement queries), then returns the recorded requests JetStream has not
// acknowledged yet, oldest first, at most `limit`. Requests to an institution whose name the
// interchange cannot carry are recorded as unsendable and never returned. One transaction.
Result<std::vector<Outgoing>> QueueRequests(store::SqlDatabase& db, std::string_view platform,
                                            Millis now, size_t limit);
Status MarkPublished(store::SqlDatabase& db, const std::string& id, Millis now);
Status MarkPublishFailed(store::SqlDatabase& db, const std::string& id, const std::string& error);

struct RequestRow {
  std::string id;
  std::string kind;
  int64_t order_id = 0;
  int renewal = 0;
  int64_t query_id = 0;
  std::string institution;
  std::string
      status;  // queued | published | pending | executed | rejected | unapplied | unsendable
  Millis created_at = 0, published_at = 0, answered_at = 0;
  int64_t bank_ms = 0;
  int attempts = 0;
  std::string last_error;
};
// Requests, newest first, at most `limit`; only those of `order_id` when not 0.
Result<std::vector<RequestRow>> ListRequests(store::SqlDatabase& db, int64_t order_id,
                                             size_t limit);
nlohmann::ordered_json ToJson(const RequestRow& r);

// A request as it went out and the bank's answer as it came back, byte for byte ("" while none
// came): what an evidence package keeps.
struct Exchange {
  RequestRow row;
  std::string body;
  std::string answer;
};
// The requests of the orders `order_ids` and of the statement queries `query_ids`, oldest first.
// Cost: one index range per order, one pass over the statement requests.
Result<std::vector<Exchange>> ExchangesOf(store::SqlDatabase& db,
                                          const std::vector<int64_t>& order_ids,
                                          const std::vector<int64_t>& query_ids);

// ---- Answers in -------------------------------------------------------------------------------

enum class Applied {
  kApplied,    // a final answer moved its order (or query) along
  kPending,    // a pending answer: noted
  kDuplicate,  // the request had its final answer already: dropped
  kFault,      // not applied: recorded in interchange_faults with the reason
};
std::string_view Name(Applied a);

struct AnswerOutcome {
  Applied what = Applied::kFault;
  std::string request;   // the request it answers ("" when unreadable)
  int64_t order_id = 0;  // or the statement query's id
  std::string detail;    // what changed, or the fault's reason
};

struct AnswerContext {
  std::string statements_dir;  // where statement answers are written before they are imported
  const audit::Key* audit_key = nullptr;  // the audit chain's key (audit/audit.h); must outlive it
};

// Applies one answer as it came from NATS (its subject, its bytes): checks it (size, form,
// version, that the request exists, that the answering institution is the one it was sent to,
// that it has no final answer yet), then moves the order, records the answer and the audit entry
// in one transaction. A check that fails is a kFault outcome, not an error; errors are the store's
// (the caller retries later).
Result<AnswerOutcome> ApplyAnswer(store::Store& store, std::string_view subject,
                                  std::string_view bytes, const AnswerContext& context, Millis now);

struct Fault {
  int64_t id = 0;
  Millis at = 0;
  std::string subject, msg_id, reason, excerpt;
};
Result<std::vector<Fault>> ListFaults(store::SqlDatabase& db, size_t limit);

// ---- The running platform ---------------------------------------------------------------------

struct PlatformOptions {
  std::string db;  // the platform's store; the platform opens its own connections
  NatsOptions nats;
  std::string platform = "fanzha";  // names this platform in request ids (CheckPlatformName)
  int replicas = 1;                 // stream replicas when it creates streams (3 in a cluster)
  const Clock* clock = nullptr;     // SystemClock() when null
  Millis poll_every = 500;          // how often to look for work written by other processes
  std::string statements_dir;       // "": <db>.statements/
  const audit::Key* audit_key = nullptr;  // appends the answers' audit entries; must outlive it
};

class Platform {
 public:
  // Connects, creates the answer stream and the durable consumer `platform`, and starts the
  // sending and receiving threads. kIoError when NATS or the store cannot be reached.
  static Result<std::unique_ptr<Platform>> Start(const PlatformOptions& options);
  ~Platform();
  // Something is to go out: look now rather than at the next poll. Thread-safe.
  void Wake();
  void Stop();

  struct Stats {
    int64_t published = 0, applied = 0, pending = 0, duplicates = 0, faults = 0, errors = 0;
    bool connected = false;
  };
  Stats stats() const;

 private:
  explicit Platform(PlatformOptions options) : options_(std::move(options)) {}
  void SendLoop();
  void ReceiveLoop();
  Status EnsureRequestStream(const std::string& institution);

  PlatformOptions options_;
  std::unique_ptr<Connection> nats_;
  std::unique_ptr<store::Store> send_store_, receive_store_;  // one per thread
  std::unique_ptr<Consumer> answers_;
  Mutex mu_;
  CondVar wake_;
  bool stopping_ GUARDED_BY(mu_) = false;
  bool woken_ GUARDED_BY(mu_) = false;
  std::vector<std::string> streams_;  // request streams ensured; sender thread only
  std::thread sender_, receiver_;
  std::atomic<int64_t> published_{0}, applied_{0}, pending_{0}, duplicates_{0}, faults_{0},
      errors_{0};
};

}  // namespace fanzha::interchange
