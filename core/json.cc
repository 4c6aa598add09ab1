#include "core/json.h"

#include <string>

namespace fanzha {

Status CheckJsonNesting(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;  // the escaped character cannot end the string
      else if (c == '"')
        in_string = false;
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '[':
      case '{':
        if (++depth > max_depth) {
          return Status::Invalid("nested deeper than " + std::to_string(max_depth) +
                                 " levels at byte " + std::to_string(i))
              .WithZh("JSON 嵌套超过 " + std::to_string(max_depth) + " 层（第 " +
                      std::to_string(i) + " 字节）");
        }
        break;
      case ']':
      case '}':
        if (depth > 0) --depth;  // unbalanced text is the parser's to refuse
        break;
      default:
        break;
    }
  }
  return Status::Ok();
}

Result<std::string> StringField(const nlohmann::json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::string();
  if (!it->is_string()) return Status::Invalid(std::string(key) + ": not a string");
  return it->get<std::string>();
}

Result<bool> BoolField(const nlohmann::json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return false;
  if (!it->is_boolean()) return Status::Invalid(std::string(key) + ": not true or false");
  return it->get<bool>();
}

Result<Fen> MoneyValue(const nlohmann::json& v, const std::string& field) {
  std::string text;
  if (v.is_string())
    text = v.get<std::string>();
  else if (v.is_number())
    text = v.dump();  // a scalar: no recursion
  else
    return Status::Invalid(field + ": not an amount in yuan (\"12.50\")")
        .WithZh(field + "：不是以元为单位的金额");
  Result<Fen> fen = ParseMoney(text);
  if (!fen.ok()) return fen.status().WithContext(field);
  return *fen;
}

}  // namespace fanzha
