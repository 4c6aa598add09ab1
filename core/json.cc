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

}  // namespace fanzha
