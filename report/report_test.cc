// Statistics, the daily report and advisories on a small generated world.
#include "report/report.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <map>

#include "dispatch/dispatch.h"
#include "freeze/freeze.h"
#include "gen/gen.h"
#include "import/import.h"
#include "ledger/ledger.h"
#include "takedown/takedown.h"
#include "tests/support/postgres_server.h"
#include "trace/trace.h"
#include "warn/store_io.h"

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
    store_ = std::move(store::Store::Open(test_support::StoreLocation((dir_ / "w.db").string())))
                 .value();
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
    AddOrdersAndWarnings();
  }
  // Freeze orders of the first cases, executed (one of them returned), and a few warnings: so that
  // every column of a breakdown has records behind it.
  static void AddOrdersAndWarnings() {
    auto ledger = std::move(ledger::Ledger::Load(*store_)).value();
    freeze::OrderBook orders(store_->sql());
    int executed = 0;
    ASSERT_TRUE(
        store_
            ->ForEachCaseHeader([&](const Case& header) {
              if (executed >= 6) return;
              auto c = std::move(store_->GetCase(header.id)).value();
              auto seeds = trace::SeedsOfCase(*ledger, *c);
              if (!seeds.ok()) return;
              auto answer = std::move(trace::Trace(*ledger, *seeds, {})).value();
              freeze::Plan plan = freeze::MakePlan(*ledger, answer, c->id);
              if (plan.items.empty()) return;
              auto drafted = std::move(orders.Draft(plan, {}, kStart)).value();
              for (const auto& d : drafted) {
                const int64_t id = d.order.id;
                ASSERT_TRUE(orders.Move(id, freeze::OrderStatus::kSent, {}, "", kStart).ok());
                ASSERT_TRUE(
                    orders.Move(id, freeze::OrderStatus::kExecuted, d.order.requested, "", kStart)
                        .ok());
                if (executed == 0) {
                  ASSERT_TRUE(orders.Move(id, freeze::OrderStatus::kReturned, {}, "", kStart).ok());
                }
                ++executed;
              }
            })
            .ok());
    ASSERT_GT(executed, 0);
    for (int i = 0; i < 5; ++i) {
      warn::Warning w;
      w.id = "W" + std::to_string(i);
      w.revision = 1;
      w.person = "+8613800000" + std::to_string(100 + i);
      w.region = i % 2 ? "330102" : "450203";
      w.category = i % 3 ? "refund" : "investment";
      w.first_event_at = w.last_event_at = kStart + i * 86400000LL;
      ASSERT_TRUE(warn::SaveWarning(store_->sql(), w, "{}", kStart).ok());
    }
  }
  static void TearDownTestSuite() {
    store_.reset();
    fs::remove_all(dir_);
  }
  static constexpr Millis kStart = 1580486400000;  // the generator's default start
  static constexpr Millis kLater = kStart + 60LL * 86400000;
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

