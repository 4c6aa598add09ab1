#include "freeze/orders.h"

#include <algorithm>
#include <functional>
#include <regex>

#include "core/csv.h"
#include "core/names.h"
#include "freeze/freeze.h"

namespace fanzha::freeze {
namespace {

constexpr std::pair<std::string_view, OrderKind> kKinds[] = {
    {"stop_payment", OrderKind::kStopPayment},
    {"freeze", OrderKind::kFreeze},
    {"release", OrderKind::kRelease}};

constexpr std::pair<std::string_view, OrderStatus> kStatuses[] = {
    {"planned", OrderStatus::kPlanned},   {"sent", OrderStatus::kSent},
    {"executed", OrderStatus::kExecuted}, {"rejected", OrderStatus::kRejected},
    {"expired", OrderStatus::kExpired},   {"released", OrderStatus::kReleased},
    {"returned", OrderStatus::kReturned}};

// Every column of freeze_orders, and the renewal asked for and not answered (0 when none).
constexpr std::string_view kOrderSelect =
    "SELECT o.id, o.kind, o.case_id, o.account, o.institution, o.holder, o.payment_transfer, "
    "o.payment_amount, o.payment_time, o.amount_requested, o.amount_frozen, o.status, o.reason, "
    "o.policy, o.document, o.requested_by, o.unit, o.releases, o.released_by, o.executed_at, "
    "o.deadline_at, o.renewals, o.expired_at, o.created_at, o.updated_at, "
    "(SELECT COALESCE(MAX(r.number), 0) FROM freeze_renewals r WHERE r.order_id = o.id AND "
    "r.status = 'requested') FROM freeze_orders o ";

Result<Order> ReadOrder(const store::SqlStatement& s) {
  Order o;
  o.id = s.ColumnInt64(0);
  Result<OrderKind> kind = ParseOrderKind(s.ColumnText(1));
  if (!kind.ok())
    return store::BadStoredValue("freeze_orders", std::to_string(o.id), "kind", kind.status());
  o.kind = *kind;
  o.case_id = s.ColumnString(2);
  o.account = s.ColumnString(3);
  o.institution = s.ColumnString(4);
  o.holder = s.ColumnString(5);
  o.payment_transfer = s.ColumnString(6);
  o.payment_amount = s.ColumnInt64(7);
  o.payment_time = s.ColumnInt64(8);
  o.requested = s.ColumnInt64(9);
  o.frozen = s.ColumnInt64(10);
  Result<OrderStatus> status = ParseOrderStatus(s.ColumnText(11));
  if (!status.ok())
    return store::BadStoredValue("freeze_orders", std::to_string(o.id), "status", status.status());
  o.status = *status;
  o.reason = s.ColumnString(12);
  o.policy = s.ColumnString(13);
  o.mandate = Mandate{s.ColumnString(14), s.ColumnString(15), s.ColumnString(16)};
  o.releases = s.ColumnInt64(17);
  o.released_by = s.ColumnInt64(18);
  o.executed_at = s.ColumnInt64(19);
  o.deadline = s.ColumnInt64(20);
  o.renewals = static_cast<int>(s.ColumnInt64(21));
  o.expired_at = s.ColumnInt64(22);
  o.created_at = s.ColumnInt64(23);
  o.updated_at = s.ColumnInt64(24);
  o.renewal_pending = static_cast<int>(s.ColumnInt64(25));
  return o;
}

Result<std::vector<Order>> ReadOrders(store::SqlStatement& st) {
  return store::ReadRows<Order>(st, ReadOrder);
}

constexpr std::string_view kRenewalColumns =
    "order_id, number, document, requested_by, unit, requested_at, status, deadline_at, reason, "
    "answered_at";

Renewal ReadRenewal(const store::SqlStatement& s) {
  Renewal r;
  r.order_id = s.ColumnInt64(0);
  r.number = static_cast<int>(s.ColumnInt64(1));
  r.mandate = Mandate{s.ColumnString(2), s.ColumnString(3), s.ColumnString(4)};
  r.requested_at = s.ColumnInt64(5);
  r.status = s.ColumnString(6);
  r.deadline = s.ColumnInt64(7);
  r.reason = s.ColumnString(8);
  r.answered_at = s.ColumnInt64(9);
  return r;
}

std::string OrderName(int64_t id) { return "freeze order " + std::to_string(id); }

// A move the lifecycle or a clock refuses: the order is fine, the request is not (409).
Status Refused(const std::string& message, const std::string& zh) {
  return Status::Conflict(message).WithZh(zh);
}

bool HasClock(OrderKind k) { return k != OrderKind::kRelease; }

}  // namespace

std::string_view Name(OrderKind k) { return NameOf(k, kKinds); }
std::string_view ChineseName(OrderKind k) {
  constexpr std::string_view kZh[] = {"止付", "冻结", "解冻"};
  return kZh[static_cast<size_t>(k)];
}
std::string_view ChineseName(OrderStatus s) {
  constexpr std::string_view kZh[] = {"待发送", "已发送", "已冻结", "被拒绝",
                                      "已过期", "已解冻", "已返还"};
  return kZh[static_cast<size_t>(s)];
}
std::string NoteInChinese(const std::string& note) {
  // A time in a note is RFC 3339; Chinese readers get it in China time to the minute.
  auto minute = [](const std::string& t) {
    Result<Millis> at = ParseTime(t);
    return at.ok() ? FormatMinute(*at) : t;
  };
  using Fill = std::function<std::string(const std::smatch&)>;
  static const std::vector<std::pair<std::regex, Fill>> kNotes = [&] {
    std::vector<std::pair<std::regex, Fill>> n;
    auto add = [&](const char* re, Fill fill) { n.emplace_back(std::regex(re), std::move(fill)); };
    add("^drafted from trace$", [](auto&) { return std::string("由资金追踪生成"); });
    add("^drafted from trace, document ([\\s\\S]+)$",
        [](auto& m) { return "由资金追踪生成，文书 " + m[1].str(); });
    add("^released by order (\\d+)$", [](auto& m) { return "已由指令 " + m[1].str() + " 解除"; });
    add("^released order (\\d+)$", [](auto& m) { return "解除指令 " + m[1].str(); });
    add("^released order (\\d+): ([\\s\\S]*)$",
        [](auto& m) { return "解除指令 " + m[1].str() + "：" + m[2].str(); });
    add("^in force until (\\S+)$", [=](auto& m) { return "有效至 " + minute(m[1].str()); });
    add("^in force until (\\S+): ([\\s\\S]*)$",
        [=](auto& m) { return "有效至 " + minute(m[1].str()) + "：" + m[2].str(); });
    add("^release of order (\\d+), document ([\\s\\S]+)$",
        [](auto& m) { return "解除指令 " + m[1].str() + "，文书 " + m[2].str(); });
    add("^renewal (\\d+) asked for, document ([\\s\\S]+)$",
        [](auto& m) { return "申请第 " + m[1].str() + " 次续冻，文书 " + m[2].str(); });
    add("^renewal (\\d+) executed: in force until (\\S+)$", [=](auto& m) {
      return "第 " + m[1].str() + " 次续冻已执行，有效至 " + minute(m[2].str());
    });
    add("^renewal (\\d+) rejected: ([\\s\\S]*)$",
        [](auto& m) { return "第 " + m[1].str() + " 次续冻被拒绝：" + m[2].str(); });
    add("^deadline (\\S+) by the law, from its execution[\\s\\S]*$",
        [=](auto& m) { return "依法自执行之日起算，期限至 " + minute(m[1].str()); });
    add("^lapsed at its deadline: not renewed in time[\\s\\S]*$",
        [](auto&) { return std::string("到期未续，自动失效"); });
    add("^sent with the draft$", [](auto&) { return std::string("草拟后即发送"); });
    add("^returned by return (\\d+)$",
        [](auto& m) { return "已由第 " + m[1].str() + " 号返还方案发还"; });
    return n;
  }();
  std::smatch m;
  for (const auto& [re, fill] : kNotes) {
    if (std::regex_match(note, m, re)) return fill(m);
  }
  return note;
}

std::string StatusInChinese(std::string_view status) {
  Result<OrderStatus> s = ParseOrderStatus(status);
  return std::string(s.ok() ? ChineseName(*s) : status);
}
Result<OrderKind> ParseOrderKind(std::string_view s) {
  return ParseName(s, kKinds, "order kind", "指令类型");
}
std::string_view Name(OrderStatus s) { return NameOf(s, kStatuses); }
Result<OrderStatus> ParseOrderStatus(std::string_view s) {
  return ParseName(s, kStatuses, "order status", "指令状态");
}

bool CanMove(OrderStatus from, OrderStatus to) {
  using S = OrderStatus;
  switch (from) {
    case S::kPlanned:
      return to == S::kSent || to == S::kExpired;
    case S::kSent:
      return to == S::kExecuted || to == S::kRejected || to == S::kExpired;
    case S::kExecuted:
      return to == S::kReleased || to == S::kReturned || to == S::kExpired;
    default:
      return false;
  }
}

Millis TermEnd(OrderKind kind, Millis from) {
  switch (kind) {
    case OrderKind::kStopPayment:
      return from + kStopPaymentTerm;
    case OrderKind::kFreeze:
      return AddMonths(from, kFreezeMonths);
    case OrderKind::kRelease:
      return 0;
  }
  return 0;
}

nlohmann::ordered_json ToJson(const Order& o) {
  auto time_or_null = [](Millis t) {
    return t ? nlohmann::ordered_json(FormatTime(t)) : nlohmann::ordered_json();
  };
  nlohmann::ordered_json j = {{"id", o.id},
                              {"kind", Name(o.kind)},
                              {"case", o.case_id},
                              {"account", o.account},
                              {"institution", o.institution},
                              {"holder", o.holder},
                              {"amount", FormatMoney(o.requested)},
                              {"frozen", FormatMoney(o.frozen)},
                              {"status", Name(o.status)},
                              {"reason", o.reason},
                              {"policy", o.policy},
                              {"document", o.mandate.document},
                              {"requested_by", o.mandate.requested_by},
                              {"unit", o.mandate.unit}};
  j["payment"] = o.payment_transfer.empty() && o.payment_time == 0
                     ? nlohmann::ordered_json()
                     : nlohmann::ordered_json{{"transfer", o.payment_transfer},
                                              {"amount", FormatMoney(o.payment_amount)},
                                              {"time", FormatTime(o.payment_time)}};
  j["releases"] = o.releases ? nlohmann::ordered_json(o.releases) : nlohmann::ordered_json();
  j["released_by"] =
      o.released_by ? nlohmann::ordered_json(o.released_by) : nlohmann::ordered_json();
  j["executed_at"] = time_or_null(o.executed_at);
  j["deadline"] = time_or_null(o.deadline);
  j["renewals"] = o.renewals;
  j["renewal_pending"] = o.renewal_pending;
  j["expired_at"] = time_or_null(o.expired_at);
  j["created_at"] = FormatTime(o.created_at);
  j["updated_at"] = FormatTime(o.updated_at);
  return j;
}

nlohmann::ordered_json ToJson(const Renewal& r) {
  return {{"order", r.order_id},
          {"number", r.number},
          {"document", r.mandate.document},
          {"requested_by", r.mandate.requested_by},
          {"unit", r.mandate.unit},
          {"requested_at", FormatTime(r.requested_at)},
          {"status", r.status},
          {"deadline",
           r.deadline ? nlohmann::ordered_json(FormatTime(r.deadline)) : nlohmann::ordered_json()},
          {"reason", r.reason},
          {"answered_at", r.answered_at ? nlohmann::ordered_json(FormatTime(r.answered_at))
                                        : nlohmann::ordered_json()}};
}

nlohmann::ordered_json ToJson(const Event& e) {
  return {{"seq", e.seq},
          {"at", FormatTime(e.at)},
          {"status", e.status},
          {"amount", FormatMoney(e.amount)},
          {"note", e.note}};
}

Status OrderBook::Record(int64_t id, Millis at, OrderStatus status, Fen amount,
                         const std::string& note) {
  FANZHA_ASSIGN_OR_RETURN(
      auto st,
      db_.Prepare("INSERT INTO freeze_order_events (order_id, seq, at, status, amount, note) "
                  "SELECT ?, COALESCE(MAX(seq), 0) + 1, ?, ?, ?, ? FROM freeze_order_events "
                  "WHERE order_id = ?"));
  st->Bind(1, id).Bind(2, at).Bind(3, Name(status)).Bind(4, amount).Bind(5, note).Bind(6, id);
  return st->Run();
}

Status OrderBook::Store(const Order& o) {
  FANZHA_ASSIGN_OR_RETURN(
      auto st, db_.Prepare("UPDATE freeze_orders SET status = ?, amount_frozen = ?, reason = ?, "
                           "released_by = ?, executed_at = ?, deadline_at = ?, renewals = ?, "
                           "expired_at = ?, updated_at = ? WHERE id = ?"));
  st->Bind(1, Name(o.status)).Bind(2, o.frozen).Bind(3, o.reason).Bind(4, o.released_by);
  st->Bind(5, o.executed_at).Bind(6, o.deadline).Bind(7, o.renewals).Bind(8, o.expired_at);
  st->Bind(9, o.updated_at).Bind(10, o.id);
  return st->Run();
}

Result<Order> OrderBook::Require(int64_t id) {
  FANZHA_ASSIGN_OR_RETURN(auto o, Get(id));
  if (!o) {
    return Status::NotFound("no " + OrderName(id))
        .WithZh("冻结/止付指令 " + std::to_string(id) + " 不存在");
  }
  return *o;
}

Result<std::vector<OrderBook::Drafted>> OrderBook::Draft(const Plan& plan, const DraftOptions& opt,
                                                         Millis now) {
  if (opt.kind == OrderKind::kRelease) {
    return Status::Invalid(
               "kind: a release is drafted from the order it lifts (Release), not from a plan")
        .WithZh("kind：解冻指令须针对所要解除的指令起草（Release），不能从方案起草");
  }
  for (const std::string& a : opt.accounts) {
    bool held = std::any_of(plan.items.begin(), plan.items.end(),
                            [&](const PlanItem& i) { return i.account == a; });
    if (!held) {
      return Status::Invalid("account " + a + " holds none of case " + plan.case_id +
                             "'s money in the trace: nothing to freeze there")
          .WithZh("账户 " + a + " 未持有案件 " + plan.case_id + " 的涉案资金，无需冻结");
    }
  }
  auto chosen = [&](const PlanItem& item) {
    return opt.accounts.empty() ||
           std::find(opt.accounts.begin(), opt.accounts.end(), item.account) != opt.accounts.end();
  };
  if (opt.kind == OrderKind::kStopPayment) {
    for (const PlanItem& item : plan.items) {
      if (chosen(item) && item.holder.empty()) {
        return Status::Invalid("account " + item.account +
                               ": its holder's name is not known (no accounts.csv row or statement "
                               "names it); a stop-payment needs the four facts")
            .WithZh("账户 " + item.account +
                    "：户名未知，紧急止付需要账号、户名、转账金额和时间四要素");
      }
    }
  }
  FANZHA_ASSIGN_OR_RETURN(auto tx, store::SqlTransaction::Begin(&db_));
  FANZHA_ASSIGN_OR_RETURN(
      auto insert,
      db_.Prepare(
          "INSERT INTO freeze_orders (kind, case_id, account, institution, holder, "
          "payment_transfer, payment_amount, payment_time, amount_requested, amount_frozen, "
          "status, reason, policy, document, requested_by, unit, releases, released_by, "
          "executed_at, deadline_at, renewals, expired_at, created_at, updated_at) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 'planned', '', ?, ?, ?, ?, 0, 0, 0, 0, 0, "
          "0, ?, ?) ON CONFLICT (case_id, account, kind, releases) DO NOTHING"));
  std::vector<Drafted> out;
  for (const PlanItem& item : plan.items) {
    if (!chosen(item)) continue;
    insert->Bind(1, Name(opt.kind)).Bind(2, plan.case_id).Bind(3, item.account);
    insert->Bind(4, item.institution).Bind(5, item.holder).Bind(6, item.payment_transfer);
    insert->Bind(7, item.payment_amount).Bind(8, item.payment_time).Bind(9, item.amount);
    insert->Bind(10, trace::Name(plan.policy)).Bind(11, opt.mandate.document);
    insert->Bind(12, opt.mandate.requested_by)
        .Bind(13, opt.mandate.unit)
        .Bind(14, now)
        .Bind(15, now);
    FANZHA_RETURN_IF_ERROR(insert->Run());
    bool created = db_.Changes() > 0;
    OrderFilter f{plan.case_id, item.account, "", std::nullopt, opt.kind};
    FANZHA_ASSIGN_OR_RETURN(auto found, List(f));
    if (found.size() != 1)
      return Status::Internal("order for " + item.account + " not found after insert");
    if (created) {
      FANZHA_RETURN_IF_ERROR(
          Record(found[0].id, now, OrderStatus::kPlanned, item.amount,
                 "drafted from trace" + (opt.mandate.document.empty()
                                             ? std::string()
                                             : ", document " + opt.mandate.document)));
    }
    out.push_back(Drafted{found[0], created});
  }
  FANZHA_RETURN_IF_ERROR(tx.Commit());
  return out;
}

Result<std::optional<Order>> OrderBook::Get(int64_t id) {
  FANZHA_ASSIGN_OR_RETURN(auto st, db_.Prepare(std::string(kOrderSelect) + "WHERE o.id = ?"));
  st->Bind(1, id);
  FANZHA_ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) return std::optional<Order>();
  FANZHA_ASSIGN_OR_RETURN(Order order, ReadOrder(*st));
  return std::optional<Order>(std::move(order));
}

