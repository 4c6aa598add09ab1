#include "core/json.h"

#include <string>

#include "core/text.h"

namespace fanzha {

Result<nlohmann::json> ParseJsonObject(std::string_view text, const std::string& what,
                                       const std::string& what_zh, JsonLimits limits) {
  if (text.size() > limits.max_bytes) {
    const std::string limit = std::to_string(limits.max_bytes);
    return Status(ErrorCode::kTooLarge,
                  what + ": " + std::to_string(text.size()) + " bytes, above the limit of " + limit)
        .WithZh(what_zh + "：超出 " + limit + " 字节上限");
  }
  if (size_t bad = FirstInvalidUtf8(text); bad != text.size()) {
    return Status::Invalid(what + ": not valid UTF-8 (byte " + std::to_string(bad) + ")")
        .WithZh(what_zh + "：不是有效的 UTF-8 编码（第 " + std::to_string(bad) + " 字节）");
  }
  FANZHA_RETURN_IF_ERROR(CheckJsonNesting(text, limits.max_depth).WithContext(what));
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object())
    return Status::Invalid(what + ": not a JSON object").WithZh(what_zh + "：不是 JSON 对象");
  return doc;
}

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
  if (!it->is_string()) {
    return Status::Invalid(std::string(key) + ": not a string")
        .WithZh(std::string(key) + "：应为字符串");
  }
  return it->get<std::string>();
}

Result<int64_t> CountField(const nlohmann::json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return int64_t{0};
  if (it->is_number_unsigned() && it->get<uint64_t>() <= static_cast<uint64_t>(INT64_MAX))
    return static_cast<int64_t>(it->get<uint64_t>());
  if (it->is_number_integer() && it->get<int64_t>() >= 0) return it->get<int64_t>();
  return Status::Invalid(std::string(key) + ": not a whole number from 0 up")
      .WithZh(std::string(key) + "：应为不小于 0 的整数");
}

Result<bool> BoolField(const nlohmann::json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return false;
  if (!it->is_boolean()) {
    return Status::Invalid(std::string(key) + ": not true or false")
        .WithZh(std::string(key) + "：应为 true 或 false");
  }
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
