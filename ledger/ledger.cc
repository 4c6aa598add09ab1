#include "ledger/ledger.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <numeric>

#include "ledger/build.h"

namespace fanzha::ledger {
namespace {

void PutVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

uint64_t GetVarint(const char*& p) {
  uint64_t v = 0;
  for (int shift = 0;; shift += 7) {
    const uint8_t byte = static_cast<uint8_t>(*p++);
    v |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if (byte < 0x80) return v;
  }
}

uint64_t HashId(std::string_view id) { return std::hash<std::string_view>{}(id); }

template <typename Vector>
size_t Bytes(const Vector& v) {
  return v.capacity() * sizeof(typename Vector::value_type);
}

}  // namespace

Ledger::Ledger() : time_base_{0}, account_offset_{0}, names_{""} {}

Ledger::Builder::Builder() : ledger_(new Ledger()), staging_(new Staging()) {}
Ledger::Builder::~Builder() = default;

AccountIndex Ledger::AddAccountId(std::string_view id) {
  const AccountIndex a = static_cast<AccountIndex>(kind_.size());
  account_text_.append(id);
  account_offset_.push_back(account_text_.size());
  kind_.push_back(static_cast<uint8_t>(AccountKind::kUnknown));
  opening_.push_back(0);
  institution_.push_back(0);
  region_.push_back(0);
  if ((static_cast<size_t>(a) + 1) * 2 >
      account_slots_.size()) {  // keep the table at most half full
    std::vector<AccountIndex> slots(std::max<size_t>(1024, account_slots_.size() * 2), kNoAccount);
    const size_t mask = slots.size() - 1;
    for (AccountIndex b = 0; b < a; ++b) {
      size_t i = HashId(account_id(b)) & mask;
      while (slots[i] != kNoAccount) i = (i + 1) & mask;
      slots[i] = b;
    }
    account_slots_.swap(slots);
  }
  const size_t mask = account_slots_.size() - 1;
  size_t i = HashId(id) & mask;
  while (account_slots_[i] != kNoAccount) i = (i + 1) & mask;
  account_slots_[i] = a;
  return a;
}

std::optional<AccountIndex> Ledger::FindAccount(std::string_view id) const {
  if (account_slots_.empty()) return std::nullopt;
  const size_t mask = account_slots_.size() - 1;
  for (size_t i = HashId(id) & mask;; i = (i + 1) & mask) {
    const AccountIndex a = account_slots_[i];
    if (a == kNoAccount) return std::nullopt;
    if (account_id(a) == id) return a;
  }
}

AccountIndex Ledger::Builder::Intern(std::string_view account) {
  if (std::optional<AccountIndex> a = ledger_->FindAccount(account)) return *a;
  return ledger_->AddAccountId(account);
}

void Ledger::Builder::AddAccount(const Account& account) {
  AccountIndex a = Intern(account.id);
  Ledger& l = *ledger_;
  l.kind_[a] = static_cast<uint8_t>(account.kind);
  l.opening_[a] = account.opening_balance;
  l.institution_[a] = staging_->Name(l, account.institution);
  l.region_[a] = staging_->Name(l, account.region);
}

void Ledger::Builder::AddTransfer(const Transfer& t) {
  staging_->Add({t.time, t.amount, t.from.empty() ? kNoAccount : Intern(t.from),
                 t.to.empty() ? kNoAccount : Intern(t.to)},
                t.channel, t.id);
}

std::unique_ptr<Ledger> Ledger::Builder::Build() {
  Staging& s = *staging_;
  const size_t n = s.rows.size();
  // The total order of TRACING.md: (time, id), ids compared as bytes.
  std::vector<TransferIndex> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](TransferIndex a, TransferIndex b) {
    if (s.rows[a].time != s.rows[b].time) return s.rows[a].time < s.rows[b].time;
    return s.id(a) < s.id(b);
  });
  Staging sorted;
  sorted.Reserve(n, s.id_text.size());
  for (TransferIndex i : order) sorted.Add(s.rows[i], static_cast<Channel>(s.channel[i]), s.id(i));
  staging_.reset();
  ledger_->Seal(std::move(sorted), IdOrder::kUnknown);
  return std::move(ledger_);
}

