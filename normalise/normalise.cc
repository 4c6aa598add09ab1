#include "normalise/normalise.h"

#include <curl/curl.h>
#include <libpsl.h>
#include <phonenumbers/geocoding/phonenumber_offline_geocoder.h>
#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uidna.h>
#include <unicode/unistr.h>

#include <memory>
#include <opencc/SimpleConverter.hpp>
#include <unordered_map>
#include <vector>

#include "core/text.h"

namespace fanzha::normalise {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberOfflineGeocoder;
using i18n::phonenumbers::PhoneNumberUtil;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Phones

// Full-width forms folded, then the separators people type inside numbers removed; "00" and a
// bare "86" before an 11-digit mobile become "+" / "+86" so that every spelling of one number
// reaches libphonenumber in the same shape.
std::string CleanPhone(std::string_view raw) {
  std::string folded = FoldAsciiWidth(Trim(raw));
  std::string out;
  out.reserve(folded.size());
  for (char c : folded) {
    if (c == ' ' || c == '-' || c == '(' || c == ')' || c == '.' || c == '/' || c == '\t') continue;
    out.push_back(c);
  }
  if (out.size() > 2 && out[0] == '0' && out[1] == '0' && AllDigits(out)) {
    out.replace(0, 2, "+");
  } else if (out.size() == 13 && out.compare(0, 3, "861") == 0 && AllDigits(out)) {
    out.insert(0, "+");
  }
  return out;
}

const PhoneNumberUtil& Util() { return *PhoneNumberUtil::GetInstance(); }

// The geocoder guards its lazily loaded tables with its own mutex, so one instance serves all
// threads.
const PhoneNumberOfflineGeocoder& Geocoder() {
  static const auto* geocoder = new PhoneNumberOfflineGeocoder();
  return *geocoder;
}

// Only the area below the country: "广西来宾市" for a Chinese number, "" when the geocoder knows
// nothing finer than "中国". For other countries the geocoder's zh name of the place ("美国",
// "香港").
std::string CityOf(const PhoneNumber& number) {
  std::string city =
      Geocoder().GetDescriptionForValidNumber(number, icu::Locale::getChinese(), "CN");
  // Some Chinese blocks (IoT, satellite) are described only as "中国": no city is known.
  if (number.country_code() == 86 && city == "中国") city.clear();
  return city;
}

// The common case on the hot path: an 11-digit Chinese mobile number (optionally "+86") skips the
// regex-driven parser; libphonenumber still decides validity and the city.
bool ParseChineseMobile(std::string_view cleaned, PhoneNumber* number) {
  if (cleaned.size() == 14 && cleaned.substr(0, 3) == "+86") cleaned.remove_prefix(3);
  if (cleaned.size() != 11 || cleaned[0] != '1' || !AllDigits(cleaned)) return false;
  uint64_t national = 0;
  for (char c : cleaned) national = national * 10 + static_cast<uint64_t>(c - '0');
  number->set_country_code(86);
  number->set_national_number(national);
  return true;
}

// Validity and city of a Chinese mobile number depend only on its first 7 digits, the block
// (号段) an operator assigns: libphonenumber's CN mobile patterns fix at most 5 leading digits and
// its geocoder keys CN mobiles by 7. libphonenumber's answer for a block is therefore computed
// once per thread and reused, which skips a dozen regex matches per number; normalise_test checks
// this against NormalisePhoneReference for every block 130-199.
// Per thread: a 2-byte entry for each of the 10^6 blocks 1000000..1999999 (2 MB, allocated on
// first use) indexing a short list of the distinct cities (a few hundred).
constexpr uint16_t kUnknownBlock = 0;
constexpr uint16_t kInvalidBlock = 1;
constexpr uint16_t kFirstCity = 2;

std::vector<std::string>& BlockCities() {
  thread_local std::vector<std::string> cities;
  return cities;
}

uint16_t CityEntry(std::string city) {
  thread_local std::unordered_map<std::string, uint16_t> index;
  auto [it, inserted] =
      index.try_emplace(city, static_cast<uint16_t>(BlockCities().size() + kFirstCity));
  if (inserted) BlockCities().push_back(std::move(city));
  return it->second;
}

// `number` is +86 followed by 11 digits starting with 1 (ParseChineseMobile).
uint16_t MobileBlockEntry(const PhoneNumber& number) {
  thread_local std::vector<uint16_t> blocks;
  if (blocks.empty()) blocks.assign(1000000, kUnknownBlock);
  uint16_t& entry = blocks[number.national_number() / 10000 - 1000000];
  if (entry == kUnknownBlock) {
    entry = Util().IsValidNumber(number) ? CityEntry(CityOf(number)) : kInvalidBlock;
  }
  return entry;
}

// ---------------------------------------------------------------------------------------------
// URLs

struct CurlUrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
using CurlUrl = std::unique_ptr<CURLU, CurlUrlDeleter>;

std::string CurlGet(CURLU* u, CURLUPart part, unsigned flags = 0) {
  char* s = nullptr;
  if (curl_url_get(u, part, &s, flags) != CURLUE_OK || s == nullptr) return {};
  std::string out(s);
  curl_free(s);
  return out;
}

// Undoes the defanging that threat reports apply so that nobody clicks by accident.
std::string Refang(std::string s) {
  auto replace_all = [&s](std::string_view from, std::string_view to) {
    for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) {
      s.replace(p, from.size(), to);
    }
  };
  replace_all("[.]", ".");
  replace_all("(.)", ".");
  replace_all("[dot]", ".");
  replace_all("[:]", ":");
  std::string lower = AsciiLower(s.substr(0, 5));
  if (lower.rfind("hxxp", 0) == 0) s.replace(0, 4, "http");
  return s;
}

