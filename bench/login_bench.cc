// Password guessing beside people at work: the latency other users see while one address sends
// wrong logins at a fixed rate (docs/SECURITY.md "Logins"). A client only: it talks HTTP to a
// running `fanzha serve` (bench/login_bench.sh starts one on a generated world), so the same run
// measures any build of the server.
//
// Two phases of --seconds each: workers alone (the baseline), then workers and the attacker.
//  - workers: --workers users, logged in beforehand from 127.0.0.1, each on a keep-alive
//    connection reading a case, its freeze orders and /api/me in turn, --think-ms apart;
//  - the attacker: from 127.0.0.2 (a second loopback address), --rate wrong logins a second, a new
//    connection each (as a scripted guesser does), half for a real user name, half for unknown
//    ones, spread over --attackers threads; a late attempt is sent at once, and the guessing stops
//    when the phase ends (against a server that answers slowly, fewer are sent: the rate is
//    reported).
// Checks: every worker request answers 200 with the record asked for; every guess answers 401 or
// 429 (never 200). Prints p50/p95/p99/max of the workers per phase, the guesses sent, refused
// (429) and checked (401), and exits 1 when a check fails or, with --max-p99-ms, when the workers'
// p99 under attack is above it.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Answer {
  int status = 0;
  std::string body;
};

// One HTTP/1.1 connection from a given local address; enough of HTTP for fanzha's JSON answers
// (Content-Length bodies).
class Connection {
 public:
  Connection(const std::string& from, int port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in local{};
    local.sin_family = AF_INET;
    inet_pton(AF_INET, from.c_str(), &local.sin_addr);
    if (bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) Close();
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(static_cast<uint16_t>(port));
    inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    if (fd_ >= 0 && connect(fd_, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) Close();
    int one = 1;
    timeval timeout{60, 0};  // an answer that does not come within a minute is a failure
    if (fd_ >= 0) {
      setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    }
  }
  ~Connection() { Close(); }
  bool ok() const { return fd_ >= 0; }

  std::optional<Answer> Send(const std::string& method, const std::string& path,
                             const std::string& body, const std::string& token, bool close) {
    std::string req = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    if (!token.empty()) req += "Authorization: Bearer " + token + "\r\n";
    if (!body.empty())
      req += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
             "\r\n";
    req += close ? "Connection: close\r\n\r\n" : "\r\n";
    req += body;
    for (size_t sent = 0; sent < req.size();) {
      ssize_t n = ::send(fd_, req.data() + sent, req.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return std::nullopt;
      sent += static_cast<size_t>(n);
    }
    std::string in;
    size_t head_end;
    while ((head_end = in.find("\r\n\r\n")) == std::string::npos) {
      if (!Read(&in)) return std::nullopt;
    }
    Answer a;
    if (in.size() < 12) return std::nullopt;
    a.status = std::atoi(in.c_str() + 9);
    size_t length = 0;
    std::string head = in.substr(0, head_end);
    for (auto& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (size_t at = head.find("content-length:"); at != std::string::npos)
      length = std::stoul(head.substr(at + 15));
    while (in.size() < head_end + 4 + length) {
      if (!Read(&in)) return std::nullopt;
    }
    a.body = in.substr(head_end + 4, length);
    return a;
  }

 private:
  bool Read(std::string* in) {
    char buf[16384];
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return false;
    in->append(buf, static_cast<size_t>(n));
    return true;
  }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  int fd_ = -1;
};

struct Options {
  int port = 8080;
  double seconds = 10;
  int rate = 1000;
  int attackers = 8;
  int workers = 4;
  int think_ms = 10;
  std::string users = "w1,w2,w3,w4";  // worker users; password "password-<name>"
  std::string target = "li";          // the real user name guessed at
  std::string case_id;
  double max_p99_ms = 0;
};

std::vector<std::string> SplitComma(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t at; (at = s.find(',', start)) != std::string::npos; start = at + 1)
    out.push_back(s.substr(start, at - start));
  out.push_back(s.substr(start));
  return out;
}

std::atomic<int> g_failures{0};
void Fail(const std::string& what) {
  if (g_failures.fetch_add(1) < 10) std::fprintf(stderr, "login_bench: FAIL %s\n", what.c_str());
}

double Percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  size_t k = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())));
  std::nth_element(v.begin(), v.begin() + static_cast<long>(k), v.end());
  return v[k];
}

std::string Login(int port, const std::string& user) {
  Connection c("127.0.0.1", port);
  auto a =
      c.Send("POST", "/api/login",
             nlohmann::json{{"user", user}, {"password", "password-" + user}}.dump(), "", true);
  if (!a || a->status != 200) {
    Fail("login of " + user + ": " + (a ? std::to_string(a->status) + " " + a->body : "no answer"));
    return "";
  }
  return nlohmann::json::parse(a->body).value("token", "");
}

