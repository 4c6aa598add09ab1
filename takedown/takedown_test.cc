// Takedown requests: platforms, lifecycle, CSV and the STIX 2.1 bundle's shape.
#include "takedown/takedown.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>

#include "tests/support/postgres_server.h"

namespace fanzha::takedown {
namespace {

constexpr Millis kT0 = 1580486400000;  // 2020-02-01T00:00:00+08:00

TEST(Platform, EachValueGoesToWhoCanBlockIt) {
  EXPECT_EQ(PlatformOf(Kind::kDomain, "shop-fuli809.cn"), "CNNIC (.cn)");
  EXPECT_EQ(PlatformOf(Kind::kDomain, "usdt-pay22.cc"), "registry of .cc");
  EXPECT_EQ(PlatformOf(Kind::kUrl, "https://pay-jinrong807.com/login?x=1"), "registry of .com");
  EXPECT_EQ(PlatformOf(Kind::kPhone, "+8613507721234"), "China Mobile");
  EXPECT_EQ(PlatformOf(Kind::kPhone, "+8618688983800"), "China Unicom");
  EXPECT_EQ(PlatformOf(Kind::kPhone, "+8617000001234"), "virtual operator (MVNO)");
  EXPECT_EQ(PlatformOf(Kind::kPhone, "+862088881234"), "fixed-line carrier");
  EXPECT_EQ(PlatformOf(Kind::kWechat, "wxid_abc"), "Tencent (WeChat)");
  EXPECT_EQ(PlatformInChinese("China Mobile"), "中国移动");
  EXPECT_EQ(PlatformInChinese("CNNIC (.cn)"), "中国互联网络信息中心（.cn）");
  EXPECT_EQ(PlatformInChinese("registry of .cc"), ".cc 域名注册局");
  EXPECT_EQ(PlatformInChinese("mail provider qq.com"), "邮件服务商 qq.com");
  EXPECT_EQ(PlatformInChinese("Some Registrar"), "Some Registrar");
  EXPECT_FALSE(KindOfIdentifier("account").has_value());
  EXPECT_EQ(KindOfIdentifier("qq"), Kind::kQq);
}

TEST(Uuid5, MatchesTheRfc4122Example) {
  // Python: uuid.uuid5(uuid.NAMESPACE_DNS, "python.org")
  EXPECT_EQ(Uuid5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "python.org"),
            "886313e1-3b8a-5372-9b90-0c9aee199e5d");
}

Request MakeRequest(int64_t id, Kind kind, std::string value, std::string platform) {
  Request r;
  r.id = id;
  r.kind = kind;
  r.value = std::move(value);
  r.platform = std::move(platform);
  return r;
}

std::vector<Request> Sample() {
  Request d = MakeRequest(1, Kind::kDomain, "shop-fuli809.com", "registry of .com");
  Request u = MakeRequest(2, Kind::kUrl, "https://x.top/it's", "registry of .top");
  Request p = MakeRequest(3, Kind::kPhone, "+8613507721234", "China Mobile");
  Request w = MakeRequest(4, Kind::kWechat, "wxid_abc", "Tencent (WeChat)");
  d.category = "refund";
  return {d, u, p, w};
}

TEST(Stix, ABundleOfIndicatorsForSitesAndObservablesForNumbersAndAccounts) {
  auto b = ToStix(Sample(), kT0);
  EXPECT_EQ(b["type"], "bundle");
  EXPECT_TRUE(b["id"].get<std::string>().starts_with("bundle--"));
  ASSERT_EQ(b["objects"].size(), 5u);
  for (const auto& o : b["objects"]) EXPECT_EQ(o["spec_version"], "2.1") << o.dump();
  EXPECT_EQ(b["objects"][0]["type"], "identity");
  const auto& domain = b["objects"][1];
  EXPECT_EQ(domain["type"], "indicator");
  EXPECT_EQ(domain["pattern"], "[domain-name:value = 'shop-fuli809.com']");
  EXPECT_EQ(domain["pattern_type"], "stix");
  EXPECT_EQ(domain["valid_from"], "2020-01-31T16:00:00Z");
  EXPECT_EQ(b["objects"][2]["pattern"], "[url:value = 'https://x.top/it\\'s']");
  EXPECT_EQ(b["objects"][3]["type"], "phone-number");
  EXPECT_EQ(b["objects"][3]["value"], "+8613507721234");
  EXPECT_EQ(b["objects"][4]["type"], "user-account");
  EXPECT_EQ(b["objects"][4]["account_type"], "wechat");
  // Deterministic ids: the same value, the same id.
  EXPECT_EQ(ToStix(Sample(), kT0 + 1000)["objects"][3]["id"], b["objects"][3]["id"]);
}

TEST(Csv, OneRowPerRequestWithAHeader) {
  std::string csv = ToCsv(Sample());
  EXPECT_TRUE(csv.starts_with("id,platform,kind,value,state,"));
  EXPECT_NE(csv.find("3,China Mobile,phone,+8613507721234,requested,"), std::string::npos) << csv;
}

class TakedownBookTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "/takedown-" + std::to_string(::getpid()) + ".db";
    std::remove(path_.c_str());
    store_ = std::move(store::Store::Open(test_support::StoreLocation(path_))).value();
  }
  void TearDown() override {
    store_.reset();
    std::remove(path_.c_str());
  }
  std::string path_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(TakedownBookTest, RequestsFromLeadsOncePerValueThenTheirAnswers) {
  dispatch::StoredLead lead;
  lead.id = 7;
  lead.cases = {"C1", "C2"};
  lead.jurisdiction = "450200";
  lead.body = {{"identifiers",
                {{{"type", "phone"}, {"value", "+8613507721234"}},
                 {{"type", "account"}, {"value", "6222001"}},
                 {{"type", "domain"}, {"value", "shop.cn"}}}}};
  TakedownBook book(store_->sql());
  EXPECT_EQ(*book.FromLeads({lead}, kT0), 2);
  EXPECT_EQ(*book.FromLeads({lead}, kT0), 0);
  auto all = book.List({});
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].platform, "CNNIC (.cn)");
  EXPECT_EQ((*all)[0].cases, (std::vector<std::string>{"C1", "C2"}));
  const int64_t id = (*all)[0].id;
  EXPECT_EQ(book.Move(id, State::kBlocked, "", kT0).code(), ErrorCode::kConflict);
  EXPECT_TRUE(book.Move(id, State::kSent, "", kT0).ok());
  EXPECT_EQ(book.Move(id, State::kRefused, "", kT0).code(), ErrorCode::kInvalidInput);
  EXPECT_TRUE(book.Move(id, State::kBlocked, "", kT0).ok());
  Filter blocked;
  blocked.state = State::kBlocked;
  EXPECT_EQ(book.List(blocked)->size(), 1u);
  EXPECT_EQ(book.Move(99, State::kSent, "", kT0).code(), ErrorCode::kNotFound);
}

