// Deterministic randomness for generated worlds: the same seed gives the same bytes on any machine.
// Only integer arithmetic is used for anything that reaches the output (no libm, no std::
// distributions, whose results differ between standard libraries).
#pragma once

#include <cstdint>
#include <span>

namespace fanzha::gen {

// SplitMix64 step: also a good 64-bit hash for deriving per-entity values from an index.
inline uint64_t Mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}
inline uint64_t Hash2(uint64_t a, uint64_t b) {
  return Mix64(Mix64(a) ^ (b * 0xd1342543de82ef95ULL));
}

// xoshiro256** seeded through SplitMix64. Not thread-safe; one per stream of decisions.
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    uint64_t x = seed;
    for (auto& w : s_) {
      x += 0x9e3779b97f4a7c15ULL;
      w = Mix64(x);
    }
  }
  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, n); n > 0. Lemire's multiply-shift (the tiny bias is irrelevant here).
  uint64_t Below(uint64_t n) { return static_cast<uint64_t>((__uint128_t)Next() * n >> 64); }
  // Uniform in [lo, hi].
  int64_t Between(int64_t lo, int64_t hi) { return lo + static_cast<int64_t>(Below(hi - lo + 1)); }
  // True with probability per_mille / 1000.
  bool Chance(int per_mille) { return Below(1000) < static_cast<uint64_t>(per_mille); }
  // A heavy-tailed positive value around `typical`: typical * 2^(u) with u in [-spread, spread],
  // in quarter steps; used for amounts, so most are near typical and a few are far from it.
  int64_t Spread(int64_t typical, int spread_quarters);
  // Index picked by integer weights.
  size_t Weighted(std::span<const int> weights);
  // Index in [0, n) skewed towards small values (about Zipf-like): popular merchants, hub accounts.
  uint64_t Skewed(uint64_t n) {
    const uint64_t a = Below(n), b = Below(n);
    return a < b ? (a * Below(n)) / n : a * b / n;
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

}  // namespace fanzha::gen
