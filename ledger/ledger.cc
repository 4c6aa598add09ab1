#include "ledger/ledger.h"

#include <algorithm>
#include <numeric>


namespace fanzha::ledger {

Ledger::Builder::Builder() : ledger_(new Ledger()) { ledger_->id_offset_.push_back(0); }
Ledger::Builder::~Builder() = default;

AccountIndex Ledger::Builder::Intern(std::string_view account) {
  Ledger& l = *ledger_;
  auto it = l.account_index_.find(account);
  if (it != l.account_index_.end()) return it->second;
  AccountIndex a = static_cast<AccountIndex>(l.account_ids_.size());
  l.account_ids_.emplace_back(account);
  l.account_index_.emplace(l.account_ids_.back(), a);
  l.kind_.push_back(static_cast<uint8_t>(AccountKind::kUnknown));
  l.opening_.push_back(0);
  l.institution_.emplace_back();
  l.region_.emplace_back();
  return a;
}

void Ledger::Builder::AddAccount(const Account& account) {
  AccountIndex a = Intern(account.id);
  Ledger& l = *ledger_;
  l.kind_[a] = static_cast<uint8_t>(account.kind);
  l.opening_[a] = account.opening_balance;
  l.institution_[a] = account.institution;
  l.region_[a] = account.region;
}

void Ledger::Builder::AddTransfer(const Transfer& t) {
  Ledger& l = *ledger_;
  l.rows_.push_back(Row{t.time, t.amount, t.from.empty() ? kNoAccount : Intern(t.from),
                        t.to.empty() ? kNoAccount : Intern(t.to)});
  l.channel_.push_back(static_cast<uint8_t>(t.channel));
  l.id_text_.append(t.id);
  l.id_offset_.push_back(l.id_text_.size());
}

namespace {

template <typename Vector>
void Permute(Vector* v, const std::vector<TransferIndex>& order) {
  Vector out;
  out.reserve(v->size());
  for (TransferIndex i : order) out.push_back((*v)[i]);
  v->swap(out);
}

}  // namespace

std::unique_ptr<Ledger> Ledger::Builder::Build() {
  Ledger& l = *ledger_;
  const size_t n = l.rows_.size();
  auto id_of = [&l](TransferIndex t) {
    return std::string_view(l.id_text_).substr(l.id_offset_[t], l.id_offset_[t + 1] - l.id_offset_[t]);
  };
  // The total order of TRACING.md: (time, id), ids compared as bytes.
  std::vector<TransferIndex> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](TransferIndex a, TransferIndex b) {
    if (l.rows_[a].time != l.rows_[b].time) return l.rows_[a].time < l.rows_[b].time;
    return id_of(a) < id_of(b);
  });
  Permute(&l.rows_, order);
  Permute(&l.channel_, order);
  std::string text;
  text.reserve(l.id_text_.size());
  std::vector<uint64_t> offsets;
  offsets.reserve(n + 1);
  offsets.push_back(0);
  for (TransferIndex i : order) {
    text.append(id_of(i));
    offsets.push_back(text.size());
  }
  l.id_text_.swap(text);
  l.id_offset_.swap(offsets);
  order = {};

  l.by_id_.resize(n);
  std::iota(l.by_id_.begin(), l.by_id_.end(), 0);
  std::sort(l.by_id_.begin(), l.by_id_.end(),
            [&](TransferIndex a, TransferIndex b) { return l.transfer_id(a) < l.transfer_id(b); });

  l.BuildIndexes();
  return std::move(ledger_);
}

