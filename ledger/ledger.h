// The ledger graph: every known transfer in memory, in the one total order that TRACING.md defines
// ((time, id), ids compared as bytes), with per-account adjacency, so that a trace touches only the
// transfers of the accounts that hold taint.
//
// Layout (about 30-40 bytes a transfer, all included; measured in docs/PERFORMANCE.md): one
// 16-byte row per transfer (time as an offset from a per-block base with the channel in its low
// two bits, amount in 32 bits with the rare larger one kept aside, payer, payee), transfer ids
// front-coded in blocks of 16 (a bank's serials share long prefixes), both adjacency entries, one
// bit per adjacency entry telling payments from receipts, balance checkpoints. Accounts and
// transfers are addressed by dense indices. A Ledger is immutable once built and safe to read from
// many threads.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/status.h"
#include "ledger/huge_pages.h"

namespace fanzha::store {
class Store;
}

namespace fanzha::ledger {

using AccountIndex = uint32_t;
using TransferIndex = uint32_t;  // position in (time, id) order
inline constexpr AccountIndex kNoAccount = UINT32_MAX;

class Ledger {
  struct Staging;  // transfers on their way in: plain times, amounts and id text (build.h)

 public:
  // Collects records in any order, then sorts them into a Ledger.
  class Builder {
   public:
    Builder();
    ~Builder();
    // Adds or replaces an account's attributes (kind, opening balance, institution, region).
    void AddAccount(const Account& account);
    // Accounts named only by transfers exist with kind unknown and balance 0.
    void AddTransfer(const Transfer& transfer);
    // Sorts and indexes; O(n log n). The builder is empty afterwards.
    std::unique_ptr<Ledger> Build();

   private:
    friend class Ledger;
    std::unique_ptr<Ledger> ledger_;
    std::unique_ptr<Staging> staging_;
    AccountIndex Intern(std::string_view account);
  };

  // Loads every account and transfer of a store.
  static Result<std::unique_ptr<Ledger>> Load(store::Store& store);

  // A small ledger with the whole history of `accounts` (every transfer they paid or received,
  // here or in `extra`). `extra` holds transfers newer than this ledger (a report just posted); one
  // already here, by id, is skipped, and so is a repeated id. Accounts may be unknown here (named
  // only by `extra`). The other accounts those transfers name keep their identity and attributes
  // when they are exit accounts (merchant, platform, exchange) or listed in `named`; all the rest
  // become one account, kOthers (kind unknown, no opening balance), since their histories are not
  // in the extract anyway and ten thousand counterparties of a busy account cost more to copy than
  // its transfers. A computation that reads only the transfers and balances of `accounts`, and
  // moves no money into kOthers, gives the same answer on the extract as on this ledger rebuilt
  // with `extra` (trace::LedgerForCase relies on it). Cost: O(their transfers x log + |extra|).
  std::unique_ptr<Ledger> Extract(const std::vector<std::string>& accounts,
                                  const std::vector<Transfer>& extra,
                                  const std::vector<std::string>& named = {}) const;
  // The one account of an extract that stands for all the accounts it does not keep (an id no
  // normalised account number can have).
  static constexpr std::string_view kOthers = "\x01others";
  // The attributes of an account as an Account (holder and extra attributes are not kept here).
  Account AccountOf(AccountIndex a) const;

  size_t transfer_count() const { return rows_.size(); }
  size_t account_count() const { return kind_.size(); }

