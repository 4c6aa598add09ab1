// The cities a generated world lives in: GB/T 2260 code, name, and mobile prefixes (the first seven
// digits of a number) that libphonenumber's offline geocoder maps to that city. Gang phones are
// built from these prefixes so that a lead found from a phone goes to the gang's home jurisdiction.
#pragma once

#include <array>
#include <span>
#include <string_view>

namespace fanzha::gen {

struct City {
  std::string_view code;  // GB/T 2260, six digits (a municipality uses its province code)
  std::string_view name;  // as the geocoder writes it ("来宾市"); a description ends with it
  bool gang_home;         // a known base of fraud gangs: gangs pick their home among these
  std::array<std::string_view, 6> mobile_prefixes;  // 7 digits, stable for any last 4 digits
};

// The whole table, fixed order (indices are stable and used by the generator).
std::span<const City> Cities();

// Relative population weight of city i (big cities get more people).
int CityWeight(size_t index);

}  // namespace fanzha::gen
