#include "interchange/messages.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/json.h"
#include "core/names.h"
#include "core/text.h"

namespace fanzha::interchange {
namespace {

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;

constexpr std::pair<std::string_view, Kind> kKinds[] = {{"stop_payment", Kind::kStopPayment},
                                                        {"freeze", Kind::kFreeze},
                                                        {"renewal", Kind::kRenewal},
                                                        {"release", Kind::kRelease},
                                                        {"statement", Kind::kStatement}};

constexpr std::pair<std::string_view, AnswerStatus> kAnswerStatuses[] = {
    {"executed", AnswerStatus::kExecuted},
    {"rejected", AnswerStatus::kRejected},
    {"pending", AnswerStatus::kPending}};

bool SafeTokenChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

Status Field(const std::string& path, const std::string& what, const std::string& what_zh) {
  return Status::Invalid(path + ": " + what).WithZh(path + "：" + what_zh);
}

// Parses a JSON object of at most `max_bytes`, nested at most kMaxDepth.
Result<json> ParseObject(std::string_view bytes, size_t max_bytes, const char* what) {
  return ParseJsonObject(bytes, what, "消息", {.max_bytes = max_bytes, .max_depth = kMaxDepth});
}

const json* Member(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it == obj.end() || it->is_null() ? nullptr : &*it;
}

Result<std::string> Text(const json& obj, const char* key, const std::string& path, size_t max,
                         bool required = true) {
  std::string field = path.empty() ? key : path + "." + key;
  const json* v = Member(obj, key);
  if (!v) {
    if (required) return Field(field, "missing", "缺失");
    return std::string();
  }
  if (!v->is_string()) return Field(field, "not a string", "不是字符串");
  const std::string& s = v->get_ref<const std::string&>();
  if (s.size() > max)
    return Field(field, "longer than " + std::to_string(max) + " bytes",
                 "超过 " + std::to_string(max) + " 字节");
  if (required && s.empty()) return Field(field, "empty", "为空");
  return s;
}

Result<Fen> MoneyOf(const json& obj, const char* key, const std::string& path) {
  FANZHA_ASSIGN_OR_RETURN(std::string text, Text(obj, key, path, 32));
  Result<Fen> fen = ParseMoney(text);
  if (!fen.ok()) return Field(path + "." + key, fen.status().message(), fen.status().zh());
  return *fen;
}

Result<Millis> TimeOf(const json& obj, const char* key, const std::string& path,
                      bool required = true) {
  FANZHA_ASSIGN_OR_RETURN(std::string text, Text(obj, key, path, 64, required));
  if (text.empty()) return Millis{0};
  Result<Millis> t = ParseTime(text);
  if (!t.ok())
    return Field(path.empty() ? key : path + "." + key, t.status().message(), t.status().zh());
  return *t;
}

Result<int64_t> IntOf(const json& obj, const char* key, const std::string& path, int64_t lo,
                      int64_t hi, bool required = true) {
  std::string field = path.empty() ? key : path + "." + key;
  const json* v = Member(obj, key);
  if (!v) {
    if (required) return Field(field, "missing", "缺失");
    return lo;
  }
  if (!v->is_number_integer()) return Field(field, "not a whole number", "不是整数");
  int64_t n = v->is_number_unsigned() && v->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)
                  ? INT64_MAX
                  : v->get<int64_t>();
  if (n < lo || n > hi) {
    return Field(field, "out of range (" + std::to_string(lo) + " to " + std::to_string(hi) + ")",
                 "超出范围（" + std::to_string(lo) + " 至 " + std::to_string(hi) + "）");
  }
  return n;
}

Result<const json*> ObjectOf(const json& obj, const char* key, const std::string& path,
                             bool required = true) {
  std::string field = path.empty() ? key : path + "." + key;
  const json* v = Member(obj, key);
  if (!v) {
    if (required) return Field(field, "missing", "缺失");
    return static_cast<const json*>(nullptr);
  }
  if (!v->is_object()) return Field(field, "not an object", "不是对象");
  return v;
}

ojson PartyJson(const Party& p) { return {{"name", p.name}, {"unit", p.unit}}; }
ojson AccountJson(const AccountRef& a) { return {{"number", a.number}, {"name", a.name}}; }

Result<Party> ParseParty(const json& obj, const std::string& path) {
  FANZHA_ASSIGN_OR_RETURN(const json* p, ObjectOf(obj, "requested_by", path));
  std::string here = path + ".requested_by";
  Party party;
  FANZHA_ASSIGN_OR_RETURN(party.name, Text(*p, "name", here, kMaxNameBytes));
  FANZHA_ASSIGN_OR_RETURN(party.unit, Text(*p, "unit", here, kMaxNameBytes, false));
  return party;
}

Result<AccountRef> ParseAccount(const json& obj, const std::string& path, bool name_required) {
  FANZHA_ASSIGN_OR_RETURN(const json* a, ObjectOf(obj, "account", path));
  std::string here = path + ".account";
  AccountRef ref;
  FANZHA_ASSIGN_OR_RETURN(ref.number, Text(*a, "number", here, kMaxNameBytes));
  FANZHA_ASSIGN_OR_RETURN(ref.name, Text(*a, "name", here, kMaxNameBytes, name_required));
  return ref;
}

Result<Payment> ParsePayment(const json& p, const std::string& path) {
  Payment pay;
  FANZHA_ASSIGN_OR_RETURN(pay.amount, MoneyOf(p, "amount", path));
  if (pay.amount <= 0) return Field(path + ".amount", "must be more than 0", "必须大于 0");
  FANZHA_ASSIGN_OR_RETURN(pay.time, TimeOf(p, "time", path));
  return pay;
}

// The fields of `order` (or `query`) by kind.
Status ParseBody(const json& doc, Request& r) {
  const bool query = r.kind == Kind::kStatement;
  const std::string path = query ? "query" : "order";
  FANZHA_ASSIGN_OR_RETURN(const json* body, ObjectOf(doc, path.c_str(), ""));
  FANZHA_ASSIGN_OR_RETURN(r.ref, Text(*body, "id", path, kMaxIdBytes));
  FANZHA_ASSIGN_OR_RETURN(r.document,
                          Text(*body, "document", path, kMaxNameBytes, r.kind != Kind::kStatement));
  FANZHA_ASSIGN_OR_RETURN(r.requested_by, ParseParty(*body, path));
  if (r.kind == Kind::kRenewal) {
    FANZHA_ASSIGN_OR_RETURN(int64_t n, IntOf(*body, "renewal", path, 1, 1000000));
    r.renewal = static_cast<int>(n);
    return Status::Ok();
  }
  FANZHA_ASSIGN_OR_RETURN(r.case_id, Text(*body, "case", path, kMaxIdBytes, false));
  FANZHA_ASSIGN_OR_RETURN(r.account, ParseAccount(*body, path, r.kind == Kind::kStopPayment));
  switch (r.kind) {
    case Kind::kStopPayment:
    case Kind::kFreeze: {
      FANZHA_ASSIGN_OR_RETURN(const json* p,
                              ObjectOf(*body, "payment", path, r.kind == Kind::kStopPayment));
      if (p) {
        FANZHA_ASSIGN_OR_RETURN(r.payment, ParsePayment(*p, path + ".payment"));
      }
      FANZHA_ASSIGN_OR_RETURN(r.amount, MoneyOf(*body, "amount", path));
      return Status::Ok();
    }
    case Kind::kRelease: {
      FANZHA_ASSIGN_OR_RETURN(r.releases, Text(*body, "releases", path, kMaxIdBytes));
      return Status::Ok();
    }
    case Kind::kStatement: {
      FANZHA_ASSIGN_OR_RETURN(r.from, TimeOf(*body, "from", path));
      FANZHA_ASSIGN_OR_RETURN(r.to, TimeOf(*body, "to", path));
      if (r.to <= r.from)
        return Field("query.to", "must be after query.from", "必须晚于 query.from");
      return Status::Ok();
    }
    case Kind::kRenewal:
      break;
  }
  return Status::Ok();
}

}  // namespace