void Ledger::Seal(Staging&& s, IdOrder order, std::vector<TransferIndex> by_id) {
  const size_t n = s.rows.size();
  // Times: the longest blocks (at most 2^24 positions) in which no time is 2^30 ms or more after
  // the block's first (two bits of the offset hold the channel).
  static_assert(static_cast<int>(Channel::kPurchase) == 3, "a channel is kept in two bits of Row");
  auto fits = [&](uint32_t shift) {
    for (size_t first = 0; first < n; first += size_t{1} << shift) {
      const size_t last = std::min(n, first + (size_t{1} << shift)) - 1;
      if (static_cast<uint64_t>(s.rows[last].time) - static_cast<uint64_t>(s.rows[first].time) >=
          (uint64_t{1} << 30))
        return false;
    }
    return true;
  };
  time_shift_ = 24;
  while (time_shift_ > 0 && !fits(time_shift_)) --time_shift_;
  time_base_.clear();
  for (size_t first = 0; first < n; first += size_t{1} << time_shift_)
    time_base_.push_back(s.rows[first].time);
  if (time_base_.empty()) time_base_.push_back(0);

  rows_.clear();
  rows_.reserve(n);
  wide_amounts_.clear();
  for (size_t t = 0; t < n; ++t) {
    const Staging::Transfer& r = s.rows[t];
    const bool narrow = r.amount >= 0 && r.amount < Fen{kWideAmount};
    if (!narrow) wide_amounts_.emplace_back(static_cast<TransferIndex>(t), r.amount);
    const uint32_t offset = static_cast<uint32_t>(r.time - time_base_[t >> time_shift_]);
    rows_.push_back(Row{offset << 2 | s.channel[t],
                        narrow ? static_cast<uint32_t>(r.amount) : kWideAmount, r.from, r.to});
  }
  std::vector<Staging::Transfer>().swap(s.rows);
  std::vector<uint8_t>().swap(s.channel);

  // Ids, front-coded in blocks.
  id_block_.clear();
  id_block_.reserve((n + kIdBlock - 1) / kIdBlock);
  id_bytes_.clear();
  std::string_view before;
  for (size_t t = 0; t < n; ++t) {
    const std::string_view id = s.id(t);
    if (t % kIdBlock == 0) {
      id_block_.push_back(id_bytes_.size());
      PutVarint(&id_bytes_, id.size());
      id_bytes_.append(id);
    } else {
      const size_t shared =
          std::mismatch(id.begin(), id.begin() + std::min(id.size(), before.size()), before.begin())
              .first -
          id.begin();
      PutVarint(&id_bytes_, shared);
      PutVarint(&id_bytes_, id.size() - shared);
      id_bytes_.append(id.substr(shared));
    }
    before = id;
  }
  id_bytes_.shrink_to_fit();

  if (order == IdOrder::kUnknown) {
    order = IdOrder::kAscending;
    for (size_t t = 1; t < n && order == IdOrder::kAscending; ++t) {
      if (!(s.id(t - 1) < s.id(t))) order = IdOrder::kGiven;
    }
    if (order == IdOrder::kGiven) {
      by_id.resize(n);
      std::iota(by_id.begin(), by_id.end(), 0);
      std::sort(by_id.begin(), by_id.end(),
                [&s](TransferIndex a, TransferIndex b) { return s.id(a) < s.id(b); });
    }
  }
  by_id_ = order == IdOrder::kGiven ? std::move(by_id) : std::vector<TransferIndex>();
  std::string().swap(s.id_text);
  std::vector<uint64_t>().swap(s.id_offset);
  BuildIndexes();
}