// Ideographic full stops (U+3002 "。", U+FF61 "｡") typed as dots between host labels. Only the
// authority is touched: the same character in a path is content, not a separator.
std::string FixHostDots(std::string s) {
  size_t begin = s.find("://");
  begin = begin == std::string::npos ? 0 : begin + 3;
  size_t end = s.find_first_of("/?#", begin);
  if (end == std::string::npos) end = s.size();
  std::string host = s.substr(begin, end - begin);
  for (std::string_view dot : {"\xE3\x80\x82", "\xEF\xBD\xA1"}) {
    for (size_t p = host.find(dot); p != std::string::npos; p = host.find(dot, p + 1)) {
      host.replace(p, dot.size(), ".");
    }
  }
  return s.substr(0, begin) + host + s.substr(end);
}

// UTS #46 (the mapping browsers use): lower-cases, folds full-width forms and converts to punycode.
// A UIDNA object is immutable after opening and may be shared between threads.
Result<std::string> HostToAscii(const std::string& host) {
  if (IsAscii(host)) return AsciiLower(host);
  static UIDNA* idna = [] {
    UErrorCode status = U_ZERO_ERROR;
    return uidna_openUTS46(UIDNA_NONTRANSITIONAL_TO_ASCII, &status);
  }();
  if (idna == nullptr) return Status::Internal("ICU UTS46 is not available");
  char buf[512];
  UIDNAInfo info = UIDNA_INFO_INITIALIZER;
  UErrorCode status = U_ZERO_ERROR;
  int32_t n = uidna_nameToASCII_UTF8(idna, host.data(), static_cast<int32_t>(host.size()), buf,
                                     sizeof buf, &info, &status);
  if (U_FAILURE(status) || info.errors != 0 || n <= 0 || n >= static_cast<int32_t>(sizeof buf)) {
    return Status::Invalid("host is not a valid international domain name: " + host)
        .WithZh("主机名不是有效的国际化域名：" + host);
  }
  return std::string(buf, static_cast<size_t>(n));
}

// RFC 3986 6.2.2.1: "%e8" and "%E8" are the same octet; upper case is the canonical spelling
// (curl writes the escapes it makes in lower case).
std::string UpperPercentEscapes(std::string url) {
  for (size_t i = 0; i + 2 < url.size(); ++i) {
    if (url[i] != '%') continue;
    for (size_t k = i + 1; k <= i + 2; ++k) {
      if (url[k] >= 'a' && url[k] <= 'f') url[k] = static_cast<char>(url[k] - 'a' + 'A');
    }
  }
  return url;
}

bool IsIpLiteral(std::string_view host) {
  if (!host.empty() && host.front() == '[') return true;  // curl keeps IPv6 in brackets
  for (char c : host) {
    if (!IsDigit(c) && c != '.') return false;
  }
  return !host.empty();
}

// psl_latest picks the newer of the built-in list and Debian's /usr/share/publicsuffix file; the
// built-in list alone still works when the file is missing. Read-only after loading.
const psl_ctx_t* Psl() {
  static const psl_ctx_t* psl = [] {
    const psl_ctx_t* latest = psl_latest(nullptr);
    return latest != nullptr ? latest : psl_builtin();
  }();
  return psl;
}

std::string RegistrableDomain(const std::string& host) {
  if (IsIpLiteral(host)) return host;
  if (Psl() == nullptr) return {};
  const char* d = psl_registrable_domain(Psl(), host.c_str());
  return d == nullptr ? std::string() : std::string(d);
}

