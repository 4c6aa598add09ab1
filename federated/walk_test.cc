// The federated trace against a trace over every bank's transfers, on random worlds split by
// institution as the banks hold them: each bank's store has its own accounts and every transfer
// where one of them pays or is paid (an inter-bank transfer is in both); the platform holds the
// account registry, the reports and the victims' payments, nothing else.
#include "federated/walk.h"

#include <gtest/gtest.h>

#include "federated/split_world.h"

namespace fanzha::federated {
namespace {

using namespace testing_support;  // NOLINT: the worlds of these tests

std::string TestDir(const std::string& name) { return testing::TempDir() + "/walk_test_" + name; }

// How many walks WalkRandomWorlds made, read statements, and read more answers than accounts
// (statements in parts).
struct Walks {
  int walks = 0, with_statements = 0, in_parts = 0;
};

// Walks every case of 30 random worlds under every policy and random hop limits, the banks
// answering at most `page` postings at a time, and checks each walk against the central trace.
Walks WalkRandomWorlds(const std::string& name, int64_t page) {
  Walks n;
  for (uint32_t seed = 1; seed <= 30; ++seed) {
    World w = MakeWorld(seed, 12, 60);
    SplitWorld split(w, TestDir(name + "_" + std::to_string(seed)));
    split.PageStatements(page);
    for (trace::Policy policy : {trace::Policy::kFifo, trace::Policy::kLifo,
                                 trace::Policy::kHaircut, trace::Policy::kPoison}) {
      for (const auto& [case_id, payments] : w.cases) {
        trace::Options options;
        options.policy = policy;
        options.max_hops = 1 + static_cast<int>(seed % 8);
        trace::Answer central = split.Central(case_id, options);
        Result<Answer> walked = split.Federated(case_id, options);
        EXPECT_TRUE(walked.ok()) << walked.status().message();
        if (!walked.ok()) return n;
        EXPECT_TRUE(walked->gaps.empty()) << "seed " << seed << " " << case_id;
        EXPECT_EQ(trace::ToJson(walked->trace, case_id).dump(1),
                  trace::ToJson(central, case_id).dump(1))
            << "seed " << seed << ", " << case_id << ", " << trace::Name(policy) << ", "
            << options.max_hops << " hops, pages of " << page;
        ++n.walks;
        n.with_statements += walked->progress.answered > 0;
        n.in_parts +=
            walked->progress.answered > static_cast<int64_t>(walked->progress.accounts_reached);
      }
    }
  }
  return n;
}

TEST(Walk, GivesTheAnswerOfATraceOverEveryBanksTransfersForEveryPolicy) {
  Walks n = WalkRandomWorlds("random", interchange::kMaxStatementRows);
  EXPECT_GT(n.with_statements, n.walks / 2) << "most walks needed statements";
}

TEST(Walk, GivesTheSameAnswerWhenEveryStatementComesInPartsOfFourPostings) {
  // Banks that page small: every account with more than four postings in its window is answered
  // in parts; the walk asks for the rest in pieces, and only while the taint is still there.
  Walks n = WalkRandomWorlds("paged", 4);
  EXPECT_GT(n.in_parts, n.walks / 4) << "many walks read statements in parts";
}

// A small world by hand: the victim V (BANK0) pays M1 (BANK1), who pays M2 (BANK2), who pays M3
// (BANK1). M2 had money of its own before.
World Chain() {
  World w;
  w.banks = 3;
  auto account = [&](int i, int bank, Fen opening) {
    Account a;
    a.id = Number(i);
    a.holder = "持卡人" + std::to_string(i);
    a.institution = Bank(bank);
    a.kind = AccountKind::kPersonal;
    a.opening_balance = opening;
    w.accounts.push_back(a);
  };
  account(0, 0, 1000000);  // V
  account(1, 1, 0);        // M1
  account(2, 2, 300000);   // M2
  account(3, 1, 0);        // M3
  auto pay = [&](std::string id, int minute, int from, int to, Fen amount) {
    w.transfers.push_back({id, Number(from), Number(to), kStart + 60000LL * minute, amount});
    w.last = std::max<Millis>(w.last, kStart + 60000LL * minute);
  };
  pay("X1", 1, 2, 3, 100000);  // before the money: M2's own history
  pay("P1", 5, 0, 1, 500000);  // the victim's payment
  pay("P2", 6, 1, 2, 450000);
  pay("P3", 7, 2, 3, 600000);
  w.cases["CASE0"] = {"P1"};
  return w;
}

TEST(Walk, ABankThatDoesNotAnswerIsNamedAndTheWalkCompletesWhenItAnswers) {
  World w = Chain();
  SplitWorld split(w, TestDir("late"));
  trace::Options fifo;
  Result<Answer> first = split.Federated("CASE0", fifo, {"BANK2"}, [](Options& o) {
    o.bank_deadline = 0;  // late at once
  });
  ASSERT_TRUE(first.ok()) << first.status().message();
  ASSERT_EQ(first->gaps.size(), 1u);
  EXPECT_EQ(first->gaps[0].account, Number(2));
  EXPECT_EQ(first->gaps[0].institution, "BANK2");
  EXPECT_EQ(first->gaps[0].why, Gap::Why::kLate);
  EXPECT_EQ(first->progress.hops_known, 1) << "M1's statement is in, M2's is not";
  EXPECT_EQ(first->progress.waiting, 1);
  EXPECT_EQ(first->progress.banks_asked, (std::vector<std::string>{"BANK1", "BANK2"}));
  auto json = ToJson(*first, "CASE0");
  EXPECT_FALSE(json["complete"].get<bool>());
  EXPECT_EQ(json["gaps"][0]["why"], "late");
  // BANK2 answers later: the same walk again uses every statement already in and completes.
  Result<Answer> later = split.Federated("CASE0", fifo);
  ASSERT_TRUE(later.ok()) << later.status().message();
  EXPECT_TRUE(later->gaps.empty());
  EXPECT_EQ(trace::ToJson(later->trace, "CASE0").dump(1),
            trace::ToJson(split.Central("CASE0", fifo), "CASE0").dump(1));
  // M2 held 3,000.00 of its own before the money: fifo pays that out first.
  ASSERT_FALSE(later->trace.held.empty());
  EXPECT_EQ(later->trace.held[0].account, Number(3));
}

TEST(Walk, EveryStatementQueryIsAuditedWithWhoAskedWhichBankAndWhy) {
  World w = Chain();
  SplitWorld split(w, TestDir("audited"));
  Result<Answer> a = split.Federated("CASE0", trace::Options{});
  ASSERT_TRUE(a.ok()) << a.status().message();
  auto entries = split.AuditEntries();
  ASSERT_TRUE(entries.ok()) << entries.status().message();
  std::vector<std::string> asked;
  for (const audit::Entry& e : *entries) {
    if (e.action != "statement.ask") continue;
    EXPECT_EQ(e.user, "investigator");
    EXPECT_EQ(e.target, "CASE0");
    EXPECT_EQ(e.reason, "follow the victim's money");
    asked.push_back(e.detail.substr(0, e.detail.find(',')));
  }
  EXPECT_EQ(asked,
            (std::vector<std::string>{"federated trace: query 1 of " + Number(1) + " at BANK1",
                                      "federated trace: query 2 of " + Number(2) + " at BANK2",
                                      "federated trace: query 3 of " + Number(3) + " at BANK1"}));
  EXPECT_EQ(a->progress.asked, 3);
}

TEST(Walk, AnAccountNoBankIsKnownForIsAGapUnlessTheDirectoryKnowsItsPrefix) {
  World w = Chain();
  std::vector<Account> registry = w.accounts;
  registry.erase(registry.begin() + 2);  // the registry has never heard of M2
  SplitWorld split(w, TestDir("no_bank"), &registry);
  Result<Answer> a = split.Federated("CASE0", trace::Options{});
  ASSERT_TRUE(a.ok()) << a.status().message();
  ASSERT_EQ(a->gaps.size(), 1u);
  EXPECT_EQ(a->gaps[0].why, Gap::Why::kNoBank);
  EXPECT_EQ(a->gaps[0].account, Number(2));
  Result<Answer> b = split.Federated("CASE0", trace::Options{}, {}, [](Options& o) {
    o.bank_of = [](std::string_view account) -> std::optional<std::string> {
      return account == Number(2) ? std::optional<std::string>("BANK2") : std::nullopt;
    };
  });
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_TRUE(b->gaps.empty());
  EXPECT_EQ(trace::ToJson(b->trace, "CASE0").dump(),
            trace::ToJson(split.Central("CASE0", trace::Options{}), "CASE0").dump());
}

// The statement queries the walk made for `account`, from the audit log.
int QueriesOf(SplitWorld& split, const std::string& account) {
  auto entries = split.AuditEntries();
  EXPECT_TRUE(entries.ok()) << entries.status().message();
  int n = 0;
  for (const audit::Entry& e : *entries)
    n += e.action == "statement.ask" &&
         e.detail.find(" of " + account + " at ") != std::string::npos;
  return n;
}

// `n` cash deposits of 1.00 into account `i`, one a millisecond from `from`.
void Deposit(World* w, int i, Millis from, int n) {
  for (int k = 0; k < n; ++k) {
    w->transfers.push_back(
        {"D" + std::to_string(100000 + k), "", Number(i), from + k, 100, "deposit"});
  }
}

// Walks CASE0 under `policy`, checking it against the central trace.
void ExpectWalkedAsCentral(SplitWorld& split, trace::Policy policy) {
  trace::Options options;
  options.policy = policy;
  Result<Answer> a = split.Federated("CASE0", options);
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_TRUE(a->gaps.empty());
  EXPECT_EQ(trace::ToJson(a->trace, "CASE0").dump(),
            trace::ToJson(split.Central("CASE0", options), "CASE0").dump())
      << trace::Name(policy);
}

TEST(Walk, ABusyAccountsStatementComesInPartsAndItsRestInPiecesAllAtOnce) {
  World w = Chain();
  // M1 is an everyday card: 6,000 small deposits after the money arrived, more than one answer
  // holds (5,000 rows), then it keeps the money for 14 minutes and pays on. Its window is asked
  // first whole (5,000 postings come, in 5 s), then the rest in pieces of 5 s, at most 32.
  Deposit(&w, 1, kStart + 60000LL * 5 + 1, 6000);
  w.transfers.push_back({"P9", Number(1), Number(3), kStart + 60000LL * 20, 900000});
  w.last = kStart + 60000LL * 20;
  SplitWorld split(w, TestDir("busy"));
  for (trace::Policy policy : {trace::Policy::kFifo, trace::Policy::kHaircut}) {
    ExpectWalkedAsCentral(split, policy);
    EXPECT_EQ(QueriesOf(split, Number(1)), 33)
        << "the first, then 32 pieces (the last to the end); the second walk asks for nothing";
  }
}

TEST(Walk, OnceTheMoneyHasLeftABusyAccountTheRestOfItsStatementIsNotAsked) {
  World w = Chain();
  // M1 pays the money on at once (P2, P1b), then takes 6,000 deposits of others' money: fifo,
  // lifo and haircut need only the first part of its statement; poison keeps M1 tainted and needs
  // all of it.
  w.transfers.push_back({"P1b", Number(1), Number(3), kStart + 60000LL * 6 + 1, 50000});
  Deposit(&w, 1, kStart + 60000LL * 7, 6000);
  w.transfers.push_back({"X9", Number(1), Number(2), kStart + 60000LL * 20, 500000});
  w.last = kStart + 60000LL * 20;
  for (trace::Policy policy : {trace::Policy::kFifo, trace::Policy::kLifo, trace::Policy::kHaircut,
                               trace::Policy::kPoison}) {
    SplitWorld split(w, TestDir(std::string("drained_") + std::string(trace::Name(policy))));
    ExpectWalkedAsCentral(split, policy);
    if (policy == trace::Policy::kPoison) {
      EXPECT_GT(QueriesOf(split, Number(1)), 1);
    } else {
      EXPECT_EQ(QueriesOf(split, Number(1)), 1) << trace::Name(policy);
    }
  }
}

TEST(Walk, RefusesWithoutADocumentOrAnUnknownCase) {
  World w = Chain();
  SplitWorld split(w, TestDir("refused"));
  Result<Answer> no_document = split.Federated("CASE0", trace::Options{}, {},
                                               [](Options& o) { o.mandate.document.clear(); });
  EXPECT_EQ(no_document.status().code(), ErrorCode::kInvalidInput);
  EXPECT_FALSE(no_document.status().zh().empty());
  EXPECT_EQ(split.Federated("NOPE", trace::Options{}).status().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace fanzha::federated
