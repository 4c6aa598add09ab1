#include "trace/purse.h"

#include <algorithm>

namespace fanzha::trace {

Purse::Purse(Policy policy, Fen prior_balance) : policy_(policy) {
  if (prior_balance > 0) Add(Lot{prior_balance, kUntainted, 0});
}

void Purse::Add(const Lot& lot) {
  if (lot.amount <= 0) return;
  balance_ += lot.amount;
  if (policy_ == Policy::kPoison) {
    if (lot.tainted() && (poison_origin_ == kUntainted || lot.hop < poison_hop_)) {
      poison_hop_ = lot.hop;
      poison_source_ = lot.source;
    }
    if (lot.tainted() && (poison_origin_ == kUntainted || lot.origin < poison_origin_)) {
      poison_origin_ = lot.origin;
    }
    tainted_ = poison_origin_ == kUntainted ? 0 : balance_;
    return;
  }
  if (lot.tainted()) tainted_ += lot.amount;
  if (policy_ == Policy::kHaircut) return AddGroup(lot);
  if (!lots_.empty() && lots_.back().origin == lot.origin && lots_.back().hop == lot.hop &&
      lots_.back().source == lot.source) {
    lots_.back().amount += lot.amount;
  } else {
    lots_.push_back(lot);
  }
}

// Haircut keeps the lots as the groups of the split, in their order: (origin, hop) ascending, so
// the clean lot (origin kUntainted = -1, hop 0) comes first.
void Purse::AddGroup(const Lot& lot) {
  Lot group = lot.tainted() ? lot : Lot{lot.amount, kUntainted, 0, -1};
  auto at = std::lower_bound(lots_.begin(), lots_.end(), group, [](const Lot& a, const Lot& b) {
    return a.origin != b.origin ? a.origin < b.origin : a.hop < b.hop;
  });
  if (at != lots_.end() && at->origin == group.origin && at->hop == group.hop) {
    at->amount += group.amount;
    if (group.source >= 0 && (at->source < 0 || group.source < at->source))
      at->source = group.source;
  } else {
    lots_.insert(at, group);
  }
}

void Purse::Take(Fen amount, std::vector<Lot>* parts) {
  switch (policy_) {
    case Policy::kFifo:
      return TakeInOrder(amount, true, parts);
    case Policy::kLifo:
      return TakeInOrder(amount, false, parts);
    case Policy::kHaircut:
      return TakeHaircut(amount, parts);
    case Policy::kPoison:
      return TakePoison(amount, parts);
  }
}

void Purse::TakeInOrder(Fen amount, bool oldest_first, std::vector<Lot>* parts) {
  Fen left = amount;
  while (left > 0 && !lots_.empty()) {
    Lot& lot = oldest_first ? lots_.front() : lots_.back();
    Fen take = std::min(left, lot.amount);
    Lot part{take, lot.origin, lot.tainted() ? lot.hop + 1 : 0, lot.source};
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

// TRACING.md "Splitting in proportion": the amount is split over the groups (the lots, see
// AddGroup) by largest remainder, and the parts leave in the groups' order.
void Purse::TakeHaircut(Fen amount, std::vector<Lot>* parts) {
  if (amount >= balance_) {  // every group leaves whole, the rest from unknown clean funds
    if (amount > tainted_) parts->push_back(Lot{amount - tainted_, kUntainted, 0});
    for (const Lot& l : lots_) {
      if (l.tainted()) parts->push_back(Lot{l.amount, l.origin, l.hop + 1, l.source});
    }
    lots_.clear();
    balance_ = 0;
    tainted_ = 0;
    return;
  }
  thread_local std::vector<Fen> weights, shares;
  weights.clear();
  for (const Lot& l : lots_) weights.push_back(l.amount);
  shares.resize(weights.size());
  SplitInProportion(amount, weights, shares);
  for (size_t i = 0; i < lots_.size(); ++i) {
    if (shares[i] == 0) continue;
    Lot& l = lots_[i];
    l.amount -= shares[i];
    if (l.tainted()) {
      tainted_ -= shares[i];
      parts->push_back(Lot{shares[i], l.origin, l.hop + 1, l.source});
    } else {
      parts->push_back(Lot{shares[i], kUntainted, 0});
    }
  }
  lots_.erase_if([](const Lot& l) { return l.amount == 0; });
  balance_ -= amount;
}

void Purse::TakePoison(Fen amount, std::vector<Lot>* parts) {
  // Reachability: once reached, everything the account pays is tainted (an upper bound).
  parts->push_back(Lot{amount, poison_origin_, poison_origin_ == kUntainted ? 0 : poison_hop_ + 1,
                       poison_source_});
  balance_ = std::max<Fen>(0, balance_ - amount);
  tainted_ = poison_origin_ == kUntainted ? 0 : balance_;
}

void Purse::MoveClean(Fen paid, Fen received) {
  if (policy_ == Policy::kFifo) {
    if (paid > 0) {
      thread_local std::vector<Lot> clean;
      clean.clear();
      TakeInOrder(paid, true, &clean);  // from the clean money ahead of the taint, by the caller
    }
    Add(Lot{received, kUntainted, 0});
    return;
  }
  Fen net = received - paid;
  if (net >= 0) return Add(Lot{net, kUntainted, 0});
  if (policy_ == Policy::kHaircut) {  // the clean lot is the first
    lots_.front().amount += net;
    if (lots_.front().amount == 0) lots_.pop_front();
    balance_ += net;
    return;
  }
  thread_local std::vector<Lot> clean;
  clean.clear();
  TakeInOrder(-net, false, &clean);  // lifo: from the clean money on top
}

Fen Purse::clean_front() const {
  Fen clean = 0;
  for (const Lot& l : lots_) {
    if (l.tainted()) break;
    clean += l.amount;
  }
  return clean;
}

Fen Purse::clean_back() const {
  Fen clean = 0;
  for (auto l = lots_.rbegin(); l != lots_.rend() && !l->tainted(); ++l) clean += l->amount;
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
  size_t first = out->size();
  for (const Lot& l : lots_) {
    if (l.tainted() && l.amount > 0) out->emplace_back(l.origin, l.amount);
  }
  std::sort(out->begin() + static_cast<std::ptrdiff_t>(first), out->end());
  size_t kept = first;  // one entry per origin
  for (size_t i = first; i < out->size(); ++i) {
    if (kept > first && (*out)[kept - 1].first == (*out)[i].first) {
      (*out)[kept - 1].second += (*out)[i].second;
    } else {
      (*out)[kept++] = (*out)[i];
    }
  }
  out->resize(kept);
}

}  // namespace fanzha::trace
