// Routes for takedown requests (takedown/): list them, ask for them from a case's identifiers,
// record the platforms' answers, export them as STIX 2.1. They are for centres and investigators:
// a request is seen by whoever may read one of the cases it names (a centre without a region sees
// all, also requests no stored case names); banks, hotlines and auditors are refused.
#include <algorithm>

#include "server/impl.h"
#include "takedown/takedown.h"

namespace fanzha::server {

namespace {

Status RequireTakedownRole(const auth::User& u) {
  if (u.role == auth::Role::kCentre || u.role == auth::Role::kInvestigator) return Status::Ok();
  return Forbidden("takedown requests are for centres and investigators")
      .WithZh("下架请求仅供反诈中心和侦查员使用");
}

bool Names(const takedown::Request& r, const std::string& case_id) {
  return std::find(r.cases.begin(), r.cases.end(), case_id) != r.cases.end();
}

// Takes db_mu through GetCase: never call it holding db_mu.
bool MaySee(Server::Impl& s, const auth::User& u, const takedown::Request& r) {
  if (u.role == auth::Role::kCentre && u.region.empty()) return true;
  for (const std::string& id : r.cases) {
    Result<std::shared_ptr<const Case>> c = s.GetCase(id);
    if (c.ok() && auth::CanReadCase(u, (*c)->region)) return true;
  }
  return false;
}

Result<takedown::Filter> FilterOf(const Call& call) {
  takedown::Filter f;
  f.platform = call.query("platform");
  if (!call.query("state").empty()) {
    Result<takedown::State> st = takedown::ParseState(call.query("state"));
    if (!st.ok()) return FieldOf("state: ", st.status());
    f.state = *st;
  }
  if (!call.query("kind").empty()) {
    Result<takedown::Kind> k = takedown::ParseKind(call.query("kind"));
    if (!k.ok()) return FieldOf("kind: ", k.status());
    f.kind = *k;
  }
  return f;
}

// The requests the query asks for (state, kind, platform, case) that the caller may see.
Result<std::vector<takedown::Request>> Visible(Server::Impl& s, const Call& call) {
  FANZHA_RETURN_IF_ERROR(RequireTakedownRole(call.user));
  FANZHA_ASSIGN_OR_RETURN(takedown::Filter filter, FilterOf(call));
  Result<std::vector<takedown::Request>> all = [&] {
    MutexLock lock(s.db_mu);
    return takedown::TakedownBook(s.store->sql()).List(filter);
  }();
  if (!all.ok()) return all.status();
  const std::string only_case = call.query("case");
  std::vector<takedown::Request> out;
  for (takedown::Request& r : *all) {
    if ((only_case.empty() || Names(r, only_case)) && MaySee(s, call.user, r))
      out.push_back(std::move(r));
  }
  return out;
}

Result<Reply> ListTakedowns(Server::Impl& s, Call& call) {
  FANZHA_ASSIGN_OR_RETURN(const size_t limit, call.number("limit", 100, 0, kMaxPage));
  FANZHA_ASSIGN_OR_RETURN(const size_t offset, call.number("offset", 0, 0, INT32_MAX));
  FANZHA_ASSIGN_OR_RETURN(std::vector<takedown::Request> visible, Visible(s, call));
  json list = json::array();
  for (size_t i = offset; i < visible.size() && list.size() < limit; ++i) {
    list.push_back(takedown::ToJson(visible[i]));
  }
  FANZHA_RETURN_IF_ERROR(s.Audit(call.user, "takedown.list", call.query("case"),
                                 call.query("reason"), std::to_string(list.size()) + " requests"));
  return JsonReply({{"takedowns", list}, {"total", visible.size()}});
}

Result<Reply> Stix(Server::Impl& s, Call& call) {
  FANZHA_ASSIGN_OR_RETURN(std::vector<takedown::Request> visible, Visible(s, call));
  FANZHA_RETURN_IF_ERROR(s.Audit(call.user, "takedown.export", call.query("case"),
                                 call.query("reason"),
                                 std::to_string(visible.size()) + " requests as STIX"));
  return JsonReply(takedown::ToStix(visible, s.clock().Now()));
}

struct Made {
  int64_t created = 0;
  std::vector<takedown::Request> requests;  // every request naming the case
};

// POST /api/cases/{id}/takedowns: requests for the case's identifiers, made at once rather than
// after the next dispatch, so that a fraud site can be blocked while the victim is still reporting.
Result<Reply> FromCase(Server::Impl& s, Call& call) {
  FANZHA_RETURN_IF_ERROR(RequireTakedownRole(call.user));
  nlohmann::json body = nlohmann::json::object();
  if (!call.req.body.empty()) {  // the body is optional: only a reason to log
    FANZHA_ASSIGN_OR_RETURN(body, BodyObject(call.req));
  }
  FANZHA_ASSIGN_OR_RETURN(std::string reason, StringField(body, "reason"));
  FANZHA_ASSIGN_OR_RETURN(auto c, ScopedCase(s, call, call.path_part(1)));
  Made made;
  Server::Impl::Note note{"takedown.create", c->id, reason, ""};
  FANZHA_RETURN_IF_ERROR(s.Change(call.user, note, [&]() REQUIRES(s.db_mu) -> Status {
    takedown::TakedownBook book(s.store->sql());
    FANZHA_ASSIGN_OR_RETURN(made.created, book.FromCase(*c, s.clock().Now()));
    FANZHA_ASSIGN_OR_RETURN(made.requests, book.List({}));
    std::erase_if(made.requests, [&](const takedown::Request& r) { return !Names(r, c->id); });
    note.detail = std::to_string(made.created) + " new requests";
    return Status::Ok();
  }));
  json list = json::array();
  for (const takedown::Request& r : made.requests) list.push_back(takedown::ToJson(r));
  return JsonReply({{"case", c->id}, {"created", made.created}, {"takedowns", list}},
                   made.created > 0 ? 201 : 200);
}

// A request the caller may see; 404 for an unknown one and for one that is not the caller's alike.
Result<takedown::Request> ScopedRequest(Server::Impl& s, Call& call, int64_t id) {
  Result<std::optional<takedown::Request>> r = [&] {
    MutexLock lock(s.db_mu);
    return takedown::TakedownBook(s.store->sql()).Get(id);
  }();
  if (!r.ok()) return r.status();
  Status unknown = Status::NotFound("no takedown request " + std::to_string(id))
                       .WithZh("下架请求 " + std::to_string(id) + " 不存在");
  if (!*r) return unknown;
  if (!MaySee(s, call.user, **r))
    return Hidden(call, unknown,
                  "takedown request " + std::to_string(id) + " names none of the caller's cases");
  return **r;
}

// The library's refusals, each naming the body field at fault: a move the lifecycle refuses is
// about "to", the only invalid input it reports (a refusal without one) about "reason".
Status NameTheField(const Status& st) {
  if (st.code() == ErrorCode::kConflict) return FieldOf("to: ", st);
  if (st.code() == ErrorCode::kInvalidInput) return FieldOf("reason: ", st);
  return st;
}

// POST /api/takedowns/{id}/move {"to", "reason"}: a platform's answer.
Result<Reply> MoveTakedown(Server::Impl& s, Call& call) {
  FANZHA_RETURN_IF_ERROR(RequireTakedownRole(call.user));
  FANZHA_ASSIGN_OR_RETURN(int64_t id, call.path_number(1, "takedown request"));
  FANZHA_ASSIGN_OR_RETURN(nlohmann::json body, BodyObject(call.req));
  FANZHA_ASSIGN_OR_RETURN(std::string to_name, StringField(body, "to"));
  FANZHA_ASSIGN_OR_RETURN(std::string reason, StringField(body, "reason"));
  Result<takedown::State> to = takedown::ParseState(to_name);
  if (!to.ok()) return FieldOf("to: ", to.status());

  FANZHA_ASSIGN_OR_RETURN(takedown::Request before, ScopedRequest(s, call, id));
  std::optional<takedown::Request> after;
  Server::Impl::Note note{"takedown.move", "takedown " + std::to_string(id), reason,
                          std::string(takedown::Name(before.state)) + " -> " + to_name};
  FANZHA_RETURN_IF_ERROR(s.Change(call.user, note, [&]() REQUIRES(s.db_mu) -> Status {
    takedown::TakedownBook book(s.store->sql());
    FANZHA_RETURN_IF_ERROR(NameTheField(book.Move(id, *to, reason, s.clock().Now())));
    FANZHA_ASSIGN_OR_RETURN(after, book.Get(id));
    return Status::Ok();
  }));
  return JsonReply(takedown::ToJson(*after));
}

}  // namespace

void Server::Impl::AddTakedownRoutes() {
  Route("GET", "/api/takedowns", Access(kCaseRoles),
        [this](Call& call) { return ListTakedowns(*this, call); });
  Route("GET", "/api/takedowns/stix", Access(kCaseRoles),
        [this](Call& call) { return Stix(*this, call); });
  Route("POST", R"(/api/cases/([^/]+)/takedowns)", Access(kCaseRoles, kFormBody),
        [this](Call& call) { return FromCase(*this, call); });
  Route("POST", R"(/api/takedowns/(\d+)/move)", Access(kCaseRoles, kFormBody),
        [this](Call& call) { return MoveTakedown(*this, call); });
}

}  // namespace fanzha::server
