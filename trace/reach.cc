#include <algorithm>
#include <queue>

#include "trace/trace.h"

namespace fanzha::trace {

using ledger::AccountIndex;
using ledger::kNoAccount;
using ledger::TransferIndex;

Result<std::vector<Reached>> Reach(const ledger::Ledger& ledger, const std::vector<Seed>& seeds,
                                   const Options& options) {
  if (options.max_hops < 1 || options.max_hops > 250) {
    return Status::Invalid("--max-hops must be between 1 and 250");
  }
  constexpr uint8_t kUnreached = 255;
  const TransferIndex end = options.until ? ledger.LowerBound(*options.until + 1)
                                          : static_cast<TransferIndex>(ledger.transfer_count());
  std::vector<uint8_t> hop(ledger.account_count(), kUnreached);
  std::vector<bool> queued(ledger.account_count(), false);
  std::vector<AccountIndex> reached;
  struct Item {  // the account's next payment to look at
    TransferIndex position;
    AccountIndex account;
    const TransferIndex* entry;
    bool operator>(const Item& o) const { return position > o.position; }
  };
  std::priority_queue<Item, std::vector<Item>, std::greater<Item>> queue;
  int64_t queued_entries = 0;  // adjacency entries the queue still has to walk through

  auto enqueue = [&](AccountIndex a, const TransferIndex* next) {
    if (next == ledger.payments_end(a) || *next >= end) {
      queued[a] = false;
      return;
    }
    queued[a] = true;
    queue.push(Item{*next, a, next});
  };
  // Money at `a` from position t on (exclusive) at hop h: record it, and look at a's later payments
  // unless a is an exit or cannot pass money on within the hop limit. An account already queued
  // keeps its place: its later payments are read with its new, lower hop count.
  auto arrive = [&](AccountIndex a, TransferIndex t, int h) {
    if (h >= hop[a]) return;
    if (hop[a] == kUnreached) reached.push_back(a);
    hop[a] = static_cast<uint8_t>(h);
    if (queued[a] || IsExitKind(ledger.kind(a)) || h >= options.max_hops) return;
    const TransferIndex* next =
        std::upper_bound(ledger.payments_begin(a), ledger.payments_end(a), t);
    queued_entries += ledger.payments_end(a) - next;
    enqueue(a, next);
  };

  std::vector<TransferIndex> seed_positions;
  for (const Seed& s : seeds) {
    if (s.transfer_id.empty()) return Status::Invalid("Reach takes seed transfers only");
    auto t = ledger.FindTransfer(s.transfer_id);
    if (!t) return Status::NotFound("seed transfer " + s.transfer_id + " is not in the ledger");
    if (*t < end && ledger.to(*t) != kNoAccount) seed_positions.push_back(*t);
  }
  std::sort(seed_positions.begin(), seed_positions.end());
  seed_positions.erase(std::unique(seed_positions.begin(), seed_positions.end()), seed_positions.end());
  size_t next_seed = 0;
  // Visiting reached accounts one by one pays while their transfers are few next to the rest of
  // the ledger; once the queue would walk through more than about 1/32 of the remaining transfers
  // (a visit costs a queue step and a cache miss, a plain in-order pass a few nanoseconds), one
  // pass over the remaining transfers in order is cheaper.
  auto sweep_now = [&](TransferIndex at) {
    if (options.reach_sweep_after) return reached.size() > options.reach_sweep_after;
    return queued_entries * 32 > static_cast<int64_t>(end - at);
  };
  while (next_seed < seed_positions.size() || !queue.empty()) {
    TransferIndex now = queue.empty() ? end : queue.top().position;
    if (next_seed < seed_positions.size()) now = std::min(now, seed_positions[next_seed]);
    if (sweep_now(now)) {
      TransferIndex from = now;
      if (next_seed < seed_positions.size()) from = std::min(from, seed_positions[next_seed]);
      for (TransferIndex t = from; t < end; ++t) {
        if (next_seed < seed_positions.size() && seed_positions[next_seed] == t) {
          ++next_seed;
          if (hop[ledger.to(t)] > 1) {
            if (hop[ledger.to(t)] == kUnreached) reached.push_back(ledger.to(t));
            hop[ledger.to(t)] = 1;
          }
          continue;
        }
        AccountIndex payer = ledger.from(t), payee = ledger.to(t);
        if (payer == kNoAccount || payee == kNoAccount || hop[payer] >= options.max_hops ||
            IsExitKind(ledger.kind(payer))) {
          continue;
        }
        if (hop[payer] + 1 < hop[payee]) {
          if (hop[payee] == kUnreached) reached.push_back(payee);
          hop[payee] = static_cast<uint8_t>(hop[payer] + 1);
        }
      }
      break;
    }
    // Seeds take effect in order with the payments they may feed.
    if (next_seed < seed_positions.size() &&
        (queue.empty() || seed_positions[next_seed] <= queue.top().position)) {
      TransferIndex t = seed_positions[next_seed++];
      arrive(ledger.to(t), t, 1);
      continue;
    }
    Item item = queue.top();
    queue.pop();
    TransferIndex t = item.position;
    AccountIndex a = item.account;
    --queued_entries;
    enqueue(a, item.entry + 1);
    if (ledger.to(t) == kNoAccount) continue;  // cash out
    arrive(ledger.to(t), t, hop[a] + 1);
  }
  std::vector<Reached> out;
  out.reserve(reached.size());
  for (AccountIndex a : reached) out.push_back(Reached{std::string(ledger.account_id(a)), hop[a]});
  std::sort(out.begin(), out.end(), [](const Reached& x, const Reached& y) { return x.account < y.account; });
  return out;
}

}  // namespace fanzha::trace