  // Transfers, by position in (time, id) order.
  Millis time(TransferIndex t) const {
    return time_base_[t >> time_shift_] + (rows_[t].time_channel >> 2);
  }
  AccountIndex from(TransferIndex t) const { return rows_[t].from; }  // kNoAccount for a deposit
  AccountIndex to(TransferIndex t) const { return rows_[t].to; }      // kNoAccount for a withdrawal
  Fen amount(TransferIndex t) const {
    const uint32_t a = rows_[t].amount32;
    return a != kWideAmount ? Fen{a} : WideAmount(t);
  }
  Channel channel(TransferIndex t) const { return static_cast<Channel>(rows_[t].time_channel & 3); }
  // A hint that transfer t's time, amount, payer and payee will be read soon (a cache prefetch):
  // for loops over scattered transfers whose positions are known ahead.
  void Prefetch(TransferIndex t) const { __builtin_prefetch(&rows_[t]); }
  // The id, decoded from its block (up to 15 neighbours before it): O(16), a copy (no allocation
  // up to 15 bytes). Hold the string, not a view of the temporary.
  std::string transfer_id(TransferIndex t) const;
  // transfer_id of n transfers into out[0..n): what they are decoded from is fetched ahead, so
  // that the cache misses of scattered transfers overlap (a trace names its flows this way).
  void TransferIds(const TransferIndex* t, size_t n, std::string* out) const;
  // Position of a transfer id; nullopt when unknown. O(log n): a binary search over the first id
  // of each block when ids ascend with positions (bank serials growing with time), else over an
  // index of positions in id order.
  std::optional<TransferIndex> FindTransfer(std::string_view id) const;
  // First position whose time is >= t (transfer_count() when none). O(log n).
  TransferIndex LowerBound(Millis t) const;

  // Accounts. Views and references stay valid as long as the Ledger.
  std::string_view account_id(AccountIndex a) const {
    return std::string_view(account_text_)
        .substr(account_offset_[a], account_offset_[a + 1] - account_offset_[a]);
  }
  // O(1): one probe of an open-addressing table over the ids.
  std::optional<AccountIndex> FindAccount(std::string_view id) const;
  AccountKind kind(AccountIndex a) const { return static_cast<AccountKind>(kind_[a]); }
  Fen opening_balance(AccountIndex a) const { return opening_[a]; }
  const std::string& institution(AccountIndex a) const { return names_[institution_[a]]; }
  const std::string& region(AccountIndex a) const { return names_[region_[a]]; }

  // The transfers an account takes part in (paid or received), ascending. Each is a TransferIndex.
  const TransferIndex* adjacency_begin(AccountIndex a) const { return adj_.data() + adj_start_[a]; }
  const TransferIndex* adjacency_end(AccountIndex a) const {
    return adj_.data() + adj_start_[a + 1];
  }
  // For many accounts at once: out[i] = the first entry of accounts[i]'s adjacency whose position
  // is after[i] or later (adjacency_end when none), as std::lower_bound would find it one by one.
  // The searches advance together so that their memory reads overlap: one cache miss after
  // another costs a busy account's search about 17 of them. O(sum of log degree).
  void LowerBounds(const AccountIndex* accounts, const TransferIndex* after, size_t n,
                   const TransferIndex** out) const;