Result<Order> OrderBook::Move(int64_t id, OrderStatus to, std::optional<Fen> amount,
                              const std::string& note, Millis now) {
  if (to == OrderStatus::kReleased) {
    return Status::Invalid(
               "to: a release is an order of its own: draft it with `fanzha freeze "
               "release --order " +
               std::to_string(id) + "` (POST /api/freeze-orders/" + std::to_string(id) +
               "/release)")
        .WithZh("解冻须另下解冻指令：fanzha freeze release --order " + std::to_string(id));
  }
  if (to == OrderStatus::kExecuted) {
    if (!amount) {
      return Status::Invalid("amount: an executed order needs the amount the institution holds")
          .WithZh("amount：已执行的指令须填写实际冻结金额");
    }
    return Execute(id, *amount, now, 0, note, now);
  }
  if (amount)
    return Status::Invalid("amount: goes with executed only")
        .WithZh("amount：只有标记为 executed（已执行）时才填写金额");
  if (to == OrderStatus::kRejected) return Reject(id, note, now);
  FANZHA_ASSIGN_OR_RETURN(auto tx, store::SqlTransaction::Begin(&db_));
  FANZHA_ASSIGN_OR_RETURN(Order o, Require(id));
  if (!CanMove(o.status, to) ||
      (to == OrderStatus::kExpired && o.status == OrderStatus::kExecuted)) {
    return Refused(OrderName(id) + " is " + std::string(Name(o.status)) + " and cannot become " +
                       std::string(Name(to)) +
                       (o.status == OrderStatus::kExecuted && to == OrderStatus::kExpired
                            ? " by hand: an order in force lapses by itself at its deadline"
                            : ""),
                   "指令 " + std::to_string(id) + " 当前为" + std::string(ChineseName(o.status)) +
                       "，不能变为" + std::string(ChineseName(to)));
  }
  if (to == OrderStatus::kSent && o.kind == OrderKind::kStopPayment && o.mandate.document.empty()) {
    return Status::Invalid("document: a stop-payment is sent with its notice's number")
        .WithZh("document：发送止付指令须填写止付通知书文号");
  }
  o.status = to;
  if (!note.empty()) o.reason = note;
  if (to == OrderStatus::kExpired) o.expired_at = now;
  o.updated_at = now;
  FANZHA_RETURN_IF_ERROR(Store(o));
  FANZHA_RETURN_IF_ERROR(Record(id, now, to, o.frozen, note));
  FANZHA_RETURN_IF_ERROR(tx.Commit());
  return o;
}

