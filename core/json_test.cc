#include "core/json.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fanzha {
namespace {

std::string Nested(int depth, char open, char close) {
  return std::string(depth, open) + std::string(depth, close);
}

TEST(CheckJsonNesting, CountsArraysAndObjectsUpToTheLimit) {
  EXPECT_TRUE(CheckJsonNesting("1", 0).ok());
  EXPECT_TRUE(CheckJsonNesting("[]", 1).ok());
  EXPECT_FALSE(CheckJsonNesting("[]", 0).ok());
  EXPECT_TRUE(CheckJsonNesting(R"({"a":[{"b":[1,2]}]})", 4).ok());
  EXPECT_FALSE(CheckJsonNesting(R"({"a":[{"b":[1,2]}]})", 3).ok());
  EXPECT_TRUE(CheckJsonNesting(Nested(64, '[', ']')).ok());
  EXPECT_FALSE(CheckJsonNesting(Nested(65, '[', ']')).ok());
}

TEST(CheckJsonNesting, NamesTheByteAndSaysItInChinese) {
  Status st = CheckJsonNesting(R"({"case":{"narrative":[[[[]]]]}})", 4);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(st.message(), "nested deeper than 4 levels at byte 23");
  EXPECT_NE(st.zh().find("嵌套"), std::string::npos);
}

TEST(CheckJsonNesting, BracketsInStringsDoNotCount) {
  EXPECT_TRUE(CheckJsonNesting(R"(["[[[[[[", "{{{{", "\"[[[["])", 1).ok());
  EXPECT_FALSE(CheckJsonNesting(R"(["\\", [[]]])", 2).ok());  // an escaped backslash ends nothing
}

TEST(CheckJsonNesting, AHundredThousandLevelsAreRefusedWithoutRecursion) {
  std::string deep = R"({"case":{"narrative":)" + Nested(100000, '[', ']') + "}}";
  EXPECT_FALSE(CheckJsonNesting(deep).ok());
  EXPECT_FALSE(CheckJsonNesting(std::string(1 << 20, '[')).ok());
  EXPECT_TRUE(
      CheckJsonNesting(std::string(1 << 20, ']')).ok());  // unbalanced: the parser's to refuse
}

TEST(ParseJsonObject, ChecksSizeBytesNestingAndShapeBeforeItTrustsTheText) {
  auto ok = ParseJsonObject(R"({"case":{"id":"C1"}})", "body", "请求体");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ((*ok)["case"]["id"], "C1");
  struct Bad {
    std::string text, message, zh;
    ErrorCode code = ErrorCode::kInvalidInput;
  };
  for (const Bad& b :
       std::vector<Bad>{{std::string(40, ' ') + "{}", "body: 42 bytes, above the limit of 32",
                         "请求体：超出 32 字节上限", ErrorCode::kTooLarge},
                        {"{\"a\":\"\xB9\xE3\"}", "body: not valid UTF-8 (byte 6)",
                         "请求体：不是有效的 UTF-8 编码（第 6 字节）"},
                        {"[[[{}]]]", "body: nested deeper than 3 levels at byte 3", ""},
                        {"[1,2]", "body: not a JSON object", "请求体：不是 JSON 对象"},
                        {"{\"a\":", "body: not a JSON object", "请求体：不是 JSON 对象"},
                        {"", "body: not a JSON object", "请求体：不是 JSON 对象"}}) {
    auto r = ParseJsonObject(b.text, "body", "请求体", {.max_bytes = 32, .max_depth = 3});
    ASSERT_FALSE(r.ok()) << b.text;
    EXPECT_EQ(r.status().code(), b.code) << b.text;
    EXPECT_EQ(r.status().message(), b.message);
    if (!b.zh.empty()) {
      EXPECT_EQ(r.status().zh(), b.zh);
    }
  }
}

TEST(Fields, ACountIsAWholeNumberFromZeroUpOrAbsent) {
  nlohmann::json body = nlohmann::json::parse(
      R"({"arrests": 5, "zero": 0, "none": null, "big": 9223372036854775807,
          "past": 9223372036854775808, "minus": -1, "half": 2.5, "text": "3", "list": [1]})");
  EXPECT_EQ(*CountField(body, "arrests"), 5);
  EXPECT_EQ(*CountField(body, "zero"), 0);
  EXPECT_EQ(*CountField(body, "none"), 0);
  EXPECT_EQ(*CountField(body, "absent"), 0);
  EXPECT_EQ(*CountField(body, "big"), INT64_MAX);
  for (const char* bad : {"past", "minus", "half", "text", "list"}) {
    Result<int64_t> n = CountField(body, bad);
    ASSERT_FALSE(n.ok()) << bad;
    EXPECT_EQ(n.status().code(), ErrorCode::kInvalidInput);
    EXPECT_TRUE(n.status().message().starts_with(std::string(bad) + ": ")) << n.status().message();
    EXPECT_NE(n.status().zh().find("整数"), std::string::npos);
  }
}

}  // namespace
}  // namespace fanzha
