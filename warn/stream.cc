#include "warn/stream.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <thread>

#include "core/mutex.h"
#include "warn/event.h"

namespace fanzha::warn {
namespace {

// A bounded queue of parsed batches between the reading and the screening thread.
class BatchQueue {
 public:
  explicit BatchQueue(size_t capacity) : capacity_(capacity) {}
  void Push(EventBatch b) {
    MutexLock lock(mu_);
    while (q_.size() >= capacity_) not_full_.Wait(mu_);
    q_.push_back(std::move(b));
    not_empty_.Signal();
  }
  void Close() {
    MutexLock lock(mu_);
    closed_ = true;
    not_empty_.SignalAll();
  }
  // False when closed and drained.
  bool Pop(EventBatch* b) {
    MutexLock lock(mu_);
    while (q_.empty() && !closed_) not_empty_.Wait(mu_);
    if (q_.empty()) return false;
    *b = std::move(q_.front());
    q_.pop_front();
    not_full_.Signal();
    return true;
  }

 private:
  Mutex mu_;
  CondVar not_empty_, not_full_;
  std::deque<EventBatch> q_ GUARDED_BY(mu_);
  bool closed_ GUARDED_BY(mu_) = false;
  const size_t capacity_;
};

// Reads from fd into `pending` until it holds at least one full line or the input ends. Returns
// the bytes read (0 at end of input) or -1 on error.
ssize_t ReadSome(int fd, std::string* pending, size_t chunk) {
  size_t old = pending->size();
  pending->resize(old + chunk);
  ssize_t n;
  do {
    n = ::read(fd, pending->data() + old, chunk);
  } while (n < 0 && errno == EINTR);
  pending->resize(old + (n > 0 ? n : 0));
  return n;
}

}  // namespace

Result<StreamStats> ScreenStream(int fd, const std::string& name, Screener* screener,
                                 const Clock* clock, const StreamOptions& options,
                                 const std::function<void(const Warning&)>& on_warning,
                                 const std::function<void(const std::string&)>& on_reject) {
  BatchQueue queue(options.queue_batches);
  std::thread screening([&] {
    EventBatch b;
    while (queue.Pop(&b)) {
      screener->ScreenAll(b.events, on_warning);
    }
  });
  StreamStats stats;
  Status status;
  EventParser parser;
  std::string pending;
  int64_t next_line = 1;
  // Parses the complete lines at the front of `pending` (all of it when `final`).
  auto emit = [&](bool final) -> Status {
    size_t cut = final ? pending.size() : pending.rfind('\n');
    if (cut == std::string::npos || cut == 0) return Status::Ok();
    if (!final) ++cut;
    EventBatch b;
    b.first_line = next_line;
    b.Assign(std::string_view(pending).substr(0, cut));
    pending.erase(0, cut);
    int64_t newlines = std::count(b.text.begin(), b.text.end(), '\n');
    next_line += newlines;
    Status st = parser.Parse(&b, options.skip_bad);
    if (!st.ok()) return st.WithContext(name);
    stats.events += static_cast<int64_t>(b.events.size());
    stats.rejects += static_cast<int64_t>(b.rejects.size());
    stats.lines += static_cast<int64_t>(b.events.size() + b.rejects.size());
    for (const std::string& r : b.rejects) {
      if (on_reject) on_reject(name + ": " + r);
    }
    queue.Push(std::move(b));
    return Status::Ok();
  };
  while (status.ok()) {
    ssize_t n = ReadSome(fd, &pending, options.chunk_bytes);
    if (n < 0) {
      const std::string why = std::strerror(errno);
      status =
          Status::Io("cannot read " + name + ": " + why).WithZh("无法读取 " + name + "：" + why);

    } else if (n > 0) {
      status = emit(false);
    } else if (!options.follow || (options.stop && options.stop())) {
      status = emit(true);
      break;
    } else {
      clock->SleepFor(options.poll_ms);
    }
  }
  queue.Close();
  screening.join();
  if (!status.ok()) return status;
  return stats;
}

}  // namespace fanzha::warn