// Per-account adjacency (both sides) and payment lists in CSR form, filled in ledger order so each
// list is ascending, then the balance checkpoints.
void Ledger::BuildIndexes() {
  // Adjacency in CSR form: count, prefix sums, fill in order (so each list is ascending).
  const size_t accounts = account_ids_.size();
  const size_t n = rows_.size();
  adj_start_.assign(accounts + 1, 0);
  for (const Row& r : rows_) {
    if (r.from != kNoAccount) ++adj_start_[r.from + 1];
    if (r.to != kNoAccount) ++adj_start_[r.to + 1];
  }
  for (size_t a = 0; a < accounts; ++a) adj_start_[a + 1] += adj_start_[a];
  adj_.resize(adj_start_[accounts]);
  std::vector<uint64_t> fill(adj_start_.begin(), adj_start_.end() - 1);
  for (size_t t = 0; t < n; ++t) {
    const Row& r = rows_[t];
    if (r.from != kNoAccount) adj_[fill[r.from]++] = static_cast<TransferIndex>(t);
    if (r.to != kNoAccount) adj_[fill[r.to]++] = static_cast<TransferIndex>(t);
  }
  pay_start_.assign(accounts + 1, 0);
  for (const Row& r : rows_) {
    if (r.from != kNoAccount) ++pay_start_[r.from + 1];
  }
  for (size_t a = 0; a < accounts; ++a) pay_start_[a + 1] += pay_start_[a];
  pay_.resize(pay_start_[accounts]);
  fill.assign(pay_start_.begin(), pay_start_.end() - 1);
  for (size_t t = 0; t < n; ++t) {
    if (rows_[t].from != kNoAccount) pay_[fill[rows_[t].from]++] = static_cast<TransferIndex>(t);
  }
  BuildCheckpoints();
}

void Ledger::BuildCheckpoints() {
  const size_t accounts = account_ids_.size();
  checkpoint_start_.assign(accounts + 1, 0);
  for (size_t a = 0; a < accounts; ++a) {
    uint64_t degree = adj_start_[a + 1] - adj_start_[a];
    checkpoint_start_[a + 1] =
        checkpoint_start_[a] + static_cast<uint32_t>((degree + kCheckpointEvery - 1) / kCheckpointEvery);
  }
  checkpoints_.resize(checkpoint_start_[accounts]);
  outflow_checkpoints_.resize(checkpoint_start_[accounts]);
  for (size_t a = 0; a < accounts; ++a) {
    Fen balance = opening_[a];
    Fen outflow = 0;
    uint64_t degree = adj_start_[a + 1] - adj_start_[a];
    for (uint64_t j = 0; j < degree; ++j) {
      if (j % kCheckpointEvery == 0) {
        checkpoints_[checkpoint_start_[a] + j / kCheckpointEvery] = balance;
        outflow_checkpoints_[checkpoint_start_[a] + j / kCheckpointEvery] = outflow;
      }
      const Row& r = rows_[adj_[adj_start_[a] + j]];
      if (r.to == a) {
        balance += r.amount;
      } else {
        balance = balance > r.amount ? balance - r.amount : 0;
        outflow += r.amount;
      }
    }
  }
}

std::string_view Ledger::transfer_id(TransferIndex t) const {
  return std::string_view(id_text_).substr(id_offset_[t], id_offset_[t + 1] - id_offset_[t]);
}

std::optional<TransferIndex> Ledger::FindTransfer(std::string_view id) const {
  auto it = std::lower_bound(by_id_.begin(), by_id_.end(), id,
                             [this](TransferIndex t, std::string_view v) { return transfer_id(t) < v; });
  if (it == by_id_.end() || transfer_id(*it) != id) return std::nullopt;
  return *it;
}

TransferIndex Ledger::LowerBound(Millis t) const {
  return static_cast<TransferIndex>(
      std::lower_bound(rows_.begin(), rows_.end(), t,
                       [](const Row& r, Millis v) { return r.time < v; }) -
      rows_.begin());
}

std::optional<AccountIndex> Ledger::FindAccount(std::string_view id) const {
  auto it = account_index_.find(id);
  if (it == account_index_.end()) return std::nullopt;
  return it->second;
}

