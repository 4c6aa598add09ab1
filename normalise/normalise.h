// Normalisation of the identifiers and text that reports contain (FORMATS.md "Common value rules").
// Formatting must never matter: "+86 177 7212 3456", "177-7212-3456" and full-width
// "１７７７２１２３４５６" are one phone. A value that does not parse is kept raw and flagged,
// never dropped. All functions are thread-safe and keep no per-call state.
#pragma once

#include <string>
#include <string_view>

#include "core/model.h"

namespace fanzha::normalise {

struct Phone {
  std::string e164;  // "+8617772123456"; the cleaned raw text when !valid
  bool valid = false;
  std::string city;  // the offline geocoder's zh description, e.g. "广西来宾市"; empty if unknown
};
// Parses any common form; numbers without a country code are read as Chinese (CN). Uses
// libphonenumber; the city comes from its offline geocoder (Chinese names).
// Fast for the common case: a Chinese mobile takes about 0.2 us once its 7-digit block has been
// seen by the calling thread (libphonenumber's answer is cached per block and thread, 2 MB per
// thread); other forms go through libphonenumber's parser (5-10 us).
Phone NormalisePhone(std::string_view raw);
// The same answer straight from libphonenumber, without the block cache: the plain version the
// fast one is checked against.
Phone NormalisePhoneReference(std::string_view raw);

struct Url {
  std::string url;     // lower-case scheme and host, punycode host, default port and fragment
                       // removed; "http://" added to a bare host
  std::string host;    // "www.kouzhao.com.cn"
  std::string domain;  // registrable domain by the public suffix list: "kouzhao.com.cn"
  bool valid = false;
};
// Uses libcurl's URL API and libpsl. Also accepts defanged forms from threat reports
// ("hxxp://kouzhao[.]cn") and ideographic dots in the host ("kouzhao。cn"). For an IP literal the
// domain is the IP itself (there is no registrable domain, but it is still what links two URLs);
// for a host that is itself a public suffix ("com.cn") or a single label, domain is empty.
// !valid: url is the cleaned raw text, host and domain empty.
Url NormaliseUrl(std::string_view raw);

// The registrable domain of a URL or bare host ("HTTP://WWW.Kouzhao.com.cn/pay" ->
// "kouzhao.com.cn"); empty when there is none (see Url::domain).
std::string DomainOf(std::string_view url_or_host);

// Bank card / account ids: full-width forms folded, spaces and dashes removed, letters upper-cased.
std::string NormaliseAccount(std::string_view raw);

// Resident identity numbers (GB 11643): full-width forms folded, spaces and dashes removed, a
// lower-case 'x' upper-cased ("11010519491231002x" -> "11010519491231002X").
std::string NormaliseIdCard(std::string_view raw);
// A normalised number is valid when it has 17 digits and the check digit of ISO 7064 MOD 11-2 that
// agrees with them ('X' for 10).
bool IsValidIdCard(std::string_view normalised);
// Why a normalised number is not valid, for a message: "17 characters, not 18", "the check digit
// should be 5, not 4"; in Chinese with `zh`. Empty when it is valid.
std::string IdCardProblem(std::string_view normalised, bool zh = false);

// Text for matching: ICU NFKC (full-width letters and digits to ASCII) then OpenCC Traditional to
// Simplified ("詐騙" -> "诈骗"), lower-cased ASCII. The original text is kept by the caller.
std::string NormaliseText(std::string_view raw);

// One entry point per identifier type: phone -> E.164, account -> NormaliseAccount, url -> the
// normalised URL (its registrable domain is a separate identifier of type kDomain, see
// DomainOf), email -> lower-cased, id_card -> NormaliseIdCard (valid by its check digit),
// wechat/qq/alipay/device/ip/other -> trimmed, full-width folded (qq digits only; wechat ids
// lower-cased). Fills value and valid; keeps raw.
Identifier NormaliseIdentifier(IdentifierType type, std::string_view raw);

}  // namespace fanzha::normalise
