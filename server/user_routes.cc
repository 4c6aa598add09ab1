// Routes of user administration for a centre: its users, a new one, disable and enable
// (auth/auth.h). A centre manages the users of its region only; a centre without a region (a
// national one) manages everyone. No one disables itself.
#include "region/region.h"
#include "server/impl.h"

namespace fanzha::server {
namespace user_routes {
namespace {

// Whether `centre` manages `u`: its region covers the user's. A regional centre does not manage
// users without a region (auditors, bank liaisons, national centres): they are national.
bool Manages(const auth::User& centre, const auth::User& u) {
  if (centre.region.empty()) return true;
  return !u.region.empty() && region::Covers(centre.region, u.region);
}

json UserJson(const auth::Users::Listed& l) {
  json j = {{"name", l.user.name},
            {"role", auth::Name(l.user.role)},
            {"region", l.user.region},
            {"region_name", region::RegionTable::Builtin().DisplayName(l.user.region)},
            {"institution", l.user.institution},
            {"created_at", FormatTime(l.created_at)}};
  j["disabled_at"] = l.disabled_at ? json(FormatTime(*l.disabled_at)) : json();
  return j;
}

// GET /api/users: the users the caller manages.
Result<Reply> List(Server::Impl& s, Call& call) {
  Result<std::vector<auth::Users::Listed>> all = [&] {
    MutexLock lock(s.db_mu);
    return auth::Users(s.store->sql()).List();
  }();
  if (!all.ok()) return all.status();
  json list = json::array();
  for (const auto& l : *all) {
    if (Manages(call.user, l.user)) list.push_back(UserJson(l));
  }
  FANZHA_RETURN_IF_ERROR(s.Audit(call.user, "user.list", call.user.region, call.query("reason"),
                                 std::to_string(list.size()) + " users"));
  return JsonReply({{"users", list}});
}

// POST /api/users {"name", "role", "region", "institution", "password"}.
Result<Reply> Add(Server::Impl& s, Call& call) {
  FANZHA_ASSIGN_OR_RETURN(nlohmann::json body, BodyObject(call.req));
  auth::User u;
  FANZHA_ASSIGN_OR_RETURN(u.name, StringField(body, "name"));
  FANZHA_ASSIGN_OR_RETURN(std::string role, StringField(body, "role"));
  Result<auth::Role> r = auth::ParseRole(role);
  if (!r.ok()) return FieldOf("role: ", r.status());
  u.role = *r;
  FANZHA_ASSIGN_OR_RETURN(u.region, StringField(body, "region"));
  FANZHA_ASSIGN_OR_RETURN(u.institution, StringField(body, "institution"));
  FANZHA_ASSIGN_OR_RETURN(std::string password, StringField(body, "password"));
  if (!Manages(call.user, u)) {
    return Forbidden("a centre of region " + call.user.region + " adds users of its region only")
        .WithZh("地区 " + call.user.region + " 的反诈中心只能添加本地区的用户");
  }
  Server::Impl::Note note{
      "user.add", u.name, "",
      role + " " + u.region + (u.institution.empty() ? "" : " " + u.institution)};
  FANZHA_RETURN_IF_ERROR(s.Change(call.user, note, [&]() REQUIRES(s.db_mu) -> Status {
    return auth::Users(s.store->sql()).Add(u, password, s.clock().Now());
  }));
  return JsonReply(
      {{"name", u.name}, {"role", role}, {"region", u.region}, {"institution", u.institution}},
      201);
}

// POST /api/users/{name}/disable and /enable: disabling ends the user's sessions at once.
Result<Reply> SetDisabled(Server::Impl& s, Call& call, bool disable) {
  const std::string name = call.path_part(1);
  if (disable && name == call.user.name)
    return Forbidden("you may not disable yourself").WithZh("不能停用自己的账号");
  Result<std::optional<auth::User>> u = [&] {
    MutexLock lock(s.db_mu);
    return auth::Users(s.store->sql()).Get(name);
  }();
  if (!u.ok()) return u.status();
  // A user the caller does not manage answers as an unknown one: names cannot be probed.
  if (!*u || !Manages(call.user, **u)) {
    return Hidden(call, Status::NotFound("no user " + name).WithZh("没有用户 " + name),
                  "user " + name + " is outside region " + call.user.region);
  }
  Server::Impl::Note note{disable ? "user.disable" : "user.enable", name, call.query("reason"),
                          disable ? "sessions ended" : ""};
  FANZHA_RETURN_IF_ERROR(s.Change(call.user, note, [&]() REQUIRES(s.db_mu) -> Status {
    auth::Users users(s.store->sql());
    return disable ? users.Disable(name, s.clock().Now()) : users.Enable(name);
  }));
  return JsonReply({{"name", name}, {"disabled", disable}});
}

}  // namespace
}  // namespace user_routes

void Server::Impl::AddUserRoutes() {
  using namespace user_routes;  // NOLINT: the handlers of this file
  Route("GET", "/api/users", Access(kCentreRoles),
        [this](Call& call) { return List(*this, call); });
  Route("POST", "/api/users", Access(kCentreRoles, kLoginBody),
        [this](Call& call) { return Add(*this, call); });
  Route("POST", R"(/api/users/([^/]+)/disable)", Access(kCentreRoles, kFormBody),
        [this](Call& call) { return SetDisabled(*this, call, true); });
  Route("POST", R"(/api/users/([^/]+)/enable)", Access(kCentreRoles, kFormBody),
        [this](Call& call) { return SetDisabled(*this, call, false); });
}

}  // namespace fanzha::server
