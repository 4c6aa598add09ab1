#include "warn/clock.h"

#include <chrono>
#include <thread>

namespace fanzha::warn {

Millis SystemClock::Now() const {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

void SystemClock::SleepFor(Millis ms) {
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

void ManualClock::SleepFor(Millis ms) {
  now_ += ms;
  if (on_sleep_) on_sleep_();
}

}  // namespace fanzha::warn
