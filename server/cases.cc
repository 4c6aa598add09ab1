// Routes for cases: report intake, reading, tracing, freeze plans.
#include <algorithm>

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

Status FieldOf(const std::string& prefix, const Status& st) {
  if (st.ok()) return st;
  Status out = st.WithMessage(prefix + st.message());
  const std::string zh = st.zh();
  // A Chinese text of its own (not the code's generic line with the English message) gets the
  // field too.
  return zh.starts_with(ErrorCodeZh(st.code())) ? out : out.WithZh(prefix + zh);
}

Result<Fen> MoneyField(const nlohmann::json& obj, const char* key, const std::string& field) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return Status::Invalid(field + ": missing");
  FANZHA_ASSIGN_OR_RETURN(Fen v, MoneyValue(*it, field));
  if (v <= 0) return Status::Invalid(field + ": must be more than 0");
  return v;
}

// A transfers.csv row given as a JSON object.
Result<Transfer> ParseTransfer(const nlohmann::json& obj, const std::string& field) {
  if (!obj.is_object()) return Status::Invalid(field + ": not an object");
  Transfer t;
  std::string time, channel;
  for (auto [key, out] : {std::pair{"id", &t.id},
                          {"time", &time},
                          {"from", &t.from},
                          {"to", &t.to},
                          {"channel", &channel},
                          {"memo", &t.memo},
                          {"ip", &t.ip},
                          {"device", &t.device}}) {
    Result<std::string> v = StringField(obj, key);
    if (!v.ok()) return FieldOf(field + ".", v.status());
    *out = *v;
  }
  if (t.id.empty()) return Status::Invalid(field + ".id: missing");
  if (time.empty()) return Status::Invalid(field + ".time: missing");
  Result<Millis> at = ParseTime(time);
  if (!at.ok()) return FieldOf(field + ".time: ", at.status());
  t.time = *at;
  FANZHA_ASSIGN_OR_RETURN(t.amount, MoneyField(obj, "amount", field + ".amount"));
  Result<Channel> ch = ParseChannel(channel);
  if (!ch.ok()) return FieldOf(field + ".channel: ", ch.status());
  t.channel = *ch;
  for (auto [name, account] : {std::pair{"from", &t.from}, {"to", &t.to}}) {
    FANZHA_RETURN_IF_ERROR(FieldOf(field + ".", CheckLength(name, *account, Limits::kAccount)));
    if (!account->empty()) *account = normalise::NormaliseAccount(*account);
  }
  // The importer's rules, the same for a posted report as for transfers.csv.
  FANZHA_RETURN_IF_ERROR(FieldOf(field + ".", import::CheckTransfer(t)));
  return t;
}

struct Intake {
  Case c;
  std::string reason;  // optional, audited
  std::vector<Transfer> transfers;
};

Result<Intake> ParseIntake(const http::Request& req) {
  FANZHA_ASSIGN_OR_RETURN(nlohmann::json body, BodyObject(req));
  auto it = body.find("case");
  if (it == body.end() || !it->is_object()) return Status::Invalid("case: missing (an object)");
  Intake in;
  FANZHA_ASSIGN_OR_RETURN(in.reason, StringField(body, "reason"));
  Result<Case> c = import::ParseCaseJson(*it);  // the parsed value: never serialised again
  if (!c.ok()) return FieldOf("case.", c.status());
  in.c = std::move(*c);
  auto ts = body.find("transfers");
  if (ts != body.end() && !ts->is_null()) {
    if (!ts->is_array()) return Status::Invalid("transfers: not a list");
    for (size_t i = 0; i < ts->size(); ++i) {
      FANZHA_ASSIGN_OR_RETURN(Transfer t,
                              ParseTransfer((*ts)[i], "transfers[" + std::to_string(i) + "]"));
      in.transfers.push_back(std::move(t));
    }
  }
  return in;
}

struct Stored {
  bool created = false;         // the case is new (not a repeat of a stored one)
  std::vector<Transfer> added;  // the transfers the store did not hold yet
};

// Stores the case and its transfers in one transaction.
Result<Stored> StoreIntake(store::Store& store, const Intake& in) {
  FANZHA_ASSIGN_OR_RETURN(auto imp, store.BeginImport());
  Stored out;
  for (size_t i = 0; i < in.transfers.size(); ++i) {
    Result<store::PutOutcome> r = imp->PutTransfer(in.transfers[i]);
    if (!r.ok()) return FieldOf("transfers[" + std::to_string(i) + "]: ", r.status());
    if (*r == store::PutOutcome::kAdded) out.added.push_back(in.transfers[i]);
  }
  Result<store::PutOutcome> r = imp->PutCase(in.c);
  if (!r.ok()) return FieldOf("case: ", r.status());
  FANZHA_RETURN_IF_ERROR(imp->Commit());
  out.created = *r == store::PutOutcome::kAdded;
  return out;
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
    return Forbidden("a " + std::string(auth::Name(call.user.role)) + " may not read cases");
  FANZHA_ASSIGN_OR_RETURN(auto c, s.GetCase(id));
  if (!auth::CanReadCase(call.user, c->region)) {
    return Hidden(call, Status::NotFound("no case " + id),
                  "case " + id + " is outside region " + call.user.region);
  }
  return c;
}

