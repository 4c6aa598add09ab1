// A progress bar on stderr for long work, shown only when stdout is a terminal (so pipes, --json
// and CI logs stay clean). Cheap to call per item: it redraws at most ten times a second.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace fanzha {

class Progress {
 public:
  // `total` may be 0 when unknown (then a count is shown instead of a bar).
  Progress(std::string label, int64_t total);
  ~Progress();  // finishes the line
  void Update(int64_t done);
  void Finish();
  // Whether bars are drawn at all in this process (stdout is a terminal and FANZHA_NO_PROGRESS
  // unset).
  static bool Enabled();

 private:
  void Draw(int64_t done);
  std::string label_;
  int64_t total_;
  bool enabled_;
  bool finished_ = false;
  int64_t last_done_ = 0;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace fanzha
