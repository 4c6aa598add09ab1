#include "gen/random.h"

namespace fanzha::gen {

int64_t Rng::Spread(int64_t typical, int spread_quarters) {
  // 2^(q/4) for q = 0..3, times 10000: integer-only so every machine agrees.
  static constexpr int64_t kQuarter[4] = {10000, 11892, 14142, 16818};
  const int64_t q = Between(-spread_quarters, spread_quarters);
  const int64_t whole = q >= 0 ? q / 4 : -((-q + 3) / 4);
  const int64_t frac = q - whole * 4;
  int64_t v = typical * kQuarter[frac] / 10000;
  if (whole >= 0)
    v <<= whole;
  else
    v >>= -whole;
  return v > 0 ? v : 1;
}

size_t Rng::Weighted(std::span<const int> weights) {
  int64_t total = 0;
  for (int w : weights) total += w;
  int64_t r = static_cast<int64_t>(Below(total));
  for (size_t i = 0; i < weights.size(); ++i) {
    if (r < weights[i]) return i;
    r -= weights[i];
  }
  return weights.size() - 1;
}

}  // namespace fanzha::gen
