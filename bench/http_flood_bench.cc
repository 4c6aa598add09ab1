// What idle, slow and oversized clients do to `fanzha serve`, measured from outside the process
// (docs/SECURITY.md):
//  1. the latency of normal requests alone, then beside N open connections of which half send
//     nothing and half send one header line a second and never finish (from other loopback
//     addresses, as many clients);
//  2. 100 MB bodies posted to /api/login, by Content-Length and chunked: the time from the header
//     sent to the answer read, the bytes the client got to send, and the server's memory.
//
// Usage: http_flood_bench --fanzha build/fanzha [--db STORE.db] [--case ID] [--connections 1000]
//          [--requests 2000] [--body-trials 20] [--port 18392]
// Without --db a fresh, empty store; a centre user is added to it. The normal request is
// GET /api/cases/ID/trace?reason=bench with --case, else GET /api/me; each on a new connection.
// Checks (exit 1 when one fails): every normal request answers 200 with its expected content;
// every flood connection is still open at the end (none was refused: the server held them all);
// every big body is answered 413. The figures are printed whether or not the checks pass, so that
// another server (an older fanzha) can be measured the same way.
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/raw_http.h"

extern char** environ;

namespace {

using fanzha::raw_http::RawAnswer;
using fanzha::raw_http::RawConnection;
using fanzha::raw_http::ResidentKib;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

struct Args {
  std::string fanzha = "build/fanzha";
  std::string db;
  std::string case_id;
  int connections = 1000;
  int requests = 2000;
  int body_trials = 20;
  int port = 18392;
};

bool failed = false;
void Check(bool ok, const std::string& what) {
  if (ok) return;
  std::printf("CHECK FAILED: %s\n", what.c_str());
  failed = true;
}

double Micros(Clock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }

// p-th percentile (0..100) of `values`, sorted in place.
double Percentile(std::vector<double>& values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  size_t i = static_cast<size_t>(p / 100.0 * (values.size() - 1) + 0.5);
  return values[std::min(i, values.size() - 1)];
}

pid_t Spawn(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawn(&pid, args[0], nullptr, nullptr, args.data(), environ) != 0) return -1;
  return pid;
}

std::string Get(const std::string& target, const std::string& token) {
  return "GET " + target + " HTTP/1.1\r\nHost: bench\r\n" +
         (token.empty() ? "" : "Authorization: Bearer " + token + "\r\n") + "\r\n";
}

std::optional<RawAnswer> Ask(int port, const std::string& request,
                             std::chrono::milliseconds timeout) {
  RawConnection c(port);
  if (!c.connected() || !c.Send(request)) return std::nullopt;
  return c.ReadAnswer(timeout);
}

struct Latencies {
  std::vector<double> micros;
  int failures = 0;  // no answer in time, or a wrong one
  int tried = 0;
};

// `n` normal requests, each on a new connection; stops early after 10 failures in a row (a
// server that answers no one would otherwise take n times the timeout).
Latencies Measure(int port, const std::string& request, const std::string& expect, int n) {
  Latencies out;
  int in_a_row = 0;
  for (int i = 0; i < n && in_a_row < 10; ++i) {
    ++out.tried;
    auto start = Clock::now();
    auto a = Ask(port, request, 5s);
    double us = Micros(Clock::now() - start);
    if (a && a->status == 200 && a->body.find(expect) != std::string::npos) {
      out.micros.push_back(us);
      in_a_row = 0;
    } else {
      ++out.failures;
      ++in_a_row;
    }
  }
  return out;
}

void Report(const char* what, Latencies l) {
  double p50 = Percentile(l.micros, 50), p99 = Percentile(l.micros, 99);
  double max = l.micros.empty() ? 0 : l.micros.back();
  std::printf(
      "%s: %zu answered of %d tried, %d without a right answer within 5 s; "
      "p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
      what, l.micros.size(), l.tried, l.failures, p50 / 1000, p99 / 1000, max / 1000);
}

// Opens `n` connections from 127.0.0.2 up (200 an address): even ones send nothing, odd ones
// half a request header.
std::vector<RawConnection> Flood(int port, int n) {
  std::vector<RawConnection> flood;
  flood.reserve(n);
  for (int i = 0; i < n; ++i) {
    std::string source = "127.0.0." + std::to_string(2 + i / 200);
    flood.emplace_back(port, source.c_str());
    if (i % 2 == 1 && flood.back().connected())
      flood.back().Send("GET /api/health HTTP/1.1\r\nHost: bench\r\n");
  }
  return flood;
}

