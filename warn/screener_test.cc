// The screening rules as a specification: who gets warned, when, and how warnings grow.
#include "warn/screener.h"

#include <gtest/gtest.h>

#include "warn/test_util.h"

namespace fanzha::warn {
namespace {

using testing::Events;
using testing::Put;
using testing::T;

std::string FakeRegion(std::string_view e164) {
  return e164.starts_with("+86139") ? "450200" : "";  // 柳州市 for the tests' callees
}

class ScreenerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    phone_ = Put(&list_, EntryKind::kPhone, "+86 177 7212 3456", "case:HZ-20200208-0001");
    account_ = Put(&list_, EntryKind::kAccount, "6222 0212 3456 7890 123", "case:HZ-20200208-0001");
    Put(&list_, EntryKind::kUrl, "http://www.kouzhao-sale.cn/pay?id=3");
    Put(&list_, EntryKind::kDomain, "kouzhao-sale.cn");
  }
  // Screens every line; returns the warnings written, in order.
  std::vector<Warning> Run(const std::string& lines, const SmsMatcher* sms = nullptr) {
    if (!screener_)
      screener_ = std::make_unique<Screener>(&list_, sms, ScreenOptions{}, FakeRegion);
    batches_.push_back(Events(lines));
    std::vector<Warning> out;
    for (const Event& e : batches_.back().events) {
      if (const Warning* w = screener_->Screen(e)) out.push_back(*w);
    }
    return out;
  }

  Watchlist list_;
  Watchlist::Index phone_, account_;
  std::unique_ptr<Screener> screener_;
  std::vector<EventBatch> batches_;
};

constexpr const char* kLongCall =
    R"({"id":"E1","time":"2020-02-08T09:15:00+08:00","kind":"call","from":"+8617772123456","to":"13900001111","duration_s":340})"
    "\n";
constexpr const char* kPaysListed =
    R"({"id":"E2","time":"2020-02-08T09:20:00+08:00","kind":"payment","from":"6217000011112222333","to":"6222021234567890123","amount":"50000","phone":"139 0000 1111"})"
    "\n";

TEST_F(ScreenerTest, ListedNumberCalling340sWarnsTheCalleeWithRegion) {
  auto w = Run(kLongCall);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].person, "+8613900001111");
  EXPECT_EQ(w[0].region, "450200");
  EXPECT_EQ(w[0].score, 60);  // 40 for the call, 20 for a long one
  EXPECT_EQ(w[0].revision, 1);
  EXPECT_EQ(w[0].events, std::vector<std::string>{"E1"});
  ASSERT_EQ(w[0].entries.size(), 1u);
  EXPECT_EQ(list_.Get(w[0].entries[0]).id(), "phone:+8617772123456");
  EXPECT_EQ(w[0].reasons[0], "call from listed phone +8617772123456 (340 s)");
  EXPECT_EQ(w[0].window_end - w[0].window_start, 24 * 3600 * 1000);
}

TEST_F(ScreenerTest, ThenTheCalleePayingAListedAccountEscalatesTheSameWarning) {
  auto w = Run(std::string(kLongCall) + kPaysListed);
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[1].id, w[0].id);
  EXPECT_EQ(w[1].revision, 2);
  EXPECT_EQ(w[1].score, 60 + 80 + 20);  // call, payment of 50,000, and the sequence
  EXPECT_EQ(w[1].events, (std::vector<std::string>{"E1", "E2"}));
  EXPECT_EQ(w[1].entries, (std::vector<Watchlist::Index>{phone_, account_}));
  EXPECT_EQ(w[1].paid, 50000'00);
}

TEST_F(ScreenerTest, APaymentWithoutARegisteredPhoneWarnsThePayerAccount) {
  auto w = Run(
      R"({"id":"P1","time":"2020-02-08T09:20:00+08:00","kind":"payment","from":"6217-0000-1111-2222-333","to":"6222021234567890123","amount":"800"})"
      "\n");
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].person, "6217000011112222333");
  EXPECT_EQ(w[0].region, "");
  EXPECT_EQ(w[0].score, 60);
}

