// Streams: a file read to its end on two threads, and a followed file that grows, with a manual
// clock (no real sleeping).
#include "warn/stream.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <mutex>

#include "warn/test_util.h"

namespace fanzha::warn {
namespace {

std::string Call(int n, const char* from) {
  return R"({"id":"E)" + std::to_string(n) +
         R"(","time":"2020-02-08T09:15:00+08:00","kind":"call","from":")" + from +
         R"(","to":"139000)" + std::to_string(10000 + n) + R"(","duration_s":340})" + "\n";
}

class StreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::Put(&list_, EntryKind::kPhone, "17772123456");
    path_ = ::testing::TempDir() + "/events-" + std::to_string(::getpid()) + ".jsonl";
  }
  void Write(const std::string& text, const char* mode = "a") {
    std::FILE* f = std::fopen(path_.c_str(), mode);
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
  }
  Watchlist list_;
  std::string path_;
};

TEST_F(StreamTest, ScreensAFileToItsEnd) {
  std::string text;
  for (int n = 0; n < 5000; ++n) text += Call(n, n % 100 == 0 ? "+8617772123456" : "13300000000");
  text.pop_back();  // the last line has no newline
  Write(text, "w");
  Screener screener(&list_, nullptr);
  ManualClock clock;
  std::vector<std::string> people;
  StreamOptions options;
  options.chunk_bytes = 4096;  // many chunks, lines cut across them
  int fd = ::open(path_.c_str(), O_RDONLY);
  auto stats = ScreenStream(fd, path_, &screener, &clock, options,
                            [&](const Warning& w) { people.push_back(w.person); });
  ::close(fd);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->events, 5000);
  ASSERT_EQ(people.size(), 50u);
  EXPECT_EQ(people[1], "+8613900010100");
}

TEST_F(StreamTest, ABadLineEndsTheStreamNamingFileAndLine) {
  Write(Call(1, "1") + "{\"id\":\"X\"}\n", "w");
  Screener screener(&list_, nullptr);
  ManualClock clock;
  int fd = ::open(path_.c_str(), O_RDONLY);
  auto stats = ScreenStream(fd, "events.jsonl", &screener, &clock, {}, [](const Warning&) {});
  ::close(fd);
  ASSERT_FALSE(stats.ok());
  EXPECT_EQ(stats.status().message(), "events.jsonl: line 2: time: missing");
}

TEST_F(StreamTest, FollowingReadsWhatIsAppendedWhileItWaits) {
  Write("", "w");
  Screener screener(&list_, nullptr);
  ManualClock clock;
  int sleeps = 0;
  clock.OnSleep([&] {
    ++sleeps;
    if (sleeps == 3) Write(Call(1, "+8617772123456").substr(0, 40));  // half a line
    if (sleeps == 5) Write(Call(1, "+8617772123456").substr(40));
    if (sleeps == 8) Write(Call(2, "+8617772123456"));
  });
  StreamOptions options;
  options.follow = true;
  options.stop = [&] { return sleeps >= 20; };
  std::mutex mu;
  std::vector<std::string> ids;
  int fd = ::open(path_.c_str(), O_RDONLY);
  auto stats = ScreenStream(fd, path_, &screener, &clock, options, [&](const Warning& w) {
    std::lock_guard lock(mu);
    ids.push_back(w.events.back());
  });
  ::close(fd);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(ids, (std::vector<std::string>{"E1", "E2"}));
  EXPECT_EQ(clock.Now(), 20);  // twenty waits of 1 ms, none of them real
}

}  // namespace
}  // namespace fanzha::warn
