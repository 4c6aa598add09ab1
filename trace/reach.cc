// trace::Reach: the accounts money can have reached, by rounds of hops over earliest arrivals.
//
// E_h[a], the earliest position at which money can be at `a` after at most h hops, is all that
// decides where it can go next: a payment by `a` carries it on exactly when it comes after E_h[a].
// Round h+1 follows the payments of the accounts whose E_h fell in round h, and only those between
// the new and the old value (the later ones were followed in an earlier round, with at most as many
// hops). So every payment of a reached account is read at most once in all, from the moment money
// first reached it: a busy mule card's ten thousand earlier transfers cost a binary search. The
// ledger keeps each payment's payee beside the account's payments, so a round reads adjacency
// lists in order and touches at random only the payees' entries here (fetched ahead).
//
// When a round would read a large part of the ledger anyway (money reaching most accounts), one
// pass over the remaining transfers in time order is cheaper: hop counts then follow the transfers
// as they come, the plain definition.
#include <algorithm>

#include "trace/trace.h"

namespace fanzha::trace {

using ledger::AccountIndex;
using ledger::kNoAccount;
using ledger::TransferIndex;

namespace {

constexpr TransferIndex kNever = UINT32_MAX;

// Per-thread working memory, reused between calls: an entry per account of the largest ledger
// seen, valid when its stamp is the call's, so that nothing is cleared between calls.
struct Scratch {
  struct Entry {
    uint32_t stamp;
    TransferIndex earliest;  // E[a], the earliest arrival found so far
    uint32_t slot;           // the account's place in the per-call lists below
  };
  std::vector<Entry> entries;
  uint32_t stamp = 0;
  // Per reached account, by slot.
  std::vector<AccountIndex> account;
  std::vector<uint8_t> hops;
  std::vector<uint8_t> queued;         // the round whose frontier it is in (0: none)
  std::vector<TransferIndex> scanned;  // its payments after this were followed (kNever: none yet)
  std::vector<uint32_t> frontier, next;
  struct Payment {
    TransferIndex t;
    AccountIndex payee;
  };
  std::vector<Payment> todo;                 // payments to follow in this round
  std::vector<AccountIndex> search_account;  // Ledger::LowerBounds' questions and answers
  std::vector<TransferIndex> search_after;
  std::vector<const TransferIndex*> found, first, last;
  std::vector<uint8_t> sweep_hops;  // Sweep() only: per account

  void Begin(size_t accounts) {
    if (entries.size() < accounts) entries.resize(accounts, Entry{0, 0, 0});
    if (++stamp == 0) {  // wrapped: forget every old stamp once
      std::fill(entries.begin(), entries.end(), Entry{0, 0, 0});
      stamp = 1;
    }
    account.clear();
    hops.clear();
    queued.clear();
    scanned.clear();
    frontier.clear();
    next.clear();
    todo.clear();
  }
};

Scratch& ThreadScratch() {
  thread_local Scratch scratch;
  return scratch;
}

class Reacher {
 public:
  Reacher(const ledger::Ledger& ledger, const Options& options, TransferIndex end)
      : ledger_(ledger),
        max_hops_(options.max_hops),
        sweep_after_(options.reach_sweep_after),
        end_(end),
        s_(ThreadScratch()) {
    s_.Begin(ledger.account_count());
  }

  // `seeds`: positions of the seed transfers (to an account, before the horizon), ascending.
  void Run(const std::vector<TransferIndex>& seeds) {
    for (TransferIndex t : seeds) Arrive(ledger_.to(t), t, 1);
    // A round reading more adjacency entries than this is slower than one pass over the rest.
    const uint64_t pass = seeds.empty() ? 0 : end_ - seeds.front();
    for (int h = 1; h < max_hops_ && !s_.next.empty(); ++h) {
      if (sweep_after_ && s_.account.size() > sweep_after_) return Sweep(seeds);
      s_.frontier.swap(s_.next);
      s_.next.clear();
      s_.todo.clear();
      // Where each frontier account's payments to follow begin and end, all searched together.
      const size_t m = s_.frontier.size();
      s_.search_account.resize(2 * m);
      s_.search_after.resize(2 * m);
      s_.found.resize(2 * m);
      size_t searches = 0;
      for (uint32_t slot : s_.frontier) {
        const AccountIndex a = s_.account[slot];
        s_.search_account[searches] = a;
        s_.search_after[searches++] = s_.entries[a].earliest + 1;
        const TransferIndex stop = std::min(s_.scanned[slot], end_);
        if (stop != ledger_.transfer_count()) {
          s_.search_account[searches] = a;
          s_.search_after[searches++] = stop;
        }
      }
      ledger_.LowerBounds(s_.search_account.data(), s_.search_after.data(), searches,
                          s_.found.data());
      uint64_t entries = 0;
      s_.first.resize(m);
      s_.last.resize(m);
      for (size_t i = 0, k = 0; i < m; ++i) {
        const uint32_t slot = s_.frontier[i];
        const AccountIndex a = s_.account[slot];
        const TransferIndex stop = std::min(s_.scanned[slot], end_);
        s_.first[i] = s_.found[k++];
        s_.last[i] = stop != ledger_.transfer_count() ? s_.found[k++] : ledger_.adjacency_end(a);
        s_.scanned[slot] = s_.entries[a].earliest;
        entries += s_.last[i] - s_.first[i];
      }
      if (!sweep_after_ && entries * 8 > pass) return Sweep(seeds);
      ledger_.ForEachPaymentIn(s_.first.data(), s_.last.data(), m,
                               [this](size_t, TransferIndex t, AccountIndex payee) {
                                 if (payee != kNoAccount)
                                   s_.todo.push_back(Scratch::Payment{t, payee});
                               });
      Follow(h + 1);
    }
  }

