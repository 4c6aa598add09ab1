// core/time.h: Zone::Parse, ParseTime and FormatTime.
// Invariants: errors are kInvalidInput values; a parsed instant lies within kEarliestTime and
// kLatestTime and formats to RFC 3339 that parses back to the same instant, in China's zone and in
// UTC (the zones fanzha writes); FormatDate is that text's date.
#include "core/time.h"
#include "fuzz/fuzz_util.h"

using namespace fanzha;

namespace {

void CheckRoundTrip(Millis t, Zone zone, std::string_view input) {
  FUZZ_CHECK(t >= kEarliestTime && t <= kLatestTime, std::to_string(t));
  for (Zone z : {Zone{}, Zone{0}}) {
    std::string text = FormatTime(t, z);
    Result<Millis> back = ParseTime(text, zone);
    FUZZ_CHECK(back.ok() && *back == t,
               "'" + std::string(input) + "' -> " + std::to_string(t) + " -> '" + text + "' -> " +
                   (back.ok() ? std::to_string(*back) : back.status().ToString()));
    FUZZ_CHECK(FormatDate(t, z) == text.substr(0, 10), text);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text = fuzz::Text(data, size);
  // The first line may name a zone ("+05:30\n2020-..."); otherwise the default zone.
  Zone zone;
  if (size_t nl = text.find('\n'); nl != std::string_view::npos) {
    Result<Zone> z = Zone::Parse(text.substr(0, nl));
    if (z.ok()) {
      FUZZ_CHECK(z->offset_minutes >= -14 * 60 && z->offset_minutes <= 14 * 60,
                 std::to_string(z->offset_minutes));
      zone = *z;
    } else {
      FUZZ_CHECK_ERROR(z.status());
    }
    text.remove_prefix(nl + 1);
  }
  Result<Millis> t = ParseTime(text, zone);
  if (!t.ok()) {
    FUZZ_CHECK(t.status().code() == ErrorCode::kInvalidInput, t.status().ToString());
    FUZZ_CHECK_ERROR(t.status());
    return 0;
  }
  CheckRoundTrip(*t, zone, text);
  return 0;
}
