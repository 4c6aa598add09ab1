#include "auth/throttle.h"

#include <arpa/inet.h>

#include <algorithm>
#include <iterator>

namespace fanzha::auth {

std::string AddressKey(std::string_view address) {
  std::string text(address.substr(0, 64));
  unsigned char v6[16];
  if (text.find(':') != std::string::npos && inet_pton(AF_INET6, text.c_str(), v6) == 1) {
    std::fill(v6 + 8, v6 + 16, 0);
    char out[INET6_ADDRSTRLEN];
    if (inet_ntop(AF_INET6, v6, out, sizeof out)) return std::string(out) + "/64";
  }
  return text;
}

Millis LoginThrottle::WaitAfter(int failures) const {
  if (failures >= policy_.lockout_after) return policy_.lockout;
  int beyond = failures - policy_.free_attempts;
  if (beyond <= 0) return 0;
  Millis wait = policy_.first_delay;
  for (int i = 1; i < beyond && wait < policy_.max_delay; ++i) wait *= 2;
  return std::min(wait, policy_.max_delay);
}

// A key's failures are forgotten once its wait is over and its window (or its lockout) has passed.
void LoginThrottle::Forget(Tally& t, Millis now) const {
  if (t.failures == 0 || now < t.wait_until) return;
  bool locked_out = t.failures >= policy_.lockout_after;
  if (locked_out || now - t.since >= policy_.window) t = Tally{};
}

void LoginThrottle::Charge(Tally& t, Millis now) const {
  if (t.failures == 0) t.since = now;
  ++t.failures;
  t.last = now;
  Millis wait = WaitAfter(t.failures);
  t.wait_until = wait > 0 ? now + wait : 0;
}

void LoginThrottle::MakeRoom(Millis now) {
  for (auto it = tallies_.begin(); it != tallies_.end();) {
    Forget(it->second, now);
    it = it->second.failures == 0 ? tallies_.erase(it) : std::next(it);
  }
  if (tallies_.size() < policy_.max_keys) return;
  std::erase_if(tallies_, [&](const auto& kv) { return kv.second.wait_until <= now; });
  if (tallies_.size() >= policy_.max_keys) tallies_.clear();  // the memory bound wins
}

LoginThrottle::Tally& LoginThrottle::At(const std::string& key, Millis now) {
  auto it = tallies_.find(key);
  if (it != tallies_.end()) return it->second;
  if (tallies_.size() >= policy_.max_keys) MakeRoom(now);
  return tallies_[key];
}

LoginThrottle::Verdict LoginThrottle::Admit(std::string_view user, std::string_view address,
                                            Millis now) {
  MutexLock lock(mu_);
  std::string keys[2] = {"u:" + std::string(user.substr(0, 256)), "a:" + AddressKey(address)};
  Tally* t[2] = {&At(keys[0], now), &At(keys[1], now)};
  Verdict v;
  for (int i = 0; i < 2; ++i) {
    Forget(*t[i], now);
    if (now >= t[i]->wait_until) continue;
    if (!v.allowed && t[i]->wait_until - now <= v.retry_after) continue;
    v.allowed = false;
    v.retry_after = t[i]->wait_until - now;
    v.waiting = i == 0 ? "user" : "address";
  }
  if (!v.allowed) {
    for (Tally* x : t) {
      if (now < x->wait_until && x->reported != x->wait_until) {
        x->reported = x->wait_until;
        v.first_refusal = true;
      }
    }
    return v;
  }
  for (Tally* x : t) Charge(*x, now);
  return v;
}

void LoginThrottle::Succeeded(std::string_view user, std::string_view address) {
  MutexLock lock(mu_);
  tallies_.erase("u:" + std::string(user.substr(0, 256)));
  auto it = tallies_.find("a:" + AddressKey(address));
  if (it == tallies_.end()) return;
  Tally& a = it->second;
  if (--a.failures <= 0) {
    tallies_.erase(it);
    return;
  }
  Millis wait = WaitAfter(a.failures);
  a.wait_until = wait > 0 ? a.last + wait : 0;
}

size_t LoginThrottle::keys() const {
  MutexLock lock(mu_);
  return tallies_.size();
}

}  // namespace fanzha::auth
