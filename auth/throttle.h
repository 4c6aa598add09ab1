// Password guessing made slow: growing delays and a lockout window, per user name and per client
// address (docs/SECURITY.md "Logins").
//
// Every login attempt is counted as a failure of its user name and of its address when it is let
// through (Admit), before its password is checked, so that guesses sent at once wait their turn;
// a right password takes its attempt back (Succeeded). After `free_attempts` failures each further
// one makes the key wait `first_delay`, doubling up to `max_delay`; `lockout_after` failures within
// `window` lock the key for `lockout`. While a key waits, Admit refuses at once: a refused attempt
// costs no password check and changes nothing.
//
// A key is "u:<name>" or "a:<address>" (AddressKey: an IPv6 address by its /64, which one host
// holds whole). Memory is bounded by `max_keys`: beyond it, keys that are not waiting are forgotten
// first. State is in memory, per process (several API nodes each count their own).
//
// Threads: a LoginThrottle is thread-safe (one mutex; O(1) per call, O(keys) when full). Time is
// passed in (`now`, milliseconds), never read here.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include "core/mutex.h"
#include "core/time.h"

namespace fanzha::auth {

struct ThrottlePolicy {
  int free_attempts = 5;      // failures of a key before any delay
  Millis first_delay = 1000;  // the wait after the first failure beyond those; doubles after each
  Millis max_delay = 60'000;
  int lockout_after = 20;  // failures within `window` that lock the key
  Millis lockout = 15 * 60'000;
  Millis window = 15 * 60'000;  // failures older than this are forgotten
  size_t max_keys = 100'000;
};

// The key an address is counted under: IPv4 as it is, IPv6 by its first 64 bits.
std::string AddressKey(std::string_view address);

class LoginThrottle {
 public:
  explicit LoginThrottle(ThrottlePolicy policy = {}) : policy_(policy) {}

  struct Verdict {
    bool allowed = true;
    Millis retry_after = 0;  // refused: how long until the attempt may be made
    bool first_refusal =
        false;            // refused, and the first refusal of this wait (worth an audit entry)
    std::string waiting;  // refused: "user" or "address"
  };
  Verdict Admit(std::string_view user, std::string_view address, Millis now);
  // The attempt Admit let through had the right password.
  void Succeeded(std::string_view user, std::string_view address);

  size_t keys() const;  // keys held now (tests)

 private:
  struct Tally {
    int failures = 0;
    Millis since = 0;       // the first failure counted
    Millis last = 0;        // the last one
    Millis wait_until = 0;  // no attempt before this
    Millis reported = -1;   // the wait_until whose first refusal was reported
  };
  Tally& At(const std::string& key, Millis now) REQUIRES(mu_);
  void Forget(Tally& t, Millis now) const;
  void Charge(Tally& t, Millis now) const;
  Millis WaitAfter(int failures) const;
  void MakeRoom(Millis now) REQUIRES(mu_);

  const ThrottlePolicy policy_;
  mutable Mutex mu_;
  std::unordered_map<std::string, Tally> tallies_ GUARDED_BY(mu_);
};

}  // namespace fanzha::auth
