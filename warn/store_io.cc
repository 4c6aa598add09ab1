#include "warn/store_io.h"

#include <memory>
#include <unordered_set>

#include "core/json.h"
#include "region/region.h"
#include "warn/keys.h"

namespace fanzha::warn {

Status LoadWatchlist(store::SqlDatabase& db, Watchlist* list, bool changed_only) {
  FANZHA_ASSIGN_OR_RETURN(
      auto st, db.Prepare("SELECT kind, value, source, category, expires_at, version, cases, hub, "
                          "removed FROM warn_entries WHERE version > ? ORDER BY version, kind, "
                          "value"));
  int64_t top = list->version();
  st->Bind(1, changed_only ? top : int64_t{-1});
  while (true) {
    FANZHA_ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row) break;
    FANZHA_ASSIGN_OR_RETURN(EntryKind kind, ParseEntryKind(st->ColumnText(0)));
    Entry e;
    e.kind = kind;
    e.value = st->ColumnString(1);
    e.source = st->ColumnString(2);
    e.category = st->ColumnString(3);
    e.expires_at = st->ColumnInt64(4);
    e.version = st->ColumnInt64(5);
    e.cases = static_cast<int32_t>(st->ColumnInt64(6));
    e.hub = st->ColumnInt64(7) != 0;
    e.removed = st->ColumnInt64(8) != 0;
    top = std::max(top, e.version);
    FANZHA_ASSIGN_OR_RETURN(auto i, list->Put(e));
    (void)i;
  }
  list->set_version(top);
  return Status::Ok();
}

Status SaveWatchlist(store::SqlDatabase& db, const Watchlist& list, int64_t since) {
  FANZHA_ASSIGN_OR_RETURN(auto tx, store::SqlTransaction::Begin(&db));
  FANZHA_ASSIGN_OR_RETURN(
      auto st,
      db.Prepare(
          "INSERT INTO warn_entries (kind, value, source, category, expires_at, version, "
          "cases, hub, removed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kind, value) "
          "DO UPDATE SET source = excluded.source, category = excluded.category, "
          "expires_at = excluded.expires_at, version = excluded.version, "
          "cases = excluded.cases, hub = excluded.hub, removed = excluded.removed"));
  for (Watchlist::Index i = 0; i < list.size(); ++i) {
    if (list.version(i) <= since) continue;
    Entry e = list.Get(i);
    st->Bind(1, Name(e.kind)).Bind(2, e.value).Bind(3, e.source).Bind(4, e.category);
    st->Bind(5, e.expires_at).Bind(6, e.version).Bind(7, e.cases);
    st->Bind(8, e.hub ? 1 : 0).Bind(9, e.removed ? 1 : 0);
    FANZHA_RETURN_IF_ERROR(st->Run());
  }
  return tx.Commit();
}

Result<int64_t> RefreshWatchlist(store::Store& store, Watchlist* list,
                                 const BuildOptions& options) {
  FANZHA_RETURN_IF_ERROR(LoadWatchlist(store.sql(), list));
  int64_t before = list->version();
  auto exits = std::make_shared<std::unordered_set<std::string>>();
  FANZHA_RETURN_IF_ERROR(store.ForEachAccount([&](const Account& a) {
    if (IsExitKind(a.kind)) exits->insert(AccountKey(a.id));
  }));
  BuildOptions with_exits = options;
  with_exits.generic = [exits, base = options.generic](EntryKind kind, std::string_view value) {
    if (kind == EntryKind::kAccount && exits->count(std::string(value))) return true;
    return base && base(kind, value);
  };
  CaseListBuilder builder(with_exits);
  FANZHA_RETURN_IF_ERROR(store.ForEachCase([&](const Case& c) { builder.Add(c); }));
  FANZHA_ASSIGN_OR_RETURN(int64_t put, builder.Build(list, /*keep_manual=*/true));
  (void)put;
  int64_t changed = 0;
  for (Watchlist::Index i = 0; i < list->size(); ++i) changed += list->version(i) > before;
  if (changed == 0) list->set_version(before);
  FANZHA_RETURN_IF_ERROR(SaveWatchlist(store.sql(), *list, before));
  return changed;
}

Result<AccountRegions> LoadAccountRegions(store::Store& store) {
  AccountRegions out;
  FANZHA_RETURN_IF_ERROR(store.ForEachAccount([&](const Account& a) {
    if (!a.region.empty()) out.Put(AccountKey(a.id), a.region);
  }));
  return out;
}

Status SaveWarning(store::SqlDatabase& db, const Warning& w, const std::string& body, Millis now,
                   bool* written) {
  FANZHA_ASSIGN_OR_RETURN(
      auto st,
      db.Prepare("INSERT INTO warnings (id, revision, person, region, score, category, "
                 "first_event_at, last_event_at, window_end, paid, body, written_at) VALUES "
                 "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                 "revision = excluded.revision, score = excluded.score, "
                 "category = excluded.category, first_event_at = excluded.first_event_at, "
                 "last_event_at = excluded.last_event_at, paid = excluded.paid, "
                 "body = excluded.body, written_at = excluded.written_at "
                 "WHERE excluded.revision > warnings.revision"));
  st->Bind(1, w.id).Bind(2, w.revision).Bind(3, w.person).Bind(4, w.region).Bind(5, w.score);
  st->Bind(6, w.category).Bind(7, w.first_event_at).Bind(8, w.last_event_at);
  st->Bind(9, w.window_end).Bind(10, w.paid).Bind(11, body).Bind(12, now);
  FANZHA_RETURN_IF_ERROR(st->Run());
  if (written) *written = db.Changes() > 0;
  return Status::Ok();
}

