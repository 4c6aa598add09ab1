// Routes for clusters, warnings, statistics and the audit log.
#include "app/profile.h"
#include "app/search.h"
#include "app/stats.h"
#include "app/warnings.h"
#include "core/text.h"
#include "link/from_store.h"
#include "link/json.h"
#include "server/impl.h"
#include "warn/store_io.h"

namespace fanzha::server {
namespace {

Result<Reply> Clusters(Server::Impl& s, Call& call) {
  if (!auth::CanSeeClusters(call.user))
    return Forbidden("clusters are for centres and investigators")
        .WithZh("串并案件仅供反诈中心和侦查员查看");
  FANZHA_ASSIGN_OR_RETURN(std::shared_ptr<const json> all, s.LinkedClusters());
  std::string only = call.query("case");
  json clusters = json::array();
  for (const auto& c : (*all)["clusters"]) {
    bool mine = false, wanted = only.empty();
    for (const auto& id : c["cases"]) {
      Result<std::shared_ptr<const Case>> k = s.GetCase(id.get<std::string>());
      mine |= k.ok() && auth::CanReadCase(call.user, (*k)->region);
      wanted |= id.get<std::string>() == only;
    }
    if (mine && wanted) clusters.push_back(c);
  }
  FANZHA_RETURN_IF_ERROR(s.Audit(call.user, "cluster.list", only, call.query("reason")));
  return JsonReply({{"clusters", clusters}, {"hubs", (*all)["hubs"]}});
}

// GET /api/search?q=TEXT: the cases (in the caller's region) and accounts behind an identifier.
Result<Reply> Search(Server::Impl& s, Call& call) {
  if (call.user.role != auth::Role::kCentre && call.user.role != auth::Role::kInvestigator)
    return Forbidden("a " + std::string(auth::Name(call.user.role)) + " may not search cases")
        .WithZh("角色 " + std::string(auth::Name(call.user.role)) + " 无权检索案件");
  const std::string q = call.query("q");
  // Audited first: what was looked for is itself personal data.
  FANZHA_RETURN_IF_ERROR(
      s.Audit(call.user, "search", Utf8Prefix(ValidUtf8(q), 128), call.query("reason")));
  Result<json> found = [&] {
    MutexLock lock(s.db_mu);
    return app::Search(*s.store, q, 100,
                       [&](const Case& c) { return auth::CanReadCase(call.user, c.region); });
  }();
  if (!found.ok()) return found.status();
  return JsonReply(*found);
}

// GET /api/profile?type=phone&value=TEXT: one identifier or account, everything known of it.
Result<Reply> Profile(Server::Impl& s, Call& call) {
  if (call.user.role != auth::Role::kCentre && call.user.role != auth::Role::kInvestigator)
    return Forbidden("a " + std::string(auth::Name(call.user.role)) + " may not read profiles")
        .WithZh("角色 " + std::string(auth::Name(call.user.role)) + " 无权查看画像");
  if (call.query("type").empty()) return Status::Invalid("type: required").WithZh("type：必填");
  Result<IdentifierType> type = ParseIdentifierType(call.query("type"));
  if (!type.ok()) return FieldOf("type: ", type.status());
  const std::string value = call.query("value");
  FANZHA_RETURN_IF_ERROR(s.Audit(call.user, "profile.read",
                                 std::string(Name(*type)) + " " + Utf8Prefix(ValidUtf8(value), 128),
                                 call.query("reason")));
  const Server::Impl::LedgerState ledger = s.CurrentLedger();
  app::ProfileScope scope;
  scope.may_read_case = [&](const Case& c) { return auth::CanReadCase(call.user, c.region); };
  scope.may_see_warnings = [&](const std::string& r) { return auth::CanSeeWarnings(call.user, r); };
  Result<json> profile = [&] {
    MutexLock lock(s.db_mu);
    return app::Profile(*s.store, ledger.ledger.get(), *type, value, scope);
  }();
  if (!profile.ok()) return profile.status();
  return JsonReply(*profile);
}

Result<Reply> Warnings(Server::Impl& s, Call& call) {
  std::string region = call.query("region");
  if (region.empty()) region = call.user.region;
  if (!auth::CanSeeWarnings(call.user, region))
    return Forbidden("the warnings of region '" + region + "' are not yours")
        .WithZh("无权查看地区 '" + region + "' 的预警");
  FANZHA_ASSIGN_OR_RETURN(const size_t limit, call.number("limit", 100, 0, kMaxPage));
  Result<std::vector<warn::QueuedWarning>> queue = [&] {
    MutexLock lock(s.db_mu);
    return warn::RegionQueue(s.store->sql(), region, limit);
  }();
  if (!queue.ok()) return queue.status();
  json list = json::array();
  for (const auto& w : *queue) list.push_back(app::ToJson(w));
  FANZHA_RETURN_IF_ERROR(s.Audit(call.user, "warning.list", region, call.query("reason"),
                                 std::to_string(list.size()) + " warnings"));
  return JsonReply({{"warnings", list}});
}

Result<Reply> Outcome(Server::Impl& s, Call& call) {
  if (call.user.role != auth::Role::kHotline && call.user.role != auth::Role::kCentre)
    return Forbidden("outcomes are recorded by hotline operators and centres")
        .WithZh("劝阻结果由热线接警员和反诈中心登记");
  FANZHA_ASSIGN_OR_RETURN(nlohmann::json body, BodyObject(call.req));
  FANZHA_ASSIGN_OR_RETURN(app::OutcomeReport report, app::ParseOutcomeReport(body));
  std::string id = call.path_part(1);
  // The warning must be open in the caller's region; one that is not answers as an unknown one.
  Server::Impl::Note note{"warning.outcome", id, "", std::string(warn::Name(report.outcome))};
  FANZHA_RETURN_IF_ERROR(s.Change(call.user, note, [&]() REQUIRES(s.db_mu) -> Status {
    Status st = app::RecordOutcome(s.store->sql(), id, report, call.user.region, s.clock().Now());
    if (st.code() == ErrorCode::kNotFound && !call.user.region.empty())
      return Hidden(call, st, "warning " + id + " is not open in region " + call.user.region);
    return st;
  }));
  return JsonReply({{"ok", true}});
}

Result<Reply> Stats(Server::Impl& s, Call& call) {
  if (!auth::CanSeeStats(call.user))
    return Forbidden("statistics are for centres").WithZh("统计数据仅供反诈中心查看");
  // Cases posted here count as linked the moment they are, as after `fanzha import`.
  FANZHA_RETURN_IF_ERROR(s.LinkedClusters().status());
  Result<json> doc = [&] {
    MutexLock lock(s.db_mu);
    return app::Statistics(*s.store, s.clock().Now());
  }();
  if (!doc.ok()) return doc.status();
  FANZHA_RETURN_IF_ERROR(s.Audit(call.user, "stats.read", "", call.query("reason")));
  return JsonReply(*doc);
}

Result<Reply> AuditList(Server::Impl& s, Call& call) {
  if (!auth::CanReadAudit(call.user))
    return Forbidden("the audit log is for auditors").WithZh("审计日志仅供审计员查看");
  FANZHA_ASSIGN_OR_RETURN(const int64_t after, call.number("after", 0, 0, INT64_MAX));
  FANZHA_ASSIGN_OR_RETURN(const size_t limit, call.number("limit", 100, 0, kMaxPage));
  FANZHA_RETURN_IF_ERROR(s.Audit(call.user, "audit.read", "", call.query("reason")));
  Result<std::vector<audit::Entry>> entries = [&] {
    MutexLock lock(s.db_mu);
    return audit::AuditLog(s.store->sql()).List(after, limit);
  }();
  if (!entries.ok()) return entries.status();
  json list = json::array();
  for (const auto& e : *entries) list.push_back(audit::ToJson(e));
  return JsonReply({{"entries", list}});
}

Result<Reply> AuditVerify(Server::Impl& s, Call& call) {
  if (!auth::CanReadAudit(call.user))
    return Forbidden("the audit log is for auditors").WithZh("审计日志仅供审计员查看");
  std::vector<audit::Anchor> anchors;
  if (std::string text = call.query("anchor"); !text.empty()) {
    Result<audit::Anchor> a = audit::ParseAnchor(text);
    if (!a.ok()) return FieldOf("anchor: ", a.status());

    anchors.push_back(*a);
  }
  Result<audit::Verification> v = [&]() -> Result<audit::Verification> {
    MutexLock lock(s.db_mu);
    // Every head published so far (written under db_mu, so none is ahead of the chain).
    Result<std::vector<audit::Anchor>> heads = audit::ReadHeads(s.audit_heads->path());
    if (!heads.ok() && heads.status().code() != ErrorCode::kNotFound) return heads.status();
    if (heads.ok()) anchors.insert(anchors.end(), heads->begin(), heads->end());
    return audit::AuditLog(s.store->sql(), *s.audit_key).Verify(anchors);
  }();
  if (!v.ok()) return v.status();
  json doc = {{"ok", v->ok}, {"entries", v->entries}, {"keyed_from", v->keyed_from}};
  if (v->ok && v->head.id > 0) doc["head"] = std::to_string(v->head.id) + ":" + v->head.hash;
  if (!v->ok) {
    doc["first_broken"] = v->first_broken;
    doc["message"] = v->message;
  }
  return JsonReply(doc);
}

}  // namespace

Result<std::shared_ptr<const json>> Server::Impl::LinkedClusters() {
  MutexLock link_lock(link_mu);
  MutexLock lock(db_mu);
  FANZHA_ASSIGN_OR_RETURN(link::StoredLinkStamp stamp, link::StampOfStoredLinks(*store));
  const int64_t ledger_now = CurrentLedger().version;
  bool current = clusters && stamp == clusters_stamp && stamp.linked >= stamp.cases &&
                 (!clusters_untraced || clusters_ledger == ledger_now);
  if (current) return clusters;
  link::StoreLinkOptions o;
  o.tracer = [this, options = o.trace](const Case& c) -> Result<trace::Answer> {
    FANZHA_ASSIGN_OR_RETURN(CaseTrace traced, TraceCase(c, options));
    return std::move(traced.answer);
  };
  FANZHA_ASSIGN_OR_RETURN(link::StoreLinkResult linked,
                          link::UpdateStoredLinks(*store, o, false, clock().Now(), nullptr));
  FANZHA_ASSIGN_OR_RETURN(clusters_stamp, link::StampOfStoredLinks(*store));
  clusters = std::make_shared<const json>(link::ToJson(linked.linker.Clusters()));
  clusters_untraced = linked.untraced > 0;
  clusters_ledger = ledger_now;
  return clusters;
}

void Server::Impl::AddOtherRoutes() {
  Route("GET", "/api/search", Access(kCaseRoles),
        [this](Call& call) { return Search(*this, call); });
  Route("GET", "/api/profile", Access(kCaseRoles),
        [this](Call& call) { return Profile(*this, call); });
  Route("GET", "/api/clusters", Access(kCaseRoles),
        [this](Call& call) { return Clusters(*this, call); });
  Route("GET", "/api/warnings", Access(kWarningRoles),
        [this](Call& call) { return Warnings(*this, call); });
  Route("POST", R"(/api/warnings/([^/]+)/outcome)", Access(kWarningRoles, kFormBody),
        [this](Call& call) { return Outcome(*this, call); });
  Route("GET", "/api/stats", Access(kCentreRoles),
        [this](Call& call) { return Stats(*this, call); });
  Route("GET", "/api/audit", Access(kAuditorRoles),
        [this](Call& call) { return AuditList(*this, call); });
  Route("GET", "/api/audit/verify", Access(kAuditorRoles),
        [this](Call& call) { return AuditVerify(*this, call); });
}

}  // namespace fanzha::server
