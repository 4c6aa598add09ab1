// server/http/request.h: ParseRequest, what the transport runs over a socket, on arbitrary bytes.
// Invariants, per input (parsed with the transport's header limit and a 64 KiB body limit, and
// again with small limits):
// - nothing throws; an error is kInvalidInput or kTooLarge with a message in both languages;
// - a parsed request's path is well-formed UTF-8 without NUL and starts with '/'; every query key
//   and value is well-formed UTF-8 without NUL; DecodeTarget of its target gives them again;
// - the header fields fit in the header limit, the body in the body limit, and a body framed by
//   Content-Length has exactly that length;
// - limits only refuse: what parses under the small limits parses under the large ones as the
//   same request, and what fails under the large ones fails under the small ones too;
// - written out again (request line, the fields as parsed, the body with its Content-Length), a
//   request without chunked framing parses as the same request.
#include "core/text.h"
#include "fuzz/fuzz_util.h"
#include "server/http/request.h"

using namespace fanzha;
using server::http::Header;
using server::http::ParseRequest;
using server::http::Request;

namespace {

constexpr size_t kHeaderLimit = 16 * 1024;  // the transport's default max_header_bytes
constexpr size_t kBodyLimit = 64 * 1024;
constexpr size_t kSmallHeaderLimit = 256;
constexpr size_t kSmallBodyLimit = 16;

bool Clean(std::string_view s) { return IsValidUtf8(s) && s.find('\0') == std::string_view::npos; }

std::string Describe(const Request& r) {
  std::string out = r.method + " " + r.target + "\npath " + r.path + "\n";
  for (const auto& [k, v] : r.params) out += "param " + k + "=" + v + "\n";
  for (const Header& h : r.headers) out += "header " + h.name + ": " + h.value + "\n";
  out += "content-length " +
         (r.content_length ? std::to_string(*r.content_length) : std::string("none")) +
         (r.chunked ? ", chunked" : "") + (r.keep_alive ? ", keep-alive" : ", close") +
         (r.expect_continue ? ", 100-continue" : "") + "\nbody " + std::to_string(r.body.size()) +
         " bytes\n";
  return out;
}

bool Same(const Request& a, const Request& b) {
  if (a.method != b.method || a.target != b.target || a.path != b.path || a.params != b.params ||
      a.content_length != b.content_length || a.chunked != b.chunked ||
      a.keep_alive != b.keep_alive || a.expect_continue != b.expect_continue || a.body != b.body ||
      a.headers.size() != b.headers.size())
    return false;
  for (size_t i = 0; i < a.headers.size(); ++i) {
    if (a.headers[i].name != b.headers[i].name || a.headers[i].value != b.headers[i].value)
      return false;
  }
  return true;
}

void CheckParsed(const Request& r, size_t header_limit, size_t body_limit) {
  FUZZ_CHECK(!r.path.empty() && r.path[0] == '/', Describe(r));
  FUZZ_CHECK(Clean(r.path), Describe(r));
  for (const auto& [k, v] : r.params) FUZZ_CHECK(Clean(k) && Clean(v), Describe(r));
  Request again;
  Status st = server::http::DecodeTarget(r.target, &again);
  FUZZ_CHECK(st.ok() && again.path == r.path && again.params == r.params,
             st.ToString() + "\n" + Describe(r));
  size_t header_bytes = r.method.size() + r.target.size();
  for (const Header& h : r.headers) header_bytes += h.name.size() + h.value.size();
  FUZZ_CHECK(header_bytes <= header_limit, Describe(r));
  FUZZ_CHECK(r.body.size() <= body_limit, Describe(r));
  if (r.content_length && !r.chunked) FUZZ_CHECK(r.body.size() == *r.content_length, Describe(r));
  if (!r.has_body()) FUZZ_CHECK(r.body.empty(), Describe(r));
}

void CheckError(const Status& st) {
  FUZZ_CHECK_ERROR(st);
  FUZZ_CHECK(st.code() == ErrorCode::kInvalidInput || st.code() == ErrorCode::kTooLarge,
             st.ToString());
}

// The request as a client following RFC 9112 would send it (HTTP/1.1; the version is kept through
// the Connection header when it was 1.0 without keep-alive: "Connection: close" says the same).
std::string Write(const Request& r) {
  std::string out = r.method + " " + r.target + " HTTP/1.1\r\n";
  for (const Header& h : r.headers) out += h.name + ": " + h.value + "\r\n";
  return out + "\r\n" + r.body;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes = fuzz::Text(data, size);
  Result<Request> large = ParseRequest(bytes, kHeaderLimit, kBodyLimit);
  Result<Request> small = ParseRequest(bytes, kSmallHeaderLimit, kSmallBodyLimit);
  if (!large.ok()) {
    CheckError(large.status());
    FUZZ_CHECK(!small.ok(), "fails with the large limits (" + large.status().ToString() +
                                ") but not with the small ones:\n" + Describe(*small));
    CheckError(small.status());
    return 0;
  }
  CheckParsed(*large, kHeaderLimit, kBodyLimit);
  if (small.ok()) {
    CheckParsed(*small, kSmallHeaderLimit, kSmallBodyLimit);
    FUZZ_CHECK(Same(*small, *large), "small:\n" + Describe(*small) + "large:\n" + Describe(*large));
  } else {
    CheckError(small.status());
  }

  // Written out and read again. Chunked bodies are left out (their framing is not kept), and so
  // are HTTP/1.0 requests (keep_alive would differ) and headers whose value the parser trimmed.
  const Request& r = *large;
  if (r.chunked) return 0;
  bool http10 = bytes.find(" HTTP/1.0\r\n") != std::string_view::npos;
  if (http10) return 0;
  std::string written = Write(r);
  Result<Request> back = ParseRequest(written, kHeaderLimit * 2, kBodyLimit);
  FUZZ_CHECK(back.ok(),
             back.status().ToString() + "\nparsed:\n" + Describe(r) + "written:\n" + written);
  FUZZ_CHECK(Same(*back, r), "parsed:\n" + Describe(r) + "read back:\n" + Describe(*back));
  return 0;
}
