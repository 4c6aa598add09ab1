// The queue of cases and a case's timeline (app/casework.h), on a real store.
#include "app/casework.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "audit/audit.h"
#include "casefile/work.h"
#include "tests/support/postgres_server.h"

namespace fanzha::app::casework_test {
namespace {

using Json = nlohmann::ordered_json;
constexpr Millis kDay = 24LL * 3600 * 1000;
constexpr Millis kT0 = 1581120000000;  // 2020-02-08T08:00:00+08:00

class CaseworkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "/app-casework-" + std::to_string(::getpid()) + ".db";
    std::filesystem::remove(path_);
    store_ = std::move(store::Store::Open(test_support::StoreLocation(path_))).value();
    auto imp = std::move(store_->BeginImport()).value();
    // id, region, category, loss (fen, -1 none), reported on day
    struct Spec {
      const char* id;
      const char* region;
      const char* category;
      Fen loss;
      int day;
    };
    for (const Spec& s : {Spec{"HZ1", "330102", "investment", 5000000, 0},
                          Spec{"HZ2", "330100", "impersonation_official", 120000, 2},
                          Spec{"NB1", "330200", "investment", -1, 1},
                          Spec{"NN1", "450100", "romance", 990000, 3}}) {
      Case c;
      c.id = s.id;
      c.region = s.region;
      c.category = s.category;
      c.reported_at = kT0 + s.day * kDay;
      if (s.loss >= 0) c.loss = s.loss;
      c.victim.name = "受害人";
      ASSERT_TRUE(imp->PutCase(c).ok());
    }
    ASSERT_TRUE(imp->Commit().ok());
    imp.reset();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove(path_);
  }
  std::vector<std::string> Ids(const QueueFilter& f, QueueOrder o = QueueOrder::kNewest,
                               size_t limit = 100, size_t offset = 0, int64_t* total = nullptr) {
    Result<Json> page = Queue(*store_, f, o, limit, offset, kT0 + 30 * kDay);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    std::vector<std::string> ids;
    if (!page.ok()) return ids;
    for (const auto& c : (*page)["cases"]) ids.push_back(c["id"]);
    if (total) *total = (*page)["total"];
    return ids;
  }
  std::string path_;
  std::unique_ptr<store::Store> store_;
};

using V = std::vector<std::string>;

TEST_F(CaseworkTest, TheQueueSortsAndPagesWithoutOverlap) {
  EXPECT_EQ(Ids({}), (V{"NN1", "HZ2", "NB1", "HZ1"}));
  EXPECT_EQ(Ids({}, QueueOrder::kOldest), (V{"HZ1", "NB1", "HZ2", "NN1"}));
  EXPECT_EQ(Ids({}, QueueOrder::kLossHigh), (V{"HZ1", "NN1", "HZ2", "NB1"}));  // no loss last
  EXPECT_EQ(Ids({}, QueueOrder::kLossLow), (V{"NB1", "HZ2", "NN1", "HZ1"}));
  int64_t total = 0;
  EXPECT_EQ(Ids({}, QueueOrder::kId, 2, 1, &total), (V{"HZ2", "NB1"}));
  EXPECT_EQ(total, 4);
  EXPECT_EQ(Ids({}, QueueOrder::kId, 2, 10, &total), V{});
}

TEST_F(CaseworkTest, FiltersCombine) {
  QueueFilter f;
  f.region = "330100";  // the city and its districts
  EXPECT_EQ(Ids(f, QueueOrder::kId), (V{"HZ1", "HZ2"}));
  f = {};
  f.category = "investment";
  f.min_loss = 100;
  EXPECT_EQ(Ids(f), V{"HZ1"});  // NB1 has no loss: it passes no loss bound
  f = {};
  f.from = kT0 + kDay;
  f.to = kT0 + 3 * kDay;
  EXPECT_EQ(Ids(f, QueueOrder::kId), (V{"HZ2", "NB1"}));
  f = {};
  f.may_read = [](const Case& c) { return c.region.rfind("45", 0) == 0; };
  EXPECT_EQ(Ids(f), V{"NN1"});
}

