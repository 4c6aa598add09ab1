#include "warn/keys.h"

#include <functional>
#include <vector>

#include "core/text.h"
#include "normalise/normalise.h"

namespace fanzha::warn {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiAlnum(char c) { return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// 1[3-9]x xxxx xxxx: the mobile ranges in use.
bool IsCnMobile(std::string_view d) { return d.size() == 11 && d[0] == '1' && d[1] >= '3'; }

// The fast path: ASCII digits with optional '+' and separators, for forms whose E.164 is certain.
bool FastPhone(std::string_view raw, std::string* out) {
  char digits[24];
  size_t n = 0;
  bool plus = false;
  for (char c : raw) {
    if (IsDigit(c)) {
      if (n == sizeof(digits)) return false;
      digits[n++] = c;
    } else if (c == '+' && n == 0 && !plus) {
      plus = true;
    } else if (c != ' ' && c != '-' && c != '(' && c != ')' && c != '.') {
      return false;
    }
  }
  std::string_view d(digits, n);
  if (plus || d.starts_with("00")) {
    d.remove_prefix(plus ? 0 : 2);
    if (!d.starts_with("86") || !IsCnMobile(d.substr(2))) return false;
    d.remove_prefix(2);
  } else if (d.size() >= 10 && d.size() <= 12 && d[0] == '0' && d[1] != '0') {
    d.remove_prefix(1);  // fixed line with its trunk prefix: 0772-2345678
  } else if (!IsCnMobile(d)) {
    return false;
  }
  out->assign("+86");
  out->append(d);
  return true;
}

void FoldLower(std::string_view raw, bool lower, bool upper, bool strip_separators,
               std::string* out) {
  std::string folded;
  if (!IsAscii(raw)) {
    folded = FoldAsciiWidth(raw);
    raw = folded;
  }
  raw = Trim(raw);
  out->clear();
  for (char c : raw) {
    if (strip_separators && (c == ' ' || c == '-')) continue;
    if (lower && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    out->push_back(c);
  }
}

// What the fast path takes in a URL's host and in its path, query and fragment: characters curl
// leaves as they are. Anything else ('%', spaces, "/./" segments, odd hosts) goes to libcurl.
bool PlainHost(std::string_view host) {
  for (char c : host) {
    if (!IsAsciiAlnum(c) && c != '.' && c != '-') return false;
  }
  // The slow path wants a dot (or an IP) and labels that IDNA takes: not empty, no '-' at an end.
  if (host.find('.') == std::string_view::npos || host.front() == '.' || host.front() == '-' ||
      host.back() == '-')
    return false;
  for (std::string_view bad : {"..", ".-", "-."}) {
    if (host.find(bad) != std::string_view::npos) return false;
  }
  return true;
}
bool PlainTail(std::string_view tail) {
  for (char c : tail) {
    if (!IsAsciiAlnum(c) &&
        std::string_view("-._~/?#=&+,;:@!$*()'").find(c) == std::string_view::npos)
      return false;
  }
  return tail.find("/.") == std::string_view::npos;
}

// The plain forms of nearly every event ("kouzhao.cn/pay", "HTTPS://Kouzhao.cn:443/a?b#c") without
// libcurl; false (nothing decided) for anything the slow path could write differently, so that
// both paths give one key and a key is its own key.
bool FastUrl(std::string_view raw, std::string* url, std::string* host) {
  raw = Trim(raw);
  if (raw.empty() || !IsAscii(raw)) return false;
  url->clear();
  size_t scheme_end = raw.find("://");
  std::string_view rest = raw;
  if (scheme_end == std::string_view::npos) {
    url->assign("http");
  } else {
    for (char c : raw.substr(0, scheme_end)) {
      url->push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    }
    if (*url != "http" && *url != "https") return false;
    rest = raw.substr(scheme_end + 3);
  }
  size_t auth_end = rest.find_first_of("/?#");
  std::string_view auth = rest.substr(0, auth_end);
  std::string_view tail = auth_end == std::string_view::npos ? "" : rest.substr(auth_end);
  if (size_t at = auth.rfind('@'); at != std::string_view::npos) auth.remove_prefix(at + 1);
  if (size_t colon = auth.rfind(':'); colon != std::string_view::npos) {
    std::string_view port = auth.substr(colon + 1);
    for (char c : port) {
      if (!IsDigit(c)) return false;
    }
    bool is_default =
        port.empty() || (port == "80" && *url == "http") || (port == "443" && *url == "https");
    if (!is_default) return false;
    auth = auth.substr(0, colon);
  }
  while (!auth.empty() && auth.back() == '.') auth.remove_suffix(1);
  if (!PlainHost(auth) || !PlainTail(tail)) return false;
  // A bare "ftp." host is guessed to be ftp:// by the slow path.
  if (scheme_end == std::string_view::npos && AsciiLower(auth.substr(0, 4)) == "ftp.") return false;
  host->clear();
  for (char c : auth) host->push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  if (size_t hash = tail.find('#'); hash != std::string_view::npos) tail = tail.substr(0, hash);
  url->append("://");
  url->append(*host);
  if (tail.empty() || tail[0] != '/') url->push_back('/');
  url->append(tail);
  return true;
}

}  // namespace

void PhoneKey(std::string_view raw, std::string* out) {
  if (FastPhone(raw, out)) return;
  // Service numbers (95588, 10690000...) repeat: a small per-thread cache spares libphonenumber.
  struct Slot {
    std::string raw, key;
  };
  thread_local std::vector<Slot> cache(1024);
  Slot& slot = cache[std::hash<std::string_view>{}(raw)&1023];
  if (!slot.raw.empty() && slot.raw == raw) {
    *out = slot.key;
    return;
  }
  normalise::Phone p = normalise::NormalisePhone(raw);
  if (p.valid || !FastPhone(p.e164, out)) *out = std::move(p.e164);
  slot.raw.assign(raw);
  slot.key = *out;
}

std::string PhoneKey(std::string_view raw) {
  std::string out;
  PhoneKey(raw, &out);
  return out;
}

void AccountKey(std::string_view raw, std::string* out) {
  if (IsAscii(raw)) {
    FoldLower(raw, false, true, true, out);
  } else {
    *out = normalise::NormaliseAccount(raw);
  }
}

std::string AccountKey(std::string_view raw) {
  std::string out;
  AccountKey(raw, &out);
  return out;
}

void SocialKey(std::string_view raw, std::string* out) { FoldLower(raw, true, false, false, out); }

std::string SocialKey(std::string_view raw) {
  std::string out;
  SocialKey(raw, &out);
  return out;
}

std::string PlainKey(std::string_view raw) {
  std::string out;
  FoldLower(raw, false, false, false, &out);
  return out;
}

bool UrlKey(std::string_view raw, std::string* url, std::string* host) {
  if (FastUrl(raw, url, host)) return true;
  normalise::Url u = normalise::NormaliseUrl(raw);
  if (!u.valid) {
    *url = u.url;
    host->clear();
    return false;
  }
  if (FastUrl(u.url, url, host)) return true;
  *url = u.url;
  *host = u.host;
  return !host->empty();
}

std::string UrlKey(std::string_view raw) {
  std::string url, host;
  UrlKey(raw, &url, &host);
  return url;
}

std::string DomainKey(std::string_view url_or_host) {
  std::string url, host;
  if (!UrlKey(url_or_host, &url, &host)) return "";
  return normalise::DomainOf(host);
}

}  // namespace fanzha::warn
