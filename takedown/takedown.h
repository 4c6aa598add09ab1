// Takedown requests (封停): fraud domains, URLs, phone numbers and social accounts named by the
// leads, sent to the platform that can block each, followed to an answer, and exported for the
// platforms (CSV) and for threat-intelligence platforms (a STIX 2.1 bundle).
//
// Start here: TakedownBook::FromLeads() (requests from the dispatched leads) or FromCase() (from a
// case as soon as it is reported), Move(), List(), then ToCsv() / ToStix().
//
// Platforms. A domain or URL goes to the registry of its top-level domain ("CNNIC (.cn)" for .cn,
// "registry of .top" ...); a mainland mobile number to its carrier by number block (China Mobile,
// China Unicom, China Telecom, China Broadnet, or a virtual operator for 170/171/162/165/167); a
// fixed line to "fixed-line carrier"; WeChat and QQ ids to Tencent; Alipay ids to Ant Group; an
// e-mail address to its mail domain.
//
// STIX 2.1. Domains and URLs become indicators (pattern "[domain-name:value = 'x']",
// "[url:value = 'x']", pattern_type stix); phone numbers become "phone-number" observables with
// OpenCTI's extension definition (STIX has no phone number object of its own); WeChat, QQ and
// Alipay ids become user-account observables (account_type wechat|qq|alipay); e-mail addresses
// email-addr observables. Ids are deterministic: UUIDv5 (SHA-1) in the STIX namespace over the
// object's id-contributing properties, so the same value has the same id in every export.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/status.h"
#include "core/time.h"
#include "dispatch/dispatch.h"
#include "store/store.h"

namespace fanzha::takedown {

enum class Kind { kDomain, kUrl, kPhone, kWechat, kQq, kAlipay, kEmail };
std::string_view Name(Kind k);  // "domain", "url", "phone", "wechat", "qq", "alipay", "email"
Result<Kind> ParseKind(std::string_view s);
// The takedown kind of a case identifier type ("domain", "url", "phone", ...); nullopt for the
// types nobody can take down (account, device, ip, other).
std::optional<Kind> KindOfIdentifier(std::string_view identifier_type);

// The platform that can act on a value (see above). Never empty.
std::string PlatformOf(Kind kind, std::string_view value);
// A platform as PlatformOf() names it, in Chinese as the dashboard shows it (web/src/phrases.ts):
// "中国移动", "中国互联网络信息中心（.cn）", ".top 域名注册局", "邮件服务商 qq.com"; a name it does
// not know (one stored by an older version) as it is.
std::string PlatformInChinese(std::string_view platform);

// requested -> sent -> blocked | refused (with a reason); requested -> refused too.
enum class State { kRequested, kSent, kBlocked, kRefused };
std::string_view Name(State s);
std::string_view ChineseName(State s);  // "待发送", "已发送", "已封停", "被拒绝", as the dashboard
Result<State> ParseState(std::string_view s);

struct Request {
  int64_t id = 0;
  Kind kind = Kind::kDomain;
  std::string value;
  std::string platform;
  State state = State::kRequested;
  std::string reason;
  int64_t lead_id = 0;             // the first lead that named it
  std::vector<std::string> cases;  // cases of that lead
  std::string category;
  std::string region;  // the lead's jurisdiction
  Millis created_at = 0, updated_at = 0;
};

struct Filter {
  std::string platform;
  std::optional<State> state;
  std::optional<Kind> kind;
};

class TakedownBook {
 public:
  explicit TakedownBook(store::SqlDatabase& db) : db_(db) {}
  // One request per (kind, value) named by the leads' identifiers. A value requested before keeps
  // its state, platform, lead and region, and gains the lead's cases it lacked. Returns the number
  // of new requests. One transaction.
  Result<int64_t> FromLeads(const std::vector<dispatch::StoredLead>& leads, Millis now);
  // The same for one case's valid identifiers, before any lead names them (lead 0; the case's
  // category and region). Returns the number of new requests. One transaction.
  Result<int64_t> FromCase(const Case& c, Millis now);
  // kNotFound for an unknown id, kConflict for a move the lifecycle refuses, kInvalidInput for a
  // refusal without a reason.
  Status Move(int64_t id, State to, const std::string& reason, Millis now);
  // nullopt for an unknown id.
  Result<std::optional<Request>> Get(int64_t id);
  // By platform, then id.
  Result<std::vector<Request>> List(const Filter& filter);
  // The number of requests in each state (by name). Reads only.
  Result<std::map<std::string, int64_t>> CountByState();

 private:
  store::SqlDatabase& db_;
};

// {"id","kind","value","platform","state","reason","lead","cases","category","region",
//  "created_at","updated_at"}: the columns of the CSV below, times in RFC 3339.
nlohmann::ordered_json ToJson(const Request& r);

// CSV with a header:
// id,platform,kind,value,state,reason,lead,cases,category,region,created_at,updated_at
std::string ToCsv(const std::vector<Request>& requests);

// A STIX 2.1 bundle: an identity for the sender, then one indicator or observable per request.
nlohmann::ordered_json ToStix(const std::vector<Request>& requests, Millis now,
                              const std::string& sender = "fanzha anti-fraud centre");

// RFC 4122 version 5 UUID (SHA-1) of `name` in `namespace_uuid` (canonical text form).
std::string Uuid5(std::string_view namespace_uuid, std::string_view name);

}  // namespace fanzha::takedown
