// Sessions: who is calling (bearer token or the dashboard's cookie with its CSRF token), the login
// with its throttle, logout and GET /api/me; and what a client may read of an error.
#include "server/session.h"

#include <sodium.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "core/json.h"
#include "core/text.h"

namespace fanzha::server {
namespace {

// The value of cookie `name` in a Cookie header ("a=1; fanzha_session=...; b=2"), "" when absent.
std::string CookieValue(std::string_view header, std::string_view name) {
  for (std::string_view part : Split(header, ';')) {
    part = Trim(part);
    if (part.size() > name.size() && part.starts_with(name) && part[name.size()] == '=')
      return std::string(part.substr(name.size() + 1));
  }
  return "";
}

bool SameSecret(std::string_view a, std::string_view b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string Cookie(const Server::Impl& s, const std::string& value, Millis max_age) {
  return std::string(kSessionCookie) + "=" + value +
         "; Path=/api; Max-Age=" + std::to_string(max_age / 1000) + "; HttpOnly; SameSite=Strict" +
         (s.options.secure_cookies ? "; Secure" : "");
}

json UserJson(const auth::User& u) {
  return {{"name", u.name},
          {"role", auth::Name(u.role)},
          {"region", u.region},
          {"institution", u.institution}};
}

// 429 with Retry-After (whole seconds, rounded up) and the same text in both languages.
Reply TooMany(Millis retry_after, const std::string& why, const std::string& why_zh) {
  int64_t seconds = std::max<int64_t>(1, (retry_after + 999) / 1000);
  Status st = Status(ErrorCode::kTooMany, why + ": try again in " + std::to_string(seconds) + " s")
                  .WithZh(why_zh + "，请 " + std::to_string(seconds) + " 秒后再试");
  Reply r(429, http::ErrorResponse(st).body);
  r.headers.push_back({"Retry-After", std::to_string(seconds)});
  return r;
}

Result<Reply> Login(Server::Impl& s, Call& call) {
  FANZHA_ASSIGN_OR_RETURN(nlohmann::json body, BodyObject(call.req));
  FANZHA_ASSIGN_OR_RETURN(std::string name, StringField(body, "user"));
  FANZHA_ASSIGN_OR_RETURN(std::string password, StringField(body, "password"));
  if (name.empty()) return Status::Invalid("user: missing").WithZh("user：缺少用户名");
  bool cookie =
      body.contains("cookie") && body["cookie"].is_boolean() && body["cookie"].get<bool>();
  const std::string& address = call.req.remote_addr;
  Millis now = s.clock().Now();

  // Refused while the name or the address must wait: at once, without a password check.
  auth::LoginThrottle::Verdict verdict = s.throttle->Admit(name, address, now);
  if (!verdict.allowed) {
    if (verdict.first_refusal) {  // one entry per wait, not one per guess
      (void)s.Audit({}, "login_throttled", name, "",
                    "the " + verdict.waiting + " waits " + std::to_string(verdict.retry_after) +
                        " ms; from " + address);
    }
    return TooMany(verdict.retry_after, "too many failed logins for this " + verdict.waiting,
                   verdict.waiting == "user" ? "该用户登录失败次数过多" : "该地址登录失败次数过多");
  }
  if (!s.password_gate->try_acquire_for(std::chrono::seconds(2)))
    return TooMany(1000, "the server is busy checking other logins", "服务器正忙于校验其他登录");
  Result<auth::Credentials> credentials = [&] {
    Server::Impl::SessionStore& c = s.SessionConnection();
    MutexLock lock(c.mu);
    return auth::Users(c.store->sql()).FindCredentials(name);
  }();
  bool right = credentials.ok() && auth::CheckPassword(*credentials, password);  // no lock held
  s.password_gate->release();
  if (!credentials.ok()) return credentials.status();
  if (!right || credentials->disabled) {
    FANZHA_RETURN_IF_ERROR(s.Audit(
        {}, "login_failed", name, "",
        std::string(right ? "disabled user" : "wrong user or password") + "; from " + address));
    if (!right)
      return Status(ErrorCode::kUnauthorized, "wrong user or password").WithZh("用户名或密码错误");
    return Status(ErrorCode::kUnauthorized, "user " + name + " is disabled: ask your centre")
        .WithZh("用户 " + name + " 已被停用，请联系所属中心");
  }
  s.throttle->Succeeded(name, address);

  auth::Session session;
  Server::Impl::Note note{"login", name, "", (cookie ? "cookie; from " : "token; from ") + address};
  FANZHA_RETURN_IF_ERROR(s.Change(*credentials->user, note, [&]() REQUIRES(s.db_mu) -> Status {
    FANZHA_ASSIGN_OR_RETURN(
        session,
        auth::Users(s.store->sql()).OpenSession(*credentials->user, now, s.options.token_ttl));
    return Status::Ok();
  }));
  json answer = {{"expires_at", FormatTime(session.expires_at)}, {"user", UserJson(session.user)}};
  Reply reply;
  if (cookie) {  // the dashboard: the token only in the HttpOnly cookie
    answer["csrf"] = CsrfToken(session.token);
    reply.headers.push_back({"Set-Cookie", Cookie(s, session.token, s.options.token_ttl)});
  } else {
    answer["token"] = session.token;
  }
  reply.body = DumpJson(answer);
  return reply;
}

Result<Reply> Logout(Server::Impl& s, Call& call) {
  Server::Impl::Note note{"logout", call.user.name, "", ""};
  FANZHA_RETURN_IF_ERROR(s.Change(call.user, note, [&]() REQUIRES(s.db_mu) {
    return auth::Users(s.store->sql()).Logout(call.token);
  }));
  Reply reply = JsonReply({{"ok", true}});
  reply.headers.push_back({"Set-Cookie", Cookie(s, "", 0)});
  return reply;
}

}  // namespace

std::string CsrfToken(std::string_view token) {
  static constexpr unsigned char kPurpose[crypto_generichash_KEYBYTES] = "fanzha csrf token";
  unsigned char out[32];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), kPurpose, sizeof kPurpose);
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, out, sizeof out);
  return hex;
}

