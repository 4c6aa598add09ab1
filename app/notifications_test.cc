// What each user is told to act on now (app/notifications.h), on a real store.
#include "app/notifications.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "dispatch/dispatch.h"
#include "freeze/freeze.h"
#include "freeze/orders.h"
#include "tests/support/postgres_server.h"
#include "warn/store_io.h"

namespace fanzha::app::notifications_test {
namespace {

constexpr Millis kT0 = 1581120000000;  // 2020-02-08T08:00:00+08:00
constexpr Millis kHour = 3600 * 1000;
using V = std::vector<std::string>;

auth::User Someone(auth::Role role, std::string region, std::string institution = "") {
  return {"someone", role, std::move(region), std::move(institution)};
}

class NotificationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "/app-notify-" + std::to_string(::getpid()) + ".db";
    std::filesystem::remove(path_);
    store_ = std::move(store::Store::Open(test_support::StoreLocation(path_))).value();
    auto imp = std::move(store_->BeginImport()).value();
    for (const auto& [id, region] : {std::pair{"HZ1", "330100"}, {"NN1", "450100"}}) {
      Case c;
      c.id = id;
      c.region = region;
      c.category = "investment";
      c.reported_at = kT0;
      ASSERT_TRUE(imp->PutCase(c).ok());
    }
    ASSERT_TRUE(imp->Commit().ok());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove(path_);
  }

  // A stop-payment for `case_id` at `institution`, sent at kT0; executed with a deadline when
  // `deadline` is not 0.
  int64_t Order(const std::string& case_id, const std::string& institution, Millis deadline) {
    freeze::Plan plan;
    plan.case_id = case_id;
    freeze::PlanItem item;
    item.account = "ACC-" + case_id + "-" + institution;
    item.institution = institution;
    item.amount = 123456;
    item.holder = "张三";
    plan.items = {item};
    freeze::OrderBook book(store_->sql());
    freeze::DraftOptions options;
    options.kind = freeze::OrderKind::kStopPayment;
    options.mandate.document = "杭公止付〔2020〕1号";
    auto drafted = book.Draft(plan, options, kT0);
    EXPECT_TRUE(drafted.ok()) << drafted.status().ToString();
    const int64_t id = (*drafted)[0].order.id;
    EXPECT_TRUE(book.Move(id, freeze::OrderStatus::kSent, std::nullopt, "", kT0).ok());
    if (deadline) {
      EXPECT_TRUE(book.Execute(id, 123456, kT0, deadline, "", kT0).ok());
    }
    return id;
  }

  V Keys(const auth::User& u, Millis now) {
    Result<Notices> n = NoticesFor(*store_, u, now);
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    V keys;
    if (!n.ok()) return keys;
    EXPECT_EQ(n->count, static_cast<int64_t>(n->notices.size()));
    for (const Notice& x : n->notices) keys.push_back(x.key);
    return keys;
  }

