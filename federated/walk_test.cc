// The federated trace against a trace over every bank's transfers, on random worlds split by
// institution as the banks hold them: each bank's store has its own accounts and every transfer
// where one of them pays or is paid (an inter-bank transfer is in both); the platform holds the
// account registry, the reports and the victims' payments, nothing else.
#include "federated/walk.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>

#include "federated/courier.h"
#include "import/import.h"
#include "ledger/ledger.h"

namespace fanzha::federated {
namespace {

constexpr Millis kStart = 1581127200000LL;  // 2020-02-08T10:00:00+08:00

struct Row {
  std::string id, from, to;
  Millis time = 0;
  Fen amount = 0;
  std::string channel = "transfer";
};

// A random world written as the formats' files, split by bank.
struct World {
  int banks = 0;
  std::vector<Account> accounts;  // victims included
  std::vector<Row> transfers;
  std::map<std::string, std::vector<std::string>> cases;  // case -> its victim's payments
  Millis last = 0;
};

std::string Bank(int b) { return "BANK" + std::to_string(b); }
std::string Number(int i) { return "62220" + std::to_string(100000 + i); }

World MakeWorld(uint32_t seed, int max_accounts, int max_transfers) {
  std::mt19937_64 rng(seed);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<uint64_t>(n)); };
  World w;
  w.banks = 2 + pick(5);
  const int mules = 3 + pick(max_accounts - 3), victims = 1 + pick(3);
  for (int i = 0; i < mules + victims; ++i) {
    Account a;
    a.id = Number(i);
    a.holder = "持卡人" + std::to_string(i);
    a.institution = Bank(pick(w.banks));
    a.kind = i < mules && pick(8) == 0 ? (pick(2) ? AccountKind::kMerchant : AccountKind::kExchange)
                                       : AccountKind::kPersonal;
    a.opening_balance = pick(3) == 0 ? 0 : static_cast<Fen>(rng() % 50000);
    w.accounts.push_back(a);
  }
  const int transfers = 5 + pick(max_transfers - 5);
  std::set<int> paid;  // victims who paid
  for (int i = 0; i < transfers; ++i) {
    Row t;
    t.id = "T" + std::to_string(pick(1000)) + "_" + std::to_string(i);  // ties in time and text
    t.time = kStart + 60000LL * pick(40);
    t.amount = 1 + (pick(4) == 0 ? pick(200) : static_cast<Fen>(rng() % 30000));
    const int kind = pick(12);
    if (kind == 0) {
      t.from = Number(pick(mules));
      t.channel = "withdrawal";
    } else if (kind == 1) {
      t.to = Number(pick(mules));
      t.channel = "deposit";
    } else if (kind <= 3 || paid.empty()) {
      const int v = pick(victims);
      paid.insert(v);
      t.from = Number(mules + v);
      t.to = Number(pick(mules));
      w.cases["CASE" + std::to_string(v)].push_back(t.id);
    } else {
      const int from = pick(mules);
      int to = pick(mules - 1);
      if (to >= from) ++to;
      t.from = Number(from);
      t.to = Number(to);
    }
    w.last = std::max(w.last, t.time);
    w.transfers.push_back(t);
  }
  return w;
}

void WriteAccounts(const std::string& path, const std::vector<Account>& accounts) {
  std::ofstream out(path);
  out << "account,holder,institution,region,kind,opening_balance\n";
  for (const Account& a : accounts) {
    out << a.id << "," << a.holder << "," << a.institution << ",330100," << Name(a.kind) << ","
        << FormatMoney(a.opening_balance) << "\n";
  }
}

void WriteTransfers(const std::string& path, const std::vector<Row>& rows) {
  std::ofstream out(path);
  out << "id,time,from,to,amount,channel,memo\n";
  for (const Row& t : rows) {
    out << t.id << "," << FormatTime(t.time) << "," << t.from << "," << t.to << ","
        << FormatMoney(t.amount) << "," << t.channel << ",\n";
  }
}