Result<Url> ParseUrl(std::string_view raw) {
  std::string text = FixHostDots(Refang(FoldAsciiWidth(Trim(raw))));
  if (text.empty()) return Status::Invalid("empty URL").WithZh("网址为空");
  CurlUrl u(curl_url());
  if (!u) return Status::Internal("curl_url failed");
  // GUESS_SCHEME: a bare host gets http:// (ftp:// for "ftp." hosts), as a browser would.
  // URLENCODE: non-ASCII in the path and query is percent-encoded, so "/购买" and its encoded
  // form are one URL.
  CURLUcode rc =
      curl_url_set(u.get(), CURLUPART_URL, text.c_str(), CURLU_GUESS_SCHEME | CURLU_URLENCODE);
  if (rc != CURLUE_OK)
    return Status::Invalid(std::string("bad URL: ") + curl_url_strerror(rc))
        .WithZh(std::string("网址无效：") + curl_url_strerror(rc));
  std::string host = CurlGet(u.get(), CURLUPART_HOST);
  while (!host.empty() && host.back() == '.') host.pop_back();  // "kouzhao.cn." is the same host
  if (host.empty()) return Status::Invalid("URL has no host").WithZh("网址中没有主机名");
  FANZHA_ASSIGN_OR_RETURN(std::string ascii_host, HostToAscii(host));
  if (ascii_host.find('.') == std::string::npos && !IsIpLiteral(ascii_host) &&
      ascii_host != "localhost") {
    // "pay" or a typo, not a site
    return Status::Invalid("host has no dot: " + ascii_host)
        .WithZh("主机名中没有点（.），不是网站域名：" + ascii_host);
  }
  if (curl_url_set(u.get(), CURLUPART_HOST, ascii_host.c_str(), 0) != CURLUE_OK ||
      curl_url_set(u.get(), CURLUPART_FRAGMENT, nullptr, 0) != CURLUE_OK) {
    return Status::Invalid("bad host: " + ascii_host).WithZh("主机名无效：" + ascii_host);
  }
  Url url;
  url.url = UpperPercentEscapes(CurlGet(u.get(), CURLUPART_URL, CURLU_NO_DEFAULT_PORT));
  url.host = ascii_host;
  url.domain = RegistrableDomain(ascii_host);
  url.valid = !url.url.empty();
  return url;
}

// ---------------------------------------------------------------------------------------------
// Text

// OpenCC's SimpleConverter only reads its dictionaries after construction (Convert is const and
// keeps no state), so one converter is shared by all threads. Null when the config is missing.
const opencc::SimpleConverter* T2s() {
  static const opencc::SimpleConverter* converter = []() -> const opencc::SimpleConverter* {
    try {
      return new opencc::SimpleConverter(OPENCC_T2S_CONFIG);
    } catch (const std::exception&) {
      return nullptr;
    }
  }();
  return converter;
}

std::string Nfkc(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  if (U_FAILURE(status)) return std::string(text);
  icu::UnicodeString in = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  icu::UnicodeString out = nfkc->normalize(in, status);
  if (U_FAILURE(status)) return std::string(text);
  std::string utf8;
  out.toUTF8String(utf8);
  return utf8;
}

std::string FoldedTrimmed(std::string_view raw) { return std::string(Trim(FoldAsciiWidth(raw))); }

std::string DigitsOnly(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (IsDigit(c)) out.push_back(c);
  }
  return out;
}

}  // namespace

Phone NormalisePhoneReference(std::string_view raw) {
  Phone phone;
  phone.e164 = CleanPhone(raw);
  PhoneNumber number;
  if (!ParseChineseMobile(phone.e164, &number) &&
      Util().Parse(phone.e164, "CN", &number) != PhoneNumberUtil::NO_PARSING_ERROR) {
    return phone;
  }
  if (!Util().IsValidNumber(number)) return phone;
  phone.valid = true;
  Util().Format(number, PhoneNumberUtil::E164, &phone.e164);
  phone.city = CityOf(number);
  return phone;
}

Phone NormalisePhone(std::string_view raw) {
  Phone phone;
  phone.e164 = CleanPhone(raw);
  PhoneNumber number;
  if (!ParseChineseMobile(phone.e164, &number)) return NormalisePhoneReference(raw);
  const uint16_t entry = MobileBlockEntry(number);
  if (entry == kInvalidBlock) return phone;
  phone.valid = true;
  phone.e164 = "+86" + std::to_string(number.national_number());
  phone.city = BlockCities()[entry - kFirstCity];
  return phone;
}

