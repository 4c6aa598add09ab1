// Route patterns are matched segment by segment, without a regular expression engine.
#include <gtest/gtest.h>

#include "server/impl.h"

namespace fanzha::server {
namespace {

TEST(RoutePattern, MatchesLiteralsSegmentsAndDigits) {
  std::vector<std::string> parts;
  RoutePattern trace(R"(/api/cases/([^/]+)/trace)");
  ASSERT_TRUE(trace.Match("/api/cases/HZ 1/trace", &parts));
  EXPECT_EQ(parts, (std::vector<std::string>{"/api/cases/HZ 1/trace", "HZ 1"}));
  EXPECT_FALSE(trace.Match("/api/cases//trace", &parts));
  EXPECT_FALSE(trace.Match("/api/cases/a/b/trace", &parts));
  EXPECT_FALSE(trace.Match("/api/cases/a/trace/", &parts));
  EXPECT_FALSE(trace.Match("/api/cases/a", &parts));
  RoutePattern order(R"(/api/freeze-orders/(\d+)/move)");
  ASSERT_TRUE(order.Match("/api/freeze-orders/42/move", &parts));
  EXPECT_EQ(parts[1], "42");
  EXPECT_FALSE(order.Match("/api/freeze-orders/4x2/move", &parts));
  EXPECT_FALSE(order.Match("/api/freeze-orders/-1/move", &parts));
  RoutePattern plain("/api/cases");
  EXPECT_TRUE(plain.Match("/api/cases", &parts));
  EXPECT_FALSE(plain.Match("/api/cases/", &parts));
  EXPECT_FALSE(plain.Match("/api/case", &parts));
  EXPECT_FALSE(plain.Match("", &parts));
}

TEST(RoutePattern, ALongSegmentCostsNoStack) {
  std::vector<std::string> parts;
  RoutePattern trace(R"(/api/cases/([^/]+)/trace)");
  std::string id(1 << 20, 'a');
  ASSERT_TRUE(trace.Match("/api/cases/" + id + "/trace", &parts));
  EXPECT_EQ(parts[1].size(), id.size());
}

}  // namespace
}  // namespace fanzha::server
