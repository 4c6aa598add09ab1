// Takedown requests, their platforms, CSV and STIX 2.1 (takedown.h).
#include "takedown/takedown.h"

#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <set>

#include "core/csv.h"
#include "core/json.h"
#include "core/names.h"

namespace fanzha::takedown {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view kKindNames[] = {"domain", "url",    "phone", "wechat",
                                           "qq",     "alipay", "email"};
constexpr std::string_view kStateNames[] = {"requested", "sent", "blocked", "refused"};
// STIX 2.1 section 2.9: the namespace of deterministic SCO ids.
constexpr std::string_view kStixNamespace = "00abedb4-aa42-466c-9c01-fed23315a9b7";
// OpenCTI's extension definition for the observable types STIX lacks (phone-number among them).
constexpr std::string_view kOpenCtiScoExtension =
    "extension-definition--f93e2c80-4231-4f9a-af8b-95c9bd566a82";

// "+86" mobile blocks by their first three digits.
std::string MobileCarrier(std::string_view block) {
  static const std::pair<const char*, const char*> kBlocks[] = {
      {"134 135 136 137 138 139 147 148 150 151 152 157 158 159 172 178 182 183 184 187 188 195 "
       "197 198",
       "China Mobile"},
      {"130 131 132 145 146 155 156 166 175 176 185 186 196", "China Unicom"},
      {"133 149 153 173 174 177 180 181 189 190 191 193 199", "China Telecom"},
      {"192", "China Broadnet"},
      {"162 165 167 170 171", "virtual operator (MVNO)"}};
  for (const auto& [blocks, carrier] : kBlocks) {
    if (std::string_view(blocks).find(block) != std::string_view::npos) return carrier;
  }
  return "mobile carrier";
}

std::string HostOf(std::string_view url) {
  size_t start = url.find("://");
  start = start == std::string_view::npos ? 0 : start + 3;
  size_t end = url.find_first_of(":/?#", start);
  return std::string(url.substr(start, end == std::string_view::npos ? url.npos : end - start));
}

std::string RegistryOf(std::string_view host) {
  size_t dot = host.rfind('.');
  std::string tld(dot == std::string_view::npos ? host : host.substr(dot + 1));
  if (tld == "cn") return "CNNIC (.cn)";
  return "registry of ." + tld;
}

// Escapes a value for a STIX pattern string literal: backslash and single quote.
std::string PatternLiteral(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c;
  }
  return out;
}

std::string IsoTime(Millis t) {
  // STIX timestamps are UTC with a Z.
  std::string s = FormatTime(t, Zone{0});
  if (s.ends_with("+00:00")) s.replace(s.size() - 6, 6, "Z");
  return s;
}

}  // namespace

std::string_view Name(Kind k) { return kKindNames[static_cast<int>(k)]; }
std::string_view Name(State s) { return kStateNames[static_cast<int>(s)]; }

Result<Kind> ParseKind(std::string_view s) {
  return ParseName<Kind>(s, kKindNames, "takedown kind", "下架请求类型");
}
Result<State> ParseState(std::string_view s) {
  return ParseName<State>(s, kStateNames, "takedown state", "下架请求状态");
}

std::optional<Kind> KindOfIdentifier(std::string_view type) {
  auto k = ParseKind(type);
  if (!k.ok()) return std::nullopt;
  return *k;
}

std::string PlatformOf(Kind kind, std::string_view value) {
  switch (kind) {
    case Kind::kDomain:
      return RegistryOf(value);
    case Kind::kUrl:
      return RegistryOf(HostOf(value));
    case Kind::kPhone:
      if (value.starts_with("+861") && value.size() == 14) return MobileCarrier(value.substr(3, 3));
      if (value.starts_with("+86")) return "fixed-line carrier";
      return "foreign carrier";
    case Kind::kWechat:
      return "Tencent (WeChat)";
    case Kind::kQq:
      return "Tencent (QQ)";
    case Kind::kAlipay:
      return "Ant Group (Alipay)";
    case Kind::kEmail: {
      size_t at = value.rfind('@');
      return "mail provider " + std::string(at == value.npos ? value : value.substr(at + 1));
    }
  }
  return "unknown platform";
}

std::string_view ChineseName(State s) {
  constexpr std::string_view kZh[] = {"待发送", "已发送", "已封停", "被拒绝"};
  return kZh[static_cast<size_t>(s)];
}

std::string PlatformInChinese(std::string_view platform) {
  static const std::pair<std::string_view, std::string_view> kNames[] = {
      {"China Mobile", "中国移动"},
      {"China Unicom", "中国联通"},
      {"China Telecom", "中国电信"},
      {"China Broadnet", "中国广电"},
      {"virtual operator (MVNO)", "虚拟运营商"},
      {"mobile carrier", "移动运营商"},
      {"fixed-line carrier", "固话运营商"},
      {"foreign carrier", "境外运营商"},
      {"Tencent (WeChat)", "腾讯（微信）"},
      {"Tencent (QQ)", "腾讯（QQ）"},
      {"Ant Group (Alipay)", "蚂蚁集团（支付宝）"},
      {"unknown platform", "未知平台"}};
  for (const auto& [en, zh] : kNames) {
    if (platform == en) return std::string(zh);
  }
  if (platform == "CNNIC (.cn)") return "中国互联网络信息中心（.cn）";
  if (platform.starts_with("registry of ")) return std::string(platform.substr(12)) + " 域名注册局";
  if (platform.starts_with("mail provider "))
    return "邮件服务商 " + std::string(platform.substr(14));
  return std::string(platform);
}