// ---- Names ----------------------------------------------------------------------------------

Result<std::string> InstitutionToken(std::string_view institution) {
  if (institution.empty() || institution.size() > 64 || !IsValidUtf8(institution)) {
    return Status::Invalid(
               "institution '" +
               std::string(Utf8Prefix(IsValidUtf8(institution) ? institution : "", 80)) +
               "': an institution on the interchange has a name of 1 to 64 bytes of UTF-8")
        .WithZh("机构名称须为 1 至 64 字节的 UTF-8 文本");
  }
  if (std::all_of(institution.begin(), institution.end(), SafeTokenChar))
    return std::string(institution);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string token = "_";
  for (unsigned char c : institution) {
    token += kHex[c >> 4];
    token += kHex[c & 15];
  }
  return token;
}

std::string RequestSubject(std::string_view token) { return "fanzha.req." + std::string(token); }
std::string AnswerSubject(std::string_view token) { return "fanzha.ans." + std::string(token); }
std::string RequestStream(std::string_view token) { return "FANZHA_REQ_" + std::string(token); }

std::string_view AnswerSubjectToken(std::string_view subject) {
  constexpr std::string_view kPrefix = "fanzha.ans.";
  if (!subject.starts_with(kPrefix)) return {};
  std::string_view token = subject.substr(kPrefix.size());
  if (token.empty() || token.find('.') != std::string_view::npos) return {};
  return token;
}

