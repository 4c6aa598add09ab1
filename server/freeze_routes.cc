// Routes for freeze orders: draft from a trace in one call, list, read, move along the lifecycle.
#include "app/freeze.h"
#include "freeze/freeze.h"
#include "server/impl.h"
#include "trace/trace.h"

namespace fanzha::server {

// Whether the caller may see the order: banks by institution once it was sent to them (a draft
// is the police's own until then), others by the case's region.
bool MaySeeOrder(Server::Impl& s, const auth::User& u, const freeze::Order& o) {
  if (u.role == auth::Role::kBank)
    return o.status != freeze::OrderStatus::kPlanned && auth::CanSeeOrder(u, "", o.institution);
  Result<std::shared_ptr<const Case>> c = s.GetCase(o.case_id);
  return auth::CanSeeOrder(u, c.ok() ? (*c)->region : "", o.institution);
}

Result<int64_t> OrderId(const Call& call) { return call.path_number(1, "order"); }

// An order the caller may see; 404 for an unknown one and for one that is not the caller's alike.
Result<freeze::Order> ScopedOrder(Server::Impl& s, Call& call, int64_t id) {
  Result<std::optional<freeze::Order>> o = [&]() -> Result<std::optional<freeze::Order>> {
    MutexLock lock(s.db_mu);
    return freeze::OrderBook(s.store->sql()).Get(id);
  }();
  if (!o.ok()) return o.status();
  Status unknown = Status::NotFound("no freeze order " + std::to_string(id))
                       .WithZh("冻结/止付指令 " + std::to_string(id) + " 不存在");
  if (!*o) return unknown;
  if (!MaySeeOrder(s, call.user, **o)) {
    return Hidden(call, unknown,
                  "freeze order " + std::to_string(id) + " is for " + (*o)->institution +
                      ", case " + (*o)->case_id);
  }
  return **o;
}

namespace {

Result<Reply> Draft(Server::Impl& s, Call& call) {
  FANZHA_ASSIGN_OR_RETURN(nlohmann::json body, BodyObject(call.req));
  FANZHA_ASSIGN_OR_RETURN(std::string reason, StringField(body, "reason"));
  FANZHA_RETURN_IF_ERROR(RequireReason(reason, "draft freeze orders", "起草冻结/止付指令"));
  FANZHA_ASSIGN_OR_RETURN(std::string policy, StringField(body, "policy"));
  FANZHA_ASSIGN_OR_RETURN(freeze::DraftOptions options, DraftOptionsOf(body, call.user));
  FANZHA_ASSIGN_OR_RETURN(bool send, BoolField(body, "send"));
  FANZHA_ASSIGN_OR_RETURN(trace::Options opts, TraceOptionsOf(call, policy));
  FANZHA_ASSIGN_OR_RETURN(auto c, ScopedCase(s, call, call.path_part(1)));
  FANZHA_ASSIGN_OR_RETURN(Server::Impl::CaseTrace traced, s.TraceCase(*c, opts));
  freeze::Plan plan = freeze::MakePlan(*traced.on.ledger, traced.answer, c->id);
  std::vector<freeze::OrderBook::Drafted> drafted;
  Server::Impl::Note note{"freeze.draft", c->id, reason, ""};
  FANZHA_RETURN_IF_ERROR(s.Change(call.user, note, [&]() REQUIRES(s.db_mu) -> Status {
    FANZHA_ASSIGN_OR_RETURN(drafted,
                            app::DraftOrders(*s.store, plan, options, send, s.clock().Now()));
    note.detail = std::to_string(drafted.size()) + " " + std::string(freeze::Name(options.kind)) +
                  " orders" + (send ? ", sent" : "");
    return Status::Ok();
  }));
  if (send) s.OrdersSent();
  return JsonReply(app::DraftedJson(plan, drafted), 201);
}

// The money frozen at the account in the path and its cases, if the caller may read every one of
// them (404 as for an account with nothing frozen otherwise, so that accounts cannot be probed).
Result<app::FrozenAt> ScopedFrozen(Server::Impl& s, Call& call) {
  const std::string account = call.path_part(1);
  Result<app::FrozenAt> frozen = [&] {
    MutexLock lock(s.db_mu);
    return app::FindFrozen(*s.store, account);
  }();
  if (!frozen.ok()) return frozen.status();
  for (const Case& c : frozen->cases) {
    if (!auth::CanReadCase(call.user, c.region)) {
      return Hidden(call, app::NothingFrozenAt(account),
                    "account " + account + " holds money of case " + c.id + " outside region " +
                        call.user.region);
    }
  }
  return frozen;
}

// The return plan of the money frozen at an account, its cases traced together on the live ledger
// (with transfers stored since it was built, trace::LedgerForCase).
Result<freeze::ReturnPlan> ReturnPlanOf(Server::Impl& s, const app::FrozenAt& frozen) {
  Server::Impl::LedgerState now = s.CurrentLedger();
  std::shared_ptr<const ledger::Ledger> ledger = now.ledger;
  if (!now.pending->empty()) {
    FANZHA_ASSIGN_OR_RETURN(trace::CaseLedger on,
                            trace::LedgerForCase(now.ledger, *now.pending,
                                                 app::AllPayments(frozen.cases), trace::Options{}));
    ledger = on.ledger;
  }
  return app::PlanReturn(*ledger, frozen);
}

Result<Reply> ReturnPlan(Server::Impl& s, Call& call) {
  std::string reason = call.query("reason");
  FANZHA_RETURN_IF_ERROR(RequireReason(reason, "plan a return", "制定资金返还方案"));
  FANZHA_ASSIGN_OR_RETURN(app::FrozenAt frozen, ScopedFrozen(s, call));
  FANZHA_ASSIGN_OR_RETURN(freeze::ReturnPlan plan, ReturnPlanOf(s, frozen));
  FANZHA_RETURN_IF_ERROR(
      s.Audit(call.user, "return.plan", "account " + frozen.account, reason, plan.rule));
  return JsonReply(freeze::ToJson(plan));
}

Result<Reply> RecordReturn(Server::Impl& s, Call& call) {
  FANZHA_ASSIGN_OR_RETURN(nlohmann::json body, BodyObject(call.req));
  FANZHA_ASSIGN_OR_RETURN(std::string reason, StringField(body, "reason"));
  FANZHA_RETURN_IF_ERROR(RequireReason(reason, "record a return", "登记资金返还"));
  FANZHA_ASSIGN_OR_RETURN(app::FrozenAt frozen, ScopedFrozen(s, call));
  FANZHA_ASSIGN_OR_RETURN(freeze::ReturnPlan plan, ReturnPlanOf(s, frozen));
  freeze::StoredReturn stored;
  Server::Impl::Note note{"return.record", "account " + frozen.account, reason, plan.rule};
  FANZHA_RETURN_IF_ERROR(s.Change(call.user, note, [&]() REQUIRES(s.db_mu) -> Status {
    FANZHA_ASSIGN_OR_RETURN(stored, app::RecordReturn(*s.store, plan, frozen, s.clock().Now()));
    note.detail = "return " + std::to_string(stored.id) + ", " + plan.rule;
    return Status::Ok();
  }));
  return JsonReply(freeze::ToJson(stored), 201);
}

Result<Reply> ListOrders(Server::Impl& s, Call& call) {
  freeze::OrderFilter f;
  f.case_id = call.query("case");
  f.account = call.query("account");
  f.institution = call.query("institution");
  if (!call.query("status").empty()) {
    Result<freeze::OrderStatus> st = freeze::ParseOrderStatus(call.query("status"));
    if (!st.ok()) return FieldOf("status: ", st.status());
    f.status = *st;
  }
  if (call.user.role == auth::Role::kBank)
    f.institution = call.user.institution;
  else if (call.user.role != auth::Role::kCentre && call.user.role != auth::Role::kInvestigator)
    return Forbidden("a " + std::string(auth::Name(call.user.role)) + " may not see freeze orders")
        .WithZh("角色 " + std::string(auth::Name(call.user.role)) + " 无权查看冻结/止付指令");
  Result<std::vector<freeze::Order>> orders = [&] {
    MutexLock lock(s.db_mu);
    return freeze::OrderBook(s.store->sql()).List(f);
  }();
  if (!orders.ok()) return orders.status();
  json list = json::array();
  for (const auto& o : *orders) {
    if (MaySeeOrder(s, call.user, o)) list.push_back(freeze::ToJson(o));
  }
  FANZHA_RETURN_IF_ERROR(s.Audit(call.user, "freeze.list",
                                 f.case_id.empty() ? f.institution : f.case_id,
                                 call.query("reason"), std::to_string(list.size()) + " orders"));
  return JsonReply({{"orders", list}});
}

Result<Reply> MoveOrder(Server::Impl& s, Call& call) {
  FANZHA_ASSIGN_OR_RETURN(int64_t id, OrderId(call));
  FANZHA_ASSIGN_OR_RETURN(nlohmann::json body, BodyObject(call.req));
  FANZHA_ASSIGN_OR_RETURN(std::string to_name, StringField(body, "to"));
  FANZHA_ASSIGN_OR_RETURN(std::string note, StringField(body, "note"));
  Result<freeze::OrderStatus> to = freeze::ParseOrderStatus(to_name);
  if (!to.ok()) return FieldOf("to: ", to.status());
  std::optional<Fen> amount;
  if (body.contains("amount") && !body["amount"].is_null()) {
    FANZHA_ASSIGN_OR_RETURN(amount, MoneyValue(body["amount"], "amount"));
  }
  if (call.user.role == auth::Role::kBank && *to != freeze::OrderStatus::kExecuted &&
      *to != freeze::OrderStatus::kRejected)
    return Forbidden("a bank liaison may only mark an order executed or rejected")
        .WithZh("银行联络员只能将指令标记为 executed（已执行）或 rejected（已拒绝）");

  FANZHA_ASSIGN_OR_RETURN(freeze::Order before, ScopedOrder(s, call, id));
  freeze::Order moved;
  Server::Impl::Note entry{"freeze.move", "order " + std::to_string(id), note,
                           std::string(freeze::Name(before.status)) + " -> " + to_name};
  FANZHA_RETURN_IF_ERROR(s.Change(call.user, entry, [&]() REQUIRES(s.db_mu) -> Status {
    FANZHA_ASSIGN_OR_RETURN(
        moved, freeze::OrderBook(s.store->sql()).Move(id, *to, amount, note, s.clock().Now()));
    return Status::Ok();
  }));
  if (*to == freeze::OrderStatus::kSent) s.OrdersSent();
  return JsonReply(freeze::ToJson(moved));
}

}  // namespace

void Server::Impl::AddFreezeRoutes() {
  Route("POST", R"(/api/cases/([^/]+)/freeze-orders)", Access(kCaseRoles, kFormBody),
        [this](Call& call) { return Draft(*this, call); });
  Route("GET", "/api/freeze-orders", Access(kOrderRoles),
        [this](Call& call) { return ListOrders(*this, call); });
  Route("GET", R"(/api/freeze-orders/(\d+))", Access(kOrderRoles),
        [this](Call& call) -> Result<Reply> {
          FANZHA_ASSIGN_OR_RETURN(int64_t id, OrderId(call));
          FANZHA_ASSIGN_OR_RETURN(freeze::Order o, ScopedOrder(*this, call, id));
          FANZHA_RETURN_IF_ERROR(
              Audit(call.user, "freeze.read", "order " + std::to_string(id), call.query("reason")));
          return JsonReply(freeze::ToJson(o));
        });
  Route("POST", R"(/api/freeze-orders/(\d+)/move)", Access(kOrderRoles, kFormBody),
        [this](Call& call) { return MoveOrder(*this, call); });
  Route("GET", R"(/api/accounts/([^/]+)/return-plan)", Access(kCaseRoles),
        [this](Call& call) { return ReturnPlan(*this, call); });
  Route("POST", R"(/api/accounts/([^/]+)/returns)", Access(kCentreRoles, kFormBody),
        [this](Call& call) { return RecordReturn(*this, call); });
}

}  // namespace fanzha::server
