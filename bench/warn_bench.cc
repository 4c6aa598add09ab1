// Early-warning benchmarks. Each checks its answer (the number of events that touched a listed
// value, known from how the data was made) before it reports a time.
//
//   warn_bench match   [ENTRIES [EVENTS]]   in memory, one core: Screener over pre-parsed events
//   warn_bench e2e     [ENTRIES [EVENTS]]   a JSON-lines file -> the warnings file, 2 threads
//   warn_bench latency [ENTRIES [RATE [SECONDS]]]  a generator process appends at RATE events/s
//                                           to a file that is followed; event-to-warning latency
// Defaults: 10M entries, 10M events; latency 50,000 events/s for 10 s.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "warn/warn.h"

using namespace fanzha;
using namespace fanzha::warn;

namespace {

struct Rng {
  uint64_t s;
  uint64_t Next() {
    uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  uint64_t Below(uint64_t n) { return Next() % n; }
};

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
int64_t NowUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string Digits(uint64_t v, int n) {
  std::string s(n, '0');
  for (int i = n - 1; i >= 0; --i, v /= 10) s[i] = static_cast<char>('0' + v % 10);
  return s;
}

std::string ListedPhone(uint64_t i) { return "+86177" + Digits(i, 8); }
std::string ListedAccount(uint64_t i) { return "6222" + Digits(i, 15); }
std::string ListedDomain(uint64_t i) { return "pay" + Digits(i, 7) + ".cn"; }

const char* kPhrases[] = {"口罩订单", "安全账户", "退款链接", "刷单返利", "贷款额度"};

// Half the entries phones, 45% accounts, 5% domains, plus the script phrases.
Watchlist MakeList(uint64_t n) {
  Watchlist list;
  list.Reserve(n + 16);
  Entry e;
  e.source = "case:BENCH";
  e.cases = 1;
  e.version = 1;
  for (uint64_t i = 0; i < n; ++i) {
    uint64_t r = i % 20;
    e.kind = r < 10 ? EntryKind::kPhone : r < 19 ? EntryKind::kAccount : EntryKind::kDomain;
    e.value = r < 10 ? ListedPhone(i) : r < 19 ? ListedAccount(i) : ListedDomain(i);
    (void)list.Put(e);
  }
  e.kind = EntryKind::kPhrase;
  for (const char* p : kPhrases) {
    e.value = p;
    (void)list.Put(e);
  }
  return list;
}

// One event line. About 1% of the events touch a listed value; `hits` counts them.
std::string MakeEvent(Rng& rng, uint64_t n, uint64_t entries, int64_t* hits, int64_t t_ms,
                      const std::string& id_suffix = "") {
  char time[40];
  std::string ts = FormatTime(t_ms);
  std::snprintf(time, sizeof time, "%s", ts.c_str());
  std::string id = "E" + std::to_string(n) + id_suffix;
  std::string person = "139" + Digits(rng.Below(100000000), 8);
  bool hit = rng.Below(100) == 0;
  uint64_t listed = rng.Below(entries / 20) * 20;  // an index whose entry is a phone
  int kind = static_cast<int>(rng.Below(10));
  std::string line = R"({"id":")" + id + R"(","time":")" + time + R"(","kind":")";
  *hits += hit;
  if (kind < 5) {
    std::string from = hit ? ListedPhone(listed) : "+86133" + Digits(rng.Below(100000000), 8);
    line += R"(call","from":")" + from + R"(","to":")" + person + R"(","duration_s":)" +
            std::to_string(rng.Below(900)) + "}";
  } else if (kind < 7) {
    std::string text = hit ? std::string("您的") + kPhrases[rng.Below(5)] + "异常，请回复"
                           : "您尾号" + Digits(rng.Below(10000), 4) + "的账户发生一笔交易";
    line += R"(sms","from":"9558)" + std::to_string(rng.Below(8)) + R"(","to":")" + person +
            R"(","text":")" + text + R"("})";
  } else if (kind < 9) {
    std::string to = hit ? ListedAccount(listed + 10 + rng.Below(9))
                         : "6217" + Digits(rng.Next() % 1000000000000000ull, 15);
    line += R"(payment","from":"6228)" + Digits(rng.Next() % 1000000000000000ull, 15) +
            R"(","to":")" + to + R"(","amount":")" + std::to_string(1 + rng.Below(50000)) + R"("})";
  } else {
    std::string host =
        hit ? "www." + ListedDomain(listed + 19) : "shop" + Digits(rng.Below(1000000), 6) + ".com";
    line += R"(visit","from":")" + person + R"(","to":"https://)" + host + R"(/item?id=)" +
            std::to_string(rng.Below(1000)) + R"("})";
  }
  line += '\n';
  return line;
}