Status CheckPlatformName(std::string_view platform) {
  if (platform.empty() || platform.size() > 32 ||
      !std::all_of(platform.begin(), platform.end(), SafeTokenChar)) {
    return Status::Invalid("platform '" +
                           std::string(Utf8Prefix(IsValidUtf8(platform) ? platform : "", 40)) +
                           "': 1 to 32 of A-Z a-z 0-9 -")
        .WithZh("平台名称须为 1 至 32 个字母、数字或连字符");
  }
  return Status::Ok();
}

std::string OrderRef(std::string_view platform, int64_t order) {
  return std::string(platform) + "/" + std::to_string(order);
}
std::string QueryRef(std::string_view platform, int64_t query) {
  return std::string(platform) + "/q" + std::to_string(query);
}
std::string OrderRequestId(std::string_view platform, int64_t order) {
  return std::string(platform) + "/order/" + std::to_string(order);
}
std::string RenewalRequestId(std::string_view platform, int64_t order, int renewal) {
  return OrderRequestId(platform, order) + "/renewal/" + std::to_string(renewal);
}
std::string QueryRequestId(std::string_view platform, int64_t query) {
  return std::string(platform) + "/query/" + std::to_string(query);
}
std::string FinalAnswerId(std::string_view request) { return std::string(request) + "#final"; }
std::string PendingAnswerId(std::string_view request) { return std::string(request) + "#pending"; }

std::string_view Name(Kind k) { return NameOf(k, kKinds); }
Result<Kind> ParseKind(std::string_view s) { return ParseName(s, kKinds, "kind", "请求类型"); }
std::string_view Name(AnswerStatus s) { return NameOf(s, kAnswerStatuses); }

// ---- Requests -------------------------------------------------------------------------------

std::string ToJson(const Request& r) {
  ojson doc = {{"interchange", r.version},
               {"id", r.id},
               {"kind", Name(r.kind)},
               {"institution", r.institution},
               {"sent_at", FormatTime(r.sent_at)}};
  ojson body = {{"id", r.ref}};
  if (r.kind != Kind::kRenewal) body["case"] = r.case_id;
  body["document"] = r.document;
  body["requested_by"] = PartyJson(r.requested_by);
  switch (r.kind) {
    case Kind::kStopPayment:
    case Kind::kFreeze:
      body["account"] = AccountJson(r.account);
      if (r.payment) {
        body["payment"] = {{"amount", FormatMoney(r.payment->amount)},
                           {"time", FormatTime(r.payment->time)}};
      }
      body["amount"] = FormatMoney(r.amount);
      break;
    case Kind::kRenewal:
      body["renewal"] = r.renewal;
      break;
    case Kind::kRelease:
      body["account"] = AccountJson(r.account);
      body["releases"] = r.releases;
      break;
    case Kind::kStatement:
      body["account"] = AccountJson(r.account);
      body["from"] = FormatTime(r.from);
      body["to"] = FormatTime(r.to);
      break;
  }
  doc[r.kind == Kind::kStatement ? "query" : "order"] = std::move(body);
  return doc.dump();
}

Result<Request> ParseRequest(std::string_view bytes) {
  FANZHA_ASSIGN_OR_RETURN(json doc, ParseObject(bytes, kMaxRequestBytes, "request"));
  Request r;
  FANZHA_ASSIGN_OR_RETURN(int64_t version, IntOf(doc, "interchange", "", 1, 1000000));
  r.version = static_cast<int>(version);
  FANZHA_ASSIGN_OR_RETURN(r.id, Text(doc, "id", "", kMaxIdBytes));
  FANZHA_ASSIGN_OR_RETURN(std::string kind, Text(doc, "kind", "", 64));
  FANZHA_ASSIGN_OR_RETURN(r.institution, Text(doc, "institution", "", kMaxNameBytes));
  if (r.version > kVersion) return r;  // the envelope only: the caller answers unsupported_version
  Result<Kind> k = ParseKind(kind);
  if (!k.ok()) {
    return Status::Invalid("kind: '" + kind +
                           "' is not a kind of this contract (one of stop_payment, "
                           "freeze, renewal, release, statement)")
        .WithZh("kind：不支持的请求类型 '" + kind + "'");
  }
  r.kind = *k;
  FANZHA_ASSIGN_OR_RETURN(r.sent_at, TimeOf(doc, "sent_at", ""));
  FANZHA_RETURN_IF_ERROR(ParseBody(doc, r));
  return r;
}

