// cases.jsonl (FORMATS.md): one fraud report per line.
#include <chrono>
#include <nlohmann/json.hpp>
#include <set>

#include "core/json.h"
#include "core/text.h"
#include "import/internal.h"
#include "normalise/normalise.h"

namespace fanzha::import {
namespace {

using nlohmann::json;

// A string member, "" when absent; an error when present and not a string.
Result<std::string> Str(const json& obj, const char* key, const std::string& field) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::string();
  if (!it->is_string()) return FieldError(field, "not a string", "不是字符串");
  return it->get<std::string>();
}

Result<std::optional<Fen>> Loss(const json& obj) {
  auto it = obj.find("loss");
  if (it == obj.end() || it->is_null()) return std::optional<Fen>();
  std::string text;
  if (it->is_string())
    text = it->get<std::string>();
  else if (it->is_number_unsigned() || it->is_number_integer())
    text = it->dump();
  else
    return FieldError("loss", "not a decimal yuan string", "应为以元为单位的十进制金额字符串");
  Result<Fen> v = ParseMoney(Trim(text));
  if (!v.ok()) return FieldError("loss", v.status());
  return std::optional<Fen>(*v);
}

Status ParseVictim(const json& obj, Victim* v) {
  auto it = obj.find("victim");
  if (it == obj.end() || it->is_null()) return Status::Ok();
  if (!it->is_object()) return FieldError("victim", "not an object", "不是对象");
  FANZHA_ASSIGN_OR_RETURN(v->name, Str(*it, "name", "victim.name"));
  FANZHA_ASSIGN_OR_RETURN(std::string phone, Str(*it, "phone", "victim.phone"));
  if (!Trim(phone).empty()) v->phone = normalise::NormalisePhone(phone).e164;
  FANZHA_ASSIGN_OR_RETURN(std::string account, Str(*it, "account", "victim.account"));
  v->account = NormAccount(Trim(account));
  return Status::Ok();
}

Status ParseTransferIds(const json& obj, std::vector<std::string>* out) {
  auto it = obj.find("transfers");
  if (it == obj.end() || it->is_null()) return Status::Ok();
  if (!it->is_array()) return FieldError("transfers", "not a list", "不是列表");
  if (it->size() > Limits::kListItems)
    return FieldError(
        "transfers",
        std::to_string(it->size()) + " ids, more than " + std::to_string(Limits::kListItems),
        "有 " + std::to_string(it->size()) + " 个交易编号，超过上限 " +
            std::to_string(Limits::kListItems));
  for (size_t i = 0; i < it->size(); ++i) {
    const json& t = (*it)[i];
    std::string field = "transfers[" + std::to_string(i) + "]";
    if (!t.is_string() || Trim(t.get<std::string>()).empty())
      return FieldError(field, "not a transfer id", "不是交易编号");
    out->emplace_back(Trim(t.get<std::string>()));
  }
  return Status::Ok();
}

// An identity card number whose form or check digit is wrong is an error (FORMATS.md), not an
// identifier kept and flagged: a typo would otherwise link the case to a stranger.
Status CheckIdCard(const Identifier& id, const std::string& field) {
  if (id.valid) return Status::Ok();
  return FieldError(field,
                    Status::Invalid("'" + Excerpt(id.raw) +
                                    "' is not a resident identity number (GB 11643: 17 "
                                    "digits and a check digit, X for 10; " +
                                    normalise::IdCardProblem(id.value) + ")")
                        .WithZh("'" + Excerpt(id.raw) +
                                "' 不是有效的居民身份证号码（GB 11643：17 位数字加 1 位校验码，"
                                "校验码 10 记作 X；" +
                                normalise::IdCardProblem(id.value, true) + "）"));
}

// Normalised identifiers, plus the registrable domain of every URL (once per domain).
Status ParseIdentifiers(const json& obj, std::vector<Identifier>* out) {
  auto it = obj.find("identifiers");
  if (it == obj.end() || it->is_null()) return Status::Ok();
  if (!it->is_array()) return FieldError("identifiers", "not a list", "不是列表");
  if (it->size() > Limits::kListItems)
    return FieldError("identifiers",
                      std::to_string(it->size()) + " identifiers, more than " +
                          std::to_string(Limits::kListItems),
                      "有 " + std::to_string(it->size()) + " 个标识，超过上限 " +
                          std::to_string(Limits::kListItems));
  std::vector<Identifier> domains;
  std::set<std::string> seen_domains;
  for (size_t i = 0; i < it->size(); ++i) {
    const json& e = (*it)[i];
    std::string field = "identifiers[" + std::to_string(i) + "]";
    if (!e.is_object()) return FieldError(field, "not an object", "不是对象");
    FANZHA_ASSIGN_OR_RETURN(std::string type_name, Str(e, "type", field + ".type"));
    Result<IdentifierType> type = ParseIdentifierType(AsciiLower(Trim(type_name)));
    if (!type.ok()) return FieldError(field + ".type", type.status());
    FANZHA_ASSIGN_OR_RETURN(std::string raw, Str(e, "value", field + ".value"));
    if (Trim(raw).empty()) return FieldError(field + ".value", "empty", "为空");
    FANZHA_RETURN_IF_ERROR(CheckLength(field + ".value", raw, Limits::kIdentifier));
    Identifier id = normalise::NormaliseIdentifier(*type, raw);
    if (*type == IdentifierType::kIdCard) FANZHA_RETURN_IF_ERROR(CheckIdCard(id, field + ".value"));
    out->push_back(id);
    if (*type != IdentifierType::kUrl) continue;
    normalise::Url url = normalise::NormaliseUrl(raw);
    if (url.valid && !url.domain.empty() && seen_domains.insert(url.domain).second)
      domains.push_back({IdentifierType::kDomain, raw, url.domain, true});
  }
  out->insert(out->end(), domains.begin(), domains.end());
  return Status::Ok();
}

}  // namespace

