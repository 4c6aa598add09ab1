// Jurisdiction, batches, updates and the feedback lifecycle, on a real SQLite store.
#include "dispatch/dispatch.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>

#include "tests/support/postgres_server.h"

namespace fanzha::dispatch {
namespace {

constexpr Millis kHour = 3600 * 1000;
constexpr Millis kT0 = 1580486400000;  // 2020-02-01T00:00:00+08:00

Signal S(SignalKind kind, std::string value, std::string region, int weight) {
  return {kind, std::move(value), std::move(region), weight, ""};
}

TEST(Jurisdiction, TheHeaviestCityWinsAndTheOthersAreListed) {
  Jurisdiction j = Decide({S(SignalKind::kPhone, "+8613507721234", "450200", 3),
                           S(SignalKind::kPhone, "+8613507721235", "450200", 3),
                           S(SignalKind::kCashOut, "6222001", "451300", 2),
                           S(SignalKind::kLastLayer, "6222002", "451300", 1)},
                          {"330106"});
  EXPECT_EQ(j.code, "450200");
  EXPECT_EQ(j.name, "柳州市");
  EXPECT_EQ(j.score, 6);
  EXPECT_EQ(j.total, 9);
  ASSERT_EQ(j.disagreement.size(), 1u);
  EXPECT_EQ(j.disagreement[0].first, "451300");
  EXPECT_EQ(j.disagreement[0].second, 3);
  EXPECT_EQ(j.signals.front().weight, 3);
}

TEST(Jurisdiction, WithoutSuspectSignalsTheVictimsCityIsUsedAndSaid) {
  Jurisdiction j = Decide({S(SignalKind::kPhone, "+8617000000000", "", 3)}, {"330106", "330108"});
  EXPECT_EQ(j.code, "330100");  // 西湖区, 滨江区 -> 杭州市
  EXPECT_NE(j.basis.find("victims"), std::string::npos) << j.basis;
}

TEST(Jurisdiction, CityLevelLiftsCountiesAndKeepsCities) {
  EXPECT_EQ(CityLevel("451302"), "451300");
  EXPECT_EQ(CityLevel("451300"), "451300");
  EXPECT_EQ(CityLevel("450000"), "450000");
  EXPECT_EQ(CityLevel("999999"), "999999");
}

TEST(LeadStatus, MovesForwardOrToRejectedAndNeverLeavesTheEnd) {
  EXPECT_TRUE(CanMove(LeadStatus::kPushed, LeadStatus::kAccepted));
  EXPECT_TRUE(CanMove(LeadStatus::kPushed, LeadStatus::kVerified));
  EXPECT_TRUE(CanMove(LeadStatus::kVerified, LeadStatus::kRejected));
  EXPECT_FALSE(CanMove(LeadStatus::kVerified, LeadStatus::kAccepted));
  EXPECT_FALSE(CanMove(LeadStatus::kClosed, LeadStatus::kRejected));
  EXPECT_FALSE(CanMove(LeadStatus::kRejected, LeadStatus::kClosed));
  EXPECT_FALSE(ParseLeadStatus("lost").ok());
}

class LeadBookTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "/dispatch-" + std::to_string(::getpid()) + ".db";
    std::remove(path_.c_str());
    auto s = store::Store::Open(test_support::StoreLocation(path_));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
  }
  void TearDown() override {
    store_.reset();
    std::remove(path_.c_str());
  }
  static Lead MakeLead(std::vector<std::string> cases, std::string city) {
    Lead l;
    l.cases = std::move(cases);
    l.loss = 100000;
    l.identifiers = {{"phone", "+8613507721234"}};
    l.jurisdiction.code = std::move(city);
    return l;
  }
  std::string path_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(LeadBookTest, OneNumberedBatchPerJurisdictionAndNothingTwice) {
  LeadBook book(store_->sql());
  std::vector<Lead> leads = {MakeLead({"C1", "C2"}, "450200"), MakeLead({"C3"}, "450200"),
                             MakeLead({"C4"}, "440300")};
  auto first = book.Dispatch(leads, kT0);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_EQ(first->batches.size(), 2u);
  EXPECT_EQ(first->batches[0].jurisdiction, "440300");
  EXPECT_EQ(first->batches[1].label, "450200-0001");
  EXPECT_EQ(first->batches[1].new_leads.size(), 2u);

  auto again = book.Dispatch(leads, kT0 + 24 * kHour);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->batches.empty());
  EXPECT_EQ(again->unchanged, 3);
  EXPECT_EQ(book.List({}, kT0)->size(), 3u);
}