struct BodyTrial {
  double micros = 0;
  int status = 0;  // 0: no answer
  size_t sent = 0;
};

// Posts a 100 MB body to /api/login. `push`: the body is pushed as fast as the socket takes it
// while the answer is awaited (client and server then share the cores); otherwise the client
// sends the header (and, chunked, the first 64 KiB chunk) and waits, as a client that asks first.
BodyTrial BigBody(int port, bool chunked, bool push) {
  constexpr size_t kTotal = 100u << 20;
  static const std::string filler(64 * 1024, ' ');
  static const std::string chunk = "10000\r\n" + filler + "\r\n";
  RawConnection c(port);
  BodyTrial t;
  std::string head =
      "POST /api/login HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n" +
      (chunked ? std::string("Transfer-Encoding: chunked\r\n")
               : "Content-Length: " + std::to_string(kTotal) + "\r\n") +
      "\r\n";
  if (!c.Send(head)) return t;
  auto start = Clock::now();
  const std::string& piece = chunked ? chunk : filler;
  if (!push) {
    if (chunked) t.sent = c.SendSome(chunk);
    if (auto a = c.ReadAnswer(10s)) {
      t.micros = Micros(Clock::now() - start);
      t.status = a->status;
      c.ClosedByServer(5s);
    }
    return t;
  }
  size_t offset = 0;  // into `piece`
  while (Clock::now() - start < 60s) {
    size_t n = 0;
    if (t.sent < kTotal) {
      n = c.SendSome(std::string_view(piece).substr(offset));
      t.sent += n;
      offset = (offset + n) % piece.size();
    }
    // While the socket takes more, look for the answer without waiting; once it is full, wait
    // for the answer in poll (it returns as soon as the answer comes) rather than spin on a core
    // the server needs.
    if (auto a = c.ReadAnswer(n > 0 ? 0ms : 1ms)) {
      t.micros = Micros(Clock::now() - start);
      t.status = a->status;
      // The server drops what is still buffered before it closes (so that a client reads its
      // answer rather than a reset): wait for that, so that the next trial starts on a quiet
      // server.
      c.ClosedByServer(5s);
      return t;
    }
  }
  return t;
}

void RaiseDescriptorLimit() {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
  }
}

Args Parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--fanzha")
      a.fanzha = v;
    else if (k == "--db")
      a.db = v;
    else if (k == "--case")
      a.case_id = v;
    else if (k == "--connections")
      a.connections = std::stoi(v);
    else if (k == "--requests")
      a.requests = std::stoi(v);
    else if (k == "--body-trials")
      a.body_trials = std::stoi(v);
    else if (k == "--port")
      a.port = std::stoi(v);
    else {
      std::fprintf(stderr, "unknown option %s\n", k.c_str());
      std::exit(2);
    }
  }
  return a;
}

}  // namespace

