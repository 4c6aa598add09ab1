#include "fuzz/records.h"

#include <map>
#include <nlohmann/json.hpp>

#include "core/csv.h"
#include "core/json.h"

namespace fanzha::fuzz {

namespace {

// An account's attributes without the empty ones: accounts.csv cannot tell an empty cell from no
// cell (an account that came with a transfer, written under another's attribute columns).
std::vector<std::pair<std::string, std::string>> Given(const Account& a) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& kv : a.attributes) {
    if (!kv.second.empty()) out.push_back(kv);
  }
  return out;
}

}  // namespace

bool Same(const Account& a, const Account& b) {
  return a.id == b.id && a.holder == b.holder && a.institution == b.institution &&
         a.region == b.region && a.kind == b.kind && a.opening_balance == b.opening_balance &&
         Given(a) == Given(b);
}

bool Same(const Transfer& a, const Transfer& b) {
  return a.id == b.id && a.time == b.time && a.from == b.from && a.to == b.to &&
         a.amount == b.amount && a.channel == b.channel && a.memo == b.memo && a.ip == b.ip &&
         a.device == b.device;
}

bool Same(const Identifier& a, const Identifier& b) {
  return a.type == b.type && a.raw == b.raw && a.value == b.value && a.valid == b.valid;
}

bool Same(const Case& a, const Case& b) {
  return a.id == b.id && a.reported_at == b.reported_at && a.region == b.region &&
         a.category == b.category && a.loss == b.loss && a.narrative == b.narrative &&
         a.victim.name == b.victim.name && a.victim.phone == b.victim.phone &&
         a.victim.account == b.victim.account && a.transfers == b.transfers &&
         Same(a.identifiers, b.identifiers);
}

std::string Describe(const Account& a) {
  std::string out = "account [" + a.id + "] holder [" + a.holder + "] institution [" +
                    a.institution + "] region [" + a.region + "] kind " +
                    std::string(Name(a.kind)) + " opening " + FormatMoney(a.opening_balance);
  for (const auto& [name, value] : a.attributes) out += " [" + name + "]=[" + value + "]";
  return out;
}

std::string Describe(const Transfer& t) {
  return "transfer [" + t.id + "] " + FormatTime(t.time) + " [" + t.from + "] -> [" + t.to + "] " +
         FormatMoney(t.amount) + " " + std::string(Name(t.channel)) + " memo [" + t.memo +
         "] ip [" + t.ip + "] device [" + t.device + "]";
}

std::string Describe(const Case& c) {
  std::string out = "case " + CaseJson(c);
  for (const Identifier& id : c.identifiers) {
    out += "  " + std::string(Name(id.type)) + " [" + id.raw + "] -> [" + id.value + "]" +
           (id.valid ? "" : " (invalid)");
  }
  return out;
}

std::vector<std::string> AccountsCsv(const std::vector<Account>& accounts) {
  std::map<std::vector<std::string>, std::string> files;  // attribute names -> the file's text
  for (const Account& a : accounts) {
    std::vector<std::string> names;
    for (const auto& [name, value] : a.attributes) names.push_back(name);
    std::string& out = files[names];
    if (out.empty()) {
      std::vector<std::string> header = {"account", "holder", "institution",
                                         "region",  "kind",   "opening_balance"};
      header.insert(header.end(), names.begin(), names.end());
      AppendCsvRow(&out, header);
    }
    std::vector<std::string> row = {a.id,
                                    a.holder,
                                    a.institution,
                                    a.region,
                                    std::string(Name(a.kind)),
                                    FormatMoney(a.opening_balance)};
    for (const auto& [name, value] : a.attributes) row.push_back(value);
    AppendCsvRow(&out, row);
  }
  std::vector<std::string> out;
  for (auto& [names, text] : files) out.push_back(std::move(text));
  return out;
}

std::string TransfersCsv(const std::vector<Transfer>& transfers) {
  std::string out;
  AppendCsvRow(&out, {"id", "time", "from", "to", "amount", "channel", "memo", "ip", "device"});
  for (const Transfer& t : transfers) {
    AppendCsvRow(&out, {t.id, FormatTime(t.time), t.from, t.to, FormatMoney(t.amount),
                        std::string(Name(t.channel)), t.memo, t.ip, t.device});
  }
  return out;
}

namespace {

// A registrable domain the importer added after the reported identifiers, for a URL among them.
bool Derived(const Case& c, size_t i) {
  const Identifier& id = c.identifiers[i];
  if (id.type != IdentifierType::kDomain) return false;
  for (size_t k = 0; k < i; ++k) {
    if (c.identifiers[k].type == IdentifierType::kUrl && c.identifiers[k].raw == id.raw) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::string CaseJson(const Case& c) {
  nlohmann::ordered_json j;
  j["id"] = c.id;
  j["reported_at"] = FormatTime(c.reported_at);
  j["region"] = c.region;
  j["category"] = c.category;
  if (c.loss) j["loss"] = FormatMoney(*c.loss);
  j["narrative"] = c.narrative;
  j["victim"] = {{"name", c.victim.name}, {"phone", c.victim.phone}, {"account", c.victim.account}};
  j["transfers"] = c.transfers;
  j["identifiers"] = nlohmann::ordered_json::array();
  size_t given = c.identifiers.size();
  while (given > 0 && Derived(c, given - 1)) --given;
  for (size_t i = 0; i < given; ++i) {
    j["identifiers"].push_back(
        {{"type", Name(c.identifiers[i].type)}, {"value", c.identifiers[i].raw}});
  }
  return DumpJson(j);
}

}  // namespace fanzha::fuzz
