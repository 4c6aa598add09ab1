#include "server/http/request.h"

#include <boost/asio/buffer.hpp>
#include <cctype>
#include <limits>
#include <nlohmann/json.hpp>

#include "core/json.h"
#include "core/text.h"
#include "server/http/parser.h"

namespace fanzha::server::http {
namespace {

namespace bhttp = boost::beast::http;

bool SameName(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// What a part of the target is called in errors, in both languages.
struct Part {
  const char* en;
  const char* zh;
};
constexpr Part kPath{"path", "路径"};
constexpr Part kQuery{"query", "查询参数"};

Status PartError(Part part, const std::string& en, const std::string& zh) {
  return Status::Invalid(std::string(part.en) + ": " + en).WithZh(std::string(part.zh) + "：" + zh);
}

// `text` percent-decoded ('+' is a space in a query), checked to be UTF-8 without NUL, so that
// nothing downstream (routes, the audit log, JSON answers) meets bytes it cannot hold. Errors
// give the offset, never the bytes.
Result<std::string> Decode(std::string_view text, bool plus_is_space, Part part) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      int hi = i + 1 < text.size() ? HexDigit(text[i + 1]) : -1;
      int lo = i + 2 < text.size() ? HexDigit(text[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        std::string at = std::to_string(i);
        return PartError(part, "the '%' at byte " + at + " is not followed by two hex digits",
                         "第 " + at + " 字节的 % 后不是两位十六进制数");
      }
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (plus_is_space && c == '+') {
      c = ' ';
    }
    if (c == '\0') return PartError(part, "contains NUL (%00)", "含有空字符 (%00)");
    out.push_back(c);
  }
  if (size_t bad = FirstInvalidUtf8(out); bad != out.size()) {
    std::string at = std::to_string(bad);
    return PartError(part, "not valid UTF-8 (decoded byte " + at + ")",
                     "不是有效的 UTF-8 编码（解码后第 " + at + " 字节）");
  }
  return out;
}

}  // namespace

std::string Request::header(std::string_view name) const {
  for (const Header& h : headers) {
    if (SameName(h.name, name)) return h.value;
  }
  return {};
}

bool Request::has_param(std::string_view key) const {
  for (const auto& [k, v] : params) {
    if (k == key) return true;
  }
  return false;
}

std::string Request::param(std::string_view key) const {
  for (const auto& [k, v] : params) {
    if (k == key) return v;
  }
  return {};
}

namespace {

// The error answer, with "text" in `lang` and its Content-Language when a language was asked for.
Response ErrorAnswer(const Status& st, int http_status, std::optional<Lang> lang) {
  nlohmann::json doc = {
      {"error", ErrorCodeName(st.code())}, {"message", st.message()}, {"message_zh", st.zh()}};
  Response r;
  if (lang) {
    doc["text"] = MessageIn(*lang, st);
    r.headers.push_back({"Content-Language", LangTag(*lang)});
  }
  r.status = http_status > 0 ? http_status : HttpStatus(st.code());
  r.body = DumpJson(doc);  // never throws on stored bytes that are not UTF-8
  return r;
}

}  // namespace

Response ErrorResponse(const Status& st, int http_status) {
  return ErrorAnswer(st, http_status, std::nullopt);
}

Response ErrorResponse(const Request& request, const Status& st) {
  return ErrorAnswer(st, 0, LangOfAcceptLanguage(request.header("Accept-Language")));
}

Status DecodeTarget(std::string_view target, Request* out) {
  if (target.empty() || target[0] != '/') {
    return PartError(kPath, "the request target must be a path that starts with '/'",
                     "请求目标必须是以 / 开头的路径");
  }
  size_t q = target.find('?');
  FANZHA_ASSIGN_OR_RETURN(out->path, Decode(target.substr(0, q), false, kPath));
  out->params.clear();
  if (q == std::string_view::npos) return Status::Ok();
  std::string_view query = target.substr(q + 1);
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    FANZHA_ASSIGN_OR_RETURN(std::string key, Decode(pair.substr(0, eq), true, kQuery));
    std::string value;
    if (eq != std::string_view::npos) {
      FANZHA_ASSIGN_OR_RETURN(value, Decode(pair.substr(eq + 1), true, kQuery));
    }
    out->params.emplace_back(std::move(key), std::move(value));
  }
  return Status::Ok();
}

