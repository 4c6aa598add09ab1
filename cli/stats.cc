// fanzha stats: what the store holds, the document of app/stats.h (the same as GET /api/stats),
// as text or JSON, with the breakdowns of report/report.h asked for with --by.
#include "app/stats.h"

#include <cstdio>
#include <fstream>

#include "cli/commands.h"
#include "core/clock.h"
#include "core/json.h"
#include "report/report.h"
#include "store/store.h"

namespace fanzha::cli {
namespace {

using Json = nlohmann::ordered_json;

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
    auto rows = report::Breakdown(store, *by, SystemClock().Now());
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
  Result<Json> doc = app::Statistics(**store, SystemClock().Now());
  ExitOnError(doc.status());
  AddBreakdowns(**store, o, &*doc);
  if (o.json)
    PrintJson(*doc);
  else
    PrintText(*doc, 0);
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
      "  fanzha stats --json --by day --by region    # adds by_day, by_region: cases, linked, "
      "loss,\n"
      "                                              # frozen, returned, leads, arrests, warnings "
      "...\n"
      "  fanzha stats --by category --csv by_category.csv");
  AddDbOption(cmd, &o->store);
  cmd->add_flag("--json", o->json, "one JSON document");
  cmd->add_option("--by", o->by, "breakdowns: day, region (city), category (repeatable)")
      ->check(CLI::IsMember({"day", "region", "category"}));
  cmd->add_option("--csv", o->csv, "write the (last) --by breakdown as CSV to this file");
  cmd->callback([o] { Run(*o); });
}

}  // namespace fanzha::cli