// Per-account adjacency (both sides) in CSR form, filled in ledger order so each list is
// ascending, with a bit per entry for payments; then the balance checkpoints.
void Ledger::BuildIndexes() {
  const size_t accounts = account_count();
  const size_t n = rows_.size();
  adj_start_.assign(accounts + 1, 0);
  for (const Row& r : rows_) {
    if (r.from != kNoAccount) ++adj_start_[r.from + 1];
    if (r.to != kNoAccount) ++adj_start_[r.to + 1];
  }
  for (size_t a = 0; a < accounts; ++a) adj_start_[a + 1] += adj_start_[a];
  adj_.clear();
  adj_.resize(adj_start_[accounts]);
  pays_.assign((adj_.size() + 63) / 64, 0);
  std::vector<uint64_t> fill(adj_start_.begin(), adj_start_.end() - 1);
  for (size_t t = 0; t < n; ++t) {
    const Row& r = rows_[t];
    if (r.from != kNoAccount) {
      const uint64_t e = fill[r.from]++;
      adj_[e] = static_cast<TransferIndex>(t);
      // A payment by the account; one to itself counts as a receipt, as BalanceBefore sees it.
      if (r.to != r.from) pays_[e >> 6] |= uint64_t{1} << (e & 63);
    }
    if (r.to != kNoAccount) adj_[fill[r.to]++] = static_cast<TransferIndex>(t);
  }
  pays_rank_.resize(pays_.size());
  uint64_t payments = 0;
  for (size_t w = 0; w < pays_.size(); ++w) {
    pays_rank_[w] = static_cast<uint32_t>(payments);
    payments += static_cast<uint64_t>(__builtin_popcountll(pays_[w]));
  }
  payee_.clear();
  payee_.reserve(payments);
  for (size_t w = 0; w < pays_.size(); ++w) {
    for (uint64_t word = pays_[w]; word != 0; word &= word - 1)
      payee_.push_back(rows_[adj_[w * 64 + static_cast<uint64_t>(__builtin_ctzll(word))]].to);
  }
  BuildCheckpoints();
}

void Ledger::BuildCheckpoints() {
  const size_t accounts = account_count();
  checkpoint_start_.assign(accounts + 1, 0);
  for (size_t a = 0; a < accounts; ++a) {
    uint64_t degree = adj_start_[a + 1] - adj_start_[a];
    checkpoint_start_[a + 1] =
        checkpoint_start_[a] +
        static_cast<uint32_t>((degree + kCheckpointEvery - 1) / kCheckpointEvery);
  }
  checkpoints_.assign(checkpoint_start_[accounts], 0);
  outflow_checkpoints_.assign(checkpoint_start_[accounts], 0);
  for (size_t a = 0; a < accounts; ++a) {
    Fen balance = opening_[a];
    Fen outflow = 0;
    uint64_t degree = adj_start_[a + 1] - adj_start_[a];
    for (uint64_t j = 0; j < degree; ++j) {
      if (j % kCheckpointEvery == 0) {
        checkpoints_[checkpoint_start_[a] + j / kCheckpointEvery] = balance;
        outflow_checkpoints_[checkpoint_start_[a] + j / kCheckpointEvery] = outflow;
      }
      const TransferIndex t = adj_[adj_start_[a] + j];
      const Fen amount = this->amount(t);
      if (to(t) == a) {
        balance += amount;
      } else {
        balance = balance > amount ? balance - amount : 0;
        outflow += amount;
      }
    }
  }
}

Fen Ledger::WideAmount(TransferIndex t) const {
  auto it = std::lower_bound(wide_amounts_.begin(), wide_amounts_.end(),
                             std::make_pair(t, Fen{INT64_MIN}));
  return it->second;  // a row marked wide is always listed
}