TEST_F(ScreenerTest, APayerKnownOnlyByAccountGetsTheAccountsRegion) {
  AccountRegions regions;
  regions.Put(AccountKey("6217000011112222333"), "450300");  // 桂林市, from accounts.csv
  regions.Put(AccountKey("6217000099998888777"), "");        // no region: nothing
  Run("");
  screener_->set_account_regions(&regions);
  auto w = Run(
      R"({"id":"P1","time":"2020-02-08T09:20:00+08:00","kind":"payment","from":"6217 0000 1111 2222 333","to":"6222021234567890123","amount":"800"})"
      "\n"
      R"({"id":"P2","time":"2020-02-08T09:21:00+08:00","kind":"payment","from":"6217000099998888777","to":"6222021234567890123","amount":"800"})"
      "\n");
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[0].region, "450300");
  EXPECT_EQ(w[1].region, "");
  EXPECT_EQ(regions.size(), 1u);
}

TEST_F(ScreenerTest, AWarnedPersonPayingAnyoneEscalates) {
  auto w = Run(
      std::string(kLongCall) +
      R"({"id":"E9","time":"2020-02-08T09:30:00+08:00","kind":"payment","from":"6217000011112222333","to":"6200000000000000001","amount":"20000","phone":"13900001111"})"
      "\n");
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[1].score, 60 + 10 + 20);
  EXPECT_EQ(w[1].reasons.back(), "payment of 20000.00 to 6200000000000000001 after contact");
}

TEST_F(ScreenerTest, APaymentBySomeoneNotWarnedIsNothing) {
  EXPECT_TRUE(
      Run(R"({"id":"P","time":"2020-02-08T09:30:00+08:00","kind":"payment","from":"6217000011112222333","to":"6200000000000000001","amount":"20000","phone":"13900001111"})"
          "\n")
          .empty());
}

TEST_F(ScreenerTest, AHubValueNeverWarns) {
  Entry hub;
  hub.kind = EntryKind::kPhone;
  hub.value = PhoneKey("95338");  // a courier hotline reported in many kinds of fraud
  hub.source = "cases:A,B,C (+200)";
  hub.cases = 203;
  hub.hub = true;
  ASSERT_TRUE(list_.Put(hub).ok());
  auto w = Run(
      R"({"id":"H","time":"2020-02-08T09:15:00+08:00","kind":"call","from":"95338","to":"13900001111","duration_s":900})"
      "\n");
  EXPECT_TRUE(w.empty());
  EXPECT_EQ(screener_->stats().hub_hits, 1);
}

TEST_F(ScreenerTest, AnExpiredEntryNeverWarns) {
  Put(&list_, EntryKind::kPhone, "13312345678", "manual:lz", T("2020-02-08T09:00:00+08:00"));
  auto w = Run(
      R"({"id":"X","time":"2020-02-08T09:15:00+08:00","kind":"call","from":"13312345678","to":"13900001111","duration_s":900})"
      "\n");
  EXPECT_TRUE(w.empty());
  EXPECT_EQ(screener_->stats().inactive_hits, 1);
}

TEST_F(ScreenerTest, AnEntryIsActiveUntilItExpires) {
  Put(&list_, EntryKind::kPhone, "13312345678", "manual:lz", T("2020-02-08T09:15:01+08:00"));
  EXPECT_EQ(
      Run(R"({"id":"X","time":"2020-02-08T09:15:00+08:00","kind":"call","from":"13312345678","to":"13900001111"})"
          "\n")
          .size(),
      1u);
}

TEST_F(ScreenerTest, ARemovedEntryNeverWarns) {
  ASSERT_TRUE(list_.Remove(EntryKind::kPhone, "+8617772123456").ok());
  EXPECT_TRUE(Run(kLongCall).empty());
}

