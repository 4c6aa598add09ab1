// The money in one account during a trace, as TRACING.md's lots. Internal to trace/.
#pragma once

#include <cstdint>
#include <iterator>
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
  // The flow (index into Answer::flows) that brought tainted money here; -1 for a seed's own
  // payment, an ad-hoc seed and clean money. Under haircut a group keeps its earliest flow.
  int32_t source = -1;
  bool tainted() const { return origin != kUntainted; }
};

// A purse's lots, oldest first: a vector whose front is dropped lazily (fifo takes from the front).
// Not a std::deque, which allocates half a kilobyte before its first lot: a trace makes a purse
// for every account its money reaches, and most hold a few lots.
class Lots {
 public:
  Lot* begin() { return v_.data() + head_; }
  Lot* end() { return v_.data() + v_.size(); }
  const Lot* begin() const { return v_.data() + head_; }
  const Lot* end() const { return v_.data() + v_.size(); }
  std::reverse_iterator<const Lot*> rbegin() const {
    return std::reverse_iterator<const Lot*>(end());
  }
  std::reverse_iterator<const Lot*> rend() const {
    return std::reverse_iterator<const Lot*>(begin());
  }
  bool empty() const { return head_ == v_.size(); }
  size_t size() const { return v_.size() - head_; }
  Lot& operator[](size_t i) { return v_[head_ + i]; }
  Lot& front() { return v_[head_]; }
  Lot& back() { return v_.back(); }
  void push_back(const Lot& lot) { v_.push_back(lot); }
  void pop_back() {
    v_.pop_back();
    if (empty()) clear();
  }
  void pop_front() {
    if (++head_ == v_.size()) return clear();
    if (head_ >= 16 && 2 * head_ >= v_.size()) {
      v_.erase(v_.begin(), v_.begin() + static_cast<std::ptrdiff_t>(head_));
      head_ = 0;
    }
  }
  void insert(Lot* at, const Lot& lot) { v_.insert(v_.begin() + (at - v_.data()), lot); }
  void clear() {
    v_.clear();
    head_ = 0;
  }
  template <typename Pred>
  void erase_if(Pred pred) {
    v_.erase(v_.begin(), v_.begin() + static_cast<std::ptrdiff_t>(head_));
    head_ = 0;
    std::erase_if(v_, pred);
  }

 private:
  std::vector<Lot> v_;
  size_t head_ = 0;  // lots before it have been taken
};

class Purse {
 public:
  Purse(Policy policy, Fen prior_balance);

  // Adds money at the newest end. Adjacent lots of the same origin, hop and source merge (that
  // changes no answer: fifo and lifo take them together anyway). Under haircut, where the order of
  // lots never matters, the lots are the groups of TRACING.md's split instead: one clean lot first,
  // then one lot per (origin, hop), in that order.
  void Add(const Lot& lot);
  // Takes `amount` out as the policy says and appends the parts, in the order taken, to *parts,
  // each with hop = its lot's hop + 1 and its lot's source. What the lots cannot cover comes from
  // unknown clean money.
  void Take(Fen amount, std::vector<Lot>* parts);

  // Applies, in one step, transfers that the tracer knows moved only clean money: `paid` out and
  // `received` in (both >= 0). Under fifo the payments came from the clean money ahead of the
  // taint and the receipts go behind it; under lifo and haircut only the sum matters (lifo: the
  // clean money above the newest taint, which never ran out in between; haircut: the clean lot).
  void MoveClean(Fen paid, Fen received);

  Fen balance() const { return balance_; }
  // The clean money ahead of the first tainted lot, oldest first (what fifo pays out before it
  // touches taint); 0 when the oldest lot is tainted.
  Fen clean_front() const;
  // The clean money after the last tainted lot (what lifo pays out before it touches taint).
  Fen clean_back() const;
  Fen tainted() const { return tainted_; }
  // Fewest hops among tainted lots (0 when none).
  int min_tainted_hop() const;
  // Tainted amount per origin index, appended as (origin, amount) to *out.
  void TaintByOrigin(std::vector<std::pair<int32_t, Fen>>* out) const;

 private:
  void TakeInOrder(Fen amount, bool oldest_first, std::vector<Lot>* parts);
  void TakeHaircut(Fen amount, std::vector<Lot>* parts);
  void TakePoison(Fen amount, std::vector<Lot>* parts);
  void AddGroup(const Lot& lot);  // haircut

  Policy policy_;
  Lots lots_;  // oldest first
  Fen balance_ = 0;
  Fen tainted_ = 0;
  // poison: whether the account has been reached, and its fewest hops and first origin.
  int32_t poison_origin_ = kUntainted;
  int32_t poison_hop_ = 0;
  int32_t poison_source_ = -1;  // the flow that brought the fewest hops
};

}  // namespace fanzha::trace