Result<Case> ParseCase(std::string_view line, Zone zone) {
  json obj;
  try {  // the exception carries the position of the error
    obj = json::parse(line);
  } catch (const json::exception& e) {  // parse_error, and out_of_range for a number beyond double
    return Status::Invalid(std::string("not valid JSON: ") + Excerpt(e.what(), 200))
        .WithZh(std::string("不是有效的 JSON：") + Excerpt(e.what(), 200));
  }
  return ParseCaseJson(obj, zone);
}

Result<Case> ParseCaseJson(const json& obj, Zone zone) {
  if (!obj.is_object()) return Status::Invalid("not a JSON object").WithZh("不是 JSON 对象");
  Case c;
  FANZHA_ASSIGN_OR_RETURN(std::string id, Str(obj, "id", "id"));
  c.id = std::string(Trim(id));
  if (c.id.empty()) return FieldError("id", "missing", "缺失");
  FANZHA_ASSIGN_OR_RETURN(std::string reported, Str(obj, "reported_at", "reported_at"));
  if (Trim(reported).empty()) return FieldError("reported_at", "missing", "缺失");
  Result<Millis> at = ParseTime(Trim(reported), zone);
  if (!at.ok()) return FieldError("reported_at", at.status());
  c.reported_at = *at;
  FANZHA_ASSIGN_OR_RETURN(c.region, Str(obj, "region", "region"));
  FANZHA_ASSIGN_OR_RETURN(c.category, Str(obj, "category", "category"));
  FANZHA_ASSIGN_OR_RETURN(c.narrative, Str(obj, "narrative", "narrative"));
  FANZHA_ASSIGN_OR_RETURN(c.loss, Loss(obj));
  FANZHA_RETURN_IF_ERROR(ParseVictim(obj, &c.victim));
  FANZHA_RETURN_IF_ERROR(ParseTransferIds(obj, &c.transfers));
  FANZHA_RETURN_IF_ERROR(ParseIdentifiers(obj, &c.identifiers));
  FANZHA_RETURN_IF_ERROR(CheckCase(c));
  return c;
}

