// Statistics, the daily report and advisories on a small generated world.
#include "report/report.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "dispatch/dispatch.h"
#include "gen/gen.h"
#include "import/import.h"
#include "takedown/takedown.h"

namespace fanzha::report {
namespace {

namespace fs = std::filesystem;

class ReportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("fanzha_report_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    gen::GenOptions go;
    go.out_dir = dir_.string();
    go.transfers = 30000;
    go.cases = 150;
    go.events = 0;
    ASSERT_TRUE(gen::GenerateWorld(go).ok());
    store_ = std::move(store::Store::OpenSqlite((dir_ / "w.db").string())).value();
    import::Options io;
    io.progress = false;
    ASSERT_TRUE(
        import::ImportFiles(*store_,
                            {(dir_ / "accounts.csv").string(), (dir_ / "transfers.csv").string(),
                             (dir_ / "cases.jsonl").string()},
                            io)
            .status.ok());
    auto leads = dispatch::MakeLeads(*store_, {});
    ASSERT_TRUE(leads.ok());
    dispatch::LeadBook book(store_->sql());
    ASSERT_TRUE(book.Dispatch(*leads, go.start).ok());
    ASSERT_TRUE(book.Feedback(1, {dispatch::LeadStatus::kClosed, 4, 3, 100000, ""}, go.start).ok());
    takedown::TakedownBook takedowns(store_->sql());
    ASSERT_TRUE(takedowns.FromLeads(*book.List({}, go.start), go.start).ok());
  }
  static void TearDownTestSuite() {
    store_.reset();
    fs::remove_all(dir_);
  }
  static constexpr Millis kLater = 1580486400000 + 60LL * 86400000;
  static inline fs::path dir_;
  static inline std::unique_ptr<store::Store> store_;
};

TEST_F(ReportTest, EveryBreakdownAddsUpToTheSameTotals) {
  for (Dimension by : {Dimension::kDay, Dimension::kRegion, Dimension::kCategory}) {
    auto rows = Breakdown(*store_, by, kLater);
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    int64_t cases = 0, leads = 0, arrests = 0, takedowns = 0, overdue = 0, linked = 0;
    for (const Row& r : *rows) {
      cases += r.cases, leads += r.leads_pushed, arrests += r.arrests, takedowns += r.takedowns;
      overdue += r.leads_overdue, linked += r.linked;
    }
    EXPECT_EQ(cases, 150);
    EXPECT_GT(leads, 5);
    EXPECT_EQ(overdue, leads - 1);  // all but the closed one, 60 days on
    EXPECT_EQ(arrests, 4);
    EXPECT_GT(takedowns, 0);
    EXPECT_GT(linked, 0);
  }
  EXPECT_TRUE(
      ToCsv(*Breakdown(*store_, Dimension::kDay, kLater)).starts_with("key,cases,linked,loss"));
}

TEST_F(ReportTest, AProvinceCountsOnlyTheRecordsOfItsCities) {
  std::string province;
  int64_t its_cases = 0;
  ASSERT_TRUE(store_
                  ->ForEachCase([&](const Case& c) {
                    if (province.empty() && c.region.size() == 6)
                      province = c.region.substr(0, 2) + "0000";
                    its_cases += !province.empty() && c.region.starts_with(province.substr(0, 2));
                  })
                  .ok());
  ASSERT_FALSE(province.empty());
  auto by_region = Breakdown(*store_, Dimension::kRegion, kLater, province);
  ASSERT_TRUE(by_region.ok()) << by_region.status().ToString();
  int64_t cases = 0;
  for (const Row& r : *by_region) {
    EXPECT_TRUE(r.key.starts_with(province.substr(0, 2))) << r.key << " is outside " << province;
    cases += r.cases;
  }
  EXPECT_EQ(cases, its_cases);
  int64_t by_day = 0;
  auto days = Breakdown(*store_, Dimension::kDay, kLater, province);  // alive through the loop
  ASSERT_TRUE(days.ok());
  for (const Row& r : *days) by_day += r.cases;
  EXPECT_EQ(by_day, its_cases);
}

TEST_F(ReportTest, TheDailyFiguresAreTheDaysRowAndTheTotalsToIt) {
  auto rows = *Breakdown(*store_, Dimension::kDay, kLater);
  auto daily = DailyFigures(*store_, "", kLater);
  ASSERT_TRUE(daily.ok()) << daily.status().ToString();
  const Row* last = nullptr;
  for (const Row& r : rows) last = r.cases > 0 ? &r : last;
  EXPECT_EQ(daily->day, last->key);  // the last day with a case
  EXPECT_EQ(daily->figures.cases, last->cases);
  EXPECT_EQ(daily->to_date.cases, 150);
  auto first = DailyFigures(*store_, rows.front().key, kLater);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->to_date.cases, rows.front().cases);
  EXPECT_EQ(ToJson(*first)["figures"]["cases"], rows.front().cases);
  auto bad = DailyFigures(*store_, "2020-02-30", kLater);
  EXPECT_EQ(bad.status().code(), ErrorCode::kInvalidInput);
  EXPECT_TRUE(bad.status().message().starts_with("day: ")) << bad.status().message();
}

TEST_F(ReportTest, TheDailyReportIsOnePageWithItsChart) {
  auto html = DailyReport(*store_, "", kLater);
  ASSERT_TRUE(html.ok()) << html.status().ToString();
  EXPECT_TRUE(html->starts_with("<!DOCTYPE html>"));
  EXPECT_NE(html->find("<svg"), std::string::npos);
  EXPECT_EQ(html->find("http://"), html->find("http://www.w3.org/2000/svg"));  // no network
  EXPECT_EQ(html->find("https://"), std::string::npos);
}

TEST_F(ReportTest, AdvisoriesCarryNoPersonalDataOfAnyCase) {
  auto md = Advisories(*store_, 30);
  ASSERT_TRUE(md.ok()) << md.status().ToString();
  EXPECT_NE(md->find("reports"), std::string::npos);
  int64_t checked = 0;
  ASSERT_TRUE(
      store_
          ->ForEachCase([&](const Case& c) {
            std::vector<std::string> personal = {c.victim.name, c.victim.phone, c.victim.account};
            for (const Identifier& i : c.identifiers)
              personal.push_back(i.value), personal.push_back(i.raw);
            for (const std::string& p : personal) {
              if (p.size() < 4)
                continue;  // nothing personal is that short; avoids matching punctuation
              EXPECT_EQ(md->find(p), std::string::npos) << c.id << " leaks " << p;
              std::string digits = p.starts_with("+86") ? p.substr(3) : p;
              EXPECT_EQ(md->find(digits), std::string::npos) << c.id << " leaks " << digits;
              ++checked;
            }
          })
          .ok());
  EXPECT_GT(checked, 300);
}

}  // namespace
}  // namespace fanzha::report
