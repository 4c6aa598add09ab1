#include "freeze/freeze.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>

#include "core/clock.h"
#include "freeze/returns.h"
#include "store/schema.h"
#include "tests/support/postgres_server.h"

namespace fanzha::freeze {
namespace {

constexpr Millis kHour = 3600 * 1000;
Millis T(const char* text) { return ParseTime(text).value(); }

class FreezeTest : public testing::Test {
 protected:
  void SetUp() override {
    path_ = testing::TempDir() + "/freeze_test_" +
            testing::UnitTest::GetInstance()->current_test_info()->name() + ".db";
    std::filesystem::remove(path_);
    auto s = store::Store::Open(test_support::StoreLocation(path_));
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(s).value();
  }
  Plan TwoAccountPlan() {
    Plan p;
    p.case_id = "C1";
    p.items.push_back(PlanItem{"6222000011112222", "ICBC", "451300", 120000, 2, 0, 5, "critical",
                               "王某", "T1", 150000, T("2020-02-08T00:42:00+08:00")});
    p.items.push_back(PlanItem{"6228000033334444", "ABC", "451300", 30000, 3, 0, 50, "high", "李某",
                               "T7", 30000, T("2020-02-08T00:50:00+08:00")});
    return p;
  }
  static DraftOptions Stop(std::vector<std::string> accounts = {}) {
    DraftOptions o;
    o.kind = OrderKind::kStopPayment;
    o.mandate = Mandate{"杭公反诈止〔2020〕12号", "li", "330100"};
    o.accounts = std::move(accounts);
    return o;
  }
  // A stop-payment of the first account, sent.
  int64_t SentStopPayment(OrderBook& book, Millis now) {
    auto d = book.Draft(TwoAccountPlan(), Stop({"6222000011112222"}), now);
    EXPECT_TRUE(d.ok()) << d.status().message();
    int64_t id = (*d)[0].order.id;
    EXPECT_TRUE(book.Move(id, OrderStatus::kSent, std::nullopt, "", now).ok());
    return id;
  }
  std::string path_;
  std::unique_ptr<store::Store> store_;
};

TEST(OrderNames, StatusesAndKindsAreNamedInChineseAsTheDashboardSaysThem) {
  EXPECT_EQ(ChineseName(OrderKind::kStopPayment), "止付");
  EXPECT_EQ(ChineseName(OrderStatus::kExecuted), "已冻结");
  EXPECT_EQ(StatusInChinese("rejected"), "被拒绝");
  EXPECT_EQ(StatusInChinese("pending at the bank"), "pending at the bank");  // none: as it came
}

TEST(OrderNames, TheBooksOwnNotesReadInChineseAndOthersAsTheyCame) {
  EXPECT_EQ(NoteInChinese("drafted from trace"), "由资金追踪生成");
  EXPECT_EQ(NoteInChinese("drafted from trace, document 穗公(反诈)冻字〔2026〕12号"),
            "由资金追踪生成，文书 穗公(反诈)冻字〔2026〕12号");
  EXPECT_EQ(NoteInChinese("in force until 2026-12-05T16:00:00Z"), "有效至 2026-12-06 00:00");
  EXPECT_EQ(NoteInChinese("renewal 2 rejected: account closed\nsecond line"),
            "第 2 次续冻被拒绝：account closed\nsecond line");
  EXPECT_EQ(NoteInChinese("returned by return 7"), "已由第 7 号返还方案发还");
  EXPECT_EQ(NoteInChinese("账户余额不足"), "账户余额不足");
}

TEST_F(FreezeTest, DraftingIsIdempotentPerCaseAccountAndKind) {
  OrderBook book(store_->sql());
  auto first = book.Draft(TwoAccountPlan(), {}, 1000);
  ASSERT_TRUE(first.ok()) << first.status().message();
  ASSERT_EQ(first->size(), 2u);
  EXPECT_TRUE((*first)[0].created);
  EXPECT_EQ((*first)[0].order.kind, OrderKind::kFreeze);
  auto again = book.Draft(TwoAccountPlan(), {}, 2000);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE((*again)[0].created);
  EXPECT_EQ((*again)[0].order.id, (*first)[0].order.id);
  // A stop-payment of the same accounts is another order: it comes first, the freeze follows.
  auto stop = book.Draft(TwoAccountPlan(), Stop(), 3000);
  ASSERT_TRUE(stop.ok()) << stop.status().message();
  EXPECT_TRUE((*stop)[0].created);
  EXPECT_EQ((*stop)[0].order.holder, "王某");
  EXPECT_EQ((*stop)[0].order.payment_amount, 150000);
  EXPECT_EQ((*stop)[0].order.mandate.document, "杭公反诈止〔2020〕12号");
  EXPECT_EQ(book.List({})->size(), 4u);
}

TEST_F(FreezeTest, AStoredOrderThatDoesNotParseIsAnErrorNamingItsRow) {
  OrderBook book(store_->sql());
  auto drafted = book.Draft(TwoAccountPlan(), {}, 1000);
  ASSERT_TRUE(drafted.ok());
  int64_t id = (*drafted)[0].order.id;
  // A status written by another version of fanzha, or by hand.
  ASSERT_TRUE(
      store_->sql()
          .Exec("UPDATE freeze_orders SET status = 'vanished' WHERE id = " + std::to_string(id))
          .ok());
  auto got = book.Get(id);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), ErrorCode::kSchemaMismatch);
  EXPECT_NE(got.status().message().find("freeze_orders row '" + std::to_string(id) + "', status"),
            std::string::npos)
      << got.status().message();
  EXPECT_NE(got.status().zh().find("库中记录无法读取"), std::string::npos) << got.status().zh();
  EXPECT_NE(got.status().zh().find("freeze_orders row '" + std::to_string(id) + "', status"),
            std::string::npos)
      << got.status().zh();
  auto listed = book.List({});
  ASSERT_FALSE(listed.ok()) << "a list with a row that does not parse is no list";
  EXPECT_EQ(listed.status().code(), ErrorCode::kSchemaMismatch);
}

