// core/money.h: ParseMoney in both forms and FormatMoney.
// Invariants: errors are kInvalidInput values; an accepted amount is not negative, its canonical
// text parses back to the same fen in both forms; what the canonical form accepts the lenient form
// accepts with the same value; FormatMoney of any int64 reads back (negative ones by magnitude).
#include <cstring>

#include "core/money.h"
#include "fuzz/fuzz_util.h"

using namespace fanzha;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text = fuzz::Text(data, size);
  Result<Fen> canonical = ParseMoney(text, MoneyForm::kCanonical);
  Result<Fen> lenient = ParseMoney(text, MoneyForm::kLenient);
  for (const Result<Fen>* r : {&canonical, &lenient}) {
    if (!r->ok()) {
      FUZZ_CHECK(r->status().code() == ErrorCode::kInvalidInput, r->status().ToString());
      FUZZ_CHECK_ERROR(r->status());
      continue;
    }
    FUZZ_CHECK(**r >= 0, std::to_string(**r));
    std::string formatted = FormatMoney(**r);
    Result<Fen> back = ParseMoney(formatted);
    FUZZ_CHECK(back.ok() && *back == **r, formatted);
    Result<Fen> back_lenient = ParseMoney(formatted, MoneyForm::kLenient);
    FUZZ_CHECK(back_lenient.ok() && *back_lenient == **r, formatted);
  }
  if (canonical.ok()) FUZZ_CHECK(lenient.ok() && *lenient == *canonical, std::string(text));

  if (size >= sizeof(int64_t)) {
    int64_t fen;
    std::memcpy(&fen, data, sizeof fen);
    std::string formatted = FormatMoney(fen);
    bool negative = fen < 0;
    FUZZ_CHECK(formatted.starts_with("-") == negative, formatted);
    Result<Fen> back = ParseMoney(std::string_view(formatted).substr(negative ? 1 : 0));
    if (fen == INT64_MIN) {  // its magnitude is beyond int64: too large, as an error
      FUZZ_CHECK(!back.ok(), formatted);
    } else {
      FUZZ_CHECK(back.ok() && *back == (negative ? -fen : fen), formatted);
    }
  }
  return 0;
}
