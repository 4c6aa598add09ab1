#include "region/region.h"

#include <algorithm>
#include <array>
#include <unordered_map>

#include "core/text.h"
#include "normalise/normalise.h"

namespace fanzha::region {

// Defined in the file CMake generates from gbt2260.tsv (gbt2260_data.cc.in).
extern const std::string_view kBuiltinTsv;

namespace {

bool IsSixDigits(std::string_view s) {
  return s.size() == 6 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Result<Level> ParseLevel(std::string_view s) {
  if (s == "province") return Level::kProvince;
  if (s == "city") return Level::kCity;
  if (s == "county") return Level::kCounty;
  return Status::Invalid("level must be province, city or county, not \"" + std::string(s) + "\"")
      .WithZh("级别须为 province、city 或 county，而不是 \"" + std::string(s) + "\"");
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// The standard's placeholder names for a level that has no name of its own: a municipality's
// districts ("市辖区") and counties ("县", Chongqing), and counties governed by the province
// directly.
bool IsPlaceholderName(std::string_view name) {
  return name == "市辖区" || name == "县" || name == "省直辖县级行政区划" ||
         name == "自治区直辖县级行政区划";
}

bool IsMunicipality(std::string_view province_code) {
  std::string_view p = province_code.substr(0, 2);
  return p == "11" || p == "12" || p == "31" || p == "50";
}

// "广西壮族自治区" -> "广西", "湖北省" -> "湖北", "天津市" -> "天津": the short forms the geocoder
// uses.
std::string_view ShortProvinceName(std::string_view name) {
  for (std::string_view suffix :
       {"壮族自治区", "回族自治区", "维吾尔自治区", "特别行政区", "自治区", "省", "市"}) {
    if (EndsWith(name, suffix) && name.size() > suffix.size()) {
      return name.substr(0, name.size() - suffix.size());
    }
  }
  return name;
}

// "毕节地区" and "毕节市" are one place before and after the 2011 reform; the geocoder's data keeps
// many pre-reform 地区 names whose prefectures have since become cities with the same stem.
std::string_view CityStem(std::string_view name) {
  for (std::string_view suffix : {"地区", "市", "盟"}) {
    if (EndsWith(name, suffix) && name.size() > suffix.size()) {
      return name.substr(0, name.size() - suffix.size());
    }
  }
  return name;
}

// Renamed or abolished prefectures that no stem rule can find: {province code, old name, code now}.
struct Successor {
  std::string_view province;
  std::string_view old_name;
  std::string_view code;
};
constexpr std::array<Successor, 3> kSuccessors = {{
    {"420000", "襄樊市", "420600"},  // renamed 襄阳市 in 2010
    // 巢湖市 (prefecture) was abolished in 2011: 居巢区 (now county-level 巢湖市) and 庐江县 went
    // to 合肥, 无为县 to 芜湖, 含山县 and 和县 to 马鞍山. Its old seat and most of its numbers are
    // now 合肥's, so its phone blocks map to 合肥.
    {"340000", "巢湖市", "340100"},
    {"370000", "莱芜市", "370100"},  // merged into 济南市 in 2019
}};

}  // namespace

Result<RegionTable> RegionTable::Parse(std::string_view tsv) {
  RegionTable table;
  bool header_seen = false;
  size_t line_no = 0;
  for (std::string_view line : Split(tsv, '\n')) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    const std::string where = "line " + std::to_string(line_no);
    const std::string where_zh = "第 " + std::to_string(line_no) + " 行";
    if (!header_seen) {
      if (line != "code\tname\tlevel\tparent") {
        return Status::Invalid(where + ": expected the header code\\tname\\tlevel\\tparent")
            .WithZh(where_zh + "：应为表头 code\\tname\\tlevel\\tparent");
      }
      header_seen = true;
      continue;
    }
    std::vector<std::string_view> f = Split(line, '\t');
    if (f.size() != 4)
      return Status::Invalid(where + ": expected 4 tab-separated fields")
          .WithZh(where_zh + "：应为 4 个以制表符分隔的字段");
    if (!IsSixDigits(f[0]))
      return Status::Invalid(where + ": code: not six digits")
          .WithZh(where_zh + "：code：不是六位数字");
    if (f[1].empty())
      return Status::Invalid(where + ": name: empty").WithZh(where_zh + "：name：为空");
    Result<Level> level = ParseLevel(f[2]);
    if (!level.ok())
      return level.status()
          .WithMessage(where + ": level: " + level.status().message())
          .WithZh(where_zh + "：level：" + level.status().zh());
    if ((*level == Level::kProvince) != f[3].empty() || (!f[3].empty() && !IsSixDigits(f[3]))) {
      return Status::Invalid(where + ": parent: a province has none, every other division one")
          .WithZh(where_zh + "：parent：省级区划不填上级，其他区划须填一个六位上级代码");
    }
    table.divisions_.push_back({std::string(f[0]), std::string(f[1]), *level, std::string(f[3])});
  }
  if (!header_seen) return Status::Invalid("no header line").WithZh("缺少表头行");
  auto by_code = [](const Division& a, const Division& b) { return a.code < b.code; };
  std::sort(table.divisions_.begin(), table.divisions_.end(), by_code);
  for (size_t i = 1; i < table.divisions_.size(); ++i) {
    if (table.divisions_[i].code == table.divisions_[i - 1].code) {
      return Status::Invalid("code " + table.divisions_[i].code + " appears twice")
          .WithZh("代码 " + table.divisions_[i].code + " 出现了两次");
    }
  }
  for (size_t i = 0; i < table.divisions_.size(); ++i) {
    const Division& d = table.divisions_[i];
    if (!d.parent.empty() && table.Find(d.parent) == nullptr) {
      return Status::Invalid("code " + d.code + ": parent " + d.parent + " is not in the table")
          .WithZh("代码 " + d.code + "：上级 " + d.parent + " 不在表中");
    }
    if (d.level == Level::kProvince) table.provinces_.push_back(i);
  }
  return table;
}

const RegionTable& RegionTable::Builtin() {
  // The compiled-in table is checked by region_test; a broken one is a build error, not input.
  static const RegionTable* table = [] {
    Result<RegionTable> parsed = Parse(kBuiltinTsv);
    assert(parsed.ok() && "region/gbt2260.tsv does not parse");
    return new RegionTable(parsed.ok() ? std::move(parsed).value() : RegionTable());
  }();
  return *table;
}

const Division* RegionTable::Find(std::string_view code) const {
  auto it = std::lower_bound(divisions_.begin(), divisions_.end(), code,
                             [](const Division& d, std::string_view c) { return d.code < c; });
  return it != divisions_.end() && it->code == code ? &*it : nullptr;
}

std::string RegionTable::DisplayName(std::string_view code) const {
  const Division* d = Find(code);
  if (d == nullptr) return {};
  if ((d->name == "市辖区" || d->name == "县") && !d->parent.empty()) return DisplayName(d->parent);
  return d->name;
}

std::string RegionTable::FullName(std::string_view code) const {
  const Division* d = Find(code);
  if (d == nullptr) return {};
  std::vector<const Division*> chain;
  for (; d != nullptr; d = d->parent.empty() ? nullptr : Find(d->parent)) chain.push_back(d);
  std::string name;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    if (!IsPlaceholderName((*it)->name)) name += (*it)->name;
  }
  return name;
}

std::string RegionTable::ProvinceOf(std::string_view code) const {
  if (code.size() != 6 || Find(code) == nullptr) return {};
  std::string province = std::string(code.substr(0, 2)) + "0000";
  return Find(province) != nullptr ? province : std::string();
}

Result<std::string> RegionTable::CodeOfName(std::string_view name, std::string_view within) const {
  // A province code scopes by its first 2 digits, a city code by 4, a county code by all 6.
  std::string_view scope = within;
  while (scope.size() > 2 && scope.substr(scope.size() - 2) == "00") scope.remove_suffix(2);
  std::vector<const Division*> found;
  for (const Division& d : divisions_) {
    if (d.name == name && d.code.compare(0, scope.size(), scope) == 0) found.push_back(&d);
  }
  if (found.empty())
    return Status::NotFound("no division named " + std::string(name))
        .WithZh("没有名为 " + std::string(name) + " 的行政区划");
  auto top = std::min_element(found.begin(), found.end(),
                              [](auto* a, auto* b) { return a->level < b->level; });
  size_t at_top =
      std::count_if(found.begin(), found.end(), [&](auto* d) { return d->level == (*top)->level; });
  if (at_top == 1) return (*top)->code;
  std::string candidates;
  for (const Division* d : found) candidates += " " + d->code + " " + FullName(d->code);
  return Status::Invalid(std::string(name) + " is ambiguous:" + candidates)
      .WithZh(std::string(name) + " 对应多个行政区划：" + candidates.substr(1));
}

Result<std::string> RegionTable::CityCodeOfPhoneCity(std::string_view description) const {
  std::string_view text = Trim(description);
  if (text.empty())
    return Status::Invalid("empty geocoder description").WithZh("号码归属地描述为空");
  // A fixed-line area code shared by several places is described as a list ("四川省成都市、资阳市、
  // 眉山市"): the first is the city the area code belongs to, the others took it over later.
  if (size_t list = text.find("、"); list != std::string_view::npos) text = text.substr(0, list);
  // The province: its full name ("湖北省") or the short form ("广西", "天津"), longest first.
  const Division* province = nullptr;
  size_t matched = 0;
  for (size_t index : provinces_) {
    const Division* d = &divisions_[index];
    for (std::string_view form : {std::string_view(d->name), ShortProvinceName(d->name)}) {
      if (form.size() > matched && text.substr(0, form.size()) == form) {
        province = d;
        matched = form.size();
      }
    }
  }
  if (province == nullptr)
    return Status::NotFound("no province in \"" + std::string(text) + "\"")
        .WithZh("\"" + std::string(text) + "\" 中没有省份");
  // A municipality is its own jurisdiction: its city-level code stands for all of it.
  if (IsMunicipality(province->code)) return province->code.substr(0, 2) + "0100";
  std::string_view city = text.substr(matched);
  if (city.empty()) return province->code;

  for (const Successor& s : kSuccessors) {
    if (s.province == province->code && s.old_name == city) return std::string(s.code);
  }
  const Division* by_stem = nullptr;
  // The province's own divisions are contiguous in code order and start with the province.
  for (auto it = divisions_.begin() + (province - divisions_.data());
       it != divisions_.end() && it->code.compare(0, 2, province->code, 0, 2) == 0; ++it) {
    const Division& d = *it;
    // Prefecture-level cities, and county-level cities governed by the province (仙桃, 石河子).
    const bool candidate = d.level == Level::kCity ||
                           (d.level == Level::kCounty && d.parent.compare(4, 2, "00") == 0 &&
                            d.parent.compare(2, 2, "90") == 0);
    if (!candidate) continue;
    if (d.name == city) return d.code;
    if (by_stem == nullptr && CityStem(d.name) == CityStem(city)) by_stem = &d;
  }
  if (by_stem != nullptr) return by_stem->code;
  return Status::NotFound("no division for \"" + std::string(text) + "\"")
      .WithZh("找不到与 \"" + std::string(text) + "\" 对应的行政区划");
}

std::string_view CoveredPrefix(std::string_view scope) {
  if (scope.size() == 6 && scope.substr(2) == "0000") return scope.substr(0, 2);
  if (scope.size() == 6 && scope.substr(4) == "00") return scope.substr(0, 4);
  return scope;
}

bool Covers(std::string_view scope, std::string_view code) {
  if (scope.empty()) return true;
  return !code.empty() && code.starts_with(CoveredPrefix(scope));
}

const Division* FindDivision(std::string_view code) { return RegionTable::Builtin().Find(code); }

Status CheckCode(std::string_view code) {
  if (code.empty() || (IsSixDigits(code) && FindDivision(code) != nullptr)) return Status::Ok();
  const std::string shown = Excerpt(code);
  if (IsSixDigits(code))
    return Status::Invalid("'" + shown +
                           "' is not a division of GB/T 2260 (six digits, but no such code)")
        .WithZh("'" + shown + "' 不是 GB/T 2260 行政区划代码（六位数字，但无此代码）");
  Result<std::string> by_name = RegionTable::Builtin().CodeOfName(code);
  if (by_name.ok())
    return Status::Invalid("'" + shown + "' is a name; give its GB/T 2260 code " + *by_name)
        .WithZh("'" + shown + "' 是名称，请填写其 GB/T 2260 行政区划代码 " + *by_name);
  return Status::Invalid("'" + shown + "' is not a GB/T 2260 code (six digits, e.g. 330100)")
      .WithZh("'" + shown + "' 不是 GB/T 2260 行政区划代码（应为六位数字，如 330100）");
}

Result<std::string> CodeOfCodeOrName(std::string_view text) {
  if (text.empty() || CheckCode(text).ok()) return std::string(text);
  if (IsSixDigits(text)) return CheckCode(text);
  return RegionTable::Builtin().CodeOfName(text);
}

Result<std::string> CityCodeOfPhoneCity(std::string_view geocoder_description) {
  return RegionTable::Builtin().CityCodeOfPhoneCity(geocoder_description);
}

std::string PhoneRegion(std::string_view e164) {
  normalise::Phone phone = normalise::NormalisePhone(e164);
  if (!phone.valid || phone.city.empty()) return {};
  // A few hundred distinct cities: map each once per thread.
  thread_local std::unordered_map<std::string, std::string> codes;
  auto it = codes.find(phone.city);
  if (it == codes.end()) {
    Result<std::string> code = CityCodeOfPhoneCity(phone.city);
    it = codes.emplace(phone.city, code.ok() ? *code : std::string()).first;
  }
  return it->second;
}

}  // namespace fanzha::region
