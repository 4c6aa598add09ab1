#include "core/money.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace fanzha {
namespace {

TEST(Money, CanonicalFormsParseToFen) {
  EXPECT_EQ(*ParseMoney("1700000.00"), 170000000);
  EXPECT_EQ(*ParseMoney("26000"), 2600000);
  EXPECT_EQ(*ParseMoney("0.5"), 50);
  EXPECT_EQ(*ParseMoney("0.01"), 1);
  EXPECT_EQ(*ParseMoney("0"), 0);
}

TEST(Money, CanonicalRejectsSignsSeparatorsAndThirdDecimal) {
  for (const char* bad : {"", "-1", "+1", "1,000", "1.001", "abc", ".", "1.2.3", "１２"}) {
    EXPECT_FALSE(ParseMoney(bad).ok()) << bad;
  }
}

TEST(Money, OverflowIsAnError) {
  EXPECT_FALSE(ParseMoney("92233720368547758.08").ok());
  EXPECT_FALSE(ParseMoney("999999999999999999999").ok());
  EXPECT_EQ(*ParseMoney("92233720368547758.07"), INT64_MAX);
}

TEST(Money, LenientAcceptsStatementForms) {
  EXPECT_EQ(*ParseMoney("1,700,000.00", MoneyForm::kLenient), 170000000);
  EXPECT_EQ(*ParseMoney("１２３．４５", MoneyForm::kLenient), 12345);
  EXPECT_EQ(*ParseMoney(" ￥50 ", MoneyForm::kLenient), 5000);
  EXPECT_FALSE(ParseMoney("-50", MoneyForm::kLenient).ok());
}

TEST(Money, FormatAlwaysTwoDecimals) {
  EXPECT_EQ(FormatMoney(170000000), "1700000.00");
  EXPECT_EQ(FormatMoney(5), "0.05");
  EXPECT_EQ(FormatMoney(0), "0.00");
  EXPECT_EQ(FormatMoney(-150), "-1.50");
}

TEST(Money, GroupedForPeopleInThrees) {
  EXPECT_EQ(FormatMoneyGrouped(170000000), "1,700,000.00");
  EXPECT_EQ(FormatMoneyGrouped(100000), "1,000.00");
  EXPECT_EQ(FormatMoneyGrouped(99999), "999.99");
  EXPECT_EQ(FormatMoneyGrouped(5), "0.05");
  EXPECT_EQ(FormatMoneyGrouped(-12345678), "-123,456.78");
  EXPECT_EQ(FormatMoneyGrouped(-99999), "-999.99");
  EXPECT_EQ(FormatMoneyGrouped(INT64_MAX), "92,233,720,368,547,758.07");
}

// A plain unsigned big integer (base 2^32 limbs, least significant first): the reference the split
// is checked against, with no 128-bit arithmetic shared with the code under test.
struct Big {
  std::vector<uint64_t> limbs;  // each < 2^32
  static Big Of(uint64_t v) {
    Big b;
    b.limbs = {v & 0xffffffffu, v >> 32};
    b.Trim();
    return b;
  }
  void Trim() {
    while (!limbs.empty() && limbs.back() == 0) limbs.pop_back();
  }
  Big Times(uint64_t m) const {
    Big out;
    out.limbs.assign(limbs.size() + 2, 0);
    uint64_t lo = m & 0xffffffffu, hi = m >> 32;
    for (size_t i = 0; i < limbs.size(); ++i) {
      for (auto [part, shift] : {std::pair{lo, 0}, std::pair{hi, 1}}) {
        uint64_t carry = limbs[i] * part;  // < 2^64
        for (size_t k = i + shift; carry; ++k) {
          uint64_t sum = out.limbs[k] + (carry & 0xffffffffu);
          out.limbs[k] = sum & 0xffffffffu;
          carry = (carry >> 32) + (sum >> 32);
        }
      }
    }
    out.Trim();
    return out;
  }
  Big Plus(const Big& o) const {
    Big out;
    uint64_t carry = 0;
    for (size_t i = 0; i < std::max(limbs.size(), o.limbs.size()) || carry; ++i) {
      uint64_t sum =
          carry + (i < limbs.size() ? limbs[i] : 0) + (i < o.limbs.size() ? o.limbs[i] : 0);
      out.limbs.push_back(sum & 0xffffffffu);
      carry = sum >> 32;
    }
    out.Trim();
    return out;
  }
  Big Minus(const Big& o) const {  // *this >= o
    Big out;
    int64_t borrow = 0;
    for (size_t i = 0; i < limbs.size(); ++i) {
      int64_t d = static_cast<int64_t>(limbs[i]) - borrow -
                  (i < o.limbs.size() ? static_cast<int64_t>(o.limbs[i]) : 0);
      borrow = d < 0;
      out.limbs.push_back(static_cast<uint64_t>(d + (borrow ? (int64_t{1} << 32) : 0)));
    }
    out.Trim();
    return out;
  }
  friend int Compare(const Big& a, const Big& b) {
    if (a.limbs.size() != b.limbs.size()) return a.limbs.size() < b.limbs.size() ? -1 : 1;
    for (size_t i = a.limbs.size(); i-- > 0;) {
      if (a.limbs[i] != b.limbs[i]) return a.limbs[i] < b.limbs[i] ? -1 : 1;
    }
    return 0;
  }
};

TEST(Split, BigReferenceArithmetic) {
  Big a = Big::Of(UINT64_MAX).Times(UINT64_MAX);  // 2^128 - 2^65 + 1
  EXPECT_EQ(a.limbs, (std::vector<uint64_t>{1, 0, 0xfffffffe, 0xffffffff}));
  EXPECT_EQ(Compare(a.Plus(Big::Of(5)).Minus(Big::Of(5)), a), 0);
  EXPECT_EQ(Compare(Big::Of(3), Big::Of(1ull << 40)), -1);
}

// Checks a split against TRACING.md "Splitting in proportion" with the big-integer reference.
void ExpectExactSplit(Fen total, const std::vector<Fen>& weights, const std::vector<Fen>& parts) {
  ASSERT_EQ(parts.size(), weights.size());
  Big sum;
  for (Fen w : weights) sum = sum.Plus(Big::Of(w));
  Fen given = 0;
  for (Fen p : parts) given += p;
  if (sum.limbs.empty()) {
    for (Fen p : parts) EXPECT_EQ(p, 0);
    return;
  }
  EXPECT_EQ(given, total);
  // Each part is the floor of total x w_i / W, or one more ("bumped"), with remainder r_i.
  std::vector<Big> remainder(weights.size());
  std::vector<bool> bumped(weights.size());
  for (size_t i = 0; i < weights.size(); ++i) {
    Big exact = Big::Of(total).Times(weights[i]);
    Big at = sum.Times(parts[i]);
    if (Compare(at, exact) <= 0) {
      ASSERT_LT(Compare(exact, sum.Times(static_cast<uint64_t>(parts[i]) + 1)), 0)
          << "part " << i << " below the floor";
      remainder[i] = exact.Minus(at);
    } else {
      ASSERT_GT(parts[i], 0);
      Big floor_at = sum.Times(parts[i] - 1);
      ASSERT_LE(Compare(floor_at, exact), 0) << "part " << i << " above the floor + 1";
      remainder[i] = exact.Minus(floor_at);
      bumped[i] = true;
      EXPECT_FALSE(remainder[i].limbs.empty()) << "a fen given to a group with no remainder";
    }
    if (Compare(Big::Of(total), sum) < 0) {
      EXPECT_LE(parts[i], weights[i]) << "more than it holds";
    }
  }
  // Largest remainders first, ties to the earlier group.
  for (size_t i = 0; i < weights.size(); ++i) {
    for (size_t j = 0; j < weights.size(); ++j) {
      if (!bumped[i] || bumped[j]) continue;
      int c = Compare(remainder[i], remainder[j]);
      EXPECT_TRUE(c > 0 || (c == 0 && i < j))
          << "group " << j << " should have had the fen of " << i;
    }
  }
}

TEST(Split, WorkedExamples) {
  EXPECT_EQ(SplitInProportion(10, std::vector<Fen>{1, 1, 1}), (std::vector<Fen>{4, 3, 3}));
  EXPECT_EQ(SplitInProportion(7, std::vector<Fen>{0, 5}), (std::vector<Fen>{0, 7}));
  // TRACING.md case 06: one fen over 100 clean and 100 tainted: the tie goes to the earlier group.
  EXPECT_EQ(SplitInProportion(1, std::vector<Fen>{100, 100}), (std::vector<Fen>{1, 0}));
  EXPECT_EQ(SplitInProportion(3, std::vector<Fen>{99, 100}), (std::vector<Fen>{1, 2}));
  // Case 08: 18 fen over 200 clean, hop 1 and hop 2 groups of 100: 9, 4.5, 4.5 -> 9, 5, 4.
  EXPECT_EQ(SplitInProportion(18, std::vector<Fen>{200, 100, 100}), (std::vector<Fen>{9, 5, 4}));
  EXPECT_EQ(SplitInProportion(5, std::vector<Fen>{0, 0}), (std::vector<Fen>{0, 0}));
  EXPECT_EQ(SplitInProportion(0, std::vector<Fen>{3, 4}), (std::vector<Fen>{0, 0}));
  // Products far beyond 64 bits.
  std::vector<Fen> huge{INT64_MAX, INT64_MAX - 1, 1};
  auto parts = SplitInProportion(INT64_MAX, huge);
  ExpectExactSplit(INT64_MAX, huge, parts);
  EXPECT_EQ(parts[2], 0);
}

TEST(Split, ExactOnRandomInputsAgainstABigIntegerReference) {
  std::mt19937_64 rng(12);
  for (int round = 0; round < 20000; ++round) {
    size_t k = 1 + rng() % (round % 10 == 0 ? 90 : 6);  // beyond 64 groups now and then
    int shape = round % 4;
    std::vector<Fen> weights(k);
    for (Fen& w : weights) {
      switch (shape) {
        case 0:
          w = static_cast<Fen>(rng() % 7);
          break;  // ties, zeros
        case 1:
          w = static_cast<Fen>(rng() % 1000000);
          break;
        case 2:
          w = static_cast<Fen>(rng() >> 1);
          break;  // up to 2^63
        default:
          w = rng() % 3 ? static_cast<Fen>(rng() % 50) : static_cast<Fen>(rng() >> 2);
      }
    }
    Fen sum_small = 0;
    for (Fen w : weights)
      sum_small = std::min<Fen>(INT64_MAX / 2, sum_small + std::min<Fen>(w, INT64_MAX / 2));
    Fen total;
    switch (rng() % 4) {
      case 0:
        total = static_cast<Fen>(rng() % 20);
        break;
      case 1:
        total = sum_small > 0 ? static_cast<Fen>(rng() % static_cast<uint64_t>(sum_small)) : 0;
        break;  // < W
      case 2:
        total = static_cast<Fen>(rng() >> 1);
        break;
      default:
        total = sum_small + static_cast<Fen>(rng() % 1000);  // >= W
    }
    auto parts = SplitInProportion(total, weights);
    ExpectExactSplit(total, weights, parts);
    if (HasFailure()) {
      ADD_FAILURE() << "round " << round << " total " << total;
      return;
    }
  }
}

}  // namespace
}  // namespace fanzha