int main(int argc, char** argv) {
  Args args = Parse(argc, argv);
  RaiseDescriptorLimit();
  namespace fs = std::filesystem;
  fs::path tmp = fs::temp_directory_path() / ("http_flood_bench_" + std::to_string(::getpid()));
  fs::create_directories(tmp);
  std::string db = args.db.empty() ? (tmp / "bench.db").string() : args.db;
  std::string user = "flood" + std::to_string(::getpid());
  {  // a centre user, its password on standard input
    std::string cmd =
        "'" + args.fanzha + "' user add " + user + " --role centre --db '" + db + "' >/dev/null";
    FILE* p = ::popen(cmd.c_str(), "w");
    std::fputs("bench-password\n", p);
    if (::pclose(p) != 0) {
      std::fprintf(stderr, "cannot add the bench user to %s\n", db.c_str());
      return 1;
    }
  }
  pid_t server = Spawn({args.fanzha, "serve", "--db", db, "--port", std::to_string(args.port),
                        "--web", (tmp / "no-web").string()});
  if (server <= 0) {
    std::fprintf(stderr, "cannot start %s\n", args.fanzha.c_str());
    return 1;
  }
  auto stop = [&] {
    ::kill(server, SIGTERM);
    ::waitpid(server, nullptr, 0);
    fs::remove_all(tmp);
  };
  bool up = false;
  for (int i = 0; i < 1200 && !up; ++i) {
    auto a = Ask(args.port, Get("/api/health", ""), 1s);
    up = a && a->status == 200;
    if (!up) std::this_thread::sleep_for(100ms);
  }
  std::string login = nlohmann::json{{"user", user}, {"password", "bench-password"}}.dump();
  auto answer = up ? Ask(args.port,
                         "POST /api/login HTTP/1.1\r\nHost: bench\r\nContent-Length: " +
                             std::to_string(login.size()) + "\r\n\r\n" + login,
                         60s)
                   : std::nullopt;
  if (!answer || answer->status != 200) {
    std::fprintf(stderr, "the server did not come up or the login failed\n");
    stop();
    return 1;
  }
  std::string token = nlohmann::json::parse(answer->body).value("token", "");
  std::string request =
      Get(args.case_id.empty() ? "/api/me" : "/api/cases/" + args.case_id + "/trace?reason=bench",
          token);
  std::string expect = args.case_id.empty() ? "\"" + user + "\"" : "\"held\"";

  // 1. Normal requests alone, then beside the flood.
  Report("alone", Measure(args.port, request, expect, args.requests));
  long rss_before_flood = ResidentKib(server);
  std::vector<RawConnection> flood = Flood(args.port, args.connections);
  std::atomic<bool> trickling{true};
  std::thread trickle([&] {  // one more header line a second on the slow half
    for (int round = 0; trickling; ++round) {
      for (size_t i = 1; i < flood.size(); i += 2)
        flood[i].SendSome("X-Slow: " + std::to_string(round) + "\r\n");
      for (int t = 0; t < 10 && trickling; ++t) std::this_thread::sleep_for(100ms);
    }
  });
  // The server accepts in order: once a request made after the flood is answered, every flood
  // connection was accepted, and those it refused were closed at once. The rest are held.
  (void)Ask(args.port, request, 5s);
  auto still_open = [&] {
    int open = 0;
    for (auto& c : flood) open += c.connected() && !c.ClosedByServer(0ms);
    return open;
  };
  int held = still_open();
  Latencies beside = Measure(args.port, request, expect, args.requests);
  trickling = false;
  trickle.join();
  std::string what = "beside " + std::to_string(args.connections) + " idle or slow connections";
  Report(what.c_str(), beside);
  std::printf(
      "flood: %d connections opened, %d held by the server when the requests began, %d "
      "still open after them (the header time limit closes them in the end); server RSS "
      "%+ld KiB with them\n",
      args.connections, held, still_open(), ResidentKib(server) - rss_before_flood);
  Check(beside.failures == 0, "every request beside the flood answered");
  Check(held == args.connections, "the flood connections were held, not refused");
  flood.clear();

  // 2. 100 MB bodies.
  for (bool push : {false, true}) {
    for (bool chunked : {false, true}) {
      long rss_before = ResidentKib(server), rss_max = rss_before;
      std::vector<double> micros;
      size_t most_sent = 0;
      int refused = 0;
      std::map<int, int> statuses;  // 0: no answer
      for (int i = 0; i < args.body_trials; ++i) {
        BodyTrial t = BigBody(args.port, chunked, push);
        rss_max = std::max(rss_max, ResidentKib(server));
        most_sent = std::max(most_sent, t.sent);
        if (t.status > 0) micros.push_back(t.micros);
        refused += t.status == 413;
        ++statuses[t.status];
      }
      std::string answers;
      for (const auto& [status, n] : statuses)
        answers += (answers.empty() ? "" : ", ") + std::to_string(n) + " x " +
                   (status ? std::to_string(status) : "none");
      double p50 = Percentile(micros, 50), max = micros.empty() ? 0 : micros.back();
      std::printf(
          "100 MB body to /api/login (%s, %s), %d trials: answers %s; time to the "
          "answer median %.2f ms, max %.2f ms; at most %.1f MB sent; server RSS %ld KiB -> "
          "at most %ld KiB (%+ld KiB)\n",
          chunked ? "chunked" : "Content-Length",
          push ? "pushed as fast as the socket takes it" : "header, then waiting", args.body_trials,
          answers.c_str(), p50 / 1000, max / 1000, most_sent / 1048576.0, rss_before, rss_max,
          rss_max - rss_before);
      Check(refused == args.body_trials,
            std::string("every ") + (chunked ? "chunked " : "") + "100 MB body answered 413");
    }
  }
  stop();
  std::printf("%s\n", failed ? "FAILED" : "ok");
  return failed ? 1 : 0;
}
