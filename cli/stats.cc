// fanzha stats: what the store holds. Each module contributes its own figures: add a function to
// kContributors below (it appends keys to the JSON document; the text output is derived from it).
#include <cstdio>

#include "cli/commands.h"
#include "store/store.h"

namespace fanzha::cli {
namespace {

using Json = nlohmann::ordered_json;
using Contributor = Status (*)(store::Store&, Json*);

// Runs a query returning (key, count) rows into an object.
Status CountBy(store::SqlDatabase& db, const std::string& sql, Json* out) {
  *out = Json::object();
  FANZHA_ASSIGN_OR_RETURN(auto s, db.Prepare(sql));
  for (;;) {
    FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return Status::Ok();
    (*out)[s->ColumnString(0)] = s->ColumnInt64(1);
  }
}

// The store's own records: accounts, transfers, cases (keys fixed by contract), and extras.
Status StoreStats(store::Store& store, Json* doc) {
  FANZHA_ASSIGN_OR_RETURN(store::Totals t, store.CountTotals());
  (*doc)["accounts"] = t.accounts;
  (*doc)["transfers"] = t.transfers;
  (*doc)["cases"] = t.cases;
  (*doc)["identifiers"] = t.identifiers;
  store::SqlDatabase& db = store.sql();
  FANZHA_ASSIGN_OR_RETURN(auto s, db.Prepare("SELECT COALESCE(SUM(amount), 0), MIN(time), MAX(time) FROM transfers"));
  FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
  if (row) {
    (*doc)["transfer_volume"] = FormatMoney(s->ColumnInt64(0));
    if (!s->ColumnIsNull(1)) {
      (*doc)["first_transfer"] = FormatTime(s->ColumnInt64(1));
      (*doc)["last_transfer"] = FormatTime(s->ColumnInt64(2));
    }
  }
  Json by_kind, by_type, postings;
  FANZHA_RETURN_IF_ERROR(CountBy(db, "SELECT kind, COUNT(*) FROM accounts GROUP BY kind ORDER BY kind", &by_kind));
  (*doc)["accounts_by_kind"] = by_kind;
  FANZHA_ASSIGN_OR_RETURN(auto p, db.Prepare("SELECT COUNT(*) FROM accounts WHERE declared = 0"));
  FANZHA_ASSIGN_OR_RETURN(bool prow, p->Step());
  if (prow) (*doc)["accounts_only_in_transfers"] = p->ColumnInt64(0);
  FANZHA_RETURN_IF_ERROR(CountBy(
      db, "SELECT type, COUNT(*) FROM case_identifiers GROUP BY type ORDER BY type", &by_type));
  (*doc)["identifiers_by_type"] = by_type;
  FANZHA_ASSIGN_OR_RETURN(auto sp, db.Prepare("SELECT COUNT(*) FROM statement_postings"));
  FANZHA_ASSIGN_OR_RETURN(bool sprow, sp->Step());
  if (sprow) (*doc)["statement_postings"] = sp->ColumnInt64(0);
  return Status::Ok();
}

// Add a line per module: {"name", Function}. Functions append their own keys.
constexpr std::pair<const char*, Contributor> kContributors[] = {
    {"store", StoreStats},
};

void PrintText(const Json& doc, int indent) {
  for (const auto& [key, value] : doc.items()) {
    if (value.is_object()) {
      std::printf("%*s%s:\n", indent, "", key.c_str());
      PrintText(value, indent + 2);
    } else {
      std::string v = value.is_string() ? value.get<std::string>() : value.dump();
      std::printf("%*s%-28s %s\n", indent, "", (key + ":").c_str(), v.c_str());
    }
  }
}

struct StatsOptions {
  StoreOptions store;
  bool json = false;
};

void Run(const StatsOptions& o) {
  auto store = store::Store::OpenSqlite(o.store.db);
  ExitOnError(store.status());
  Json doc = Json::object();
  for (const auto& [name, fn] : kContributors) ExitOnError(fn(**store, &doc).WithContext(name));
  if (o.json) PrintJson(doc);
  else PrintText(doc, 0);
}

}  // namespace

void RegisterStats(CLI::App& app) {
  auto o = std::make_shared<StatsOptions>();
  CLI::App* cmd = app.add_subcommand(
      "stats", "What the store holds: accounts, transfers, cases, identifiers, money, time span.");
  cmd->footer(
      "Examples:\n"
      "  fanzha stats\n"
      "  fanzha stats --db hz.db --json     # {\"accounts\":..,\"transfers\":..,\"cases\":..,...}");
  AddDbOption(cmd, &o->store);
  cmd->add_flag("--json", o->json, "one JSON document");
  cmd->callback([o] { Run(*o); });
}

}  // namespace fanzha::cli