TEST_F(FreezeTest, AStopPaymentNeedsTheFourFacts) {
  OrderBook book(store_->sql());
  Plan plan = TwoAccountPlan();
  plan.items[1].holder.clear();
  auto refused = book.Draft(plan, Stop(), 1);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("6228000033334444"), std::string::npos);
  EXPECT_NE(refused.status().zh().find("四要素"), std::string::npos);
  EXPECT_TRUE(book.List({})->empty());  // all or nothing
  EXPECT_TRUE(book.Draft(plan, Stop({"6222000011112222"}), 1).ok());
}

TEST_F(FreezeTest, TheBankFreezesWhatTheAccountHoldsAndTheClockStarts) {
  OrderBook book(store_->sql());
  DraftOptions only;
  only.accounts = {"6222000011112222"};
  auto drafted = book.Draft(TwoAccountPlan(), only, 1000);
  ASSERT_TRUE(drafted.ok());
  ASSERT_EQ(drafted->size(), 1u);
  int64_t id = (*drafted)[0].order.id;
  EXPECT_EQ(book.Move(id, OrderStatus::kExecuted, 100, "", 1).status().code(),
            ErrorCode::kConflict);
  ASSERT_TRUE(book.Move(id, OrderStatus::kSent, std::nullopt, "", 2).ok());
  EXPECT_FALSE(book.Move(id, OrderStatus::kExecuted, std::nullopt, "", 3).ok());  // how much?
  // More than the trace held: the account held more, and the bank froze it (limits the request
  // only).
  Millis at = T("2020-08-31T10:00:00+08:00");
  auto done = book.Move(id, OrderStatus::kExecuted, 200000, "", at);
  ASSERT_TRUE(done.ok()) << done.status().message();
  EXPECT_EQ(done->frozen, 200000);
  EXPECT_EQ(done->executed_at, at);
  EXPECT_EQ(FormatTime(done->deadline), "2021-02-28T10:00:00+08:00");  // six calendar months
  auto released = book.Move(id, OrderStatus::kReleased, std::nullopt, "", at + 1);
  EXPECT_FALSE(released.ok());  // a release is an order of its own
  EXPECT_NE(released.status().message().find("freeze release --order"), std::string::npos);
  EXPECT_TRUE(
      book.Move(id, OrderStatus::kReturned, std::nullopt, "returned to victim", at + 5).ok());
  EXPECT_EQ(book.Move(id, OrderStatus::kSent, std::nullopt, "", at + 6).status().code(),
            ErrorCode::kConflict);
  auto history = book.History(id);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 4u);  // planned, sent, executed, returned
  EXPECT_EQ((*history)[2].status, "executed");
  EXPECT_NE((*history)[2].note.find("2021-02-28"), std::string::npos);
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

