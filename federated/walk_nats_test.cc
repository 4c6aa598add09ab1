// The federated trace over a real nats-server (started by the test: a temporary folder, loopback,
// a free port): every bank of a split world is a bank node on its own thread with its own store,
// the platform sends the statement queries and applies the answers, and the walk gives the answer
// of a trace over every bank's transfers; banks that take 200 ms to answer are asked in parallel.
#include <gtest/gtest.h>

#include <chrono>

#include "federated/split_world.h"
#include "interchange/local_server.h"

namespace fanzha::federated {
namespace {

using namespace testing_support;  // NOLINT: the worlds of these tests

std::string TestDir(const std::string& name) { return testing::TempDir() + "/walk_nats_" + name; }

// The interchange of a split world: nats-server, one bank node per bank, the platform.
class Interchange {
 public:
  Interchange(const World& w, SplitWorld& split, const std::string& dir, Millis bank_delay) {
    auto server = interchange::LocalServer::Start(dir + "/nats");
    EXPECT_TRUE(server.ok()) << server.status().message();
    if (!server.ok()) return;
    server_ = std::move(server).value();
    for (int b = 0; b < w.banks; ++b) {
      bank::NodeOptions n;
      n.institution = Bank(b);
      n.db = split.bank_db(b);
      n.nats.url = server_->url();
      n.delay_min = n.delay_max = bank_delay;
      auto node = bank::Node::Start(n);
      EXPECT_TRUE(node.ok()) << node.status().message();
      if (node.ok()) nodes_.push_back(std::move(node).value());
    }
    interchange::PlatformOptions p;
    p.db = split.platform_db();
    p.nats.url = server_->url();
    p.audit_key = &split.key();
    p.statements_dir = dir + "/statements";
    auto platform = interchange::Platform::Start(p);
    EXPECT_TRUE(platform.ok()) << platform.status().message();
    if (platform.ok()) platform_ = std::move(platform).value();
  }
  ~Interchange() {
    if (platform_) platform_->Stop();
    for (auto& n : nodes_) n->Stop();
  }
  bool up() const { return platform_ != nullptr; }
  interchange::Platform& platform() { return *platform_; }

 private:
  std::unique_ptr<interchange::LocalServer> server_;
  std::vector<std::unique_ptr<bank::Node>> nodes_;
  std::unique_ptr<interchange::Platform> platform_;
};

TEST(WalkOverNats, GivesTheAnswerOfATraceOverEveryBanksTransfers) {
  for (uint32_t seed : {3u, 8u, 21u}) {
    World w = MakeWorld(seed, 12, 60);
    const std::string dir = TestDir("random_" + std::to_string(seed));
    SplitWorld split(w, dir);
    Interchange net(w, split, dir, 0);
    ASSERT_TRUE(net.up());
    PlatformCourier courier(net.platform());
    for (trace::Policy policy : {trace::Policy::kFifo, trace::Policy::kHaircut}) {
      for (const auto& [case_id, payments] : w.cases) {
        trace::Options options;
        options.policy = policy;
        Result<Answer> walked = split.WalkWith(courier, case_id, options);
        ASSERT_TRUE(walked.ok()) << walked.status().message();
        EXPECT_TRUE(walked->gaps.empty()) << "seed " << seed << " " << case_id;
        EXPECT_EQ(trace::ToJson(walked->trace, case_id).dump(1),
                  trace::ToJson(split.Central(case_id, options), case_id).dump(1))
            << "seed " << seed << ", " << case_id << ", " << trace::Name(policy);
      }
    }
  }
}

// M1 (BANK1) pays M2..M4 at three other banks, each of which pays on: the second round's three
// queries go out together, so the walk takes about one bank delay per hop, not per account.
TEST(WalkOverNats, QueriesToDifferentBanksGoOutTogether) {
  World w;
  w.banks = 5;
  for (int i = 0; i < 9; ++i) {
    Account a;
    a.id = Number(i);
    a.holder = "持卡人" + std::to_string(i);
    a.institution = Bank(i == 0 ? 0 : i <= 1 ? 1 : 1 + (i - 2) % 4);
    a.kind = AccountKind::kPersonal;
    w.accounts.push_back(a);
  }
  auto pay = [&](const std::string& id, int minute, int from, int to, Fen amount) {
    w.transfers.push_back({id, Number(from), Number(to), kStart + 60000LL * minute, amount});
    w.last = std::max<Millis>(w.last, kStart + 60000LL * minute);
  };
  pay("P0", 1, 0, 1, 900000);
  for (int i = 2; i <= 4; ++i) pay("P" + std::to_string(i), 2, 1, i, 300000);
  for (int i = 2; i <= 4; ++i) pay("Q" + std::to_string(i), 3, i, i + 3, 250000);
  w.cases["CASE0"] = {"P0"};
  const std::string dir = TestDir("parallel");
  SplitWorld split(w, dir);
  constexpr Millis kDelay = 200;
  Interchange net(w, split, dir, kDelay);
  ASSERT_TRUE(net.up());
  PlatformCourier courier(net.platform());
  auto start = std::chrono::steady_clock::now();
  Result<Answer> walked = split.WalkWith(courier, "CASE0", trace::Options{});
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - start)
                        .count();
  ASSERT_TRUE(walked.ok()) << walked.status().message();
  EXPECT_TRUE(walked->gaps.empty());
  EXPECT_EQ(trace::ToJson(walked->trace, "CASE0").dump(),
            trace::ToJson(split.Central("CASE0", trace::Options{}), "CASE0").dump());
  EXPECT_EQ(walked->progress.asked, 7) << "M1, M2..M4, M5..M7";
  EXPECT_EQ(walked->progress.banks_asked.size(), 4u);
  // Three hops of queries: about 3 x 200 ms. One bank after another would be 7 x 200 ms.
  EXPECT_LT(took, 7 * kDelay) << "the walk took " << took << " ms";
}

}  // namespace
}  // namespace fanzha::federated