TEST_F(ScreenerTest, PhonesInAnyFormatMatch) {
  auto w = Run(
      R"({"id":"F1","time":"2020-02-08T09:00:00+08:00","kind":"call","from":"177-7212-3456","to":"+86 139 0000 0001"})"
      "\n"
      R"({"id":"F2","time":"2020-02-08T09:00:00+08:00","kind":"call","from":"００８６ １７７７２１２３４５６","to":"13900000002"})"
      "\n"
      R"({"id":"F3","time":"2020-02-08T09:00:00+08:00","kind":"call","from":"0086-177-7212-3456","to":"13900000003"})"
      "\n"
      R"({"id":"F4","time":"2020-02-08T09:00:00+08:00","kind":"sms","from":"(+86) 17772123456","to":"１３９０００００００４","text":"hi"})"
      "\n");
  ASSERT_EQ(w.size(), 4u);
  EXPECT_EQ(w[0].person, "+8613900000001");
  EXPECT_EQ(w[1].person, "+8613900000002");
  EXPECT_EQ(w[2].person, "+8613900000003");
  EXPECT_EQ(w[3].person, "+8613900000004");
}

TEST_F(ScreenerTest, APersonCallingAListedNumberIsWarned) {
  auto w = Run(
      R"({"id":"C","time":"2020-02-08T09:00:00+08:00","kind":"call","from":"13900001111","to":"17772123456","duration_s":70})"
      "\n");
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].person, "+8613900001111");
  EXPECT_EQ(w[0].score, 45);
}

TEST_F(ScreenerTest, OneWarningPerPersonPerWindow) {
  auto w = Run(
      std::string(kLongCall) +
      R"({"id":"E5","time":"2020-02-08T20:00:00+08:00","kind":"call","from":"+8617772123456","to":"13900001111","duration_s":30})"
      "\n"
      R"({"id":"E6","time":"2020-02-09T09:15:00+08:00","kind":"call","from":"+8617772123456","to":"13900001111","duration_s":30})"
      "\n");
  ASSERT_EQ(w.size(), 3u);
  EXPECT_EQ(w[1].id, w[0].id);  // repeated contact in the window: the same warning, raised
  EXPECT_EQ(w[1].score, 70);
  EXPECT_NE(w[2].id, w[0].id);  // 24 h after the first hit: a new window, a new warning
  EXPECT_EQ(w[2].revision, 1);
  EXPECT_EQ(w[2].score, 40);
}

TEST_F(ScreenerTest, VisitsOfListedUrlsAndDomainsWarnTheVisitor) {
  auto w = Run(
      R"({"id":"V1","time":"2020-02-08T09:22:00+08:00","kind":"visit","from":"13900001111","to":"HTTP://WWW.Kouzhao-Sale.cn:80/pay?id=3#top"})"
      "\n"
      R"({"id":"V2","time":"2020-02-08T09:22:00+08:00","kind":"visit","from":"13900002222","to":"m.kouzhao-sale.cn/other"})"
      "\n"
      R"({"id":"V3","time":"2020-02-08T09:22:00+08:00","kind":"visit","from":"13900003333","to":"http://kouzhao-sale.cn.evil.com/"})"
      "\n");
  ASSERT_EQ(w.size(), 2u) << (w.empty() ? "" : WarningJson(w[0], list_));
  EXPECT_EQ(w[0].score, 45);
  EXPECT_EQ(w[1].person, "+8613900002222");
  EXPECT_EQ(w[1].score, 40);
}

TEST_F(ScreenerTest, ScriptPhrasesInAnSmsAddUpAndAManualPatternWarns) {
  Put(&list_, EntryKind::kPhrase, "口罩订单");
  Put(&list_, EntryKind::kPhrase, "退款链接");
  Put(&list_, EntryKind::kPattern, "安全账户.{0,12}转", "manual:province");
  auto sms = SmsMatcher::Compile(list_);
  ASSERT_TRUE(sms.ok()) << sms.status().ToString();
  auto w = Run(
      R"({"id":"S1","time":"2020-02-08T09:21:00+08:00","kind":"sms","from":"10690000","to":"13900001111","text":"您的口罩订单异常，请点击退款链接"})"
      "\n"
      R"({"id":"S2","time":"2020-02-08T09:22:00+08:00","kind":"call","from":"17772123456","to":"13900001111","duration_s":10})"
      "\n"
      R"({"id":"S3","time":"2020-02-08T09:23:00+08:00","kind":"sms","from":"10690000","to":"13900002222","text":"请将资金转入安全账户，马上转账"})"
      "\n",
      sms->get());
  ASSERT_EQ(w.size(), 2u);  // two phrases (30) stay under the threshold until the call comes
  EXPECT_EQ(w[0].person, "+8613900001111");
  EXPECT_EQ(w[0].score, 30 + 40 + 0);
  EXPECT_EQ(w[0].events, (std::vector<std::string>{"S1", "S2"}));
  EXPECT_EQ(w[1].person, "+8613900002222");
  EXPECT_EQ(w[1].score, 40);
}

