// Ledger::Load: the store's accounts and transfers into a Ledger, fast enough to reopen a store of
// ten million transfers in seconds.
//
// The store already refers to accounts by integer key, so the scan (Store::ScanLedger*) hands over
// integers and views, and no record or string is made per transfer: ids go straight into the id
// staging text. Ordering avoids comparing strings where it can:
//  - the id order (for FindTransfer) is checked first; a store filled from files in id order (the
//    usual case: bank serials grow with time) needs no sort. Otherwise the ids are sorted on two
//    threads (each half, then a merge).
//  - the (time, id) order is then an integer sort on (time, rank of the id), again skipped when
//    the rows already come in that order, and done on two threads otherwise.
//  - the columns are permuted on two threads (rows and channels on one, the id text on the other).
// Ledger::Seal then packs them (front-coded ids, 16-byte rows).
#include <algorithm>
#include <numeric>
#include <thread>

#include "ledger/build.h"
#include "ledger/ledger.h"
#include "store/store.h"

namespace fanzha::ledger {
namespace {

// std::sort of [first, last) on two threads: each half, then one merge.
template <typename It, typename Cmp>
void SortOnTwoThreads(It first, It last, Cmp cmp) {
  const size_t n = static_cast<size_t>(last - first);
  if (n < (size_t{1} << 16)) {
    std::sort(first, last, cmp);
    return;
  }
  It mid = first + n / 2;
  std::thread other([&] { std::sort(first, mid, cmp); });
  std::sort(mid, last, cmp);
  other.join();
  std::inplace_merge(first, mid, last, cmp);
}

// Account key -> dense index: a plain array when the keys are dense (SQLite rowids are), else a
// sorted list.
class KeyMap {
 public:
  void Add(int64_t key, AccountIndex a) { pairs_.emplace_back(key, a); }
  void Seal() {
    int64_t max_key = 0;
    bool dense = true;
    for (const auto& [k, a] : pairs_) {
      dense &= k > 0;
      max_key = std::max(max_key, k);
    }
    dense &= max_key <= 8 * static_cast<int64_t>(pairs_.size()) + 1024;
    if (dense) {
      dense_.assign(static_cast<size_t>(max_key) + 1, kNoAccount);
      for (const auto& [k, a] : pairs_) dense_[static_cast<size_t>(k)] = a;
      pairs_ = {};
    } else {
      std::sort(pairs_.begin(), pairs_.end());
    }
  }
  // kNoAccount when unknown.
  AccountIndex Find(int64_t key) const {
    if (!dense_.empty()) {
      return key > 0 && static_cast<size_t>(key) < dense_.size() ? dense_[static_cast<size_t>(key)]
                                                                 : kNoAccount;
    }
    auto it = std::lower_bound(pairs_.begin(), pairs_.end(), std::make_pair(key, AccountIndex{0}));
    return it != pairs_.end() && it->first == key ? it->second : kNoAccount;
  }

