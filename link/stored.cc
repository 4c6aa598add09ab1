// Clusters kept in the store, updated as cases arrive (from_store.h).
#include <algorithm>
#include <memory>
#include <unordered_map>
#include <unordered_set>

#include "link/from_store.h"

namespace fanzha::link {
namespace {

struct StoredCase {
  std::string cluster;
  bool money = false;
};

Status ReadStored(store::SqlDatabase& db, std::unordered_map<std::string, StoredCase>* cases,
                  std::unordered_map<std::string, CaseMoney>* money) {
  FANZHA_ASSIGN_OR_RETURN(auto st, db.Prepare("SELECT case_id, cluster, money FROM link_cases"));
  while (true) {
    FANZHA_ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row) break;
    (*cases)[st->ColumnString(0)] = {st->ColumnString(1), st->ColumnInt64(2) != 0};
  }
  FANZHA_ASSIGN_OR_RETURN(auto m,
                          db.Prepare("SELECT case_id, account, fen, seed_fen FROM link_money "
                                     "ORDER BY case_id, account"));
  while (true) {
    FANZHA_ASSIGN_OR_RETURN(bool row, m->Step());
    if (!row) break;
    std::string id = m->ColumnString(0);
    CaseMoney& cm = (*money)[id];
    cm.case_id = id;
    cm.seed_fen = m->ColumnInt64(3);
    if (!m->ColumnText(1).empty()) cm.reached.emplace_back(m->ColumnString(1), m->ColumnInt64(2));
  }
  return Status::Ok();
}

}  // namespace

Result<std::optional<StoredClusterOfCase>> StoredClusterOf(store::SqlDatabase& db,
                                                           const std::string& case_id) {
  FANZHA_ASSIGN_OR_RETURN(
      auto st, db.Prepare("SELECT cluster, linked_at FROM link_cases WHERE case_id = ?"));
  st->Bind(1, case_id);
  FANZHA_ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) return std::optional<StoredClusterOfCase>();
  StoredClusterOfCase c{st->ColumnString(0), {}, st->ColumnInt64(1)};
  FANZHA_ASSIGN_OR_RETURN(auto in, db.Prepare("SELECT case_id FROM link_cases WHERE cluster = ? "
                                              "AND case_id <> ? ORDER BY case_id"));
  in->Bind(1, c.cluster).Bind(2, case_id);
  FANZHA_ASSIGN_OR_RETURN(
      c.others, store::ReadRows<std::string>(*in, [](const auto& s) { return s.ColumnString(0); }));
  return std::optional<StoredClusterOfCase>(std::move(c));
}