  std::vector<Reached> Result() const {
    std::vector<Reached> out(s_.account.size());
    for (size_t slot = 0; slot < out.size(); ++slot)
      out[slot] = Reached{s_.account[slot], s_.hops[slot]};
    return out;
  }

 private:
  // Money can be at `b` from position t on, after `h` hops.
  void Arrive(AccountIndex b, TransferIndex t, int h) {
    Scratch::Entry& e = s_.entries[b];
    uint32_t slot;
    if (e.stamp != s_.stamp) {
      slot = static_cast<uint32_t>(s_.account.size());
      e = Scratch::Entry{s_.stamp, t, slot};
      s_.account.push_back(b);
      s_.hops.push_back(static_cast<uint8_t>(h));
      s_.queued.push_back(0);
      s_.scanned.push_back(kNever);
    } else if (t < e.earliest) {
      e.earliest = t;
      slot = e.slot;
    } else {
      return;
    }
    if (h < max_hops_ && s_.queued[slot] != h && !IsExitKind(ledger_.kind(b))) {
      s_.queued[slot] = static_cast<uint8_t>(h);
      s_.next.push_back(slot);
    }
  }

  // The listed payments carry money on to their payees at hop h; their entries are fetched ahead.
  void Follow(int h) {
    constexpr size_t kAhead = 16;
    const size_t n = s_.todo.size();
    for (size_t i = 0; i < n; ++i) {
      if (i + kAhead < n) __builtin_prefetch(&s_.entries[s_.todo[i + kAhead].payee]);
      Arrive(s_.todo[i].payee, s_.todo[i].t, h);
    }
  }

  // The plain definition, one pass in time order from the first seed: a payment carries money on
  // when its payer had been reached before it, at its fewest hops so far. A byte per account
  // (cleared per pass: this pass reads far more than that anyway) keeps the lookups in cache.
  void Sweep(const std::vector<TransferIndex>& seeds) {
    constexpr uint8_t kUnreached = 255;
    s_.Begin(ledger_.account_count());
    std::vector<uint8_t>& hop = s_.sweep_hops;
    hop.assign(ledger_.account_count(), kUnreached);
    auto reach = [&](AccountIndex b, int h) {
      if (hop[b] == kUnreached) s_.account.push_back(b);
      if (h < hop[b]) hop[b] = static_cast<uint8_t>(h);
    };
    size_t next_seed = 0;
    for (TransferIndex t = seeds.empty() ? end_ : seeds.front(); t < end_; ++t) {
      const AccountIndex payee = ledger_.to(t);
      if (next_seed < seeds.size() && seeds[next_seed] == t) {
        ++next_seed;
        reach(payee, 1);
        continue;
      }
      const AccountIndex payer = ledger_.from(t);
      if (payer == kNoAccount || payee == kNoAccount || hop[payer] >= max_hops_) continue;
      if (!IsExitKind(ledger_.kind(payer))) reach(payee, hop[payer] + 1);
    }
    for (AccountIndex a : s_.account) s_.hops.push_back(hop[a]);
  }

  const ledger::Ledger& ledger_;
  const int max_hops_;
  const size_t sweep_after_;
  const TransferIndex end_;
  Scratch& s_;
};

}  // namespace

void ReserveReach(const ledger::Ledger& ledger) { ThreadScratch().Begin(ledger.account_count()); }

Result<std::vector<Reached>> Reach(const ledger::Ledger& ledger, const std::vector<Seed>& seeds,
                                   const Options& options) {
  if (options.max_hops < 1 || options.max_hops > 250) {
    return Status::Invalid("--max-hops must be between 1 and 250")
        .WithZh("--max-hops 须在 1 到 250 之间");
  }
  const TransferIndex end = options.until ? ledger.LowerBound(*options.until + 1)
                                          : static_cast<TransferIndex>(ledger.transfer_count());
  std::vector<TransferIndex> positions;
  for (const Seed& s : seeds) {
    if (s.transfer_id.empty())
      return Status::Invalid("Reach takes seed transfers only").WithZh("可达分析只能以交易为起点");
    auto t = ledger.FindTransfer(s.transfer_id);
    if (!t)
      return Status::NotFound("seed transfer " + s.transfer_id + " is not in the ledger")
          .WithZh("起点交易 " + s.transfer_id + " 不在已导入的流水中");
    if (*t < end && ledger.to(*t) != kNoAccount) positions.push_back(*t);
  }
  std::sort(positions.begin(), positions.end());
  positions.erase(std::unique(positions.begin(), positions.end()), positions.end());
  Reacher reacher(ledger, options, end);
  reacher.Run(positions);
  return reacher.Result();
}

}  // namespace fanzha::trace
