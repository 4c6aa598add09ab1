#include "core/time.h"

#include <algorithm>
#include <cstdio>

#include "core/text.h"

namespace fanzha {
namespace {

// Howard Hinnant's civil_from_days.
void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t yy = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = yy + (*m <= 2);
}

bool ReadDigits(std::string_view s, size_t* pos, int n, int* out) {
  if (*pos + n > s.size()) return false;
  int v = 0;
  for (int i = 0; i < n; ++i) {
    char c = s[*pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *pos += n;
  *out = v;
  return true;
}

// UTC offsets in use run from -12:00 to +14:00; both signs are allowed up to 14:00.
constexpr int kMaxOffsetMinutes = 14 * 60;

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// The local day (days since 1970-01-01) of an instant in a zone, and the milliseconds into it.
int64_t LocalDays(Millis t, Zone zone, Millis* within_day) {
  Millis local = t + static_cast<Millis>(zone.offset_minutes) * 60000;
  int64_t days = local >= 0 ? local / 86400000 : -((-local + 86399999) / 86400000);
  *within_day = local - days * 86400000;
  return days;
}

Status Bad(std::string_view text, const char* why) {
  return Status::Invalid("'" + Excerpt(text) + "' is not a time (" + why +
                         "); expected RFC 3339 like 2020-02-08T00:42:00+08:00")
      .WithZh("'" + Excerpt(text) +
              "' 不是有效的时间，应为 RFC 3339 格式，如 2020-02-08T00:42:00+08:00");
}

}  // namespace

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

Result<Zone> Zone::Parse(std::string_view name) {
  if (name == "Asia/Shanghai" || name == "Asia/Chongqing" || name == "Asia/Hong_Kong" ||
      name == "Asia/Macau" || name == "Asia/Taipei" || name == "PRC") {
    return Zone{480};
  }
  if (name == "UTC" || name == "Z" || name == "Etc/UTC") return Zone{0};
  if (name.size() == 6 && (name[0] == '+' || name[0] == '-') && name[3] == ':') {
    size_t pos = 1;
    int h = 0, m = 0;
    if (ReadDigits(name, &pos, 2, &h) && ++pos && ReadDigits(name, &pos, 2, &m) && m < 60 &&
        h * 60 + m <= kMaxOffsetMinutes) {
      int minutes = h * 60 + m;
      return Zone{name[0] == '-' ? -minutes : minutes};
    }
  }
  return Status::Invalid("unknown time zone '" + Excerpt(name) +
                         "'; use Asia/Shanghai, UTC or an offset like +08:00")
      .WithZh("未知时区 '" + Excerpt(name) + "'：请用 Asia/Shanghai、UTC 或 +08:00 这样的偏移");
}

Result<Millis> ParseTime(std::string_view raw, Zone zone) {
  std::string folded;
  if (!IsAscii(raw)) {
    folded = FoldAsciiWidth(raw);
    raw = folded;
  }
  std::string_view s = Trim(raw);
  size_t pos = 0;
  int y, mo, d, h = 0, mi = 0, sec = 0, ms = 0;
  if (!ReadDigits(s, &pos, 4, &y)) return Bad(s, "year");
  bool compact = pos < s.size() && s[pos] >= '0' && s[pos] <= '9';
  if (!compact) {
    if (pos >= s.size() || (s[pos] != '-' && s[pos] != '/')) return Bad(s, "date separator");
    ++pos;
  }
  if (!ReadDigits(s, &pos, 2, &mo)) return Bad(s, "month");
  if (!compact) {
    if (pos >= s.size() || (s[pos] != '-' && s[pos] != '/')) return Bad(s, "date separator");
    ++pos;
  }
  if (!ReadDigits(s, &pos, 2, &d)) return Bad(s, "day");
  if (mo < 1 || mo > 12 || d < 1 || d > DaysInMonth(y, mo)) return Bad(s, "no such date");
  bool has_offset = false;
  int offset = 0;
  if (pos < s.size()) {
    if (s[pos] == 'T' || s[pos] == 't' || s[pos] == ' ') {
      ++pos;
    } else if (!(compact && s[pos] >= '0' && s[pos] <= '9')) {
      return Bad(s, "date and time separator");
    }
    bool compact_time = pos + 2 < s.size() && s[pos + 2] >= '0' && s[pos + 2] <= '9';
    if (!ReadDigits(s, &pos, 2, &h)) return Bad(s, "hour");
    if (!compact_time) {
      if (pos >= s.size() || s[pos] != ':') return Bad(s, "time separator");
      ++pos;
    }
    if (!ReadDigits(s, &pos, 2, &mi)) return Bad(s, "minute");
    if (pos < s.size() && (s[pos] == ':' || compact_time)) {
      if (s[pos] == ':') ++pos;
      if (!ReadDigits(s, &pos, 2, &sec)) return Bad(s, "second");
    }
    if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
      ++pos;
      int digits = 0;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
        if (digits < 3) ms = ms * 10 + (s[pos] - '0');
        ++digits;
        ++pos;
      }
      if (digits == 0) return Bad(s, "fraction");
      for (int k = digits; k < 3; ++k) ms *= 10;
    }
    if (h > 23 || mi > 59 || sec > 60) return Bad(s, "time of day out of range");
    if (sec == 60) sec = 59;  // a leap second keeps its place before the next minute
    if (pos < s.size()) {
      if (s[pos] == 'Z' || s[pos] == 'z') {
        has_offset = true;
        ++pos;
      } else if (s[pos] == '+' || s[pos] == '-') {
        int sign = s[pos] == '-' ? -1 : 1;
        ++pos;
        int oh, om = 0;
        if (!ReadDigits(s, &pos, 2, &oh)) return Bad(s, "offset hours");
        if (pos < s.size() && s[pos] == ':') ++pos;
        if (pos < s.size() && !ReadDigits(s, &pos, 2, &om)) return Bad(s, "offset minutes");
        if (om > 59 || oh * 60 + om > kMaxOffsetMinutes) return Bad(s, "offset out of range");
        has_offset = true;
        offset = sign * (oh * 60 + om);
      }
    }
  }
  if (pos != s.size()) return Bad(s, "trailing characters");
  if (!has_offset) offset = zone.offset_minutes;
  int64_t days = DaysFromCivil(y, mo, d);
  int64_t seconds = days * 86400 + h * 3600 + mi * 60 + sec - static_cast<int64_t>(offset) * 60;
  Millis t = seconds * 1000 + ms;
  // Every instant kept must be writable again in UTC and in China's zone with a four-digit year
  // ("9999-12-31T23:59:59-14:00" would be written as year 10000, which no reader accepts).
  if (t < kEarliestTime || t > kLatestTime) return Bad(s, "outside years 0000 to 9999");
  return t;
}