Result<StoreLinkResult> UpdateStoredLinks(store::Store& store, const StoreLinkOptions& options,
                                          bool rebuild, Millis now, StoredLinkReport* report) {
  StoredLinkReport r;
  std::unordered_map<std::string, StoredCase> stored;
  std::unordered_map<std::string, CaseMoney> stored_money;
  if (!rebuild) FANZHA_RETURN_IF_ERROR(ReadStored(store.sql(), &stored, &stored_money));
  std::vector<Case> cases;
  FANZHA_RETURN_IF_ERROR(store.ForEachCase([&](const Case& c) { cases.push_back(c); }));
  r.cases = static_cast<int64_t>(cases.size());
  FANZHA_ASSIGN_OR_RETURN(Options link_options, OptionsWithExits(store, options.link));
  StoreLinkResult out{Linker(link_options)};

  // Known cases in bulk, with their stored money; the rest (and money still missing) after.
  std::vector<LinkCase> known;
  std::vector<CaseMoney> known_money;
  std::vector<const Case*> fresh, retry;
  for (const Case& c : cases) {
    auto it = stored.find(c.id);
    if (it == stored.end()) {
      fresh.push_back(&c);
      continue;
    }
    known.push_back(ToLinkCase(c));
    auto m = stored_money.find(c.id);
    if (it->second.money && m != stored_money.end()) {
      known_money.push_back(std::move(m->second));
    } else if (!c.transfers.empty() && options.money) {
      retry.push_back(&c);
    }
  }
  FANZHA_RETURN_IF_ERROR(out.linker.AddAll(known, known_money));
  known.clear();
  known_money.clear();

  bool need_money = options.money && !retry.empty();
  for (const Case* c : fresh) need_money |= options.money && !c->transfers.empty();
  CaseTracer tracer;
  if (need_money) {
    FANZHA_ASSIGN_OR_RETURN(tracer, TracerOf(store, options));
  }
  std::vector<CaseMoney> traced;  // to save
  auto trace_case = [&](const Case& c) -> Status {
    if (!tracer || c.transfers.empty()) return Status::Ok();
    Result<trace::Answer> answer = tracer(c);
    if (!answer.ok()) {
      ++r.untraced;
      return Status::Ok();
    }
    ++r.traced;
    traced.push_back(MoneyOf(c.id, *answer));
    return rebuild ? Status::Ok() : out.linker.AddMoney(traced.back());
  };
  for (const Case* c : fresh) {
    if (!rebuild) FANZHA_RETURN_IF_ERROR(out.linker.Add(ToLinkCase(*c)));
    FANZHA_RETURN_IF_ERROR(trace_case(*c));
    ++r.added;
  }
  if (rebuild) {
    // Everything in bulk: the same as LinkStore.
    std::vector<LinkCase> all;
    for (const Case* c : fresh) all.push_back(ToLinkCase(*c));
    FANZHA_RETURN_IF_ERROR(out.linker.AddAll(all, traced));
  }
  for (const Case* c : retry) FANZHA_RETURN_IF_ERROR(trace_case(*c));
  out.traced = r.traced;
  out.untraced = r.untraced;

  // Each case's cluster: the smallest case id among its members.
  auto labels = out.linker.Labels();
  std::unordered_map<uint32_t, std::string> least;
  for (const auto& [id, label] : labels) {
    auto [it, added] = least.try_emplace(label, id);
    if (!added && id < it->second) it->second = id;
  }
  std::unordered_set<std::string> has_money;
  for (const auto& [id, m] : stored_money) has_money.insert(id);
  for (const CaseMoney& m : traced) has_money.insert(m.case_id);

  store::SqlDatabase& db = store.sql();
  FANZHA_ASSIGN_OR_RETURN(auto tx, store::SqlTransaction::Begin(&db));
  if (rebuild) FANZHA_RETURN_IF_ERROR(db.Exec("DELETE FROM link_cases; DELETE FROM link_money;"));
  FANZHA_ASSIGN_OR_RETURN(
      auto put, db.Prepare("INSERT INTO link_cases (case_id, cluster, money, linked_at) VALUES "
                           "(?, ?, ?, ?) ON CONFLICT (case_id) DO UPDATE "
                           "SET cluster = excluded.cluster, money = excluded.money"));
  for (const auto& [id, label] : labels) {
    const std::string& cluster = least.at(label);
    bool money = has_money.count(id) > 0;
    auto it = stored.find(id);
    if (it != stored.end() && it->second.cluster == cluster && it->second.money == money) continue;
    put->Bind(1, id).Bind(2, cluster).Bind(3, money ? 1 : 0).Bind(4, now);
    FANZHA_RETURN_IF_ERROR(put->Run());
    ++r.changed;
  }
  FANZHA_ASSIGN_OR_RETURN(
      auto put_money,
      db.Prepare("INSERT INTO link_money (case_id, account, fen, seed_fen) VALUES (?, ?, ?, ?) "
                 "ON CONFLICT (case_id, account) DO UPDATE SET fen = excluded.fen, "
                 "seed_fen = excluded.seed_fen"));
  for (const CaseMoney& m : traced) {
    // Amounts summed per account; a case whose money reached nothing keeps one row with no account.
    std::unordered_map<std::string, Fen> sums;
    for (const auto& [account, fen] : m.reached) sums[account] += fen;
    if (sums.empty()) {
      put_money->Bind(1, m.case_id).Bind(2, "").Bind(3, int64_t{0}).Bind(4, m.seed_fen);
      FANZHA_RETURN_IF_ERROR(put_money->Run());
    }
    for (const auto& [account, fen] : sums) {
      put_money->Bind(1, m.case_id).Bind(2, account).Bind(3, fen).Bind(4, m.seed_fen);
      FANZHA_RETURN_IF_ERROR(put_money->Run());
    }
  }
  FANZHA_RETURN_IF_ERROR(tx.Commit());
  if (report) *report = r;
  return out;
}

Result<StoredLinkStamp> StampOfStoredLinks(store::Store& store) {
  StoredLinkStamp stamp;
  FANZHA_ASSIGN_OR_RETURN(stamp.cases, store.CountCases());
  FANZHA_ASSIGN_OR_RETURN(
      auto s, store.sql().Prepare("SELECT COUNT(*), COALESCE(MAX(linked_at), 0) FROM link_cases"));
  FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
  if (row) {
    stamp.linked = s->ColumnInt64(0);
    stamp.last_linked_at = s->ColumnInt64(1);
  }
  return stamp;
}

Result<StoredClusterTotals> CountStoredClusters(store::SqlDatabase& db) {
  FANZHA_ASSIGN_OR_RETURN(
      auto s,
      db.Prepare(
          "SELECT COUNT(*), COALESCE(SUM(n), 0) FROM "
          "(SELECT COUNT(*) AS n FROM link_cases GROUP BY cluster HAVING COUNT(*) > 1) AS sizes"));
  FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
  StoredClusterTotals t;
  if (row) {
    t.clusters = s->ColumnInt64(0);
    t.linked_cases = s->ColumnInt64(1);
  }
  return t;
}

}  // namespace fanzha::link
