// Ledger::Load: the store's accounts and transfers into a Ledger, fast enough to reopen a store of
// ten million transfers in seconds.
//
// The store already refers to accounts by integer key, so the scan (Store::ScanLedger*) hands over
// integers and views, and no record or string is made per transfer: ids go straight into the id
// arena. Ordering avoids comparing strings where it can:
//  - the id order (for FindTransfer) is checked first; a store filled from files in id order (the
//    usual case: bank serials grow with time) needs no sort. Otherwise the ids are sorted on two
//    threads (each half, then a merge).
//  - the (time, id) order is then an integer sort on (time, rank of the id), again skipped when
//    the rows already come in that order, and done on two threads otherwise.
//  - the columns are permuted on two threads (rows and channels on one, the id arena on the other).
#include <algorithm>
#include <numeric>
#include <thread>

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

  // One snapshot for both scans: a transfer stored between them would name an account the
  // first scan did not see (the server loads while reports come in).
  FANZHA_ASSIGN_OR_RETURN(store::SqlTransaction snapshot, store::SqlTransaction::BeginRead(&store.sql()));
  KeyMap keys;
  FANZHA_RETURN_IF_ERROR(store.ScanLedgerAccounts([&](const store::Store::LedgerAccountRow& r) {
    auto a = static_cast<AccountIndex>(l.account_ids_.size());
    l.account_ids_.emplace_back(r.id);
    l.account_index_.emplace(l.account_ids_.back(), a);
    l.kind_.push_back(static_cast<uint8_t>(r.kind));
    l.opening_.push_back(r.opening_balance);
    l.institution_.emplace_back(r.institution);
    l.region_.emplace_back(r.region);
    keys.Add(r.key, a);
  }));
  keys.Seal();

  FANZHA_ASSIGN_OR_RETURN(int64_t expected, store.CountTransfers());
  expected = std::clamp<int64_t>(expected, 0, int64_t{1} << 32);
  l.rows_.reserve(static_cast<size_t>(expected));
  l.channel_.reserve(static_cast<size_t>(expected));
  std::vector<uint64_t> offsets;  // id i is text[offsets[i] .. offsets[i + 1])
  offsets.reserve(static_cast<size_t>(expected) + 1);
  offsets.push_back(0);
  std::string text;
  text.reserve(static_cast<size_t>(expected) * 12);
  int64_t unknown_key = 0;
  auto account = [&](int64_t key) {
    if (key == 0) return kNoAccount;
    AccountIndex a = keys.Find(key);
    if (a == kNoAccount) unknown_key = key;
    return a;
  };
  FANZHA_RETURN_IF_ERROR(store.ScanLedgerTransfers([&](const store::Store::LedgerTransferRow& r) {
    l.rows_.push_back(Row{r.time, r.amount, account(r.from), account(r.to)});
    l.channel_.push_back(static_cast<uint8_t>(r.channel));
    text.append(r.id);
    offsets.push_back(text.size());
  }));
  FANZHA_RETURN_IF_ERROR(snapshot.Commit());
  if (unknown_key != 0)
    return Status::Internal("a transfer names account key " + std::to_string(unknown_key) +
                            ", which the store does not have");
  const size_t n = l.rows_.size();
  if (n >= kNoAccount) return Status::Internal("more transfers than a ledger can index");
  auto id_of = [&](size_t i) {
    return std::string_view(text).substr(offsets[i], offsets[i + 1] - offsets[i]);
  };

  // Id order: id_order[k] is the k-th transfer by id; rank[i] is where transfer i is in it.
  bool ids_sorted = true;
  for (size_t i = 1; i < n && ids_sorted; ++i) ids_sorted = id_of(i - 1) < id_of(i);
  std::vector<TransferIndex> rank;
  if (!ids_sorted) {
    std::vector<TransferIndex> id_order(n);
    std::iota(id_order.begin(), id_order.end(), 0);
    SortOnTwoThreads(id_order.begin(), id_order.end(),
                     [&](TransferIndex a, TransferIndex b) { return id_of(a) < id_of(b); });
    rank.resize(n);
    for (size_t k = 0; k < n; ++k) rank[id_order[k]] = static_cast<TransferIndex>(k);
  }
  auto rank_of = [&](size_t i) { return ids_sorted ? static_cast<TransferIndex>(i) : rank[i]; };

  // (time, id) order: order[p] is the transfer at position p.
  bool in_order = true;
  for (size_t i = 1; i < n && in_order; ++i) {
    const Millis a = l.rows_[i - 1].time, b = l.rows_[i].time;
    in_order = a < b || (a == b && rank_of(i - 1) < rank_of(i));
  }
  if (!in_order) {
    struct Key {
      Millis time;
      TransferIndex rank;
      TransferIndex index;
    };
    std::vector<Key> order(n);
    for (size_t i = 0; i < n; ++i)
      order[i] = Key{l.rows_[i].time, rank_of(i), static_cast<TransferIndex>(i)};
    SortOnTwoThreads(order.begin(), order.end(), [](const Key& a, const Key& b) {
      return a.time != b.time ? a.time < b.time : a.rank < b.rank;
    });
    // Columns into the new order: rows and channels on this thread, the id arena on another.
    std::string sorted_text;
    std::vector<uint64_t> sorted_offsets;
    std::thread ids([&] {
      sorted_text.reserve(text.size());
      sorted_offsets.reserve(n + 1);
      sorted_offsets.push_back(0);
      for (const Key& k : order) {
        sorted_text.append(id_of(k.index));
        sorted_offsets.push_back(sorted_text.size());
      }
    });
    decltype(l.rows_) rows;
    rows.reserve(n);
    std::vector<uint8_t> channels;
    channels.reserve(n);
    for (const Key& k : order) {
      rows.push_back(l.rows_[k.index]);
      channels.push_back(l.channel_[k.index]);
    }
    ids.join();
    l.rows_.swap(rows);
    l.channel_.swap(channels);
    text.swap(sorted_text);
    offsets.swap(sorted_offsets);
    // by_id_[k] = position of the k-th id: positions of the transfers, then in id order.
    std::vector<TransferIndex> position(n);
    for (size_t p = 0; p < n; ++p) position[order[p].index] = static_cast<TransferIndex>(p);
    order = {};
    l.by_id_.resize(n);
    for (size_t i = 0; i < n; ++i) l.by_id_[rank_of(i)] = position[i];
  } else {
    l.by_id_.resize(n);
    for (size_t i = 0; i < n; ++i) l.by_id_[rank_of(i)] = static_cast<TransferIndex>(i);
  }
  rank = {};
  l.id_text_ = std::move(text);
  l.id_offset_ = std::move(offsets);

  l.BuildIndexes();
  return ledger;
}

}  // namespace fanzha::ledger