namespace {

// The path of the first string in `j` (document order) holding U+FFFD, for naming the field of a
// line whose bad bytes were replaced: "narrative", "victim.name", "identifiers[1].value".
std::string FirstReplaced(const json& j, const std::string& path) {
  if (j.is_string()) {
    return j.get_ref<const std::string&>().find("\uFFFD") != std::string::npos ? path : "";
  }
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      std::string found = FirstReplaced(*it, path.empty() ? it.key() : path + "." + it.key());
      if (!found.empty()) return found;
    }
  }
  if (j.is_array()) {
    for (size_t i = 0; i < j.size(); ++i) {
      std::string found = FirstReplaced(j[i], path + "[" + std::to_string(i) + "]");
      if (!found.empty()) return found;
    }
  }
  return "";
}

// The error for a line that is not valid text: names the field when the line is JSON.
Status BadLine(std::string_view line, const FileEncoding& encoding) {
  std::string field;
  size_t bad = FirstInvalidUtf8(line);
  if (CheckJsonNesting(line).ok()) {  // FirstReplaced recurses once per level
    json j = json::parse(ValidUtf8(line), nullptr, false);
    if (!j.is_discarded()) field = FirstReplaced(j, "");
  }
  if (field.empty()) field = "byte " + std::to_string(bad + 1);
  return BadText(field, line.substr(bad), encoding);
}

// Reads lines from a decoded input; a line is returned without its "\n" (nor a "\r" before it).
class LineReader {
 public:
  explicit LineReader(DecodedInput* in) : in_(in) {}
  bool Next(std::string* line) {
    for (;;) {
      size_t nl = buf_.find('\n', pos_);
      if (nl != std::string::npos) {
        line->assign(buf_, pos_, nl - pos_);
        pos_ = nl + 1;
        break;
      }
      buf_.erase(0, pos_);
      pos_ = 0;
      if (!in_->Read(&buf_, 1 << 20)) {
        if (buf_.empty()) return false;
        line->swap(buf_);
        buf_.clear();
        break;
      }
    }
    if (!line->empty() && line->back() == '\r') line->pop_back();
    return true;
  }

 private:
  DecodedInput* in_;
  std::string buf_;
  size_t pos_ = 0;
};

}  // namespace

Result<FileReport> ImportCases(const FileContext& ctx, const InputFile& file) {
  auto start = std::chrono::steady_clock::now();
  const std::string& path = file.path;
  FileReport report = StartReport(file);
  FANZHA_ASSIGN_OR_RETURN(auto in, DecodedInput::Open(path, file.encoding));
  FileProgress progress(*ctx.options, path, in->size());
  FANZHA_ASSIGN_OR_RETURN(auto imp, ctx.store->BeginImport());
  LineReader lines(in.get());
  std::string line;
  for (int64_t n = 1; lines.Next(&line); ++n) {
    if (n == 1 && line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);
    if (Trim(line).empty()) continue;
    ++report.rows;
    if ((report.rows & 1023) == 0) progress.Update(in->bytes_read());
    Result<Case> c = !file.encoding.valid && !IsValidUtf8(line)
                         ? Result<Case>(BadLine(line, file.encoding))
                         : ParseCase(line, ctx.options->zone);
    Result<store::PutOutcome> r = c.ok() ? imp->PutCase(*c) : Result<store::PutOutcome>(c.status());
    if (r.ok()) {
      ++(*r == store::PutOutcome::kAdded ? report.added : report.unchanged);
      continue;
    }
    if (r.status().code() == ErrorCode::kIoError || r.status().code() == ErrorCode::kInternal)
      return r.status().WithContext(path + ":" + std::to_string(n));
    FANZHA_RETURN_IF_ERROR(BadRow(ctx, &report, n, r.status(), line));
  }
  if (!in->status().ok()) return in->status().WithContext(path);
  FANZHA_RETURN_IF_ERROR(imp->Commit(OnCommit(ctx, report)));
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace fanzha::import
