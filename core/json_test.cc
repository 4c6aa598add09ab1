#include "core/json.h"

#include <gtest/gtest.h>

#include <string>

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

}  // namespace
}  // namespace fanzha
