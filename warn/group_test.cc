// A screening member against bytes from anyone who can publish to the events' subjects (a real
// nats-server in a temporary folder): what is not an event is counted, named and skipped, the
// events after it are screened, and a message beyond the stream's limit never reaches a member.
#include "warn/group.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "interchange/local_server.h"
#include "warn/store_io.h"

namespace fanzha::warn {
namespace {

class GroupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        (std::filesystem::temp_directory_path() / ("warn_group_test_" + std::to_string(::getpid())))
            .string();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto server = interchange::LocalServer::Start(dir_ + "/nats");
    ASSERT_TRUE(server.ok()) << server.status().message();
    server_ = std::move(server).value();
    nats_ = std::move(interchange::Connection::Open({server_->url(), "test"})).value();
    store_ = std::move(store::Store::OpenSqlite(dir_ + "/group.db")).value();
  }
  void TearDown() override {
    nats_.reset();
    server_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  // Publishes events.jsonl lines as `fanzha warn publish` does.
  PublishStats PublishLines(const std::string& lines) {
    const std::string path = dir_ + "/events.jsonl";
    std::ofstream(path) << lines;
    int fd = ::open(path.c_str(), O_RDONLY);
    auto stats = PublishEvents(fd, path, nats_.get(), nullptr, {});
    ::close(fd);
    EXPECT_TRUE(stats.ok()) << stats.status().message();
    return stats.ok() ? *stats : PublishStats{};
  }

  std::string dir_;
  std::unique_ptr<interchange::LocalServer> server_;
  std::unique_ptr<interchange::Connection> nats_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(GroupTest, MessagesThatAreNotEventsAreNamedAndSkippedAndTheRestScreened) {
  constexpr char kListed[] = "+8613900001111";
  Watchlist list;
  Entry e;
  e.kind = EntryKind::kPhone;
  e.value = kListed;
  e.source = "manual:test";
  ASSERT_TRUE(list.Put(e).ok());
  ASSERT_TRUE(SaveWatchlist(store_->sql(), list, 0).ok());
  ASSERT_TRUE(EnsureGroupStreams(nats_.get(), 1, 3600 * 1000).ok());

  const std::string subject = EventSubject(PartitionOf("440100"));
  const std::vector<std::string> bad = {
      "",
      "not json at all",
      std::string("{\"id\":\"x\xff\xfe\",\"kind\":\"call\"}"),  // not UTF-8
      R"({"id":"e1","time":"yesterday","kind":"call","from":"+8613900001111","to":"+8613800138000"})",
      R"({"id":"e2","time":"2020-02-08T09:20:00+08:00","kind":"teleport"})",
      std::string(5000, '[') + std::string(5000, ']'),  // nesting beyond any parser's depth
      "[1,2,3]",
      std::string("{\"id\":\"e3\"}\0{\"id\":\"e4\"}", 24),  // a NUL inside
  };
  for (size_t i = 0; i < bad.size(); ++i)
    ASSERT_TRUE(nats_->Publish(subject, "bad-" + std::to_string(i), bad[i]).ok()) << i;
  // Beyond the stream's 64 KiB a message: refused by the server, it never reaches a member.
  EXPECT_FALSE(nats_->Publish(subject, "huge", std::string(64 * 1024 + 1, 'x')).ok());

  // Then real events: a listed phone calling one person three times.
  std::string events;
  for (int i = 0; i < 3; ++i) {
    events += R"({"id":"call-)" + std::to_string(i) + R"(","time":"2020-02-08T09:2)" +
              std::to_string(i) + R"(:00+08:00","kind":"call","from":")" + kListed +
              R"(","to":"+8613800138000","duration_s":600})" + "\n";
  }
  const PublishStats published = PublishLines(events);
  ASSERT_EQ(published.events, 3);

  // The same events screened by one process: the lines the member must write.
  EventBatch batch;
  batch.Assign(events);
  EventParser parser;
  ASSERT_TRUE(parser.Parse(&batch, false).ok());
  Screener alone(&list, nullptr);
  std::vector<std::string> expected;
  for (const Event& ev : batch.events) {
    if (const Warning* w = alone.Screen(ev))
      expected.push_back(w->person + " " + std::to_string(w->revision));
  }
  ASSERT_FALSE(expected.empty()) << "a listed phone calling three times warns its callee";

  std::vector<std::string> rejected, lines;
  MemberOptions o;
  o.name = "m1";
  o.lease = 3000;
  o.heartbeat = 200;
  o.stop_when_idle = 1500;
  MemberCallbacks cb;
  cb.on_reject = [&](const std::string& what) { rejected.push_back(what); };
  cb.on_warning = [&](const Warning& w, const std::string&) {
    lines.push_back(w.person + " " + std::to_string(w.revision));
  };
  auto stats = RunMember(nats_.get(), store_.get(), nullptr, &SystemClock(), o, cb);
  ASSERT_TRUE(stats.ok()) << stats.status().message();

  EXPECT_EQ(stats->rejects, static_cast<int64_t>(bad.size()));
  ASSERT_EQ(rejected.size(), bad.size());
  for (size_t i = 0; i < rejected.size(); ++i) {
    // "fanzha.events.440000 #3: ...": the subject and the stream sequence, to find it again.
    EXPECT_EQ(rejected[i].rfind(subject + " #" + std::to_string(i + 1) + ": ", 0), 0u)
        << rejected[i];
  }
  EXPECT_NE(rejected[3].find("time"), std::string::npos) << rejected[3];  // the field named
  EXPECT_GE(stats->events, 3);  // the callee's province and the caller's may both be screened
  EXPECT_EQ(lines, expected);
}

}  // namespace
}  // namespace fanzha::warn
