#include "freeze/returns.h"

#include "core/names.h"

namespace fanzha::freeze {
namespace {

constexpr std::pair<std::string_view, ReturnStep> kSteps[] = {{"planned", ReturnStep::kPlanned},
                                                              {"noticed", ReturnStep::kNoticed},
                                                              {"returned", ReturnStep::kReturned}};

constexpr std::string_view kColumns =
    "id, account, rule, frozen, shares, orders, explanation, step, notice_at, notice_ends_at, "
    "returned_at, created_at, updated_at";

Result<StoredReturn> ReadReturn(const store::SqlStatement& s) {
  StoredReturn r;
  r.id = s.ColumnInt64(0);
  r.plan.account = s.ColumnString(1);
  r.plan.rule = s.ColumnString(2);
  r.plan.frozen = s.ColumnInt64(3);
  // Written by Save() below: [[case, fen], ...] and [order, ...].
  nlohmann::json shares = nlohmann::json::parse(s.ColumnText(4), nullptr, false);
  if (shares.is_array()) {
    for (const auto& sh : shares) {
      if (sh.is_array() && sh.size() == 2 && sh[0].is_string() && sh[1].is_number_integer()) {
        r.plan.shares.push_back(Share{sh[0].get<std::string>(), sh[1].get<Fen>()});
      }
    }
  }
  nlohmann::json orders = nlohmann::json::parse(s.ColumnText(5), nullptr, false);
  if (orders.is_array()) {
    for (const auto& o : orders) {
      if (o.is_number_integer()) r.orders.push_back(o.get<int64_t>());
    }
  }
  r.plan.explanation = s.ColumnString(6);
  Result<ReturnStep> step = ParseName(s.ColumnText(7), kSteps, "return step");
  if (!step.ok())
    return store::BadStoredValue("freeze_returns", std::to_string(r.id), "step", step.status());
  r.step = *step;
  r.notice_at = s.ColumnInt64(8);
  r.notice_ends_at = s.ColumnInt64(9);
  r.returned_at = s.ColumnInt64(10);
  r.created_at = s.ColumnInt64(11);
  r.updated_at = s.ColumnInt64(12);
  return r;
}

std::string ReturnName(int64_t id) { return "return " + std::to_string(id); }

}  // namespace

std::string_view Name(ReturnStep s) { return NameOf(s, kSteps); }

bool NeedsNotice(const ReturnPlan& plan) { return plan.rule == "pro_rata_by_loss"; }

nlohmann::ordered_json ToJson(const ReturnPlan& plan) {
  nlohmann::ordered_json shares = nlohmann::ordered_json::array();
  for (const Share& s : plan.shares) {
    shares.push_back({{"case", s.case_id}, {"amount", FormatMoney(s.amount)}});
  }
  return {{"account", plan.account},
          {"frozen", FormatMoney(plan.frozen)},
          {"rule", plan.rule},
          {"explanation", plan.explanation},
          {"shares", std::move(shares)}};
}

nlohmann::ordered_json ToJson(const StoredReturn& r) {
  auto time_or_null = [](Millis t) {
    return t ? nlohmann::ordered_json(FormatTime(t)) : nlohmann::ordered_json();
  };
  nlohmann::ordered_json j = {{"id", r.id}};
  nlohmann::ordered_json plan = ToJson(r.plan);
  for (auto& [key, value] : plan.items()) j[key] = std::move(value);
  j.update(nlohmann::ordered_json{{"orders", r.orders},
                                  {"step", Name(r.step)},
                                  {"needs_notice", NeedsNotice(r.plan)},
                                  {"notice_at", time_or_null(r.notice_at)},
                                  {"notice_ends_at", time_or_null(r.notice_ends_at)},
                                  {"returned_at", time_or_null(r.returned_at)},
                                  {"created_at", FormatTime(r.created_at)},
                                  {"updated_at", FormatTime(r.updated_at)}});
  return j;
}

Status ReturnBook::Log(int64_t id, Millis at, ReturnStep step, const std::string& note) {
  FANZHA_ASSIGN_OR_RETURN(
      auto st, db_.Prepare("INSERT INTO freeze_return_events (return_id, seq, at, step, note) "
                           "SELECT ?, COALESCE(MAX(seq), 0) + 1, ?, ?, ? FROM freeze_return_events "
                           "WHERE return_id = ?"));
  st->Bind(1, id).Bind(2, at).Bind(3, Name(step)).Bind(4, note).Bind(5, id);
  return st->Run();
}

Status ReturnBook::Save(const StoredReturn& r) {
  FANZHA_ASSIGN_OR_RETURN(auto st,
                          db_.Prepare("UPDATE freeze_returns SET step = ?, notice_at = ?, "
                                      "notice_ends_at = ?, returned_at = ?, updated_at = ? "
                                      "WHERE id = ?"));
  st->Bind(1, Name(r.step)).Bind(2, r.notice_at).Bind(3, r.notice_ends_at).Bind(4, r.returned_at);
  st->Bind(5, r.updated_at).Bind(6, r.id);
  return st->Run();
}

Result<StoredReturn> ReturnBook::Require(int64_t id) {
  FANZHA_ASSIGN_OR_RETURN(auto r, Get(id));
  if (!r)
    return Status::NotFound("no " + ReturnName(id))
        .WithZh("返还记录 " + std::to_string(id) + " 不存在");
  return *r;
}

Result<StoredReturn> ReturnBook::Record(const ReturnPlan& plan, const std::vector<int64_t>& orders,
                                        Millis now) {
  FANZHA_ASSIGN_OR_RETURN(auto tx, store::SqlTransaction::Begin(&db_));
  FANZHA_ASSIGN_OR_RETURN(auto open, List(plan.account));
  for (const StoredReturn& r : open) {
    if (r.step != ReturnStep::kReturned) {
      return Status::Conflict(ReturnName(r.id) + " of account " + plan.account + " is " +
                              std::string(Name(r.step)) + ": finish it first")
          .WithZh("账户 " + plan.account + " 已有未完成的返还（" + std::to_string(r.id) + "）");
    }
  }
  OrderBook book(db_);
  for (int64_t id : orders) {
    FANZHA_ASSIGN_OR_RETURN(auto o, book.Get(id));
    if (!o || o->status != OrderStatus::kExecuted || o->account != plan.account) {
      return Status::Conflict("order " + std::to_string(id) + " holds no money at " + plan.account +
                              " (it must be executed there)")
          .WithZh("指令 " + std::to_string(id) + " 未在账户 " + plan.account +
                  " 冻结资金（须为在该账户已执行的指令）");
    }
  }
  nlohmann::json shares = nlohmann::json::array();
  for (const Share& s : plan.shares) shares.push_back({s.case_id, s.amount});
  FANZHA_ASSIGN_OR_RETURN(
      auto st, db_.Prepare("INSERT INTO freeze_returns (account, rule, frozen, shares, orders, "
                           "explanation, step, notice_at, notice_ends_at, returned_at, created_at, "
                           "updated_at) VALUES (?, ?, ?, ?, ?, ?, 'planned', 0, 0, 0, ?, ?)"));
  st->Bind(1, plan.account).Bind(2, plan.rule).Bind(3, plan.frozen).Bind(4, shares.dump());
  st->Bind(5, nlohmann::json(orders).dump()).Bind(6, plan.explanation).Bind(7, now).Bind(8, now);
  FANZHA_RETURN_IF_ERROR(st->Run());
  int64_t id = db_.LastInsertId();
  FANZHA_RETURN_IF_ERROR(
      Log(id, now, ReturnStep::kPlanned,
          "planned by rule " + plan.rule +
              (NeedsNotice(plan) ? ": pro rata, so a 30-day public notice comes first" : "")));
  FANZHA_ASSIGN_OR_RETURN(StoredReturn r, Require(id));
  FANZHA_RETURN_IF_ERROR(tx.Commit());
  return r;
}

Result<StoredReturn> ReturnBook::Notice(int64_t id, const std::string& note, Millis now) {
  FANZHA_ASSIGN_OR_RETURN(auto tx, store::SqlTransaction::Begin(&db_));
  FANZHA_ASSIGN_OR_RETURN(StoredReturn r, Require(id));
  if (!NeedsNotice(r.plan)) {
    return Status::Conflict(ReturnName(id) + " follows rule " + r.plan.rule +
                            ": it goes back without a public notice")
        .WithZh("该返还（" + r.plan.rule + "）无需公告，可直接返还");
  }
  if (r.step != ReturnStep::kPlanned) {
    return Status::Conflict(ReturnName(id) + " is " + std::string(Name(r.step)) + " already")
        .WithZh("返还 " + std::to_string(id) + " 已" +
                (r.step == ReturnStep::kNoticed ? "公告" : "返还"));
  }
  r.step = ReturnStep::kNoticed;
  r.notice_at = now;
  r.notice_ends_at = now + kReturnNotice;
  r.updated_at = now;
  FANZHA_RETURN_IF_ERROR(Save(r));
  FANZHA_RETURN_IF_ERROR(Log(id, now, ReturnStep::kNoticed,
                             "public notice published; the money may go back from " +
                                 FormatTime(r.notice_ends_at) + (note.empty() ? "" : ": " + note)));
  FANZHA_RETURN_IF_ERROR(tx.Commit());
  return r;
}

Result<StoredReturn> ReturnBook::Complete(int64_t id, const std::string& note, Millis now) {
  FANZHA_ASSIGN_OR_RETURN(auto tx, store::SqlTransaction::Begin(&db_));
  FANZHA_ASSIGN_OR_RETURN(StoredReturn r, Require(id));
  if (r.step == ReturnStep::kReturned) {
    return Status::Conflict(ReturnName(id) + " is returned already")
        .WithZh("返还 " + std::to_string(id) + " 已完成");
  }
  if (NeedsNotice(r.plan) && r.step != ReturnStep::kNoticed) {
    return Status::Conflict(ReturnName(id) + " is pro rata: publish its 30-day notice first")
        .WithZh("返还记录 " + std::to_string(id) + " 按比例分配：须先发布为期 30 日的公告");
  }
  if (NeedsNotice(r.plan) && now < r.notice_ends_at) {
    return Status::Conflict(ReturnName(id) + ": its public notice runs until " +
                            FormatTime(r.notice_ends_at) + "; the money may go back only then")
        .WithZh("返还记录 " + std::to_string(id) + "：公告期至 " + FormatTime(r.notice_ends_at) +
                " 届满，届满后方可返还");
  }
  OrderBook book(db_);
  for (int64_t order : r.orders) {
    FANZHA_RETURN_IF_ERROR(book.Move(order, OrderStatus::kReturned, std::nullopt,
                                     "returned by return " + std::to_string(id), now)
                               .status());
  }
  r.step = ReturnStep::kReturned;
  r.returned_at = now;
  r.updated_at = now;
  FANZHA_RETURN_IF_ERROR(Save(r));
  FANZHA_RETURN_IF_ERROR(Log(id, now, ReturnStep::kReturned,
                             "money returned to " + std::to_string(r.plan.shares.size()) +
                                 " victims" + (note.empty() ? "" : ": " + note)));
  FANZHA_RETURN_IF_ERROR(tx.Commit());
  return r;
}

Result<std::optional<StoredReturn>> ReturnBook::Get(int64_t id) {
  FANZHA_ASSIGN_OR_RETURN(auto st, db_.Prepare("SELECT " + std::string(kColumns) +
                                               " FROM freeze_returns WHERE id = ?"));
  st->Bind(1, id);
  FANZHA_ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) return std::optional<StoredReturn>();
  FANZHA_ASSIGN_OR_RETURN(StoredReturn stored, ReadReturn(*st));
  return std::optional<StoredReturn>(std::move(stored));
}

Result<std::vector<StoredReturn>> ReturnBook::List(const std::string& account) {
  FANZHA_ASSIGN_OR_RETURN(
      auto st, db_.Prepare("SELECT " + std::string(kColumns) +
                           " FROM freeze_returns WHERE (? = '' OR account = ?) ORDER BY id"));
  st->Bind(1, account).Bind(2, account);
  return store::ReadRows<StoredReturn>(*st, ReadReturn);
}

Result<std::vector<ReturnEvent>> ReturnBook::History(int64_t id) {
  FANZHA_ASSIGN_OR_RETURN(auto st,
                          db_.Prepare("SELECT seq, at, step, note FROM freeze_return_events "
                                      "WHERE return_id = ? ORDER BY seq"));
  st->Bind(1, id);
  return store::ReadRows<ReturnEvent>(*st, [](const store::SqlStatement& s) {
    return ReturnEvent{static_cast<int>(s.ColumnInt64(0)), s.ColumnInt64(1), s.ColumnString(2),
                       s.ColumnString(3)};
  });
}

}  // namespace fanzha::freeze
