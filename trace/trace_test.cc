// Each rule of TRACING.md on a hand-built ledger. The worked cases of the specification run in
// tests/spec/trace_cases_test.cc through the real importer.
#include "trace/trace.h"

#include <gtest/gtest.h>

#include "trace/purse.h"

namespace fanzha::trace {
namespace {

class LedgerBuilder {
 public:
  LedgerBuilder& Account(std::string id, AccountKind kind, Fen opening = 0) {
    fanzha::Account a;
    a.id = std::move(id);
    a.kind = kind;
    a.opening_balance = opening;
    b_.AddAccount(a);
    return *this;
  }
  // Minutes after 10:00 on 2020-02-08 (+08:00).
  LedgerBuilder& Pay(std::string id, int minute, std::string from, std::string to, Fen amount) {
    Transfer t;
    t.id = std::move(id);
    t.time = *ParseTime("2020-02-08T10:00:00+08:00") + minute * 60000LL;
    t.from = std::move(from);
    t.to = std::move(to);
    t.amount = amount;
    t.channel = t.to.empty()     ? Channel::kWithdrawal
                : t.from.empty() ? Channel::kDeposit
                                 : Channel::kTransfer;
    b_.AddTransfer(t);
    return *this;
  }
  std::unique_ptr<ledger::Ledger> Build() { return b_.Build(); }

