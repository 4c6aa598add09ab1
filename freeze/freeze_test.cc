#include "freeze/freeze.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace fanzha::freeze {
namespace {

class FreezeTest : public testing::Test {
 protected:
  void SetUp() override {
    path_ = testing::TempDir() + "/freeze_test_" +
            testing::UnitTest::GetInstance()->current_test_info()->name() + ".db";
    std::filesystem::remove(path_);
    auto s = store::Store::OpenSqlite(path_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(s).value();
  }
  Plan TwoAccountPlan() {
    Plan p;
    p.case_id = "C1";
    p.items.push_back(PlanItem{"6222000011112222", "ICBC", "451300", 120000, 2, 0, 5, "critical"});
    p.items.push_back(PlanItem{"6228000033334444", "ABC", "451300", 30000, 3, 0, 50, "high"});
    return p;
  }
  std::string path_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(FreezeTest, DraftingIsIdempotentPerCaseAndAccount) {
  OrderBook book(store_->sql());
  auto first = book.Draft(TwoAccountPlan(), {}, 1000);
  ASSERT_TRUE(first.ok()) << first.status().message();
  ASSERT_EQ(first->size(), 2u);
  EXPECT_TRUE((*first)[0].created);
  auto again = book.Draft(TwoAccountPlan(), {}, 2000);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE((*again)[0].created);
  EXPECT_EQ((*again)[0].order.id, (*first)[0].order.id);
  EXPECT_EQ(book.List({})->size(), 2u);
}

TEST_F(FreezeTest, LifecycleAndNeverMoreThanTheTraceHolds) {
  OrderBook book(store_->sql());
  auto drafted = book.Draft(TwoAccountPlan(), {"6222000011112222"}, 1000);
  ASSERT_TRUE(drafted.ok());
  ASSERT_EQ(drafted->size(), 1u);
  int64_t id = (*drafted)[0].order.id;
  EXPECT_FALSE(book.Move(id, OrderStatus::kExecuted, 100, "", 1).ok());  // not sent yet
  ASSERT_TRUE(book.Move(id, OrderStatus::kSent, std::nullopt, "", 2).ok());
  auto too_much = book.Move(id, OrderStatus::kExecuted, 120001, "", 3);
  EXPECT_FALSE(too_much.ok());
  EXPECT_NE(too_much.status().message().find("1200.00"), std::string::npos);
  auto done = book.Move(id, OrderStatus::kExecuted, 110000, "", 4);
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->frozen, 110000);
  EXPECT_TRUE(book.Move(id, OrderStatus::kReturned, std::nullopt, "returned to victim", 5).ok());
  EXPECT_FALSE(book.Move(id, OrderStatus::kSent, std::nullopt, "", 6).ok());
}

TEST_F(FreezeTest, RejectionNeedsAReason) {
  OrderBook book(store_->sql());
  int64_t id = (*book.Draft(TwoAccountPlan(), {}, 1))[0].order.id;
  ASSERT_TRUE(book.Move(id, OrderStatus::kSent, std::nullopt, "", 2).ok());
  EXPECT_FALSE(book.Move(id, OrderStatus::kRejected, std::nullopt, "", 3).ok());
  auto r = book.Move(id, OrderStatus::kRejected, std::nullopt, "account already closed", 3);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->reason, "account already closed");
}

TEST_F(FreezeTest, InstitutionExportIsActionableCsv) {
  OrderBook book(store_->sql());
  ASSERT_TRUE(book.Draft(TwoAccountPlan(), {}, 1581093720000).ok());
  auto icbc = book.List(OrderFilter{"", "", "ICBC", std::nullopt});
  ASSERT_EQ(icbc->size(), 1u);
  std::string csv = OrdersCsv(*icbc);
  EXPECT_NE(csv.find("order,case,account,institution,amount_to_freeze"), std::string::npos);
  EXPECT_NE(csv.find("C1,6222000011112222,ICBC,1200.00,planned"), std::string::npos);
}

TEST(Return, OneVictimsMoneyGoesToThatVictim) {
  auto p = PlanReturn("M", 50000, {{"A", 90000, 50000}, {"B", 10000, 0}});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->rule, "single_victim");
  ASSERT_EQ(p->shares.size(), 1u);
  EXPECT_EQ(p->shares[0].case_id, "A");
  EXPECT_EQ(p->shares[0].amount, 50000);
}

TEST(Return, LotsIdentifyEachVictim) {
  auto p = PlanReturn("M", 40000, {{"B", 100, 10000}, {"A", 100, 30000}});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->rule, "by_lots");
  EXPECT_EQ(p->shares[0].case_id, "A");
  EXPECT_EQ(p->shares[0].amount, 30000);
  EXPECT_EQ(p->shares[1].amount, 10000);
}

TEST(Return, OtherwiseProRataByLossExactToTheFen) {
  auto p = PlanReturn("M", 100, {{"A", 1, 0}, {"B", 1, 0}, {"C", 1, 0}});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->rule, "pro_rata_by_loss");
  Fen sum = 0;
  for (const auto& s : p->shares) sum += s.amount;
  EXPECT_EQ(sum, 100);
  EXPECT_EQ(p->shares[0].amount, 34);  // the left-over fen goes to the first of equal remainders
}

TEST(Return, ByLotsUsesTheSameSplitAsHaircut) {
  // 100 fen over traced 1, 1, 1 by lots: 34, 33, 33 (the first of equal remainders gets the fen).
  auto p = PlanReturn("M", 100, {{"C", 5, 1}, {"A", 5, 1}, {"B", 5, 1}});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->rule, "by_lots");
  ASSERT_EQ(p->shares.size(), 3u);
  EXPECT_EQ(p->shares[0].case_id, "A");
  EXPECT_EQ(p->shares[0].amount, 34);
  EXPECT_EQ(p->shares[2].amount, 33);
  // More frozen than all the weights: still exact, the largest remainders first.
  auto q = PlanReturn("M", 700, {{"A", 0, 2}, {"B", 0, 3}, {"C", 0, 1}});
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->shares[0].amount, 233);  // 700 x 2/6 = 233.33
  EXPECT_EQ(q->shares[1].amount, 350);
  EXPECT_EQ(q->shares[2].amount, 117);  // 116.67: the largest remainder
}

}  // namespace
}  // namespace fanzha::freeze