void Prepare(Parser& parser, size_t max_header_bytes) {
  parser.header_limit(static_cast<std::uint32_t>(max_header_bytes));
  // Not boost::none: Beast 1.74 compares a Content-Length with it as "more than none".
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
}

bool HeaderTooLarge(size_t header_bytes, size_t max_header_bytes) {
  return header_bytes > max_header_bytes;
}

Result<Request> HeadOf(const Parser& parser) {
  const auto& msg = parser.get();
  Request r;
  r.method = std::string(msg.method_string());
  r.target = std::string(msg.target());
  FANZHA_RETURN_IF_ERROR(DecodeTarget(r.target, &r));
  for (const auto& field : msg) {
    r.headers.push_back({std::string(field.name_string()), std::string(field.value())});
  }
  if (auto n = parser.content_length()) r.content_length = *n;
  r.chunked = parser.chunked();
  // A request whose body length is not Content-Length or chunked cannot be framed (RFC 9112
  // 6.3): a proxy in front might read it otherwise (request smuggling).
  if (!r.chunked && msg.find(bhttp::field::transfer_encoding) != msg.end()) {
    return Status::Invalid("Transfer-Encoding: only chunked is taken")
        .WithZh("Transfer-Encoding 只接受 chunked");
  }
  r.keep_alive = parser.keep_alive();
  r.expect_continue = SameName(r.header("Expect"), "100-continue");
  return r;
}

std::optional<Refusal> RefusalOf(const boost::system::error_code& ec) {
  if (ec == bhttp::error::header_limit) {
    return Refusal{Status(ErrorCode::kTooLarge, "the request header is larger than allowed")
                       .WithZh("请求头超出允许的大小"),
                   431};
  }
  if (ec == bhttp::error::body_limit) {
    return Refusal{Status(ErrorCode::kTooLarge, "the request body is larger than this route takes")
                       .WithZh("请求体超出此接口允许的大小"),
                   413};
  }
  if (ec == bhttp::error::buffer_overflow) {
    return Refusal{Status(ErrorCode::kTooLarge, "the request is larger than allowed")
                       .WithZh("请求超出允许的大小"),
                   413};
  }
  // Not a parse error (the client went away, stopped sending or timed out), or the message
  // ended early: nobody to answer.
  bool malformed = ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
                   ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message &&
                   ec != bhttp::error::need_more && ec != bhttp::error::need_buffer;
  if (!malformed) return std::nullopt;
  // Beast's own description of what is malformed ("bad target", "bad Content-Length", ...):
  // fixed texts about the client's bytes, nothing of the server's state.
  return Refusal{Status::Invalid("malformed HTTP request: " + ec.message())
                     .WithZh("HTTP 请求格式错误：" + ec.message()),
                 400};
}

Result<Request> ParseRequest(std::string_view bytes, size_t max_header_bytes,
                             size_t max_body_bytes) {
  Parser parser;
  Prepare(parser, max_header_bytes);
  boost::system::error_code ec;
  // Feeds the rest of `bytes`; false when the parser took nothing (it needs more than is left).
  auto put = [&]() {
    size_t used =
        bytes.empty() ? 0 : parser.put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
    bytes.remove_prefix(used);
    if (used == 0 && !ec) ec = bhttp::error::need_more;
    return !ec;
  };
  auto failed = [&]() -> Status {
    std::optional<Refusal> r = RefusalOf(ec);
    if (r) return r->status;
    return Status::Invalid("incomplete HTTP request").WithZh("HTTP 请求不完整");
  };
  size_t header_bytes = bytes.size();
  while (!parser.is_header_done()) {
    if (!put()) return failed();
  }
  header_bytes -= bytes.size();
  if (HeaderTooLarge(header_bytes, max_header_bytes)) {
    ec = bhttp::error::header_limit;
    return failed();
  }
  FANZHA_ASSIGN_OR_RETURN(Request request, HeadOf(parser));
  if (request.content_length.value_or(0) > max_body_bytes) {
    ec = bhttp::error::body_limit;
    return failed();
  }
  parser.body_limit(max_body_bytes);
  while (!parser.is_done()) {
    if (!put()) return failed();
  }
  request.body = std::move(parser.release().body());
  return request;
}

}  // namespace fanzha::server::http