TEST_F(FreezeTest, AStopPaymentLastsFortyEightHoursAndIsRenewedAtMostTwice) {
  OrderBook book(store_->sql());
  ManualClock clock(T("2020-02-08T01:00:00+08:00"));
  int64_t id = SentStopPayment(book, clock.Now());
  auto done = book.Execute(id, 63000, clock.Now(), 0, "", clock.Now());
  ASSERT_TRUE(done.ok()) << done.status().message();
  EXPECT_EQ(FormatTime(done->deadline), "2020-02-10T01:00:00+08:00");
  Mandate renew{"杭公反诈续止〔2020〕3号", "li", "330100"};
  for (int n = 1; n <= 2; ++n) {
    clock.Advance(40 * kHour);
    auto r = book.RequestRenewal(id, renew, clock.Now());
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(r->number, n);
    // One at a time.
    EXPECT_EQ(book.RequestRenewal(id, renew, clock.Now()).status().code(), ErrorCode::kConflict);
    auto answered = book.AnswerRenewal(id, n, true, 0, "", clock.Now() + 1000);
    ASSERT_TRUE(answered.ok()) << answered.status().message();
    EXPECT_EQ(answered->renewals, n);
  }
  EXPECT_EQ(FormatTime(book.Get(id)->value().deadline), "2020-02-14T01:00:00+08:00");  // 48 h x 3
  auto third = book.RequestRenewal(id, renew, clock.Now());
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(third.status().code(), ErrorCode::kConflict);
  EXPECT_NE(third.status().message().find("at most twice"), std::string::npos);
  EXPECT_FALSE(third.status().zh().empty());
}

TEST_F(FreezeTest, AnOrderNotRenewedInTimeLapsesByItself) {
  OrderBook book(store_->sql());
  ManualClock clock(T("2020-02-08T01:00:00+08:00"));
  int64_t id = SentStopPayment(book, clock.Now());
  ASSERT_TRUE(book.Execute(id, 63000, clock.Now(), 0, "", clock.Now()).ok());
  Millis deadline = book.Get(id)->value().deadline;
  clock.Set(deadline - 1);
  EXPECT_TRUE(book.Sweep(clock.Now())->empty());
  auto due = book.Due(clock.Now(), 6 * kHour);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].id, id);
  EXPECT_TRUE(book.Due(deadline - 7 * kHour, 6 * kHour)->empty());
  clock.Set(deadline + 5 * kHour);  // nobody asked: the next sweep marks it
  auto lapsed = book.Sweep(clock.Now());
  ASSERT_TRUE(lapsed.ok());
  ASSERT_EQ(lapsed->size(), 1u);
  auto o = book.Get(id)->value();
  EXPECT_EQ(o.status, OrderStatus::kExpired);
  EXPECT_EQ(o.expired_at, deadline);  // the time it lapsed, not the time it was noticed
  EXPECT_TRUE(book.Sweep(clock.Now())->empty());
  // Too late to renew: it lapsed.
  auto late = book.RequestRenewal(id, Mandate{"续", "li", ""}, clock.Now());
  EXPECT_EQ(late.status().code(), ErrorCode::kConflict);
}

