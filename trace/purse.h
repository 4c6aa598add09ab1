// The money in one account during a trace, as TRACING.md's lots. Internal to trace/.
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include "core/money.h"
#include "trace/trace.h"

namespace fanzha::trace {

inline constexpr int32_t kUntainted = -1;

// A lot, or a part of one on its way to the receiver. `hop` is the hop at which the money arrived
// at the account that holds it (for a part in transit: the hop at which it will arrive).
struct Lot {
  Fen amount = 0;
  int32_t origin = kUntainted;  // index into the sorted origins; kUntainted for clean money
  int32_t hop = 0;
  bool tainted() const { return origin != kUntainted; }
};

class Purse {
 public:
  Purse(Policy policy, Fen prior_balance);

  // Adds money at the newest end. Adjacent lots of the same origin and hop merge (that changes no
  // answer: fifo and lifo take them together anyway).
  void Add(const Lot& lot);
  // Takes `amount` out as the policy says and appends the parts, in the order taken, to *parts,
  // each with hop = its lot's hop + 1. What the lots cannot cover comes from unknown clean money.
  void Take(Fen amount, std::vector<Lot>* parts);

  Fen balance() const { return balance_; }
  // The clean money ahead of the first tainted lot, oldest first (what fifo pays out before it
  // touches taint); 0 when the oldest lot is tainted.
  Fen clean_front() const;
  Fen tainted() const { return tainted_; }
  // Fewest hops among tainted lots (0 when none).
  int min_tainted_hop() const;
  // Tainted amount per origin index, appended as (origin, amount) to *out.
  void TaintByOrigin(std::vector<std::pair<int32_t, Fen>>* out) const;

 private:
  void TakeInOrder(Fen amount, bool oldest_first, std::vector<Lot>* parts);
  void TakeHaircut(Fen amount, std::vector<Lot>* parts);
  void TakePoison(Fen amount, std::vector<Lot>* parts);

  Policy policy_;
  std::deque<Lot> lots_;  // oldest first
  Fen balance_ = 0;
  Fen tainted_ = 0;
  // poison: whether the account has been reached, and its fewest hops and first origin.
  int32_t poison_origin_ = kUntainted;
  int32_t poison_hop_ = 0;
};

// Rounds num / den to the nearest integer, half to even. num >= 0, den > 0.
Fen DivideHalfEven(__int128 num, __int128 den);

}  // namespace fanzha::trace