TEST_F(LeadBookTest, NewEvidenceOnALeadGoesOutAsAnUpdateInTheNextBatch) {
  LeadBook book(store_->sql());
  ASSERT_TRUE(book.Dispatch({MakeLead({"C1", "C2"}, "450200")}, kT0).ok());
  Lead grown = MakeLead({"C1", "C2", "C9"}, "450200");
  grown.identifiers.push_back({"wechat", "wxid_abc"});
  auto r = book.Dispatch({grown}, kT0 + 24 * kHour);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->batches.size(), 1u);
  EXPECT_EQ(r->batches[0].number, 2);
  EXPECT_TRUE(r->batches[0].new_leads.empty());
  ASSERT_EQ(r->batches[0].updates.size(), 1u);
  auto lead = book.Get(r->batches[0].updates[0], kT0);
  ASSERT_TRUE(lead.ok() && lead->has_value());
  EXPECT_EQ((*lead)->revision, 2);
  EXPECT_EQ((*lead)->batch, 2);
  EXPECT_EQ((*lead)->cases, (std::vector<std::string>{"C1", "C2", "C9"}));
  LeadFilter by_case;
  by_case.case_id = "C9";
  EXPECT_EQ(book.List(by_case, kT0)->size(), 1u);
}

TEST_F(LeadBookTest, FeedbackFollowsTheLifecycleAndAddsUpResults) {
  LeadBook book(store_->sql());
  ASSERT_TRUE(book.Dispatch({MakeLead({"C1"}, "450200")}, kT0).ok());
  EXPECT_TRUE(book.Feedback(1, {LeadStatus::kAccepted, 0, 0, 0, ""}, kT0 + kHour).ok());
  EXPECT_TRUE(book.Feedback(1, {LeadStatus::kVerified, 0, 0, 0, ""}, kT0 + 2 * kHour).ok());
  EXPECT_EQ(book.Feedback(1, {LeadStatus::kAccepted, 0, 0, 0, ""}, kT0).code(),
            ErrorCode::kConflict);
  EXPECT_TRUE(book.Feedback(1, {LeadStatus::kClosed, 3, 2, 5000000, ""}, kT0 + 3 * kHour).ok());
  EXPECT_EQ(book.Feedback(1, {LeadStatus::kRejected, 0, 0, 0, "x"}, kT0).code(),
            ErrorCode::kConflict);
  EXPECT_EQ(book.Feedback(7, {LeadStatus::kAccepted, 0, 0, 0, ""}, kT0).code(),
            ErrorCode::kNotFound);
  auto lead = book.Get(1, kT0 + 100 * kHour);
  ASSERT_TRUE(lead.ok() && lead->has_value());
  EXPECT_EQ((*lead)->status, LeadStatus::kClosed);
  EXPECT_EQ((*lead)->arrests, 3);
  EXPECT_EQ((*lead)->recovered, 5000000);
  EXPECT_FALSE((*lead)->overdue);
  auto t = book.Totals(kT0);
  EXPECT_EQ(t->closed, 1);
  EXPECT_EQ(t->solved, 2);
}

