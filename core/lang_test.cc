// The language a user reads (core/lang.h).
#include "core/lang.h"

#include <gtest/gtest.h>
#include <stdlib.h>

namespace fanzha::lang_test {
namespace {

TEST(Lang, NamesAreReadAsPeopleWriteThem) {
  EXPECT_EQ(*ParseLang("zh-CN"), Lang::kZh);
  EXPECT_EQ(*ParseLang("zh_CN.UTF-8"), Lang::kZh);
  EXPECT_EQ(*ParseLang("ZH"), Lang::kZh);
  EXPECT_EQ(*ParseLang("en-US"), Lang::kEn);
  EXPECT_EQ(*ParseLang("both"), Lang::kBoth);
  Status bad = ParseLang("fr").status();
  EXPECT_EQ(bad.code(), ErrorCode::kInvalidInput);
  EXPECT_NE(bad.zh().find("语言 'fr'"), std::string::npos) << bad.zh();
  EXPECT_FALSE(ParseLang("zhx").ok());  // not a Chinese tag
}

TEST(Lang, AcceptLanguageTakesTheHighestQualityOfChineseOrEnglish) {
  EXPECT_EQ(LangOfAcceptLanguage("en-US,en;q=0.9"), Lang::kEn);
  EXPECT_EQ(LangOfAcceptLanguage("zh-CN,zh;q=0.9,en;q=0.8"), Lang::kZh);
  EXPECT_EQ(LangOfAcceptLanguage("en;q=0.5, zh-Hans;q=0.7"), Lang::kZh);
  EXPECT_EQ(LangOfAcceptLanguage("fr-FR, en;q=0.3"), Lang::kEn);  // French is not offered
  EXPECT_EQ(LangOfAcceptLanguage("fr, de"), Lang::kZh);           // neither: the users' language
  EXPECT_EQ(LangOfAcceptLanguage(""), Lang::kZh);
  EXPECT_EQ(LangOfAcceptLanguage("en;q=0, zh;q=0"), Lang::kZh);  // q=0: not acceptable
  EXPECT_EQ(LangOfAcceptLanguage("en;q=abc"), Lang::kZh);
}

TEST(Lang, TheEnvironmentDecidesWhenNobodyChose) {
  ::setenv("FANZHA_LANG", "", 1);
  ::setenv("LC_ALL", "", 1);
  ::setenv("LC_MESSAGES", "", 1);
  ::setenv("LANG", "C.UTF-8", 1);
  EXPECT_EQ(LangOfEnvironment(), Lang::kBoth);
  ::setenv("LANG", "zh_CN.UTF-8", 1);
  EXPECT_EQ(LangOfEnvironment(), Lang::kZh);
  ::setenv("LC_ALL", "en_US.UTF-8", 1);
  EXPECT_EQ(LangOfEnvironment(), Lang::kEn);
  ::setenv("FANZHA_LANG", "zh-CN", 1);
  EXPECT_EQ(LangOfEnvironment(), Lang::kZh);
  ::unsetenv("FANZHA_LANG");
  ::unsetenv("LC_ALL");
  ::unsetenv("LC_MESSAGES");
}

TEST(Lang, MessagesComeInTheChosenLanguage) {
  Status st = Status::NotFound("no case HZ1").WithZh("没有案件 HZ1");
  EXPECT_EQ(MessageIn(Lang::kZh, st), "没有案件 HZ1");
  EXPECT_EQ(MessageIn(Lang::kEn, st), "no case HZ1");
  EXPECT_EQ(MessageIn(Lang::kBoth, st), "没有案件 HZ1\nno case HZ1");
  EXPECT_EQ(SayInline(Lang::kBoth, "unassigned", "未指派"), "未指派 unassigned");
  EXPECT_EQ(SayInline(Lang::kEn, "unassigned", "未指派"), "unassigned");
  EXPECT_EQ(SayInline(Lang::kBoth, "C000001", "C000001"), "C000001");
  EXPECT_EQ(Say(Lang::kBoth, "K000001", "K000001"), "K000001");
  EXPECT_STREQ(LangTag(Lang::kEn), "en");
  EXPECT_STREQ(LangTag(Lang::kZh), "zh-CN");
}

}  // namespace
}  // namespace fanzha::lang_test
