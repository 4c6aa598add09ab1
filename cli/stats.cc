// fanzha stats: what the store holds. Each module contributes its own figures: add a function to
// kContributors below (it appends keys to the JSON document; the text output is derived from it).
#include <chrono>
#include <cstdio>
#include <fstream>

#include "core/json.h"
#include "cli/commands.h"
#include "dispatch/dispatch.h"
#include "report/report.h"
#include "store/store.h"
#include "warn/store_io.h"

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
  FANZHA_ASSIGN_OR_RETURN(auto s, db.Prepare("SELECT COALESCE(SUM(amount), 0), MIN(time), MAX(time) FROM transfers "
                                             "WHERE currency = 'CNY'"));
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
  Json by_currency;  // transfer_volume above is in yuan; other currencies are counted apart
  FANZHA_RETURN_IF_ERROR(CountBy(
      db, "SELECT currency, COUNT(*) FROM transfers WHERE currency <> 'CNY' GROUP BY currency "
          "ORDER BY currency", &by_currency));
  if (!by_currency.empty()) (*doc)["transfers_in_other_currencies"] = by_currency;
  FANZHA_ASSIGN_OR_RETURN(auto sp, db.Prepare("SELECT COUNT(*) FROM statement_postings"));
  FANZHA_ASSIGN_OR_RETURN(bool sprow, sp->Step());
  if (sprow) (*doc)["statement_postings"] = sp->ColumnInt64(0);
  return Status::Ok();
}

Millis SystemNow() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch()).count();
}

// One number from a query.
Result<int64_t> Scalar(store::SqlDatabase& db, const char* sql) {
  FANZHA_ASSIGN_OR_RETURN(auto s, db.Prepare(sql));
  FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
  return row ? s->ColumnInt64(0) : 0;
}

// Linking as stored by the linker (kept current on import, link/from_store.h): clusters of two or
// more cases, and the cases in them.
Status LinkStats(store::Store& store, Json* doc) {
  store::SqlDatabase& db = store.sql();
  FANZHA_ASSIGN_OR_RETURN(int64_t clusters, Scalar(db,
      "SELECT COUNT(*) FROM (SELECT cluster FROM link_cases GROUP BY cluster HAVING COUNT(*) > 1) k"));
  FANZHA_ASSIGN_OR_RETURN(int64_t linked, Scalar(db,
      "SELECT COUNT(*) FROM link_cases WHERE cluster IN "
      "(SELECT cluster FROM link_cases GROUP BY cluster HAVING COUNT(*) > 1)"));
  (*doc)["link"] = {{"linked_cases", linked}, {"clusters", clusters}};
  return Status::Ok();
}

Status FreezeStats(store::Store& store, Json* doc) {
  store::SqlDatabase& db = store.sql();
  FANZHA_ASSIGN_OR_RETURN(int64_t orders, Scalar(db, "SELECT COUNT(*) FROM freeze_orders"));
  FANZHA_ASSIGN_OR_RETURN(int64_t frozen, Scalar(db,
      "SELECT COALESCE(SUM(amount_frozen), 0) FROM freeze_orders"));
  FANZHA_ASSIGN_OR_RETURN(int64_t returned, Scalar(db,
      "SELECT COALESCE(SUM(amount_frozen), 0) FROM freeze_orders WHERE status = 'returned'"));
  (*doc)["freeze"] = {{"orders", orders}, {"frozen", FormatMoney(frozen)},
                      {"returned", FormatMoney(returned)}};
  return Status::Ok();
}

Status WarnStats(store::Store& store, Json* doc) {
  FANZHA_ASSIGN_OR_RETURN(warn::WarnTotals t, warn::CountWarnings(store.sql()));
  (*doc)["warn"] = {{"warnings", t.warnings}, {"open", t.open}, {"dissuaded", t.dissuaded},
                    {"already_paid", t.already_paid}, {"saved", FormatMoney(t.saved)}};
  return Status::Ok();
}

