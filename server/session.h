// Who is calling: the session a request shows, by bearer token (API clients: the CLI, scripts,
// other systems) or by cookie (the dashboard). Internal to server/; the Route wrapper of
// server.cc calls Authenticate() once per request that needs login.
//
// The dashboard's session is an HttpOnly, SameSite=Strict cookie that script cannot read. Because
// a browser sends a cookie by itself, a cookie session's state-changing request (any method but
// GET and HEAD) must also carry the session's CSRF token in the X-CSRF-Token header; the page
// gets it from the login answer or GET /api/me and keeps it in memory only. Bearer tokens are
// never sent by a browser on its own, so they need no CSRF token.
#pragma once

#include <string>
#include <string_view>

#include "server/impl.h"

namespace fanzha::server {

inline constexpr char kSessionCookie[] = "fanzha_session";
inline constexpr char kCsrfHeader[] = "X-CSRF-Token";

// What a request shows of who sends it: its headers as sent.
struct Presented {
  std::string authorization;    // "Bearer <token>" or ""
  std::string cookie;           // the Cookie header
  std::string csrf;             // the X-CSRF-Token header
  bool state_changing = false;  // a method other than GET and HEAD
};

struct Caller {
  auth::User user;
  std::string token;
  bool by_cookie = false;
};

// The live session of the request, looked up in the store every time (so a logout, a revoked
// session, an expired one or a disabled user is refused at once). A bearer token wins over a
// cookie. kUnauthorized without a live session; kForbidden for a cookie session's state-changing
// request without its CSRF token. Thread-safe; takes a session connection's mutex.
Result<Caller> Authenticate(Server::Impl& s, const Presented& p);

// The CSRF token of a session: a hash of its token, kept apart from the stored one (keyed
// BLAKE2b), so that nothing more is stored and knowing it gives away nothing of the session.
std::string CsrfToken(std::string_view token);

}  // namespace fanzha::server
