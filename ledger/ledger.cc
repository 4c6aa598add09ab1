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
  l.time_.push_back(t.time);
  l.from_.push_back(t.from.empty() ? kNoAccount : Intern(t.from));
  l.to_.push_back(t.to.empty() ? kNoAccount : Intern(t.to));
  l.amount_.push_back(t.amount);
  l.channel_.push_back(static_cast<uint8_t>(t.channel));
  l.id_text_.append(t.id);
  l.id_offset_.push_back(l.id_text_.size());
}

namespace {

template <typename T>
void Permute(std::vector<T>* v, const std::vector<TransferIndex>& order) {
  std::vector<T> out;
  out.reserve(v->size());
  for (TransferIndex i : order) out.push_back((*v)[i]);
  v->swap(out);
}

}  // namespace

std::unique_ptr<Ledger> Ledger::Builder::Build() {
  Ledger& l = *ledger_;
  const size_t n = l.time_.size();
  auto id_of = [&l](TransferIndex t) {
    return std::string_view(l.id_text_).substr(l.id_offset_[t], l.id_offset_[t + 1] - l.id_offset_[t]);
  };
  // The total order of TRACING.md: (time, id), ids compared as bytes.
  std::vector<TransferIndex> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](TransferIndex a, TransferIndex b) {
    if (l.time_[a] != l.time_[b]) return l.time_[a] < l.time_[b];
    return id_of(a) < id_of(b);
  });
  Permute(&l.time_, order);
  Permute(&l.from_, order);
  Permute(&l.to_, order);
  Permute(&l.amount_, order);
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

  // Adjacency in CSR form: count, prefix sums, fill in order (so each list is ascending).
  const size_t accounts = l.account_ids_.size();
  l.adj_start_.assign(accounts + 1, 0);
  for (size_t t = 0; t < n; ++t) {
    if (l.from_[t] != kNoAccount) ++l.adj_start_[l.from_[t] + 1];
    if (l.to_[t] != kNoAccount) ++l.adj_start_[l.to_[t] + 1];
  }
  for (size_t a = 0; a < accounts; ++a) l.adj_start_[a + 1] += l.adj_start_[a];
  l.adj_.resize(l.adj_start_[accounts]);
  std::vector<uint64_t> fill(l.adj_start_.begin(), l.adj_start_.end() - 1);
  for (size_t t = 0; t < n; ++t) {
    if (l.from_[t] != kNoAccount) l.adj_[fill[l.from_[t]]++] = static_cast<TransferIndex>(t);
    if (l.to_[t] != kNoAccount) l.adj_[fill[l.to_[t]]++] = static_cast<TransferIndex>(t);
  }
  return std::move(ledger_);
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
  return static_cast<TransferIndex>(std::lower_bound(time_.begin(), time_.end(), t) - time_.begin());
}

std::optional<AccountIndex> Ledger::FindAccount(std::string_view id) const {
  auto it = account_index_.find(id);
  if (it == account_index_.end()) return std::nullopt;
  return it->second;
}

Fen Ledger::BalanceBefore(AccountIndex a, TransferIndex before) const {
  Fen balance = opening_[a];
  for (const TransferIndex* p = adjacency_begin(a); p != adjacency_end(a) && *p < before; ++p) {
    if (to_[*p] == a) {
      balance += amount_[*p];
    } else {
      balance = balance > amount_[*p] ? balance - amount_[*p] : 0;
    }
  }
  return balance;
}

size_t Ledger::MemoryBytes() const {
  size_t per_transfer = sizeof(Millis) + 2 * sizeof(AccountIndex) + sizeof(Fen) + 1 +
                        sizeof(uint64_t) + sizeof(TransferIndex);
  size_t bytes = time_.size() * per_transfer + id_text_.capacity() + adj_.capacity() * sizeof(TransferIndex);
  for (const auto& id : account_ids_) bytes += sizeof(std::string) + id.capacity() + 48;
  bytes += adj_start_.capacity() * sizeof(uint64_t) + kind_.size() + opening_.size() * sizeof(Fen);
  return bytes;
}

}  // namespace fanzha::ledger
