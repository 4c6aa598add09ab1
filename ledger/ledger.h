// The ledger graph: every known transfer in memory, in the one total order that TRACING.md defines
// ((time, id), ids compared as bytes), with per-account adjacency, so that a trace touches only the
// transfers of the accounts that hold taint.
//
// Layout: one 24-byte row per transfer with the fields a trace reads, other fields in columns;
// about 60 bytes per transfer including the id text and both adjacency entries. Accounts and transfers are addressed by dense indices.
// A Ledger is immutable once built and safe to read from many threads.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <deque>
#include <unordered_map>
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
  size_t account_count() const { return account_ids_.size(); }

  // Transfers, by position in (time, id) order.
  Millis time(TransferIndex t) const { return rows_[t].time; }
  AccountIndex from(TransferIndex t) const { return rows_[t].from; }  // kNoAccount for a deposit
  AccountIndex to(TransferIndex t) const { return rows_[t].to; }      // kNoAccount for a withdrawal
  Fen amount(TransferIndex t) const { return rows_[t].amount; }
  Channel channel(TransferIndex t) const { return static_cast<Channel>(channel_[t]); }
  std::string_view transfer_id(TransferIndex t) const;
  // Position of a transfer id; nullopt when unknown. O(log n).
  std::optional<TransferIndex> FindTransfer(std::string_view id) const;
  // First position whose time is >= t (transfer_count() when none). O(log n).
  TransferIndex LowerBound(Millis t) const;

  // Accounts.
  std::string_view account_id(AccountIndex a) const { return account_ids_[a]; }
  std::optional<AccountIndex> FindAccount(std::string_view id) const;
  AccountKind kind(AccountIndex a) const { return static_cast<AccountKind>(kind_[a]); }
  Fen opening_balance(AccountIndex a) const { return opening_[a]; }
  const std::string& institution(AccountIndex a) const { return institution_[a]; }
  const std::string& region(AccountIndex a) const { return region_[a]; }

  // The transfers an account takes part in (paid or received), ascending. Each is a TransferIndex.
  const TransferIndex* adjacency_begin(AccountIndex a) const { return adj_.data() + adj_start_[a]; }
  const TransferIndex* adjacency_end(AccountIndex a) const {
    return adj_.data() + adj_start_[a + 1];
  }

  // The account's balance just before position `before` by TRACING.md's rule: opening balance,
  // + amount received, max(0, balance - amount) paid. O(log degree + 32), from checkpoints.
  Fen BalanceBefore(AccountIndex a, TransferIndex before) const;

  // The account's payments only (it is the payer), ascending: for reachability, which follows
  // money out of accounts and never needs their receipts.
  const TransferIndex* payments_begin(AccountIndex a) const { return pay_.data() + pay_start_[a]; }
  const TransferIndex* payments_end(AccountIndex a) const { return pay_.data() + pay_start_[a + 1]; }

  // The sum of the amounts an account paid (unclamped) in its transfers before adjacency entry `e`
  // (a pointer into its adjacency list). O(32) from checkpoints.
  Fen OutflowBefore(AccountIndex a, const TransferIndex* e) const;
  // The first of the account's payments at or after entry `from` by which its payments since
  // `from` add up to more than `limit`; adjacency_end(a) when there is none. O(log degree + 32).
  // (A fifo trace uses it to jump over the transfers that only move money ahead of the taint.)
  const TransferIndex* FirstOutflowBeyond(AccountIndex a, const TransferIndex* from, Fen limit) const;
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

  // Approximate memory held, in bytes.
  size_t MemoryBytes() const;

 private:
  Ledger() = default;
  void BuildIndexes();  // adjacency, payment lists and checkpoints, from rows_
  void BuildCheckpoints();

  // The fields a trace reads together sit together (24 bytes): a tainted account's transfers are
  // scattered over the whole ledger, so each visit costs one cache miss instead of four.
  struct Row {
    Millis time;
    Fen amount;
    AccountIndex from;
    AccountIndex to;
  };
  std::vector<Row, HugePageAllocator<Row>> rows_;
  std::vector<uint8_t> channel_;
  std::vector<uint64_t> id_offset_;  // transfer_id(t) = id_text_[id_offset_[t] .. id_offset_[t+1])
  std::string id_text_;
  std::vector<TransferIndex> by_id_;  // positions sorted by id, for FindTransfer

  std::deque<std::string> account_ids_;  // a deque: views into it stay valid as it grows
  std::unordered_map<std::string_view, AccountIndex> account_index_;  // views into account_ids_
  std::vector<uint8_t> kind_;
  std::vector<Fen> opening_;
  std::vector<std::string> institution_, region_;
  std::vector<uint64_t> adj_start_;
  std::vector<TransferIndex, HugePageAllocator<TransferIndex>> adj_;
  std::vector<uint64_t> pay_start_;
  std::vector<TransferIndex, HugePageAllocator<TransferIndex>> pay_;
  // Every kCheckpointEvery-th adjacency entry of an account, the account's balance just before it,
  // so that BalanceBefore replays at most that many transfers of a busy account.
  static constexpr uint32_t kCheckpointEvery = 32;
  std::vector<uint32_t> checkpoint_start_;  // per account, index of its first checkpoint
  std::vector<Fen> checkpoints_;
  std::vector<Fen> outflow_checkpoints_;  // the account's payments before the checkpoint, summed
};

}  // namespace fanzha::ledger
