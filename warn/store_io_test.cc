// Warnings in the store: the list built from stored cases, warnings by revision, queue, outcomes.
#include "warn/store_io.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/support/postgres_server.h"
#include "warn/test_util.h"

namespace fanzha::warn {
namespace {

class StoreIoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "/warn-store-" + std::to_string(::getpid()) + ".db";
    std::filesystem::remove(path_);
    auto s = store::Store::Open(test_support::StoreLocation(path_));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
    auto imp = store_->BeginImport();
    ASSERT_TRUE(imp.ok());
    Case c;
    c.id = "HZ-20200208-0001";
    c.reported_at = testing::T("2020-02-08T00:42:00+08:00");
    c.category = "fake_goods_sale";
    c.identifiers.push_back({IdentifierType::kPhone, "+86 177 7212 3456", "+8617772123456", true});
    c.identifiers.push_back({IdentifierType::kUrl, "http://www.kouzhao-sale.cn/pay?id=3",
                             "http://www.kouzhao-sale.cn/pay?id=3", true});
    ASSERT_TRUE((*imp)->PutCase(c).ok());
    ASSERT_TRUE((*imp)->Commit().ok());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove(path_);
  }
  Warning MakeWarning(int revision, int score) {
    Warning w;
    w.id = "W1";
    w.revision = revision;
    w.person = "+8613900001111";
    w.region = "450200";
    w.score = score;
    w.last_event_at = testing::T("2020-02-08T09:20:00+08:00");
    return w;
  }
  std::string path_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(StoreIoTest, TheListComesFromStoredCasesAndKeepsVersionsWhenNothingChanged) {
  Watchlist list;
  auto changed = RefreshWatchlist(*store_, &list, {});
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_EQ(*changed, 3);  // phone, URL and its domain
  auto phone = list.Find(EntryKind::kPhone, "+8617772123456");
  ASSERT_NE(phone, Watchlist::kNone);
  EXPECT_EQ(list.Get(phone).source, "case:HZ-20200208-0001");
  EXPECT_NE(list.Find(EntryKind::kDomain, "kouzhao-sale.cn"), Watchlist::kNone);

  Watchlist again;
  changed = RefreshWatchlist(*store_, &again, {});
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(*changed, 0);
  EXPECT_EQ(again.version(), list.version());
}

TEST_F(StoreIoTest, ManualEntriesSurviveARebuild) {
  Watchlist list;
  Entry e;
  e.kind = EntryKind::kPhone;
  e.value = "+8617772123456";
  e.source = "manual:lz";
  ASSERT_TRUE(list.Put(e).ok());
  ASSERT_TRUE(SaveWatchlist(store_->sql(), list, 0).ok());
  Watchlist rebuilt;
  ASSERT_TRUE(RefreshWatchlist(*store_, &rebuilt, {}).ok());
  EXPECT_EQ(rebuilt.Get(rebuilt.Find(EntryKind::kPhone, "+8617772123456")).source, "manual:lz");
}

TEST_F(StoreIoTest, WarningsQueueAndOutcomes) {
  auto& db = store_->sql();
  ASSERT_TRUE(SaveWarning(db, MakeWarning(2, 160), "{\"rev\":2}", 1).ok());
  ASSERT_TRUE(SaveWarning(db, MakeWarning(1, 60), "{\"rev\":1}", 2).ok());  // late, older
  auto q = RegionQueue(db, "450200", 0);
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  ASSERT_EQ(q->size(), 1u);
  EXPECT_EQ((*q)[0].score, 160);
  EXPECT_EQ((*q)[0].body, "{\"rev\":2}");

  EXPECT_EQ(RecordOutcome(db, "W404", Outcome::kReached, 0, 3).code(), ErrorCode::kNotFound);
  ASSERT_TRUE(RecordOutcome(db, "W1", Outcome::kReached, 0, 3).ok());
  ASSERT_TRUE(RecordOutcome(db, "W1", Outcome::kDissuaded, 50000'00, 4).ok());
  EXPECT_TRUE(RegionQueue(db, "450200", 0)->empty());
  auto totals = CountWarnings(db);
  ASSERT_TRUE(totals.ok()) << totals.status().ToString();
  EXPECT_EQ(totals->warnings, 1);
  EXPECT_EQ(totals->dissuaded, 1);
  EXPECT_EQ(totals->reached, 0);
  EXPECT_EQ(totals->saved, 50000'00);
}

TEST_F(StoreIoTest, AProvinceQueueHoldsTheWarningsOfItsCitiesAndTheCentreAll) {
  auto& db = store_->sql();
  auto save = [&](const std::string& id, const std::string& region, int score) {
    Warning w = MakeWarning(1, score);
    w.id = id;
    w.region = region;
    ASSERT_TRUE(SaveWarning(db, w, "{}", 1).ok());
  };
  save("HZ", "330100", 100);      // 杭州
  save("NB-DIST", "330203", 90);  // a district of 宁波
  save("GX", "450200", 200);      // 柳州, another province
  save("NONE", "", 50);           // no region known
  auto ids = [&](const std::string& region) {
    std::vector<std::string> out;
    auto queue = RegionQueue(db, region, 0);
    EXPECT_TRUE(queue.ok()) << queue.status().ToString();
    for (const auto& w : *queue) out.push_back(w.id);
    return out;
  };
  EXPECT_EQ(ids("330000"), (std::vector<std::string>{"HZ", "NB-DIST"}));
  EXPECT_EQ(ids("330200"), (std::vector<std::string>{"NB-DIST"}));
  EXPECT_EQ(ids("330100"), (std::vector<std::string>{"HZ"}));
  EXPECT_EQ(ids("340000"), (std::vector<std::string>{}));  // the range stops before 34
  EXPECT_EQ(ids(""), (std::vector<std::string>{"GX", "HZ", "NB-DIST", "NONE"}));
}

}  // namespace
}  // namespace fanzha::warn