Result<Order> OrderBook::Execute(int64_t id, Fen amount, Millis at, Millis deadline,
                                 const std::string& note, Millis now) {
  if (amount < 0)
    return Status::Invalid("amount: " + FormatMoney(amount) + " is below 0")
        .WithZh("amount：" + FormatMoney(amount) + " 小于 0");
  FANZHA_ASSIGN_OR_RETURN(auto tx, store::SqlTransaction::Begin(&db_));
  FANZHA_ASSIGN_OR_RETURN(Order o, RequireSent(id, OrderStatus::kExecuted));
  o.status = OrderStatus::kExecuted;
  o.executed_at = at;
  o.updated_at = now;
  if (!note.empty()) o.reason = note;
  if (o.kind == OrderKind::kRelease) {
    FANZHA_ASSIGN_OR_RETURN(Order target, Require(o.releases));
    if (target.status != OrderStatus::kExecuted) {
      return Refused(OrderName(target.id) + " is " + std::string(Name(target.status)) +
                         ": nothing in force to release",
                     "指令 " + std::to_string(target.id) + " 已不在执行中，无可解冻");
    }
    target.status = OrderStatus::kReleased;
    target.released_by = id;
    target.updated_at = now;
    o.frozen = 0;  // a release holds nothing; what it lifted stays on the released order
    FANZHA_RETURN_IF_ERROR(Store(target));
    FANZHA_RETURN_IF_ERROR(Record(target.id, at, OrderStatus::kReleased, target.frozen,
                                  "released by order " + std::to_string(id)));
    FANZHA_RETURN_IF_ERROR(Store(o));
    FANZHA_RETURN_IF_ERROR(
        Record(id, at, OrderStatus::kExecuted, amount,
               "released order " + std::to_string(target.id) + (note.empty() ? "" : ": " + note)));
    FANZHA_RETURN_IF_ERROR(tx.Commit());
    return o;
  }
  o.frozen = amount;
  o.deadline = deadline > 0 ? deadline : TermEnd(o.kind, at);
  FANZHA_RETURN_IF_ERROR(Store(o));
  FANZHA_RETURN_IF_ERROR(
      Record(id, at, OrderStatus::kExecuted, amount,
             "in force until " + FormatTime(o.deadline) + (note.empty() ? "" : ": " + note)));
  FANZHA_RETURN_IF_ERROR(tx.Commit());
  return o;
}

