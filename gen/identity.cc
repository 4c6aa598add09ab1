#include "gen/identity.h"

#include <cstring>

namespace fanzha::gen {
namespace {

// Grouped by institution, in the order `fanzha gen --banks N` takes them: the first eight are the
// worlds generated before --banks existed (their order and count must not change: the default
// world is byte for byte the same), then more national and city banks. Prefixes and lengths are
// their debit cards' (UnionPay BIN tables).
constexpr Issuer kIssuers[] = {
    {"622202", "中国工商银行", 19},     {"621226", "中国工商银行", 19},
    {"622848", "中国农业银行", 19},     {"621700", "中国建设银行", 19},
    {"622700", "中国建设银行", 19},     {"621661", "中国银行", 19},
    {"622588", "招商银行", 16},         {"621483", "招商银行", 16},
    {"622262", "交通银行", 19},         {"621799", "中国邮政储蓄银行", 19},
    {"622908", "兴业银行", 18},         {"622521", "上海浦东发展银行", 16},
    {"621792", "上海浦东发展银行", 16}, {"622690", "中信银行", 16},
    {"621771", "中信银行", 16},         {"622660", "中国光大银行", 16},
    {"621491", "中国光大银行", 16},     {"622630", "华夏银行", 16},
    {"623020", "华夏银行", 16},         {"622622", "中国民生银行", 16},
    {"621691", "中国民生银行", 16},     {"622298", "平安银行", 16},
    {"623058", "平安银行", 19},         {"621462", "广发银行", 19},
    {"622568", "广发银行", 19},         {"621468", "北京银行", 16},
    {"623111", "北京银行", 16},         {"622892", "上海银行", 18},
    {"623183", "上海银行", 18},         {"622173", "江苏银行", 19},
    {"621076", "江苏银行", 19},         {"622281", "宁波银行", 16},
    {"621418", "宁波银行", 19},         {"622305", "南京银行", 16},
    {"621777", "南京银行", 16},         {"622878", "杭州银行", 18},
    {"623061", "杭州银行", 18},         {"621268", "渤海银行", 16},
    {"622884", "渤海银行", 16},         {"622384", "恒丰银行", 17},
    {"623078", "恒丰银行", 19},
};

constexpr uint64_t kPow10[] = {
    1ULL,           10ULL,           100ULL,          1000ULL,      10000ULL,
    100000ULL,      1000000ULL,      10000000ULL,     100000000ULL, 1000000000ULL,
    10000000000ULL, 100000000000ULL, 1000000000000ULL};

// Multiplying by an odd number not divisible by 5 is a bijection modulo 10^k: unique numbers
// without remembering which were handed out.
constexpr uint64_t kScatter = 982451653ULL;

void WriteDigits(char* out, uint64_t v, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
}

constexpr std::string_view kSurnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡",
    "郭", "何", "林", "罗", "高", "郑", "梁", "谢", "宋", "唐", "韦", "冯", "邓", "许", "苏"};
constexpr std::string_view kGiven[] = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋",
                                       "勇", "艳", "杰", "娟", "涛", "明", "超", "秀", "霞", "平",
                                       "刚", "桂", "英", "华", "建", "国", "志", "红", "玉", "兰",
                                       "海", "鹏", "飞", "婷", "宇", "浩", "欣", "晨", "佳", "文"};

}  // namespace

std::span<const Issuer> Issuers() { return kIssuers; }

int IssuingInstitutions() {
  int n = 0;
  for (size_t i = 0; i < std::size(kIssuers); ++i)
    if (i == 0 || kIssuers[i].institution != kIssuers[i - 1].institution) ++n;
  return n;
}

Result<std::span<const Issuer>> IssuersOfFirstBanks(int banks) {
  const int most = IssuingInstitutions();
  if (banks < 1 || banks > most) {
    return Status::Invalid("gen: --banks must be 1.." + std::to_string(most))
        .WithZh("gen：--banks 须在 1 到 " + std::to_string(most) + " 之间");
  }
  size_t end = 0;
  for (int seen = 0; end < std::size(kIssuers); ++end) {
    if (end == 0 || kIssuers[end].institution != kIssuers[end - 1].institution) {
      if (seen == banks) break;
      ++seen;
    }
  }
  return std::span<const Issuer>(kIssuers, end);
}

