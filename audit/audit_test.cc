#include "audit/audit.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace fanzha::audit {
namespace {

class AuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("audit_test_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + ".db");
    std::filesystem::remove(path_);
    store_ = std::move(store::Store::OpenSqlite(path_.string())).value();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove(path_);
  }
  Entry Make(int i) {
    Entry e;
    e.at = 1000 + i;
    e.user = "li";
    e.role = "investigator";
    e.action = "case.trace";
    e.target = "C" + std::to_string(i);
    e.reason = "report 110-" + std::to_string(i);
    return e;
  }
  std::filesystem::path path_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(AuditTest, ChainVerifiesAndListsInOrder) {
  AuditLog log(store_->sql());
  for (int i = 1; i <= 3; ++i) ASSERT_TRUE(log.Append(Make(i)).ok());
  auto v = log.Verify();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok);
  EXPECT_EQ(v->entries, 3);
  auto all = log.List(1, 0);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].id, 2);
  EXPECT_EQ((*all)[0].prev_hash, log.List(0, 1)->front().hash);
}

TEST_F(AuditTest, AnEditedRowIsNamed) {
  AuditLog log(store_->sql());
  for (int i = 1; i <= 4; ++i) ASSERT_TRUE(log.Append(Make(i)).ok());
  ASSERT_TRUE(store_->sql().Exec("UPDATE audit_log SET reason = 'nothing to see' WHERE id = 2").ok());
  auto v = log.Verify();
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->ok);
  EXPECT_EQ(v->first_broken, 2);
  EXPECT_NE(v->message.find("content"), std::string::npos);
}

TEST_F(AuditTest, ADeletedRowIsNamed) {
  AuditLog log(store_->sql());
  for (int i = 1; i <= 4; ++i) ASSERT_TRUE(log.Append(Make(i)).ok());
  ASSERT_TRUE(store_->sql().Exec("DELETE FROM audit_log WHERE id = 3").ok());
  auto v = log.Verify();
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->ok);
  EXPECT_EQ(v->first_broken, 4);
}

TEST_F(AuditTest, ARehashedRowBreaksTheNextLink) {
  AuditLog log(store_->sql());
  for (int i = 1; i <= 3; ++i) ASSERT_TRUE(log.Append(Make(i)).ok());
  Entry forged = log.List(1, 1)->front();
  forged.reason = "forged";
  std::string h = EntryHash(forged, forged.prev_hash);
  ASSERT_TRUE(store_->sql()
                  .Exec("UPDATE audit_log SET reason = 'forged', hash = '" + h + "' WHERE id = 2")
                  .ok());
  auto v = log.Verify();
  EXPECT_EQ(v->first_broken, 3);
}

TEST_F(AuditTest, EntriesRemovedFromTheEndAreCaughtByAHeadKeptElsewhere) {
  AuditLog log(store_->sql());
  for (int i = 1; i <= 4; ++i) ASSERT_TRUE(log.Append(Make(i)).ok());
  auto before = log.Verify();
  ASSERT_TRUE(before.ok() && before->ok);
  EXPECT_EQ(before->head.id, 4);
  Anchor kept = before->head;
  ASSERT_TRUE(store_->sql().Exec("DELETE FROM audit_log WHERE id >= 3").ok());
  EXPECT_TRUE(log.Verify()->ok);  // on its own the shorter chain still holds
  auto v = log.Verify({kept});
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->ok);
  EXPECT_EQ(v->first_broken, 4);
  EXPECT_NE(v->message.find("removed from its end"), std::string::npos) << v->message;
}

TEST_F(AuditTest, AnAnchorWhoseHashDiffersIsNamed) {
  AuditLog log(store_->sql());
  for (int i = 1; i <= 3; ++i) ASSERT_TRUE(log.Append(Make(i)).ok());
  Anchor wrong{2, std::string(64, 'a')};
  auto v = log.Verify({wrong});
  EXPECT_FALSE(v->ok);
  EXPECT_EQ(v->first_broken, 2);
  EXPECT_TRUE(log.Verify({log.Verify()->head})->ok);
}

TEST(Anchor, ParsesIdColonHashAndNamesWhatIsWrong) {
  auto a = ParseAnchor("12:" + std::string(64, 'f'));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->id, 12);
  EXPECT_FALSE(ParseAnchor("12").ok());
  EXPECT_FALSE(ParseAnchor("x:" + std::string(64, 'f')).ok());
  EXPECT_NE(ParseAnchor("12:abc").status().message().find("ID:HASH"), std::string::npos);
}

}  // namespace
}  // namespace fanzha::audit