  // Whether an adjacency entry (a pointer into some account's list) is a payment by that account,
  // not a receipt: one bit, without reading the transfer. (Reachability follows money out of
  // accounts and never needs their receipts.)
  bool IsPayment(const TransferIndex* entry) const {
    const uint64_t e = static_cast<uint64_t>(entry - adj_.data());
    return (pays_[e >> 6] >> (e & 63)) & 1;
  }
  // Calls fn(TransferIndex t, AccountIndex payee) for each payment among the adjacency entries
  // [first, last) of one account, in order; payee is to(t), kept beside the payments so that
  // following money out of an account reads nothing at random. O(entries / 64 + payments): a
  // landlord's hundred thousand receipts are passed 64 at a time.
  template <typename Fn>
  void ForEachPayment(const TransferIndex* first, const TransferIndex* last, Fn&& fn) const {
    uint64_t e = static_cast<uint64_t>(first - adj_.data());
    const uint64_t end = static_cast<uint64_t>(last - adj_.data());
    while (e < end) {
      uint64_t word = pays_[e >> 6] >> (e & 63);  // bits from e to the end of its word
      const uint64_t span = std::min<uint64_t>(64 - (e & 63), end - e);
      if (span < 64) word &= (uint64_t{1} << span) - 1;
      if (word != 0) {
        const AccountIndex* payee = PayeeOf(e);
        for (; word != 0; word &= word - 1)
          fn(adj_[e + static_cast<uint64_t>(__builtin_ctzll(word))], *payee++);
      }
      e += span;
    }
  }
  // The same over many ranges (first[i], last[i]) at once, fn(i, t, payee) range by range: each
  // range's payment bits and payees are fetched while earlier ones are read, so that following
  // thousands of accounts costs about one memory latency in all rather than a few for each.
  template <typename Fn>
  void ForEachPaymentIn(const TransferIndex* const* first, const TransferIndex* const* last,
                        size_t n, Fn&& fn) const {
    constexpr size_t kBits = 16, kPayees = 8;  // how far ahead each is fetched
    auto entry = [&](size_t i) { return static_cast<uint64_t>(first[i] - adj_.data()); };
    for (size_t i = 0; i < n; ++i) {
      if (i + kBits < n && first[i + kBits] != last[i + kBits]) {
        __builtin_prefetch(&pays_[entry(i + kBits) >> 6]);
        __builtin_prefetch(&pays_rank_[entry(i + kBits) >> 6]);
      }
      if (i + kPayees < n && first[i + kPayees] != last[i + kPayees])
        __builtin_prefetch(PayeeOf(entry(i + kPayees)));
      ForEachPayment(first[i], last[i],
                     [&](TransferIndex t, AccountIndex payee) { fn(i, t, payee); });
    }
  }

  // The account's balance just before position `before` by TRACING.md's rule: opening balance,
  // + amount received, max(0, balance - amount) paid. O(log degree + 32), from checkpoints.
  Fen BalanceBefore(AccountIndex a, TransferIndex before) const;

  // The sum of the amounts an account paid (unclamped) in its transfers before adjacency entry `e`
  // (a pointer into its adjacency list). O(32) from checkpoints.
  Fen OutflowBefore(AccountIndex a, const TransferIndex* e) const;
  // The first of the account's payments at or after entry `from` by which its payments since
  // `from` add up to more than `limit` (adjacency_end(a) when there is none), with the account's
  // running figures at `from` and at it, so that a caller following the account replays nothing
  // more when it gets there. `balance` is the account's balance just before `from`
  // (BalanceBefore), which such a caller knows already, and `paid_before_from` OutflowBefore(a,
  // from) when it knows that too (-1: computed here). O(log degree + 64). (A fifo trace uses it
  // to jump over the transfers that only move money ahead of the taint.)
  struct Outflow {
    const TransferIndex* entry;
    Fen paid_before_from;   // OutflowBefore(a, from)
    Fen paid_before_entry;  // OutflowBefore(a, entry)
    Fen balance_before;     // the balance just before `entry` (at the end when there is none)
  };
  Outflow FirstOutflowBeyond(AccountIndex a, const TransferIndex* from, Fen limit, Fen balance,
                             Fen paid_before_from = -1) const;
  // The first of the account's payments at or after entry `from` whose amount times `ratio`
  // (>= 1) is more than the account's balance just before it minus `floor`, with that balance;
  // {adjacency_end(a), balance at the end} when there is none. `balance` is the account's balance
  // just before `from` (BalanceBefore), which callers that follow the account know already.
  // Blocks of checkpointed transfers whose payments add up to too little to qualify are passed in
  // one step: O(64 + blocks passed). (A lifo trace asks for the first payment that reaches below
  // the money under the newest taint, ratio 1; a haircut trace for the first that can move a fen
  // of taint T, ratio 2T and floor 0.)
  struct Payment {
    const TransferIndex* entry;
    Fen balance_before;
  };
  Payment FirstPaymentOver(AccountIndex a, const TransferIndex* from, Fen balance, Fen floor,
                           int64_t ratio) const;

  // Memory held, in bytes: every column, index and account table (capacities).
  size_t MemoryBytes() const;

