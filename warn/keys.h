// Match keys: the normalised form of an identifier under which the watchlist indexes it and under
// which an event's identifiers are looked up. Both sides go through these functions, so a value
// matches whatever its format ("+86 177 7212 3456", "177-7212-3456", "１７７７２１２３４５６").
//
// Speed: each function has a fast path for the plain ASCII forms that make up nearly all events
// (no allocation when `out` has capacity, tens of nanoseconds) and falls back to normalise/
// (libphonenumber, libcurl + libpsl, ICU) for anything else. All functions are thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace fanzha::warn {

// E.164 for a Chinese mobile or fixed number ("+8613900001111"); numbers that do not parse are
// kept as their cleaned text (never dropped). Writes into *out (cleared first).
void PhoneKey(std::string_view raw, std::string* out);
std::string PhoneKey(std::string_view raw);

// Bank or platform account: spaces and dashes removed, full-width folded, letters upper-cased.
void AccountKey(std::string_view raw, std::string* out);
std::string AccountKey(std::string_view raw);

// WeChat / QQ / Alipay ids and e-mail addresses: trimmed, full-width folded, lower-cased.
void SocialKey(std::string_view raw, std::string* out);
std::string SocialKey(std::string_view raw);

// Devices, IPs and other ids: trimmed, full-width folded.
std::string PlainKey(std::string_view raw);

// A URL in canonical form: lower-case scheme and host, "http://" added to a bare host, user info,
// default port and fragment removed, "/" for an empty path ("HTTP://Kouzhao-Sale.cn:80#x" ->
// "http://kouzhao-sale.cn/"). `host` receives the host. Returns false when there is no host.
bool UrlKey(std::string_view raw, std::string* url, std::string* host);
std::string UrlKey(std::string_view raw);

// The registrable domain of a URL or host by the public suffix list ("www.kouzhao.com.cn" ->
// "kouzhao.com.cn"); empty when there is none. Slow (libpsl): used when lists are built, not per
// event (events look up every label suffix of the host instead, see Watchlist::FindHost).
std::string DomainKey(std::string_view url_or_host);

}  // namespace fanzha::warn
