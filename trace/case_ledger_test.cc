// LedgerForCase: tracing a case with transfers stored after the ledger was built gives exactly the
// answer of tracing it on a ledger rebuilt with them.
#include "trace/case_ledger.h"

#include <gtest/gtest.h>

#include <map>

#include "trace/random_world.h"

namespace fanzha::trace {
namespace {

std::shared_ptr<const ledger::Ledger> Build(const std::vector<Account>& accounts,
                                            const std::vector<Transfer>& transfers) {
  ledger::Ledger::Builder b;
  for (const Account& a : accounts) b.AddAccount(a);
  for (const Transfer& t : transfers) b.AddTransfer(t);
  return b.Build();
}

// The cases of a world: its seed transfers grouped by origin.
std::vector<Case> CasesOf(const RandomWorld& w) {
  std::map<std::string, Case> cases;
  for (const Seed& s : w.seeds) {
    if (s.transfer_id.empty()) continue;
    Case& c = cases[s.origin];
    c.id = s.origin;
    c.transfers.push_back(s.transfer_id);
  }
  std::vector<Case> out;
  for (auto& [id, c] : cases) out.push_back(std::move(c));
  return out;
}

std::string Answer(const ledger::Ledger& l, const Case& c, const Options& o) {
  Result<std::vector<Seed>> seeds = SeedsOfCase(l, c);
  if (!seeds.ok()) return seeds.status().message();
  Result<trace::Answer> a = Trace(l, *seeds, o);
  return a.ok() ? ToJson(*a, c.id).dump() : a.status().message();
}

TEST(CaseLedger, SameAnswerAsTheRebuiltLedgerOnRandomLedgers) {
  int extracted = 0, compared = 0;
  for (uint32_t world = 0; world < 600; ++world) {
    RandomWorld w = MakeWorld(world, world % 2 ? 15 : 60);
    std::mt19937_64 rng(world);
    // Any transfers may arrive late, not only the newest; one may also arrive twice.
    std::vector<Transfer> old, late;
    for (const Transfer& t : w.transfers) (rng() % 3 == 0 ? late : old).push_back(t);
    if (!late.empty() && !old.empty() && rng() % 4 == 0) late.push_back(old[rng() % old.size()]);
    std::shared_ptr<const ledger::Ledger> base = Build(w.accounts, old);
    for (const Case& c : CasesOf(w)) {
      for (Policy p : {Policy::kFifo, Policy::kLifo, Policy::kHaircut, Policy::kPoison}) {
        Options o;
        o.policy = p;
        o.max_hops = 1 + static_cast<int>(world % 6);
        o.min_amount = world % 5 == 0 ? 50 : 0;
        std::string label =
            "world " + std::to_string(world) + " " + c.id + " " + std::string(Name(p));
        Result<CaseLedger> cl = LedgerForCase(base, late, c, o);
        ASSERT_TRUE(cl.ok()) << label << ": " << cl.status().message();
        EXPECT_EQ(Answer(*cl->ledger, c, cl->options), Answer(*w.ledger, c, o)) << label;
        extracted += cl->ledger != base;
        ++compared;
      }
    }
  }
  EXPECT_GT(compared, 1600);
  EXPECT_GT(extracted, 400);  // the extract path ran, not only the "unchanged" one
}

TEST(CaseLedger, TheLedgerItselfWhenNothingNewTouchesTheMoney) {
  std::vector<Account> accounts = {{"M1", "", "ICBC", "", AccountKind::kPersonal, 0, {}}};
  Transfer pay{"T1", 1000, "V", "M1", 500, Channel::kTransfer, "", "", ""};
  Transfer elsewhere{"T2", 2000, "X", "Y", 700, Channel::kTransfer, "", "", ""};
  auto base = Build(accounts, {pay});
  Case c;
  c.id = "C1";
  c.transfers = {"T1"};
  Result<CaseLedger> cl = LedgerForCase(base, {elsewhere}, c, Options{});
  ASSERT_TRUE(cl.ok());
  EXPECT_EQ(cl->ledger, base);
  EXPECT_EQ(cl->options.until, 2000);  // the end of all the data, as a rebuilt ledger would say
}

TEST(CaseLedger, ACaseWhoseTransfersAreAllNew) {
  Transfer pay{"T1", 1000, "V", "M1", 500, Channel::kTransfer, "", "", ""};
  Transfer onward{"T2", 2000, "M1", "M2", 300, Channel::kTransfer, "", "", ""};
  auto base = Build({}, {});
  Case c;
  c.id = "C1";
  c.transfers = {"T1"};
  Result<CaseLedger> cl = LedgerForCase(base, {pay, onward}, c, Options{});
  ASSERT_TRUE(cl.ok()) << cl.status().message();
  auto seeds = SeedsOfCase(*cl->ledger, c);
  ASSERT_TRUE(seeds.ok());
  Result<trace::Answer> a = Trace(*cl->ledger, *seeds, cl->options);
  ASSERT_TRUE(a.ok());
  ASSERT_EQ(a->held.size(), 2u);
  EXPECT_EQ(a->held[0].account, "M2");
  EXPECT_EQ(a->held[0].amount, 300);
  EXPECT_EQ(a->held[1].account, "M1");
  EXPECT_EQ(a->held[1].amount, 200);
}

TEST(CaseLedger, ATransferInNeitherPlaceIsNamed) {
  auto base = Build({}, {});
  Case c;
  c.id = "C1";
  c.transfers = {"T404"};
  Transfer other{"T1", 1000, "V", "M1", 500, Channel::kTransfer, "", "", ""};
  Result<CaseLedger> cl = LedgerForCase(base, {other}, c, Options{});
  ASSERT_FALSE(cl.ok());
  EXPECT_NE(cl.status().message().find("T404"), std::string::npos);
}

}  // namespace
}  // namespace fanzha::trace