std::string MakeEvents(uint64_t n, uint64_t entries, int64_t* hits) {
  Rng rng{42};
  std::string text;
  text.reserve(n * 170);
  Millis t = *ParseTime("2020-02-08T00:00:00+08:00");
  for (uint64_t i = 0; i < n; ++i) text += MakeEvent(rng, i, entries, hits, t + i * 10);
  return text;
}

int Check(const char* what, int64_t got, int64_t want) {
  if (got == want) return 0;
  std::fprintf(stderr, "warn_bench: WRONG ANSWER: %s %lld, expected %lld\n", what,
               static_cast<long long>(got), static_cast<long long>(want));
  return 1;
}

int Match(uint64_t entries, uint64_t events) {
  double t0 = Now();
  Watchlist list = MakeList(entries);
  auto sms = SmsMatcher::Compile(list);
  int64_t hits = 0;
  EventBatch batch;
  batch.Assign(MakeEvents(events, entries, &hits));
  EventParser parser;
  double t1 = Now();
  if (Status st = parser.Parse(&batch, false); !st.ok())
    return std::fprintf(stderr, "%s\n", st.ToString().c_str()), 1;
  double t2 = Now();
  Screener screener(&list, sms->get());
  int64_t lines = 0;
  screener.ScreenAll(batch.events, [&](const Warning&) { ++lines; });
  double t3 = Now();
  if (Check("hits", screener.stats().hits, hits) ||
      Check("events", screener.stats().events, events))
    return 1;
  std::printf(
      "match: %llu entries, %llu events (%lld hits, %lld warning lines); setup %.1f s\n"
      "  parse (simdjson, 1 core):  %.2f s = %.0f events/s\n"
      "  screen (in memory, 1 core): %.2f s = %.0f events/s\n",
      (unsigned long long)entries, (unsigned long long)events, (long long)hits, (long long)lines,
      t1 - t0, t2 - t1, events / (t2 - t1), t3 - t2, events / (t3 - t2));
  return 0;
}

int EndToEnd(uint64_t entries, uint64_t events) {
  Watchlist list = MakeList(entries);
  auto sms = SmsMatcher::Compile(list);
  int64_t hits = 0;
  std::string in = "/tmp/warn_bench_events.jsonl", out = "/tmp/warn_bench_warnings.jsonl";
  {
    std::string text = MakeEvents(events, entries, &hits);
    std::FILE* f = std::fopen(in.c_str(), "w");
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
  }
  Screener screener(&list, sms->get());
  const Clock& clock = SystemClock();
  std::FILE* w = std::fopen(out.c_str(), "w");
  int64_t lines = 0;
  double t0 = Now();
  int fd = ::open(in.c_str(), O_RDONLY);
  auto stats = ScreenStream(fd, in, &screener, &clock, {}, [&](const Warning& warning) {
    std::string line = WarningJson(warning, list);
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), w);
    ++lines;
  });
  std::fclose(w);
  double t1 = Now();
  ::close(fd);
  if (!stats.ok()) return std::fprintf(stderr, "%s\n", stats.status().ToString().c_str()), 1;
  if (Check("hits", screener.stats().hits, hits) || Check("events", stats->events, events))
    return 1;
  std::printf(
      "e2e: %s -> %s: %llu events, %lld warning lines, %.2f s = %.0f events/s "
      "(reader+parser thread, screening thread)\n",
      in.c_str(), out.c_str(), (unsigned long long)events, (long long)lines, t1 - t0,
      events / (t1 - t0));
  std::remove(in.c_str());
  return 0;
}

