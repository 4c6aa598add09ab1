// What broke: 16 idle TCP connections, or 16 that sent one header line every 3 s, held all 16
// worker threads, and every other client waited 30 s or forever; no login was needed. Now no
// thread waits on a connection before its header is whole, headers and idle connections have
// time limits, and connections are capped per client address.
#include <thread>
#include <vector>

#include "tests/security/fixture.h"

namespace fanzha::security {
namespace {

// Sends one more header line on each slow connection.
void Trickle(std::vector<RawConnection>& slow, int round) {
  for (auto& c : slow) c.Send("X-Slow-" + std::to_string(round) + ": 1\r\n");
}

TEST_F(SecurityTest, IdleConnectionsManyIdleAndSlowConnectionsDoNotHoldTheWorkers) {
  std::vector<RawConnection> idle, slow;
  for (int i = 0; i < 64; ++i) {
    idle.emplace_back(port(), "127.0.0.2");  // connected, nothing sent
    slow.emplace_back(port(), "127.0.0.3");
    ASSERT_TRUE(idle.back().connected() && slow.back().connected());
    ASSERT_TRUE(slow.back().Send("GET /api/health HTTP/1.1\r\nHost: x\r\n"));  // never finished
  }
  Trickle(slow, 1);
  std::string token = Token("hz");  // logs in while they wait
  auto start = std::chrono::steady_clock::now();
  auto c = Client();
  c.set_read_timeout(10, 0);
  for (int i = 0; i < 20; ++i) {
    auto res = c.Get("/api/me", {{"Authorization", "Bearer " + token}});
    ASSERT_TRUE(res) << "request " << i << ": " << httplib::to_string(res.error());
    EXPECT_EQ(res->status, 200);
    if (i % 5 == 0) Trickle(slow, i + 2);
  }
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_LT(took, 5s) << "20 requests beside 128 idle or slow connections";
  // The slow and idle connections were really open all along (not refused).
  for (auto& s : slow) EXPECT_FALSE(s.ClosedByServer(0ms));
  for (auto& s : idle) EXPECT_FALSE(s.ClosedByServer(0ms));
}

TEST_F(SecurityTest, IdleConnectionsSlowHeadersAndIdleConnectionsAreClosedInTime) {
  auto s = OtherServer([](server::ServerOptions& o) {
    o.limits.header_timeout = 300;
    o.limits.idle_timeout = 500;
  });
  ASSERT_TRUE(s);
  RawConnection idle(s->port()), slow(s->port());
  ASSERT_TRUE(slow.Send("GET /api/health HTTP/1.1\r\n"));
  // One header line every 100 ms: still unfinished when its header time is up.
  auto start = std::chrono::steady_clock::now();
  bool slow_closed = false;
  for (int i = 0; i < 30 && !slow_closed; ++i) {
    slow.Send("X-Slow: " + std::to_string(i) + "\r\n");
    slow_closed = slow.ClosedByServer(100ms);
  }
  EXPECT_TRUE(slow_closed);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2500ms);
  EXPECT_TRUE(idle.ClosedByServer(2s));  // never sent a byte
  // A keep-alive connection is answered, then closed after its idle time.
  RawConnection kept(s->port());
  ASSERT_TRUE(kept.Send("GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto answer = kept.ReadAnswer(5s);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 200);
  EXPECT_FALSE(kept.ClosedByServer(200ms));
  EXPECT_TRUE(kept.ClosedByServer(3s));
}

// Whether a keep-alive request on `c` is answered with 200.
bool Served(RawConnection& c) {
  if (!c.Send("GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n")) return false;
  auto answer = c.ReadAnswer(5s);
  return answer && answer->status == 200;
}

TEST_F(SecurityTest, IdleConnectionsAreCappedPerAddressWhileOthersAreServed) {
  std::vector<RawConnection> mine;
  for (int i = 0; i < 100; ++i) {  // the fixture's cap; each answered, so counted
    mine.emplace_back(port(), "127.0.0.4");
    ASSERT_TRUE(Served(mine.back())) << i;
  }
  RawConnection extra(port(), "127.0.0.4");
  ASSERT_TRUE(extra.connected());  // the kernel accepts; the server closes it at once
  EXPECT_TRUE(extra.ClosedByServer(2s));
  RawConnection other(port(), "127.0.0.5");
  EXPECT_TRUE(Served(other));
  // Closed connections are counted out again (as the server notices them close).
  mine.clear();
  bool served = false;
  for (int i = 0; i < 50 && !served; ++i) {
    RawConnection again(port(), "127.0.0.4");
    served = Served(again);
    if (!served) std::this_thread::sleep_for(20ms);
  }
  EXPECT_TRUE(served);
}

// Requests whose header is whole wait for a worker in a bounded queue; past it they are refused at
// once rather than held.
TEST_F(SecurityTest, IdleConnectionsABusyServerAnswers503AtOnceBeyondItsQueue) {
  auto s = OtherServer([](server::ServerOptions& o) {
    o.threads = 1;
    o.limits.max_queued = 1;
  });
  ASSERT_TRUE(s);
  const std::string login = R"({"user":"hz","password":"wrong"})";  // a password hash: slow
  std::vector<RawConnection> clients;
  for (int i = 0; i < 8; ++i) {
    clients.emplace_back(s->port());
    ASSERT_TRUE(clients.back().Send("POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                                    std::to_string(login.size()) + "\r\n\r\n" + login));
  }
  int busy = 0, judged = 0;
  for (auto& c : clients) {
    auto a = c.ReadAnswer(60s);
    ASSERT_TRUE(a);
    if (a->status == 503) {
      ++busy;
      EXPECT_NE(a->body.find("\"unavailable\""), std::string::npos) << a->body;
    }
    judged += a->status == 401;
  }
  EXPECT_GE(busy, 1);
  EXPECT_GE(judged, 1);
  EXPECT_EQ(busy + judged, 8);
}

}  // namespace
}  // namespace fanzha::security
