// A bank node: one institution's side of the interchange (docs/spec/INTERCHANGE.md). It holds the
// institution's own accounts and transfers (a store filled with `fanzha import` like any other),
// takes the platform's requests (stop-payment, freeze, renewal, release, statement query), checks
// the four facts, acts against the balance it holds, and answers each request once.
//
// Start with Desk (one request in, its answer out, against the bank's store: what a bank's own
// system would do) and Node (the Desk on NATS JetStream: what `fanzha bank serve` runs).
//
// Tables bank_requests (every request answered, with its final answer byte for byte) and
// bank_holds (per platform order: what is held, until when, renewals, release); migration 13.
#pragma once

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "interchange/directory.h"
#include "interchange/messages.h"
#include "interchange/nats.h"
#include "ledger/ledger.h"
#include "store/store.h"

namespace fanzha::bank {

struct Handled {
  std::string request;    // the request answered (its id, or the header's, or "seq:N")
  std::string answer_id;  // Nats-Msg-Id of the answer
  std::string answer;     // the answer's JSON, to publish as is
  interchange::AnswerStatus status = interchange::AnswerStatus::kRejected;
  bool repeated = false;  // a request answered before: its stored answer, nothing done again
};

// What the bank holds for one platform order.
struct Hold {
  std::string order;    // the platform's order id ("fanzha/12")
  std::string request;  // the request that made it
  std::string kind;     // stop_payment | freeze | release
  std::string account;
  std::string case_id;
  std::string document;
  Fen amount = 0;
  Millis executed_at = 0;
  Millis deadline = 0;  // 0 for a release
  int renewals = 0;
  Millis released_at = 0;
  std::string released_by;
};
nlohmann::ordered_json ToJson(const Hold& h, Millis now);

// The bank's desk. Thread-compatible: one thread at a time (the Node's).
class Desk {
 public:
  // kInvalidInput when the institution's name cannot be carried on the interchange.
  static Result<std::unique_ptr<Desk>> Open(store::Store& store, std::string institution,
                                            const Clock& clock);

  // Answers one request as it came from NATS: `msg_id` is its Nats-Msg-Id header and `sequence`
  // its stream sequence (for requests whose id cannot be read); `received_at` is when it arrived
  // (the answer's bank_ms counts from it). Every request gets an answer (a bad one a rejection
  // saying why); errors are the store's only, and then nothing was written. A request answered
  // before gets its stored answer again (`repeated`). Cost: a few point lookups and one
  // transaction; the ledger is reloaded first when the store's transfers changed.
  Result<Handled> Handle(std::string_view msg_id, uint64_t sequence, std::string_view bytes,
                         Millis received_at);

  // The holds, by order id.
  Result<std::vector<Hold>> Holds();
  const std::string& institution() const { return institution_; }
  const std::string& token() const { return token_; }
  // A statement answer holds at most this many postings (1..kMaxStatementRows, the default); the
  // rest is left to another query (`next_from`). Fewer: a bank that pages smaller, and tests that
  // make small worlds come in parts.
  void set_statement_rows(int64_t rows) {
    statement_rows_ = std::clamp<int64_t>(rows, 1, interchange::kMaxStatementRows);
  }

 private:
  Desk(store::Store& store, std::string institution, std::string token, const Clock& clock)
      : store_(store),
        institution_(std::move(institution)),
        token_(std::move(token)),
        clock_(clock) {}
  Status Refresh();
  Result<interchange::Answer> Act(const interchange::Request& r, Millis now);
  Result<interchange::Answer> StopOrFreeze(const interchange::Request& r, Millis now);
  Result<interchange::Answer> Renew(const interchange::Request& r, Millis now);
  Result<interchange::Answer> Release(const interchange::Request& r, Millis now);
  Result<interchange::Answer> Statement(const interchange::Request& r, Millis now);
  Result<Fen> Available(ledger::AccountIndex a, const std::string& account, Millis now);

  store::Store& store_;
  std::string institution_, token_;
  const Clock& clock_;
  std::unique_ptr<ledger::Ledger> ledger_;
  int64_t ledger_transfers_ = -1;  // Store::CountTransfers when the ledger was loaded
  int64_t statement_rows_ = interchange::kMaxStatementRows;
  std::vector<std::string> holders_;                              // by ledger account
  std::unordered_map<ledger::TransferIndex, std::string> memos_;  // the transfers that have one
};

struct NodeOptions {
  std::string institution;
  std::string db;  // the bank's store
  interchange::NatsOptions nats;
  int replicas = 1;  // of the streams it creates (3 in a cluster)
  // A simulated time to act, drawn for each request uniformly from [delay_min, delay_max]: the
  // hours a bank's staff would take, shrunk for benchmarks. A `pending` answer goes out at once.
  Millis delay_min = 0, delay_max = 0;
  uint64_t seed = 1;
  Millis ack_wait = 30000;       // more than the longest delay
  const Clock* clock = nullptr;  // SystemClock() when null: the bank's clock for the legal terms
  // Issuer prefixes of the bank's account numbers (interchange/directory.h): when not empty, the
  // node announces them at start, replacing its last announcement; when empty it announces nothing
  // and its last announcement stays as it was.
  std::vector<std::string> prefixes;
};

// "1500ms", "2s" or "0-2s" (uniform between): the --delay option. kInvalidInput otherwise.
Status ParseDelay(std::string_view text, Millis* min, Millis* max);

class Node {
 public:
  // Opens the store, connects, creates its request stream and the answer stream when missing,
  // announces its prefixes (NodeOptions::prefixes; a bad prefix is kInvalidInput and nothing is
  // announced), binds the durable consumer `bank`, and starts taking requests on a thread of its
  // own.
  static Result<std::unique_ptr<Node>> Start(const NodeOptions& options);
  ~Node();
  void Stop();
  int64_t answered() const { return answered_.load(); }
  const std::string& institution() const { return options_.institution; }

 private:
  explicit Node(NodeOptions options) : options_(std::move(options)) {}
  void Loop();
  void Rebind(const Status& why);
  static constexpr Millis kRebindAfter = 5000;  // of fetches failing without a break

  NodeOptions options_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Desk> desk_;
  std::unique_ptr<interchange::Connection> nats_;
  std::unique_ptr<interchange::Consumer> requests_;
  // Replaced by Rebind, kept while requests taken through them wait to be acked.
  std::vector<std::unique_ptr<interchange::Consumer>> retired_;
  std::atomic<bool> stopping_{false};
  std::atomic<int64_t> answered_{0};
  std::thread thread_;
};

}  // namespace fanzha::bank