Result<Order> OrderBook::Reject(int64_t id, const std::string& reason, Millis now) {
  if (reason.empty()) {
    return Status::Invalid("note: a rejected order needs a reason")
        .WithZh("被拒绝的指令须注明原因");
  }
  FANZHA_ASSIGN_OR_RETURN(auto tx, store::SqlTransaction::Begin(&db_));
  FANZHA_ASSIGN_OR_RETURN(Order o, RequireSent(id, OrderStatus::kRejected));
  o.status = OrderStatus::kRejected;
  o.reason = reason;
  o.updated_at = now;
  FANZHA_RETURN_IF_ERROR(Store(o));
  FANZHA_RETURN_IF_ERROR(Record(id, now, OrderStatus::kRejected, 0, reason));
  FANZHA_RETURN_IF_ERROR(tx.Commit());
  return o;
}

Status OrderBook::Note(int64_t id, const std::string& note, Millis now) {
  FANZHA_ASSIGN_OR_RETURN(Order o, Require(id));
  return Record(id, now, o.status, o.frozen, note);
}

Result<Order> OrderBook::RequireSent(int64_t id, OrderStatus to) {
  FANZHA_ASSIGN_OR_RETURN(Order o, Require(id));
  if (o.status == OrderStatus::kSent) return o;
  return Refused(OrderName(id) + " is " + std::string(Name(o.status)) + " and cannot become " +
                     std::string(Name(to)) +
                     " (only a sent order can: an institution answers what it was sent)",
                 "指令 " + std::to_string(id) + " 当前为 " + std::string(Name(o.status)) +
                     "，只有已发送的指令才能变为 " + std::string(Name(to)));
}

