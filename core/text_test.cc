#include "core/text.h"

#include <gtest/gtest.h>

#include "core/status.h"

namespace fanzha {
namespace {

TEST(Utf8, WellFormedTextIsValid) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("abc"));
  EXPECT_TRUE(IsValidUtf8("杭州市 冒充公检法 \xF0\x9F\x98\x80"));  // CJK and an emoji
}

TEST(Utf8, BadBytesAreFoundWhereTheyStart) {
  EXPECT_EQ(FirstInvalidUtf8("ab\xFF" "c"), 2u);
  EXPECT_EQ(FirstInvalidUtf8("\xC4\xE3\xBA\xC3"), 0u);            // "你好" in GBK
  EXPECT_EQ(FirstInvalidUtf8("ok\xE6\x9D"), 2u);                  // cut in the middle
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));                          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));                      // overlong, 3 bytes
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));                      // a surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));                  // above U+10FFFF
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));                   // U+10FFFF itself
}

TEST(Utf8, PrefixNeverCutsACharacter) {
  EXPECT_EQ(Utf8Prefix("short", 10), "short");
  EXPECT_EQ(Utf8Prefix("abcdef", 3), "abc\u2026");
  // "杭州" is 6 bytes: a cut at 4 falls inside 州 and goes back to its start.
  EXPECT_EQ(Utf8Prefix("杭州", 4), "杭\u2026");
  EXPECT_TRUE(IsValidUtf8(Utf8Prefix("杭州市公安局", 7)));
}

TEST(Utf8, InvalidBytesBecomeReplacementCharacters) {
  EXPECT_EQ(ValidUtf8("杭州 ok"), "杭州 ok");
  EXPECT_EQ(ValidUtf8("a\xFF""b"), "a\uFFFD""b");
  EXPECT_EQ(ValidUtf8("\xC0\xAF"), "\uFFFD\uFFFD");  // an overlong '/' is two bad bytes
  EXPECT_EQ(ValidUtf8("\xBA\xBC\xD6\xDD"), "\uFFFD\uFFFD\uFFFD\uFFFD");  // 杭州 in GBK
  EXPECT_EQ(ValidUtf8("x\xE6\x9D"), "x\uFFFD\uFFFD");  // 杭 cut short
  EXPECT_TRUE(IsValidUtf8(ValidUtf8("\xED\xA0\x80 \xF4\x90\x80\x80")));
}

TEST(StatusZh, EveryErrorHasAChineseLine) {
  Status plain = Status::Invalid("transfers.csv:3: amount: not a number");
  EXPECT_EQ(plain.zh(), "输入格式错误或不符合规则：transfers.csv:3: amount: not a number");
  Status own = Status::Invalid("body too deep").WithZh("请求体嵌套过深");
  EXPECT_EQ(own.zh(), "请求体嵌套过深");
  EXPECT_EQ(own.WithContext("POST /api/cases").zh(), "POST /api/cases: 请求体嵌套过深");
  EXPECT_EQ(HttpStatus(ErrorCode::kTooLarge), 413);
  EXPECT_EQ(HttpStatus(ErrorCode::kTooMany), 429);
  EXPECT_STREQ(ErrorCodeName(ErrorCode::kTooLarge), "too_large");
}

}  // namespace
}  // namespace fanzha
