#include "core/text.h"

#include <gtest/gtest.h>

#include "core/model.h"
#include "core/status.h"

namespace fanzha {
namespace {

TEST(WholeNumbers, DigitsWithinTheBoundsAreNumbers) {
  EXPECT_EQ(ParseWholeNumber("0", 0, 10), 0);
  EXPECT_EQ(ParseWholeNumber("10", 0, 10), 10);
  EXPECT_EQ(ParseWholeNumber("007", 0, 10), 7);
  EXPECT_EQ(ParseWholeNumber("-5", -10, 10), -5);
  EXPECT_EQ(ParseWholeNumber("9223372036854775807", 0, INT64_MAX), INT64_MAX);
  EXPECT_EQ(ParseWholeNumber("-9223372036854775808", INT64_MIN, 0), INT64_MIN);
}

TEST(WholeNumbers, AnythingElseIsNoNumber) {
  for (const char* text : {"", "-", "+1", " 1", "1 ", "1e3", "0x10", "12abc", "1.0", "１２"})
    EXPECT_EQ(ParseWholeNumber(text, 0, 1000), std::nullopt) << text;
  EXPECT_EQ(ParseWholeNumber("-1", 0, 1000), std::nullopt) << "no sign where the bounds have none";
  EXPECT_EQ(ParseWholeNumber("11", 0, 10), std::nullopt);
  EXPECT_EQ(ParseWholeNumber("-11", -10, 10), std::nullopt);
  EXPECT_EQ(ParseWholeNumber("9223372036854775808", 0, INT64_MAX), std::nullopt);
  EXPECT_EQ(ParseWholeNumber("18446744073709551615", 0, INT64_MAX), std::nullopt);
  EXPECT_EQ(ParseWholeNumber("99999999999999999999", 0, INT64_MAX), std::nullopt);
}

TEST(Utf8, WellFormedTextIsValid) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("abc"));
  EXPECT_TRUE(IsValidUtf8("杭州市 冒充公检法 \xF0\x9F\x98\x80"));  // CJK and an emoji
}

TEST(Utf8, BadBytesAreFoundWhereTheyStart) {
  EXPECT_EQ(FirstInvalidUtf8("ab\xFF"
                             "c"),
            2u);
  EXPECT_EQ(FirstInvalidUtf8("\xC4\xE3\xBA\xC3"), 0u);  // "你好" in GBK
  EXPECT_EQ(FirstInvalidUtf8("ok\xE6\x9D"), 2u);        // cut in the middle
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));                // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));            // overlong, 3 bytes
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));            // a surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));        // above U+10FFFF
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));         // U+10FFFF itself
}

TEST(Utf8, PrefixNeverCutsACharacter) {
  EXPECT_EQ(Utf8Prefix("short", 10), "short");
  EXPECT_EQ(Utf8Prefix("abcdef", 3), "abc\u2026");
  // "杭州" is 6 bytes: a cut at 4 falls inside 州 and goes back to its start.
  EXPECT_EQ(Utf8Prefix("杭州", 4), "杭\u2026");
  EXPECT_TRUE(IsValidUtf8(Utf8Prefix("杭州市公安局", 7)));
}

TEST(Html, EveryCharacterThatOpensMarkupIsAnEntity) {
  EXPECT_EQ(EscapeHtml("<img src=x onerror='a()'>&\"杭州\""),
            "&lt;img src=x onerror=&#39;a()&#39;&gt;&amp;&quot;杭州&quot;");
  EXPECT_EQ(EscapeHtml("骗子 138 0013 8000"), "骗子 138 0013 8000");
}

TEST(Utf8, ExcerptsOfUntrustedInputAreShortAndValid) {
  EXPECT_EQ(Excerpt("杭州市"), "杭州市");
  EXPECT_EQ(Excerpt("a\nb"), "a?b");  // no line breaks smuggled into a log line
  std::string huge(5000, 'a');
  EXPECT_EQ(Excerpt(huge, 10), "aaaaaaaaaa\u2026");
  EXPECT_TRUE(IsValidUtf8(Excerpt("\xE6\x9D\xAD\xE5\xB7\x9E\xFF", 4)));
}