Result<OrderBook::Drafted> OrderBook::Release(int64_t id, const Mandate& mandate, Millis now) {
  if (mandate.document.empty()) {
    return Status::Invalid("document: a release is drafted with its notice's number")
        .WithZh("document：解冻须填写解除冻结通知书文号");
  }
  FANZHA_ASSIGN_OR_RETURN(auto tx, store::SqlTransaction::Begin(&db_));
  FANZHA_ASSIGN_OR_RETURN(Order target, Require(id));
  FANZHA_ASSIGN_OR_RETURN(auto existing, List(OrderFilter{target.case_id, target.account, "",
                                                          std::nullopt, OrderKind::kRelease}));
  for (const Order& r : existing) {
    if (r.releases == id) return Drafted{r, false};
  }
  if (!HasClock(target.kind) || target.status != OrderStatus::kExecuted) {
    return Refused(OrderName(id) + " is a " + std::string(Name(target.kind)) + " order, " +
                       std::string(Name(target.status)) +
                       ": only a stop-payment or freeze in force can be released",
                   "只有执行中的止付或冻结指令才能解冻（指令 " + std::to_string(id) + "）");
  }
  FANZHA_ASSIGN_OR_RETURN(
      auto insert,
      db_.Prepare(
          "INSERT INTO freeze_orders (kind, case_id, account, institution, holder, "
          "payment_transfer, payment_amount, payment_time, amount_requested, amount_frozen, "
          "status, reason, policy, document, requested_by, unit, releases, released_by, "
          "executed_at, deadline_at, renewals, expired_at, created_at, updated_at) "
          "VALUES ('release', ?, ?, ?, ?, '', 0, 0, ?, 0, 'planned', '', ?, ?, ?, ?, ?, 0, "
          "0, 0, 0, 0, ?, ?)"));
  insert->Bind(1, target.case_id).Bind(2, target.account).Bind(3, target.institution);
  insert->Bind(4, target.holder).Bind(5, target.frozen).Bind(6, target.policy);
  insert->Bind(7, mandate.document).Bind(8, mandate.requested_by).Bind(9, mandate.unit);
  insert->Bind(10, id).Bind(11, now).Bind(12, now);
  FANZHA_RETURN_IF_ERROR(insert->Run());
  int64_t release_id = db_.LastInsertId();
  FANZHA_RETURN_IF_ERROR(
      Record(release_id, now, OrderStatus::kPlanned, target.frozen,
             "release of order " + std::to_string(id) + ", document " + mandate.document));
  FANZHA_ASSIGN_OR_RETURN(Order release, Require(release_id));
  FANZHA_RETURN_IF_ERROR(tx.Commit());
  return Drafted{release, true};
}