TEST_F(CaseworkTest, StageOfficerAndOverdueComeFromTheCaseFile) {
  casefile::StageBook stages(*store_);
  ASSERT_TRUE(stages
                  .Move("HZ2", casefile::Stage::kArrestRequested, kT0 + 3 * kDay, "chief", "DOC",
                        "", kT0 + 3 * kDay)
                  .ok());
  casefile::WorkBook work(*store_);
  ASSERT_TRUE(work.Assign("HZ1", "li.wei", "chief", "", kT0 + kDay).ok());
  ASSERT_TRUE(work.AddNote("NN1", "回访", "li.wei", kT0 + 5 * kDay).ok());
  QueueFilter f;
  f.stage = casefile::Stage::kArrestRequested;
  EXPECT_EQ(Ids(f), V{"HZ2"});
  f = {};
  f.overdue_only = true;  // 7 days to decide on the arrest, 30 days on
  EXPECT_EQ(Ids(f), V{"HZ2"});
  f = {};
  f.officer = "li.wei";
  EXPECT_EQ(Ids(f), V{"HZ1"});
  f.officer = "";
  EXPECT_EQ(Ids(f, QueueOrder::kId), (V{"HZ2", "NB1", "NN1"}));
  EXPECT_EQ(Ids({}, QueueOrder::kLastWorked), (V{"NN1", "HZ1", "HZ2", "NB1"}));
  Json page = *Queue(*store_, {}, QueueOrder::kId, 1, 1, kT0 + 30 * kDay);
  const Json& hz2 = page["cases"][0];
  EXPECT_EQ(hz2["stage"], "arrest_requested");
  EXPECT_EQ(hz2["stage_zh"], "提请逮捕");
  EXPECT_EQ(hz2["overdue"], true);
  EXPECT_EQ(hz2["region_name"], "杭州市");
  EXPECT_EQ(hz2["category_zh"], "冒充公检法");
  EXPECT_EQ(hz2["loss"], "1200.00");
}

TEST_F(CaseworkTest, SortNamesAreCheckedInBothLanguages) {
  EXPECT_EQ(*ParseQueueOrder(""), QueueOrder::kNewest);
  EXPECT_EQ(*ParseQueueOrder("loss_desc"), QueueOrder::kLossHigh);
  Status bad = ParseQueueOrder("biggest").status();
  EXPECT_EQ(bad.code(), ErrorCode::kInvalidInput);
  EXPECT_NE(bad.zh().find("排序"), std::string::npos) << bad.zh();
}

TEST_F(CaseworkTest, TheTimelineMergesEverySourceOldestFirst) {
  audit::Entry trace;
  trace.at = kT0 + 2 * kDay;
  trace.user = "li.wei";
  trace.action = "case.trace";
  trace.target = "HZ1";
  trace.detail = "policy=fifo";
  audit::Entry read = trace;
  read.action = "case.read";  // reading is not something that happened to the case
  audit::Entry other = trace;
  other.target = "HZ2";
  auto key = audit::Key::FromBytes(std::array<unsigned char, 32>{});
  audit::AuditLog log(store_->sql(), key);
  for (const audit::Entry& e : {trace, read, other}) ASSERT_TRUE(log.Append(e).ok());
  casefile::WorkBook work(*store_);
  ASSERT_TRUE(work.Assign("HZ1", "li.wei", "chief", "", kT0 + kDay).ok());
  ASSERT_TRUE(work.AddNote("HZ1", "受害人补充材料", "li.wei", kT0 + 3 * kDay).ok());
  ASSERT_TRUE(work.Attach("HZ1", casefile::AttachmentKind::kReportMaterial, "笔录.pdf", "", "x",
                          "li.wei", kT0 + 3 * kDay)
                  .ok());
  ASSERT_TRUE(casefile::StageBook(*store_)
                  .Move("HZ1", casefile::Stage::kOpened, kT0 + 4 * kDay, "chief", "立字1号", "",
                        kT0 + 4 * kDay)
                  .ok());
  Result<Json> t = Timeline(*store_, "HZ1", kT0 + 10 * kDay);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  std::vector<std::string> kinds;
  for (const auto& e : (*t)["events"]) kinds.push_back(e["kind"]);
  EXPECT_EQ(kinds, (V{"report", "assignment", "trace", "note", "attachment", "stage"}));
  const Json& events = (*t)["events"];
  EXPECT_EQ(events[0]["what_zh"], "报案：投资理财");
  EXPECT_EQ(events[2]["by"], "li.wei");
  EXPECT_EQ(events[2]["detail"], "policy=fifo");
  EXPECT_EQ(events[4]["ref"], "attachment 1");
  EXPECT_EQ(events[5]["what_zh"], "进入立案");
  EXPECT_EQ(Timeline(*store_, "NOPE", kT0).status().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace fanzha::app::casework_test
