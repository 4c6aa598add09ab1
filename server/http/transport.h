// The HTTP/1.1 transport of `fanzha serve`: an event loop (Boost.Asio) reads and writes every
// connection and parses requests (Boost.Beast); a bounded pool of worker threads runs the
// application, which may block (traces, SQLite, password hashing).
//
// The contract:
//  - No thread waits on a client. A connection costs a socket and a few KiB until its request
//    header is whole; only a whole header (and later a whole body) reaches a worker. So idle and
//    slow clients cannot take the workers from others.
//  - Time limits: a request header must be whole within header_timeout of its first byte (a new
//    connection must start one within header_timeout too); the body within request_timeout of
//    the first byte; a keep-alive connection waits idle_timeout for its next request; an answer
//    must be taken by the client within write_timeout. Past a limit the connection is closed.
//  - Size limits: a header of more than max_header_bytes answers 431. The application gives each
//    request its body limit after seeing the header; a Content-Length above it answers 413 at once
//    and a chunked body as soon as its bytes pass it, without reading the rest.
//  - Connections: at most max_connections open, and max_connections_per_address from one client
//    address; beyond, a new connection is closed at once.
//  - Workers: `workers` threads; at most max_queued requests wait for one, beyond which a request
//    answers 503 at once.
//  - Every answer (the transport's own refusals too) carries Options::headers, and
//    "Cache-Control: no-store" unless it sets its own Cache-Control. An application function that
//    throws answers 500 with a fixed message; what it threw is written to stderr, never sent.
//  - A refused request (400, 413, 431, 503) closes its connection after the answer; the transport
//    then reads and drops what the client still sends for a moment (so that the client reads the
//    answer rather than a reset).
//  - An answer to a GET with Response::events (server-sent events) goes on after its body: a timer
//    on the connection asks a worker for the next piece every EventStream::every and writes it,
//    each write within write_timeout; it ends when the stream says so or a write fails (the
//    client left), and closes the connection. When every worker is busy, that beat is skipped.
// Threads: the event loop runs on io_threads threads, the application on the workers; Listen,
// Start and Stop are called from one controlling thread.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "server/http/request.h"

namespace fanzha::server::http {

// What the application decides from a request's header (Options::admit).
struct Admission {
  // Set: send this answer; the body (if any) is not read.
  std::optional<Response> answer;
  // Otherwise: read a body of at most body_limit bytes (0: the request may have none), then call
  // `respond` on a worker with the whole request. It is called at most once.
  size_t body_limit = 0;
  std::function<Response(Request&)> respond;

  static Admission Answer(Response r) { return {std::move(r), 0, {}}; }
  static Admission ReadBody(size_t limit, std::function<Response(Request&)> respond) {
    return {std::nullopt, limit, std::move(respond)};
  }
};

// What a client may take from the server; see the contract above.
struct Limits {
  size_t max_header_bytes = 16 * 1024;
  size_t max_connections = 10000;  // lowered to what the process may open (RLIMIT_NOFILE)
  size_t max_connections_per_address = 256;
  size_t max_queued = 1024;  // requests waiting for a worker
  Millis header_timeout = 10000;
  Millis request_timeout = 60000;
  Millis idle_timeout = 30000;
  Millis write_timeout = 30000;
};

struct Options {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: any free port (see Transport::port)
  int io_threads = 1;
  int workers = 16;
  Limits limits;
  std::vector<Header> headers;  // sent with every answer
  // Runs on a worker for every request whose header is whole and well formed (the path and query
  // are decoded and checked: see DecodeTarget).
  std::function<Admission(const Request& head)> admit;
};

class Transport {
 public:
  // Binds and listens (connections wait in the backlog until Start). kIoError when the address
  // cannot be bound.
  static Result<std::unique_ptr<Transport>> Listen(Options options);
  ~Transport();  // stops first

  // Starts the event loop and the workers; returns at once.
  void Start();
  // Stops accepting, closes every connection, lets running application calls finish (queued ones
  // are dropped) and joins every thread. Idempotent.
  void Stop();
  int port() const;

  struct Impl;

 private:
  explicit Transport(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace fanzha::server::http
