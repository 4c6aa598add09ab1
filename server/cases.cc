// Routes for cases: report intake, reading, tracing, freeze plans.
#include <algorithm>

#include "app/intake.h"
#include "core/json.h"
#include "freeze/freeze.h"
#include "import/import.h"
#include "normalise/normalise.h"
#include "region/region.h"
#include "server/impl.h"
#include "trace/trace.h"

namespace fanzha::server {
namespace {

json CaseSummary(const Case& c) {
  json j = {{"id", c.id},
            {"reported_at", FormatTime(c.reported_at)},
            {"region", c.region},
            {"category", c.category}};
  j["loss"] = c.loss ? json(FormatMoney(*c.loss)) : json(nullptr);
  j["transfers"] = c.transfers.size();
  return j;
}

}  // namespace

json CaseJson(const Case& c) {
  json j = CaseSummary(c);
  j["narrative"] = c.narrative;
  j["victim"] = {{"name", c.victim.name}, {"phone", c.victim.phone}, {"account", c.victim.account}};
  j["transfers"] = c.transfers;
  json ids = json::array();
  for (const Identifier& i : c.identifiers)
    ids.push_back({{"type", Name(i.type)}, {"value", i.value}});
  j["identifiers"] = ids;
  return j;
}

Result<std::shared_ptr<const Case>> ScopedCase(Server::Impl& s, Call& call, const std::string& id) {
  if (call.user.role != auth::Role::kCentre && call.user.role != auth::Role::kInvestigator)
    return Forbidden("a " + std::string(auth::Name(call.user.role)) + " may not read cases")
        .WithZh("角色 " + std::string(auth::Name(call.user.role)) + " 无权查看案件");
  FANZHA_ASSIGN_OR_RETURN(auto c, s.GetCase(id));
  if (!auth::CanReadCase(call.user, c->region)) {
    return Hidden(call, Status::NotFound("no case " + id).WithZh("案件 " + id + " 不存在"),
                  "case " + id + " is outside region " + call.user.region);
  }
  return c;
}

Result<trace::Options> TraceOptionsOf(const Call& call, const std::string& policy_name) {
  trace::Options o;
  Result<trace::Policy> p = trace::ParsePolicy(policy_name.empty() ? "fifo" : policy_name);
  if (!p.ok()) return FieldOf("policy: ", p.status());
  o.policy = *p;
  FANZHA_ASSIGN_OR_RETURN(int64_t max_hops, call.number("max_hops", o.max_hops, 1, 1000));
  o.max_hops = static_cast<int>(max_hops);
  FANZHA_ASSIGN_OR_RETURN(std::optional<Millis> until, call.time("until"));
  if (until) o.until = *until;
  FANZHA_ASSIGN_OR_RETURN(std::optional<Fen> min_amount, call.money("min_amount"));
  if (min_amount) o.min_amount = *min_amount;
  return o;
}

// `flows_limit=N` asks for a summary of the trace (trace::ToJson); absent: the whole answer.
Result<std::optional<size_t>> FlowsLimitOf(const Call& call) {
  if (call.query("flows_limit").empty()) return std::optional<size_t>();
  FANZHA_ASSIGN_OR_RETURN(int64_t n, call.number("flows_limit", 0, 0, 999999999));
  return std::optional<size_t>(n);
}

Status RequireReason(const std::string& reason, const char* what, const char* what_zh) {
  if (reason.empty())
    return Status::Invalid(std::string("reason: required to ") + what + " (it is audited)")
        .WithZh("reason：" + std::string(what_zh) + "须填写事由（将记入审计日志）");
  return Status::Ok();
}

void Server::Impl::AddCaseRoutes() {
  Route("POST", "/api/cases", Access(kCaseRoles, kReportBody), [this](Call& call) -> Result<Reply> {
    FANZHA_ASSIGN_OR_RETURN(nlohmann::json body, BodyObject(call.req));
    FANZHA_ASSIGN_OR_RETURN(app::Report in, app::ParseReport(body));
    if (!auth::CanWriteCase(call.user, in.c.region))
      return Forbidden("you may not report a case of region '" + in.c.region + "'")
          .WithZh("无权登记地区 '" + in.c.region + "' 的案件");

    // The case, its transfers and the audit entry are stored together or not at all.
    app::StoredReport stored;
    Note note{"case.create", in.c.id, in.reason, ""};
    FANZHA_RETURN_IF_ERROR(Change(call.user, note, [&]() REQUIRES(db_mu) -> Status {
      Result<int64_t> before = store->CountTransfers();
      FANZHA_ASSIGN_OR_RETURN(stored, app::StoreReport(*store, in));
      // What this post added is known (and pending): the store watcher need not rebuild for it,
      // unless another process stored transfers meanwhile.
      Result<int64_t> after = store->CountTransfers();
      if (before.ok() && after.ok() && *before == known_transfers &&
          *after - *before == static_cast<int64_t>(stored.added.size())) {
        known_transfers = *after;
      }
      note.detail = "transfers added " + std::to_string(stored.added.size());
      return Status::Ok();
    }));
    json answer = app::ToJson(in, stored);
    live->Add(std::move(stored.added));
    answer["ledger_version"] = CurrentLedger().version;
    return JsonReply(answer, stored.created ? 201 : 200);
  });

  Route("GET", R"(/api/cases/([^/]+))", Access(kCaseRoles), [this](Call& call) -> Result<Reply> {
    FANZHA_ASSIGN_OR_RETURN(auto c, ScopedCase(*this, call, call.path_part(1)));
    FANZHA_RETURN_IF_ERROR(Audit(call.user, "case.read", c->id, call.query("reason")));
    return JsonReply(CaseJson(*c));
  });

  Route("GET", R"(/api/cases/([^/]+)/trace)", Access(kCaseRoles),
        [this](Call& call) -> Result<Reply> {
          std::string reason = call.query("reason");
          FANZHA_RETURN_IF_ERROR(RequireReason(reason, "trace a case", "资金追踪"));
          FANZHA_ASSIGN_OR_RETURN(trace::Options opts, TraceOptionsOf(call, call.query("policy")));
          FANZHA_ASSIGN_OR_RETURN(std::optional<size_t> flows_limit, FlowsLimitOf(call));
          FANZHA_ASSIGN_OR_RETURN(auto c, ScopedCase(*this, call, call.path_part(1)));
          FANZHA_RETURN_IF_ERROR(Audit(call.user, "case.trace", c->id, reason,
                                       "policy=" + std::string(trace::Name(opts.policy))));
          std::string key = c->id + '\n' + std::string(trace::Name(opts.policy)) + '\n' +
                            std::to_string(opts.max_hops) + '\n' +
                            (opts.until ? std::to_string(*opts.until) : "") + '\n' +
                            std::to_string(opts.min_amount) + '\n' +
                            std::to_string(CurrentLedger().version) + '\n' +
                            (flows_limit ? std::to_string(*flows_limit) : "all");
          if (options.cache_traces) {
            MutexLock lock(cache_mu);
            auto it = traces.find(key);
            if (it != traces.end()) return Reply{200, *it->second};
          }
          FANZHA_ASSIGN_OR_RETURN(CaseTrace traced, TraceCase(*c, opts));
          auto body = std::make_shared<const std::string>(
              DumpJson(trace::ToJson(traced.answer, c->id, flows_limit)));
          if (options.cache_traces) {
            MutexLock lock(cache_mu);
            if (traces.size() > 10000) traces.clear();  // bounded: a simple reset is enough here
            traces.emplace(key, body);
          }
          return Reply{200, *body};
        });

  Route(
      "GET", R"(/api/cases/([^/]+)/freeze-plan)", Access(kCaseRoles),
      [this](Call& call) -> Result<Reply> {
        std::string reason = call.query("reason");
        FANZHA_RETURN_IF_ERROR(RequireReason(reason, "plan freezes", "制定冻结/止付方案"));
        FANZHA_ASSIGN_OR_RETURN(trace::Options opts, TraceOptionsOf(call, call.query("policy")));
        FANZHA_ASSIGN_OR_RETURN(auto c, ScopedCase(*this, call, call.path_part(1)));
        FANZHA_RETURN_IF_ERROR(Audit(call.user, "freeze.plan", c->id, reason));
        FANZHA_ASSIGN_OR_RETURN(CaseTrace traced, TraceCase(*c, opts));
        return JsonReply(freeze::ToJson(freeze::MakePlan(*traced.on.ledger, traced.answer, c->id)));
      });
}

}  // namespace fanzha::server
