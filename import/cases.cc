// cases.jsonl (FORMATS.md): one fraud report per line.
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

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
  if (!it->is_string()) return FieldError(field, "not a string");
  return it->get<std::string>();
}

Result<std::optional<Fen>> Loss(const json& obj) {
  auto it = obj.find("loss");
  if (it == obj.end() || it->is_null()) return std::optional<Fen>();
  std::string text;
  if (it->is_string()) text = it->get<std::string>();
  else if (it->is_number_unsigned() || it->is_number_integer()) text = it->dump();
  else return FieldError("loss", "not a decimal yuan string");
  Result<Fen> v = ParseMoney(Trim(text));
  if (!v.ok()) return FieldError("loss", v.status());
  return std::optional<Fen>(*v);
}

Status ParseVictim(const json& obj, Victim* v) {
  auto it = obj.find("victim");
  if (it == obj.end() || it->is_null()) return Status::Ok();
  if (!it->is_object()) return FieldError("victim", "not an object");
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
  if (!it->is_array()) return FieldError("transfers", "not a list");
  for (size_t i = 0; i < it->size(); ++i) {
    const json& t = (*it)[i];
    std::string field = "transfers[" + std::to_string(i) + "]";
    if (!t.is_string() || Trim(t.get<std::string>()).empty())
      return FieldError(field, "not a transfer id");
    out->emplace_back(Trim(t.get<std::string>()));
  }
  return Status::Ok();
}

// Normalised identifiers, plus the registrable domain of every URL (once per domain).
Status ParseIdentifiers(const json& obj, std::vector<Identifier>* out) {
  auto it = obj.find("identifiers");
  if (it == obj.end() || it->is_null()) return Status::Ok();
  if (!it->is_array()) return FieldError("identifiers", "not a list");
  std::vector<Identifier> domains;
  std::set<std::string> seen_domains;
  for (size_t i = 0; i < it->size(); ++i) {
    const json& e = (*it)[i];
    std::string field = "identifiers[" + std::to_string(i) + "]";
    if (!e.is_object()) return FieldError(field, "not an object");
    FANZHA_ASSIGN_OR_RETURN(std::string type_name, Str(e, "type", field + ".type"));
    Result<IdentifierType> type = ParseIdentifierType(AsciiLower(Trim(type_name)));
    if (!type.ok()) return FieldError(field + ".type", type.status());
    FANZHA_ASSIGN_OR_RETURN(std::string raw, Str(e, "value", field + ".value"));
    if (Trim(raw).empty()) return FieldError(field + ".value", "empty");
    Identifier id = normalise::NormaliseIdentifier(*type, raw);
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
    return Status::Invalid(std::string("not valid JSON: ") + e.what());
  }
  return ParseCaseJson(obj, zone);
}

Result<Case> ParseCaseJson(const json& obj, Zone zone) {
  if (!obj.is_object()) return Status::Invalid("not a JSON object");
  Case c;
  FANZHA_ASSIGN_OR_RETURN(std::string id, Str(obj, "id", "id"));
  c.id = std::string(Trim(id));
  if (c.id.empty()) return FieldError("id", "missing");
  FANZHA_ASSIGN_OR_RETURN(std::string reported, Str(obj, "reported_at", "reported_at"));
  if (Trim(reported).empty()) return FieldError("reported_at", "missing");
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
  return c;
}


Result<FileReport> ImportCases(const FileContext& ctx, const std::string& path) {
  auto start = std::chrono::steady_clock::now();
  FileReport report;
  report.path = path;
  report.kind = FileKind::kCases;
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return Status::Io(path + ": cannot open");
  int64_t size = in.tellg();
  in.seekg(0);
  FileProgress progress(*ctx.options, path, size);
  FANZHA_ASSIGN_OR_RETURN(auto imp, ctx.store->BeginImport());
  std::string line;
  for (int64_t n = 1; std::getline(in, line); ++n) {
    if (n == 1 && line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (Trim(line).empty()) continue;
    ++report.rows;
    if ((report.rows & 1023) == 0) progress.Update(in.tellg());
    Result<Case> c = ParseCase(line, ctx.options->zone);
    Result<store::PutOutcome> r = c.ok() ? imp->PutCase(*c) : Result<store::PutOutcome>(c.status());
    if (r.ok()) {
      ++(*r == store::PutOutcome::kAdded ? report.added : report.unchanged);
      continue;
    }
    if (r.status().code() == ErrorCode::kIoError || r.status().code() == ErrorCode::kInternal)
      return r.status().WithContext(path + ":" + std::to_string(n));
    FANZHA_RETURN_IF_ERROR(BadRow(ctx, &report, n, r.status(), line));
  }
  if (in.bad()) return Status::Io(path + ": read error");
  FANZHA_RETURN_IF_ERROR(imp->Commit());
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace fanzha::import