TEST_F(FreezeTest, ARenewalAskedForBeforeTheDeadlineKeepsTheOrderInForceUntilAnswered) {
  OrderBook book(store_->sql());
  Millis t0 = T("2020-02-08T01:00:00+08:00");
  int64_t id = SentStopPayment(book, t0);
  ASSERT_TRUE(book.Execute(id, 63000, t0, 0, "", t0).ok());
  Millis deadline = t0 + kStopPaymentTerm;
  ASSERT_TRUE(book.RequestRenewal(id, Mandate{"续1", "li", ""}, deadline - 1000).ok());
  EXPECT_TRUE(book.Sweep(deadline + 1000)->empty());  // the bank may have renewed it in time
  EXPECT_EQ(book.Get(id)->value().renewal_pending, 1);
  // The bank answers it came too late: rejected, and the order lapses at its deadline.
  auto answered = book.AnswerRenewal(id, 1, false, 0, "deadline_passed", deadline + 2000);
  ASSERT_TRUE(answered.ok()) << answered.status().message();
  auto lapsed = book.Sweep(deadline + 3000);
  ASSERT_EQ(lapsed->size(), 1u);
  EXPECT_EQ((*lapsed)[0].expired_at, deadline);
  auto renewals = book.Renewals(id);
  ASSERT_EQ(renewals->size(), 1u);
  EXPECT_EQ((*renewals)[0].status, "rejected");
}

TEST_F(FreezeTest, AFreezeIsRenewedBySixMonthsFromItsDeadline) {
  OrderBook book(store_->sql());
  Millis t0 = T("2020-02-29T09:00:00+08:00");
  int64_t id = (*book.Draft(TwoAccountPlan(), {}, t0))[0].order.id;
  ASSERT_TRUE(book.Move(id, OrderStatus::kSent, std::nullopt, "", t0).ok());
  ASSERT_TRUE(book.Execute(id, 120000, t0, 0, "", t0).ok());
  EXPECT_EQ(FormatTime(book.Get(id)->value().deadline), "2020-08-29T09:00:00+08:00");
  for (int n = 1; n <= 3; ++n) {  // any number of times, each before it ends
    Millis now = book.Get(id)->value().deadline - 24 * kHour;
    ASSERT_TRUE(book.RequestRenewal(id, Mandate{"续冻" + std::to_string(n), "li", ""}, now).ok());
    ASSERT_TRUE(book.AnswerRenewal(id, n, true, 0, "", now).ok());
  }
  EXPECT_EQ(FormatTime(book.Get(id)->value().deadline), "2022-02-28T09:00:00+08:00");
}

TEST_F(FreezeTest, AReleaseIsAnOrderOfItsOwn) {
  OrderBook book(store_->sql());
  Millis t0 = T("2020-02-08T01:00:00+08:00");
  int64_t id = SentStopPayment(book, t0);
  EXPECT_EQ(book.Release(id, Mandate{"解1", "li", ""}, t0).status().code(), ErrorCode::kConflict);
  ASSERT_TRUE(book.Execute(id, 63000, t0, 0, "", t0).ok());
  EXPECT_EQ(book.Release(id, Mandate{}, t0).status().code(), ErrorCode::kInvalidInput);  // document
  auto release = book.Release(id, Mandate{"杭公反诈解〔2020〕1号", "li", "330100"}, t0 + 1000);
  ASSERT_TRUE(release.ok()) << release.status().message();
  EXPECT_TRUE(release->created);
  EXPECT_EQ(release->order.kind, OrderKind::kRelease);
  EXPECT_EQ(release->order.releases, id);
  EXPECT_EQ(release->order.requested, 63000);
  auto again = book.Release(id, Mandate{"杭公反诈解〔2020〕1号", "li", ""}, t0 + 2000);
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->order.id, release->order.id);
  int64_t rid = release->order.id;
  ASSERT_TRUE(book.Move(rid, OrderStatus::kSent, std::nullopt, "", t0 + 3000).ok());
  ASSERT_TRUE(book.Execute(rid, 63000, t0 + 4000, 0, "", t0 + 4000).ok());
  auto lifted = book.Get(id)->value();
  EXPECT_EQ(lifted.status, OrderStatus::kReleased);
  EXPECT_EQ(lifted.released_by, rid);
  EXPECT_EQ(lifted.frozen, 63000);                               // what was held stays on record
  EXPECT_EQ(book.Get(rid)->value().frozen, 0);                   // a release holds nothing
  EXPECT_TRUE(book.Sweep(t0 + 10 * kStopPaymentTerm)->empty());  // nothing in force to lapse
}