TEST_F(TakedownBookTest, ARefusedMoveSaysWhyInChineseWithTheRequestAndItsStates) {
  dispatch::StoredLead lead;
  lead.id = 7;
  lead.cases = {"C1"};
  lead.jurisdiction = "450200";
  lead.body = {{"identifiers", {{{"type", "domain"}, {"value", "shop.cn"}}}}};
  TakedownBook book(store_->sql());
  ASSERT_EQ(*book.FromLeads({lead}, kT0), 1);
  const int64_t id = (*book.List({}))[0].id;
  const std::string n = std::to_string(id);
  Status early = book.Move(id, State::kBlocked, "", kT0);
  EXPECT_EQ(early.message(), "takedown " + n + " is requested: cannot move to blocked");
  EXPECT_EQ(early.zh(), "下架请求 " + n + " 当前状态为 requested，不能改为 blocked");
  ASSERT_TRUE(book.Move(id, State::kSent, "", kT0).ok());
  EXPECT_EQ(book.Move(id, State::kRefused, "", kT0).zh(), "下架请求 " + n + "：平台拒绝须注明原因");
  EXPECT_EQ(book.Move(99, State::kSent, "", kT0).zh(), "下架请求 99 不存在");
  Result<State> unknown = ParseState("gone");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().zh().find("'gone'（可选 requested、sent、blocked、refused）"),
            std::string::npos)
      << unknown.status().zh();
}

TEST_F(TakedownBookTest, ACaseAsksForItsOwnValuesAndALaterLeadJoinsThem) {
  Case c;
  c.id = "HZ1";
  c.region = "330102";
  c.category = "refund";
  c.identifiers = {{IdentifierType::kPhone, "135 0772 1234", "+8613507721234", true},
                   {IdentifierType::kAccount, "6222001", "6222001", true},
                   {IdentifierType::kDomain, "shop.cn", "shop.cn", true},
                   {IdentifierType::kPhone, "12", "12", false}};  // not understood: not requested
  TakedownBook book(store_->sql());
  EXPECT_EQ(*book.FromCase(c, kT0), 2);
  EXPECT_EQ(*book.FromCase(c, kT0), 0);
  dispatch::StoredLead lead;
  lead.id = 7;
  lead.cases = {"GX1", "HZ1"};
  lead.jurisdiction = "450200";
  lead.body = {{"identifiers", {{{"type", "phone"}, {"value", "+8613507721234"}}}}};
  EXPECT_EQ(*book.FromLeads({lead}, kT0), 0);
  auto all = *book.List({});
  ASSERT_EQ(all.size(), 2u);
  const Request& phone = all[0].kind == Kind::kPhone ? all[0] : all[1];
  EXPECT_EQ(phone.lead_id, 0);
  EXPECT_EQ(phone.region, "330102");  // the case's, kept
  EXPECT_EQ(phone.cases, (std::vector<std::string>{"HZ1", "GX1"}));
  auto got = book.Get(phone.id);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->value, "+8613507721234");
  EXPECT_EQ(ToJson(**got)["state"], "requested");
  EXPECT_FALSE(book.Get(999)->has_value());
}

}  // namespace
}  // namespace fanzha::takedown
