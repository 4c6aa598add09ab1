// core/mutex.h: the wrappers lock like std::mutex, CondVar waits release the lock, and WaitFor
// says whether it was woken or ran out. That clang rejects a guarded member touched without its
// lock is checked by the build itself (CTest `thread_safety_rejects_unguarded`, clang only).
#include "core/mutex.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace fanzha {
namespace {

struct Counter {
  Mutex mu;
  int64_t value GUARDED_BY(mu) = 0;
  void Add() EXCLUDES(mu) {
    MutexLock lock(mu);
    ++value;
  }
  int64_t Get() EXCLUDES(mu) {
    MutexLock lock(mu);
    return value;
  }
};

TEST(MutexTest, ManyThreadsAddingLoseNothing) {
  Counter c;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&c] {
      for (int i = 0; i < 10000; ++i) c.Add();
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(c.Get(), 40000);
}

struct Shared {
  SharedMutex mu;
  int64_t value GUARDED_BY(mu) = 0;
};

struct Flag {
  Mutex mu;
  CondVar cv;
  bool ready GUARDED_BY(mu) = false;
};

TEST(MutexTest, ReadersShareWritersExclude) {
  Shared s;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 5000; ++i) {
        {
          WriterLock lock(s.mu);
          ++s.value;
        }
        ReaderLock lock(s.mu);
        EXPECT_GT(s.value, 0);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  ReaderLock lock(s.mu);
  EXPECT_EQ(s.value, 20000);
}

TEST(CondVarTest, WaitReleasesTheLockUntilSignalled) {
  Flag f;
  std::thread signaller([&f] {
    MutexLock lock(f.mu);  // only possible while the waiter waits: Wait released it
    f.ready = true;
    f.cv.SignalAll();
  });
  {
    MutexLock lock(f.mu);
    while (!f.ready) f.cv.Wait(f.mu);
    EXPECT_TRUE(f.ready);
  }
  signaller.join();
}

TEST(CondVarTest, WaitForRunsOutWithoutASignal) {
  Mutex mu;
  CondVar cv;
  MutexLock lock(mu);
  auto start = std::chrono::steady_clock::now();
  bool woken = cv.WaitFor(mu, std::chrono::milliseconds(20));
  // A spurious wake-up is allowed to say "woken"; a timeout must not come early.
  if (!woken) {
    EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(20));
  }
}

TEST(CondVarTest, WaitForWakesOnASignal) {
  Flag f;
  std::thread signaller([&f] {
    MutexLock lock(f.mu);
    f.ready = true;
    f.cv.Signal();
  });
  {
    MutexLock lock(f.mu);
    while (!f.ready) f.cv.WaitFor(f.mu, std::chrono::seconds(10));
    EXPECT_TRUE(f.ready);
  }
  signaller.join();
}

}  // namespace
}  // namespace fanzha