char LuhnCheckDigit(std::string_view digits) {
  int sum = 0;
  bool twice = true;  // the rightmost digit of the payload is doubled once the check is appended
  for (size_t i = digits.size(); i-- > 0;) {
    int d = digits[i] - '0';
    if (twice) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
    twice = !twice;
  }
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

bool LuhnValid(std::string_view digits) {
  if (digits.size() < 2) return false;
  for (char c : digits)
    if (c < '0' || c > '9') return false;
  return LuhnCheckDigit(digits.substr(0, digits.size() - 1)) == digits.back();
}

int CardNumberTo(char* out, const Issuer& issuer, uint64_t index, uint64_t salt) {
  const int body = issuer.length - 7;
  const uint64_t mod = kPow10[body];
  const uint64_t v = ((index % mod) * kScatter + salt % mod) % mod;
  std::memcpy(out, issuer.bin.data(), 6);
  WriteDigits(out + 6, v, body);
  out[issuer.length - 1] = LuhnCheckDigit(std::string_view(out, issuer.length - 1));
  return issuer.length;
}

std::string CardNumber(const Issuer& issuer, uint64_t index, uint64_t salt) {
  char buf[24];
  return std::string(buf, CardNumberTo(buf, issuer, index, salt));
}

std::string PersonPhone(uint64_t index, uint64_t salt) {
  char buf[12] = "13";
  const uint64_t mod = kPow10[9];
  WriteDigits(buf + 2, ((index % mod) * kScatter + salt % mod) % mod, 9);
  return std::string(buf, 11);
}

std::string FullName(uint64_t h) {
  std::string name(kSurnames[h % std::size(kSurnames)]);
  h /= std::size(kSurnames);
  name += kGiven[h % std::size(kGiven)];
  h /= std::size(kGiven);
  if (h % 3 != 0) name += kGiven[(h / 3) % std::size(kGiven)];
  return name;
}

std::string MaskedName(uint64_t h) {
  return std::string(kSurnames[h % std::size(kSurnames)]) + "某";
}

std::string FullWidth(std::string_view ascii) {
  std::string out;
  for (unsigned char c : ascii) {
    if (c > 0x20 && c < 0x7f) {
      const unsigned cp = 0xFF01 + (c - 0x21);  // U+FF01..U+FF5E, three bytes in UTF-8
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string NoisyPhone(std::string_view d, Rng& rng) {
  const std::string a(d.substr(0, 3)), b(d.substr(3, 4)), c(d.substr(7));
  switch (rng.Below(7)) {
    case 0:
      return "+86 " + a + " " + b + " " + c;
    case 1:
      return a + "-" + b + "-" + c;
    case 2:
      return FullWidth(d);
    case 3:
      return "+86" + std::string(d);
    case 4:
      return a + " " + b + " " + c;
    case 5:
      return "0086-" + std::string(d);
    default:
      return std::string(d);
  }
}

std::string NoisyAccount(std::string_view account, Rng& rng) {
  switch (rng.Below(5)) {
    case 0:
    case 1: {
      std::string out;
      for (size_t i = 0; i < account.size(); ++i) {
        if (i > 0 && i % 4 == 0) out += ' ';
        out += account[i];
      }
      return out;
    }
    case 2:
      return FullWidth(account);
    case 3: {
      std::string out(account);
      if (out.size() > 10) out.insert(6, "-");
      return out;
    }
    default:
      return std::string(account);
  }
}

std::string NoisyUrl(std::string_view domain, Rng& rng) {
  std::string mixed(domain);
  if (rng.Chance(400))
    for (size_t i = 0; i < mixed.size(); i += 3)
      mixed[i] = static_cast<char>(std::toupper(mixed[i]));
  static constexpr std::string_view kPaths[] = {"/pay?id=", "/item/", "/order/",
                                                "/#/login?code=", "/index.html?from=wx&u="};
  const std::string tail =
      std::string(kPaths[rng.Below(std::size(kPaths))]) + std::to_string(rng.Between(1, 99999));
  switch (rng.Below(5)) {
    case 0:
      return "http://www." + mixed + tail;
    case 1:
      return "HTTPS://" + mixed + tail;
    case 2:
      return mixed;
    case 3:
      return "https://m." + mixed + ":443" + tail;
    default:
      return "http://" + mixed + "/";
  }
}

}  // namespace fanzha::gen