Result<Caller> Authenticate(Server::Impl& s, const Presented& p) {
  Caller caller;
  constexpr std::string_view kBearer = "Bearer ";
  if (std::string_view(p.authorization).starts_with(kBearer)) {
    caller.token = p.authorization.substr(kBearer.size());
  } else {
    caller.token = CookieValue(p.cookie, kSessionCookie);
    caller.by_cookie = !caller.token.empty();
  }
  if (caller.token.empty()) {
    return Status(ErrorCode::kUnauthorized, "log in first: Authorization: Bearer <token>")
        .WithZh("请先登录");
  }
  Result<auth::Session> session = [&] {
    Server::Impl::SessionStore& c = s.SessionConnection();
    MutexLock lock(c.mu);
    return auth::Users(c.store->sql()).Resolve(caller.token, s.clock().Now());
  }();
  if (!session.ok()) return session.status();
  if (caller.by_cookie && p.state_changing && !SameSecret(p.csrf, CsrfToken(caller.token))) {
    return Status(ErrorCode::kForbidden,
                  "a change from the dashboard needs its CSRF token in the X-CSRF-Token header")
        .WithZh("页面提交的修改缺少有效的 CSRF 令牌（X-CSRF-Token）");
  }
  caller.user = std::move(session->user);
  return caller;
}

Status ForClient(const Server::Impl& s, const Status& st) {
  if (st.ok()) return st;
  if (HttpStatus(st.code()) >= 500) {
    static std::atomic<int64_t> next_ref{1};
    int64_t ref = next_ref.fetch_add(1);
    std::fprintf(stderr, "fanzha serve: error ref %lld: %s\n", static_cast<long long>(ref),
                 st.ToString().c_str());
    std::string r = std::to_string(ref);
    return Status(st.code(), "the server could not answer (error ref " + r + " in its log)")
        .WithZh("服务器无法完成请求（日志编号 " + r + "）");
  }
  // Lower errors name fields and ids, never the store's files: cut every mention of them.
  std::error_code ec;
  std::string absolute = std::filesystem::absolute(s.options.db, ec).string();
  auto cut = [&](std::string text, const char* instead) {
    for (const std::string& path : {absolute, s.options.db}) {
      if (path.empty()) continue;
      for (size_t at; (at = text.find(path)) != std::string::npos;)
        text.replace(at, path.size(), instead);
    }
    return text;
  };
  std::string message = cut(st.message(), "the store");
  if (message == st.message()) return st;
  return Status(st.code(), message).WithZh(cut(st.zh(), "数据库"));
}

void Server::Impl::AddSessionRoutes() {
  Route("POST", "/api/login", Access::Public(kLoginBody),
        [this](Call& call) { return Login(*this, call); });
  Route("POST", "/api/logout", Access::AnyUser(kLoginBody),
        [this](Call& call) { return Logout(*this, call); });
  Route("GET", "/api/me", Access::AnyUser(), [](Call& call) -> Result<Reply> {
    json me = UserJson(call.user);
    if (call.by_cookie) me["csrf"] = CsrfToken(call.token);
    return JsonReply(me);
  });
}

}  // namespace fanzha::server
