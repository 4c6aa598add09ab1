// What broke: any logged-in user, even the read-only auditor, crashed the server by posting a case
// whose narrative was an array nested 100,000 deep: the intake serialised it again, recursively,
// and overflowed the stack, before the role was checked. Now the role is checked from the
// header, the nesting of every body is bounded before it is parsed, and nothing a client sent is
// serialised again.
#include <nlohmann/json.hpp>

#include "tests/security/fixture.h"

namespace fanzha::security {
namespace {

using nlohmann::json;

std::string CaseWithNarrative(const std::string& narrative_json) {
  return R"({"case":{"id":"DEEP1","reported_at":"2020-02-08T10:00:00+08:00","region":"330102",)"
         R"("narrative":)" +
         narrative_json + "}}";
}

std::string Nested(int depth) { return std::string(depth, '[') + std::string(depth, ']'); }

bool Alive(httplib::Client& c) {
  auto res = c.Get("/api/health");
  return res && res->status == 200;
}

TEST_F(SecurityTest, DeepNestingCrashTheAuditorIsRefusedByRoleBeforeTheBodyIsRead) {
  auto c = Client();
  auto res =
      c.Post("/api/cases", As("auditor"), CaseWithNarrative(Nested(100000)), "application/json");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 403) << res->body;
  EXPECT_EQ(json::parse(res->body)["error"], "forbidden");
  EXPECT_TRUE(Alive(c));
}

TEST_F(SecurityTest, DeepNestingCrashAnInvestigatorsDeepBodyIsRefusedBeforeParsing) {
  auto c = Client();
  for (int depth : {65, 1000, 100000}) {
    auto res = c.Post("/api/cases", As("hz"), CaseWithNarrative(Nested(depth)), "application/json");
    ASSERT_TRUE(res) << depth << ": " << httplib::to_string(res.error());
    EXPECT_EQ(res->status, 400) << res->body;
    json answer = json::parse(res->body);
    EXPECT_TRUE(
        answer["message"].get<std::string>().starts_with("body: nested deeper than 64 levels"))
        << res->body;
    EXPECT_NE(answer["message_zh"].get<std::string>().find("嵌套"), std::string::npos) << res->body;
  }
  EXPECT_TRUE(Alive(c));
}

TEST_F(SecurityTest, DeepNestingCrashANarrativeMustBeAStringAndAmountsScalars) {
  auto c = Client();
  auto res = c.Post("/api/cases", As("hz"), CaseWithNarrative(Nested(60)), "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(json::parse(res->body)["message"], "case.narrative: not a string") << res->body;
  std::string body =
      R"({"case":{"id":"DEEP2","reported_at":"2020-02-08T10:00:00+08:00","region":"330102"},)"
      R"("transfers":[{"id":"DEEP2-T1","time":"2020-02-08T09:00:00+08:00","from":"A","to":"B",)"
      R"("amount":)" +
      Nested(50) + "}]}";
  res = c.Post("/api/cases", As("hz"), body, "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_TRUE(json::parse(res->body)["message"].get<std::string>().starts_with(
      "transfers[0].amount: not an amount"))
      << res->body;
  EXPECT_EQ(c.Get("/api/cases/DEEP2", As("hz"))->status, 404);  // nothing stored
  EXPECT_TRUE(Alive(c));
}

// The route pattern matcher works segment by segment: std::regex, which matched routes before,
// recursed per character and overflowed the stack on long paths.
TEST_F(SecurityTest, DeepNestingCrashALongPathSegmentIsMatchedWithoutRecursion) {
  auto c = Client();
  auto res = c.Get("/api/cases/" + std::string(15000, 'a') + "/trace?reason=x", As("hz"));
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 404) << res->body;
  res = c.Get("/api/cases/" + std::string(40000, 'a'), As("hz"));  // more than a header may hold
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 431);
  EXPECT_TRUE(Alive(c));
}

}  // namespace
}  // namespace fanzha::security
