// fanzha link: which cases belong to one gang, and why (LINKING.md).
#include <cstdio>
#include <unordered_map>

#include "cli/commands.h"
#include "core/clock.h"
#include "core/csv.h"
#include "link/from_store.h"
#include "link/json.h"
#include "link/quality.h"

namespace fanzha::cli {
namespace {

struct LinkCmdOptions {
  StoreOptions store;
  std::string case_id;
  std::string truth;
  bool json = false;
  bool no_money = false;
  bool rebuild = false;
  link::Options link;
};

void PrintEvidence(const link::Evidence& e, const char* indent) {
  std::string cases;
  for (const std::string& c : e.cases) cases += (cases.empty() ? "" : " ") + c;
  std::printf("%s%.2f  %-9s %s  (%s)\n", indent, e.weight, e.kind.c_str(), e.value.c_str(),
              cases.c_str());
}

void PrintHubs(const std::vector<link::Hub>& hubs, const char* title) {
  std::printf("%s\n", title);
  if (hubs.empty()) std::printf("  none\n");
  for (const link::Hub& h : hubs) {
    std::printf("  %-9s %s  (%lld cases)\n", h.kind.c_str(), h.value.c_str(),
                static_cast<long long>(h.cases));
  }
}

void PrintAnswer(const link::Answer& a, const link::Totals& t) {
  std::printf(
      "%lld of %lld cases linked into %lld clusters (%lld 起案件中 %lld 起串并为 %lld 个团伙)\n",
      static_cast<long long>(t.linked_cases), static_cast<long long>(t.cases),
      static_cast<long long>(t.clusters), static_cast<long long>(t.cases),
      static_cast<long long>(t.linked_cases), static_cast<long long>(t.clusters));
  for (const link::Cluster& c : a.clusters) {
    std::string regions;
    for (const std::string& r : c.regions) regions += (regions.empty() ? "" : " ") + r;
    std::printf("\n%s  %zu cases, loss %s yuan, regions %s\n", c.id.c_str(), c.cases.size(),
                FormatMoney(c.loss).c_str(), regions.empty() ? "-" : regions.c_str());
    for (const link::Evidence& e : c.evidence) PrintEvidence(e, "  ");
  }
  std::printf("\n");
  PrintHubs(a.hubs, "Set aside as hubs (shared by too many cases to link on):");
}

void PrintExplanation(const link::Explanation& x) {
  if (x.cluster_id.empty()) {
    std::printf("Case %s is linked to no other case. / 案件 %s 未与其他案件串并。\n",
                x.case_id.c_str(), x.case_id.c_str());
  } else {
    std::printf(
        "Case %s belongs to cluster %s (%zu cases). / 案件 %s 属于团伙 %s（%zu 起案件）。\n",
        x.case_id.c_str(), x.cluster_id.c_str(), x.cluster_cases.size(), x.case_id.c_str(),
        x.cluster_id.c_str(), x.cluster_cases.size());
    std::printf("\nIts own evidence, strongest first:\n");
    for (const link::Evidence& e : x.evidence) PrintEvidence(e, "  ");
    std::printf("\nHow each case of the cluster is reached from it:\n");
    for (const auto& [c, before] : x.reached_via) {
      if (before == x.case_id) {
        std::printf("  %s  directly\n", c.c_str());
      } else {
        std::printf("  %s  through %s\n", c.c_str(), before.c_str());
      }
    }
  }
  std::printf("\n");
  PrintHubs(x.set_aside, "Its values set aside as hubs:");
  if (!x.weak_money.empty()) {
    std::printf("\nAccounts its money reached too little of to count as evidence:\n");
    for (const std::string& a : x.weak_money) std::printf("  %s\n", a.c_str());
  }
}

// truth/cases.csv of a generated world: case,gang,...
Result<std::unordered_map<std::string, std::string>> ReadTruth(const std::string& path) {
  FANZHA_ASSIGN_OR_RETURN(auto reader, CsvReader::Open(path));
  std::vector<std::string_view> row;
  if (!reader->Next(&row)) return Status::Invalid(path + ": empty file");
  int case_col = -1, gang_col = -1;
  for (size_t i = 0; i < row.size(); ++i) {
    if (row[i] == "case") case_col = static_cast<int>(i);
    if (row[i] == "gang") gang_col = static_cast<int>(i);
  }
  if (case_col < 0 || gang_col < 0)
    return Status::Invalid(path + ":1: needs columns case and gang");
  std::unordered_map<std::string, std::string> truth;
  while (reader->Next(&row)) {
    if (row.size() <= static_cast<size_t>(std::max(case_col, gang_col))) {
      return Status::Invalid(path + ":" + std::to_string(reader->line()) + ": too few fields");
    }
    truth[std::string(row[case_col])] = std::string(row[gang_col]);
  }
  FANZHA_RETURN_IF_ERROR(reader->status());
  return truth;
}

void PrintQuality(const char* name, const link::Quality& q) {
  std::printf("%-22s %9.4f %9.4f %9.4f   %9.4f %9.4f %9.4f\n", name, q.pair_precision,
              q.pair_recall, q.pair_f1, q.bcubed_precision, q.bcubed_recall, q.bcubed_f1);
}

// Quality against ground truth, side by side with exact matching of the raw identifiers.
void Evaluate(store::Store& store, const link::Linker& linker, const LinkCmdOptions& o) {
  auto truth = ReadTruth(o.truth);
  ExitOnError(truth.status());
  std::vector<std::pair<std::string, std::vector<std::string>>> raw;
  ExitOnError(store.ForEachCase([&](const Case& c) {
    std::vector<std::string> values;
    for (const Identifier& i : c.identifiers) {
      if (i.type != IdentifierType::kDomain) values.push_back(i.raw);  // domains are derived
    }
    raw.emplace_back(c.id, std::move(values));
  }));
  link::Quality q = link::Measure(linker.Labels(), *truth);
  link::Quality b = link::Measure(link::ExactMatchLabels(raw), *truth);
  if (o.json) {
    auto j = [](const link::Quality& x) {
      return nlohmann::ordered_json{{"pair_precision", x.pair_precision},
                                    {"pair_recall", x.pair_recall},
                                    {"pair_f1", x.pair_f1},
                                    {"bcubed_precision", x.bcubed_precision},
                                    {"bcubed_recall", x.bcubed_recall},
                                    {"bcubed_f1", x.bcubed_f1}};
    };
    PrintJson({{"cases", q.cases}, {"fanzha", j(q)}, {"exact_raw_baseline", j(b)}});
    return;
  }
  std::printf("%lld cases against %s\n", static_cast<long long>(q.cases), o.truth.c_str());
  std::printf("%-22s %9s %9s %9s   %9s %9s %9s\n", "", "pair P", "pair R", "pair F1", "B3 P",
              "B3 R", "B3 F1");
  PrintQuality("fanzha link", q);
  PrintQuality("exact raw strings", b);
}

void Run(const LinkCmdOptions& o) {
  auto store = OpenStoreOrExit(o.store);
  link::StoreLinkOptions so;
  so.link = o.link;
  so.money = !o.no_money;
  // --no-money is a what-if: it reads the store and writes nothing back.
  link::StoredLinkReport report;
  auto linked = o.no_money
                    ? link::LinkStore(*store, so)
                    : link::UpdateStoredLinks(*store, so, o.rebuild, SystemClock().Now(), &report);
  ExitOnError(linked.status());
  if (report.added > 0 || report.changed > 0) {
    std::fprintf(stderr,
                 "fanzha link: %lld new cases linked, %lld traced, %lld cluster rows updated\n",
                 static_cast<long long>(report.added), static_cast<long long>(report.traced),
                 static_cast<long long>(report.changed));
  }
  const link::Linker& linker = linked->linker;
  if (!o.truth.empty()) return Evaluate(*store, linker, o);
  if (!o.case_id.empty()) {
    auto x = linker.Explain(o.case_id);
    ExitOnError(x.status());
    if (o.json) return PrintJson(link::ToJson(*x));
    return PrintExplanation(*x);
  }
  link::Answer a = linker.Clusters();
  if (o.json) return PrintJson(link::ToJson(a));
  PrintAnswer(a, linker.CountTotals());
  if (linked->untraced > 0) {
    std::printf("\n%lld cases list payments that are not in the ledger: their money was not used\n",
                static_cast<long long>(linked->untraced));
  }
}

}  // namespace

void RegisterLink(CLI::App& app) {
  auto opts = std::make_shared<LinkCmdOptions>();
  CLI::App* cmd = app.add_subcommand(
      "link",
      "Link cases into gangs by shared identifiers and shared money (LINKING.md).\n\n"
      "Examples:\n"
      "  fanzha link                          clusters with their evidence, and the hubs set "
      "aside\n"
      "  fanzha link --json                   the LINKING.md answer\n"
      "  fanzha link --case HZ-20200208-0001  why this case belongs where it does\n"
      "  fanzha link --truth demo/truth/cases.csv   quality against a generated world's truth\n"
      "  fanzha link --rebuild                trace every case again and relink all\n\n"
      "Clusters are kept in the store and updated when cases are imported: a run links the cases\n"
      "not linked yet (tracing only their money) on top of the stored clusters.");
  AddDbOption(cmd, &opts->store);
  cmd->add_option("--case", opts->case_id, "explain one case: its evidence, evidence by evidence");
  cmd->add_flag("--json", opts->json, "one JSON document on stdout");
  cmd->add_option("--truth", opts->truth,
                  "truth/cases.csv (case,gang) of a generated world: print pairwise and B-cubed "
                  "precision/recall/F1, beside exact matching of the raw identifiers");
  cmd->add_flag("--no-money", opts->no_money,
                "identifiers only, without the cases' money (nothing is stored)");
  cmd->add_flag("--rebuild", opts->rebuild,
                "forget the stored clusters, trace every case's money again and relink all (after "
                "importing transfers that change earlier traces, or new link options)");
  cmd->add_option("--hub-threshold", opts->link.max_key_cases,
                  "a value carried by more cases than this is a hub and links nothing")
      ->capture_default_str();
  cmd->add_option("--ip-hub-threshold", opts->link.max_ip_cases, "the same for IP addresses")
      ->capture_default_str();
  cmd->add_option("--min-money-share", opts->link.min_money_share,
                  "share of a case's traced money an account must carry to be evidence")
      ->capture_default_str();
  cmd->add_flag("--narrative-links", opts->link.narrative_links,
                "let a similar narrative (same category, close in time) link cases on its own");
  cmd->callback([opts] {
    CheckCaseOption(opts->case_id, "--case");
    Run(*opts);
  });
}

}  // namespace fanzha::cli
