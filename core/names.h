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
Status Unknown(std::string_view s, const Names& names, const char* what) {
  std::string options;
  for (std::string_view name : names) {
    if (name.empty()) continue;
    if (!options.empty()) options += ", ";
    options += name;
  }
  return Status::Invalid("unknown " + std::string(what) + " '" + Excerpt(s) + "' (one of " +
                         options + ")");
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

template <typename E, size_t N>
Result<E> ParseName(std::string_view s, const std::pair<std::string_view, E> (&table)[N],
                    const char* what) {
  for (const auto& [name, value] : table) {
    if (s == name) return value;
  }
  return names_detail::Unknown(s, names_detail::FirstOfPairs<E, N>{table}, what);
}

template <typename E, size_t N>
std::string_view NameOf(E v, const std::pair<std::string_view, E> (&table)[N]) {
  for (const auto& [name, value] : table) {
    if (value == v) return name;
  }
  return "?";
}

template <typename E, size_t N>
Result<E> ParseName(std::string_view s, const std::string_view (&names)[N], const char* what) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == s) return static_cast<E>(i);
  }
  return names_detail::Unknown(s, names, what);
}

}  // namespace fanzha