// The plain reference: every figure as one query over the tables (what Breakdown computed before
// it asked the modules), summed per key in the test.
std::map<std::string, Row> ByQueries(store::SqlDatabase& db, Dimension by, Millis now) {
  std::map<std::string, Row> rows;
  auto key = [&](const store::SqlStatement& s) {
    if (by == Dimension::kDay) return FormatDate(s.ColumnInt64(0));
    if (by == Dimension::kRegion) {
      std::string r = s.ColumnString(1);
      return r.empty() ? std::string("unknown") : dispatch::CityLevel(r);
    }
    std::string c = s.ColumnString(2);
    return c.empty() ? std::string("other") : c;
  };
  auto each = [&](const char* sql,
                  const std::function<void(const store::SqlStatement&, Row&)>& fn) {
    auto s = std::move(db.Prepare(sql)).value();
    while (*s->Step()) {
      Row& r = rows[key(*s)];
      r.key = key(*s);
      fn(*s, r);
    }
  };
  each("SELECT reported_at, region, category, COALESCE(loss, 0) FROM cases",
       [](const auto& s, Row& r) { ++r.cases, r.loss += s.ColumnInt64(3); });
  each(
      "SELECT reported_at, region, category FROM cases WHERE id IN (SELECT lc.case_id FROM "
      "lead_cases lc WHERE lc.lead_id IN (SELECT lead_id FROM lead_cases GROUP BY lead_id "
      "HAVING COUNT(*) > 1))",
      [](const auto&, Row& r) { ++r.linked; });
  each(
      "SELECT c.reported_at, c.region, c.category, f.amount_frozen, f.status FROM "
      "freeze_orders f JOIN cases c ON c.id = f.case_id",
      [](const auto& s, Row& r) {
        r.frozen += s.ColumnInt64(3);
        if (s.ColumnText(4) == "returned") r.returned += s.ColumnInt64(3);
      });
  each("SELECT pushed_at, jurisdiction, category, status, deadline_at, arrests, solved FROM leads",
       [&](const auto& s, Row& r) {
         ++r.leads_pushed;
         const bool open = s.ColumnText(3) == "pushed";
         r.leads_answered += !open;
         r.leads_overdue += open && now >= s.ColumnInt64(4);
         r.arrests += s.ColumnInt64(5), r.solved += s.ColumnInt64(6);
       });
  each("SELECT first_event_at, region, category FROM warnings",
       [](const auto&, Row& r) { ++r.warnings; });
  each("SELECT created_at, region, category FROM takedowns",
       [](const auto&, Row& r) { ++r.takedowns; });
  return rows;
}

TEST_F(ReportTest, EveryFigureIsWhatAPlainQueryOfItsTableGives) {
  for (Dimension by : {Dimension::kDay, Dimension::kRegion, Dimension::kCategory}) {
    std::map<std::string, Row> expected = ByQueries(store_->sql(), by, kLater);
    auto rows = Breakdown(*store_, by, kLater);
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    ASSERT_EQ(rows->size(), expected.size());
    Fen frozen = 0, returned = 0;
    int64_t warnings = 0;
    for (const Row& r : *rows) {
      ASSERT_TRUE(expected.count(r.key)) << r.key;
      EXPECT_EQ(ToJson(std::vector<Row>{r}), ToJson(std::vector<Row>{expected[r.key]})) << r.key;
      frozen += r.frozen, returned += r.returned, warnings += r.warnings;
    }
    EXPECT_GT(frozen, 0);  // the comparison covers every column
    EXPECT_GT(returned, 0);
    EXPECT_EQ(warnings, 5);
  }
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
  // In Chinese by default, in English or in both when asked.
  EXPECT_NE(html->find("<h1>反诈日报 "), std::string::npos);
  EXPECT_NE(html->find("<td>接报案件</td>"), std::string::npos);
  EXPECT_NE(html->find("<th>冻结</th>"), std::string::npos);
  EXPECT_EQ(html->find("this day"), std::string::npos);
  auto en = DailyReport(*store_, "", kLater, {}, Lang::kEn);
  ASSERT_TRUE(en.ok());
  EXPECT_NE(en->find("<h1>Daily report "), std::string::npos);
  EXPECT_EQ(en->find("当日"), std::string::npos);
  auto both = DailyReport(*store_, "", kLater, {}, Lang::kBoth);
  ASSERT_TRUE(both.ok());
  EXPECT_NE(both->find("当日 this day"), std::string::npos);
}

TEST_F(ReportTest, AdvisoriesCarryNoPersonalDataOfAnyCase) {
  auto md = Advisories(*store_, 30);
  ASSERT_TRUE(md.ok()) << md.status().ToString();
  EXPECT_NE(md->find("本期共接报诈骗"), std::string::npos);  // for the public: in Chinese
  EXPECT_NE(md->find("作案手法："), std::string::npos);
  EXPECT_EQ(md->find("How it goes"), std::string::npos);
  auto en = Advisories(*store_, 30, Lang::kEn);
  ASSERT_TRUE(en.ok());
  EXPECT_NE(en->find("How it goes: "), std::string::npos);
  EXPECT_EQ(en->find("作案手法"), std::string::npos);
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
