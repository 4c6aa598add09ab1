// Request parsing: targets decoded and checked, limits, malformed and incomplete requests.
#include "server/http/request.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace fanzha::server::http {
namespace {

constexpr size_t kHeader = 16 * 1024;
constexpr size_t kBody = 1024;

TEST(DecodeTarget, DecodesThePathAndTheQuery) {
  Request r;
  ASSERT_TRUE(
      DecodeTarget("/api/cases/HZ%201/trace?reason=victim+called&policy=fifo&x&=y", &r).ok());
  EXPECT_EQ(r.path, "/api/cases/HZ 1/trace");
  EXPECT_EQ(r.param("reason"), "victim called");
  EXPECT_EQ(r.param("policy"), "fifo");
  EXPECT_TRUE(r.has_param("x"));
  EXPECT_EQ(r.param("x"), "");
  EXPECT_FALSE(r.has_param("missing"));
  ASSERT_TRUE(DecodeTarget("/api/cases?region=%E6%9D%AD%E5%B7%9E", &r).ok());
  EXPECT_EQ(r.param("region"), "杭州");
  ASSERT_TRUE(DecodeTarget("/a+b", &r).ok());
  EXPECT_EQ(r.path, "/a+b");  // '+' is a space only in a query
}

TEST(DecodeTarget, RefusesBytesThatAreNotUtf8AndSaysWhereNotWhat) {
  Request r;
  Status st = DecodeTarget("/api/cases/%FF%FE", &r);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(st.message(), "path: not valid UTF-8 (decoded byte 11)");
  EXPECT_NE(st.zh().find("UTF-8"), std::string::npos);
  st = DecodeTarget("/api/cases?region=%C0%AF", &r);  // an overlong '/'
  ASSERT_FALSE(st.ok());
  EXPECT_TRUE(st.message().starts_with("query: not valid UTF-8")) << st.message();
  st = DecodeTarget("/api/cases?region=\xB9\xE3\xCE\xF7", &r);  // 广西 in GBK, unescaped
  ASSERT_FALSE(st.ok());
  EXPECT_TRUE(st.message().starts_with("query: ")) << st.message();
  // An error answer holds no byte of the request, so it is always valid JSON.
  Response answer = ErrorResponse(st);
  EXPECT_EQ(answer.status, 400);
  EXPECT_FALSE(nlohmann::json::parse(answer.body, nullptr, false).is_discarded()) << answer.body;
}

TEST(DecodeTarget, RefusesBadEscapesNulAndOtherForms) {
  Request r;
  EXPECT_EQ(DecodeTarget("/a%2", &r).message(),
            "path: the '%' at byte 2 is not followed by two hex digits");
  EXPECT_FALSE(DecodeTarget("/a%zz", &r).ok());
  EXPECT_FALSE(DecodeTarget("/a%", &r).ok());
  EXPECT_EQ(DecodeTarget("/a%00b", &r).message(), "path: contains NUL (%00)");
  EXPECT_FALSE(DecodeTarget("http://example.org/api", &r).ok());
  EXPECT_FALSE(DecodeTarget("*", &r).ok());
  EXPECT_FALSE(DecodeTarget("", &r).ok());
}

TEST(ParseRequest, ReadsTheHeaderAndABodyByLength) {
  Result<Request> r = ParseRequest(
      "POST /api/login?next=%2F HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\n"
      "Content-Length: 11\r\nExpect: 100-continue\r\n\r\n{\"user\":1}\nEXTRA",
      kHeader, kBody);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->method, "POST");
  EXPECT_EQ(r->path, "/api/login");
  EXPECT_EQ(r->param("next"), "/");
  EXPECT_EQ(r->header("Content-Type"), "application/json");
  EXPECT_EQ(r->content_length, 11u);
  EXPECT_TRUE(r->expect_continue);
  EXPECT_TRUE(r->keep_alive);
  EXPECT_EQ(r->body, "{\"user\":1}\n");
}

TEST(ParseRequest, ReadsAChunkedBody) {
  Result<Request> r = ParseRequest(
      "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
      "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
      kHeader, kBody);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->chunked);
  EXPECT_FALSE(r->keep_alive);
  EXPECT_EQ(r->body, "abcde");
}

TEST(ParseRequest, RefusesBodiesAndHeadersOverTheirLimits) {
  Result<Request> r =
      ParseRequest("POST /x HTTP/1.1\r\nContent-Length: 104857600\r\n\r\n", kHeader, kBody);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kTooLarge);  // by its length, before any byte of it
  std::string chunks = "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 3; ++i) chunks += "200\r\n" + std::string(512, 'a') + "\r\n";
  r = ParseRequest(chunks + "0\r\n\r\n", kHeader, kBody);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kTooLarge);
  r = ParseRequest("GET / HTTP/1.1\r\nX: " + std::string(kHeader, 'a') + "\r\n\r\n", kHeader,
                   kBody);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kTooLarge);
  EXPECT_EQ(ErrorResponse(r.status(), 431).status, 431);
}

// Beast applies its header limit to the request line and to the fields each: a line and fields
// of most of the limit each passed together. The whole header is what is bounded.
TEST(ParseRequest, TheLimitBoundsTheRequestLineAndTheFieldsTogether) {
  std::string line = "GET /" + std::string(kHeader * 3 / 4, 'a') + " HTTP/1.1\r\n";
  std::string fields = "X: " + std::string(kHeader * 3 / 4, 'b') + "\r\n\r\n";
  ASSERT_TRUE(ParseRequest(line + "\r\n", kHeader, kBody).ok());
  ASSERT_TRUE(ParseRequest("GET / HTTP/1.1\r\n" + fields, kHeader, kBody).ok());
  Result<Request> r = ParseRequest(line + fields, kHeader, kBody);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kTooLarge);
}

TEST(ParseRequest, RefusesMalformedAndIncompleteRequests) {
  for (const char* bad :
       {"GET\r\n\r\n", "GET / HTTP/9.9\r\n\r\n", "G\x01T / HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
        "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        // both lengths: one for a proxy, another for the server (smuggling)
        "POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\nabc"}) {
    Result<Request> r = ParseRequest(bad, kHeader, kBody);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), ErrorCode::kInvalidInput) << bad;
    }
  }
  for (const char* incomplete :
       {"", "GET / HTTP/1.1\r\nHost: x\r\n", "POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab",
        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n"}) {
    Result<Request> r = ParseRequest(incomplete, kHeader, kBody);
    ASSERT_FALSE(r.ok()) << incomplete;
    EXPECT_EQ(r.status().message(), "incomplete HTTP request") << incomplete;
  }
  Result<Request> r = ParseRequest("GET /%FF HTTP/1.1\r\n\r\n", kHeader, kBody);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().message().starts_with("path: ")) << r.status().message();
}

}  // namespace
}  // namespace fanzha::server::http