Fen Ledger::BalanceBefore(AccountIndex a, TransferIndex before) const {
  const TransferIndex* first = adjacency_begin(a);
  const TransferIndex* stop = std::lower_bound(first, adjacency_end(a), before);
  uint64_t block = static_cast<uint64_t>(stop - first) / kCheckpointEvery;
  if (stop - first == 0) return opening_[a];
  if (static_cast<uint64_t>(stop - first) % kCheckpointEvery == 0) --block;  // replay a whole block
  Fen balance = checkpoints_[checkpoint_start_[a] + block];
  for (const TransferIndex* p = first + block * kCheckpointEvery; p != stop; ++p) {
    const Row& r = rows_[*p];
    if (r.to == a) {
      balance += r.amount;
    } else {
      balance = balance > r.amount ? balance - r.amount : 0;
    }
  }
  return balance;
}

Fen Ledger::OutflowBefore(AccountIndex a, const TransferIndex* e) const {
  uint64_t k = static_cast<uint64_t>(e - adjacency_begin(a));
  if (k == 0) return 0;
  uint64_t block = (k - 1) / kCheckpointEvery;
  Fen outflow = outflow_checkpoints_[checkpoint_start_[a] + block];
  for (const TransferIndex* p = adjacency_begin(a) + block * kCheckpointEvery; p != e; ++p) {
    if (rows_[*p].to != a) outflow += rows_[*p].amount;
  }
  return outflow;
}

const TransferIndex* Ledger::FirstOutflowBeyond(AccountIndex a, const TransferIndex* from,
                                                Fen limit) const {
  const Fen target = OutflowBefore(a, from) + limit;  // the answer pays past this running total
  // The last checkpoint at or after `from` whose running total has not yet passed the target.
  const Fen* first_cp = outflow_checkpoints_.data() + checkpoint_start_[a];
  const Fen* end_cp = outflow_checkpoints_.data() + checkpoint_start_[a + 1];
  const Fen* start_cp = first_cp + (from - adjacency_begin(a) + kCheckpointEvery - 1) / kCheckpointEvery;
  const Fen* past = std::upper_bound(start_cp, end_cp, target);
  const TransferIndex* p = from;
  Fen outflow = target - limit;
  if (past != start_cp) {  // jump to the checkpoint before the one that passes the target
    const TransferIndex* jump = adjacency_begin(a) + (past - 1 - first_cp) * kCheckpointEvery;
    if (jump > p) {
      p = jump;
      outflow = *(past - 1);
    }
  }
  for (; p != adjacency_end(a); ++p) {
    const Row& r = rows_[*p];
    if (r.to == a) continue;
    outflow += r.amount;
    if (outflow > target) return p;
  }
  return p;
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
    const Row& r = rows_[*p];
    if (r.to == a) {
      balance += r.amount;
    } else {
      if (static_cast<__int128>(ratio) * r.amount > static_cast<__int128>(balance) - floor) {
        return Payment{p, balance};
      }
      balance = balance > r.amount ? balance - r.amount : 0;
    }
    ++p;
  }
  return Payment{end, balance};
}

size_t Ledger::MemoryBytes() const {
  size_t per_transfer = sizeof(Row) + 1 + sizeof(uint64_t) + sizeof(TransferIndex);
  size_t bytes = rows_.size() * per_transfer + id_text_.capacity() + adj_.capacity() * sizeof(TransferIndex);
  for (const auto& id : account_ids_) bytes += sizeof(std::string) + id.capacity() + 48;
  bytes += adj_start_.capacity() * sizeof(uint64_t) + kind_.size() + opening_.size() * sizeof(Fen);
  bytes += pay_start_.capacity() * sizeof(uint64_t) + pay_.capacity() * sizeof(TransferIndex);
  bytes += checkpoint_start_.capacity() * sizeof(uint32_t) +
           (checkpoints_.capacity() + outflow_checkpoints_.capacity()) * sizeof(Fen);
  return bytes;
}

}  // namespace fanzha::ledger
