#include "app/stats.h"

#include <gtest/gtest.h>

#include "import/store_fixture.h"

namespace fanzha::app {
namespace {

using StatisticsTest = import::StoreFixture;

constexpr Millis kNow = 1583024400000;  // 2020-03-01T09:00:00+08:00

TEST_F(StatisticsTest, AnEmptyStoreCountsNothingAndHasNoTimeSpan) {
  auto doc = Statistics(*store_, kNow);
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  EXPECT_EQ((*doc)["accounts"], 0);
  EXPECT_EQ((*doc)["transfers"], 0);
  EXPECT_EQ((*doc)["transfer_volume"], "0.00");
  EXPECT_FALSE(doc->contains("first_transfer"));
  EXPECT_FALSE(doc->contains("transfers_in_other_currencies"));
  EXPECT_EQ((*doc)["link"]["clusters"], 0);
  EXPECT_EQ((*doc)["freeze"]["orders"], 0);
  EXPECT_TRUE((*doc)["freeze_orders"].empty());
  EXPECT_EQ((*doc)["warnings"]["saved"], "0.00");
  EXPECT_EQ((*doc)["leads"]["leads"], 0);
  EXPECT_TRUE((*doc)["takedowns"].empty());
}

TEST_F(StatisticsTest, TheVolumeAndTimeSpanAreThoseOfTheTransfers) {
  std::string accounts = Write("accounts.csv",
                               "account,holder,institution,region,kind,opening_balance\n"
                               "6217000000000001,张三,ICBC,330100,personal,0\n"
                               "6217000000000002,李四,ABC,330100,corporate,0\n");
  std::string transfers =
      Write("transfers.csv",
            "id,time,from,to,amount,channel,memo\n"
            "T1,2020-02-08T09:00:00+08:00,6217000000000001,6217000000000002,100.50,transfer,\n"
            "T2,2020-02-09T10:00:00+08:00,6217000000000002,6217000000000003,20.00,transfer,\n");
  import::Outcome out = Run({accounts, transfers});
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  auto doc = Statistics(*store_, kNow);
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  EXPECT_EQ((*doc)["transfers"], 2);
  EXPECT_EQ((*doc)["accounts"], 3);
  EXPECT_EQ((*doc)["accounts_only_in_transfers"], 1) << "the third account is only a payee";
  EXPECT_EQ((*doc)["accounts_by_kind"]["corporate"], 1);
  EXPECT_EQ((*doc)["transfer_volume"], "120.50");
  EXPECT_EQ((*doc)["first_transfer"], "2020-02-08T09:00:00+08:00");
  EXPECT_EQ((*doc)["last_transfer"], "2020-02-09T10:00:00+08:00");
  EXPECT_FALSE(doc->contains("transfers_in_other_currencies"))
      << "everything read from CSV is in yuan";
}

TEST_F(StatisticsTest, TheKeysComeInTheDocumentedOrder) {
  auto doc = Statistics(*store_, kNow);
  ASSERT_TRUE(doc.ok());
  std::vector<std::string> keys;
  for (const auto& [key, value] : doc->items()) keys.push_back(key);
  std::vector<std::string> expected = {"accounts",
                                       "transfers",
                                       "cases",
                                       "identifiers",
                                       "transfer_volume",
                                       "accounts_by_kind",
                                       "accounts_only_in_transfers",
                                       "identifiers_by_type",
                                       "statement_postings",
                                       "link",
                                       "freeze",
                                       "freeze_orders",
                                       "warnings",
                                       "leads",
                                       "takedowns",
                                       "stages"};
  EXPECT_EQ(keys, expected);
}

}  // namespace
}  // namespace fanzha::app
