// Money is exact: an int64 count of fen (0.01 yuan), never floating point.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace fanzha {

using Fen = int64_t;

enum class MoneyForm {
  kCanonical,  // "1700000.00", "26000", "0.5": digits, optional '.', at most 2 fraction digits
  kLenient,    // also thousands separators "1,700,000.00", full-width digits and '．', a leading
               // '+' or '¥'/'￥', surrounding spaces: what bank statements contain
};

// Parses a decimal yuan amount into fen. Rejects signs (other than a lenient '+'), more than two
// fraction digits, empty strings, and values that overflow int64. Zero is accepted here; callers
// that need a positive amount check it themselves (the rule differs per field).
Result<Fen> ParseMoney(std::string_view text, MoneyForm form = MoneyForm::kCanonical);

// Splits `total` fen (>= 0) over groups holding `weights` fen (each >= 0) in proportion, exactly
// (TRACING.md "Splitting in proportion"): group i first gets floor(total x w_i / W), W the sum of
// the weights; the fen still missing go one each to the groups with the largest remainders
// (total x w_i mod W), ties to the earlier group. The parts add up to `total`; when total < W no
// part exceeds its weight, and a group of weight 0 gets nothing. All weights 0: every part is 0.
// Exact for any int64 values (the products are 128-bit). `parts` must have weights.size()
// elements. Cost O(k) plus O(k log k) when fen are missing; no allocation for k <= 64.
// Used for every proportional split: a haircut payment over an account's money, frozen money
// returned pro rata.
void SplitInProportion(Fen total, std::span<const Fen> weights, std::span<Fen> parts);
std::vector<Fen> SplitInProportion(Fen total, std::span<const Fen> weights);

// "1700000.00": always two fraction digits, no separators. Negative values get a leading '-'.
std::string FormatMoney(Fen fen);
// "1,700,000.00": FormatMoney with the yuan in groups of three, for what people read (documents,
// tables); files for machines keep FormatMoney's form.
std::string FormatMoneyGrouped(Fen fen);

}  // namespace fanzha