 private:
  ledger::Ledger::Builder b_;
};

std::vector<Seed> SeedTransfers(std::vector<std::string> ids, std::string origin = "C") {
  std::vector<Seed> seeds;
  for (auto& id : ids) seeds.push_back(Seed{origin, id, "", 0, 0});
  return seeds;
}

Fen HeldAt(const Answer& a, const std::string& account) {
  for (const Held& h : a.held) {
    if (h.account == account) return h.amount;
  }
  return 0;
}

Fen ExitTotal(const Answer& a) {
  Fen sum = 0;
  for (const Exit& e : a.exits) sum += e.amount;
  return sum;
}

TEST(Trace, DustArrivesAsCleanMoneyAndIsCounted) {
  auto l = LedgerBuilder()
               .Pay("T1", 0, "V", "M", 10000)
               .Pay("T2", 1, "M", "A", 50)  // 0.50 yuan: below a 1-yuan threshold
               .Pay("T3", 2, "M", "B", 9950)
               .Build();
  Options o;
  o.min_amount = 100;
  auto a = Trace(*l, SeedTransfers({"T1"}), o);
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(a->dust, 50);
  EXPECT_EQ(HeldAt(*a, "A"), 0);
  EXPECT_EQ(HeldAt(*a, "B"), 9950);
  EXPECT_EQ(a->seed, HeldAt(*a, "B") + a->dust);
}

TEST(Trace, UntilStopsTheReplayAtTheHorizon) {
  auto l = LedgerBuilder().Pay("T1", 0, "V", "M", 1000).Pay("T2", 10, "M", "A", 1000).Build();
  Options o;
  o.until = *ParseTime("2020-02-08T10:05:00+08:00");
  auto a = Trace(*l, SeedTransfers({"T1"}), o);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(HeldAt(*a, "M"), 1000);
  EXPECT_EQ(HeldAt(*a, "A"), 0);
  EXPECT_EQ(FormatTime(a->until), "2020-02-08T10:05:00+08:00");
}

TEST(Trace, PoisonTaintsWholeAmountsAndIsAnUpperBound) {
  auto l = LedgerBuilder()
               .Account("M", AccountKind::kPersonal, 5000)
               .Pay("T1", 0, "V", "M", 1000)
               .Pay("T2", 1, "M", "A", 3000)
               .Pay("T3", 2, "A", "B", 100)
               .Build();
  Options o;
  o.policy = Policy::kPoison;
  auto a = Trace(*l, SeedTransfers({"T1"}), o);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(HeldAt(*a, "A"), 2900);  // the whole 3000 received, less the 100 paid on
  EXPECT_EQ(HeldAt(*a, "B"), 100);
  EXPECT_EQ(HeldAt(*a, "M"), 3000);  // 5000 + 1000 - 3000: all counted as tainted
  EXPECT_GT(HeldAt(*a, "A") + HeldAt(*a, "B") + HeldAt(*a, "M"), a->seed);
}

TEST(Trace, PoisonReachFollowsOnlyTimeAscendingPaths) {
  auto l = LedgerBuilder()
               .Pay("T0", 0, "M", "EARLY", 100)  // before the money arrived: not reached
               .Pay("T1", 1, "V", "M", 1000)
               .Pay("T2", 2, "M", "A", 10)
               .Build();
  Options o;
  o.policy = Policy::kPoison;
  auto a = Trace(*l, SeedTransfers({"T1"}), o);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(HeldAt(*a, "EARLY"), 0);
  EXPECT_EQ(HeldAt(*a, "A"), 10);
}

TEST(Trace, AdHocSeedArrivesBeforeTransfersOfTheSameTime) {
  auto l = LedgerBuilder()
               .Account("M", AccountKind::kPersonal, 0)
               .Pay("T1", 0, "M", "A", 700)
               .Pay("T2", 5, "M", "B", 300)
               .Build();
  Seed s;
  s.origin = "seed";
  s.account = "M";
  s.amount = 1000;
  s.time = *ParseTime("2020-02-08T10:00:00+08:00");
  auto a = Trace(*l, {s}, Options{});
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(a->seed, 1000);
  EXPECT_EQ(HeldAt(*a, "A"), 700);
  EXPECT_EQ(HeldAt(*a, "B"), 300);
}

TEST(Trace, SeedPaidStraightToAnExitIsAnExitAtHopOne) {
  auto l = LedgerBuilder()
               .Account("SHOP", AccountKind::kMerchant)
               .Pay("T1", 0, "V", "SHOP", 500)
               .Build();
  auto a = Trace(*l, SeedTransfers({"T1"}), Options{});
  ASSERT_TRUE(a.ok());
  ASSERT_EQ(a->exits.size(), 1u);
  EXPECT_EQ(a->exits[0].kind, ExitKind::kMerchant);
  EXPECT_EQ(a->exits[0].hops, 1);
  EXPECT_EQ(a->exits[0].amount, 500);
}

// An exchange goes on paying out its customers' money; what was placed there has left all the
// same (this once made the tracer loop forever on the exchange's next receipt).
TEST(Trace, AdHocSeedAtAnExitIsAnExitAtHopOne) {
  auto l = LedgerBuilder()
               .Account("EXCH", AccountKind::kExchange, 10000)
               .Pay("T1", 1, "X", "EXCH", 200)
               .Pay("T2", 2, "EXCH", "Y", 5000)
               .Build();
  Seed s;
  s.origin = "seed";
  s.account = "EXCH";
  s.amount = 1000;
  s.time = *ParseTime("2020-02-08T10:00:00+08:00");
  for (Policy p : {Policy::kFifo, Policy::kLifo, Policy::kHaircut, Policy::kPoison}) {
    Options o;
    o.policy = p;
    auto a = Trace(*l, {s}, o);
    ASSERT_TRUE(a.ok()) << a.status().message();
    ASSERT_EQ(a->exits.size(), 1u) << Name(p);
    EXPECT_EQ(a->exits[0].kind, ExitKind::kExchange);
    EXPECT_EQ(a->exits[0].hops, 1);
    EXPECT_EQ(a->exits[0].amount, 1000);
    EXPECT_TRUE(a->held.empty()) << Name(p);
  }
}

TEST(Trace, PaymentLargerThanTheLotsDrawsUnknownCleanMoney) {
  auto l = LedgerBuilder()
               .Pay("T1", 0, "V", "M", 100)
               .Pay("T2", 1, "M", "A", 250)  // M holds only 100
               .Pay("T3", 2, "X", "M", 40)
               .Build();
  for (Policy p : {Policy::kFifo, Policy::kLifo, Policy::kHaircut}) {
    Options o;
    o.policy = p;
    auto a = Trace(*l, SeedTransfers({"T1"}), o);
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(HeldAt(*a, "A"), 100) << Name(p);
    EXPECT_EQ(HeldAt(*a, "M"), 0) << Name(p);
  }
}

TEST(Trace, SeveralCasesTogetherShowWhereMoneyIsMixed) {
  auto l = LedgerBuilder()
               .Pay("T1", 0, "V", "M", 300)
               .Pay("T2", 1, "W", "M", 200)
               .Pay("T3", 2, "M", "A", 400)
               .Build();
  auto seeds = SeedTransfers({"T1"}, "C7a");
  auto more = SeedTransfers({"T2"}, "C7b");
  seeds.insert(seeds.end(), more.begin(), more.end());
  auto a = Trace(*l, seeds, Options{});
  ASSERT_TRUE(a.ok());
  auto mixed = MixedAccounts(*a);
  ASSERT_EQ(mixed.size(), 1u);
  EXPECT_EQ(mixed[0].account, "A");
  ASSERT_EQ(mixed[0].by_origin.size(), 2u);
  EXPECT_EQ(mixed[0].by_origin[0].origin, "C7a");
  EXPECT_EQ(mixed[0].by_origin[0].amount, 300);
  EXPECT_EQ(mixed[0].by_origin[1].amount, 100);
  EXPECT_EQ(HeldAt(*a, "M"), 100);
}

TEST(Trace, FlowsListEveryTransferThatMovedTaint) {
  auto l = LedgerBuilder()
               .Pay("T1", 0, "V", "M", 1000)
               .Pay("T2", 1, "M", "A", 600)
               .Pay("T3", 2, "Q", "R", 5)  // unrelated
               .Pay("T4", 3, "A", "", 600)
               .Build();
  auto a = Trace(*l, SeedTransfers({"T1"}), Options{});
  ASSERT_TRUE(a.ok());
  ASSERT_EQ(a->flows.size(), 3u);
  EXPECT_EQ(a->flows[0].transfer, "T1");
  EXPECT_EQ(a->flows[0].hops, 1);
  EXPECT_EQ(a->flows[1].transfer, "T2");
  EXPECT_EQ(a->flows[1].hops, 2);
  EXPECT_EQ(a->flows[2].transfer, "T4");
  EXPECT_EQ(a->flows[2].to, "");
  EXPECT_EQ(a->seed, HeldAt(*a, "M") + ExitTotal(*a));
}

TEST(Trace, ErrorsNameWhatIsWrong) {
  auto l = LedgerBuilder().Pay("T1", 0, "V", "M", 1).Build();
  auto missing = Trace(*l, SeedTransfers({"T404"}), Options{});
  EXPECT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("T404"), std::string::npos);
  Options o;
  o.max_hops = 0;
  EXPECT_FALSE(Trace(*l, SeedTransfers({"T1"}), o).ok());
  EXPECT_FALSE(ParsePolicy("fofi").ok());
}

// TRACING.md "Splitting in proportion": a haircut payment is split over the clean money and each
// (origin, hop) group, the parts leaving in that order.
TEST(Purse, HaircutSplitsOverCleanMoneyAndEachOriginAndHop) {
  Purse purse(Policy::kHaircut, 200);  // clean
  purse.Add(Lot{100, 0, 2});
  purse.Add(Lot{100, 0, 1});
  purse.Add(Lot{50, 1, 1});
  std::vector<Lot> parts;
  purse.Take(9, &parts);  // 9 x (200, 100, 100, 50) / 450 = 4, 2, 2, 1 exactly
  ASSERT_EQ(parts.size(), 4u);
  EXPECT_EQ(parts[0].amount, 4);
  EXPECT_FALSE(parts[0].tainted());
  EXPECT_EQ(parts[1].amount, 2);
  EXPECT_EQ(parts[1].origin, 0);
  EXPECT_EQ(parts[1].hop, 2);  // the hop-1 group first, arriving at hop 2
  EXPECT_EQ(parts[2].hop, 3);
  EXPECT_EQ(parts[3].origin, 1);
  EXPECT_EQ(purse.balance(), 441);
  EXPECT_EQ(purse.tainted(), 245);
  // 18 of 441 (196 clean, 98 + 98 of origin 0, 49 of origin 1): floors 8, 4, 4, 2 = 18.
  parts.clear();
  purse.Take(18, &parts);
  EXPECT_EQ(parts[0].amount, 8);
  EXPECT_EQ(purse.tainted(), 235);
}

TEST(Purse, HaircutGivesTheLeftOverFenToTheLargestRemainderTiesToTheCleanMoney) {
  Purse purse(Policy::kHaircut, 100);
  purse.Add(Lot{100, 0, 1});
  std::vector<Lot> parts;
  purse.Take(1, &parts);  // half a fen each: the tie goes to the earlier group, the clean money
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_FALSE(parts[0].tainted());
  parts.clear();
  purse.Take(3, &parts);  // 3 x 99 / 199 = 1.49, 3 x 100 / 199 = 1.51: the taint's remainder wins
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].amount, 1);
  EXPECT_EQ(parts[1].amount, 2);
}

TEST(Purse, HaircutPaymentOfTheWholeBalanceTakesEveryGroupAndUnknownMoney) {
  Purse purse(Policy::kHaircut, 30);
  purse.Add(Lot{70, 0, 1});
  std::vector<Lot> parts;
  purse.Take(150, &parts);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].amount, 80);  // the clean 30 and 50 of unknown origin
  EXPECT_EQ(parts[1].amount, 70);
  EXPECT_EQ(purse.balance(), 0);
}

}  // namespace
}  // namespace fanzha::trace