TEST(CaseIds, OnlyWhatFormatsAllows) {
  for (const char* ok : {"HZ-20200208-0001", "C000123", "C7a", "a_b.c-1", "0"})
    EXPECT_TRUE(CheckCaseId(ok).ok()) << ok;
  for (std::string bad :
       {std::string(), std::string("4601%"), std::string("<script>"),
        std::string("../../etc/passwd"), std::string("-rf"), std::string(".hidden"),
        std::string("案件1"), std::string(65, 'a'), std::string("C1\0", 3)})
    EXPECT_FALSE(CheckCaseId(bad).ok()) << bad;
  Status long_id = CheckCaseId(std::string(5000, 'x'));
  EXPECT_LT(long_id.message().size(), 200u);
  EXPECT_NE(long_id.zh().find("超过 64"), std::string::npos);
  EXPECT_FALSE(CheckLength("memo", std::string(11, 'm'), 10).ok());
  EXPECT_TRUE(CheckLength("memo", std::string(10, 'm'), 10).ok());
}

TEST(Categories, TheBuiltInListOfFormats) {
  ASSERT_NE(FindCategory("impersonation_acquaintance"), nullptr);
  EXPECT_EQ(FindCategory("impersonation_acquaintance")->zh, "冒充熟人、领导");
  EXPECT_EQ(BuiltinCategories().back().key, "other");
  EXPECT_EQ(FindCategory("nonsense"), nullptr);
  EXPECT_EQ(*ParseIdentifierType("id_card"), IdentifierType::kIdCard);
  EXPECT_EQ(Name(IdentifierType::kIdCard), "id_card");
}

TEST(Utf8, InvalidBytesBecomeReplacementCharacters) {
  EXPECT_EQ(ValidUtf8("杭州 ok"), "杭州 ok");
  EXPECT_EQ(ValidUtf8("a\xFF"
                      "b"),
            "a\uFFFD"
            "b");
  EXPECT_EQ(ValidUtf8("\xC0\xAF"), "\uFFFD\uFFFD");  // an overlong '/' is two bad bytes
  EXPECT_EQ(ValidUtf8("\xBA\xBC\xD6\xDD"), "\uFFFD\uFFFD\uFFFD\uFFFD");  // 杭州 in GBK
  EXPECT_EQ(ValidUtf8("x\xE6\x9D"), "x\uFFFD\uFFFD");                    // 杭 cut short
  EXPECT_TRUE(IsValidUtf8(ValidUtf8("\xED\xA0\x80 \xF4\x90\x80\x80")));
  EXPECT_EQ(ValidUtf8("\xC4\xE3"), "\uFFFD\uFFFD");
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

TEST(CodeNames, AChineseReaderSeesTheDashboardsLabelAndAnUnknownCodeAsItIs) {
  EXPECT_EQ(fanzha::ChineseName(fanzha::IdentifierType::kPhone), "手机号");
  EXPECT_EQ(fanzha::ChineseName(fanzha::IdentifierType::kOther), "其他");
  EXPECT_EQ(fanzha::ChineseName(fanzha::AccountKind::kExchange), "交易所");
  EXPECT_EQ(fanzha::ChineseName(fanzha::Channel::kWithdrawal), "取现");
  EXPECT_EQ(fanzha::IdentifierTypeInChinese("wechat"), "微信");
  EXPECT_EQ(fanzha::IdentifierTypeInChinese("telegram"), "telegram");
  EXPECT_EQ(fanzha::AccountKindInChinese("merchant"), "商户账户");
  EXPECT_EQ(fanzha::AccountKindInChinese(""), "");
  EXPECT_EQ(fanzha::CategoryInChinese("romance"), "婚恋交友");
  EXPECT_EQ(fanzha::CategoryInChinese("pig_butchering"), "pig_butchering");
}
