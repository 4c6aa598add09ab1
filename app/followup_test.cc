// Following up: lead feedback (app/leads.h) and warning outcomes (app/warnings.h), on a real store,
// as both skins call them.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "app/leads.h"
#include "app/warnings.h"
#include "core/json.h"
#include "core/time.h"
#include "tests/support/postgres_server.h"

namespace fanzha::app {
namespace {

using nlohmann::json;

constexpr Millis kT0 = 1581120000000;  // 2020-02-08T08:00:00+08:00

class FollowUpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "/app-followup-" + std::to_string(::getpid()) + ".db";
    std::filesystem::remove(path_);
    auto s = store::Store::Open(test_support::StoreLocation(path_));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove(path_);
  }
  // One lead for case C1, pushed to Liuzhou; its id.
  int64_t PushLead() {
    dispatch::Lead lead;
    lead.cases = {"C1"};
    lead.regions = {"330100"};
    lead.loss = 500000;
    lead.jurisdiction.code = "450200";
    dispatch::LeadBook book(store_->sql());
    auto sent = book.Dispatch({lead}, kT0);
    EXPECT_TRUE(sent.ok()) << sent.status().ToString();
    auto all = book.List({}, kT0);
    EXPECT_TRUE(all.ok() && all->size() == 1);
    return all->front().id;
  }
  void SaveWarning(const std::string& id, const std::string& region) {
    warn::Warning w;
    w.id = id;
    w.revision = 1;
    w.person = "+8613900001111";
    w.region = region;
    w.score = 70;
    w.last_event_at = kT0;
    ASSERT_TRUE(warn::SaveWarning(store_->sql(), w, R"({"id":")" + id + R"("})", kT0).ok());
  }
  std::string path_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(FollowUpTest, FeedbackIsReadFieldByFieldAndNamesTheBadOne) {
  auto fb = ParseLeadFeedback(
      json::parse(R"({"status":"closed","arrests":5,"solved":9,"recovered":"1200.50"})"));
  ASSERT_TRUE(fb.ok()) << fb.status().ToString();
  EXPECT_EQ(fb->status, dispatch::LeadStatus::kClosed);
  EXPECT_EQ(fb->arrests, 5);
  EXPECT_EQ(fb->solved, 9);
  EXPECT_EQ(fb->recovered, 120050);
  for (const auto& [body, field] : std::vector<std::pair<std::string, std::string>>{
           {R"({"status":"maybe"})", "status"},
           {R"({"status":"closed","arrests":-1})", "arrests"},
           {R"({"status":"closed","solved":1.5})", "solved"},
           {R"({"status":"closed","recovered":[1]})", "recovered"},
           {R"({"status":"closed","reason":7})", "reason"},
           {R"({})", "status"}}) {
    auto bad = ParseLeadFeedback(json::parse(body));
    ASSERT_FALSE(bad.ok()) << body;
    EXPECT_EQ(bad.status().code(), ErrorCode::kInvalidInput) << body;
    EXPECT_TRUE(bad.status().message().starts_with(field)) << bad.status().message();
  }
  EXPECT_FALSE(ParseLeadFeedback(json::array()).ok());
}

TEST_F(FollowUpTest, FeedbackMovesTheLeadAndAnswersItAsItIsAfterwards) {
  int64_t id = PushLead();
  dispatch::LeadBook book(store_->sql());
  dispatch::Feedback accepted;
  accepted.status = dispatch::LeadStatus::kAccepted;
  auto lead = RecordLeadFeedback(book, id, accepted, kT0 + 1000);
  ASSERT_TRUE(lead.ok()) << lead.status().ToString();
  EXPECT_EQ(lead->status, dispatch::LeadStatus::kAccepted);

  dispatch::Feedback back;  // accepted -> pushed is not a move the book allows
  back.status = dispatch::LeadStatus::kPushed;
  EXPECT_EQ(RecordLeadFeedback(book, id, back, kT0 + 2000).status().code(), ErrorCode::kConflict);
  EXPECT_EQ(RecordLeadFeedback(book, id + 1, accepted, kT0).status().message(),
            NoLead(id + 1).message());
}

TEST_F(FollowUpTest, ACallerWhoMayNotSeeTheLeadChangesNothing) {
  int64_t id = PushLead();
  dispatch::LeadBook book(store_->sql());
  dispatch::Feedback closed;
  closed.status = dispatch::LeadStatus::kRejected;
  closed.reason = "not ours";
  auto refused = RecordLeadFeedback(book, id, closed, kT0,
                                    [&](const dispatch::StoredLead&) { return NoLead(id); });
  EXPECT_EQ(refused.status().code(), ErrorCode::kNotFound);
  auto unchanged = book.Get(id, kT0);
  ASSERT_TRUE(unchanged.ok() && *unchanged);
  EXPECT_EQ((*unchanged)->status, dispatch::LeadStatus::kPushed);
}

TEST_F(FollowUpTest, AQueuedWarningHasOneShapeWithItsLineInside) {
  SaveWarning("W1", "450200");
  auto queue = warn::RegionQueue(store_->sql(), "450000", 0);
  ASSERT_TRUE(queue.ok() && queue->size() == 1);
  json doc = json::parse(DumpJson(ToJson(queue->front())));
  EXPECT_EQ(doc["id"], "W1");
  EXPECT_EQ(doc["region"], "450200");
  EXPECT_EQ(doc["score"], 70);
  EXPECT_EQ(doc["last_event_at"], FormatTime(kT0));
  EXPECT_EQ(doc["warning"]["id"], "W1");
}

TEST_F(FollowUpTest, AnOutcomeNeedsTheWarningOpenInTheCallersQueue) {
  SaveWarning("W1", "450200");
  SaveWarning("W2", "330100");
  OutcomeReport dissuaded{warn::Outcome::kDissuaded, 300000};
  // Hangzhou's hotline cannot close Liuzhou's warning, and learns no more than for an unknown one.
  Status other = RecordOutcome(store_->sql(), "W1", dissuaded, "330100", kT0);
  EXPECT_EQ(other.code(), ErrorCode::kNotFound);
  EXPECT_EQ(other.message(), NoOpenWarning("W1", "330100").message());
  EXPECT_EQ(RecordOutcome(store_->sql(), "W9", dissuaded, "330100", kT0).code(),
            ErrorCode::kNotFound);
  // The province's queue holds its cities' warnings.
  ASSERT_TRUE(RecordOutcome(store_->sql(), "W1", dissuaded, "450000", kT0).ok());
  auto open = warn::RegionQueue(store_->sql(), "", 0);
  ASSERT_TRUE(open.ok());
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ(open->front().id, "W2");
  // Once closed it is no longer in the queue: another outcome goes through only unscoped.
  EXPECT_EQ(RecordOutcome(store_->sql(), "W1", dissuaded, "450000", kT0).code(),
            ErrorCode::kNotFound);
  EXPECT_TRUE(RecordOutcome(store_->sql(), "W1", dissuaded, "", kT0).ok());
}

TEST_F(FollowUpTest, AnOutcomeReportNamesItsBadField) {
  auto ok = ParseOutcomeReport(json::parse(R"({"outcome":"dissuaded","saved":"3000"})"));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->saved, 300000);
  for (const auto& [body, field] : std::vector<std::pair<std::string, std::string>>{
           {R"({"outcome":"maybe"})", "outcome"},
           {R"({"outcome":"reached","saved":{}})", "saved"},
           {R"({"outcome":3})", "outcome"}}) {
    auto bad = ParseOutcomeReport(json::parse(body));
    ASSERT_FALSE(bad.ok()) << body;
    EXPECT_TRUE(bad.status().message().starts_with(field)) << bad.status().message();
  }
}

}  // namespace
}  // namespace fanzha::app
