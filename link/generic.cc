#include "link/generic.h"

#include <algorithm>
#include <array>

namespace fanzha::link {
namespace {

constexpr std::array<std::string_view, 24> kPlatformDomains = {
    "qq.com",        "weixin.qq.com", "wechat.com", "taobao.com",      "tmall.com",
    "alipay.com",    "jd.com",        "baidu.com",  "weibo.com",       "douyin.com",
    "pinduoduo.com", "meituan.com",   "163.com",    "126.com",         "sina.com.cn",
    "sohu.com",      "apple.com",     "google.com", "xiaohongshu.com", "kuaishou.com",
    "ctrip.com",     "12306.cn",      "gov.cn",     "icbc.com.cn"};

std::string_view Digits(std::string_view v) {
  if (!v.empty() && v[0] == '+') v.remove_prefix(1);
  return v;
}

bool ServiceNumber(std::string_view phone) {
  std::string_view d = Digits(phone);
  if (!std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
  if (d.size() <= 6) return true;
  if (phone.substr(0, 3) == "+86") d.remove_prefix(2);
  return d.size() == 10 && (d.substr(0, 3) == "400" || d.substr(0, 3) == "800");
}

// The host of a normalised URL ("https://weixin.qq.com/r/1" -> "weixin.qq.com").
std::string_view Host(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme != std::string_view::npos) url.remove_prefix(scheme + 3);
  url = url.substr(0, url.find_first_of("/?#:"));
  size_t at = url.find('@');
  return at == std::string_view::npos ? url : url.substr(at + 1);
}

bool PlatformHost(std::string_view host) {
  for (std::string_view d : kPlatformDomains) {
    if (host == d) return true;
    if (host.size() > d.size() && host.substr(host.size() - d.size()) == d &&
        host[host.size() - d.size() - 1] == '.') {
      return true;
    }
  }
  return false;
}

}  // namespace

bool IsGenericValue(IdentifierType type, std::string_view value) {
  switch (type) {
    case IdentifierType::kPhone:
      return ServiceNumber(value);
    case IdentifierType::kDomain:
      return PlatformHost(value);
    case IdentifierType::kUrl:
      return PlatformHost(Host(value));
    default:
      return false;
  }
}

}  // namespace fanzha::link