TEST_F(FreezeTest, InstitutionExportIsActionableCsv) {
  OrderBook book(store_->sql());
  ASSERT_TRUE(book.Draft(TwoAccountPlan(), {}, 1581093720000).ok());
  OrderFilter of_icbc;
  of_icbc.institution = "ICBC";
  auto icbc = book.List(of_icbc);
  ASSERT_EQ(icbc->size(), 1u);
  std::string csv = OrdersCsv(*icbc);
  EXPECT_NE(csv.find("order,case,account,institution,amount_to_freeze"), std::string::npos);
  EXPECT_NE(csv.find("C1,6222000011112222,ICBC,1200.00,planned"), std::string::npos);
}

TEST_F(FreezeTest, AProRataReturnWaitsForAThirtyDayNotice) {
  OrderBook book(store_->sql());
  Millis t0 = T("2020-03-01T09:00:00+08:00");
  int64_t id = (*book.Draft(TwoAccountPlan(), {}, t0))[0].order.id;
  ASSERT_TRUE(book.Move(id, OrderStatus::kSent, std::nullopt, "", t0).ok());
  ASSERT_TRUE(book.Execute(id, 100, t0, 0, "", t0).ok());
  auto plan = PlanReturn("6222000011112222", 100, {{"C1", 1, 0}, {"C2", 1, 0}, {"C3", 1, 0}});
  ASSERT_TRUE(plan.ok());
  ASSERT_TRUE(NeedsNotice(*plan));
  ReturnBook returns(store_->sql());
  auto r = returns.Record(*plan, {id}, t0 + kHour);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(returns.Record(*plan, {id}, t0 + kHour).status().code(),
            ErrorCode::kConflict);  // one open
  EXPECT_EQ(returns.Complete(r->id, "", t0 + 2 * kHour).status().code(),
            ErrorCode::kConflict);  // no notice
  auto noticed = returns.Notice(r->id, "published in the 杭州日报", t0 + 2 * kHour);
  ASSERT_TRUE(noticed.ok());
  EXPECT_EQ(noticed->notice_ends_at, t0 + 2 * kHour + kReturnNotice);
  auto early = returns.Complete(r->id, "", t0 + 2 * kHour + kReturnNotice - 1);
  ASSERT_FALSE(early.ok());
  EXPECT_NE(early.status().message().find(FormatTime(noticed->notice_ends_at)), std::string::npos);
  EXPECT_EQ(book.Get(id)->value().status, OrderStatus::kExecuted);  // nothing moved
  auto done = returns.Complete(r->id, "", t0 + 2 * kHour + kReturnNotice);
  ASSERT_TRUE(done.ok()) << done.status().message();
  EXPECT_EQ(book.Get(id)->value().status, OrderStatus::kReturned);
  auto steps = returns.History(r->id);
  ASSERT_EQ(steps->size(), 3u);
  EXPECT_EQ((*steps)[0].step, "planned");
  EXPECT_EQ((*steps)[1].step, "noticed");
  EXPECT_EQ((*steps)[2].step, "returned");
  EXPECT_EQ(returns.Get(r->id)->value().plan.shares.size(), 3u);
}

