// Raw HTTP/1.1 over loopback TCP for the tests and benchmarks that play an attacker: what no
// well-behaved client library sends (idle or slow connections, half a header, bytes that are not
// UTF-8, bodies pushed without end) and answers read with a deadline.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace fanzha::raw_http {

// An answer read from a raw connection.
struct RawAnswer {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

// A TCP connection to 127.0.0.1:port from `source` (another loopback address such as 127.0.0.2,
// so that one process can stand for many clients) or from 127.0.0.1. Blocking socket; every read
// has a deadline. Not thread-safe.
class RawConnection {
 public:
  explicit RawConnection(int port, const char* source = nullptr);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;
  RawConnection(RawConnection&& other) noexcept;

  bool connected() const { return fd_ >= 0; }
  // Sends all of `bytes`; false when the connection is closed.
  bool Send(std::string_view bytes);
  // Sends what the socket takes now without waiting; the bytes sent (0 when full or closed).
  size_t SendSome(std::string_view bytes);
  // Reads one answer (status line, fields, a Content-Length body) within `timeout`; unset on
  // timeout or when the connection closes first.
  std::optional<RawAnswer> ReadAnswer(std::chrono::milliseconds timeout);
  // Whether the server closes the connection (end of stream or reset) within `wait`; data that
  // arrives meanwhile is dropped.
  bool ClosedByServer(std::chrono::milliseconds wait);

 private:
  int fd_ = -1;
  std::string pending_;  // read but not yet taken by ReadAnswer
};

// Resident memory of a process in KiB (VmRSS, or VmHWM for the peak, of /proc/PID/status); -1
// when unreadable. pid 0: this process.
long ResidentKib(int pid = 0, const char* field = "VmRSS:");

}  // namespace fanzha::raw_http
