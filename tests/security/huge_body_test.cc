// What broke: there was no limit on request bodies; a 100 MB JSON array posted to /api/login took
// the process to 2.1 GB. Now every route declares its body limit, and a body over it answers 413
// as soon as its Content-Length (or, chunked, its bytes) pass the limit, without reading the rest.
#include <nlohmann/json.hpp>

#include "tests/security/fixture.h"

namespace fanzha::security {
namespace {

using nlohmann::json;

constexpr size_t kHundredMb = 100u << 20;

// Pushes up to `total` body bytes on `c` while waiting for an answer; returns the answer and the
// bytes the server let through (its socket buffers: the server reads none of them).
std::optional<RawAnswer> PushUntilAnswered(RawConnection& c, size_t total, size_t* sent) {
  static const std::string chunk(64 * 1024, '[');
  *sent = 0;
  auto until = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < until) {
    if (*sent < total)
      *sent += c.SendSome(std::string_view(chunk).substr(0, std::min(chunk.size(), total - *sent)));
    if (auto a = c.ReadAnswer(5ms)) return a;
  }
  return std::nullopt;
}

void ExpectTooLarge(const RawAnswer& a) {
  EXPECT_EQ(a.status, 413);
  json body = json::parse(a.body, nullptr, false);
  ASSERT_FALSE(body.is_discarded()) << a.body;
  EXPECT_EQ(body["error"], "too_large");
  EXPECT_NE(body["message_zh"].get<std::string>().find("超出"), std::string::npos) << a.body;
  EXPECT_EQ(a.headers.count("connection") ? a.headers.at("connection") : "", "close");
}

TEST_F(SecurityTest, HugeBodyAHundredMegabyteLoginIsRefusedByItsLengthUnread) {
  long before = ResidentKib();
  RawConnection c(port());
  ASSERT_TRUE(
      c.Send("POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
             "Content-Length: " +
             std::to_string(kHundredMb) + "\r\n\r\n"));
  auto start = std::chrono::steady_clock::now();
  size_t sent = 0;
  auto answer = PushUntilAnswered(c, kHundredMb, &sent);
  ASSERT_TRUE(answer) << "no answer after sending " << sent << " bytes";
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  ExpectTooLarge(*answer);
  EXPECT_LT(sent, kHundredMb / 4) << "the server should not take the body";
  EXPECT_LT(ResidentKib() - before, 20 * 1024) << "KiB grown";
}

TEST_F(SecurityTest, HugeBodyAChunkedBodyIsRefusedOnceItPassesTheLimit) {
  long before = ResidentKib();
  RawConnection c(port());
  ASSERT_TRUE(c.Send("POST /api/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"));
  std::string chunk = "10000\r\n" + std::string(0x10000, '[') + "\r\n";  // 64 KiB a chunk
  std::string stream;
  for (int i = 0; i < 16; ++i) stream += chunk;
  size_t sent = 0;
  std::optional<RawAnswer> answer;
  for (int round = 0; round < 100 && !answer; ++round) {  // up to 100 MB
    for (size_t off = 0; off < stream.size() && !answer;) {
      off += c.SendSome(std::string_view(stream).substr(off));
      answer = c.ReadAnswer(2ms);
    }
    sent += stream.size();
  }
  ASSERT_TRUE(answer);
  ExpectTooLarge(*answer);
  EXPECT_LT(sent, kHundredMb / 4) << "the server should not take the body";
  EXPECT_LT(ResidentKib() - before, 20 * 1024) << "KiB grown";
}

TEST_F(SecurityTest, HugeBodyTheRoleIsCheckedBeforeTheLimitAndTheLimitIsTheRoutes) {
  std::string big(2 << 20, ' ');  // 2 MiB of white space: over the report limit of 1 MiB
  auto c = Client();
  auto res = c.Post("/api/cases", As("auditor"), big, "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);  // not for an auditor at all, whatever the body
  res = c.Post("/api/cases", As("hz"), big, "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
  // Under the limit: read, and refused for what it is.
  res = c.Post("/api/cases", As("hz"), std::string(900 << 10, ' '), "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400) << res->body;
  res = c.Post("/api/login", std::string(8 << 10, ' '), "application/json");  // over 4 KiB
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
  EXPECT_EQ(json::parse(res->body)["error"], "too_large");
  // Without login, a body is never read: 401 at once.
  res = c.Post("/api/cases", big, "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
}

TEST_F(SecurityTest, HugeBodyAClientThatAsksFirstIsRefusedBeforeSendingIt) {
  RawConnection c(port());
  ASSERT_TRUE(
      c.Send("POST /api/login HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
             "Content-Length: " +
             std::to_string(kHundredMb) + "\r\n\r\n"));
  auto answer = c.ReadAnswer(5s);
  ASSERT_TRUE(answer);
  ExpectTooLarge(*answer);  // and no "100 Continue" first
  RawConnection ok(port());
  std::string login = json{{"user", "hz"}, {"password", "wrong"}}.dump();
  ASSERT_TRUE(
      ok.Send("POST /api/login HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
              "Content-Length: " +
              std::to_string(login.size()) + "\r\n\r\n"));
  answer = ok.ReadAnswer(60s);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 100);
  ASSERT_TRUE(ok.Send(login));
  answer = ok.ReadAnswer(60s);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 401);  // read and judged
}

TEST_F(SecurityTest, HugeBodyAGetTakesNoBody) {
  RawConnection c(port());
  ASSERT_TRUE(
      c.Send("GET /api/health HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789"));
  auto answer = c.ReadAnswer(5s);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 413);
}

}  // namespace
}  // namespace fanzha::security