const Millis kEarliestTime = DaysFromCivil(0, 1, 1) * 86400000;
const Millis kLatestTime = DaysFromCivil(10000, 1, 1) * 86400000 - 8 * 3600000 - 1;

std::string FormatTime(Millis t, Zone zone) {
  int64_t rem = 0;
  int64_t days = LocalDays(t, zone, &rem);
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  int ms = static_cast<int>(rem % 1000);
  int64_t secs = rem / 1000;
  char buf[64];
  int n = std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02d",
                        static_cast<long long>(y), m, d, static_cast<int>(secs / 3600),
                        static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60));
  if (ms != 0) n += std::snprintf(buf + n, sizeof buf - n, ".%03d", ms);
  int off = zone.offset_minutes;
  if (off == 0) {
    std::snprintf(buf + n, sizeof buf - n, "Z");
  } else {
    char sign = off < 0 ? '-' : '+';
    if (off < 0) off = -off;
    std::snprintf(buf + n, sizeof buf - n, "%c%02d:%02d", sign, off / 60, off % 60);
  }
  return buf;
}

std::string FormatMinute(Millis t, Zone zone) {
  std::string s = FormatTime(t, zone).substr(0, 16);
  s[10] = ' ';
  return s;
}

std::string FormatDate(Millis t, Zone zone) { return FormatTime(t, zone).substr(0, 10); }

Millis AddMonths(Millis t, int months, Zone zone) {
  Millis within_day = 0;
  int64_t days = LocalDays(t, zone, &within_day);
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  int64_t index = y * 12 + (m - 1) + months;  // months since year 0
  int64_t ny = index >= 0 ? index / 12 : -((-index + 11) / 12);
  unsigned nm = static_cast<unsigned>(index - ny * 12) + 1;
  unsigned nd = std::min<unsigned>(d, DaysInMonth(static_cast<int>(ny), static_cast<int>(nm)));
  return DaysFromCivil(ny, nm, nd) * 86400000 + within_day -
         static_cast<Millis>(zone.offset_minutes) * 60000;
}

Result<Millis> ParseDuration(std::string_view text) {
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  std::string_view unit = text.substr(digits);
  Millis scale = unit == "ms"  ? 1
                 : unit == "s" ? 1000
                 : unit == "m" ? 60000
                 : unit == "h" ? 3600000
                 : unit == "d" ? 86400000
                               : 0;
  if (digits == 0 || digits > 9 || scale == 0) {
    return Status::Invalid("'" + std::string(text) +
                           "' is not a duration (a whole number and ms, s, m, h or d: 6h, 90m)")
        .WithZh("'" + std::string(text) + "' 不是时长（整数加单位 ms、s、m、h 或 d，如 6h、90m）");
  }
  return std::stoll(std::string(text.substr(0, digits))) * scale;
}

}  // namespace fanzha
