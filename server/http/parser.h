// Internal to server/http: the steps over Beast's request parser that ParseRequest and the
// transport share, so that what is fuzzed is what serves.
#pragma once

#include <boost/beast/http.hpp>
#include <optional>

#include "server/http/request.h"

namespace fanzha::server::http {

using Parser = boost::beast::http::request_parser<boost::beast::http::string_body>;

// Sets a fresh parser's limits: the header at most `max_header_bytes`; the body unlimited until
// the route admits the request and gives its own (Parser::body_limit). Content-Length is checked
// against the route's limit by the caller, so that 413 goes out before any body byte is read.
void Prepare(Parser& parser, size_t max_header_bytes);

// Whether a header the parser took `header_bytes` for (request line, fields and the blank line)
// is over the limit. Beast 1.74 applies Prepare's limit to the request line and to the fields
// each, so a header of up to twice the limit passes it: the whole is checked with this once the
// header is parsed (answer as RefusalOf(header_limit): 431).
bool HeaderTooLarge(size_t header_bytes, size_t max_header_bytes);

// The request of a parsed header (the body is not read yet). Errors: DecodeTarget's.
Result<Request> HeadOf(const Parser& parser);

// What a parse error means for the client: an answer to send (400, 413 or 431) or, unset, none
// (the client went away, timed out or sent nothing: the connection just closes).
struct Refusal {
  Status status;
  int http_status;
};
std::optional<Refusal> RefusalOf(const boost::system::error_code& ec);

}  // namespace fanzha::server::http
