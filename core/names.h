// Closed sets of names (kinds, statuses, roles) to enum values and back, with one error message
// that lists the names it knows: "unknown <what> 'x' (one of a, b, c)".
//
// Two table shapes: pairs {name, value}, for sets with aliases or out of enum order; or plain names
// in enum order, names[i] naming E(i). An empty name in a pair table is accepted but not listed.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "core/status.h"
#include "core/text.h"

namespace fanzha {
namespace names_detail {

template <typename Names>
Status Unknown(std::string_view s, const Names& names, const char* what, const char* what_zh) {
  std::string options, options_zh;
  for (std::string_view name : names) {
    if (name.empty()) continue;
    if (!options.empty()) options += ", ", options_zh += "、";
    options += name;
    options_zh += name;
  }
  Status unknown = Status::Invalid("unknown " + std::string(what) + " '" + Excerpt(s) +
                                   "' (one of " + options + ")");
  if (what_zh == nullptr) return unknown;
  return unknown.WithZh("未知的" + std::string(what_zh) + " '" + Excerpt(s) + "'（可选 " +
                        options_zh + "）");
}

template <typename E, size_t N>
struct FirstOfPairs {  // the names of a pair table, as a range
  const std::pair<std::string_view, E> (&table)[N];
  struct It {
    const std::pair<std::string_view, E>* p;
    std::string_view operator*() const { return p->first; }
    It& operator++() { return ++p, *this; }
    bool operator!=(const It& o) const { return p != o.p; }
  };
  It begin() const { return {table}; }
  It end() const { return {table + N}; }
};

}  // namespace names_detail

// `what` names the set in English ("lead status"), `what_zh` in Chinese ("线索状态"); without it a
// Chinese reader gets the code's generic line before the English.
template <typename E, size_t N>
Result<E> ParseName(std::string_view s, const std::pair<std::string_view, E> (&table)[N],
                    const char* what, const char* what_zh = nullptr) {
  for (const auto& [name, value] : table) {
    if (s == name) return value;
  }
  return names_detail::Unknown(s, names_detail::FirstOfPairs<E, N>{table}, what, what_zh);
}

template <typename E, size_t N>
std::string_view NameOf(E v, const std::pair<std::string_view, E> (&table)[N]) {
  for (const auto& [name, value] : table) {
    if (value == v) return name;
  }
  return "?";
}

template <typename E, size_t N>
Result<E> ParseName(std::string_view s, const std::string_view (&names)[N], const char* what,
                    const char* what_zh = nullptr) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == s) return static_cast<E>(i);
  }
  return names_detail::Unknown(s, names, what, what_zh);
}

}  // namespace fanzha
