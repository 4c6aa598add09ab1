// Fund tracing (TRACING.md): where is the victims' money now, exactly?
//
// Start with Trace(). A trace replays, in the ledger's (time, id) order, only the transfers of the
// accounts that hold taint, keeping each such account's balance as a list of lots; the policy
// decides which lots an outgoing transfer takes. Cost: O(transfers touched by tainted accounts
// x log(tainted accounts)), plus, once per newly tainted account, a replay of its earlier
// transfers to find its balance (Ledger::BalanceBefore).
//
// Origins: every seed belongs to an origin (a case id, or "seed" for an ad-hoc seed). Tracing
// several cases together keeps their money apart by origin, so the answer shows where different
// victims' money is mixed; for fifo and lifo each origin's amounts equal those of tracing that case
// alone. Under haircut a payment is split over every origin's groups at once (TRACING.md
// "Splitting in proportion"), so the fen a split leaves over may fall to another origin than when
// a case is traced alone: amounts can differ from the lone trace by fen.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/status.h"
#include "ledger/ledger.h"

namespace fanzha::trace {

enum class Policy { kFifo, kLifo, kHaircut, kPoison };
Result<Policy> ParsePolicy(std::string_view name);  // "fifo" | "lifo" | "haircut" | "poison"
std::string_view Name(Policy p);
std::string_view ChineseName(Policy p);  // "先进先出", as the dashboard names it

struct Options {
  Policy policy = Policy::kFifo;
  int max_hops = 8;
  std::optional<Millis> until;  // horizon; default: the end of the data
  Fen min_amount = 0;           // dust threshold; 0 = none
  // Reach() only: after how many reached accounts it stops following them round by round and
  // passes over the transfers in order instead (SIZE_MAX: never); 0 = automatic (when a round
  // would read more than an eighth as many adjacency entries as that pass reads transfers).
  size_t reach_sweep_after = 0;
};

// Money that arrives tainted at `account`, at hop 1.
struct Seed {
  std::string origin;       // case id
  std::string transfer_id;  // the victim's payment; empty for an ad-hoc seed
  std::string account;      // ad-hoc seeds only: the receiving account
  Fen amount = 0;           // ad-hoc seeds only
  Millis time = 0;          // ad-hoc seeds only: arrives before transfers of the same time
};

// The seeds of a case: its listed transfers. Error when the case lists none or one is not in the
// ledger (the message names the missing transfer ids).
Result<std::vector<Seed>> SeedsOfCase(const ledger::Ledger& ledger, const Case& c);

enum class ExitKind { kWithdrawal, kMerchant, kPlatform, kExchange, kHopLimit };
std::string_view Name(ExitKind k);
std::string_view ChineseName(ExitKind k);  // "取现", "商户", ...

struct OriginAmount {
  std::string origin;
  Fen amount = 0;
};

struct Held {
  std::string account;
  Fen amount = 0;
  int hops = 0;  // fewest hops of the taint held
  Millis first_tainted_at = 0;
  std::vector<OriginAmount> by_origin;  // ordered by origin
};

struct Exit {
  std::string account;
  ExitKind kind = ExitKind::kWithdrawal;
  Fen amount = 0;
  int hops = 0;
  std::vector<OriginAmount> by_origin;
};

struct Flow {
  std::string transfer;
  std::string from;
  std::string to;  // empty for a cash withdrawal
  Millis time = 0;
  Fen amount = 0;  // the tainted amount the transfer carried (for poison: the whole amount)
  int hops = 0;    // hop at which the money arrived at `to` (the fewest, when parts differ)
  // The flow (index into Answer::flows, always earlier) that brought the money this one carries
  // to `from`: of its tainted parts, that of the one with the fewest hops (the first taken on a
  // tie; under haircut, the earliest flow into that part's group). -1 for a victim's payment and
  // for money of an ad-hoc seed. So the flows form a forest rooted at the seed payments.
  int parent = -1;
};

struct Answer {
  Policy policy = Policy::kFifo;
  int max_hops = 8;
  Millis until = 0;
  Fen seed = 0;  // total of all seeds
  std::vector<OriginAmount> seed_by_origin;
  std::vector<Held> held;   // amount descending, then account ascending (the freeze order)
  std::vector<Exit> exits;  // by account, then kind
  Fen dust = 0;
  std::vector<Flow> flows;  // in ledger order
  size_t transfers_touched = 0;
};

// Traces seeds through the ledger. Errors: a seed transfer that is not in the ledger, an unknown
// ad-hoc account, a non-positive amount, max_hops < 1. Thread-safe (reads the ledger only).
Result<Answer> Trace(const ledger::Ledger& ledger, const std::vector<Seed>& seeds,
                     const Options& options);

// A plain replay of every transfer of every account, with no indexing and no shortcuts: the
// specification in executable form, used to check Trace() on random ledgers. O(all transfers).
Result<Answer> TraceByFullReplay(const ledger::Ledger& ledger, const std::vector<Seed>& seeds,
                                 const Options& options);

// The reachability version of a trace (the `poison` policy's reach, without amounts): every
// account that money from the seeds can reach along time-ascending paths of at most max_hops
// transfers, not continuing from exit accounts, with the fewest hops. Same set as the accounts
// that Trace() with Policy::kPoison shows receiving taint within max_hops, computed with no lots
// and no strings. Each account once, in no particular order (the same for the same input); name
// them with ledger.account_id(index). Errors: max_hops outside 1..250, a seed transfer not in the
// ledger, an ad-hoc seed (not supported). Thread-safe; per-thread working memory is kept between
// calls (about 12 bytes per account of the largest ledger seen), so a call allocates only its
// answer. Cost: O(payments of reached accounts after the money first reached them + reached
// accounts x log degree), or one pass over the transfers after the first seed when that is less.
struct Reached {
  ledger::AccountIndex index = ledger::kNoAccount;
  int hops = 0;
};
Result<std::vector<Reached>> Reach(const ledger::Ledger& ledger, const std::vector<Seed>& seeds,
                                   const Options& options);
// Allocates (and touches) this thread's working memory for Reach on `ledger` now, so that the first
// call does not pay for it (about 5 ms on 500,000 accounts); `fanzha reach` calls it once after
// loading the ledger, before it times any case.
void ReserveReach(const ledger::Ledger& ledger);

// The answer of TRACING.md ("fanzha trace --json"). `case_id` may be empty for ad-hoc seeds;
// several origins add "cases" and per-account "by_case" lists.
//
// A summary instead, when `flows_limit` is given: held and exits complete, "flows" only the
// `flows_limit` flows of the largest amounts (the earlier on a tie), still in ledger order, and
// after them "flows_limit" and "flows_omitted": {"count", "amount"} for the flows left out (a
// poison trace of a big reach has tens of thousands of flows, 10 MB of JSON). The amount left out
// is a sum of tainted amounts per transfer, which counts money again at every hop it moves.
nlohmann::ordered_json ToJson(const Answer& answer, const std::string& case_id,
                              std::optional<size_t> flows_limit = std::nullopt);

// Accounts that hold money of more than one origin (several cases traced together).
std::vector<Held> MixedAccounts(const Answer& answer);

}  // namespace fanzha::trace
