// A case's path through the justice process (快侦快诉快判), its suspects and its legal clocks.
//
// Stages, in order: 受案 reported, 立案 opened, 侦查 investigating, 提请逮捕 arrest_requested,
// 批准逮捕 arrest_approved, 移送审查起诉 sent_to_prosecution, 提起公诉 prosecuted, 判决 verdict;
// and 撤案 closed (ended without a verdict) from any of them. A case no one has moved is at
// `reported` since it was reported. Every move is kept: who, when, on which document (required for
// every stage but investigating) and, for a move back (退回补充侦查, 不批准逮捕), why; a move back
// is recorded as one (`back`), never hidden by rewriting the history. Moving a case to the stage it
// is at is refused, as is moving a closed or judged case on.
//
// Clocks (the Criminal Procedure Law, 2018; docs/CASEFILE.md names the articles). A stage's clock
// runs from the move into it: arrest_requested: the procuratorate decides within 7 days (art. 91);
// arrest_approved: the investigation in custody ends within 2 months (art. 156);
// sent_to_prosecution: the decision to prosecute within 1 month, extendable by 15 days (art. 172);
// prosecuted: the verdict of first instance within 2 months, at most 3 (art. 208). A detained
// suspect's clock: the request for arrest within 3 days of detention, 7 when extended, 30 for a
// suspect acting in a gang (流窜作案、多次作案、结伙作案: art. 91); a suspect with a gang role is
// given 30, otherwise 7. A clock is due soon within its last quarter (at least a day), overdue
// after its end.
//
// Suspects of the case's gang (from the links) are attached with their role (organiser 组织者,
// recruiter 招募者, money mule 取款/转账人员, caller 话务员, technician 技术支持, other) and the
// time they were detained, if they were.
//
// Tables case_stage_moves and case_suspects (migration 16, casefile/schema/; casefile owns them).
// Thread-compatible, like the Store.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "store/store.h"

namespace fanzha::casefile {

enum class Stage {
  kReported,
  kOpened,
  kInvestigating,
  kArrestRequested,
  kArrestApproved,
  kSentToProsecution,
  kProsecuted,
  kVerdict,
  kClosed,
};
std::string_view Name(Stage s);         // "arrest_requested"
std::string_view ChineseName(Stage s);  // "提请逮捕"
// By name or Chinese name. kInvalidInput listing the stages.
Result<Stage> ParseStage(std::string_view text);

struct StageMove {
  int64_t seq = 0;  // 1, 2, ... per case
  std::string case_id;
  Stage from = Stage::kReported, to = Stage::kReported;
  Millis at = 0;         // when it happened (as the officer says; not after `recorded_at`)
  std::string by;        // who moved it
  std::string document;  // the document number (立案决定书 ...)
  std::string note;      // why; required for a move back
  bool back = false;     // to an earlier stage
  Millis recorded_at = 0;
};

enum class SuspectRole { kOrganiser, kRecruiter, kMule, kCaller, kTechnician, kOther };
std::string_view Name(SuspectRole r);
std::string_view ChineseName(SuspectRole r);
Result<SuspectRole> ParseSuspectRole(std::string_view text);

struct Suspect {
  int64_t seq = 0;  // 1, 2, ... per case
  std::string case_id;
  std::string name;
  std::string identifier;  // a phone, account or 身份证 number that ties the suspect to the gang
  SuspectRole role = SuspectRole::kOther;
  std::optional<Millis> detained_at;
  std::string by;
  Millis attached_at = 0;
};

// A legal clock that runs for the case now.
struct Deadline {
  std::string what;     // "arrest_decision", "custody_investigation", ...
  std::string what_zh;  // "检察院审查批准逮捕"
  std::string article;  // "刑事诉讼法第九十一条"
  Millis from = 0, due = 0;
  std::string suspect;   // the suspect a detention clock is about; "" for a stage's clock
  bool soon = false;     // in its last quarter (at least a day) before `due`
  bool overdue = false;  // past `due`
};

// Everything about a case's path: where it is, how it got there, who, and what is due.
struct CaseProcess {
  std::string case_id;
  Stage stage = Stage::kReported;
  Millis since = 0;  // when it entered `stage` (reported_at for a case never moved)
  std::vector<StageMove> moves;
  std::vector<Suspect> suspects;
  std::vector<Deadline> deadlines;
};
nlohmann::ordered_json ToJson(const CaseProcess& p);
nlohmann::ordered_json ToJson(const StageMove& m);
nlohmann::ordered_json ToJson(const Suspect& s);

// How long cases wait at each stage, per region: for the statistics.
struct StageFigures {
  std::string region;
  Stage stage = Stage::kReported;
  int64_t cases_now = 0;    // cases at this stage now
  int64_t passed = 0;       // stays at this stage that ended (the case moved on or back)
  Millis total_waited = 0;  // of those stays
  Millis longest_now = 0;   // the longest wait of the cases at this stage now
  int64_t overdue_now = 0;  // cases at this stage now with a clock past due
};

class StageBook {
 public:
  explicit StageBook(store::Store& store) : store_(store), db_(store.sql()) {}

  // Moves case `case_id` to `to` (see above). kNotFound for an unknown case; kInvalidInput for a
  // missing document or a move back without a note, or `at` after `now`; kConflict for a move to
  // the stage it is at or out of verdict/closed. Returns the move as stored.
  Result<StageMove> Move(const std::string& case_id, Stage to, Millis at, const std::string& by,
                         const std::string& document, const std::string& note, Millis now);
  // Attaches a suspect (kInvalidInput without a name; kNotFound for an unknown case).
  Result<Suspect> Attach(Suspect suspect, Millis now);
  // The case's path and its clocks at `now`. kNotFound for an unknown case.
  Result<CaseProcess> Process(const std::string& case_id, Millis now);
  // The clocks that are due soon or overdue at `now`, of every case, overdue first then soonest
  // due. O(cases moved or with suspects).
  struct DueClock {
    std::string case_id;
    Stage stage;
    Deadline deadline;
  };
  Result<std::vector<DueClock>> Due(Millis now);
  // Where every case that was ever moved stands at `now`: its stage, since when, and whether the
  // stage's own clock is past due. A case absent was never moved: it is at kReported since it was
  // reported. By case id; O(moves).
  struct Standing {
    Stage stage = Stage::kReported;
    Millis since = 0;
    bool overdue = false;
  };
  Result<std::map<std::string, Standing>> Standings(Millis now);
  // The figures of every region and stage that has a case, by region then stage. O(cases + moves).
  Result<std::vector<StageFigures>> Figures(Millis now);

 private:
  Result<std::vector<StageMove>> Moves(const std::string& case_id);
  Result<std::vector<Suspect>> Suspects(const std::string& case_id);
  store::Store& store_;
  store::SqlDatabase& db_;
};

}  // namespace fanzha::casefile
