#include "core/progress.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace fanzha {

bool Progress::Enabled() {
  static const bool enabled = isatty(STDOUT_FILENO) && isatty(STDERR_FILENO) &&
                              std::getenv("FANZHA_NO_PROGRESS") == nullptr;
  return enabled;
}

Progress::Progress(std::string label, int64_t total)
    : label_(std::move(label)),
      total_(total),
      enabled_(Enabled()),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

Progress::~Progress() { Finish(); }

void Progress::Update(int64_t done) {
  last_done_ = done;
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  Draw(done);
}

void Progress::Draw(int64_t done) {
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  if (total_ > 0) {
    int width = 30;
    int filled = static_cast<int>(width * (done > total_ ? total_ : done) / total_);
    std::fprintf(stderr, "\r%s [%.*s%*s] %3d%% %.1fs", label_.c_str(), filled,
                 "##############################", width - filled, "",
                 static_cast<int>(100 * done / total_), secs);
  } else {
    std::fprintf(stderr, "\r%s %lld %.1fs", label_.c_str(), static_cast<long long>(done), secs);
  }
  std::fflush(stderr);
}

void Progress::Finish() {
  if (finished_) return;
  finished_ = true;
  if (!enabled_) return;
  Draw(total_ > 0 ? total_ : last_done_);
  std::fputc('\n', stderr);
}

}  // namespace fanzha
