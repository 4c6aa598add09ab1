#include "app/audited.h"

namespace fanzha::app {

Result<audit::Entry> AuditedChange(store::Store& store, const audit::Key& key, audit::Entry entry,
                                   const std::function<Status(audit::Entry&)>& change,
                                   const std::function<void(const audit::Entry&)>& before_commit) {
  FANZHA_ASSIGN_OR_RETURN(auto tx, store::SqlTransaction::Begin(&store.sql()));
  FANZHA_RETURN_IF_ERROR(change(entry));
  FANZHA_ASSIGN_OR_RETURN(audit::Entry stored,
                          audit::AuditLog(store.sql(), key).Append(std::move(entry)));
  if (before_commit) before_commit(stored);
  FANZHA_RETURN_IF_ERROR(tx.Commit());
  return stored;
}

Result<Swept> SweepLapsed(store::Store& store, const audit::Key& key, Millis now) {
  FANZHA_ASSIGN_OR_RETURN(auto tx, store::SqlTransaction::Begin(&store.sql()));
  Swept swept;
  FANZHA_ASSIGN_OR_RETURN(swept.lapsed, freeze::OrderBook(store.sql()).Sweep(now));
  if (swept.lapsed.empty()) return swept;  // nothing written: the transaction rolls back
  std::vector<audit::Entry> entries;
  for (const freeze::Order& o : swept.lapsed) {
    audit::Entry e;
    e.at = now;
    e.action = "freeze.expire";
    e.target = "order " + std::to_string(o.id);
    e.detail = std::string(freeze::Name(o.kind)) + " lapsed at " + FormatTime(o.expired_at);
    entries.push_back(std::move(e));
  }
  FANZHA_RETURN_IF_ERROR(audit::AuditLog(store.sql(), key).AppendAll(entries));
  swept.head = entries.back();
  FANZHA_RETURN_IF_ERROR(tx.Commit());
  return swept;
}

}  // namespace fanzha::app
