// A case's path through the justice process and its clocks (stages.h), on a real store.
#include "casefile/stages.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>

#include "tests/support/postgres_server.h"

namespace fanzha::casefile::stages_test {
namespace {

namespace fs = std::filesystem;

constexpr Millis kDay = 24LL * 3600 * 1000;
constexpr Millis kT0 = 1581120000000;  // 2020-02-08T08:00:00+08:00, when the cases were reported

Suspect Named(const std::string& name, SuspectRole role, std::optional<Millis> detained_at) {
  Suspect s;
  s.case_id = "HZ1";
  s.name = name;
  s.role = role;
  s.detained_at = detained_at;
  return s;
}

class StagesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "/stages-" + std::to_string(::getpid()) + ".db";
    fs::remove(path_);
    store_ = std::move(store::Store::Open(test_support::StoreLocation(path_))).value();
    auto imp = std::move(store_->BeginImport()).value();
    for (const auto& [id, region] :
         {std::pair{"HZ1", "330100"}, {"HZ2", "330100"}, {"NN1", "450100"}}) {
      Case c;
      c.id = id;
      c.reported_at = kT0;
      c.region = region;
      c.category = "investment";
      ASSERT_TRUE(imp->PutCase(c).ok());
    }
    ASSERT_TRUE(imp->Commit().ok());
    imp.reset();
  }
  void TearDown() override {
    store_.reset();
    fs::remove(path_);
  }
  Status Move(const std::string& id, Stage to, Millis at, const std::string& doc = "DOC",
              const std::string& note = "") {
    return StageBook(*store_).Move(id, to, at, "officer", doc, note, at + 1).status();
  }
  CaseProcess Process(const std::string& id, Millis now) {
    Result<CaseProcess> p = StageBook(*store_).Process(id, now);
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return p.ok() ? *p : CaseProcess{};
  }
  std::string path_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(StagesTest, ACaseNoOneMovedIsReportedSinceItWasReported) {
  CaseProcess p = Process("HZ1", kT0 + kDay);
  EXPECT_EQ(p.stage, Stage::kReported);
  EXPECT_EQ(p.since, kT0);
  EXPECT_TRUE(p.moves.empty());
  EXPECT_TRUE(p.deadlines.empty());
  EXPECT_EQ(StageBook(*store_).Process("NOPE", kT0).status().code(), ErrorCode::kNotFound);
}

TEST_F(StagesTest, EveryMoveIsKeptWithWhoWhenAndTheDocument) {
  ASSERT_TRUE(Move("HZ1", Stage::kOpened, kT0 + kDay, "杭公立字〔2020〕118号").ok());
  ASSERT_TRUE(Move("HZ1", Stage::kInvestigating, kT0 + kDay, "").ok());  // needs no document
  ASSERT_TRUE(Move("HZ1", Stage::kArrestRequested, kT0 + 3 * kDay).ok());
  CaseProcess p = Process("HZ1", kT0 + 4 * kDay);
  ASSERT_EQ(p.moves.size(), 3u);
  EXPECT_EQ(p.moves[0].from, Stage::kReported);
  EXPECT_EQ(p.moves[0].document, "杭公立字〔2020〕118号");
  EXPECT_EQ(p.moves[0].by, "officer");
  EXPECT_EQ(p.stage, Stage::kArrestRequested);
  EXPECT_EQ(p.since, kT0 + 3 * kDay);
}

TEST_F(StagesTest, AMoveBackIsRecordedAsOneAndNeedsItsReason) {
  ASSERT_TRUE(Move("HZ1", Stage::kSentToProsecution, kT0 + kDay).ok());
  Status no_reason = Move("HZ1", Stage::kInvestigating, kT0 + 2 * kDay, "");
  EXPECT_EQ(no_reason.code(), ErrorCode::kInvalidInput);
  EXPECT_NE(no_reason.zh().find("退回"), std::string::npos);
  ASSERT_TRUE(Move("HZ1", Stage::kInvestigating, kT0 + 2 * kDay, "", "退回补充侦查").ok());
  CaseProcess p = Process("HZ1", kT0 + 3 * kDay);
  ASSERT_EQ(p.moves.size(), 2u);
  EXPECT_FALSE(p.moves[0].back);
  EXPECT_TRUE(p.moves[1].back);
  EXPECT_EQ(p.moves[1].note, "退回补充侦查");
  EXPECT_EQ(p.stage, Stage::kInvestigating);
}

TEST_F(StagesTest, MovesThatMakeNoSenseAreRefused) {
  EXPECT_EQ(Move("HZ1", Stage::kOpened, kT0 + kDay, "").code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(Move("HZ1", Stage::kReported, kT0 + kDay).code(), ErrorCode::kConflict);
  EXPECT_EQ(Move("NOPE", Stage::kOpened, kT0 + kDay).code(), ErrorCode::kNotFound);
  EXPECT_EQ(Move("HZ1", Stage::kOpened, kT0 - kDay).code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(StageBook(*store_)
                .Move("HZ1", Stage::kOpened, kT0 + 2 * kDay, "o", "D", "", kT0 + kDay)
                .status()
                .code(),
            ErrorCode::kInvalidInput);  // in the future
  ASSERT_TRUE(Move("HZ1", Stage::kClosed, kT0 + kDay, "撤案决定书 1").ok());
  EXPECT_EQ(Move("HZ1", Stage::kOpened, kT0 + 2 * kDay).code(), ErrorCode::kConflict);
  EXPECT_TRUE(Process("HZ1", kT0 + 3 * kDay).moves.size() == 1);
}

TEST_F(StagesTest, StagesAreNamedInEitherLanguage) {
  EXPECT_EQ(ParseStage("移送审查起诉").value(), Stage::kSentToProsecution);
  EXPECT_EQ(ParseStage("Arrest_Requested").value(), Stage::kArrestRequested);
  Result<Stage> bad = ParseStage("trial");
  EXPECT_NE(bad.status().message().find("sent_to_prosecution"), std::string::npos);
  EXPECT_NE(bad.status().zh().find("提起公诉"), std::string::npos);
  EXPECT_EQ(ParseSuspectRole("话务员").value(), SuspectRole::kCaller);
}

TEST_F(StagesTest, TheArrestDecisionClockRunsSevenDays) {
  ASSERT_TRUE(Move("HZ1", Stage::kArrestRequested, kT0 + kDay).ok());
  Deadline d = Process("HZ1", kT0 + 2 * kDay).deadlines.at(0);
  EXPECT_EQ(d.what, "arrest_decision");
  EXPECT_EQ(d.due, kT0 + 8 * kDay);
  EXPECT_FALSE(d.soon);
  EXPECT_TRUE(Process("HZ1", kT0 + 7 * kDay).deadlines.at(0).soon);  // the last quarter
  Deadline late = Process("HZ1", kT0 + 9 * kDay).deadlines.at(0);
  EXPECT_TRUE(late.overdue);
  EXPECT_FALSE(late.soon);
}

TEST_F(StagesTest, CustodyAndProsecutionCountCalendarMonths) {
  ASSERT_TRUE(Move("HZ1", Stage::kArrestApproved, kT0).ok());
  EXPECT_EQ(Process("HZ1", kT0 + kDay).deadlines.at(0).due, AddMonths(kT0, 2));
  ASSERT_TRUE(Move("HZ1", Stage::kSentToProsecution, kT0 + 10 * kDay).ok());
  Deadline d = Process("HZ1", kT0 + 11 * kDay).deadlines.at(0);
  EXPECT_EQ(d.what, "prosecution_review");
  EXPECT_EQ(d.due, AddMonths(kT0 + 10 * kDay, 1));
}

TEST_F(StagesTest, ADetainedSuspectsClockIsThirtyDaysInAGangAndSevenAlone) {
  Suspect organiser = Named("张某", SuspectRole::kOrganiser, kT0 + kDay);
  Suspect other = Named("李某", SuspectRole::kOther, kT0 + kDay);
  Suspect free = Named("王某", SuspectRole::kCaller, std::nullopt);
  for (Suspect s : {organiser, other, free})
    ASSERT_TRUE(StageBook(*store_).Attach(s, kT0 + 2 * kDay).ok());
  CaseProcess p = Process("HZ1", kT0 + 2 * kDay);
  ASSERT_EQ(p.suspects.size(), 3u);
  ASSERT_EQ(p.deadlines.size(), 2u);  // the free suspect has no clock
  EXPECT_EQ(p.deadlines[0].suspect, "张某");
  EXPECT_EQ(p.deadlines[0].due, kT0 + 31 * kDay);
  EXPECT_EQ(p.deadlines[1].due, kT0 + 8 * kDay);
  // Once the arrest is requested the detention clocks stop; the procuratorate's starts.
  ASSERT_TRUE(Move("HZ1", Stage::kArrestRequested, kT0 + 3 * kDay).ok());
  p = Process("HZ1", kT0 + 3 * kDay);
  ASSERT_EQ(p.deadlines.size(), 1u);
  EXPECT_EQ(p.deadlines[0].what, "arrest_decision");
  EXPECT_EQ(
      StageBook(*store_).Attach(Named(" ", SuspectRole::kOther, std::nullopt), kT0).status().code(),
      ErrorCode::kInvalidInput);
}

TEST_F(StagesTest, DueClocksListOverdueFirstThenSoonest) {
  ASSERT_TRUE(Move("HZ1", Stage::kArrestRequested, kT0).ok());             // due kT0 + 7 days
  ASSERT_TRUE(Move("HZ2", Stage::kArrestRequested, kT0 + 5 * kDay).ok());  // due kT0 + 12 days
  ASSERT_TRUE(Move("NN1", Stage::kOpened, kT0 + kDay).ok());               // no clock
  Result<std::vector<StageBook::DueClock>> due = StageBook(*store_).Due(kT0 + 10 * kDay + kDay / 2);
  ASSERT_TRUE(due.ok()) << due.status().ToString();
  ASSERT_EQ(due->size(), 2u);
  EXPECT_EQ((*due)[0].case_id, "HZ1");
  EXPECT_TRUE((*due)[0].deadline.overdue);
  EXPECT_EQ((*due)[1].case_id, "HZ2");
  EXPECT_TRUE((*due)[1].deadline.soon);
  EXPECT_TRUE(StageBook(*store_).Due(kT0 + 5 * kDay + 1)->empty());
}

TEST_F(StagesTest, FiguresSayHowLongCasesWaitAtEachStageByRegion) {
  ASSERT_TRUE(Move("HZ1", Stage::kOpened, kT0 + 2 * kDay).ok());
  ASSERT_TRUE(Move("HZ2", Stage::kOpened, kT0 + 4 * kDay).ok());
  ASSERT_TRUE(Move("HZ2", Stage::kArrestRequested, kT0 + 5 * kDay).ok());
  Result<std::vector<StageFigures>> figures = StageBook(*store_).Figures(kT0 + 20 * kDay);
  ASSERT_TRUE(figures.ok()) << figures.status().ToString();
  std::map<std::pair<std::string, Stage>, StageFigures> by;
  for (const auto& f : *figures) by[{f.region, f.stage}] = f;
  const StageFigures& reported = by[std::pair(std::string("330100"), Stage::kReported)];
  EXPECT_EQ(reported.passed, 2);
  EXPECT_EQ(reported.total_waited, 6 * kDay);  // 2 days and 4 days
  EXPECT_EQ(reported.cases_now, 0);
  EXPECT_EQ(by[std::pair(std::string("330100"), Stage::kOpened)].cases_now, 1);
  EXPECT_EQ(by[std::pair(std::string("330100"), Stage::kArrestRequested)].overdue_now,
            1);  // 15 days > 7
  EXPECT_EQ(by[std::pair(std::string("450100"), Stage::kReported)].cases_now, 1);
  EXPECT_EQ(by[std::pair(std::string("450100"), Stage::kReported)].longest_now, 20 * kDay);
}

}  // namespace
}  // namespace fanzha::casefile::stages_test
