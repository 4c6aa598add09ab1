// A world split by institution: on a generated world of 20 banks, the banks' transfers together
// are the world's, a transfer between two banks is in both, each bank holds its own accounts and
// the platform the whole registry and the reports; on a small hand-made world, what goes to no
// bank and every refusal.
#include "bank/split.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/csv.h"
#include "gen/gen.h"
#include "interchange/messages.h"

namespace fanzha::bank {
namespace {

namespace fs = std::filesystem;
using Row = std::vector<std::string>;

std::vector<Row> ReadRows(const std::string& path) {
  auto reader = CsvReader::Open(path);
  EXPECT_TRUE(reader.ok()) << reader.status().message();
  std::vector<Row> rows;
  if (!reader.ok()) return rows;
  std::vector<std::string_view> fields;
  while ((*reader)->Next(&fields)) rows.emplace_back(fields.begin(), fields.end());
  EXPECT_TRUE((*reader)->status().ok()) << (*reader)->status().message();
  return rows;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string TempDir(const std::string& name) {
  std::string dir = testing::TempDir() + "/split_test_" + name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string Token(const std::string& institution) {
  return interchange::InstitutionToken(institution).value();
}

TEST(SplitWorld, TheBanksTransfersTogetherAreTheWorldsAndEachBankHoldsItsOwnAccounts) {
  const std::string dir = TempDir("generated");
  gen::GenOptions g;
  g.out_dir = dir + "/world";
  g.transfers = 5000;
  g.cases = 20;
  g.days = 5;
  g.banks = 20;
  auto generated = gen::GenerateWorld(g);
  ASSERT_TRUE(generated.ok()) << generated.status().message();
  Result<SplitSummary> split = SplitWorld({dir + "/world", dir + "/out"});
  ASSERT_TRUE(split.ok()) << split.status().message();

  // Which institution holds each account, from the world's accounts.csv.
  const std::vector<Row> accounts = ReadRows(dir + "/world/accounts.csv");
  std::map<std::string, std::string> institution_of;
  for (size_t i = 1; i < accounts.size(); ++i) institution_of[accounts[i][0]] = accounts[i][2];
  const std::vector<Row> transfers = ReadRows(dir + "/world/transfers.csv");
  EXPECT_EQ(split->accounts, static_cast<int64_t>(accounts.size() - 1));
  EXPECT_EQ(split->transfers, static_cast<int64_t>(transfers.size() - 1));
  EXPECT_GE(split->banks.size(), 20u) << "20 banks hold cards, besides platforms and merchants";

  std::map<Row, int> copies;  // transfer row -> in how many banks' files
  int64_t accounts_in_banks = 0;
  for (const BankShare& bank : split->banks) {
    SCOPED_TRACE(bank.institution);
    EXPECT_EQ(bank.token, Token(bank.institution));
    const std::string folder = dir + "/out/" + bank.token;
    const std::vector<Row> own = ReadRows(folder + "/accounts.csv");
    ASSERT_FALSE(own.empty());
    EXPECT_EQ(own[0], accounts[0]) << "the header as in the world";
    EXPECT_EQ(bank.accounts, static_cast<int64_t>(own.size() - 1));
    std::set<std::string> mine;
    for (size_t i = 1; i < own.size(); ++i) {
      EXPECT_EQ(own[i][2], bank.institution) << own[i][0];
      EXPECT_NE(std::find(accounts.begin(), accounts.end(), own[i]), accounts.end());
      mine.insert(own[i][0]);
    }
    accounts_in_banks += bank.accounts;
    const std::vector<Row> held = ReadRows(folder + "/transfers.csv");
    ASSERT_FALSE(held.empty());
    EXPECT_EQ(held[0], transfers[0]);
    EXPECT_EQ(bank.transfers, static_cast<int64_t>(held.size() - 1));
    for (size_t i = 1; i < held.size(); ++i) {
      EXPECT_TRUE(mine.count(held[i][2]) || mine.count(held[i][3]))
          << held[i][0] << ": neither account is the bank's";
      ++copies[held[i]];
    }
  }
  EXPECT_EQ(accounts_in_banks, split->accounts) << "every account of a world has its institution";

  // The union is the world, each transfer once per bank of its accounts.
  int64_t interbank = 0;
  for (size_t i = 1; i < transfers.size(); ++i) {
    const Row& t = transfers[i];
    std::set<std::string> banks;
    for (const std::string& account : {t[2], t[3]})
      if (!account.empty()) banks.insert(institution_of.at(account));
    EXPECT_EQ(copies[t], static_cast<int>(banks.size())) << t[0];
    interbank += banks.size() == 2;
  }
  EXPECT_EQ(copies.size(), transfers.size() - 1) << "no row the world does not have";
  EXPECT_GT(interbank, 0);
  EXPECT_EQ(split->interbank, interbank);
  EXPECT_EQ(split->unknown_account, 0);
  EXPECT_EQ(split->to_no_bank, 0);

  // The platform: the registry and the reports as they are, and the victims' payments they name.
  EXPECT_EQ(Slurp(dir + "/out/platform/accounts.csv"), Slurp(dir + "/world/accounts.csv"));
  EXPECT_EQ(Slurp(dir + "/out/platform/cases.jsonl"), Slurp(dir + "/world/cases.jsonl"));
  std::set<std::string> named;
  {
    std::ifstream cases(dir + "/world/cases.jsonl");
    for (std::string line; std::getline(cases, line);) {
      const nlohmann::json c = nlohmann::json::parse(line);
      for (const auto& id : c["transfers"]) named.insert(id);
    }
  }
  const std::vector<Row> reported = ReadRows(dir + "/out/platform/transfers.csv");
  ASSERT_FALSE(reported.empty());
  EXPECT_EQ(reported[0], transfers[0]);
  std::set<std::string> brought;
  for (size_t i = 1; i < reported.size(); ++i) {
    EXPECT_NE(std::find(transfers.begin(), transfers.end(), reported[i]), transfers.end());
    brought.insert(reported[i][0]);
  }
  EXPECT_EQ(brought, named) << "every payment a report names, nothing else";
  EXPECT_EQ(split->reported_payments, static_cast<int64_t>(named.size()));
}

// A small world of two banks, written by hand.
class SmallWorld : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir(testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_ + "/world");
    Write("accounts.csv",
          "institution,account,holder,region,kind,opening_balance,note\n"
          "ICBC,6222 0000 0000 0001,王某,330100,personal,0,\"a, quoted \"\"note\"\"\"\n"
          "中国农业银行,6228000000000002,李某,330100,personal,10.00,\n"
          "中国农业银行,6228000000000003,赵某,330100,personal,0,\n"
          ",9999000000000004,钱某,330100,unknown,0,no institution\n");
    Write("transfers.csv",
          "id,time,from,to,amount,channel,memo,ip,device\n"
          "T1,2020-02-08T09:00:00+08:00,6228000000000002,6222000000000001,5.00,transfer,"
          "\"货款, 第一笔\",1.2.3.4,\n"
          "T2,2020-02-08T09:01:00+08:00,6222000000000001,,1.00,withdrawal,ATM,,\n"
          "T3,2020-02-08T09:02:00+08:00,6228000000000002,6228000000000003,1.00,transfer,,,\n"
          "T4,2020-02-08T09:03:00+08:00,6217000000000009,6228000000000003,2.00,transfer,,,\n"
          "T5,2020-02-08T09:04:00+08:00,6217000000000009,9999000000000004,3.00,transfer,,,\n"
          "T6,2020-02-08T09:05:00+08:00,,9999000000000004,3.00,deposit,,,\n");
    Write("cases.jsonl", "{\"id\":\"C1\"}\n");
  }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ + "/world/" + name, std::ios::binary) << text;
  }
  Result<SplitSummary> Split() { return SplitWorld({dir_ + "/world", dir_ + "/out"}); }
  std::vector<Row> Rows(const std::string& institution, const std::string& file) {
    return ReadRows(dir_ + "/out/" + Token(institution) + "/" + file);
  }
  std::string dir_;
};