// The workers' latencies (ms) over one phase.
std::vector<double> Work(const Options& o, const std::vector<std::string>& tokens,
                         Clock::time_point until) {
  std::mutex mu;
  std::vector<double> all;
  std::vector<std::thread> ts;
  for (const std::string& token : tokens) {
    ts.emplace_back([&, token] {
      std::vector<double> mine;
      auto conn = std::make_unique<Connection>("127.0.0.1", o.port);
      const std::string paths[] = {"/api/cases/" + o.case_id + "?reason=bench",
                                   "/api/freeze-orders?case=" + o.case_id, "/api/me"};
      for (int i = 0; Clock::now() < until; ++i) {
        const std::string& path = paths[i % 3];
        auto t0 = Clock::now();
        auto a = conn->ok() ? conn->Send("GET", path, "", token, false) : std::nullopt;
        double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        if (!a) {
          Fail(path + ": no answer");
          conn = std::make_unique<Connection>("127.0.0.1", o.port);
        } else if (a->status != 200) {
          Fail(path + ": " + std::to_string(a->status) + " " + a->body.substr(0, 200));
        } else if (i % 3 == 0 && a->body.find("\"" + o.case_id + "\"") == std::string::npos) {
          Fail(path + ": not the case asked for");
        }
        mine.push_back(ms);
        std::this_thread::sleep_for(std::chrono::milliseconds(o.think_ms));
      }
      std::lock_guard lock(mu);
      all.insert(all.end(), mine.begin(), mine.end());
    });
  }
  for (auto& t : ts) t.join();
  return all;
}

struct Guesses {
  std::atomic<int64_t> sent{0}, refused{0}, checked{0}, other{0};
};

void Attack(const Options& o, Clock::time_point start, Clock::time_point until, Guesses& g) {
  std::vector<std::thread> ts;
  for (int a = 0; a < o.attackers; ++a) {
    ts.emplace_back([&, a] {
      auto every = std::chrono::duration<double>(static_cast<double>(o.attackers) / o.rate);
      for (int64_t i = 0;; ++i) {
        auto at =
            start + std::chrono::duration_cast<Clock::duration>(
                        every * (static_cast<double>(i) + static_cast<double>(a) / o.attackers));
        if (at >= until || Clock::now() >= until) break;
        std::this_thread::sleep_until(at);
        std::string user =
            i % 2 ? o.target : "nobody-" + std::to_string(a) + "-" + std::to_string(i);
        Connection c("127.0.0.2", o.port);
        auto r =
            c.ok()
                ? c.Send("POST", "/api/login",
                         nlohmann::json{{"user", user}, {"password", "guess-" + std::to_string(i)}}
                             .dump(),
                         "", true)
                : std::nullopt;
        ++g.sent;
        if (r && r->status == 429)
          ++g.refused;
        else if (r && r->status == 401)
          ++g.checked;
        else {
          ++g.other;
          if (r && r->status == 200) Fail("a guess logged in");
        }
      }
    });
  }
  for (auto& t : ts) t.join();
}

void Report(const char* phase, std::vector<double> ms, double seconds) {
  std::printf(
      "%-16s requests %7zu (%6.0f/s)  p50 %7.2f ms  p95 %7.2f ms  p99 %7.2f ms  max %8.2f ms\n",
      phase, ms.size(), static_cast<double>(ms.size()) / seconds, Percentile(ms, 0.50),
      Percentile(ms, 0.95), Percentile(ms, 0.99), *std::max_element(ms.begin(), ms.end()));
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app(
      "Other users' latency while one address guesses passwords (see the header of "
      "login_bench.cc)");
  app.add_option("--port", o.port)->required();
  app.add_option("--case", o.case_id, "a stored case the workers may read")->required();
  app.add_option("--seconds", o.seconds, "length of each phase");
  app.add_option("--rate", o.rate, "wrong logins a second from 127.0.0.2");
  app.add_option("--attackers", o.attackers, "threads sending them");
  app.add_option("--users", o.users, "worker users, comma-separated (password: password-<name>)");
  app.add_option("--target", o.target, "the real user name guessed at");
  app.add_option("--think-ms", o.think_ms, "pause between a worker's requests");
  app.add_option("--max-p99-ms", o.max_p99_ms,
                 "fail when the workers' p99 under attack is above this");
  CLI11_PARSE(app, argc, argv);

  {
    Connection probe("127.0.0.2", o.port);
    if (!probe.ok()) {
      std::fprintf(stderr, "login_bench: cannot connect from 127.0.0.2 to port %d\n", o.port);
      return 1;
    }
  }
  std::vector<std::string> tokens;
  for (const std::string& u : SplitComma(o.users)) tokens.push_back(Login(o.port, u));
  if (g_failures > 0) return 1;

  auto phase =
      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.seconds));
  auto t0 = Clock::now();
  std::vector<double> quiet = Work(o, tokens, t0 + phase);
  Guesses g;
  auto t1 = Clock::now();
  std::thread attack([&] { Attack(o, t1, t1 + phase, g); });
  std::vector<double> busy = Work(o, tokens, t1 + phase);
  attack.join();
  double attack_seconds = std::chrono::duration<double>(Clock::now() - t1).count();

  std::printf("workers %zu, think %d ms; guesses at %d/s from 127.0.0.2 for %.1f s\n",
              tokens.size(), o.think_ms, o.rate, o.seconds);
  Report("workers alone", quiet, o.seconds);
  Report("under guessing", busy, o.seconds);
  std::printf("guesses sent %lld (%.0f/s): refused 429 %lld, checked 401 %lld, other %lld\n",
              static_cast<long long>(g.sent.load()),
              static_cast<double>(g.sent.load()) / attack_seconds,
              static_cast<long long>(g.refused.load()), static_cast<long long>(g.checked.load()),
              static_cast<long long>(g.other.load()));
  double p99 = Percentile(busy, 0.99);
  if (o.max_p99_ms > 0 && p99 > o.max_p99_ms) {
    std::fprintf(stderr, "login_bench: FAIL p99 under guessing %.2f ms > %.2f ms\n", p99,
                 o.max_p99_ms);
    return 1;
  }
  if (g.sent == 0 || quiet.empty() || busy.empty()) Fail("nothing was measured");
  return g_failures > 0 ? 1 : 0;
}