Result<trace::Options> TraceOptionsOf(const Call& call, const std::string& policy_name) {
  trace::Options o;
  Result<trace::Policy> p = trace::ParsePolicy(policy_name.empty() ? "fifo" : policy_name);
  if (!p.ok()) return FieldOf("policy: ", p.status());
  o.policy = *p;
  std::string until = call.query("until"), min = call.query("min_amount");
  FANZHA_ASSIGN_OR_RETURN(int64_t max_hops, call.number("max_hops", o.max_hops, 1, 1000));
  o.max_hops = static_cast<int>(max_hops);
  if (!until.empty()) {
    Result<Millis> t = ParseTime(until);
    if (!t.ok()) return FieldOf("until: ", t.status());
    o.until = *t;
  }
  if (!min.empty()) {
    Result<Fen> m = ParseMoney(min);
    if (!m.ok()) return FieldOf("min_amount: ", m.status());
    o.min_amount = *m;
  }
  return o;
}

// `flows_limit=N` asks for a summary of the trace (trace::ToJson); absent: the whole answer.
Result<std::optional<size_t>> FlowsLimitOf(const Call& call) {
  if (call.query("flows_limit").empty()) return std::optional<size_t>();
  FANZHA_ASSIGN_OR_RETURN(int64_t n, call.number("flows_limit", 0, 0, 999999999));
  return std::optional<size_t>(n);
}

Result<Server::Impl::CaseTrace> Server::Impl::TraceCase(const Case& c, const trace::Options& o) {
  LedgerState now = CurrentLedger();
  CaseTrace out;
  FANZHA_ASSIGN_OR_RETURN(out.on, trace::LedgerForCase(now.ledger, *now.pending, c, o));
  FANZHA_ASSIGN_OR_RETURN(auto seeds, trace::SeedsOfCase(*out.on.ledger, c));
  FANZHA_ASSIGN_OR_RETURN(out.answer, trace::Trace(*out.on.ledger, seeds, out.on.options));
  return out;
}

Status RequireReason(const std::string& reason, const char* what) {
  if (reason.empty())
    return Status::Invalid(std::string("reason: required to ") + what + " (it is audited)");
  return Status::Ok();
}

void Server::Impl::AddCaseRoutes() {
  Route("POST", "/api/cases", Access(kCaseRoles, kReportBody), [this](Call& call) -> Result<Reply> {
    FANZHA_ASSIGN_OR_RETURN(Intake in, ParseIntake(call.req));
    if (!auth::CanWriteCase(call.user, in.c.region))
      return Forbidden("you may not report a case of region '" + in.c.region + "'");
    // The case, its transfers and the audit entry are stored together or not at all.
    Stored stored;
    Note note{"case.create", in.c.id, in.reason, ""};
    FANZHA_RETURN_IF_ERROR(Change(call.user, note, [&]() REQUIRES(db_mu) -> Status {
      Result<int64_t> before = store->CountTransfers();
      FANZHA_ASSIGN_OR_RETURN(stored, StoreIntake(*store, in));
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
    size_t added = stored.added.size();
    if (added > 0) AddTransfers(std::move(stored.added));
    return JsonReply({{"case", in.c.id},
                      {"created", stored.created},
                      {"transfers_added", added},
                      {"ledger_version", CurrentLedger().version}},
                     stored.created ? 201 : 200);
  });

  Route("GET", "/api/cases", Access(kCaseRoles), [this](Call& call) -> Result<Reply> {
    if (call.user.role != auth::Role::kCentre && call.user.role != auth::Role::kInvestigator)
      return Forbidden("a " + std::string(auth::Name(call.user.role)) + " may not read cases");
    std::string region = call.query("region");
    if (!region.empty() && !region::Covers(call.user.region, region))
      return Forbidden("region " + region + " is outside your region " + call.user.region);
    FANZHA_ASSIGN_OR_RETURN(const size_t limit, call.number("limit", 100, 0, kMaxPage));
    FANZHA_ASSIGN_OR_RETURN(const size_t offset, call.number("offset", 0, 0, INT32_MAX));
    json list = json::array();
    size_t total = 0;
    Status st = [&] {
      MutexLock lock(db_mu);
      return store->ForEachCase([&](const Case& c) {
        if (!auth::CanReadCase(call.user, c.region) || !region::Covers(region, c.region)) return;
        if (total++ >= offset && list.size() < limit) list.push_back(CaseSummary(c));
      });
    }();
    FANZHA_RETURN_IF_ERROR(st);
    FANZHA_RETURN_IF_ERROR(Audit(call.user, "case.list", region, call.query("reason"),
                                 std::to_string(list.size()) + " cases"));
    return JsonReply({{"cases", list}, {"total", total}});
  });

  Route("GET", R"(/api/cases/([^/]+))", Access(kCaseRoles), [this](Call& call) -> Result<Reply> {
    FANZHA_ASSIGN_OR_RETURN(auto c, ScopedCase(*this, call, call.path_part(1)));
    FANZHA_RETURN_IF_ERROR(Audit(call.user, "case.read", c->id, call.query("reason")));
    return JsonReply(CaseJson(*c));
  });

  Route("GET", R"(/api/cases/([^/]+)/trace)", Access(kCaseRoles),
        [this](Call& call) -> Result<Reply> {
          std::string reason = call.query("reason");
          FANZHA_RETURN_IF_ERROR(RequireReason(reason, "trace a case"));
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
        FANZHA_RETURN_IF_ERROR(RequireReason(reason, "plan freezes"));
        FANZHA_ASSIGN_OR_RETURN(trace::Options opts, TraceOptionsOf(call, call.query("policy")));
        FANZHA_ASSIGN_OR_RETURN(auto c, ScopedCase(*this, call, call.path_part(1)));
        FANZHA_RETURN_IF_ERROR(Audit(call.user, "freeze.plan", c->id, reason));
        FANZHA_ASSIGN_OR_RETURN(CaseTrace traced, TraceCase(*c, opts));
        return JsonReply(freeze::ToJson(freeze::MakePlan(*traced.on.ledger, traced.answer, c->id)));
      });
}

}  // namespace fanzha::server