TEST_F(LeadBookTest, ARejectionNeedsAReason) {
  LeadBook book(store_->sql());
  ASSERT_TRUE(book.Dispatch({MakeLead({"C1"}, "450200")}, kT0).ok());
  EXPECT_EQ(book.Feedback(1, {LeadStatus::kRejected, 0, 0, 0, ""}, kT0).code(),
            ErrorCode::kInvalidInput);
  EXPECT_TRUE(book.Feedback(1, {LeadStatus::kRejected, 0, 0, 0, "not our area"}, kT0).ok());
  EXPECT_EQ((*book.Get(1, kT0))->reason, "not our area");
}

TEST_F(LeadBookTest, ARefusedFeedbackSaysWhyInChineseWithTheLeadAndItsStates) {
  LeadBook book(store_->sql());
  ASSERT_TRUE(book.Dispatch({MakeLead({"C1"}, "450200")}, kT0).ok());
  Status no_reason = book.Feedback(1, {LeadStatus::kRejected, 0, 0, 0, ""}, kT0);
  EXPECT_EQ(no_reason.message(), "lead 1: a rejection needs a reason");
  EXPECT_EQ(no_reason.zh(), "线索 1：退回线索须注明原因");
  ASSERT_TRUE(book.Feedback(1, {LeadStatus::kVerified, 0, 0, 0, ""}, kT0 + kHour).ok());
  Status back = book.Feedback(1, {LeadStatus::kAccepted, 0, 0, 0, ""}, kT0 + 2 * kHour);
  EXPECT_EQ(back.code(), ErrorCode::kConflict);
  EXPECT_EQ(back.zh(), "线索 1 当前状态为 verified，不能改为 accepted") << back.zh();
  EXPECT_EQ(book.Feedback(7, {LeadStatus::kAccepted, 0, 0, 0, ""}, kT0).zh(), "线索 7 不存在");
  Result<LeadStatus> lost = ParseLeadStatus("lost");
  ASSERT_FALSE(lost.ok());
  EXPECT_NE(lost.status().zh().find("'lost'"), std::string::npos) << lost.status().zh();
  EXPECT_NE(lost.status().zh().find("pushed、accepted、verified、closed、rejected"),
            std::string::npos)
      << lost.status().zh();
}

TEST_F(LeadBookTest, OverdueWhenNoFeedbackWithinTheDeadlineJudgedByTheInjectedClock) {
  LeadBook book(store_->sql());  // 72 h
  ASSERT_TRUE(book.Dispatch({MakeLead({"C1"}, "450200"), MakeLead({"C2"}, "450200")}, kT0).ok());
  ASSERT_TRUE(book.Feedback(2, {LeadStatus::kAccepted, 0, 0, 0, ""}, kT0 + 10 * kHour).ok());
  LeadFilter overdue;
  overdue.overdue_only = true;
  EXPECT_TRUE(book.List(overdue, kT0 + 71 * kHour)->empty());
  auto late = book.List(overdue, kT0 + 72 * kHour);
  ASSERT_EQ(late->size(), 1u);
  EXPECT_EQ((*late)[0].id, 1);
  LeadBook short_deadline(store_->sql(), 24 * kHour);
  ASSERT_TRUE(short_deadline.Dispatch({MakeLead({"C3"}, "440300")}, kT0).ok());
  EXPECT_TRUE((*short_deadline.Get(3, kT0 + 25 * kHour))->overdue);
}

TEST_F(LeadBookTest, JsonHasTheFieldsAReceiverNeeds) {
  LeadBook book(store_->sql());
  ASSERT_TRUE(book.Dispatch({MakeLead({"C1", "C2"}, "450200")}, kT0).ok());
  auto j = ToJson(**book.Get(1, kT0));
  for (const char* key : {"id", "batch", "jurisdiction", "cases", "status", "evidence"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j["jurisdiction"], "450200");
  EXPECT_EQ(j["status"], "pushed");
}

}  // namespace
}  // namespace fanzha::dispatch
