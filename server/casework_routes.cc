// Routes of the work on cases: the queue (GET /api/cases), assignment, notes, attachments and the
// timeline (app/casework.h, casefile/work.h).
#include "app/casework.h"
#include "casefile/work.h"
#include "region/region.h"
#include "server/impl.h"

namespace fanzha::server {
namespace casework_routes {
namespace {

Status MayReadCases(const Call& call) {
  if (call.user.role == auth::Role::kCentre || call.user.role == auth::Role::kInvestigator)
    return Status::Ok();
  return Forbidden("a " + std::string(auth::Name(call.user.role)) + " may not read cases")
      .WithZh("角色 " + std::string(auth::Name(call.user.role)) + " 无权查看案件");
}

// `region` as a code or a division's name ("杭州市"), within the caller's region.
Result<std::string> RegionParam(const Call& call) {
  Result<std::string> code = region::CodeOfCodeOrName(call.query("region"));
  if (!code.ok()) return FieldOf("region: ", code.status());
  const std::string& region = *code;
  if (region.empty()) return region;
  if (!region::Covers(call.user.region, region))
    return Forbidden("region " + region + " is outside your region " + call.user.region)
        .WithZh("地区 " + region + " 不在您的辖区 " + call.user.region + " 之内");

  return region;
}

Result<app::QueueFilter> FilterOf(const Call& call) {
  app::QueueFilter f;
  const auth::User& user = call.user;
  f.may_read = [user](const Case& c) { return auth::CanReadCase(user, c.region); };
  FANZHA_ASSIGN_OR_RETURN(f.region, RegionParam(call));
  if (std::string stage = call.query("stage"); !stage.empty()) {
    Result<casefile::Stage> s = casefile::ParseStage(stage);
    if (!s.ok()) return Status(s.status()).WithContext("stage");
    f.stage = *s;
  }
  f.category = call.query("category");
  FANZHA_ASSIGN_OR_RETURN(f.from, call.time("from"));
  FANZHA_ASSIGN_OR_RETURN(f.to, call.time("to"));
  FANZHA_ASSIGN_OR_RETURN(f.min_loss, call.money("min_loss"));
  FANZHA_ASSIGN_OR_RETURN(f.max_loss, call.money("max_loss"));
  if (call.req.has_param("officer")) {
    const std::string officer = call.query("officer");
    f.officer = officer == "me" ? user.name : officer == "none" ? "" : officer;
  }
  f.overdue_only = call.query("overdue") == "1" || call.query("overdue") == "true";
  return f;
}

// GET /api/cases?region=&stage=&category=&from=&to=&min_loss=&max_loss=&officer=&overdue=&sort=
Result<Reply> List(Server::Impl& s, Call& call) {
  FANZHA_RETURN_IF_ERROR(MayReadCases(call));
  FANZHA_ASSIGN_OR_RETURN(app::QueueFilter filter, FilterOf(call));
  Result<app::QueueOrder> order = app::ParseQueueOrder(call.query("sort"));
  if (!order.ok()) return order.status();
  FANZHA_ASSIGN_OR_RETURN(const size_t limit, call.number("limit", 100, 0, kMaxPage));
  FANZHA_ASSIGN_OR_RETURN(const size_t offset, call.number("offset", 0, 0, INT32_MAX));
  Result<nlohmann::ordered_json> page = [&] {
    MutexLock lock(s.db_mu);
    return app::Queue(*s.store, filter, *order, limit, offset, s.clock().Now());
  }();
  if (!page.ok()) return page.status();
  FANZHA_RETURN_IF_ERROR(s.Audit(call.user, "case.list", filter.region, call.query("reason"),
                                 std::to_string((*page)["cases"].size()) + " cases"));
  return JsonReply(*page);
}

// GET /api/cases/{id}/work: who has the case, its assignments, notes and attachments.
Result<Reply> Work(Server::Impl& s, Call& call) {
  FANZHA_ASSIGN_OR_RETURN(auto c, ScopedCase(s, call, call.path_part(1)));
  nlohmann::ordered_json doc = {{"case", c->id}};
  Status st = [&]() -> Status {
    MutexLock lock(s.db_mu);
    casefile::WorkBook work(*s.store);
    FANZHA_ASSIGN_OR_RETURN(auto assigned, work.Assignments(c->id));
    FANZHA_ASSIGN_OR_RETURN(auto notes, work.Notes(c->id));
    FANZHA_ASSIGN_OR_RETURN(auto files, work.Attachments(c->id));
    doc["officer"] = assigned.empty() ? "" : assigned.back().officer;
    doc["assignments"] = nlohmann::ordered_json::array();
    for (const auto& a : assigned) doc["assignments"].push_back(casefile::ToJson(a));
    doc["notes"] = nlohmann::ordered_json::array();
    for (const auto& n : notes) doc["notes"].push_back(casefile::ToJson(n));
    doc["attachments"] = nlohmann::ordered_json::array();
    for (const auto& f : files) doc["attachments"].push_back(casefile::ToJson(f));
    return Status::Ok();
  }();
  FANZHA_RETURN_IF_ERROR(st);
  FANZHA_RETURN_IF_ERROR(s.Audit(call.user, "case.work.read", c->id, call.query("reason")));
  return JsonReply(doc);
}

// POST /api/cases/{id}/assign {"officer", "note"}.
Result<Reply> Assign(Server::Impl& s, Call& call) {
  FANZHA_ASSIGN_OR_RETURN(nlohmann::json body, BodyObject(call.req));
  FANZHA_ASSIGN_OR_RETURN(std::string officer, StringField(body, "officer"));
  FANZHA_ASSIGN_OR_RETURN(std::string note_text, StringField(body, "note"));
  FANZHA_ASSIGN_OR_RETURN(auto c, ScopedCase(s, call, call.path_part(1)));
  const app::Assigner by{call.user.name, call.user.role == auth::Role::kCentre};
  casefile::Assignment a;
  Server::Impl::Note note{"case.assign", c->id, note_text, ""};
  FANZHA_RETURN_IF_ERROR(s.Change(call.user, note, [&]() REQUIRES(s.db_mu) -> Status {
    FANZHA_ASSIGN_OR_RETURN(
        a, app::AssignCase(*s.store, c->id, officer, note_text, by, s.clock().Now()));
    note.detail = a.officer.empty() ? "taken back" : "to " + a.officer;
    return Status::Ok();
  }));
  return JsonReply(casefile::ToJson(a), 201);
}

// POST /api/cases/{id}/notes {"text"}.
Result<Reply> AddNote(Server::Impl& s, Call& call) {
  FANZHA_ASSIGN_OR_RETURN(nlohmann::json body, BodyObject(call.req));
  FANZHA_ASSIGN_OR_RETURN(std::string text, StringField(body, "text"));
  FANZHA_ASSIGN_OR_RETURN(auto c, ScopedCase(s, call, call.path_part(1)));
  casefile::CaseNote n;
  Server::Impl::Note note{"case.note", c->id, "", ""};
  FANZHA_RETURN_IF_ERROR(s.Change(call.user, note, [&]() REQUIRES(s.db_mu) -> Status {
    FANZHA_ASSIGN_OR_RETURN(
        n, casefile::WorkBook(*s.store).AddNote(c->id, text, call.user.name, s.clock().Now()));
    note.detail = "note " + std::to_string(n.seq);
    return Status::Ok();
  }));
  return JsonReply(casefile::ToJson(n), 201);
}

// POST /api/cases/{id}/attachments?kind=&name= with the file's bytes as the body.
Result<Reply> Attach(Server::Impl& s, Call& call) {
  Result<casefile::AttachmentKind> kind =
      casefile::ParseAttachmentKind(call.query("kind").empty() ? "other" : call.query("kind"));
  if (!kind.ok()) return Status(kind.status()).WithContext("kind");
  FANZHA_ASSIGN_OR_RETURN(auto c, ScopedCase(s, call, call.path_part(1)));
  casefile::Attachment a;
  Server::Impl::Note note{"case.attach", c->id, "", ""};
  FANZHA_RETURN_IF_ERROR(s.Change(call.user, note, [&]() REQUIRES(s.db_mu) -> Status {
    FANZHA_ASSIGN_OR_RETURN(a, casefile::WorkBook(*s.store).Attach(
                                   c->id, *kind, call.query("name"), call.header("Content-Type"),
                                   call.req.body, call.user.name, s.clock().Now()));
    note.detail = "attachment " + std::to_string(a.seq) + " sha256 " + a.sha256;
    return Status::Ok();
  }));
  return JsonReply(casefile::ToJson(a), 201);
}

// "attachment; filename*=UTF-8''..." (RFC 6266, 5987): the name as stored, percent-encoded, so
// that nothing in it can end the header or name another file.
std::string ContentDisposition(const std::string& name) {
  std::string out = "attachment; filename=\"download\"; filename*=UTF-8''";
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char ch : name) {
    if (std::isalnum(ch) || ch == '.' || ch == '-' || ch == '_') {
      out += static_cast<char>(ch);
    } else {
      out += '%';
      out += kHex[ch >> 4];
      out += kHex[ch & 15];
    }
  }
  return out;
}

// GET /api/cases/{id}/attachments/{seq}: the file, to download, never to be shown inline.
Result<Reply> Download(Server::Impl& s, Call& call) {
  FANZHA_ASSIGN_OR_RETURN(auto c, ScopedCase(s, call, call.path_part(1)));
  FANZHA_ASSIGN_OR_RETURN(int64_t seq, call.path_number(2, "attachment"));
  FANZHA_RETURN_IF_ERROR(s.Audit(call.user, "case.attachment.read", c->id, call.query("reason"),
                                 "attachment " + std::to_string(seq)));
  casefile::Attachment meta;
  Result<std::string> content = [&] {
    MutexLock lock(s.db_mu);
    return casefile::WorkBook(*s.store).Content(c->id, seq, &meta);
  }();
  if (!content.ok()) return content.status();
  Reply reply(200, std::move(*content));
  reply.content_type = "application/octet-stream";
  reply.headers.push_back({"Content-Disposition", ContentDisposition(meta.name)});
  reply.headers.push_back({"X-Content-SHA256", meta.sha256});
  return reply;
}

// GET /api/cases/{id}/timeline.
Result<Reply> Timeline(Server::Impl& s, Call& call) {
  FANZHA_ASSIGN_OR_RETURN(auto c, ScopedCase(s, call, call.path_part(1)));
  Result<nlohmann::ordered_json> t = [&] {
    MutexLock lock(s.db_mu);
    return app::Timeline(*s.store, c->id, s.clock().Now());
  }();
  if (!t.ok()) return t.status();
  FANZHA_RETURN_IF_ERROR(s.Audit(call.user, "case.timeline.read", c->id, call.query("reason")));
  return JsonReply(*t);
}

}  // namespace
}  // namespace casework_routes

