// Instants are UTC milliseconds since the Unix epoch (int64), so the order of events is never lost.
// Text forms are RFC 3339 with an offset; values without an offset (the usual form in bank
// statements) are read in a configured zone, default Asia/Shanghai (+08:00, no DST since 1991).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace fanzha {

using Millis = int64_t;

// A fixed UTC offset in minutes. Asia/Shanghai (China Standard Time) is +480.
struct Zone {
  int offset_minutes = 480;
  // Accepts "Asia/Shanghai", "Asia/Hong_Kong", "Asia/Taipei", "UTC", "Z", "+08:00", "-05:30".
  static Result<Zone> Parse(std::string_view name);
};

// Parses "2020-02-08T00:42:00+08:00", "2020-02-08T00:42:00.125Z", "2020-02-08 00:42:00" (read in
// `zone`), "2020/02/08 00:42:00", "2020-02-08" (midnight), "20200208 004200", "20200208004200".
// Fractions below a millisecond are truncated. Instants from 0000-01-01T00:00:00Z to
// 9999-12-31T23:59:59.999+08:00 (kEarliestTime, kLatestTime) are accepted, so that every time
// read can be written again in UTC and in Asia/Shanghai.
Result<Millis> ParseTime(std::string_view text, Zone zone = Zone{});
extern const Millis kEarliestTime, kLatestTime;

// RFC 3339 with the zone's offset: "2020-02-08T00:42:00+08:00"; milliseconds are written only when
// not zero ("2020-02-08T00:42:00.125+08:00").
std::string FormatTime(Millis t, Zone zone = Zone{});
// For people: the local wall time to the minute, "2020-02-08 00:42" (the zone is the reader's).
std::string FormatMinute(Millis t, Zone zone = Zone{});

// Calendar helpers (proleptic Gregorian).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d);
// The local calendar date "2020-02-08" of an instant in a zone.
std::string FormatDate(Millis t, Zone zone = Zone{});

// The same local wall time `months` calendar months later (earlier when negative), on the same day
// of the month or that month's last day when it is shorter: 2020-08-31 + 6 months = 2021-02-28.
// The legal clocks of a freeze (six months) count this way.
Millis AddMonths(Millis t, int months, Zone zone = Zone{});

// A duration: a whole number and a unit, "500ms", "90s", "30m", "6h", "2d"; kInvalidInput
// otherwise (no unit, a negative or overflowing number).
Result<Millis> ParseDuration(std::string_view text);

}  // namespace fanzha
