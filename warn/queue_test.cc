// The hotline queue: latest revision only, per region, most urgent first.
#include "warn/queue.h"

#include <gtest/gtest.h>

namespace fanzha::warn {
namespace {

QueuedWarning W(std::string id, int revision, std::string region, int score, Millis last) {
  return {std::move(id), revision, "+86139", std::move(region), score, last, "{}"};
}

TEST(WarningQueueTest, MostUrgentFirstPerRegion) {
  WarningQueue q;
  q.Upsert(W("a", 1, "450200", 60, 100));
  q.Upsert(W("b", 1, "450200", 160, 50));
  q.Upsert(W("c", 1, "450200", 60, 200));  // same score, more recent: first of the two
  q.Upsert(W("d", 1, "330100", 200, 10));
  auto r = q.Region("450200");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].id, "b");
  EXPECT_EQ(r[1].id, "c");
  EXPECT_EQ(r[2].id, "a");
  EXPECT_EQ(q.Region("450200", 1).size(), 1u);
}

TEST(WarningQueueTest, KeepsTheLatestRevisionAndDropsAnsweredWarnings) {
  WarningQueue q;
  EXPECT_TRUE(q.Upsert(W("a", 2, "450200", 160, 100)));
  EXPECT_FALSE(q.Upsert(W("a", 1, "450200", 60, 100)));  // late arrival of an older line
  EXPECT_EQ(q.Region("450200")[0].score, 160);
  q.Close("a");
  EXPECT_TRUE(q.Region("450200").empty());
}

TEST(WarningQueueTest, AProvinceSeesItsCitiesAndNoRegionSeesAll) {
  WarningQueue q;
  q.Upsert(W("hz", 1, "330100", 60, 100));
  q.Upsert(W("nb", 1, "330200", 160, 100));
  q.Upsert(W("lz", 1, "450200", 100, 100));
  EXPECT_EQ(q.Region("330000").size(), 2u);
  EXPECT_EQ(q.Region("330000")[0].id, "nb");
  EXPECT_EQ(q.Region("330100").size(), 1u);
  EXPECT_EQ(q.Region("").size(), 3u);
}

TEST(OutcomeTest, ParsesTheFourOutcomes) {
  EXPECT_EQ(*ParseOutcome("already_paid"), Outcome::kAlreadyPaid);
  EXPECT_EQ(Name(*ParseOutcome("dissuaded")), "dissuaded");
  EXPECT_FALSE(ParseOutcome("maybe").ok());
}

}  // namespace
}  // namespace fanzha::warn