Envelope EnvelopeOf(std::string_view bytes) {
  Envelope e;
  Result<json> doc = ParseObject(bytes, kMaxAnswerBytes, "message");
  if (!doc.ok()) return e;
  Result<std::string> id = Text(*doc, "id", "", kMaxIdBytes);
  if (id.ok()) e.id = *id;
  Result<std::string> request = Text(*doc, "request", "", kMaxIdBytes);  // an answer's
  if (request.ok()) e.id = *request;
  Result<std::string> kind = Text(*doc, "kind", "", 64);
  if (kind.ok() && ParseKind(*kind).ok()) e.kind = *ParseKind(*kind);
  return e;
}

// ---- Answers --------------------------------------------------------------------------------

std::string ToJson(const Answer& a) {
  ojson doc = {{"interchange", a.version},
               {"id", a.id},
               {"request", a.request},
               {"kind", Name(a.kind)},
               {"institution", a.institution},
               {"status", Name(a.status)},
               {"answered_at", FormatTime(a.answered_at)},
               {"bank_ms", a.bank_ms}};
  switch (a.status) {
    case AnswerStatus::kExecuted: {
      ojson e = {{"amount", FormatMoney(a.amount)}, {"at", FormatTime(a.at)}};
      e["deadline"] = a.deadline ? ojson(FormatTime(a.deadline)) : ojson();
      e["renewals"] = a.renewals;
      doc["executed"] = std::move(e);
      break;
    }
    case AnswerStatus::kRejected:
      doc["rejected"] = {{"code", a.code},
                         {"facts", a.facts},
                         {"message", a.message},
                         {"message_zh", a.message_zh}};
      break;
    case AnswerStatus::kPending:
      doc["pending"] = {{"message", a.message}, {"message_zh", a.message_zh}};
      break;
  }
  if (a.statement) {
    const Statement& s = *a.statement;
    doc["statement"] = {{"account", s.account},
                        {"from", FormatTime(s.from)},
                        {"to", FormatTime(s.to)},
                        {"rows", s.rows},
                        {"complete", s.complete},
                        {"next_from", s.complete ? ojson() : ojson(FormatTime(s.next_from))},
                        {"csv", s.csv}};
    if (s.opening) doc["statement"]["opening"] = FormatMoney(*s.opening);
  }
  return doc.dump();
}