TEST_F(FreezeTest, OneVictimsMoneyGoesBackWithoutANotice) {
  OrderBook book(store_->sql());
  int64_t id = (*book.Draft(TwoAccountPlan(), {}, 1))[0].order.id;
  ASSERT_TRUE(book.Move(id, OrderStatus::kSent, std::nullopt, "", 2).ok());
  ASSERT_TRUE(book.Execute(id, 500, 3, 0, "", 3).ok());
  auto plan = PlanReturn("6222000011112222", 500, {{"C1", 900, 500}});
  ReturnBook returns(store_->sql());
  auto r = returns.Record(*plan, {id}, 4);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(returns.Notice(r->id, "", 5).status().code(), ErrorCode::kConflict);
  ASSERT_TRUE(returns.Complete(r->id, "", 6).ok());
  EXPECT_EQ(book.Get(id)->value().status, OrderStatus::kReturned);
}

// A store written before orders had kinds and clocks: its orders become freezes, and an executed
// one gets the law's deadline from its last move at the first sweep.
TEST(FreezeMigration, OldOrdersAreMappedToFreezesWithTheLawsDeadline) {
  if (test_support::TestsOnPostgres()) GTEST_SKIP() << "a SQLite file of an older version";
  std::string path = testing::TempDir() + "/freeze_migration.db";
  std::filesystem::remove(path);
  int mine = 0;
  for (const store::Migration& m : store::Migrations()) {
    if (m.name.starts_with("freeze: stop-payment")) mine = m.version;
  }
  ASSERT_GT(mine, 3);
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    std::string sql =
        "CREATE TABLE fanzha_meta (key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL);"
        "INSERT INTO fanzha_meta VALUES ('application', 'fanzha'), ('schema_version', '" +
        std::to_string(mine - 1) + "');";
    for (const store::Migration& m : store::Migrations()) {
      if (m.version < mine) sql += std::string(m.sql);
    }
    Millis executed = *ParseTime("2020-03-01T10:00:00+08:00");
    sql +=
        "INSERT INTO freeze_orders VALUES (1, 'C1', 'A1', 'ICBC', 500, 400, 'executed', '', "
        "'fifo', 1, " +
        std::to_string(executed) +
        ");"
        "INSERT INTO freeze_orders VALUES (2, 'C1', 'A2', 'ABC', 300, 0, 'sent', '', 'fifo', 1, 2);"
        "INSERT INTO freeze_order_events VALUES (1, 1, 1, 'planned', 500, 'drafted from trace');";
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db);
    sqlite3_close(db);
  }
  auto s = store::Store::Open(test_support::StoreLocation(path));
  ASSERT_TRUE(s.ok()) << s.status().message();
  OrderBook book((*s)->sql());
  auto old = book.Get(1)->value();
  EXPECT_EQ(old.kind, OrderKind::kFreeze);
  EXPECT_EQ(old.frozen, 400);
  EXPECT_EQ(old.deadline, 0);
  auto swept = book.Sweep(*ParseTime("2020-06-01T00:00:00+08:00"));
  ASSERT_TRUE(swept.ok()) << swept.status().message();
  EXPECT_TRUE(swept->empty());
  old = book.Get(1)->value();
  EXPECT_EQ(FormatTime(old.deadline), "2020-09-01T10:00:00+08:00");
  EXPECT_EQ(book.History(1)->size(), 2u);
  EXPECT_EQ(book.Get(2)->value().status, OrderStatus::kSent);
  // A stop-payment of the same account can now be drafted beside the old freeze.
  EXPECT_EQ(book.Sweep(*ParseTime("2020-09-01T10:00:00+08:00"))->size(), 1u);
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