std::string Ledger::transfer_id(TransferIndex t) const {
  // The block's entries up to t, then the id written once from its end: each entry supplies the
  // bytes after what it shares with the one before, so walking back fills the rest of the prefix.
  struct Piece {
    uint64_t shared;
    uint64_t rest;
    const char* text;
  };
  Piece pieces[kIdBlock];
  const char* p = id_bytes_.data() + id_block_[t / kIdBlock];
  const uint32_t k = t % kIdBlock;
  pieces[0] = {0, GetVarint(p), nullptr};
  pieces[0].text = p;
  p += pieces[0].rest;
  for (uint32_t i = 1; i <= k; ++i) {
    const uint64_t shared = GetVarint(p);
    const uint64_t rest = GetVarint(p);
    pieces[i] = {shared, rest, p};
    p += rest;
  }
  std::string id(pieces[k].shared + pieces[k].rest, '\0');
  uint64_t need = id.size();  // bytes [0, need) are still to be filled
  for (int64_t i = k; i >= 0 && need > 0; --i) {
    const Piece& e = pieces[i];
    if (e.shared >= need) continue;
    std::memcpy(id.data() + e.shared, e.text, need - e.shared);
    need = e.shared;
  }
  return id;
}

void Ledger::TransferIds(const TransferIndex* t, size_t n, std::string* out) const {
  // Two dependent loads per id (its block's offset, then the block's bytes), each fetched a few
  // ids ahead of its use.
  constexpr size_t kAhead = 8;
  for (size_t i = 0; i < std::min(n, 2 * kAhead); ++i)
    __builtin_prefetch(&id_block_[t[i] / kIdBlock]);
  for (size_t i = 0; i < std::min(n, kAhead); ++i)
    __builtin_prefetch(id_bytes_.data() + id_block_[t[i] / kIdBlock]);
  for (size_t i = 0; i < n; ++i) {
    if (i + 2 * kAhead < n) __builtin_prefetch(&id_block_[t[i + 2 * kAhead] / kIdBlock]);
    if (i + kAhead < n) __builtin_prefetch(id_bytes_.data() + id_block_[t[i + kAhead] / kIdBlock]);
    out[i] = transfer_id(t[i]);
  }
}

std::string_view Ledger::FirstIdOfBlock(size_t block) const {
  const char* p = id_bytes_.data() + id_block_[block];
  const uint64_t length = GetVarint(p);
  return std::string_view(p, length);
}

std::optional<TransferIndex> Ledger::FindTransfer(std::string_view id) const {
  const size_t n = rows_.size();
  if (n == 0) return std::nullopt;
  if (!by_id_.empty()) {
    auto it = std::lower_bound(
        by_id_.begin(), by_id_.end(), id,
        [this](TransferIndex t, std::string_view v) { return transfer_id(t) < v; });
    if (it == by_id_.end() || transfer_id(*it) != id) return std::nullopt;
    return *it;
  }
  // Ids ascend with positions: the last block whose first id is not after `id`, then within it.
  size_t lo = 0, hi = id_block_.size();  // the answer is in [lo, hi)
  if (id < FirstIdOfBlock(0)) return std::nullopt;
  while (hi - lo > 1) {
    const size_t mid = lo + (hi - lo) / 2;
    if (FirstIdOfBlock(mid) <= id)
      lo = mid;
    else
      hi = mid;
  }
  const char* p = id_bytes_.data() + id_block_[lo];
  const uint64_t length = GetVarint(p);
  std::string current(p, length);
  p += length;
  const size_t first = lo * kIdBlock, last = std::min(n, first + kIdBlock);
  for (size_t t = first;;) {
    if (current == id) return static_cast<TransferIndex>(t);
    if (current > id || ++t == last) return std::nullopt;
    const uint64_t shared = GetVarint(p);
    const uint64_t rest = GetVarint(p);
    current.resize(shared);
    current.append(p, rest);
    p += rest;
  }
}

