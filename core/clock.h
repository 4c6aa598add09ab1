// Time behind an interface. A library that needs "now" (deadlines, sweeps, windows) takes a Clock,
// so that tests move time with a ManualClock instead of sleeping, and no library reads the system
// clock behind its caller's back. The skins (CLI, server, bank node) pass SystemClock().
#pragma once

#include <atomic>

#include "core/time.h"

namespace fanzha {

class Clock {
 public:
  virtual ~Clock() = default;
  // Now, as UTC milliseconds since the epoch. Thread-safe in every implementation.
  virtual Millis Now() const = 0;
};

// The system's real-time clock. Lives for the whole program.
const Clock& SystemClock();

// A clock that moves only when told: for tests and simulations. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Millis start) : now_(start) {}
  Millis Now() const override { return now_.load(std::memory_order_relaxed); }
  void Set(Millis t) { now_.store(t, std::memory_order_relaxed); }
  void Advance(Millis by) { now_.fetch_add(by, std::memory_order_relaxed); }

 private:
  std::atomic<Millis> now_;
};

}  // namespace fanzha