 private:
  std::vector<std::pair<int64_t, AccountIndex>> pairs_;
  std::vector<AccountIndex> dense_;
};

}  // namespace

Result<std::unique_ptr<Ledger>> Ledger::Load(store::Store& store) {
  std::unique_ptr<Ledger> ledger(new Ledger());
  Ledger& l = *ledger;
  Staging staged;

  // One snapshot for both scans: a transfer stored between them would name an account the
  // first scan did not see (the server loads while reports come in).
  FANZHA_ASSIGN_OR_RETURN(store::SqlTransaction snapshot,
                          store::SqlTransaction::BeginRead(&store.sql()));
  KeyMap keys;
  FANZHA_RETURN_IF_ERROR(store.ScanLedgerAccounts([&](const store::Store::LedgerAccountRow& r) {
    const AccountIndex a = l.AddAccountId(r.id);  // the store's account ids are unique
    l.kind_[a] = static_cast<uint8_t>(r.kind);
    l.opening_[a] = r.opening_balance;
    l.institution_[a] = staged.Name(l, r.institution);
    l.region_[a] = staged.Name(l, r.region);
    keys.Add(r.key, a);
  }));
  keys.Seal();

  FANZHA_ASSIGN_OR_RETURN(int64_t expected, store.CountTransfers());
  expected = std::clamp<int64_t>(expected, 0, int64_t{1} << 32);
  staged.Reserve(static_cast<size_t>(expected), static_cast<size_t>(expected) * 12);
  int64_t unknown_key = 0;
  auto account = [&](int64_t key) {
    if (key == 0) return kNoAccount;
    AccountIndex a = keys.Find(key);
    if (a == kNoAccount) unknown_key = key;
    return a;
  };
  FANZHA_RETURN_IF_ERROR(store.ScanLedgerTransfers([&](const store::Store::LedgerTransferRow& r) {
    staged.Add({r.time, r.amount, account(r.from), account(r.to)}, r.channel, r.id);
  }));
  FANZHA_RETURN_IF_ERROR(snapshot.Commit());
  if (unknown_key != 0)
    return Status::Internal("a transfer names account key " + std::to_string(unknown_key) +
                            ", which the store does not have");
  const size_t n = staged.rows.size();
  if (n >= kNoAccount) return Status::Internal("more transfers than a ledger can index");

  // Id order: id_order[k] is the k-th transfer by id; rank[i] is where transfer i is in it.
  bool ids_sorted = true;
  for (size_t i = 1; i < n && ids_sorted; ++i) ids_sorted = staged.id(i - 1) < staged.id(i);
  std::vector<TransferIndex> rank;
  if (!ids_sorted) {
    std::vector<TransferIndex> id_order(n);
    std::iota(id_order.begin(), id_order.end(), 0);
    SortOnTwoThreads(id_order.begin(), id_order.end(),
                     [&](TransferIndex a, TransferIndex b) { return staged.id(a) < staged.id(b); });
    rank.resize(n);
    for (size_t k = 0; k < n; ++k) rank[id_order[k]] = static_cast<TransferIndex>(k);
  }
  auto rank_of = [&](size_t i) { return ids_sorted ? static_cast<TransferIndex>(i) : rank[i]; };

  // (time, id) order: order[p] is the transfer at position p.
  bool in_order = true;
  for (size_t i = 1; i < n && in_order; ++i) {
    const Millis a = staged.rows[i - 1].time, b = staged.rows[i].time;
    in_order = a < b || (a == b && rank_of(i - 1) < rank_of(i));
  }
  if (in_order && ids_sorted) {
    l.Seal(std::move(staged), IdOrder::kAscending);
    return ledger;
  }
  // by_id[k] = position of the k-th id.
  std::vector<TransferIndex> by_id(n);
  if (in_order) {
    for (size_t i = 0; i < n; ++i) by_id[rank_of(i)] = static_cast<TransferIndex>(i);
    rank = {};
    l.Seal(std::move(staged), IdOrder::kGiven, std::move(by_id));
    return ledger;
  }
  struct Key {
    Millis time;
    TransferIndex rank;
    TransferIndex index;
  };
  std::vector<Key> order(n);
  for (size_t i = 0; i < n; ++i)
    order[i] = Key{staged.rows[i].time, rank_of(i), static_cast<TransferIndex>(i)};
  SortOnTwoThreads(order.begin(), order.end(), [](const Key& a, const Key& b) {
    return a.time != b.time ? a.time < b.time : a.rank < b.rank;
  });
  // Columns into the new order: rows and channels on this thread, the id text on another.
  Staging sorted;
  std::thread ids([&] {
    sorted.id_text.reserve(staged.id_text.size());
    sorted.id_offset.reserve(n + 1);
    for (const Key& k : order) {
      sorted.id_text.append(staged.id(k.index));
      sorted.id_offset.push_back(sorted.id_text.size());
    }
  });
  sorted.rows.reserve(n);
  sorted.channel.reserve(n);
  for (const Key& k : order) {
    sorted.rows.push_back(staged.rows[k.index]);
    sorted.channel.push_back(staged.channel[k.index]);
  }
  ids.join();
  staged = Staging();
  bool ascending = true;
  for (size_t p = 0; p < n; ++p) {
    by_id[order[p].rank] = static_cast<TransferIndex>(p);
    ascending &= order[p].rank == p;
  }
  order = {};
  rank = {};
  if (ascending) by_id = {};
  l.Seal(std::move(sorted), ascending ? IdOrder::kAscending : IdOrder::kGiven, std::move(by_id));
  return ledger;
}

}  // namespace fanzha::ledger
