#include "trace/purse.h"

#include <algorithm>
#include <map>

namespace fanzha::trace {

Fen DivideHalfEven(__int128 num, __int128 den) {
  __int128 q = num / den;
  __int128 r = num % den;
  if (2 * r > den || (2 * r == den && (q & 1))) ++q;
  return static_cast<Fen>(q);
}

Purse::Purse(Policy policy, Fen prior_balance) : policy_(policy) {
  if (prior_balance > 0) Add(Lot{prior_balance, kUntainted, 0});
}

void Purse::Add(const Lot& lot) {
  if (lot.amount <= 0) return;
  balance_ += lot.amount;
  if (policy_ == Policy::kPoison) {
    if (lot.tainted() && (poison_origin_ == kUntainted || lot.hop < poison_hop_)) {
      poison_hop_ = lot.hop;
    }
    if (lot.tainted() && (poison_origin_ == kUntainted || lot.origin < poison_origin_)) {
      poison_origin_ = lot.origin;
    }
    tainted_ = poison_origin_ == kUntainted ? 0 : balance_;
    return;
  }
  if (lot.tainted()) tainted_ += lot.amount;
  // Under haircut the order of lots never matters, so all clean money is one lot.
  if (policy_ == Policy::kHaircut && !lot.tainted()) {
    for (Lot& l : lots_) {
      if (!l.tainted()) {
        l.amount += lot.amount;
        return;
      }
    }
    lots_.push_front(lot);
    return;
  }
  if (!lots_.empty() && lots_.back().origin == lot.origin && lots_.back().hop == lot.hop) {
    lots_.back().amount += lot.amount;
  } else {
    lots_.push_back(lot);
  }
}

void Purse::Take(Fen amount, std::vector<Lot>* parts) {
  switch (policy_) {
    case Policy::kFifo: return TakeInOrder(amount, true, parts);
    case Policy::kLifo: return TakeInOrder(amount, false, parts);
    case Policy::kHaircut: return TakeHaircut(amount, parts);
    case Policy::kPoison: return TakePoison(amount, parts);
  }
}

void Purse::TakeInOrder(Fen amount, bool oldest_first, std::vector<Lot>* parts) {
  Fen left = amount;
  while (left > 0 && !lots_.empty()) {
    Lot& lot = oldest_first ? lots_.front() : lots_.back();
    Fen take = std::min(left, lot.amount);
    Lot part{take, lot.origin, lot.tainted() ? lot.hop + 1 : 0};
    if (!parts->empty() && parts->back().origin == part.origin && parts->back().hop == part.hop) {
      parts->back().amount += take;
    } else {
      parts->push_back(part);
    }
    lot.amount -= take;
    left -= take;
    balance_ -= take;
    if (lot.tainted()) tainted_ -= take;
    if (lot.amount == 0) oldest_first ? lots_.pop_front() : lots_.pop_back();
  }
  if (left > 0) parts->push_back(Lot{left, kUntainted, 0});  // unknown clean funds
}

// A share of every origin in proportion to the balance (TRACING.md "haircut"): the untainted part
// first, then origins in order of their ids; within one origin the fewest-hop lots go first.
void Purse::TakeHaircut(Fen amount, std::vector<Lot>* parts) {
  if (amount >= balance_) {  // everything leaves, the rest from unknown clean funds
    std::vector<Lot> all(lots_.begin(), lots_.end());
    std::stable_sort(all.begin(), all.end(), [](const Lot& a, const Lot& b) {
      return a.origin != b.origin ? a.origin < b.origin : a.hop < b.hop;
    });
    Fen clean = amount - tainted_;
    if (clean > 0) parts->push_back(Lot{clean, kUntainted, 0});
    for (const Lot& l : all) {
      if (l.tainted()) parts->push_back(Lot{l.amount, l.origin, l.hop + 1});
    }
    lots_.clear();
    balance_ = 0;
    tainted_ = 0;
    return;
  }
  std::map<int32_t, Fen> by_origin;
  for (const Lot& l : lots_) {
    if (l.tainted()) by_origin[l.origin] += l.amount;
  }
  std::vector<std::pair<int32_t, Fen>> shares;
  Fen taken = 0;
  for (const auto& [origin, held] : by_origin) {
    Fen share = std::min(held, DivideHalfEven(static_cast<__int128>(amount) * held, balance_));
    shares.emplace_back(origin, share);
    taken += share;
  }
  // Rounding may ask more clean money than the account holds: take the difference from the
  // origins, in order, so that the lots still add up to the balance.
  Fen clean_held = balance_ - tainted_;
  Fen clean = amount - taken;
  for (auto& [origin, share] : shares) {
    if (clean <= clean_held) break;
    Fen extra = std::min(clean - clean_held, by_origin[origin] - share);
    share += extra;
    clean -= extra;
  }
  if (clean > 0) parts->push_back(Lot{clean, kUntainted, 0});
  for (auto& lot : lots_) {
    if (!lot.tainted()) lot.amount -= clean;
  }
  for (const auto& [origin, share] : shares) {
    Fen left = share;
    while (left > 0) {  // fewest hops first within the origin
      Lot* best = nullptr;
      for (Lot& l : lots_) {
        if (l.origin == origin && l.amount > 0 && (!best || l.hop < best->hop)) best = &l;
      }
      Fen take = std::min(left, best->amount);
      best->amount -= take;
      left -= take;
      parts->push_back(Lot{take, origin, best->hop + 1});
    }
  }
  std::erase_if(lots_, [](const Lot& l) { return l.amount == 0; });
  balance_ -= amount;
  tainted_ -= amount - clean;  // the tainted parts taken, after the rounding fix above
}

void Purse::TakePoison(Fen amount, std::vector<Lot>* parts) {
  // Reachability: once reached, everything the account pays is tainted (an upper bound).
  parts->push_back(Lot{amount, poison_origin_, poison_origin_ == kUntainted ? 0 : poison_hop_ + 1});
  balance_ = std::max<Fen>(0, balance_ - amount);
  tainted_ = poison_origin_ == kUntainted ? 0 : balance_;
}

Fen Purse::clean_front() const {
  Fen clean = 0;
  for (const Lot& l : lots_) {
    if (l.tainted()) break;
    clean += l.amount;
  }
  return clean;
}

int Purse::min_tainted_hop() const {
  if (policy_ == Policy::kPoison) return poison_origin_ == kUntainted ? 0 : poison_hop_;
  int best = 0;
  for (const Lot& l : lots_) {
    if (l.tainted() && l.amount > 0 && (best == 0 || l.hop < best)) best = l.hop;
  }
  return best;
}

void Purse::TaintByOrigin(std::vector<std::pair<int32_t, Fen>>* out) const {
  if (policy_ == Policy::kPoison) {
    if (poison_origin_ != kUntainted && balance_ > 0) out->emplace_back(poison_origin_, balance_);
    return;
  }
  std::map<int32_t, Fen> by_origin;
  for (const Lot& l : lots_) {
    if (l.tainted() && l.amount > 0) by_origin[l.origin] += l.amount;
  }
  out->insert(out->end(), by_origin.begin(), by_origin.end());
}

}  // namespace fanzha::trace
