// Time for early warning goes through a Clock, so that tests never sleep for real.
//
// Windows (one warning per person per 24 h) are driven by event time, not by this clock: the
// Screener only reads the times carried by the events. The Clock is for what happens in real time:
// the --follow reader waiting for a file to grow, the time an outcome or a manual entry was
// recorded, and latency stamps.
#pragma once

#include <atomic>
#include <functional>

#include "core/time.h"

namespace fanzha::warn {

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch, UTC.
  virtual Millis Now() const = 0;
  // Blocks for about `ms` milliseconds (a ManualClock advances instead).
  virtual void SleepFor(Millis ms) = 0;
};

// The system clock; SleepFor really sleeps. Thread-safe.
class SystemClock : public Clock {
 public:
  Millis Now() const override;
  void SleepFor(Millis ms) override;
};

// A clock moved by hand. SleepFor advances Now() by `ms` and then runs the optional hook, which a
// test uses to make things happen "while asleep" (append lines to a followed file, ask to stop).
// Thread-safe for Now(); the hook runs on the sleeping thread.
class ManualClock : public Clock {
 public:
  explicit ManualClock(Millis start = 0) : now_(start) {}
  Millis Now() const override { return now_.load(); }
  void SleepFor(Millis ms) override;
  void Advance(Millis ms) { now_ += ms; }
  void Set(Millis t) { now_ = t; }
  void OnSleep(std::function<void()> hook) { on_sleep_ = std::move(hook); }

 private:
  std::atomic<Millis> now_;
  std::function<void()> on_sleep_;
};

}  // namespace fanzha::warn