void Server::Impl::AddCaseWorkRoutes() {
  using namespace casework_routes;  // NOLINT: the handlers of this file
  Route("GET", "/api/cases", Access(kCaseRoles), [this](Call& call) { return List(*this, call); });
  Route("GET", R"(/api/cases/([^/]+)/work)", Access(kCaseRoles),
        [this](Call& call) { return Work(*this, call); });
  Route("POST", R"(/api/cases/([^/]+)/assign)", Access(kCaseRoles, kFormBody),
        [this](Call& call) { return Assign(*this, call); });
  Route("POST", R"(/api/cases/([^/]+)/notes)", Access(kCaseRoles, kFormBody),
        [this](Call& call) { return AddNote(*this, call); });
  Route("POST", R"(/api/cases/([^/]+)/attachments)",
        Access(kCaseRoles, static_cast<size_t>(casefile::kMaxAttachmentBytes)),
        [this](Call& call) { return Attach(*this, call); });
  Route("GET", R"(/api/cases/([^/]+)/attachments/([^/]+))", Access(kCaseRoles),
        [this](Call& call) { return Download(*this, call); });
  Route("GET", R"(/api/cases/([^/]+)/timeline)", Access(kCaseRoles),
        [this](Call& call) { return Timeline(*this, call); });
}

}  // namespace fanzha::server
