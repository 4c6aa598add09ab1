// A fast 64-bit hash for short keys (phones, accounts, hosts): 8 bytes per multiply-fold step.
// Not cryptographic; the watchlist index checks the full key after a fingerprint match.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace fanzha::warn {

inline uint64_t HashMix(uint64_t a, uint64_t b) {
  __uint128_t r = static_cast<__uint128_t>(a) * b;
  return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
}

inline uint64_t HashKey(std::string_view s, uint64_t seed) {
  const char* p = s.data();
  size_t n = s.size();
  uint64_t h = seed ^ (n * 0x9E3779B97F4A7C15ull);
  while (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = HashMix(h ^ w, 0xA0761D6478BD642Full);
    p += 8;
    n -= 8;
  }
  uint64_t w = 0;
  std::memcpy(&w, p, n);
  h = HashMix(h ^ w ^ 0xE7037ED1A0B428DBull, 0x8EBC6AF09C88C6E3ull);
  return HashMix(h, 0x589965CC75374CC3ull);
}

}  // namespace fanzha::warn
