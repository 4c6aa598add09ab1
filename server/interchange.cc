// The bank interchange and the legal clocks in the server: the platform side of
// docs/spec/INTERCHANGE.md (with --nats), the periodic sweep of lapsed orders, and the routes for
// orders due soon, renewals, releases, statement queries and the interchange's state.
#include <cstdio>

#include "app/audited.h"
#include "federated/courier.h"
#include "federated/stop_payments.h"
#include "interchange/directory.h"
#include "interchange/platform.h"
#include "server/impl.h"

namespace fanzha::server {
namespace {

bool MayAskBanks(const auth::User& u) {
  return u.role == auth::Role::kCentre || u.role == auth::Role::kInvestigator;
}

Status NotForRole(const auth::User& u, const char* what, const char* what_zh) {
  return Forbidden("a " + std::string(auth::Name(u.role)) + " may not " + what)
      .WithZh("角色 " + std::string(auth::Name(u.role)) + " 无权" + what_zh);
}

json OrdersJson(Server::Impl& s, const auth::User& u, const std::vector<freeze::Order>& orders) {
  json list = json::array();
  for (const auto& o : orders) {
    if (MaySeeOrder(s, u, o)) list.push_back(freeze::ToJson(o));
  }
  return list;
}

// Renewal or release of an order the caller may see: the body's document, audited.
Result<Reply> RenewOrRelease(Server::Impl& s, Call& call, bool renew) {
  if (!MayAskBanks(call.user))
    return NotForRole(call.user, renew ? "renew orders" : "release orders",
                      renew ? "续止/续冻指令" : "解除冻结/止付");
  FANZHA_ASSIGN_OR_RETURN(int64_t id, OrderId(call));
  FANZHA_ASSIGN_OR_RETURN(nlohmann::json body, BodyObject(call.req));
  FANZHA_ASSIGN_OR_RETURN(std::string document, StringField(body, "document"));
  FANZHA_ASSIGN_OR_RETURN(std::string reason, StringField(body, "reason"));
  FANZHA_ASSIGN_OR_RETURN(bool send, BoolField(body, "send"));
  FANZHA_ASSIGN_OR_RETURN(freeze::Order order, ScopedOrder(s, call, id));
  freeze::Mandate mandate{document, call.user.name, call.user.region};
  Millis now = s.clock().Now();
  json answer;
  Server::Impl::Note note{renew ? "freeze.renew" : "freeze.release", "order " + std::to_string(id),
                          reason, "document " + document};
  FANZHA_RETURN_IF_ERROR(s.Change(call.user, note, [&]() REQUIRES(s.db_mu) -> Status {
    freeze::OrderBook book(s.store->sql());
    if (renew) {
      FANZHA_ASSIGN_OR_RETURN(freeze::Renewal r, book.RequestRenewal(order.id, mandate, now));
      answer = freeze::ToJson(r);
      return Status::Ok();
    }
    FANZHA_ASSIGN_OR_RETURN(freeze::OrderBook::Drafted d, book.Release(order.id, mandate, now));
    if (send && d.order.status == freeze::OrderStatus::kPlanned) {
      FANZHA_ASSIGN_OR_RETURN(
          d.order, book.Move(d.order.id, freeze::OrderStatus::kSent, std::nullopt, "", now));
    }
    answer = freeze::ToJson(d.order);
    answer["created"] = d.created;
    return Status::Ok();
  }));
  s.OrdersSent();
  return JsonReply(answer, 201);
}

Result<Reply> AskStatement(Server::Impl& s, Call& call) {
  if (!MayAskBanks(call.user)) return NotForRole(call.user, "query statements", "查询账户流水");
  FANZHA_ASSIGN_OR_RETURN(nlohmann::json body, BodyObject(call.req));
  FANZHA_ASSIGN_OR_RETURN(std::string reason, StringField(body, "reason"));
  FANZHA_RETURN_IF_ERROR(RequireReason(reason, "query a statement", "查询账户流水"));
  interchange::StatementQuery q;
  FANZHA_ASSIGN_OR_RETURN(q.case_id, StringField(body, "case"));
  FANZHA_ASSIGN_OR_RETURN(q.account, StringField(body, "account"));
  FANZHA_ASSIGN_OR_RETURN(q.institution, StringField(body, "institution"));
  FANZHA_ASSIGN_OR_RETURN(q.holder, StringField(body, "holder"));
  FANZHA_ASSIGN_OR_RETURN(q.from, TimeField(body, "from"));
  FANZHA_ASSIGN_OR_RETURN(q.to, TimeField(body, "to"));
  FANZHA_ASSIGN_OR_RETURN(q.mandate.document, StringField(body, "document"));
  q.mandate.requested_by = call.user.name;
  q.mandate.unit = call.user.region;
  if (q.case_id.empty())
    return Status::Invalid("case: a statement is asked for a case (it is audited)")
        .WithZh("case：查询流水须关联案件（将记入审计日志）");
  FANZHA_ASSIGN_OR_RETURN(auto c, ScopedCase(s, call, q.case_id));
  interchange::StatementQuery asked;
  Server::Impl::Note note{"statement.ask", c->id, reason, ""};
  FANZHA_RETURN_IF_ERROR(s.Change(call.user, note, [&]() REQUIRES(s.db_mu) -> Status {
    FANZHA_ASSIGN_OR_RETURN(asked, interchange::AskStatement(s.store->sql(), q, s.clock().Now()));
    note.detail = "query " + std::to_string(asked.id) + " of " + q.account;
    return Status::Ok();
  }));
  s.OrdersSent();
  return JsonReply(interchange::ToJson(asked), 201);
}

}  // namespace

Result<freeze::DraftOptions> DraftOptionsOf(const nlohmann::json& body, const auth::User& u) {
  freeze::DraftOptions o;
  FANZHA_ASSIGN_OR_RETURN(std::string kind, StringField(body, "kind"));
  if (!kind.empty()) {
    Result<freeze::OrderKind> k = freeze::ParseOrderKind(kind);
    if (!k.ok()) return FieldOf("kind: ", k.status());
    o.kind = *k;
  }
  FANZHA_ASSIGN_OR_RETURN(o.mandate.document, StringField(body, "document"));
  o.mandate.requested_by = u.name;
  o.mandate.unit = u.region;
  if (body.contains("accounts") && !body["accounts"].is_null()) {
    if (!body["accounts"].is_array())
      return Status::Invalid("accounts: not a list").WithZh("accounts：须为列表");
    for (const auto& a : body["accounts"]) {
      if (!a.is_string())
        return Status::Invalid("accounts: not a list of account numbers")
            .WithZh("accounts：须为账号列表");
      o.accounts.push_back(a.get<std::string>());
    }
  }
  return o;
}

void Server::Impl::OrdersSent() {
  if (platform) platform->Wake();
}

Status Server::Impl::SweepLapsed() {
  {
    MutexLock lock(db_mu);
    FANZHA_ASSIGN_OR_RETURN(app::Swept swept, app::SweepLapsed(*store, *audit_key, clock().Now()));
    if (swept.head.id == 0) return Status::Ok();
    head = {swept.head.id, swept.head.hash};
  }
  PublishHead(false);
  return Status::Ok();
}

Status Server::Impl::StartInterchange() {
  if (!options.nats_url.empty()) {
    interchange::PlatformOptions po;
    po.db = options.db;
    po.nats.url = options.nats_url;
    po.platform = options.platform;
    po.replicas = options.nats_replicas;
    po.clock = &clock();
    po.audit_key = &*audit_key;
    FANZHA_ASSIGN_OR_RETURN(platform, interchange::Platform::Start(po));
  }
  if (options.sweep_every > 0) {
    FANZHA_RETURN_IF_ERROR(SweepLapsed());
    sweeper = std::thread([this] {
      for (;;) {
        {
          MutexLock lock(sweep_mu);
          if (!sweep_stopping)
            sweep_cv.WaitFor(sweep_mu, std::chrono::milliseconds(options.sweep_every));
          if (sweep_stopping) return;
        }
        Status st = SweepLapsed();
        if (!st.ok())
          std::fprintf(stderr, "fanzha serve: sweep of lapsed orders: %s\n", st.ToString().c_str());
      }
    });
  }
  return Status::Ok();
}

void Server::Impl::StopInterchange() {
  federated_stopping = true;  // walks answer with what they have
  std::vector<std::pair<std::thread, std::shared_ptr<FederatedRun>>> walks;
  {
    MutexLock lock(federated_mu);
    walks.swap(federated_threads);
  }
  for (auto& walk : walks) walk.first.join();
  {
    MutexLock lock(sweep_mu);
    sweep_stopping = true;
  }
  sweep_cv.SignalAll();
  if (sweeper.joinable()) sweeper.join();
  if (platform) platform->Stop();
}

void Server::Impl::ReapFederated() {
  // A walk's thread ends right after it marks its run finished (RunFederated's last step).
  std::vector<std::pair<std::thread, std::shared_ptr<FederatedRun>>> running;
  for (auto& walk : federated_threads) {
    if (walk.second->status == "running") {
      running.push_back(std::move(walk));
    } else {
      walk.first.join();
    }
  }
  federated_threads.swap(running);
}

json Server::Impl::FederatedJson(const std::string& case_id, const FederatedRun& run) {
  json doc = {{"case", case_id},
              {"status", run.status},
              {"by", run.by},
              {"started_at", FormatTime(run.started_at)},
              {"finished_at", run.finished_at ? json(FormatTime(run.finished_at)) : json()},
              {"progress", run.progress},
              {"orders", run.orders}};
  if (!run.answer.is_null()) doc["answer"] = run.answer;
  if (!run.error.is_null()) doc["error"] = run.error;
  return doc;
}

void Server::Impl::RunFederated(std::shared_ptr<FederatedRun> run, Case c,
                                federated::Options options, bool stop_payments) {
  auto finish = [&](const Result<federated::Answer>& answer, const audit::Entry& head) {
    if (head.id) {
      MutexLock lock(db_mu);
      if (head.id > this->head.id) this->head = {head.id, head.hash};
    }
    MutexLock lock(federated_mu);
    run->finished_at = clock().Now();
    if (answer.ok()) {
      run->status = "done";
      run->answer = federated::ToJson(*answer, c.id);
      run->progress = run->answer["progress"];
    } else {
      run->status = "failed";
      run->error = {{"code", ErrorCodeName(answer.status().code())},
                    {"message", answer.status().message()},
                    {"message_zh", answer.status().zh()}};
    }
  };
  // The walk's own connection: it writes (queries, orders) in transactions of its own, beside the
  // server's, as the platform's threads do.
  Result<std::unique_ptr<store::Store>> store = store::Store::Open(this->options.db);
  if (!store.ok()) return finish(store.status(), {});
  federated::PlatformCourier courier(*platform);
  // Which bank issues an account the registry does not know: the prefixes bank nodes announce.
  std::optional<interchange::Directory> directory;
  if (auto nats = interchange::Connection::Open({this->options.nats_url, "fanzha serve directory"});
      nats.ok()) {
    if (auto loaded = interchange::LoadDirectory(**nats); loaded.ok())
      directory = std::move(*loaded);
  }
  if (directory) {
    options.bank_of = [&directory](std::string_view account) {
      return directory->InstitutionOf(account);
    };
  }
  audit::Entry who;
  who.user = options.user;
  who.role = options.role;
  who.reason = options.reason;
  federated::StopPayments stops(**store, *audit_key, c.id, options.mandate, who);
  Status stop_error;
  options.on_round = [&](const federated::Progress& p, const trace::Answer& a,
                         const ledger::Ledger& ledger) {
    federated::Answer partial;
    partial.progress = p;
    json progress = federated::ToJson(partial, c.id)["progress"];
    json sent = json::array();
    if (stop_payments && stop_error.ok()) {
      Result<std::vector<freeze::Order>> made = stops.AfterRound(a, ledger, clock().Now());
      if (made.ok()) {
        for (const freeze::Order& o : *made) sent.push_back(freeze::ToJson(o));
        if (!made->empty()) OrdersSent();
      } else {
        stop_error = made.status();
      }
    }
    MutexLock lock(federated_mu);
    run->progress = std::move(progress);
    for (json& o : sent) run->orders.push_back(std::move(o));
  };
  options.stop = &federated_stopping;
  Result<federated::Answer> answer = federated::Walk(**store, c.id, courier, options);
  if (answer.ok() && !stop_error.ok()) answer = stop_error;
  audit::Entry head = stops.audit_head();
  if (answer.ok() && answer->audit_head.id > head.id) head = answer->audit_head;
  finish(answer, head);
}

namespace {

// POST /api/cases/{id}/federated-trace: starts following the case's money through the banks.
Result<Reply> StartFederated(Server::Impl& s, Call& call) {
  if (!MayAskBanks(call.user))
    return NotForRole(call.user, "trace a case through the banks", "经银行追踪案件资金");
  FANZHA_ASSIGN_OR_RETURN(nlohmann::json body, BodyObject(call.req));
  FANZHA_ASSIGN_OR_RETURN(std::string reason, StringField(body, "reason"));
  FANZHA_RETURN_IF_ERROR(RequireReason(reason, "trace a case through the banks", "经银行追踪资金"));
  FANZHA_ASSIGN_OR_RETURN(std::string document, StringField(body, "document"));
  if (document.empty()) {
    return Status::Invalid("document: statement queries rest on a document (协查文书) number")
        .WithZh("document：调单须填写协查文书文号");
  }
  FANZHA_ASSIGN_OR_RETURN(std::string policy, StringField(body, "policy"));
  FANZHA_ASSIGN_OR_RETURN(bool stop_payments, BoolField(body, "stop_payments"));
  FANZHA_ASSIGN_OR_RETURN(trace::Options trace_options, TraceOptionsOf(call, policy));
  FANZHA_ASSIGN_OR_RETURN(auto c, ScopedCase(s, call, call.path_part(1)));
  if (!s.platform) {
    return Status(ErrorCode::kConflict,
                  "this server has no bank interchange: start it with --nats to trace through the "
                  "banks")
        .WithZh("本服务器未接入银行协查通道：请以 --nats 启动后再经银行追踪");
  }
  federated::Options options;
  options.trace = trace_options;
  options.user = call.user.name;
  options.role = std::string(auth::Name(call.user.role));
  options.reason = reason;
  options.mandate = {document, call.user.name, call.user.region};
  options.audit_key = &*s.audit_key;
  options.clock = &s.clock();
  auto run = std::make_shared<Server::Impl::FederatedRun>();
  run->by = call.user.name;
  run->started_at = s.clock().Now();
  json answer;
  {
    MutexLock lock(s.federated_mu);
    auto& slot = s.federated_runs[c->id];
    if (slot && slot->status == "running") {
      return Status(ErrorCode::kConflict, "a trace of case " + c->id +
                                              " through the banks is "
                                              "running: GET it to follow it")
          .WithZh("案件 " + c->id + " 的经银行追踪正在进行：请用 GET 查看进度");
    }
    slot = run;
    answer = s.FederatedJson(c->id, *run);
    s.ReapFederated();
    std::thread walk([&s, run, cs = *c, options, stop_payments]() {
      s.RunFederated(run, cs, options, stop_payments);
    });
    s.federated_threads.emplace_back(std::move(walk), run);
  }
  FANZHA_RETURN_IF_ERROR(
      s.Audit(call.user, "case.trace_via_banks", c->id, reason,
              "document " + document + (stop_payments ? ", stop-payments" : "")));
  return JsonReply(answer, 202);
}

}  // namespace

void Server::Impl::AddInterchangeRoutes() {
  Route("GET", "/api/freeze-orders/due", Access(kOrderRoles), [this](Call& call) -> Result<Reply> {
    if (!MayAskBanks(call.user) && call.user.role != auth::Role::kBank)
      return NotForRole(call.user, "see freeze orders", "查看冻结/止付指令");
    std::string within_text = call.query("within").empty() ? "6h" : call.query("within");
    Result<Millis> within = ParseDuration(within_text);
    if (!within.ok()) return FieldOf("within: ", within.status());

    FANZHA_RETURN_IF_ERROR(SweepLapsed());
    Result<std::vector<freeze::Order>> due = [&] {
      MutexLock lock(db_mu);
      return freeze::OrderBook(store->sql()).Due(clock().Now(), *within);
    }();
    if (!due.ok()) return due.status();
    json list = OrdersJson(*this, call.user, *due);
    FANZHA_RETURN_IF_ERROR(Audit(call.user, "freeze.due", within_text, call.query("reason"),
                                 std::to_string(list.size()) + " orders"));
    return JsonReply(
        {{"within", within_text}, {"now", FormatTime(clock().Now())}, {"orders", list}});
  });
  Route("GET", R"(/api/freeze-orders/(\d+)/history)", Access(kOrderRoles),
        [this](Call& call) -> Result<Reply> {
          FANZHA_ASSIGN_OR_RETURN(int64_t id, OrderId(call));
          FANZHA_ASSIGN_OR_RETURN(freeze::Order o, ScopedOrder(*this, call, id));
          json doc = freeze::ToJson(o);
          Status st = [&]() -> Status {
            MutexLock lock(db_mu);
            freeze::OrderBook book(store->sql());
            FANZHA_ASSIGN_OR_RETURN(auto events, book.History(id));
            FANZHA_ASSIGN_OR_RETURN(auto renewals, book.Renewals(id));
            FANZHA_ASSIGN_OR_RETURN(auto requests,
                                    interchange::ListRequests(store->sql(), id, 100));
            doc["history"] = json::array();
            for (const auto& e : events) doc["history"].push_back(freeze::ToJson(e));
            doc["renewal_requests"] = json::array();
            for (const auto& r : renewals) doc["renewal_requests"].push_back(freeze::ToJson(r));
            doc["interchange"] = json::array();
            for (const auto& r : requests) doc["interchange"].push_back(interchange::ToJson(r));
            return Status::Ok();
          }();
          FANZHA_RETURN_IF_ERROR(st);
          FANZHA_RETURN_IF_ERROR(Audit(call.user, "freeze.read", "order " + std::to_string(id),
                                       call.query("reason"), "history"));
          return JsonReply(doc);
        });
  Route("POST", R"(/api/freeze-orders/(\d+)/renew)", Access(kCaseRoles, kFormBody),
        [this](Call& call) { return RenewOrRelease(*this, call, true); });
  Route("POST", R"(/api/freeze-orders/(\d+)/release)", Access(kCaseRoles, kFormBody),
        [this](Call& call) { return RenewOrRelease(*this, call, false); });
  Route("POST", R"(/api/cases/([^/]+)/federated-trace)", Access(kCaseRoles, kFormBody),
        [this](Call& call) { return StartFederated(*this, call); });
  Route("GET", R"(/api/cases/([^/]+)/federated-trace)", Access(kCaseRoles),
        [this](Call& call) -> Result<Reply> {
          if (!MayAskBanks(call.user))
            return NotForRole(call.user, "follow a trace through the banks",
                              "查看经银行追踪资金的进度");
          FANZHA_ASSIGN_OR_RETURN(auto c, ScopedCase(*this, call, call.path_part(1)));
          json doc;
          {
            MutexLock lock(federated_mu);
            auto run = federated_runs.find(c->id);
            if (run == federated_runs.end()) {
              return Status::NotFound("case " + c->id + " has not been traced through the banks")
                  .WithZh("案件 " + c->id + " 尚未经银行追踪");
            }
            doc = FederatedJson(c->id, *run->second);
          }
          if (doc["status"] != "running") {
            FANZHA_RETURN_IF_ERROR(Audit(call.user, "case.trace_via_banks.read", c->id,
                                         call.query("reason"), doc["status"].get<std::string>()));
          }
          return JsonReply(doc);
        });
  Route("POST", "/api/statement-queries", Access(kCaseRoles, kFormBody),
        [this](Call& call) { return AskStatement(*this, call); });
  Route("GET", "/api/statement-queries", Access(kCentreRoles), [this](Call& call) -> Result<Reply> {
    if (call.user.role != auth::Role::kCentre)
      return NotForRole(call.user, "list statement queries", "查看流水查询列表");
    Result<std::vector<interchange::StatementQuery>> list = [&] {
      MutexLock lock(db_mu);
      return interchange::ListStatementQueries(store->sql(), call.query("account"));
    }();
    if (!list.ok()) return list.status();
    json out = json::array();
    for (const auto& q : *list) out.push_back(interchange::ToJson(q));
    FANZHA_RETURN_IF_ERROR(
        Audit(call.user, "statement.list", call.query("account"), call.query("reason")));
    return JsonReply({{"queries", out}});
  });
  Route("GET", "/api/interchange", Access(kCentreRoles), [this](Call& call) -> Result<Reply> {
    if (call.user.role != auth::Role::kCentre)
      return NotForRole(call.user, "see the interchange", "查看协查通道状态");
    json doc = {{"enabled", platform != nullptr}, {"platform", options.platform}};
    if (platform) {
      interchange::Platform::Stats st = platform->stats();
      doc["connected"] = st.connected;
      doc["published"] = st.published;
      doc["applied"] = st.applied;
      doc["pending"] = st.pending;
      doc["duplicates"] = st.duplicates;
      doc["faults"] = st.faults;
      doc["errors"] = st.errors;
    }
    Status st = [&]() -> Status {
      MutexLock lock(db_mu);
      FANZHA_ASSIGN_OR_RETURN(auto requests, interchange::ListRequests(store->sql(), 0, 50));
      FANZHA_ASSIGN_OR_RETURN(auto faults, interchange::ListFaults(store->sql(), 50));
      doc["requests"] = json::array();
      for (const auto& r : requests) doc["requests"].push_back(interchange::ToJson(r));
      doc["recent_faults"] = json::array();
      for (const auto& f : faults) {
        doc["recent_faults"].push_back({{"id", f.id},
                                        {"at", FormatTime(f.at)},
                                        {"subject", f.subject},
                                        {"request", f.msg_id},
                                        {"reason", f.reason},
                                        {"excerpt", f.excerpt}});
      }
      return Status::Ok();
    }();
    FANZHA_RETURN_IF_ERROR(st);
    FANZHA_RETURN_IF_ERROR(Audit(call.user, "interchange.read", "", call.query("reason")));
    return JsonReply(doc);
  });
}

}  // namespace fanzha::server
