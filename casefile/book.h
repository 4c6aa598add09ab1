// Inside the case file's books (stages.h, work.h): the errors they share and how they read the
// names of their enums. Not part of the module's contract.
#pragma once

#include <string>
#include <string_view>

#include "core/names.h"
#include "core/status.h"
#include "core/text.h"
#include "store/store.h"

namespace fanzha::casefile {

// A field that breaks a rule, in both languages: "note: ..." / "note：...".
inline Status Field(const std::string& field, const std::string& en, const std::string& zh) {
  return Status::Invalid(field + ": " + en).WithZh(field + "：" + zh);
}

inline Status NoCase(const std::string& id) {
  return Status::NotFound("no case " + id).WithZh("没有案件 " + id);
}

// An enum by its English name (any case) or its Chinese name; an unknown one lists the choices.
template <typename E, size_t N>
Result<E> ByEitherName(std::string_view text, const std::string_view (&names)[N],
                       const std::string_view (&chinese)[N], const char* what) {
  const std::string_view t = Trim(text);
  for (size_t i = 0; i < N; ++i) {
    if (chinese[i] == t) return static_cast<E>(i);
  }
  Result<E> e = ParseName<E>(AsciiLower(t), names, what);
  if (e.ok()) return e;
  std::string zh;
  for (std::string_view c : chinese) zh += (zh.empty() ? "" : "、") + std::string(c);
  return Status(e.status())
      .WithZh("未知的" + std::string(what) + "“" + Excerpt(text) + "”（可选：" + zh + "）");
}

// A stored name that does not parse is the store's error, naming the row (store.h).
template <typename E>
Result<E> Stored(Result<E> parsed, std::string_view table, const std::string& row,
                 std::string_view column) {
  if (parsed.ok()) return parsed;
  return store::BadStoredValue(table, row, column, parsed.status());
}

}  // namespace fanzha::casefile