Result<Renewal> OrderBook::RequestRenewal(int64_t id, const Mandate& mandate, Millis now) {
  if (mandate.document.empty()) {
    return Status::Invalid("document: a renewal is asked for with its notice's number")
        .WithZh("document：续止/续冻须填写通知书文号");
  }
  FANZHA_ASSIGN_OR_RETURN(auto tx, store::SqlTransaction::Begin(&db_));
  FANZHA_ASSIGN_OR_RETURN(Order o, Require(id));
  std::string idz = std::to_string(id);
  if (!HasClock(o.kind) || o.status != OrderStatus::kExecuted) {
    return Refused(OrderName(id) + " is " + std::string(Name(o.status)) +
                       ": only a stop-payment or freeze in force can be renewed",
                   "只有执行中的止付或冻结指令才能续期（指令 " + idz + "）");
  }
  if (o.deadline > 0 && now >= o.deadline) {
    return Refused(
        OrderName(id) + " lapsed at " + FormatTime(o.deadline) +
            ": a renewal must be asked for before the deadline",
        "指令 " + idz + " 已于 " + FormatTime(o.deadline) + " 到期失效，续期须在期满前办理");
  }
  if (o.renewal_pending) {
    return Refused(
        OrderName(id) + ": renewal " + std::to_string(o.renewal_pending) +
            " is asked for and not answered yet",
        "指令 " + idz + " 的第 " + std::to_string(o.renewal_pending) + " 次续期尚未答复");
  }
  if (o.kind == OrderKind::kStopPayment && o.renewals >= kStopPaymentRenewals) {
    return Refused(
        OrderName(id) + ": a stop-payment is renewed at most twice; freeze the money instead",
        "止付最多续期两次（指令 " + idz + "），请改为冻结");
  }
  FANZHA_ASSIGN_OR_RETURN(
      auto next,
      db_.Prepare("SELECT COALESCE(MAX(number), 0) + 1 FROM freeze_renewals WHERE order_id = ?"));
  next->Bind(1, id);
  FANZHA_ASSIGN_OR_RETURN(bool row, next->Step());
  if (!row) return Status::Internal("no renewal number");
  Renewal r;
  r.order_id = id;
  r.number = static_cast<int>(next->ColumnInt64(0));
  r.mandate = mandate;
  r.requested_at = now;
  r.status = "requested";
  FANZHA_ASSIGN_OR_RETURN(
      auto insert, db_.Prepare("INSERT INTO freeze_renewals (" + std::string(kRenewalColumns) +
                               ") VALUES (?, ?, ?, ?, ?, ?, 'requested', 0, '', 0)"));
  insert->Bind(1, id).Bind(2, r.number).Bind(3, mandate.document).Bind(4, mandate.requested_by);
  insert->Bind(5, mandate.unit).Bind(6, now);
  FANZHA_RETURN_IF_ERROR(insert->Run());
  FANZHA_RETURN_IF_ERROR(
      Record(id, now, o.status, o.frozen,
             "renewal " + std::to_string(r.number) + " asked for, document " + mandate.document));
  FANZHA_RETURN_IF_ERROR(tx.Commit());
  return r;
}

