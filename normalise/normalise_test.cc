// What normalisation promises, written as the messy forms real reports contain and what each
// becomes.
#include "normalise/normalise.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace fanzha::normalise {
namespace {

struct PhoneCase {
  const char* raw;
  const char* e164;
};

TEST(NormalisePhone, EverySpellingOfOneMobileIsOneNumber) {
  const PhoneCase cases[] = {
      {"17772123456", "+8617772123456"},
      {"+86 177 7212 3456", "+8617772123456"},
      {"177-7212-3456", "+8617772123456"},
      {"１７７７２１２３４５６", "+8617772123456"},              // full-width digits
      {"＋８６　１７７－７２１２－３４５６", "+8617772123456"},  // full-width plus, dash, space
      {"0086 17772123456", "+8617772123456"},
      {"8617772123456", "+8617772123456"},  // country code typed without "+"
      {"+86-177-7212-3456", "+8617772123456"},
      {"(+86) 177 7212 3456", "+8617772123456"},
      {"  17772123456\t", "+8617772123456"},
      {"177.7212.3456", "+8617772123456"},
  };
  for (const auto& c : cases) {
    Phone p = NormalisePhone(c.raw);
    EXPECT_TRUE(p.valid) << c.raw;
    EXPECT_EQ(p.e164, c.e164) << c.raw;
  }
}

TEST(NormalisePhone, FixedLinesKeepTheirAreaCode) {
  const PhoneCase cases[] = {
      {"0772-2345678", "+867722345678"},  // 柳州 fixed line
      {"(0772) 2345678", "+867722345678"}, {"+86 772 2345678", "+867722345678"},
      {"010-62345678", "+861062345678"},  // 北京
      {"021 6234 5678", "+862162345678"},
  };
  for (const auto& c : cases) {
    Phone p = NormalisePhone(c.raw);
    EXPECT_TRUE(p.valid) << c.raw;
    EXPECT_EQ(p.e164, c.e164) << c.raw;
  }
}

TEST(NormalisePhone, TheGeocoderGivesTheCityInChinese) {
  EXPECT_EQ(NormalisePhone("+8613507721234").city, "广西柳州市");
  EXPECT_EQ(NormalisePhone("0772-2345678").city, "广西柳州市");
  EXPECT_EQ(NormalisePhone("010-62345678").city, "北京市");
  EXPECT_EQ(NormalisePhone("+8618612345678").city, "北京市");
}

TEST(NormalisePhone, BlocksTheGeocoderPlacesOnlyInChinaHaveNoCity) {
  // libphonenumber 8.12's data says only "中国" for many newer blocks (all of 19x and 16x).
  Phone p = NormalisePhone("17772123456");
  EXPECT_TRUE(p.valid);
  EXPECT_EQ(p.city, "");
  EXPECT_EQ(NormalisePhone("19912345678").city, "");
}

TEST(NormalisePhone, ForeignNumbersKeepTheirCountryCode) {
  Phone hk = NormalisePhone("+852 6123 4567");
  EXPECT_TRUE(hk.valid);
  EXPECT_EQ(hk.e164, "+85261234567");
  Phone us = NormalisePhone("+1 650-253-0000");
  EXPECT_TRUE(us.valid);
  EXPECT_EQ(us.e164, "+16502530000");
}

TEST(NormalisePhone, NumbersThatDoNotParseAreKeptCleanedAndFlagged) {
  const PhoneCase cases[] = {
      {"12345", "12345"},
      {"1777212345", "1777212345"},  // a digit short
      {"１２３-４５", "12345"},      // cleaned: folded, dashes removed
      {"not a phone", "notaphone"},
      {"10690000", "10690000"},  // SMS service code, not a subscriber number
      {"", ""},
  };
  for (const auto& c : cases) {
    Phone p = NormalisePhone(c.raw);
    EXPECT_FALSE(p.valid) << c.raw;
    EXPECT_EQ(p.e164, c.e164) << c.raw;
    EXPECT_TRUE(p.city.empty()) << c.raw;
  }
}

struct UrlCase {
  const char* raw;
  const char* url;
  const char* host;
  const char* domain;
};

TEST(NormaliseUrl, MessyFormsOfOneSite) {
  const UrlCase cases[] = {
      {"http://www.kouzhao-sale.cn/pay?id=3", "http://www.kouzhao-sale.cn/pay?id=3",
       "www.kouzhao-sale.cn", "kouzhao-sale.cn"},
      {"HTTP://WWW.Kouzhao-Sale.CN:80/pay?id=3#x", "http://www.kouzhao-sale.cn/pay?id=3",
       "www.kouzhao-sale.cn", "kouzhao-sale.cn"},
      {"kouzhao-sale.cn/pay", "http://kouzhao-sale.cn/pay", "kouzhao-sale.cn", "kouzhao-sale.cn"},
      {"kouzhao-sale.cn", "http://kouzhao-sale.cn/", "kouzhao-sale.cn", "kouzhao-sale.cn"},
      {"www.kouzhao.com.cn", "http://www.kouzhao.com.cn/", "www.kouzhao.com.cn", "kouzhao.com.cn"},
      {"https://pay.kouzhao.com.cn:443/a", "https://pay.kouzhao.com.cn/a", "pay.kouzhao.com.cn",
       "kouzhao.com.cn"},
      {"https://kouzhao.cn:8443/a", "https://kouzhao.cn:8443/a", "kouzhao.cn", "kouzhao.cn"},
      {"  http://kouzhao.cn./  ", "http://kouzhao.cn/", "kouzhao.cn", "kouzhao.cn"},
  };
  for (const auto& c : cases) {
    Url u = NormaliseUrl(c.raw);
    EXPECT_TRUE(u.valid) << c.raw;
    EXPECT_EQ(u.url, c.url) << c.raw;
    EXPECT_EQ(u.host, c.host) << c.raw;
    EXPECT_EQ(u.domain, c.domain) << c.raw;
  }
}

TEST(NormaliseUrl, FullWidthAndIdeographicDotsInTheHost) {
  EXPECT_EQ(NormaliseUrl("kouzhao。cn").url, "http://kouzhao.cn/");
  EXPECT_EQ(NormaliseUrl("ｋｏｕｚｈａｏ．ｃｎ／ｐａｙ").url, "http://kouzhao.cn/pay");
  EXPECT_EQ(NormaliseUrl("http://www。kouzhao。com。cn/x").domain, "kouzhao.com.cn");
}

TEST(NormaliseUrl, DefangedUrlsFromThreatReports) {
  EXPECT_EQ(NormaliseUrl("hxxp://kouzhao-sale[.]cn/pay").url, "http://kouzhao-sale.cn/pay");
  EXPECT_EQ(NormaliseUrl("hxxps://kouzhao(.)cn").url, "https://kouzhao.cn/");
}

TEST(NormaliseUrl, InternationalNamesBecomePunycode) {
  Url u = NormaliseUrl("http://口罩.中国/购买");
  EXPECT_TRUE(u.valid);
  EXPECT_EQ(u.host, "xn--6oru62h.xn--fiqs8s");
  EXPECT_EQ(u.domain, "xn--6oru62h.xn--fiqs8s");
  EXPECT_EQ(u.url, "http://xn--6oru62h.xn--fiqs8s/%E8%B4%AD%E4%B9%B0");
  EXPECT_EQ(NormaliseUrl("http://xn--6oru62h.xn--fiqs8s/%e8%b4%ad%e4%b9%b0").url, u.url);
  EXPECT_EQ(NormaliseUrl("www.口罩.中国").domain, "xn--6oru62h.xn--fiqs8s");
  EXPECT_EQ(NormaliseUrl("ＷＷＷ．口罩。中国").domain, "xn--6oru62h.xn--fiqs8s");
}

TEST(NormaliseUrl, IpHostsAreTheirOwnDomain) {
  Url u = NormaliseUrl("http://1.2.3.4:8080/login");
  EXPECT_TRUE(u.valid);
  EXPECT_EQ(u.host, "1.2.3.4");
  EXPECT_EQ(u.domain, "1.2.3.4");
}

TEST(NormaliseUrl, PublicSuffixesAloneHaveNoRegistrableDomain) {
  Url u = NormaliseUrl("http://com.cn/");
  EXPECT_TRUE(u.valid);
  EXPECT_EQ(u.domain, "");
  EXPECT_EQ(NormaliseUrl("https://fraudster.github.io/x").domain, "fraudster.github.io");
}

TEST(NormaliseUrl, WhatIsNotAUrlIsKeptAndFlagged) {
  for (const char* raw : {"", "   ", "pay", "http://", "http://exa mple.com/"}) {
    Url u = NormaliseUrl(raw);
    EXPECT_FALSE(u.valid) << raw;
    EXPECT_TRUE(u.host.empty()) << raw;
  }
  EXPECT_EQ(NormaliseUrl("  pay ").url, "pay");
}

TEST(DomainOf, AcceptsUrlsAndBareHosts) {
  EXPECT_EQ(DomainOf("HTTP://WWW.Kouzhao.com.cn/pay"), "kouzhao.com.cn");
  EXPECT_EQ(DomainOf("www.kouzhao.com.cn"), "kouzhao.com.cn");
  EXPECT_EQ(DomainOf("a.b.c.kouzhao-sale.cn"), "kouzhao-sale.cn");
  EXPECT_EQ(DomainOf("nonsense"), "");
}

TEST(NormaliseAccount, SpacesDashesAndFullWidthGo) {
  EXPECT_EQ(NormaliseAccount("6222 0212 3456 7890 123"), "6222021234567890123");
  EXPECT_EQ(NormaliseAccount("６２２２－０２１２－３４５６"), "622202123456");
  EXPECT_EQ(NormaliseAccount(" alipay-ab12 "), "ALIPAYAB12");
  EXPECT_EQ(NormaliseAccount("　6228480012345678901　"), "6228480012345678901");
}

TEST(NormaliseText, TraditionalBecomesSimplified) {
  EXPECT_EQ(NormaliseText("詐騙"), "诈骗");
  EXPECT_EQ(NormaliseText("在微信上看到有人出售口罩，轉賬後被拉黑"),
            "在微信上看到有人出售口罩,转账后被拉黑");
}

TEST(NormaliseText, FullWidthLettersAndDigitsBecomeLowerAscii) {
  EXPECT_EQ(NormaliseText("ＡＢＣ１２３"), "abc123");
  EXPECT_EQ(NormaliseText("Kouzhao SALE"), "kouzhao sale");
  EXPECT_EQ(NormaliseText("ＱＱ群：１２３４５"), "qq群:12345");
  EXPECT_EQ(NormaliseText(""), "");
}

TEST(NormaliseText, SimplifiedTextIsUnchanged) {
  const std::string s = "冒充公检法诈骗，请勿转账";
  EXPECT_EQ(NormaliseText(s), "冒充公检法诈骗,请勿转账");  // NFKC folds the full-width comma
}

TEST(NormaliseIdentifier, EachTypeHasItsOwnRule) {
  struct Case {
    IdentifierType type;
    const char* raw;
    const char* value;
    bool valid;
  };
  const Case cases[] = {
      {IdentifierType::kPhone, "+86 177 7212 3456", "+8617772123456", true},
      {IdentifierType::kPhone, "12345", "12345", false},
      {IdentifierType::kAccount, "6222 0212 3456 7890 123", "6222021234567890123", true},
      {IdentifierType::kUrl, "http://www.kouzhao-sale.cn/pay?id=3#top",
       "http://www.kouzhao-sale.cn/pay?id=3", true},
      {IdentifierType::kDomain, "http://www.kouzhao-sale.cn/pay", "kouzhao-sale.cn", true},
      {IdentifierType::kDomain, "www.kouzhao.com.cn", "kouzhao.com.cn", true},
      {IdentifierType::kEmail, " Fraud@Kouzhao.CN ", "fraud@kouzhao.cn", true},
      {IdentifierType::kEmail, "no-at-sign", "no-at-sign", false},
      {IdentifierType::kWechat, " wxid_K8S7D ", "wxid_k8s7d", true},
      {IdentifierType::kQq, "QQ：１２３ ４５６ ７８９", "123456789", true},
      {IdentifierType::kQq, "12", "12", false},
      {IdentifierType::kDevice, " 860000012345678 ", "860000012345678", true},
      {IdentifierType::kIp, "１.２.３.４", "1.2.3.4", true},
      {IdentifierType::kAlipay, " pay@kouzhao.cn", "pay@kouzhao.cn", true},
      {IdentifierType::kOther, "   ", "", false},
  };
  for (const auto& c : cases) {
    Identifier id = NormaliseIdentifier(c.type, c.raw);
    EXPECT_EQ(id.type, c.type) << c.raw;
    EXPECT_EQ(id.raw, c.raw);
    EXPECT_EQ(id.value, c.value) << c.raw;
    EXPECT_EQ(id.valid, c.valid) << c.raw;
  }
}

// The block cache assumes that libphonenumber's validity and city of a mobile number depend on its
// first 7 digits only. Checked here on every 7th block 100-199 at both ends of the block;
// region_test checks every block 130-199.
TEST(NormaliseIdCard, CheckDigitAndForms) {
  EXPECT_EQ(NormaliseIdCard("11010519491231002x"), "11010519491231002X");
  EXPECT_EQ(NormaliseIdCard("110105 1949-1231 002X"), "11010519491231002X");
  EXPECT_EQ(NormaliseIdCard("１１０１０５１９４９１２３１００２ｘ"), "11010519491231002X");
  EXPECT_TRUE(IsValidIdCard("11010519491231002X"));
  EXPECT_TRUE(IsValidIdCard("440524188001010014"));
  EXPECT_FALSE(IsValidIdCard("440524188001010015"));
  EXPECT_EQ(IdCardProblem("440524188001010015"), "the check digit should be 4, not 5");
  EXPECT_EQ(IdCardProblem("44052418800101001"), "17 characters, not 18");
  EXPECT_EQ(IdCardProblem("4405241880010100A4"), "character 17 is not a digit");
  Identifier id = NormaliseIdentifier(IdentifierType::kIdCard, "11010519491231002x");
  EXPECT_TRUE(id.valid);
  EXPECT_EQ(id.value, "11010519491231002X");
  EXPECT_FALSE(NormaliseIdentifier(IdentifierType::kIdCard, "110105194912310021").valid);
}

TEST(NormalisePhone, FastPathAgreesWithLibphonenumberForEveryMobileBlock) {
  int disagreements = 0;
  for (int block = 1000000; block <= 1999999; block += 7) {
    for (const char* suffix : {"0000", "9999"}) {
      const std::string raw = std::to_string(block) + suffix;
      Phone fast = NormalisePhone(raw);
      Phone reference = NormalisePhoneReference(raw);
      if (fast.valid != reference.valid || fast.e164 != reference.e164 ||
          fast.city != reference.city) {
        if (++disagreements <= 10) {
          ADD_FAILURE() << raw << ": fast " << fast.e164 << " " << fast.city << ", reference "
                        << reference.e164 << " " << reference.city;
        }
      }
    }
  }
  EXPECT_EQ(disagreements, 0);
}

// The header promises thread safety: many threads normalising at once give the one-thread answers.
TEST(Normalise, ConcurrentCallsAgreeWithSerialOnes) {
  const std::vector<std::string> phones = {"17772123456", "0772-2345678", "+8613507721234",
                                           "18612345678"};
  std::vector<Phone> expected;
  for (const auto& p : phones) expected.push_back(NormalisePhone(p));
  const std::string text_expected = NormaliseText("詐騙ＡＢＣ");
  const std::string url_expected = NormaliseUrl("WWW.Kouzhao.com.cn:80/#x").url;

  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        const size_t k = static_cast<size_t>(i) % phones.size();
        Phone p = NormalisePhone(phones[k]);
        if (p.e164 != expected[k].e164 || p.city != expected[k].city) ++failures[t];
        if (i % 20 == 0 && NormaliseText("詐騙ＡＢＣ") != text_expected) ++failures[t];
        if (i % 20 == 0 && NormaliseUrl("WWW.Kouzhao.com.cn:80/#x").url != url_expected) {
          ++failures[t];
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(failures[t], 0) << "thread " << t;
}

}  // namespace
}  // namespace fanzha::normalise
