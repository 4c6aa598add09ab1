// Must compile with clang -Wthread-safety -Werror (CTest thread_safety_accepts_guarded): the same
// as unguarded.cc with the lock held, so that a failure of that test means the analysis, not a
// broken command.
#include "core/mutex.h"

struct Account {
  fanzha::Mutex mu;
  long balance GUARDED_BY(mu) = 0;
  void Deposit(long amount) {
    fanzha::MutexLock lock(mu);
    balance += amount;
  }
};

int main() {
  Account a;
  a.Deposit(1);
}
