// Mutexes the compiler checks: a member declared GUARDED_BY(mu) may only be touched while `mu` is
// held, a function declared REQUIRES(mu) only called with it held, EXCLUDES(mu) only without.
// clang's -Wthread-safety (on in every clang build, an error like every warning) proves it at
// compile time; gcc ignores the annotations. The wrappers are std::mutex and std::shared_mutex
// with the capability attributes std:: types lack (as LevelDB's port::Mutex and Abseil's Mutex).
//
//   Mutex mu;
//   int hits GUARDED_BY(mu) = 0;
//   void Hit() EXCLUDES(mu) { MutexLock lock(mu); ++hits; }
//
// A condition variable waits with a Mutex held (CondVar). What the analysis cannot follow (a lock
// taken by the caller of a callback, say) is passed as a reference obtained under the lock rather
// than read through the guarded member.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <shared_mutex>

#if defined(__clang__)
#define FANZHA_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define FANZHA_THREAD_ANNOTATION(x)
#endif

#define CAPABILITY(x) FANZHA_THREAD_ANNOTATION(capability(x))
#define SCOPED_CAPABILITY FANZHA_THREAD_ANNOTATION(scoped_lockable)
#define GUARDED_BY(x) FANZHA_THREAD_ANNOTATION(guarded_by(x))
#define PT_GUARDED_BY(x) FANZHA_THREAD_ANNOTATION(pt_guarded_by(x))
#define REQUIRES(...) FANZHA_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define REQUIRES_SHARED(...) FANZHA_THREAD_ANNOTATION(requires_shared_capability(__VA_ARGS__))
#define EXCLUDES(...) FANZHA_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
#define ACQUIRE(...) FANZHA_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define ACQUIRE_SHARED(...) FANZHA_THREAD_ANNOTATION(acquire_shared_capability(__VA_ARGS__))
#define RELEASE(...) FANZHA_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define RELEASE_SHARED(...) FANZHA_THREAD_ANNOTATION(release_shared_capability(__VA_ARGS__))
#define RELEASE_GENERIC(...) FANZHA_THREAD_ANNOTATION(release_generic_capability(__VA_ARGS__))
#define ASSERT_CAPABILITY(x) FANZHA_THREAD_ANNOTATION(assert_capability(x))
#define NO_THREAD_SAFETY_ANALYSIS FANZHA_THREAD_ANNOTATION(no_thread_safety_analysis)

namespace fanzha {

class CondVar;

class CAPABILITY("mutex") Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void Lock() ACQUIRE() { mu_.lock(); }
  void Unlock() RELEASE() { mu_.unlock(); }
  // Tells the analysis the caller holds it (where a lock is known to be held but not seen).
  void AssertHeld() const ASSERT_CAPABILITY(this) {}

 private:
  friend class CondVar;
  std::mutex mu_;
};

// Holds a Mutex for its scope.
class SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex& mu) ACQUIRE(mu) : mu_(mu) { mu_.Lock(); }
  ~MutexLock() RELEASE() { mu_.Unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex& mu_;
};

// Many readers or one writer.
class CAPABILITY("shared mutex") SharedMutex {
 public:
  SharedMutex() = default;
  SharedMutex(const SharedMutex&) = delete;
  SharedMutex& operator=(const SharedMutex&) = delete;

  void Lock() ACQUIRE() { mu_.lock(); }
  void Unlock() RELEASE() { mu_.unlock(); }
  void LockShared() ACQUIRE_SHARED() { mu_.lock_shared(); }
  void UnlockShared() RELEASE_SHARED() { mu_.unlock_shared(); }

 private:
  std::shared_mutex mu_;
};

// Holds a SharedMutex for writing for its scope.
class SCOPED_CAPABILITY WriterLock {
 public:
  explicit WriterLock(SharedMutex& mu) ACQUIRE(mu) : mu_(mu) { mu_.Lock(); }
  ~WriterLock() RELEASE() { mu_.Unlock(); }
  WriterLock(const WriterLock&) = delete;
  WriterLock& operator=(const WriterLock&) = delete;

 private:
  SharedMutex& mu_;
};

// Holds a SharedMutex for reading for its scope.
class SCOPED_CAPABILITY ReaderLock {
 public:
  explicit ReaderLock(SharedMutex& mu) ACQUIRE_SHARED(mu) : mu_(mu) { mu_.LockShared(); }
  ~ReaderLock() RELEASE() { mu_.UnlockShared(); }
  ReaderLock(const ReaderLock&) = delete;
  ReaderLock& operator=(const ReaderLock&) = delete;

 private:
  SharedMutex& mu_;
};

// A condition variable whose waits take the Mutex the caller holds (released while waiting, held
// again when a wait returns). Waits may wake spuriously: callers loop on their condition, written
// in the function that holds the lock (a predicate lambda is not known to hold it).
class CondVar {
 public:
  CondVar() = default;
  CondVar(const CondVar&) = delete;
  CondVar& operator=(const CondVar&) = delete;

  void Wait(Mutex& mu) REQUIRES(mu) {
    std::unique_lock lock(mu.mu_, std::adopt_lock);
    cv_.wait(lock);
    lock.release();
  }
  // Waits at most `time`; returns false when it ran out.
  template <typename Rep, typename Period>
  bool WaitFor(Mutex& mu, std::chrono::duration<Rep, Period> time) REQUIRES(mu) {
    std::unique_lock lock(mu.mu_, std::adopt_lock);
    bool woken = cv_.wait_for(lock, time) == std::cv_status::no_timeout;
    lock.release();
    return woken;
  }
  void Signal() { cv_.notify_one(); }
  void SignalAll() { cv_.notify_all(); }

 private:
  std::condition_variable cv_;
};

}  // namespace fanzha
