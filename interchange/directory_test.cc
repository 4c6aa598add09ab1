// The bank directory without NATS: what an announcement is on the wire, which announcements are
// refused and why, the --prefixes option, and which institution an account number belongs to.
// tests/interchange/directory_nats_test.cc runs it over a real nats-server with bank nodes.
#include "interchange/directory.h"

#include <gtest/gtest.h>

namespace fanzha::interchange {
namespace {

Announcement Announced(std::string institution, std::vector<std::string> prefixes) {
  Announcement a;
  a.institution = std::move(institution);
  a.prefixes = std::move(prefixes);
  a.announced_at = ParseTime("2020-02-08T09:00:00+08:00").value();
  return a;
}

TEST(Announcement, IsTheJsonOfTheContractAndReadsBack) {
  const std::string json = ToJson(Announced("中国工商银行", {"622202", "621226"}));
  EXPECT_EQ(json, R"({"interchange":1,"institution":"中国工商银行","prefixes":["622202","621226"],)"
                  R"("announced_at":"2020-02-08T09:00:00+08:00"})");
  Result<Announcement> back = ParseAnnouncement(json);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->institution, "中国工商银行");
  EXPECT_EQ(back->prefixes, (std::vector<std::string>{"622202", "621226"}));
  EXPECT_EQ(back->announced_at, ParseTime("2020-02-08T01:00:00Z").value());
  // Fields this reader does not know are ignored (the contract only grows).
  EXPECT_TRUE(ParseAnnouncement(R"({"interchange":1,"institution":"ICBC","prefixes":[],)"
                                R"("announced_at":"2020-02-08T09:00:00+08:00","region":"330100"})")
                  .ok());
}

TEST(Announcement, OneThatCannotBeTrustedIsRefusedSayingWhy) {
  const std::string head =
      R"({"interchange":1,"institution":"ICBC","announced_at":"2020-02-08T09:00:00+08:00",)";
  std::string many = head + R"("prefixes":[)";
  for (int i = 0; i < 1001; ++i) many += (i ? ",\"" : "\"") + std::to_string(100000 + i) + "\"";
  many += "]}";
  std::string big = head + R"("prefixes":["622202"],"note":")" + std::string(70000, 'x') + "\"}";
  struct Bad {
    std::string bytes, message, zh;
    ErrorCode code = ErrorCode::kInvalidInput;
  };
  const Bad cases[] = {
      {big, "announcement: 70", "超出 65536 字节上限", ErrorCode::kTooLarge},
      {many, "prefixes: 1001 prefixes, above the limit of 1000", "超出 1000 个上限"},
      {head + R"("prefixes":["622202","62a2"]})",
       "prefixes[1]: prefix '62a2': an issuer prefix is 1 to 11 digits", "须为 1 至 11 位数字"},
      {head + R"("prefixes":["622202123456"]})", "prefixes[0]: prefix '622202123456'", "前缀"},
      {head + R"("prefixes":[""]})", "prefixes[0]: prefix ''", "前缀"},
      {head + R"("prefixes":[622202]})", "prefixes[0]: not a string", "不是字符串"},
      {head + R"("prefixes":"622202"})", "prefixes: missing or not an array", "缺失或不是数组"},
      {R"({"interchange":2,"institution":"ICBC","prefixes":[],"announced_at":"2020-02-08T09:00:00+08:00"})",
       "interchange: version 2 (this reader speaks 1)", "本程序只支持版本 1"},
      {R"({"interchange":1,"institution":"ICBC","prefixes":[],"announced_at":"yesterday"})",
       "announced_at: ", "announced_at"},
      {R"({"interchange":1,"institution":")" + std::string(65, 'A') +
           R"(","prefixes":[],"announced_at":"2020-02-08T09:00:00+08:00"})",
       "institution: institution 'AAAA", "机构名称须为 1 至 64 字节"},
      {R"({"interchange":1,"prefixes":[]})", "institution: missing or not a string", "缺失"},
      {"[1]", "announcement: not a JSON object", "不是 JSON 对象"},
  };
  for (const Bad& bad : cases) {
    Status st = ParseAnnouncement(bad.bytes).status();
    EXPECT_EQ(st.code(), bad.code) << bad.bytes.substr(0, 200);
    EXPECT_EQ(st.message().rfind(bad.message, 0), 0u) << st.message();
    EXPECT_NE(st.zh().find(bad.zh), std::string::npos) << st.zh();
  }
}