Result<Order> OrderBook::AnswerRenewal(int64_t id, int number, bool executed, Millis deadline,
                                       const std::string& reason, Millis now) {
  if (!executed && reason.empty())
    return Status::Invalid("reason: a rejected renewal needs one")
        .WithZh("reason：被拒绝的续止/续冻须注明原因");
  FANZHA_ASSIGN_OR_RETURN(auto tx, store::SqlTransaction::Begin(&db_));
  FANZHA_ASSIGN_OR_RETURN(Order o, Require(id));
  FANZHA_ASSIGN_OR_RETURN(auto renewals, Renewals(id));
  auto it = std::find_if(renewals.begin(), renewals.end(),
                         [&](const Renewal& r) { return r.number == number; });
  if (it == renewals.end())
    return Status::NotFound(OrderName(id) + " has no renewal " + std::to_string(number))
        .WithZh("冻结/止付指令 " + std::to_string(id) + " 没有第 " + std::to_string(number) +
                " 次续止/续冻");

  if (it->status != "requested") {
    return Refused(
        OrderName(id) + ": renewal " + std::to_string(number) + " was " + it->status + " already",
        "指令 " + std::to_string(id) + " 的第 " + std::to_string(number) + " 次续期已答复");
  }
  if (executed && o.status != OrderStatus::kExecuted) {
    return Refused(OrderName(id) + " is " + std::string(Name(o.status)) +
                       ": a renewal cannot put it back in force",
                   "指令 " + std::to_string(id) + " 已不在执行中，续期无效");
  }
  if (executed) {
    o.deadline = deadline > 0 ? deadline : TermEnd(o.kind, o.deadline);
    ++o.renewals;
    o.updated_at = now;
    FANZHA_RETURN_IF_ERROR(Store(o));
  }
  FANZHA_ASSIGN_OR_RETURN(
      auto st, db_.Prepare("UPDATE freeze_renewals SET status = ?, deadline_at = ?, reason = ?, "
                           "answered_at = ? WHERE order_id = ? AND number = ?"));
  st->Bind(1, executed ? "executed" : "rejected").Bind(2, executed ? o.deadline : 0);
  st->Bind(3, reason).Bind(4, now).Bind(5, id).Bind(6, number);
  FANZHA_RETURN_IF_ERROR(st->Run());
  FANZHA_RETURN_IF_ERROR(
      Record(id, now, o.status, o.frozen,
             executed ? "renewal " + std::to_string(number) + " executed: in force until " +
                            FormatTime(o.deadline)
                      : "renewal " + std::to_string(number) + " rejected: " + reason));
  FANZHA_RETURN_IF_ERROR(tx.Commit());
  o.renewal_pending = 0;
  return o;
}

Result<std::vector<Renewal>> OrderBook::Renewals(int64_t id) {
  FANZHA_ASSIGN_OR_RETURN(auto st,
                          db_.Prepare("SELECT " + std::string(kRenewalColumns) +
                                      " FROM freeze_renewals WHERE order_id = ? ORDER BY number"));
  st->Bind(1, id);
  return store::ReadRows<Renewal>(*st, ReadRenewal);
}

Result<std::vector<Renewal>> OrderBook::PendingRenewals() {
  FANZHA_ASSIGN_OR_RETURN(auto st, db_.Prepare("SELECT " + std::string(kRenewalColumns) +
                                               " FROM freeze_renewals WHERE status = 'requested' "
                                               "ORDER BY requested_at, order_id, number"));
  return store::ReadRows<Renewal>(*st, ReadRenewal);
}

Result<std::vector<Order>> OrderBook::Sweep(Millis now) {
  FANZHA_ASSIGN_OR_RETURN(auto tx, store::SqlTransaction::Begin(&db_));
  // Orders executed before deadlines were kept: the law's deadline from their execution.
  FANZHA_ASSIGN_OR_RETURN(
      auto unset,
      db_.Prepare(std::string(kOrderSelect) + "WHERE o.status = 'executed' AND o.deadline_at = 0 "
                                              "AND o.kind <> 'release'"));
  FANZHA_ASSIGN_OR_RETURN(std::vector<Order> legacy, ReadOrders(*unset));
  for (Order& o : legacy) {
    o.deadline = TermEnd(o.kind, o.executed_at);
    FANZHA_RETURN_IF_ERROR(Store(o));
    FANZHA_RETURN_IF_ERROR(
        Record(o.id, now, o.status, o.frozen,
               "deadline " + FormatTime(o.deadline) +
                   " by the law, from its execution (the order predates kept deadlines)"));
  }
  FANZHA_ASSIGN_OR_RETURN(
      auto due,
      db_.Prepare(std::string(kOrderSelect) +
                  "WHERE o.status = 'executed' AND o.deadline_at > 0 AND o.deadline_at <= ? "
                  "AND NOT EXISTS (SELECT 1 FROM freeze_renewals r WHERE r.order_id = o.id "
                  "AND r.status = 'requested') ORDER BY o.deadline_at, o.id"));
  due->Bind(1, now);
  FANZHA_ASSIGN_OR_RETURN(std::vector<Order> lapsed, ReadOrders(*due));
  for (Order& o : lapsed) {
    o.status = OrderStatus::kExpired;
    o.expired_at = o.deadline;
    o.updated_at = now;
    FANZHA_RETURN_IF_ERROR(Store(o));
    FANZHA_RETURN_IF_ERROR(Record(o.id, o.deadline, OrderStatus::kExpired, o.frozen,
                                  std::string("lapsed at its deadline: not renewed in time (") +
                                      std::string(ChineseName(o.kind)) + "到期未续，自动失效)"));
  }
  FANZHA_RETURN_IF_ERROR(tx.Commit());
  return lapsed;
}