TransferIndex Ledger::LowerBound(Millis t) const {
  TransferIndex lo = 0, hi = static_cast<TransferIndex>(rows_.size());
  while (lo < hi) {
    const TransferIndex mid = lo + (hi - lo) / 2;
    if (time(mid) < t)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

void Ledger::LowerBounds(const AccountIndex* accounts, const TransferIndex* after, size_t n,
                         const TransferIndex** out) const {
  // In groups: each pass moves every search of the group one step and fetches its next probe, so
  // a group's misses are in flight together.
  constexpr size_t kGroup = 16;
  const TransferIndex* base[kGroup];
  uint64_t len[kGroup];
  for (size_t g = 0; g < n; g += kGroup) {
    const size_t m = std::min(kGroup, n - g);
    for (size_t i = 0; i < m; ++i) __builtin_prefetch(&adj_start_[accounts[g + i]]);
    bool busy = false;
    for (size_t i = 0; i < m; ++i) {
      const AccountIndex a = accounts[g + i];
      base[i] = adjacency_begin(a);
      len[i] = static_cast<uint64_t>(adjacency_end(a) - base[i]);
      if (len[i] > 0) __builtin_prefetch(base[i] + len[i] / 2);
      busy |= len[i] > 0;
    }
    while (busy) {
      busy = false;
      for (size_t i = 0; i < m; ++i) {
        if (len[i] == 0) continue;
        const uint64_t half = len[i] / 2;
        if (base[i][half] < after[g + i]) {
          base[i] += half + 1;
          len[i] -= half + 1;
        } else {
          len[i] = half;
        }
        if (len[i] > 0) {
          __builtin_prefetch(base[i] + len[i] / 2);
          busy = true;
        }
      }
    }
    for (size_t i = 0; i < m; ++i) out[g + i] = base[i];
  }
}

void Ledger::PrefetchRows(const TransferIndex* first, const TransferIndex* last) const {
  for (const TransferIndex* p = first; p != last; ++p) __builtin_prefetch(&rows_[*p]);
}

Fen Ledger::BalanceBefore(AccountIndex a, TransferIndex before) const {
  const TransferIndex* first = adjacency_begin(a);
  const TransferIndex* stop = std::lower_bound(first, adjacency_end(a), before);
  uint64_t block = static_cast<uint64_t>(stop - first) / kCheckpointEvery;
  if (stop - first == 0) return opening_[a];
  if (static_cast<uint64_t>(stop - first) % kCheckpointEvery == 0) --block;  // replay a whole block
  Fen balance = checkpoints_[checkpoint_start_[a] + block];
  PrefetchRows(first + block * kCheckpointEvery, stop);  // up to 32 scattered rows, all at once
  for (const TransferIndex* p = first + block * kCheckpointEvery; p != stop; ++p) {
    const Fen amount = this->amount(*p);
    if (to(*p) == a) {
      balance += amount;
    } else {
      balance = balance > amount ? balance - amount : 0;
    }
  }
  return balance;
}

Fen Ledger::OutflowBefore(AccountIndex a, const TransferIndex* e) const {
  uint64_t k = static_cast<uint64_t>(e - adjacency_begin(a));
  if (k == 0) return 0;
  uint64_t block = (k - 1) / kCheckpointEvery;
  Fen outflow = outflow_checkpoints_[checkpoint_start_[a] + block];
  PrefetchRows(adjacency_begin(a) + block * kCheckpointEvery, e);
  for (const TransferIndex* p = adjacency_begin(a) + block * kCheckpointEvery; p != e; ++p) {
    if (IsPayment(p)) outflow += amount(*p);
  }
  return outflow;
}

Ledger::Outflow Ledger::FirstOutflowBeyond(AccountIndex a, const TransferIndex* from, Fen limit,
                                           Fen balance, Fen paid_before_from) const {
  if (paid_before_from < 0) paid_before_from = OutflowBefore(a, from);
  const Fen target = paid_before_from + limit;  // the answer pays past this running total
  // The last checkpoint at or after `from` whose running total has not yet passed the target.
  const Fen* first_cp = outflow_checkpoints_.data() + checkpoint_start_[a];
  const Fen* end_cp = outflow_checkpoints_.data() + checkpoint_start_[a + 1];
  const Fen* start_cp =
      first_cp + (from - adjacency_begin(a) + kCheckpointEvery - 1) / kCheckpointEvery;
  const Fen* past = std::upper_bound(start_cp, end_cp, target);
  const TransferIndex* p = from;
  Fen outflow = paid_before_from;
  if (past != start_cp) {  // jump to the checkpoint before the one that passes the target
    const uint64_t block = static_cast<uint64_t>(past - 1 - first_cp);
    const TransferIndex* jump = adjacency_begin(a) + block * kCheckpointEvery;
    if (jump > p) {
      p = jump;
      outflow = *(past - 1);
      balance = checkpoints_[checkpoint_start_[a] + block];
    }
  }
  // The answer is within a block of p unless the checkpoints ran out (then the rest is scanned).
  // The balance follows TRACING.md's rule as BalanceBefore does.
  const TransferIndex* end = adjacency_end(a);
  PrefetchRows(p, std::min<const TransferIndex*>(end, p + 2 * kCheckpointEvery));
  for (; p != end; ++p) {
    const Fen amount = this->amount(*p);
    if (!IsPayment(p)) {
      balance += amount;
      continue;
    }
    if (outflow + amount > target) return {p, paid_before_from, outflow, balance};
    outflow += amount;
    balance = balance > amount ? balance - amount : 0;
  }
  return {p, paid_before_from, outflow, balance};
}

Ledger::Payment Ledger::FirstPaymentOver(AccountIndex a, const TransferIndex* from, Fen balance,
                                         Fen floor, int64_t ratio) const {
  const TransferIndex* first = adjacency_begin(a);
  const TransferIndex* end = adjacency_end(a);
  const uint64_t checkpoints = checkpoint_start_[a + 1] - checkpoint_start_[a];
  const Fen* balance_at = checkpoints_.data() + checkpoint_start_[a];
  const Fen* outflow_at = outflow_checkpoints_.data() + checkpoint_start_[a];
  for (const TransferIndex* p = from; p != end;) {
    uint64_t k = static_cast<uint64_t>(p - first);
    uint64_t block = k / kCheckpointEvery;
    // At a checkpoint with another after it: every payment q of the block has amount <= paid and
    // balance before it >= balance - (paid - amount), so none qualifies when ratio x paid <=
    // balance - floor.
    if (k % kCheckpointEvery == 0 && block + 1 < checkpoints) {
      Fen paid = outflow_at[block + 1] - outflow_at[block];
      if (static_cast<__int128>(ratio) * paid <= static_cast<__int128>(balance) - floor) {
        balance = balance_at[block + 1];
        p += kCheckpointEvery;
        continue;
      }
    }
    const Fen amount = this->amount(*p);
    if (to(*p) == a) {
      balance += amount;
    } else {
      if (static_cast<__int128>(ratio) * amount > static_cast<__int128>(balance) - floor) {
        return Payment{p, balance};
      }
      balance = balance > amount ? balance - amount : 0;
    }
    ++p;
  }
  return Payment{end, balance};
}

size_t Ledger::MemoryBytes() const {
  size_t bytes = sizeof(Ledger) + Bytes(rows_) + Bytes(time_base_) + Bytes(wide_amounts_) +
                 Bytes(id_block_) + id_bytes_.capacity() + Bytes(by_id_);
  bytes += account_text_.capacity() + Bytes(account_offset_) + Bytes(account_slots_) +
           Bytes(kind_) + Bytes(opening_) + Bytes(institution_) + Bytes(region_) + Bytes(names_);
  for (const std::string& name : names_) bytes += name.capacity() > 15 ? name.capacity() + 1 : 0;
  bytes += Bytes(adj_start_) + Bytes(adj_) + Bytes(pays_) + Bytes(pays_rank_) + Bytes(payee_);
  bytes += Bytes(checkpoint_start_) + Bytes(checkpoints_) + Bytes(outflow_checkpoints_);
  return bytes;
}

}  // namespace fanzha::ledger
