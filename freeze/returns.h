// Returns of frozen money to the victims (返还), step by step, by the rules of 2016 (电信网络新型
// 违法犯罪案件冻结资金返还若干规定): PlanReturn() (freeze.h) says who gets what; a ReturnBook
// records the return and each of its steps until the money is back:
//
//   planned -> returned                       (one victim's money, or lots that identify each)
//   planned -> noticed -> (30 days) -> returned   (pro rata: mixed money goes back only after a
//                                                   30-day public notice, so that other victims
//                                                   can come forward)
//
// Completing a return marks the executed orders whose money it returns `returned`.
// Tables freeze_returns and freeze_return_events (migration 11). Threads: thread-compatible, like
// the SqlDatabase. Errors: kNotFound (no such return), kConflict (a step the rules refuse, naming
// the day the notice ends), kInvalidInput.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "freeze/freeze.h"

namespace fanzha::freeze {

inline constexpr Millis kReturnNotice = 30LL * 24 * 3600 * 1000;

enum class ReturnStep { kPlanned, kNoticed, kReturned };
std::string_view Name(ReturnStep s);  // "planned" | "noticed" | "returned"

// Whether the plan's money may go back only after a public notice (pro rata by loss).
bool NeedsNotice(const ReturnPlan& plan);

struct StoredReturn {
  int64_t id = 0;
  ReturnPlan plan;
  std::vector<int64_t> orders;  // the executed orders whose frozen money this returns
  ReturnStep step = ReturnStep::kPlanned;
  Millis notice_at = 0;       // when the public notice was published
  Millis notice_ends_at = 0;  // the earliest the money may go back
  Millis returned_at = 0;
  Millis created_at = 0;
  Millis updated_at = 0;
};

struct ReturnEvent {
  int seq = 0;
  Millis at = 0;
  std::string step;
  std::string note;
};

class ReturnBook {
 public:
  explicit ReturnBook(store::SqlDatabase& db) : db_(db) {}

  // Records a planned return of `plan` over `orders` (executed orders at plan.account). kConflict
  // when a return of that account is open (planned or noticed) or an order is not executed.
  Result<StoredReturn> Record(const ReturnPlan& plan, const std::vector<int64_t>& orders,
                              Millis now);
  // Publishes the public notice of a pro-rata return: planned -> noticed, the money may go back
  // 30 days later. kConflict for a return that needs no notice or is past this step.
  Result<StoredReturn> Notice(int64_t id, const std::string& note, Millis now);
  // The money went back: -> returned, and its orders `returned`. A pro-rata return must have been
  // noticed and its 30 days over (kConflict naming the day otherwise).
  Result<StoredReturn> Complete(int64_t id, const std::string& note, Millis now);

  Result<std::optional<StoredReturn>> Get(int64_t id);
  // Every return, or those of one account, by id.
  Result<std::vector<StoredReturn>> List(const std::string& account);
  Result<std::vector<ReturnEvent>> History(int64_t id);

 private:
  Result<StoredReturn> Require(int64_t id);
  Status Log(int64_t id, Millis at, ReturnStep step, const std::string& note);
  Status Save(const StoredReturn& r);
  store::SqlDatabase& db_;
};

// {"account", "frozen", "rule", "explanation", "shares": [{"case", "amount"}]}, money in yuan.
nlohmann::ordered_json ToJson(const ReturnPlan& plan);
// {"id"}, the plan's keys, then the return's: orders, step, needs_notice, its times.
nlohmann::ordered_json ToJson(const StoredReturn& r);

}  // namespace fanzha::freeze