Result<Answer> ParseAnswer(std::string_view bytes) {
  FANZHA_ASSIGN_OR_RETURN(json doc, ParseObject(bytes, kMaxAnswerBytes, "answer"));
  Answer a;
  FANZHA_ASSIGN_OR_RETURN(int64_t version, IntOf(doc, "interchange", "", 1, 1000000));
  if (version > kVersion) {
    return Field("interchange",
                 "version " + std::to_string(version) + " is newer than this platform's (" +
                     std::to_string(kVersion) + ")",
                 "版本 " + std::to_string(version) + " 比本平台的版本（" +
                     std::to_string(kVersion) + "）新");
  }
  FANZHA_ASSIGN_OR_RETURN(a.id, Text(doc, "id", "", kMaxIdBytes + 16));
  FANZHA_ASSIGN_OR_RETURN(a.request, Text(doc, "request", "", kMaxIdBytes));
  FANZHA_ASSIGN_OR_RETURN(std::string kind, Text(doc, "kind", "", 64));
  Result<Kind> k = ParseKind(kind);
  if (!k.ok()) return Field("kind", k.status().message(), k.status().zh());
  a.kind = *k;
  FANZHA_ASSIGN_OR_RETURN(a.institution, Text(doc, "institution", "", kMaxNameBytes));
  FANZHA_ASSIGN_OR_RETURN(std::string status, Text(doc, "status", "", 64));
  Result<AnswerStatus> st = ParseName(status, kAnswerStatuses, "answer status", "回执状态");
  if (!st.ok()) return Field("status", st.status().message(), st.status().zh());
  a.status = *st;
  FANZHA_ASSIGN_OR_RETURN(a.answered_at, TimeOf(doc, "answered_at", ""));
  FANZHA_ASSIGN_OR_RETURN(a.bank_ms, IntOf(doc, "bank_ms", "", 0, 365LL * 86400 * 1000, false));
  switch (a.status) {
    case AnswerStatus::kExecuted: {
      FANZHA_ASSIGN_OR_RETURN(const json* e, ObjectOf(doc, "executed", ""));
      FANZHA_ASSIGN_OR_RETURN(a.amount, MoneyOf(*e, "amount", "executed"));
      FANZHA_ASSIGN_OR_RETURN(a.at, TimeOf(*e, "at", "executed"));
      FANZHA_ASSIGN_OR_RETURN(a.deadline, TimeOf(*e, "deadline", "executed", false));
      FANZHA_ASSIGN_OR_RETURN(int64_t renewals,
                              IntOf(*e, "renewals", "executed", 0, 1000000, false));
      a.renewals = static_cast<int>(renewals);
      break;
    }
    case AnswerStatus::kRejected: {
      FANZHA_ASSIGN_OR_RETURN(const json* r, ObjectOf(doc, "rejected", ""));
      FANZHA_ASSIGN_OR_RETURN(a.code, Text(*r, "code", "rejected", 64));
      if (const json* facts = Member(*r, "facts")) {
        if (!facts->is_array() || facts->size() > 8)
          return Field("rejected.facts", "not a list of at most 8 facts",
                       "须为最多 8 项要素的列表");
        for (const json& f : *facts) {
          if (!f.is_string() || f.get_ref<const std::string&>().size() > 64) {
            return Field("rejected.facts", "not a list of fact names", "须为要素名称的列表");
          }
          a.facts.push_back(f.get<std::string>());
        }
      }
      FANZHA_ASSIGN_OR_RETURN(a.message, Text(*r, "message", "rejected", kMaxMessageBytes, false));
      FANZHA_ASSIGN_OR_RETURN(a.message_zh,
                              Text(*r, "message_zh", "rejected", kMaxMessageBytes, false));
      break;
    }
    case AnswerStatus::kPending: {
      FANZHA_ASSIGN_OR_RETURN(const json* p, ObjectOf(doc, "pending", "", false));
      if (p) {
        FANZHA_ASSIGN_OR_RETURN(a.message, Text(*p, "message", "pending", kMaxMessageBytes, false));
        FANZHA_ASSIGN_OR_RETURN(a.message_zh,
                                Text(*p, "message_zh", "pending", kMaxMessageBytes, false));
      }
      break;
    }
  }
  FANZHA_ASSIGN_OR_RETURN(const json* s, ObjectOf(doc, "statement", "", false));
  if (s) {
    Statement st_part;
    FANZHA_ASSIGN_OR_RETURN(st_part.account, Text(*s, "account", "statement", kMaxNameBytes));
    FANZHA_ASSIGN_OR_RETURN(st_part.from, TimeOf(*s, "from", "statement"));
    FANZHA_ASSIGN_OR_RETURN(st_part.to, TimeOf(*s, "to", "statement"));
    FANZHA_ASSIGN_OR_RETURN(st_part.rows, IntOf(*s, "rows", "statement", 0, kMaxStatementRows));
    const json* complete = Member(*s, "complete");
    if (!complete || !complete->is_boolean())
      return Field("statement.complete", "not true or false", "须为 true 或 false");
    st_part.complete = complete->get<bool>();
    FANZHA_ASSIGN_OR_RETURN(st_part.next_from,
                            TimeOf(*s, "next_from", "statement", !st_part.complete));
    FANZHA_ASSIGN_OR_RETURN(st_part.csv,
                            Text(*s, "csv", "statement", kMaxStatementCsvBytes, false));
    if (Member(*s, "opening")) {
      FANZHA_ASSIGN_OR_RETURN(st_part.opening, MoneyOf(*s, "opening", "statement"));
    }
    a.statement = std::move(st_part);
  }
  return a;
}

Answer Rejection(std::string request_id, Kind kind, std::string institution, std::string code,
                 std::vector<std::string> facts, std::string message, std::string message_zh,
                 Millis now) {
  Answer a;
  a.id = FinalAnswerId(request_id);
  a.request = std::move(request_id);
  a.kind = kind;
  a.institution = std::move(institution);
  a.status = AnswerStatus::kRejected;
  a.answered_at = now;
  a.code = std::move(code);
  a.facts = std::move(facts);
  a.message = Utf8Prefix(message, kMaxMessageBytes - 4);
  a.message_zh = Utf8Prefix(message_zh, kMaxMessageBytes - 4);
  return a;
}

}  // namespace fanzha::interchange
