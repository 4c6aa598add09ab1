#include "core/clock.h"

#include <chrono>
#include <thread>

namespace fanzha {
namespace {

class RealClock final : public Clock {
 public:
  Millis Now() const override {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  }
  void SleepFor(Millis ms) const override {
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
  }
};

}  // namespace

const Clock& SystemClock() {
  static const RealClock clock;
  return clock;
}

}  // namespace fanzha