Result<std::vector<QueuedWarning>> RegionQueue(store::SqlDatabase& db, const std::string& region,
                                               size_t limit) {
  // The codes a region covers share a prefix: a range over it keeps to the warnings_by_region
  // index ("33" <= code < "34" for 330000).
  std::string from(region::CoveredPrefix(region)), to = from;
  if (!to.empty()) ++to.back();
  FANZHA_ASSIGN_OR_RETURN(
      auto st, db.Prepare("SELECT id, revision, person, region, score, last_event_at, body "
                          "FROM warnings WHERE (? = '' OR (region >= ? AND region < ?)) AND "
                          "NOT EXISTS (SELECT 1 FROM warning_outcomes o WHERE o.warning_id = "
                          "warnings.id)"));
  st->Bind(1, from).Bind(2, from).Bind(3, to);
  std::vector<QueuedWarning> out;
  while (true) {
    FANZHA_ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row) break;
    out.push_back({st->ColumnString(0), static_cast<int>(st->ColumnInt64(1)), st->ColumnString(2),
                   st->ColumnString(3), static_cast<int>(st->ColumnInt64(4)), st->ColumnInt64(5),
                   st->ColumnString(6)});
  }
  std::sort(out.begin(), out.end(), MoreUrgent);
  if (limit && out.size() > limit) out.resize(limit);
  return out;
}

Result<std::vector<QueuedWarning>> WarningsAbout(store::SqlDatabase& db, const std::string& value,
                                                 size_t limit) {
  // An entry's value is written in the body as "value":"..." (WarningJson, by DumpJson). The body
  // holds it when removing it changes the body: replace() reads the same on SQLite and PostgreSQL.
  const std::string quoted = "\"value\":" + DumpJson(nlohmann::json(value));
  FANZHA_ASSIGN_OR_RETURN(
      auto st, db.Prepare("SELECT id, revision, person, region, score, last_event_at, body FROM "
                          "warnings WHERE person = ? OR replace(body, ?, '') <> body ORDER BY "
                          "last_event_at DESC, id LIMIT ?"));
  st->Bind(1, value).Bind(2, quoted).Bind(3, limit ? static_cast<int64_t>(limit) : INT64_MAX);
  return store::ReadRows<QueuedWarning>(*st, [](const store::SqlStatement& s) {
    return QueuedWarning{s.ColumnString(0), static_cast<int>(s.ColumnInt64(1)), s.ColumnString(2),
                         s.ColumnString(3), static_cast<int>(s.ColumnInt64(4)), s.ColumnInt64(5),
                         s.ColumnString(6)};
  });
}

Status RecordOutcome(store::SqlDatabase& db, const std::string& warning_id, Outcome outcome,
                     Fen saved, Millis now) {
  if (saved < 0) return Status::Invalid("saved: must not be negative").WithZh("saved：不能为负数");
  FANZHA_ASSIGN_OR_RETURN(auto tx, store::SqlTransaction::Begin(&db));
  FANZHA_ASSIGN_OR_RETURN(
      auto find, db.Prepare("SELECT (SELECT COUNT(*) FROM warnings WHERE id = ?), "
                            "(SELECT COUNT(*) FROM warning_outcomes WHERE warning_id = ?)"));
  find->Bind(1, warning_id).Bind(2, warning_id);
  FANZHA_ASSIGN_OR_RETURN(bool row, find->Step());
  if (!row || find->ColumnInt64(0) == 0) {
    return Status::NotFound("no warning " + warning_id).WithZh("预警 " + warning_id + " 不存在");
  }
  int64_t seq = find->ColumnInt64(1) + 1;
  find.reset();
  FANZHA_ASSIGN_OR_RETURN(auto put,
                          db.Prepare("INSERT INTO warning_outcomes (warning_id, seq, "
                                     "outcome, saved, recorded_at) VALUES (?, ?, ?, ?, ?)"));
  put->Bind(1, warning_id).Bind(2, seq).Bind(3, Name(outcome)).Bind(4, saved).Bind(5, now);
  FANZHA_RETURN_IF_ERROR(put->Run());
  return tx.Commit();
}

Result<std::vector<WarningFacts>> ListWarningFacts(store::SqlDatabase& db) {
  FANZHA_ASSIGN_OR_RETURN(
      auto st, db.Prepare("SELECT id, first_event_at, region, category FROM warnings ORDER BY id"));
  std::vector<WarningFacts> out;
  for (;;) {
    FANZHA_ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row) return out;
    out.push_back(
        {st->ColumnString(0), st->ColumnInt64(1), st->ColumnString(2), st->ColumnString(3)});
  }
}

Result<WarnTotals> CountWarnings(store::SqlDatabase& db) {
  WarnTotals t;
  FANZHA_ASSIGN_OR_RETURN(
      auto st,
      db.Prepare("SELECT w.id, o.outcome, o.saved FROM warnings w LEFT JOIN warning_outcomes o "
                 "ON o.warning_id = w.id AND o.seq = (SELECT MAX(seq) FROM warning_outcomes x "
                 "WHERE x.warning_id = w.id)"));
  while (true) {
    FANZHA_ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row) break;
    ++t.warnings;
    if (st->ColumnIsNull(1)) {
      ++t.open;
      continue;
    }
    auto o = ParseOutcome(st->ColumnText(1));
    if (!o.ok()) continue;
    switch (*o) {
      case Outcome::kReached:
        ++t.reached;
        break;
      case Outcome::kDissuaded:
        ++t.dissuaded;
        break;
      case Outcome::kAlreadyPaid:
        ++t.already_paid;
        break;
      case Outcome::kNotReached:
        ++t.not_reached;
        break;
    }
    t.saved += st->ColumnInt64(2);
  }
  return t;
}

}  // namespace fanzha::warn
