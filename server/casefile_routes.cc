// Routes of the case file: the justice process of a case and its evidence package (casefile/).
#include "casefile/casefile.h"
#include "casefile/stages.h"
#include "server/impl.h"

namespace fanzha::server {
namespace {

// GET /api/cases/{id}/process: stage, moves, suspects, the clocks running now.
Result<Reply> Process(Server::Impl& s, Call& call) {
  FANZHA_ASSIGN_OR_RETURN(auto c, ScopedCase(s, call, call.path_part(1)));
  Result<casefile::CaseProcess> p = [&] {
    MutexLock lock(s.db_mu);
    return casefile::StageBook(*s.store).Process(c->id, s.clock().Now());
  }();
  if (!p.ok()) return p.status();
  FANZHA_RETURN_IF_ERROR(s.Audit(call.user, "case.process.read", c->id, call.query("reason")));
  return JsonReply(casefile::ToJson(*p));
}

// POST /api/cases/{id}/stage {"to", "document", "at", "note"}: a move, audited with it.
Result<Reply> Move(Server::Impl& s, Call& call) {
  FANZHA_ASSIGN_OR_RETURN(nlohmann::json body, BodyObject(call.req));
  FANZHA_ASSIGN_OR_RETURN(std::string to_name, StringField(body, "to"));
  Result<casefile::Stage> to = casefile::ParseStage(to_name);
  if (!to.ok()) return Status(to.status()).WithContext("to");
  FANZHA_ASSIGN_OR_RETURN(std::string document, StringField(body, "document"));
  FANZHA_ASSIGN_OR_RETURN(std::string note_text, StringField(body, "note"));
  const Millis now = s.clock().Now();
  FANZHA_ASSIGN_OR_RETURN(Millis at, TimeField(body, "at", now));
  FANZHA_ASSIGN_OR_RETURN(auto c, ScopedCase(s, call, call.path_part(1)));
  casefile::StageMove m;
  Server::Impl::Note note{"case.stage", c->id, note_text, ""};
  FANZHA_RETURN_IF_ERROR(s.Change(call.user, note, [&]() REQUIRES(s.db_mu) -> Status {
    FANZHA_ASSIGN_OR_RETURN(m, casefile::StageBook(*s.store).Move(c->id, *to, at, call.user.name,
                                                                  document, note_text, now));
    note.detail = std::string(casefile::Name(m.from)) + " -> " + std::string(casefile::Name(m.to)) +
                  " " + m.document;
    return Status::Ok();
  }));
  return JsonReply(casefile::ToJson(m), 201);
}

// POST /api/cases/{id}/suspects {"name", "identifier", "role", "detained_at"}.
Result<Reply> AttachSuspect(Server::Impl& s, Call& call) {
  FANZHA_ASSIGN_OR_RETURN(nlohmann::json body, BodyObject(call.req));
  casefile::Suspect suspect;
  FANZHA_ASSIGN_OR_RETURN(suspect.name, StringField(body, "name"));
  FANZHA_ASSIGN_OR_RETURN(suspect.identifier, StringField(body, "identifier"));
  FANZHA_ASSIGN_OR_RETURN(std::string role, StringField(body, "role"));
  if (!role.empty()) {
    Result<casefile::SuspectRole> r = casefile::ParseSuspectRole(role);
    if (!r.ok()) return Status(r.status()).WithContext("role");
    suspect.role = *r;
  }
  FANZHA_ASSIGN_OR_RETURN(Millis detained, TimeField(body, "detained_at", 0));
  if (detained) suspect.detained_at = detained;
  FANZHA_ASSIGN_OR_RETURN(auto c, ScopedCase(s, call, call.path_part(1)));
  suspect.case_id = c->id;
  suspect.by = call.user.name;
  Server::Impl::Note note{"case.suspect", c->id, "", ""};
  FANZHA_RETURN_IF_ERROR(s.Change(call.user, note, [&]() REQUIRES(s.db_mu) -> Status {
    FANZHA_ASSIGN_OR_RETURN(suspect,
                            casefile::StageBook(*s.store).Attach(suspect, s.clock().Now()));
    note.detail = suspect.name + " " + std::string(casefile::Name(suspect.role));
    return Status::Ok();
  }));
  return JsonReply(casefile::ToJson(suspect), 201);
}

// GET /api/cases/{id}/export?reason=...: the evidence package as a .zip (no summary.pdf: printing
// takes seconds of a browser; the CLI prints it, and summary.html has a print stylesheet).
Result<Reply> Export(Server::Impl& s, Call& call) {
  std::string reason = call.query("reason");
  FANZHA_RETURN_IF_ERROR(RequireReason(reason, "export a case's evidence", "导出案件证据"));
  FANZHA_ASSIGN_OR_RETURN(auto c, ScopedCase(s, call, call.path_part(1)));
  // Audited before the case's data leaves, as every read is.
  FANZHA_RETURN_IF_ERROR(s.Audit(call.user, "case.export", c->id, reason));
  FANZHA_RETURN_IF_ERROR(s.LinkedClusters().status());  // linked as the server links
  casefile::ExportOptions o;
  o.case_id = c->id;
  o.exported_by = call.user.name;
  o.audit_key = &*s.audit_key;
  o.tracer = [&s](const Case& k, const trace::Options& opts) -> Result<trace::Answer> {
    FANZHA_ASSIGN_OR_RETURN(auto traced, s.TraceCase(k, opts));
    return std::move(traced.answer);
  };
  Result<casefile::Package> package = [&] {
    MutexLock lock(s.db_mu);
    return casefile::Pack(*s.store, o, *s.signing_key, s.clock().Now());
  }();
  if (!package.ok()) return package.status();
  Reply reply(200, casefile::ZipOf(*package, c->id));
  reply.content_type = "application/zip";
  reply.headers.push_back(
      {"Content-Disposition", "attachment; filename=\"" + c->id + "-evidence.zip\""});
  return reply;
}

}  // namespace

void Server::Impl::AddCaseFileRoutes() {
  Route("GET", R"(/api/cases/([^/]+)/process)", Access(kCaseRoles),
        [this](Call& call) { return Process(*this, call); });
  Route("POST", R"(/api/cases/([^/]+)/stage)", Access(kCaseRoles, kFormBody),
        [this](Call& call) { return Move(*this, call); });
  Route("POST", R"(/api/cases/([^/]+)/suspects)", Access(kCaseRoles, kFormBody),
        [this](Call& call) { return AttachSuspect(*this, call); });
  Route("GET", R"(/api/cases/([^/]+)/export)", Access(kCaseRoles),
        [this](Call& call) { return Export(*this, call); });
}

}  // namespace fanzha::server