std::unique_ptr<store::Store> Imported(const std::string& db,
                                       const std::vector<std::string>& files) {
  auto s = store::Store::OpenSqlite(db);
  EXPECT_TRUE(s.ok()) << s.status().message();
  import::Options options;
  options.progress = false;
  import::Outcome out = import::ImportFiles(**s, files, options);
  EXPECT_TRUE(out.status.ok()) << db << ": " << out.status.message();
  return std::move(s).value();
}

// The world at rest: one store with everything, the banks' stores and desks, the platform's store.
class SplitWorld {
 public:
  // `registry`: what the platform's account registry holds, when not every account as it is.
  SplitWorld(const World& w, const std::string& dir, const std::vector<Account>* registry = nullptr)
      : world_(w), dir_(dir) {
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    WriteAccounts(dir + "/accounts.csv", w.accounts);
    WriteTransfers(dir + "/transfers.csv", w.transfers);
    {
      std::ofstream cases(dir + "/cases.jsonl");
      for (const auto& [id, payments] : w.cases) {
        cases << "{\"id\":\"" << id << "\",\"reported_at\":\"" << FormatTime(w.last)
              << "\",\"region\":\"330100\",\"transfers\":[";
        for (size_t i = 0; i < payments.size(); ++i)
          cases << (i ? "," : "") << "\"" << payments[i] << "\"";
        cases << "]}\n";
      }
    }
    all_ = Imported(dir + "/all.db",
                    {dir + "/accounts.csv", dir + "/transfers.csv", dir + "/cases.jsonl"});
    std::map<std::string, std::string> bank_of;
    for (const Account& a : w.accounts) bank_of[a.id] = a.institution;
    for (int b = 0; b < w.banks; ++b) {
      const std::string bank = Bank(b), bank_dir = dir + "/" + bank;
      std::filesystem::create_directories(bank_dir);
      std::vector<Account> own;
      for (const Account& a : w.accounts)
        if (a.institution == bank) own.push_back(a);
      std::vector<Row> rows;
      for (const Row& t : w.transfers) {
        if ((!t.from.empty() && bank_of[t.from] == bank) ||
            (!t.to.empty() && bank_of[t.to] == bank))
          rows.push_back(t);
      }
      WriteAccounts(bank_dir + "/accounts.csv", own);
      WriteTransfers(bank_dir + "/transfers.csv", rows);
      bank_stores_.push_back(Imported(bank_dir + "/bank.db",
                                      {bank_dir + "/accounts.csv", bank_dir + "/transfers.csv"}));
      auto desk = bank::Desk::Open(*bank_stores_.back(), bank, SystemClock());
      EXPECT_TRUE(desk.ok()) << desk.status().message();
      desks_.push_back(std::move(desk).value());
    }
    std::set<std::string> seeds;
    for (const auto& [id, payments] : w.cases) seeds.insert(payments.begin(), payments.end());
    std::vector<Row> victim_payments;
    for (const Row& t : w.transfers)
      if (seeds.count(t.id)) victim_payments.push_back(t);
    WriteTransfers(dir + "/reported.csv", victim_payments);
    WriteAccounts(dir + "/registry.csv", registry ? *registry : w.accounts);
    platform_ = Imported(dir + "/platform.db",
                         {dir + "/registry.csv", dir + "/reported.csv", dir + "/cases.jsonl"});
  }

  trace::Answer Central(const std::string& case_id, trace::Options options) {
    auto ledger = ledger::Ledger::Load(*all_);
    EXPECT_TRUE(ledger.ok()) << ledger.status().message();
    auto c = all_->GetCase(case_id);
    EXPECT_TRUE(c.ok() && *c);
    auto seeds = trace::SeedsOfCase(**ledger, **c);
    EXPECT_TRUE(seeds.ok()) << seeds.status().message();
    options.until = world_.last;
    auto a = trace::Trace(**ledger, *seeds, options);
    EXPECT_TRUE(a.ok()) << a.status().message();
    return *a;
  }

