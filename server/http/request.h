// One HTTP/1.1 request as fanzha's routes see it, its answer, and the pure parsing of a request
// from the bytes a client sent (the same steps the transport runs over a socket, in one piece, for
// tests and fuzzing). See transport.h for how requests arrive and answers leave.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/lang.h"
#include "core/status.h"
#include "core/time.h"

namespace fanzha::server::http {

struct Header {
  std::string name;  // compared without regard to case (RFC 9110)
  std::string value;
};

struct Request {
  std::string method;  // as sent: "GET", "POST", ...
  std::string target;  // as sent: "/api/cases?region=330100"
  // The target's path, percent-decoded: well-formed UTF-8 without NUL, starts with '/'.
  std::string path;
  // The query, split on '&' and the first '=', decoded ('+' is a space): well-formed UTF-8.
  std::vector<std::pair<std::string, std::string>> params;
  std::vector<Header> headers;             // as sent, in order
  std::optional<uint64_t> content_length;  // unset: none was sent
  bool chunked = false;                    // Transfer-Encoding: chunked
  bool keep_alive = true;                  // HTTP/1.1 unless "Connection: close"; 1.0 if asked
  bool expect_continue = false;  // "Expect: 100-continue": the client waits to send the body
  std::string body;              // empty until the body has been read (after the route admitted it)
  std::string remote_addr;  // the client's IP address (the transport's), for throttles and audit

  // The value of the first header `name` (any case), "" when absent.
  std::string header(std::string_view name) const;
  bool has_param(std::string_view key) const;
  // The first value of the query parameter `key`, "" when absent.
  std::string param(std::string_view key) const;
  // Whether a body follows the header: a Content-Length above 0, or chunked.
  bool has_body() const { return chunked || content_length.value_or(0) > 0; }
};

// An answer that goes on, for server-sent events (text/event-stream): the transport sends the
// header and Response::body, then every `every` asks `next` (on a worker) for more and sends it,
// "" as a keep-alive comment, until `next` gives nullopt or the client is gone; then it closes the
// connection. No thread waits in between.
struct EventStream {
  Millis every = 10000;
  std::function<std::optional<std::string>()> next;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<Header> headers;  // more headers (Set-Cookie, Cache-Control, ...), sent as given
  bool close = false;           // close the connection after this answer
  std::shared_ptr<EventStream> events;  // set: an event stream (content_type text/event-stream)
};

// The answer for an error: {"error": code name, "message": English, "message_zh": Chinese}, with
// the code's HTTP status or `http_status` when given (431 for a header too large). Never throws:
// bytes that are not UTF-8 in a message are replaced.
Response ErrorResponse(const Status& st, int http_status = 0);
// The same for a request, adding "text": the message in the language its Accept-Language asks
// for (LangOfAcceptLanguage: Chinese unless English is preferred), and a Content-Language header.
Response ErrorResponse(const Request& request, const Status& st);

// Splits and decodes a request target into out->path and out->params. Only the origin form
// ("/path?query") is accepted. Errors: kInvalidInput naming "path" or "query" and what is wrong
// (a bad percent escape, %00, bytes that are not UTF-8), with its Chinese text; the message gives
// the byte offset, never the bytes.
Status DecodeTarget(std::string_view target, Request* out);

// Parses one whole request from `bytes`, what a client sent from its first byte: the request
// line and header fields (at most `max_header_bytes`), then a body of at most `max_body_bytes`
// (by Content-Length or chunked). Bytes after the request are ignored.
// Errors: kInvalidInput for malformed or incomplete requests and bad targets (DecodeTarget),
// kTooLarge for a header or body over its limit (the message says which). Pure: no I/O, no
// globals; never throws. Cost O(bytes.size()).
Result<Request> ParseRequest(std::string_view bytes, size_t max_header_bytes,
                             size_t max_body_bytes);

}  // namespace fanzha::server::http
