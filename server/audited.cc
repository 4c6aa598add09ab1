// The audit log from the routes: reads and refusals are appended on their own; a change and its
// entry commit in one transaction (Change); heads are published to the append-only head file.
#include "app/audited.h"

#include <cstdio>

#include "server/impl.h"

namespace fanzha::server {
namespace {

audit::Entry EntryOf(const auth::User& u, Server::Impl::Note note, Millis at) {
  audit::Entry e;
  e.at = at;
  e.user = u.name;
  e.role = u.name.empty() ? "" : std::string(auth::Name(u.role));
  e.action = std::move(note.action);
  e.target = std::move(note.target);
  e.reason = std::move(note.reason);
  e.detail = std::move(note.detail);
  return e;
}

}  // namespace

Status Hidden(Call& call, Status not_found, std::string why) {
  call.denied = std::move(why);
  return not_found;
}

void Server::Impl::PublishHead(bool now_or_never) {
  MutexLock lock(db_mu);
  if (!audit_heads || head.id <= published_id) return;
  Millis now = clock().Now();
  if (!now_or_never && now - published_at < options.audit_head_every) return;
  Status st = audit_heads->Publish(head);
  if (!st.ok()) {  // the chain itself is stored; say so and try again with the next entry
    std::fprintf(stderr, "fanzha serve: %s\n", st.ToString().c_str());
    return;
  }
  published_id = head.id;
  published_at = now;
}

Status Server::Impl::Audit(const auth::User& u, std::string action, std::string target,
                           std::string reason, std::string detail) {
  QueuedEntry mine{
      EntryOf(u, {std::move(action), std::move(target), std::move(reason), std::move(detail)}, 0)};
  std::vector<QueuedEntry*> batch;
  {
    MutexLock lock(audit_queue_mu);
    audit_queue.push_back(&mine);
    while (audit_writing && !mine.done) audit_queue_cv.Wait(audit_queue_mu);
    if (mine.done) return mine.status;  // a writer took it with its own
    audit_writing = true;
    batch.swap(audit_queue);
  }
  Status st = AppendQueued(batch);
  {
    MutexLock lock(audit_queue_mu);
    for (QueuedEntry* q : batch) q->status = st, q->done = true;
    audit_writing = false;
  }
  audit_queue_cv.SignalAll();
  PublishHead(false);
  return st;
}

Status Server::Impl::AppendQueued(const std::vector<QueuedEntry*>& batch) {
  std::vector<audit::Entry> entries;
  entries.reserve(batch.size());
  MutexLock lock(db_mu);
  const Millis now = clock().Now();  // under db_mu: the chain's times never go back
  for (QueuedEntry* q : batch) {
    entries.push_back(std::move(q->entry));
    entries.back().at = now;
  }
  // Linked to this node's newest entry without a read; another node's since is caught by its id.
  FANZHA_RETURN_IF_ERROR(
      audit::AuditLog(store->sql(), *audit_key).AppendAll(entries, head.id ? &head : nullptr));
  head = {entries.back().id, entries.back().hash};
  return Status::Ok();
}

Status Server::Impl::Change(const auth::User& u, Note& note,
                            const std::function<Status()>& change) {
  {
    MutexLock lock(db_mu);
    const Millis now = clock().Now();
    auto run = [&](audit::Entry& e) REQUIRES(db_mu) -> Status {
      FANZHA_RETURN_IF_ERROR(change());
      e = EntryOf(u, note, now);  // the note as `change` completed it
      return Status::Ok();
    };
    std::function<void(const audit::Entry&)> before_commit;
    if (options.before_commit)
      before_commit = [this](const audit::Entry& e) { options.before_commit(e.action); };
    FANZHA_ASSIGN_OR_RETURN(audit::Entry e,
                            app::AuditedChange(*store, *audit_key, {}, run, before_commit));
    head = {e.id, e.hash};
  }
  PublishHead(false);
  return Status::Ok();
}

}  // namespace fanzha::server
