// Time behind an interface. A library that needs "now" (deadlines, sweeps, windows) or has to wait
// in real time (the warning stream following a file) takes a Clock, so that tests move time with a
// ManualClock instead of sleeping, and no library reads the system clock behind its caller's back.
// The skins (CLI, server, bank node) pass SystemClock().
#pragma once

#include <atomic>
#include <functional>

#include "core/time.h"

namespace fanzha {

class Clock {
 public:
  virtual ~Clock() = default;
  // Now, as UTC milliseconds since the epoch. Thread-safe in every implementation.
  virtual Millis Now() const = 0;
  // Blocks for about `ms` milliseconds: a real sleep, or (ManualClock) time moved on at once.
  virtual void SleepFor(Millis ms) const = 0;
};

// The system's real-time clock; SleepFor really sleeps. Lives for the whole program.
const Clock& SystemClock();

// A clock that moves only when told, or when someone sleeps on it: SleepFor advances Now() by `ms`
// and then runs the hook set with OnSleep, with which a test makes things happen "while asleep"
// (lines appended to a followed file, a stop asked for). For tests and simulations. Now, Set and
// Advance are thread-safe; the hook runs on the sleeping thread.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Millis start = 0) : now_(start) {}
  Millis Now() const override { return now_.load(std::memory_order_relaxed); }
  void SleepFor(Millis ms) const override {
    now_.fetch_add(ms, std::memory_order_relaxed);
    if (on_sleep_) on_sleep_();
  }
  void Set(Millis t) { now_.store(t, std::memory_order_relaxed); }
  void Advance(Millis by) { now_.fetch_add(by, std::memory_order_relaxed); }
  void OnSleep(std::function<void()> hook) { on_sleep_ = std::move(hook); }

 private:
  // Mutable: sleeping on a manual clock is what moves it (SleepFor is const, as for any clock).
  mutable std::atomic<Millis> now_;
  std::function<void()> on_sleep_;
};

}  // namespace fanzha