Status DispatchStats(store::Store& store, Json* doc) {
  dispatch::LeadBook book(store.sql());
  FANZHA_ASSIGN_OR_RETURN(dispatch::LeadTotals t, book.Totals(SystemNow()));
  (*doc)["leads"] = {{"leads", t.leads}, {"batches", t.batches}, {"answered", t.answered},
                     {"overdue", t.overdue}, {"closed", t.closed}, {"rejected", t.rejected},
                     {"arrests", t.arrests}, {"solved", t.solved},
                     {"recovered", FormatMoney(t.recovered)}};
  Json by_state;
  FANZHA_RETURN_IF_ERROR(CountBy(store.sql(),
      "SELECT status, COUNT(*) FROM takedowns GROUP BY status ORDER BY status", &by_state));
  (*doc)["takedowns"] = by_state;
  return Status::Ok();
}

// Add a line per module: {"name", Function}. Functions append their own keys.
constexpr std::pair<const char*, Contributor> kContributors[] = {
    {"store", StoreStats},
    {"link", LinkStats},
    {"freeze", FreezeStats},
    {"warn", WarnStats},
    {"dispatch", DispatchStats},
};

void PrintText(const Json& doc, int indent) {
  for (const auto& [key, value] : doc.items()) {
    if (value.is_object()) {
      std::printf("%*s%s:\n", indent, "", key.c_str());
      PrintText(value, indent + 2);
    } else if (value.is_array() && !value.empty() && value[0].is_object()) {
      std::printf("%*s%s:\n", indent, "", key.c_str());
      for (const auto& row : value) std::printf("%*s%s\n", indent + 2, "", DumpJson(row).c_str());
    } else {
      std::string v = value.is_string() ? value.get<std::string>() : DumpJson(value);
      std::printf("%*s%-28s %s\n", indent, "", (key + ":").c_str(), v.c_str());
    }
  }
}

struct StatsOptions {
  StoreOptions store;
  bool json = false;
  std::vector<std::string> by;  // day, region, category
  std::string csv;              // with one --by: the breakdown as CSV
};

// The breakdowns asked for with --by, as "by_<dimension>" arrays; the last one also as CSV.
void AddBreakdowns(store::Store& store, const StatsOptions& o, Json* doc) {
  for (const std::string& name : o.by) {
    auto by = report::ParseDimension(name);
    ExitOnError(by.status().WithContext("--by"));
    auto rows = report::Breakdown(store, *by, SystemNow());
    ExitOnError(rows.status());
    (*doc)["by_" + name] = report::ToJson(*rows);
    if (o.csv.empty()) continue;
    std::ofstream out(o.csv, std::ios::binary);
    out << report::ToCsv(*rows);
    if (!out) ExitOnError(Status::Io(o.csv + ": cannot write"));
  }
}

void Run(const StatsOptions& o) {
  auto store = store::Store::OpenSqlite(o.store.db);
  ExitOnError(store.status());
  Json doc = Json::object();
  for (const auto& [name, fn] : kContributors) ExitOnError(fn(**store, &doc).WithContext(name));
  AddBreakdowns(**store, o, &doc);
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
      "  fanzha stats --db hz.db --json     # {\"accounts\":..,\"transfers\":..,\"cases\":..,...}\n"
      "  fanzha stats --json --by day --by region    # adds by_day, by_region: cases, linked, loss,\n"
      "                                              # frozen, returned, leads, arrests, warnings ...\n"
      "  fanzha stats --by category --csv by_category.csv");
  AddDbOption(cmd, &o->store);
  cmd->add_flag("--json", o->json, "one JSON document");
  cmd->add_option("--by", o->by, "breakdowns: day, region (city), category (repeatable)")
      ->check(CLI::IsMember({"day", "region", "category"}));
  cmd->add_option("--csv", o->csv, "write the (last) --by breakdown as CSV to this file");
  cmd->callback([o] { Run(*o); });
}

}  // namespace fanzha::cli