Url NormaliseUrl(std::string_view raw) {
  Result<Url> url = ParseUrl(raw);
  if (url.ok()) return std::move(url).value();
  Url bad;
  bad.url = std::string(Trim(FoldAsciiWidth(raw)));
  return bad;
}

std::string DomainOf(std::string_view url_or_host) { return NormaliseUrl(url_or_host).domain; }

std::string NormaliseAccount(std::string_view raw) {
  std::string folded = FoldAsciiWidth(raw);
  std::string out;
  out.reserve(folded.size());
  for (char c : folded) {
    if (c == ' ' || c == '-' || c == '\t' || c == '\r' || c == '\n') continue;
    out.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  }
  return out;
}

std::string NormaliseText(std::string_view raw) {
  // ASCII is already NFKC and has no Traditional characters: skip ICU and OpenCC.
  if (IsAscii(raw)) return AsciiLower(raw);
  std::string text = Nfkc(raw);
  if (const opencc::SimpleConverter* t2s = T2s()) text = t2s->Convert(text);
  return AsciiLower(text);
}

std::string NormaliseIdCard(std::string_view raw) {
  std::string out;
  for (char c : FoldAsciiWidth(raw)) {
    if (c == ' ' || c == '-' || c == '\t') continue;
    out.push_back(c == 'x' ? 'X' : c);
  }
  return out;
}

namespace {

// The check digit of the first 17 digits (GB 11643, ISO 7064 MOD 11-2).
char IdCardCheckDigit(std::string_view digits17) {
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (digits17[i] - '0') * kWeights[i];
  return "10X98765432"[sum % 11];
}

}  // namespace

std::string IdCardProblem(std::string_view n, bool zh) {
  if (n.size() != 18)
    return zh ? "共 " + std::to_string(n.size()) + " 个字符，应为 18 个"
              : std::to_string(n.size()) + " characters, not 18";
  for (size_t i = 0; i < 17; ++i) {
    if (n[i] < '0' || n[i] > '9')
      return zh ? "第 " + std::to_string(i + 1) + " 位不是数字"
                : "character " + std::to_string(i + 1) + " is not a digit";
  }
  const char want = IdCardCheckDigit(n);
  if (n[17] != want)
    return zh ? "校验码应为 " + std::string(1, want) + "，而非 " + Excerpt(n.substr(17))
              : "the check digit should be " + std::string(1, want) + ", not " +
                    Excerpt(n.substr(17));
  return "";
}

bool IsValidIdCard(std::string_view n) { return IdCardProblem(n).empty(); }

Identifier NormaliseIdentifier(IdentifierType type, std::string_view raw) {
  Identifier id;
  id.type = type;
  id.raw = std::string(raw);
  switch (type) {
    case IdentifierType::kPhone: {
      Phone p = NormalisePhone(raw);
      id.value = std::move(p.e164);
      id.valid = p.valid;
      return id;
    }
    case IdentifierType::kUrl: {
      Url u = NormaliseUrl(raw);
      id.value = std::move(u.url);
      id.valid = u.valid;
      return id;
    }
    case IdentifierType::kDomain: {
      Url u = NormaliseUrl(raw);
      id.valid = u.valid && !u.domain.empty();
      id.value = id.valid ? std::move(u.domain) : std::move(u.url);
      return id;
    }
    case IdentifierType::kAccount:
      id.value = NormaliseAccount(raw);
      break;
    case IdentifierType::kEmail:
      id.value = AsciiLower(FoldedTrimmed(raw));
      id.valid = id.value.find('@') != std::string::npos && id.value.front() != '@' &&
                 id.value.back() != '@';
      return id;
    case IdentifierType::kQq: {
      // QQ numbers are 5 to 11 digits; "QQ: 123 456 789" is the same number.
      std::string digits = DigitsOnly(FoldAsciiWidth(raw));
      id.valid = digits.size() >= 5 && digits.size() <= 11 && digits[0] != '0';
      id.value = id.valid ? std::move(digits) : FoldedTrimmed(raw);
      return id;
    }
    case IdentifierType::kWechat:
      id.value = AsciiLower(FoldedTrimmed(raw));
      break;
    case IdentifierType::kIdCard:
      id.value = NormaliseIdCard(raw);
      id.valid = IsValidIdCard(id.value);
      return id;
    case IdentifierType::kAlipay:
    case IdentifierType::kDevice:
    case IdentifierType::kIp:
    case IdentifierType::kOther:
      id.value = FoldedTrimmed(raw);
      break;
  }
  id.valid = !id.value.empty();
  return id;
}

}  // namespace fanzha::normalise
