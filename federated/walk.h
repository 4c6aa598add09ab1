// The federated trace (docs/FEDERATED.md): a case's money followed hop by hop through the banks'
// own statements (调单), as an investigator does by hand, but automatically and exactly.
//
// Nobody holds every transfer. The platform holds the report and its payments, the account
// registry (accounts.csv: who holds each account, at which bank, its kind) and the statements it
// asked for. Walk() traces what the platform holds; every account the money reaches whose
// statement from that moment to the horizon is missing is asked for (interchange::AskStatement,
// audited); the answers come back into the store as statements (interchange::ApplyAnswer); it
// traces again, and goes on until the money reaches no account whose statement is missing (or an
// exit, or the hop limit), or until the banks it still waits for are late. A statement that does
// not fit in one answer stops at `next_from`: the walk asks for the rest in pieces at once, and not
// at all once the taint has left the account before it (except under poison).
//
// Exactness: a statement starts at the moment the money arrived and carries the account's balance
// just before it (`opening`, INTERCHANGE.md). The walk's ledger starts each such account there with
// that balance: the account's transfers before its window belong to a stand-in account (its
// earlier history, which only its counterparties' statements show). Money that reaches a
// stand-in reached the account before its window: the earlier part is asked for. When nothing is
// missing, every account that holds taint has its whole history from the first taint to the
// horizon and its true balance there, so the answer is the one a trace over every bank's
// transfers gives, to the fen, for every policy (federated/walk_test.cc checks it on random worlds
// split by institution).
//
// Threads: one walk runs on the caller's thread; the store must not be used by another thread
// meanwhile (the courier's own connections excepted).
#pragma once

#include <atomic>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit.h"
#include "core/clock.h"
#include "core/status.h"
#include "freeze/orders.h"
#include "ledger/ledger.h"
#include "store/store.h"
#include "trace/trace.h"

namespace fanzha::federated {

// Carries the walk's statement queries to the banks and their answers back into the store: a
// running interchange::Platform over NATS JetStream (courier.h), or bank desks in this process.
class Courier {
 public:
  virtual ~Courier() = default;
  // Queries were queued in the store: send them now.
  virtual Status Send() = 0;
  // Returns once answers may have been applied to the store, or after at most `wait`.
  virtual void Await(Millis wait) = 0;
};

// Where the answer is incomplete: money reached `account` at `from` and its statement from then to
// `to` is not in.
struct Gap {
  enum class Why {
    kLate,       // asked; the bank has not answered within the deadline (the walk waited)
    kRejected,   // the bank refused (detail: its reason)
    kNoBank,     // neither the registry nor the bank directory knows which bank holds it
    kNoOpening,  // answered without the balance at the window's start: amounts may differ
  };
  std::string account;
  std::string institution;  // "" for kNoBank
  Millis from = 0, to = 0;
  Why why = Why::kLate;
  std::string detail;
};
std::string_view Name(Gap::Why why);  // "late" | "rejected" | "no_bank" | "no_opening"

// How far the walk has come, after each round.
struct Progress {
  int round = 0;  // rounds so far: traces of what the walk knows, one each time answers bring more
  int64_t asked = 0;                     // statement queries this walk made
  int64_t answered = 0;                  // of the queries it relies on (its own and earlier ones)
  int64_t waiting = 0;                   // asked, not answered yet
  int64_t late = 0;                      // of those, past the deadline
  std::vector<std::string> banks_asked;  // institutions, sorted
  std::vector<std::string> banks_answered;  // institutions that answered at least once, sorted
  // Every account the money reached in at most this many hops has its statement: the answer is
  // final up to this hop (freeze orders for the money held there can go out).
  int hops_known = 0;
  size_t accounts_reached = 0;
  size_t transfers_known = 0;  // in the walk's ledger
  Millis elapsed_ms = 0;
};

struct Options {
  trace::Options trace;  // policy, max_hops, min_amount; `until`: the horizon (default: now)
  // Who asks, their role, and why: the audit entry of every statement query; and the document
  // every query rests on (freeze::Mandate: document number, requesting officer, unit).
  std::string user, role, reason;
  freeze::Mandate mandate;
  const audit::Key* audit_key = nullptr;  // required: every query is audited
  Millis bank_deadline = 10000;  // a query unanswered this long is late; the walk stops waiting
                                 // once everything it waits for is late
  // The bank of an account the registry does not know (interchange's bank directory: issuer
  // prefixes the bank nodes announce). May be empty.
  std::function<std::optional<std::string>(std::string_view account)> bank_of;
  // Called after each round's trace, with that trace and the ledger it ran on (freeze::MakePlan
  // takes both): money held at an account whose statement is in is there now, and money that has
  // just arrived at one is still worth a stop-payment, so orders can go out in the first round,
  // long before the last hop is known.
  std::function<void(const Progress&, const trace::Answer&, const ledger::Ledger&)> on_round;
  const Clock* clock = nullptr;  // SystemClock() when null
  // Set by another thread to end the walk now (a server stopping): it answers with what it has,
  // the statements still missing as gaps.
  const std::atomic<bool>* stop = nullptr;
};

struct Answer {
  trace::Answer trace;
  std::vector<Gap> gaps;    // empty: complete, the answer of a trace over every bank's transfers
  Progress progress;        // the last round's
  audit::Entry audit_head;  // the newest audit entry the walk appended (id 0: none): publish it
};

// Walks case `case_id`'s money. Errors: an unknown case, a case whose payments are not stored,
// missing audit key or document, the store's and the audit log's errors, and those of
// trace::Trace. A late or refusing bank is not an error: it is a gap of the answer.
Result<Answer> Walk(store::Store& store, const std::string& case_id, Courier& courier,
                    const Options& options);

// The answer as JSON: trace::ToJson's fields, then "complete", "gaps" [{account, institution,
// from, to, why, detail}] and "progress" {rounds, asked, answered, waiting, late, banks_asked,
// banks_answered, hops_known, accounts_reached, transfers_known, elapsed_ms}.
nlohmann::ordered_json ToJson(const Answer& a, const std::string& case_id);

}  // namespace fanzha::federated