 private:
  enum class IdOrder { kUnknown, kAscending, kGiven };
  Ledger();
  // Takes the staged transfers, already in (time, id) order, into the compact columns and builds
  // the indexes. `by_id`: positions in id order when kGiven; kAscending when ids ascend with
  // positions; kUnknown: found out here (a check, else a sort).
  void Seal(Staging&& staging, IdOrder order, std::vector<TransferIndex> by_id = {});
  void BuildIndexes();  // adjacency, payment bits and checkpoints, from rows_
  void BuildCheckpoints();
  AccountIndex AddAccountId(std::string_view id);  // a new account (not already here)
  Fen WideAmount(TransferIndex t) const;
  // Starts fetching the rows of the adjacency entries [first, last) (a replay reads them next).
  void PrefetchRows(const TransferIndex* first, const TransferIndex* last) const;

  // The fields a trace reads together sit together (16 bytes): a tainted account's transfers are
  // scattered over the whole ledger, so each visit costs one cache miss instead of four.
  struct Row {
    uint32_t time_channel;  // (time(t) - time_base_[t >> time_shift_]) << 2 | channel
    uint32_t amount32;      // the amount in fen, or kWideAmount: then in wide_amounts_
    AccountIndex from;
    AccountIndex to;
  };
  static constexpr uint32_t kWideAmount = UINT32_MAX;
  std::vector<Row, HugePageAllocator<Row>> rows_;
  // Times: a base per block of 2^time_shift_ positions, chosen as long as every block spans less
  // than 2^30 ms (12 days); ten million transfers over a month have a few blocks.
  std::vector<Millis> time_base_;
  uint32_t time_shift_ = 31;
  std::vector<std::pair<TransferIndex, Fen>> wide_amounts_;  // by position: amounts >= 2^32-1 fen
  // Transfer ids in position order, in blocks of kIdBlock: the first id of a block in full
  // (varint length, bytes), each next one as (varint bytes shared with the one before, varint
  // length of the rest, the rest).
  static constexpr uint32_t kIdBlock = 16;
  std::vector<uint64_t> id_block_;  // where each block starts in id_bytes_
  std::string id_bytes_;
  std::vector<TransferIndex>
      by_id_;  // positions sorted by id; empty when ids ascend with positions
  std::string_view FirstIdOfBlock(size_t block) const;

  // Accounts: ids in one text, an open-addressing table over them, attributes in columns with
  // institution and region names kept once each.
  std::string account_text_;
  std::vector<uint64_t> account_offset_;  // account_id(a) = account_text_[offset[a] .. offset[a+1])
  std::vector<AccountIndex> account_slots_;  // kNoAccount: empty; size a power of two
  std::vector<uint8_t> kind_;
  std::vector<Fen> opening_;
  std::vector<uint32_t> institution_, region_;  // into names_
  std::vector<std::string> names_;
  std::vector<uint64_t> adj_start_;
  std::vector<TransferIndex, HugePageAllocator<TransferIndex>> adj_;
  std::vector<uint64_t> pays_;       // bit e: adjacency entry e is a payment
  std::vector<uint32_t> pays_rank_;  // per word of pays_: the payments in the words before it
  std::vector<AccountIndex> payee_;  // per payment entry, in adjacency order: its payee
  // Where the payees of the payments at adjacency entry e and after begin in payee_.
  const AccountIndex* PayeeOf(uint64_t e) const {
    const uint64_t below = pays_[e >> 6] & ((uint64_t{1} << (e & 63)) - 1);
    return payee_.data() + pays_rank_[e >> 6] + __builtin_popcountll(below);
  }
  // Every kCheckpointEvery-th adjacency entry of an account, the account's balance just before it,
  // so that BalanceBefore replays at most that many transfers of a busy account.
  static constexpr uint32_t kCheckpointEvery = 32;
  std::vector<uint32_t> checkpoint_start_;  // per account, index of its first checkpoint
  std::vector<Fen> checkpoints_;
  std::vector<Fen> outflow_checkpoints_;  // the account's payments before the checkpoint, summed
};

}  // namespace fanzha::ledger