TEST_F(ScreenerTest, EveryWarningNamesTheEntryVersionThatCausedIt) {
  Entry e = list_.Get(phone_);
  e.source = "cases:HZ-20200208-0001,GZ-7";
  e.version = 0;
  ASSERT_TRUE(list_.Put(e).ok());
  auto w = Run(kLongCall);
  ASSERT_EQ(w.size(), 1u);
  std::string json = WarningJson(w[0], list_);
  EXPECT_NE(
      json.find(
          R"("entries":[{"id":"phone:+8617772123456","kind":"phone","value":"+8617772123456","source":"cases:HZ-20200208-0001,GZ-7","version":5})"),
      std::string::npos)
      << json;
}

}  // namespace
}  // namespace fanzha::warn

namespace fanzha::warn {
namespace {

// A consumer group's member screens one province: the people of other provinces are left to the
// members holding theirs, whatever the event.
TEST_F(ScreenerTest, APartitionWarnsOnlyItsOwnPeople) {
  screener_ = std::make_unique<Screener>(&list_, nullptr, ScreenOptions{}, FakeRegion);
  screener_->set_partition("450000");  // 广西: the tests' callees
  ASSERT_EQ(Run(kLongCall).size(), 1u);
  screener_ = std::make_unique<Screener>(&list_, nullptr, ScreenOptions{}, FakeRegion);
  screener_->set_partition("000000");  // people of no known region
  EXPECT_TRUE(Run(kLongCall).empty());
  EXPECT_EQ(
      Run(R"({"id":"E9","time":"2020-02-08T09:15:00+08:00","kind":"call","from":"+8617772123456","to":"13700001111","duration_s":340})"
          "\n")
          .size(),
      1u);  // a callee of no known region
}

TEST_F(ScreenerTest, AnEventIsRoutedToEveryPersonItMayConcern) {
  screener_ = std::make_unique<Screener>(&list_, nullptr, ScreenOptions{}, FakeRegion);
  EventBatch b = Events(
      std::string(kLongCall) + kPaysListed +
      R"({"id":"E3","time":"2020-02-08T09:20:00+08:00","kind":"payment","from":"6217 0000 1111","to":"x","amount":"1"})"
      "\n");
  std::vector<std::string> people;
  screener_->PeopleOf(b.events[0], &people);  // the callee, or the caller calling a listed phone
  EXPECT_EQ(people, (std::vector<std::string>{"+8617772123456", "+8613900001111"}));
  screener_->PeopleOf(b.events[1], &people);  // the payer's registered phone
  EXPECT_EQ(people, std::vector<std::string>{"+8613900001111"});
  screener_->PeopleOf(b.events[2], &people);  // or the payer's account
  EXPECT_EQ(people, std::vector<std::string>{"621700001111"});
  EXPECT_EQ(PartitionOf("450200"), "450000");
  EXPECT_EQ(PartitionOf(""), "000000");
  EXPECT_EQ(PartitionOf("990000"), "000000");  // no such province
  EXPECT_EQ(Partitions().size(), 35u);
}

TEST(RegionOfPhoneTest, UsesTheGeocodersCity) {
  EXPECT_EQ(RegionOfPhone("+8613507721234"), "450200");  // 广西柳州市
  EXPECT_EQ(RegionOfPhone("6217000011112222333"), "");
}

}  // namespace
}  // namespace fanzha::warn
