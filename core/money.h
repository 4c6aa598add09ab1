// Money is exact: an int64 count of fen (0.01 yuan), never floating point.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

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

// "1700000.00": always two fraction digits, no separators. Negative values get a leading '-'.
std::string FormatMoney(Fen fen);

}  // namespace fanzha