Result<std::vector<Order>> OrderBook::Due(Millis now, Millis within) {
  FANZHA_ASSIGN_OR_RETURN(auto st,
                          db_.Prepare(std::string(kOrderSelect) +
                                      "WHERE o.status = 'executed' AND o.deadline_at > 0 AND "
                                      "o.deadline_at <= ? ORDER BY o.deadline_at, o.id"));
  st->Bind(1, now + within);
  return ReadOrders(*st);
}

Result<std::vector<int64_t>> OrderBook::IdsWithStatus(OrderStatus status) {
  FANZHA_ASSIGN_OR_RETURN(auto st,
                          db_.Prepare("SELECT id FROM freeze_orders WHERE status = ? ORDER BY id"));
  st->Bind(1, Name(status));
  return store::ReadRows<int64_t>(*st,
                                  [](const store::SqlStatement& s) { return s.ColumnInt64(0); });
}

Result<std::map<std::string, Fen>> OrderBook::FrozenByCase() {
  FANZHA_ASSIGN_OR_RETURN(
      auto st,
      db_.Prepare("SELECT case_id, SUM(amount_frozen) FROM freeze_orders GROUP BY case_id"));
  std::map<std::string, Fen> out;
  for (;;) {
    FANZHA_ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row) return out;
    out[st->ColumnString(0)] = st->ColumnInt64(1);
  }
}

Result<std::vector<Order>> OrderBook::List(const OrderFilter& f) {
  FANZHA_ASSIGN_OR_RETURN(
      auto st, db_.Prepare(std::string(kOrderSelect) +
                           "WHERE (? = '' OR o.case_id = ?) AND (? = '' OR o.account = ?) AND "
                           "(? = '' OR o.institution = ?) AND (? = '' OR o.status = ?) AND "
                           "(? = '' OR o.kind = ?) ORDER BY o.id"));
  std::string status = f.status ? std::string(Name(*f.status)) : "";
  std::string kind = f.kind ? std::string(Name(*f.kind)) : "";
  st->Bind(1, f.case_id).Bind(2, f.case_id).Bind(3, f.account).Bind(4, f.account);
  st->Bind(5, f.institution).Bind(6, f.institution).Bind(7, status).Bind(8, status);
  st->Bind(9, kind).Bind(10, kind);
  return ReadOrders(*st);
}

Result<std::vector<Event>> OrderBook::History(int64_t id) {
  FANZHA_ASSIGN_OR_RETURN(auto st,
                          db_.Prepare("SELECT seq, at, status, amount, note FROM "
                                      "freeze_order_events WHERE order_id = ? ORDER BY seq"));
  st->Bind(1, id);
  return store::ReadRows<Event>(*st, [](const store::SqlStatement& s) {
    return Event{static_cast<int>(s.ColumnInt64(0)), s.ColumnInt64(1), s.ColumnString(2),
                 s.ColumnInt64(3), s.ColumnString(4)};
  });
}

std::string OrdersCsv(const std::vector<Order>& orders) {
  std::string out;
  AppendCsvRow(&out, {"order", "case", "account", "institution", "amount_to_freeze", "status",
                      "amount_frozen", "reason", "drafted_at", "updated_at", "kind", "holder",
                      "payment_amount", "payment_time", "document", "deadline"});
  for (const Order& o : orders) {
    AppendCsvRow(
        &out, {std::to_string(o.id), o.case_id, o.account, o.institution, FormatMoney(o.requested),
               std::string(Name(o.status)), FormatMoney(o.frozen), o.reason,
               FormatTime(o.created_at), FormatTime(o.updated_at), std::string(Name(o.kind)),
               o.holder, o.payment_time ? FormatMoney(o.payment_amount) : "",
               o.payment_time ? FormatTime(o.payment_time) : "", o.mandate.document,
               o.deadline ? FormatTime(o.deadline) : ""});
  }
  return out;
}

Result<OrderTotals> OrderBook::Totals() {
  FANZHA_ASSIGN_OR_RETURN(auto s,
                          db_.Prepare("SELECT status, COUNT(*), COALESCE(SUM(amount_frozen), 0) "
                                      "FROM freeze_orders GROUP BY status"));
  OrderTotals t;
  for (;;) {
    FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return t;
    std::string status(s->ColumnText(0));
    int64_t count = s->ColumnInt64(1);
    Fen frozen = s->ColumnInt64(2);
    t.by_status[status] = count;
    t.orders += count;
    t.frozen += frozen;
    if (status == Name(OrderStatus::kReturned)) t.returned += frozen;
  }
}

}  // namespace fanzha::freeze