TEST_F(SmallWorld, EachBankGetsItsAccountsAndTheTransfersTheyPayOrArePaid) {
  Result<SplitSummary> s = Split();
  ASSERT_TRUE(s.ok()) << s.status().message();
  ASSERT_EQ(s->banks.size(), 2u);
  EXPECT_EQ(s->banks[0].institution, "ICBC");  // by institution, in byte order
  EXPECT_EQ(s->banks[0].token, "ICBC");
  EXPECT_EQ(s->banks[0].accounts, 1);
  EXPECT_EQ(s->banks[0].transfers, 2);  // T1, T2
  EXPECT_EQ(s->banks[1].institution, "中国农业银行");
  EXPECT_EQ(s->banks[1].accounts, 2);
  EXPECT_EQ(s->banks[1].transfers, 3);  // T1, T3, T4
  EXPECT_EQ(s->accounts, 4);
  EXPECT_EQ(s->transfers, 6);
  EXPECT_EQ(s->interbank, 1);                     // T1
  EXPECT_EQ(s->accounts_without_institution, 1);  // 9999...
  EXPECT_EQ(s->unknown_account, 2);               // T4, T5 (6217... is not listed)
  EXPECT_EQ(s->to_no_bank, 2);                    // T5, T6: no account of theirs is a bank's

  // Rows as they were, header and extra columns kept, the quoted fields quoted again.
  const std::vector<Row> icbc = Rows("ICBC", "accounts.csv");
  ASSERT_EQ(icbc.size(), 2u);
  EXPECT_EQ(icbc[0],
            (Row{"institution", "account", "holder", "region", "kind", "opening_balance", "note"}));
  EXPECT_EQ(icbc[1][1], "6222 0000 0000 0001") << "written as read, matched normalised";
  EXPECT_EQ(icbc[1][6], "a, quoted \"note\"");
  const std::vector<Row> icbc_transfers = Rows("ICBC", "transfers.csv");
  ASSERT_EQ(icbc_transfers.size(), 3u);
  EXPECT_EQ(icbc_transfers[0].size(), 9u);
  EXPECT_EQ(icbc_transfers[1][0], "T1");
  EXPECT_EQ(icbc_transfers[1][6], "货款, 第一笔");
  EXPECT_EQ(icbc_transfers[1][7], "1.2.3.4");
  EXPECT_EQ(icbc_transfers[2][0], "T2");
  const std::vector<Row> abc = Rows("中国农业银行", "transfers.csv");
  ASSERT_EQ(abc.size(), 4u);
  EXPECT_EQ(abc[1], icbc_transfers[1]) << "an inter-bank transfer: the same row at both banks";
  EXPECT_EQ(abc[2][0], "T3") << "a transfer within one bank is written once";
  EXPECT_EQ(abc[3][0], "T4");
  EXPECT_EQ(Slurp(dir_ + "/out/platform/accounts.csv"), Slurp(dir_ + "/world/accounts.csv"));
}

