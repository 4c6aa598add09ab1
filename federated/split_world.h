// Random worlds split by institution as the banks hold them, for the tests of the federated trace
// (test code only): each bank's store has its own accounts and every transfer where one of them
// pays or is paid (an inter-bank transfer is in both); the platform holds the account registry,
// the reports and the victims' payments, nothing else; one more store holds everything, for the
// trace the federated one must equal.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <set>

#include "bank/bank.h"
#include "federated/courier.h"
#include "federated/walk.h"
#include "import/import.h"
#include "ledger/ledger.h"

namespace fanzha::federated::testing_support {

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

inline std::string Bank(int b) { return "BANK" + std::to_string(b); }
inline std::string Number(int i) { return "62220" + std::to_string(100000 + i); }

inline World MakeWorld(uint32_t seed, int max_accounts, int max_transfers) {
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

inline void WriteAccounts(const std::string& path, const std::vector<Account>& accounts) {
  std::ofstream out(path);
  out << "account,holder,institution,region,kind,opening_balance\n";
  for (const Account& a : accounts) {
    out << a.id << "," << a.holder << "," << a.institution << ",330100," << Name(a.kind) << ","
        << FormatMoney(a.opening_balance) << "\n";
  }
}

inline void WriteTransfers(const std::string& path, const std::vector<Row>& rows) {
  std::ofstream out(path);
  out << "id,time,from,to,amount,channel,memo\n";
  for (const Row& t : rows) {
    out << t.id << "," << FormatTime(t.time) << "," << t.from << "," << t.to << ","
        << FormatMoney(t.amount) << "," << t.channel << ",\n";
  }
}

inline std::unique_ptr<store::Store> Imported(const std::string& db,
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
    return WalkWith(courier, case_id, trace_options, adjust);
  }

  // Walks with the given courier (a platform over NATS).
  Result<Answer> WalkWith(Courier& courier, const std::string& case_id,
                          trace::Options trace_options,
                          const std::function<void(Options&)>& adjust = nullptr) {
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

  // Every bank answers a statement with at most `rows` postings, the rest left to another query.
  void PageStatements(int64_t rows) {
    for (auto& d : desks_) d->set_statement_rows(rows);
  }

  std::string bank_db(int b) const { return dir_ + "/" + Bank(b) + "/bank.db"; }
  std::string platform_db() const { return dir_ + "/platform.db"; }
  const audit::Key& key() const { return key_; }

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

}  // namespace fanzha::federated::testing_support
