// Routes for notifications (app/notifications.h): the list of what the caller should act on now,
// and the same pushed as server-sent events while the dashboard is open.
//
// The stream answers at once with the list (event "notifications"), then looks again every
// ServerOptions::notify_every and sends the list when it changed (a comment line otherwise, which
// keeps proxies from closing an idle connection). Each look checks the session again: a logout, an
// expired session or a disabled user ends the stream. After notify_for it ends by itself and the
// browser's EventSource reconnects, showing its session anew. No thread waits in between
// (http::EventStream).
#include "app/notifications.h"
#include "server/impl.h"
#include "server/session.h"

namespace fanzha::server {
namespace notification_routes {

// The caller's notices as JSON; reads the store under db_mu.
Result<std::string> NoticesJson(Server::Impl& s, const auth::User& user) {
  Result<app::Notices> notices = [&] {
    MutexLock lock(s.db_mu);
    return app::NoticesFor(*s.store, user, s.clock().Now());
  }();
  if (!notices.ok()) return notices.status();
  return DumpJson(app::ToJson(*notices));
}

std::string Event(const std::string& json) {
  return "event: notifications\ndata: " + json + "\n\n";
}

Result<Reply> List(Server::Impl& s, Call& call) {
  FANZHA_ASSIGN_OR_RETURN(std::string json, NoticesJson(s, call.user));
  return Reply(200, json);
}

Result<Reply> Stream(Server::Impl& s, Call& call) {
  FANZHA_ASSIGN_OR_RETURN(std::string first, NoticesJson(s, call.user));
  FANZHA_RETURN_IF_ERROR(s.Audit(call.user, "notifications.watch", "", ""));
  const Presented presented{call.req.header("Authorization"), call.req.header("Cookie"), "", false};
  const Millis until = s.clock().Now() + s.options.notify_for;
  auto events = std::make_shared<http::EventStream>();
  events->every = s.options.notify_every;
  events->next = [&s, presented, until, last = first]() mutable -> std::optional<std::string> {
    if (s.clock().Now() >= until) return std::nullopt;
    Result<Caller> who = Authenticate(s, presented);
    if (!who.ok()) return std::nullopt;
    Result<std::string> now = NoticesJson(s, who->user);
    if (!now.ok() || *now == last) return std::string();
    last = *now;
    return Event(last);
  };
  Reply reply(200, "retry: 5000\n\n" + Event(first));
  reply.content_type = "text/event-stream; charset=utf-8";
  reply.events = std::move(events);
  return reply;
}

}  // namespace notification_routes

void Server::Impl::AddNotificationRoutes() {
  using namespace notification_routes;
  Route("GET", "/api/notifications", Access::AnyUser(),
        [this](Call& call) { return List(*this, call); });
  Route("GET", "/api/notifications/stream", Access::AnyUser(),
        [this](Call& call) { return Stream(*this, call); });
}

}  // namespace fanzha::server
