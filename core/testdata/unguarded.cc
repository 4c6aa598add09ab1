// Must NOT compile with clang -Wthread-safety -Werror: CTest thread_safety_rejects_unguarded
// builds it and expects the compiler to refuse. If it compiled, GUARDED_BY would guard nothing.
#include "core/mutex.h"

struct Account {
  fanzha::Mutex mu;
  long balance GUARDED_BY(mu) = 0;
  void Deposit(long amount) { balance += amount; }  // no lock held: rejected
};

int main() {
  Account a;
  a.Deposit(1);
}