// The child: appends `rate` events/s for `seconds`, in 1 ms slices, ids carrying the send time.
void Generate(const std::string& path, uint64_t entries, int rate, int seconds) {
  std::FILE* f = std::fopen(path.c_str(), "a");
  Rng rng{7};
  int64_t hits = 0;
  double start = Now();
  uint64_t n = 0, total = static_cast<uint64_t>(rate) * seconds;
  Millis t = *ParseTime("2020-02-08T00:00:00+08:00");
  while (n < total) {
    double due = (Now() - start) * rate;
    std::string chunk;
    int64_t sent = NowUs();
    while (n < due && n < total) {
      chunk += MakeEvent(rng, n, entries, &hits, t + n, "-" + std::to_string(sent));
      ++n;
    }
    if (!chunk.empty()) {
      std::fwrite(chunk.data(), 1, chunk.size(), f);
      std::fflush(f);
    }
    ::usleep(500);
  }
  std::fclose(f);
}

int Latency(uint64_t entries, int rate, int seconds) {
  Watchlist list = MakeList(entries);
  auto sms = SmsMatcher::Compile(list);
  std::string path = "/tmp/warn_bench_follow.jsonl";
  std::FILE* create = std::fopen(path.c_str(), "w");
  std::fclose(create);
  pid_t child = ::fork();
  if (child == 0) {
    Generate(path, entries, rate, seconds);
    std::_Exit(0);
  }
  Screener screener(&list, sms->get());
  const Clock& clock = SystemClock();
  std::vector<int64_t> lat;
  std::FILE* w = std::fopen("/tmp/warn_bench_follow_warnings.jsonl", "w");
  StreamOptions options;
  options.follow = true;
  int64_t expected = static_cast<int64_t>(rate) * seconds;
  std::atomic<int64_t> screened{0};
  bool child_done = false;
  options.stop = [&] {
    if (!child_done) child_done = ::waitpid(child, nullptr, WNOHANG) == child;
    return child_done;  // the generator has finished and everything it wrote has been read
  };
  int fd = ::open(path.c_str(), O_RDONLY);
  auto stats = ScreenStream(fd, path, &screener, &clock, options, [&](const Warning& warning) {
    std::string line = WarningJson(warning, list);
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), w);
    std::fflush(w);
    const std::string& id = warning.events.back();
    int64_t sent = std::atoll(id.c_str() + id.find('-') + 1);
    lat.push_back(NowUs() - sent);
    ++screened;
  });
  ::close(fd);
  std::fclose(w);
  if (!stats.ok()) return std::fprintf(stderr, "%s\n", stats.status().ToString().c_str()), 1;
  if (Check("events", stats->events, expected)) return 1;
  if (lat.empty()) return std::fprintf(stderr, "warn_bench: no warnings\n"), 1;
  std::sort(lat.begin(), lat.end());
  auto pct = [&](double p) {
    return lat[std::min(lat.size() - 1, size_t(p * lat.size()))] / 1000.0;
  };
  std::printf(
      "latency: %d events/s for %d s appended by a generator process, followed: %lld events, "
      "%zu warning lines; event-to-warning latency ms: p50 %.2f, p90 %.2f, p99 %.2f, "
      "max %.2f\n",
      rate, seconds, (long long)stats->events, lat.size(), pct(0.5), pct(0.9), pct(0.99),
      lat.back() / 1000.0);
  std::remove(path.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode = argc > 1 ? argv[1] : "match";
  uint64_t entries = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 10'000'000;
  if (mode == "match")
    return Match(entries, argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 10'000'000);
  if (mode == "e2e")
    return EndToEnd(entries, argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 10'000'000);
  if (mode == "latency") {
    return Latency(entries, argc > 3 ? std::atoi(argv[3]) : 50000,
                   argc > 4 ? std::atoi(argv[4]) : 10);
  }
  std::fprintf(stderr, "usage: warn_bench match|e2e|latency [ENTRIES [EVENTS|RATE [SECONDS]]]\n");
  return 2;
}