  std::string path_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(NotificationsTest, AnOrderWhoseClockRunsOutSoonIsToldToTheCaseRegionAndTheBank) {
  const int64_t soon = Order("HZ1", "ICBC", kT0 + 48 * kHour);
  Order("HZ1", "CCB", kT0 + 30 * 24 * kHour);  // far off
  Order("NN1", "ICBC", kT0 + 47 * kHour);      // another region's
  const Millis now = kT0 + 44 * kHour;
  const std::string key = "order_due:" + std::to_string(soon);
  EXPECT_EQ(Keys(Someone(auth::Role::kInvestigator, "330100"), now), V{key});
  EXPECT_EQ(Keys(Someone(auth::Role::kCentre, "330000"), now), V{key});
  EXPECT_EQ(Keys(Someone(auth::Role::kCentre, ""), now).size(), 2u);
  EXPECT_EQ(Keys(Someone(auth::Role::kBank, "", "CCB"), now), V{});
  EXPECT_EQ(Keys(Someone(auth::Role::kBank, "", "ICBC"), now).size(), 2u);
  EXPECT_EQ(Keys(Someone(auth::Role::kAuditor, ""), now), V{});
  EXPECT_EQ(Keys(Someone(auth::Role::kHotline, "330100"), now), V{});

  Result<Notices> n = NoticesFor(*store_, Someone(auth::Role::kInvestigator, "330100"), now);
  ASSERT_TRUE(n.ok());
  const Notice& due = n->notices[0];
  EXPECT_EQ(due.kind, "order_due");
  EXPECT_EQ(due.href, "#/orders/" + std::to_string(soon));
  EXPECT_EQ(due.at, kT0 + 48 * kHour);
  EXPECT_NE(due.text_zh.find("止付指令"), std::string::npos) << due.text_zh;
  EXPECT_NE(due.text_zh.find("2020-02-10 08:00 到期，剩 4 小时 0 分"), std::string::npos)
      << due.text_zh;
  EXPECT_NE(due.text.find("lapses at 2020-02-10 08:00, in 4 h 0 min"), std::string::npos)
      << due.text;
  // Past its deadline it is no longer due: the sweep marks it expired.
  EXPECT_EQ(Keys(Someone(auth::Role::kInvestigator, "330100"), kT0 + 49 * kHour), V{});
}

TEST_F(NotificationsTest, ABankIsToldOfTheOrdersWaitingForItsAnswer) {
  const int64_t waiting = Order("HZ1", "ABC", 0);
  EXPECT_EQ(Keys(Someone(auth::Role::kBank, "", "ABC"), kT0 + kHour),
            V{"order_unanswered:" + std::to_string(waiting)});
  EXPECT_EQ(Keys(Someone(auth::Role::kBank, "", "ICBC"), kT0 + kHour), V{});
  // A sent order is the bank's to answer, not yet a clock for the centre.
  EXPECT_EQ(Keys(Someone(auth::Role::kCentre, ""), kT0 + kHour), V{});
  ASSERT_TRUE(freeze::OrderBook(store_->sql()).Reject(waiting, "账户已销户", kT0 + 2 * kHour).ok());
  EXPECT_EQ(Keys(Someone(auth::Role::kBank, "", "ABC"), kT0 + 3 * kHour), V{});
}

TEST_F(NotificationsTest, AnOverdueLeadIsToldToItsJurisdiction) {
  dispatch::Lead lead;
  lead.cases = {"HZ1"};
  lead.regions = {"330100"};
  lead.category = "investment";
  lead.jurisdiction.code = "450200";
  lead.jurisdiction.name = "柳州市";
  dispatch::LeadBook book(store_->sql());
  ASSERT_TRUE(book.Dispatch({lead}, kT0).ok());
  const auth::User liuzhou = Someone(auth::Role::kInvestigator, "450200");
  EXPECT_EQ(Keys(liuzhou, kT0 + 71 * kHour), V{});
  EXPECT_EQ(Keys(liuzhou, kT0 + 73 * kHour), V{"lead_overdue:1"});
  EXPECT_EQ(Keys(Someone(auth::Role::kCentre, "450000"), kT0 + 73 * kHour), V{"lead_overdue:1"});
  EXPECT_EQ(Keys(Someone(auth::Role::kInvestigator, "330100"), kT0 + 73 * kHour), V{});
  Result<Notices> n = NoticesFor(*store_, liuzhou, kT0 + 73 * kHour);
  ASSERT_TRUE(n.ok());
  EXPECT_NE(n->notices[0].text_zh.find("450200 柳州市"), std::string::npos)
      << n->notices[0].text_zh;
  dispatch::Feedback accepted;
  ASSERT_TRUE(book.Feedback(1, accepted, kT0 + 74 * kHour).ok());
  EXPECT_EQ(Keys(liuzhou, kT0 + 75 * kHour), V{});
}

TEST_F(NotificationsTest, HighScoreWarningsAreCountedForTheHotlineWithoutNamingAnyone) {
  auto save = [&](const char* id, const char* region, int score, Millis at) {
    warn::Warning w;
    w.id = id;
    w.revision = 1;
    w.person = "+8613911112222";
    w.region = region;
    w.score = score;
    w.last_event_at = at;
    ASSERT_TRUE(warn::SaveWarning(store_->sql(), w, "{}", at).ok());
  };
  save("W1", "330106", 95, kT0);
  save("W2", "330102", 85, kT0 + kHour);
  save("W3", "330102", 40, kT0 + kHour);       // too low
  save("W4", "330102", 90, kT0 - 48 * kHour);  // too old
  save("W5", "450100", 99, kT0 + kHour);       // another region
  const auth::User hotline = Someone(auth::Role::kHotline, "330100");
  Result<Notices> n = NoticesFor(*store_, hotline, kT0 + 2 * kHour);
  ASSERT_TRUE(n.ok());
  ASSERT_EQ(n->notices.size(), 1u);
  const Notice& w = n->notices[0];
  EXPECT_EQ(w.key, "warnings:330100");
  EXPECT_EQ(w.href, "#/hotline");
  EXPECT_EQ(w.at, kT0 + kHour);
  EXPECT_EQ(w.text_zh.rfind("2 条 80 分以上的预警待处置（最高 95 分", 0), 0u) << w.text_zh;
  EXPECT_EQ(w.text.find("+86"), std::string::npos) << w.text;
  EXPECT_EQ(w.text_zh.find("+86"), std::string::npos) << w.text_zh;
  ASSERT_TRUE(warn::RecordOutcome(store_->sql(), "W1", warn::Outcome::kDissuaded, 0, kT0).ok());
  ASSERT_TRUE(warn::RecordOutcome(store_->sql(), "W2", warn::Outcome::kReached, 0, kT0).ok());
  EXPECT_EQ(Keys(hotline, kT0 + 2 * kHour), V{});
  EXPECT_EQ(Keys(Someone(auth::Role::kInvestigator, "450100"), kT0 + 2 * kHour), V{});
}

TEST_F(NotificationsTest, TheListIsJsonWithItsCountAndHoldsTheMostUrgentOnly) {
  Order("HZ1", "ICBC", kT0 + 48 * kHour);
  const int64_t sooner = Order("HZ1", "CCB", kT0 + 47 * kHour);
  NoticeRules one;
  one.max_notices = 1;
  Result<Notices> n = NoticesFor(*store_, Someone(auth::Role::kCentre, ""), kT0 + 45 * kHour, one);
  ASSERT_TRUE(n.ok());
  nlohmann::ordered_json j = ToJson(*n);
  EXPECT_EQ(j["count"], 2);
  ASSERT_EQ(j["notices"].size(), 1u);
  EXPECT_EQ(j["notices"][0]["key"], "order_due:" + std::to_string(sooner));
  j = ToJson(*NoticesFor(*store_, Someone(auth::Role::kCentre, ""), kT0 + 45 * kHour));
  EXPECT_EQ(j["count"], 2);
  EXPECT_EQ(j["notices"][0]["at"], "2020-02-10T07:00:00+08:00");  // the sooner first
  EXPECT_EQ(j["notices"][0]["kind"], "order_due");
}

}  // namespace
}  // namespace fanzha::app::notifications_test