TEST(Prefixes, TheOptionTakesDigitPrefixesAndKeepsARepeatedOneOnce) {
  Result<std::vector<std::string>> p = ParsePrefixes("622202, 621226,622202,9");
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(*p, (std::vector<std::string>{"622202", "621226", "9"}));
  for (std::string_view bad :
       {"", "622202,", "62-2202", "６２２２０２", "123456789012", "622202;621226"}) {
    Status st = ParsePrefixes(bad).status();
    EXPECT_EQ(st.code(), ErrorCode::kInvalidInput) << bad;
    EXPECT_NE(st.message().find("an issuer prefix is 1 to 11 digits"), std::string::npos)
        << st.message();
    EXPECT_NE(st.zh().find("发卡机构前缀须为 1 至 11 位数字"), std::string::npos) << st.zh();
  }
  std::string many;
  for (int i = 0; i < 1001; ++i) many += (i ? "," : "") + std::to_string(100000 + i);
  EXPECT_EQ(ParsePrefixes(many).status().message(), "1001 prefixes: at most 1000");
}

TEST(Directory, TheLongestAnnouncedPrefixNamesTheInstitution) {
  Directory d({Announced("中国工商银行", {"622202", "621226"}), Announced("BANKA", {"6222"}),
               Announced("BANKB", {"62220212345"})});
  EXPECT_EQ(d.InstitutionOf("6222021234567890123"), "BANKB");  // 11 digits beat 6
  EXPECT_EQ(d.InstitutionOf("6222029999999999999"), "中国工商银行");
  EXPECT_EQ(d.InstitutionOf("6222991234567890123"), "BANKA");
  EXPECT_EQ(d.InstitutionOf("6212261234567890123"), "中国工商银行");
  EXPECT_EQ(d.InstitutionOf("6222"), "BANKA") << "an account that is its prefix";
  EXPECT_EQ(d.InstitutionOf("6217001234567890123"), std::nullopt);
  EXPECT_EQ(d.InstitutionOf(""), std::nullopt);
  EXPECT_EQ(Directory().InstitutionOf("6222021234567890123"), std::nullopt);
}

TEST(Directory, OfTwoAnnouncingOnePrefixTheLaterAnnouncementWins) {
  Directory d({Announced("BANKA", {"621700", "621799"}), Announced("BANKB", {"621700"})});
  EXPECT_EQ(d.InstitutionOf("6217001234567890123"), "BANKB");
  EXPECT_EQ(d.InstitutionOf("6217991234567890123"), "BANKA");
  // In stream order, whatever the banks' own clocks say.
  Announcement early = Announced("BANKC", {"621700"});
  early.announced_at = 0;
  Directory later({Announced("BANKB", {"621700"}), early});
  EXPECT_EQ(later.InstitutionOf("6217001234567890123"), "BANKC");
}

TEST(Directory, SubjectsAndTheStreamOfTheContract) {
  EXPECT_EQ(BankSubject("ICBC"), "fanzha.bank.ICBC");
  EXPECT_EQ(BankSubjectToken("fanzha.bank._e4b8ad"), "_e4b8ad");
  EXPECT_EQ(BankSubjectToken("fanzha.ans.ICBC"), "");
  const StreamSpec s = BanksStream(3);
  EXPECT_EQ(s.name, "FANZHA_BANKS");
  EXPECT_EQ(s.subjects, (std::vector<std::string>{"fanzha.bank.*"}));
  EXPECT_EQ(s.max_msgs_per_subject, 1);
  EXPECT_EQ(s.max_age, 0);
  EXPECT_EQ(s.max_msg_size, 65536);
  EXPECT_EQ(s.replicas, 3);
}

}  // namespace
}  // namespace fanzha::interchange
