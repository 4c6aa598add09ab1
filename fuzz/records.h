// Shared by the importer fuzz targets: comparing records field by field, describing them in a
// failure report, and writing them in the canonical forms of FORMATS.md (what fanzha's own
// exports and gen/ write), so that a target can check that accepted rows round-trip.
#pragma once

#include <string>
#include <vector>

#include "core/model.h"

namespace fanzha::fuzz {

bool Same(const Account& a, const Account& b);
bool Same(const Transfer& a, const Transfer& b);
bool Same(const Identifier& a, const Identifier& b);
bool Same(const Case& a, const Case& b);
template <typename T>
bool Same(const std::vector<T>& a, const std::vector<T>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!Same(a[i], b[i])) return false;
  }
  return true;
}

std::string Describe(const Account& a);
std::string Describe(const Transfer& t);
std::string Describe(const Case& c);
template <typename T>
std::string Describe(const std::vector<T>& v) {
  std::string out;
  for (const T& x : v) out += Describe(x) + "\n";
  return out;
}

// accounts.csv files with a header each: one file for each set of attribute columns, since every
// row of a file has the header's fields (an account seen only in transfers has no attributes).
std::vector<std::string> AccountsCsv(const std::vector<Account>& accounts);
// transfers.csv with a header; times in +08:00, money in yuan with two decimals.
std::string TransfersCsv(const std::vector<Transfer>& transfers);
// One cases.jsonl line. The registrable domains the importer derives from URLs are not written
// (they would be reported twice); identifiers are written as reported (raw).
std::string CaseJson(const Case& c);

}  // namespace fanzha::fuzz