TEST_F(SmallWorld, WhatCannotBeSplitIsRefusedNamingFileLineAndField) {
  struct Bad {
    std::string file, text, message, zh;
  };
  const std::string world = dir_ + "/world/";
  const Bad cases[] = {
      {"accounts.csv", "account,holder\n1,王某\n",
       world + "accounts.csv:1: missing column 'institution'", "缺少列“institution”"},
      {"accounts.csv", "account,institution\n1,ICBC\n2\n",
       world + "accounts.csv:3: the row has 1 fields, the header 2",
       "该行有 1 个字段，表头有 2 个"},
      {"accounts.csv", "account,institution\n6222-1,ICBC\n62221,CCB\n",
       world + "accounts.csv:3: institution: account 62221 is listed on line 2 with another "
               "institution",
       "在第 2 行属于另一机构"},
      {"accounts.csv", "account,institution\n1,platform\n",
       world + "accounts.csv:2: institution: 'platform' would share the platform's folder",
       "与平台的目录同名"},
      {"accounts.csv", "account,institution\n1," + std::string(65, 'A') + "\n",
       world + "accounts.csv:2: institution: institution 'AAAA", "机构名称须为 1 至 64 字节"},
      {"transfers.csv", "id,time,payer,to\n", world + "transfers.csv:1: missing column 'from'",
       "缺少列“from”"},
  };
  for (const Bad& bad : cases) {
    SetUp();
    Write(bad.file, bad.text);
    Status st = Split().status();
    EXPECT_EQ(st.code(), ErrorCode::kInvalidInput) << bad.text;
    EXPECT_EQ(st.message().rfind(bad.message, 0), 0u) << st.message();
    EXPECT_NE(st.zh().find(bad.zh), std::string::npos) << st.zh();
  }
  SetUp();
  fs::remove(dir_ + "/world/cases.jsonl");
  EXPECT_EQ(Split().status().code(), ErrorCode::kIoError);
}

}  // namespace
}  // namespace fanzha::bank