std::string Uuid5(std::string_view namespace_uuid, std::string_view name) {
  std::string data;
  for (size_t i = 0; i + 1 < namespace_uuid.size(); ++i) {
    if (namespace_uuid[i] == '-') continue;
    data += static_cast<char>(std::stoi(std::string(namespace_uuid.substr(i, 2)), nullptr, 16));
    ++i;
  }
  data.append(name);
  unsigned char hash[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(data.data()), data.size(), hash);
  hash[6] = static_cast<unsigned char>((hash[6] & 0x0f) | 0x50);
  hash[8] = static_cast<unsigned char>((hash[8] & 0x3f) | 0x80);
  char out[37];
  std::snprintf(out, sizeof out,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", hash[0],
                hash[1], hash[2], hash[3], hash[4], hash[5], hash[6], hash[7], hash[8], hash[9],
                hash[10], hash[11], hash[12], hash[13], hash[14], hash[15]);
  return out;
}

namespace {

// A deterministic STIX id: type--UUIDv5 over the canonical JSON of the id-contributing properties.
std::string StixId(std::string_view type, const nlohmann::json& contributing) {
  return std::string(type) + "--" + Uuid5(kStixNamespace, DumpJson(contributing));
}

Json Indicator(const Request& r, const std::string& creator, const std::string& time) {
  const bool domain = r.kind == Kind::kDomain;
  std::string pattern = std::string(domain ? "[domain-name:value = '" : "[url:value = '") +
                        PatternLiteral(r.value) + "']";
  return {{"type", "indicator"},
          {"spec_version", "2.1"},
          {"id", StixId("indicator", {{"pattern", pattern}})},
          {"created", time},
          {"modified", time},
          {"created_by_ref", creator},
          {"name", std::string(domain ? "fraud domain " : "fraud URL ") + r.value},
          {"indicator_types", {"malicious-activity"}},
          {"pattern", pattern},
          {"pattern_type", "stix"},
          {"valid_from", time},
          {"labels", {"fraud", r.category.empty() ? "other" : r.category}},
          {"x_fanzha_platform", r.platform},
          {"x_fanzha_state", Name(r.state)}};
}

Json Observable(const Request& r, const std::string& creator) {
  Json o;
  if (r.kind == Kind::kPhone) {
    o = {{"type", "phone-number"},
         {"spec_version", "2.1"},
         {"id", StixId("phone-number", {{"value", r.value}})},
         {"value", r.value},
         {"extensions", {{kOpenCtiScoExtension, {{"extension_type", "new-sco"}}}}}};
  } else if (r.kind == Kind::kEmail) {
    o = {{"type", "email-addr"},
         {"spec_version", "2.1"},
         {"id", StixId("email-addr", {{"value", r.value}})},
         {"value", r.value}};
  } else {
    const std::string type(Name(r.kind));
    o = {{"type", "user-account"},
         {"spec_version", "2.1"},
         {"id", StixId("user-account",
                       {{"account_login", r.value}, {"account_type", type}, {"user_id", r.value}})},
         {"account_type", type},
         {"user_id", r.value},
         {"account_login", r.value}};
  }
  o["created_by_ref"] = creator;
  o["labels"] = {"fraud", r.category.empty() ? "other" : r.category};
  o["x_fanzha_platform"] = r.platform;
  o["x_fanzha_state"] = Name(r.state);
  return o;
}

}  // namespace

Json ToStix(const std::vector<Request>& requests, Millis now, const std::string& sender) {
  const std::string time = IsoTime(now);
  const std::string creator = StixId("identity", {{"name", sender}});
  Json objects = Json::array();
  objects.push_back({{"type", "identity"},
                     {"spec_version", "2.1"},
                     {"id", creator},
                     {"created", time},
                     {"modified", time},
                     {"name", sender},
                     {"identity_class", "organization"}});
  for (const Request& r : requests) {
    const bool indicator = r.kind == Kind::kDomain || r.kind == Kind::kUrl;
    objects.push_back(indicator ? Indicator(r, creator, time) : Observable(r, creator));
  }
  return {{"type", "bundle"},
          {"id", "bundle--" + Uuid5(kStixNamespace, "bundle " + std::to_string(now) + " " +
                                                        std::to_string(requests.size()))},
          {"objects", objects}};
}

Json ToJson(const Request& r) {
  return {{"id", r.id},
          {"kind", Name(r.kind)},
          {"value", r.value},
          {"platform", r.platform},
          {"state", Name(r.state)},
          {"reason", r.reason},
          {"lead", r.lead_id},
          {"cases", r.cases},
          {"category", r.category},
          {"region", r.region},
          {"created_at", FormatTime(r.created_at)},
          {"updated_at", FormatTime(r.updated_at)}};
}

std::string ToCsv(const std::vector<Request>& requests) {
  std::string out =
      "id,platform,kind,value,state,reason,lead,cases,category,region,created_at,updated_at\n";
  for (const Request& r : requests) {
    std::string cases;
    for (const std::string& c : r.cases) cases += (cases.empty() ? "" : ";") + c;
    const std::string fields[] = {std::to_string(r.id),
                                  r.platform,
                                  std::string(Name(r.kind)),
                                  r.value,
                                  std::string(Name(r.state)),
                                  r.reason,
                                  std::to_string(r.lead_id),
                                  cases,
                                  r.category,
                                  r.region,
                                  FormatTime(r.created_at),
                                  FormatTime(r.updated_at)};
    for (size_t i = 0; i < std::size(fields); ++i) {
      if (i) out += ',';
      AppendCsvField(&out, fields[i]);
    }
    out += '\n';
  }
  return out;
}

}  // namespace fanzha::takedown
