#include "core/money.h"

#include <algorithm>
#include <cassert>
#include <limits>

#include "core/text.h"

namespace fanzha {

namespace {

Status AmountNotDecimal(std::string_view text) {
  return Status::Invalid("'" + Excerpt(text) + "' is not a decimal yuan amount")
      .WithZh("'" + Excerpt(text) + "' 不是以元为单位的金额（如 12.50）");
}

Status AmountTooLarge(std::string_view text) {
  return Status::Invalid("amount '" + Excerpt(text) + "' is too large")
      .WithZh("金额 '" + Excerpt(text) + "' 过大");
}

}  // namespace

Result<Fen> ParseMoney(std::string_view text, MoneyForm form) {
  std::string buf;
  if (form == MoneyForm::kLenient) {
    buf = FoldAsciiWidth(text);
    std::string cleaned;
    for (char c : buf) {
      if (c == ',' || c == ' ' || c == '\t') continue;
      cleaned.push_back(c);
    }
    std::string_view v = cleaned;
    if (v.starts_with("+")) v.remove_prefix(1);
    for (std::string_view sym : {"\xC2\xA5", "\xEF\xBF\xA5"}) {  // ¥ and ￥
      if (v.starts_with(sym)) v.remove_prefix(sym.size());
    }
    buf = std::string(v);
    text = buf;
  }
  if (text.empty()) return Status::Invalid("empty amount").WithZh("金额为空");
  Fen yuan = 0;
  size_t i = 0;
  constexpr Fen kMax = std::numeric_limits<Fen>::max();
  bool any_digit = false;
  for (; i < text.size() && text[i] != '.'; ++i) {
    char c = text[i];
    if (c < '0' || c > '9') {
      return AmountNotDecimal(text);
    }
    any_digit = true;
    if (yuan * 10 + (c - '0') > kMax / 100) {  // yuan <= kMax / 100 here, so no overflow
      return AmountTooLarge(text);
    }
    yuan = yuan * 10 + (c - '0');
  }
  Fen fraction = 0;
  if (i < text.size()) {  // at '.'
    std::string_view frac = text.substr(i + 1);
    if (frac.size() > 2) {
      return Status::Invalid("amount '" + Excerpt(text) + "' has more than 2 fraction digits")
          .WithZh("金额 '" + Excerpt(text) + "' 最多两位小数");
    }
    for (size_t k = 0; k < frac.size(); ++k) {
      char c = frac[k];
      if (c < '0' || c > '9') {
        return AmountNotDecimal(text);
      }
      any_digit = true;
      fraction += (c - '0') * (k == 0 ? 10 : 1);
    }
  }
  if (!any_digit) return AmountNotDecimal(text);
  if (yuan > (kMax - fraction) / 100) {
    return AmountTooLarge(text);
  }
  return yuan * 100 + fraction;
}

std::string FormatMoney(Fen fen) {
  std::string sign;
  unsigned long long v;
  if (fen < 0) {
    sign = "-";
    v = 0ULL - static_cast<unsigned long long>(fen);
  } else {
    v = static_cast<unsigned long long>(fen);
  }
  std::string out = sign + std::to_string(v / 100) + ".";
  unsigned long long f = v % 100;
  out.push_back(static_cast<char>('0' + f / 10));
  out.push_back(static_cast<char>('0' + f % 10));
  return out;
}

std::string FormatMoneyGrouped(Fen fen) {
  const std::string plain = FormatMoney(fen);
  const size_t from = plain[0] == '-' ? 1 : 0, point = plain.size() - 3;
  std::string out = plain.substr(0, from);
  for (size_t i = from; i < point; ++i) {
    if (i > from && (point - i) % 3 == 0) out.push_back(',');
    out.push_back(plain[i]);
  }
  return out.append(plain, point, 3);
}

void SplitInProportion(Fen total, std::span<const Fen> weights, std::span<Fen> parts) {
  assert(total >= 0 && parts.size() == weights.size());
  __int128 sum = 0;
  for (Fen w : weights) sum += w;
  if (sum == 0) {
    std::fill(parts.begin(), parts.end(), 0);
    return;
  }
  Fen missing = total;
  for (size_t i = 0; i < weights.size(); ++i) {
    parts[i] = static_cast<Fen>(static_cast<__int128>(total) * weights[i] / sum);
    missing -= parts[i];
  }
  if (missing == 0) return;
  // Fewer fen are missing than there are groups with a remainder (the remainders add up to
  // missing x W, each below W): rank those groups by remainder, then by position.
  struct Rest {
    __int128 remainder;
    size_t group;
  };
  constexpr size_t kOnStack = 64;
  Rest on_stack[kOnStack];
  std::vector<Rest> on_heap;
  Rest* rest = on_stack;
  if (weights.size() > kOnStack) {
    on_heap.resize(weights.size());
    rest = on_heap.data();
  }
  size_t n = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    __int128 r = static_cast<__int128>(total) * weights[i] % sum;
    if (r != 0) rest[n++] = Rest{r, i};
  }
  auto larger = [](const Rest& a, const Rest& b) {
    return a.remainder != b.remainder ? a.remainder > b.remainder : a.group < b.group;
  };
  size_t give = static_cast<size_t>(missing);
  assert(give <= n);
  std::nth_element(rest, rest + give - 1, rest + n, larger);
  for (size_t k = 0; k < give; ++k) ++parts[rest[k].group];
}

std::vector<Fen> SplitInProportion(Fen total, std::span<const Fen> weights) {
  std::vector<Fen> parts(weights.size());
  SplitInProportion(total, weights, parts);
  return parts;
}

}  // namespace fanzha