  // Walks with the desks of every bank but those in `silent` (they never answer).
  Result<Answer> Federated(const std::string& case_id, trace::Options trace_options,
                           const std::set<std::string>& silent = {},
                           const std::function<void(Options&)>& adjust = nullptr) {
    DeskCourier courier(*platform_, {dir_ + "/statements", &key_}, SystemClock());
    for (auto& d : desks_)
      if (!silent.count(d->institution())) courier.AddBank(*d);
    Options options;
    options.trace = trace_options;
    options.trace.until = world_.last;
    options.user = "investigator";
    options.role = "investigator";
    options.reason = "follow the victim's money";
    options.mandate = {"公(杭)查字[2020]001号", "investigator", "330100"};
    options.audit_key = &key_;
    if (adjust) adjust(options);
    return Walk(*platform_, case_id, courier, options);
  }

  Result<std::vector<audit::Entry>> AuditEntries() {
    return audit::AuditLog(platform_->sql(), key_).List(0, 100000);
  }

 private:
  const World& world_;
  std::string dir_;
  std::unique_ptr<store::Store> all_, platform_;
  std::vector<std::unique_ptr<store::Store>> bank_stores_;
  std::vector<std::unique_ptr<bank::Desk>> desks_;
  audit::Key key_ = audit::Key::FromBytes({});
};

std::string TestDir(const std::string& name) { return testing::TempDir() + "/walk_test_" + name; }

TEST(Walk, GivesTheAnswerOfATraceOverEveryBanksTransfersForEveryPolicy) {
  int walks = 0, with_statements = 0;
  for (uint32_t seed = 1; seed <= 30; ++seed) {
    World w = MakeWorld(seed, 12, 60);
    SplitWorld split(w, TestDir("random_" + std::to_string(seed)));
    for (trace::Policy policy : {trace::Policy::kFifo, trace::Policy::kLifo,
                                 trace::Policy::kHaircut, trace::Policy::kPoison}) {
      for (const auto& [case_id, payments] : w.cases) {
        trace::Options options;
        options.policy = policy;
        options.max_hops = 1 + static_cast<int>(seed % 8);
        trace::Answer central = split.Central(case_id, options);
        Result<Answer> walked = split.Federated(case_id, options);
        ASSERT_TRUE(walked.ok()) << walked.status().message();
        EXPECT_TRUE(walked->gaps.empty()) << "seed " << seed << " " << case_id;
        EXPECT_EQ(trace::ToJson(walked->trace, case_id).dump(1),
                  trace::ToJson(central, case_id).dump(1))
            << "seed " << seed << ", " << case_id << ", " << trace::Name(policy) << ", "
            << options.max_hops << " hops";
        ++walks;
        with_statements += walked->progress.answered > 0;
      }
    }
  }
  EXPECT_GT(with_statements, walks / 2) << "most walks needed statements";
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

TEST(Walk, ABusyAccountsStatementComesInPartsAndTheWalkUsesThemAll) {
  World w = Chain();
  // M1 is an everyday card: 6,000 small deposits after the money arrived, more than one answer
  // holds (5,000 rows), then it pays on.
  for (int i = 0; i < 6000; ++i) {
    w.transfers.push_back({"D" + std::to_string(100000 + i), "", Number(1),
                           kStart + 60000LL * 5 + 1 + i, 100, "deposit"});
  }
  w.transfers.push_back({"P9", Number(1), Number(3), kStart + 60000LL * 20, 900000});
  w.last = kStart + 60000LL * 20;
  SplitWorld split(w, TestDir("busy"));
  for (trace::Policy policy : {trace::Policy::kFifo, trace::Policy::kHaircut}) {
    trace::Options options;
    options.policy = policy;
    Result<Answer> a = split.Federated("CASE0", options);
    ASSERT_TRUE(a.ok()) << a.status().message();
    EXPECT_TRUE(a->gaps.empty());
    EXPECT_EQ(trace::ToJson(a->trace, "CASE0").dump(),
              trace::ToJson(split.Central("CASE0", options), "CASE0").dump())
        << trace::Name(policy);
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
