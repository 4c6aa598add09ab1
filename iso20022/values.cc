#include "iso20022/values.h"

#include <limits>

#include "core/text.h"

namespace fanzha::iso20022 {

Result<Fen> ParseAmount(std::string_view raw) {
  std::string_view text = Trim(raw);
  std::string quoted = "'" + std::string(text.substr(0, 40)) + "'";
  if (text.empty()) return Status::Invalid("empty amount").WithZh("金额为空");
  if (text.front() == '-')
    return Status::Invalid(quoted + " is negative (the direction is CdtDbtInd)")
        .WithZh(quoted + " 为负数（借贷方向由 CdtDbtInd 表示）");
  if (text.front() == '+') text.remove_prefix(1);
  size_t dot = text.find('.');
  std::string_view whole = text.substr(0, dot);
  std::string_view fraction =
      dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  auto digits = [](std::string_view s) {
    for (char c : s)
      if (c < '0' || c > '9') return false;
    return true;
  };
  if ((whole.empty() && fraction.empty()) || !digits(whole) || !digits(fraction) ||
      (dot != std::string_view::npos && fraction.empty() && whole.empty()))
    return Status::Invalid(quoted + " is not a decimal amount").WithZh(quoted + " 不是十进制金额");
  for (size_t i = 2; i < fraction.size(); ++i)
    if (fraction[i] != '0')
      return Status::Invalid(quoted + " has more than 2 fraction digits (not exact in hundredths)")
          .WithZh(quoted + " 超过两位小数（无法精确到分）");
  Fen value = 0;
  constexpr Fen kMax = std::numeric_limits<Fen>::max();
  for (char c : whole) {
    if (value > (kMax - (c - '0')) / 10)
      return Status::Invalid(quoted + " is too large").WithZh(quoted + " 过大");
    value = value * 10 + (c - '0');
  }
  if (value > kMax / 100) return Status::Invalid(quoted + " is too large").WithZh(quoted + " 过大");
  value *= 100;
  Fen cents = 0;
  for (size_t i = 0; i < 2; ++i) cents = cents * 10 + (i < fraction.size() ? fraction[i] - '0' : 0);
  if (value > kMax - cents)
    return Status::Invalid(quoted + " is too large").WithZh(quoted + " 过大");
  return value + cents;
}

std::string FormatAmount(Fen hundredths) { return FormatMoney(hundredths); }

bool IsCurrencyCode(std::string_view code) {
  if (code.size() != 3) return false;
  for (char c : code)
    if (c < 'A' || c > 'Z') return false;
  return true;
}

std::optional<Zone> ZoneOfTime(std::string_view text) {
  text = Trim(text);
  if (text.size() < 10) return std::nullopt;
  if (text.back() == 'Z' || text.back() == 'z') return Zone{0};
  // "...+08:00" or "...-05:30" after the date (the date's own '-' are at 4 and 7).
  if (text.size() >= 16) {
    std::string_view tail = text.substr(text.size() - 6);
    if ((tail[0] == '+' || tail[0] == '-') && tail[3] == ':') {
      auto zone = Zone::Parse(tail);
      if (zone.ok()) return *zone;
    }
  }
  return std::nullopt;
}

Result<Millis> ParseIsoTime(std::string_view raw, Zone zone) {
  std::string_view text = Trim(raw);
  if (text.empty()) return Status::Invalid("empty date").WithZh("日期为空");
  // A date with an offset ("2024-01-15+01:00", "2024-01-15Z"): its midnight there.
  if (text.size() > 10 && text.find('T') == std::string_view::npos &&
      (text[10] == '+' || text[10] == '-' || text[10] == 'Z')) {
    std::string t = std::string(text.substr(0, 10)) + "T00:00:00" + std::string(text.substr(10));
    return ParseTime(t, zone);
  }
  // "24:00:00" is the end of the day (ISO 8601), seen in period ends.
  if (text.size() >= 19 && text.substr(10, 9) == "T24:00:00") {
    std::string t = std::string(text.substr(0, 10)) + "T00:00:00" + std::string(text.substr(19));
    FANZHA_ASSIGN_OR_RETURN(Millis start, ParseTime(t, zone));
    return start + 86400000;
  }
  return ParseTime(text, zone);
}

bool IsNotProvided(std::string_view ref) {
  ref = Trim(ref);
  return ref.empty() || ref == "NOTPROVIDED" || ref == "NONREF";
}

std::string CompactAccount(std::string_view account) {
  std::string out;
  out.reserve(account.size());
  for (char c : account) {
    if (c == ' ' || c == '-' || c == '\t') continue;
    out.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  }
  return out;
}

EntryStatus ParseEntryStatus(std::string_view code) {
  if (code.empty() || code == "BOOK") return EntryStatus::kBooked;
  if (code == "PDNG") return EntryStatus::kPending;
  if (code == "INFO") return EntryStatus::kInformation;
  if (code == "FUTR") return EntryStatus::kFuture;
  return EntryStatus::kOther;
}

}  // namespace fanzha::iso20022
