// fanzha link: which cases belong to one gang, and why (LINKING.md).
#include <algorithm>
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

// An evidence or hub kind ("phone", "money", "narrative", ...) as the dashboard names it, in the
// chosen language; a kind not listed as it is.
std::string KindText(const std::string& kind) {
  static const std::unordered_map<std::string, std::string_view> kZh = {
      {"phone", "电话"},  {"account", "账户"},      {"money", "资金"}, {"url", "网址"},
      {"domain", "域名"}, {"wechat", "微信"},       {"qq", "QQ"},      {"alipay", "支付宝"},
      {"device", "设备"}, {"ip", "IP地址"},         {"email", "邮箱"}, {"id_card", "身份证"},
      {"other", "其他"},  {"narrative", "案情相似"}};
  auto it = kZh.find(kind);
  return it == kZh.end() ? kind : SayInline(OutputLang(), kind, it->second);
}

// The kind column: as wide as the longest kind in the chosen language.
size_t KindWidth() { return OutputLang() == Lang::kBoth ? 18 : 9; }

// "(3 cases)" | "（3 起案件）"
std::string CasesText(int64_t n) {
  const std::string s = std::to_string(n);
  switch (OutputLang()) {
    case Lang::kEn:
      return "(" + s + " cases)";
    case Lang::kZh:
      return "（" + s + " 起案件）";
    case Lang::kBoth:
      break;
  }
  return "(" + s + " 起案件 " + s + " cases)";
}

void PrintEvidence(const link::Evidence& e, const char* indent) {
  std::string cases;
  for (const std::string& c : e.cases) cases += (cases.empty() ? "" : " ") + c;
  std::printf("%s%.2f  %s %s  (%s)\n", indent, e.weight, Pad(KindText(e.kind), KindWidth()).c_str(),
              SayInline(OutputLang(), e.value, link::ValueInChinese(e)).c_str(), cases.c_str());
}

void PrintHubs(const std::vector<link::Hub>& hubs, const std::string& en, const std::string& zh) {
  Tell(en, zh);
  if (hubs.empty()) std::printf("  %s\n", SayInline(OutputLang(), "none", "无").c_str());
  for (const link::Hub& h : hubs) {
    std::printf("  %s %s  %s\n", Pad(KindText(h.kind), KindWidth()).c_str(), h.value.c_str(),
                CasesText(h.cases).c_str());
  }
}

void PrintAnswer(const link::Answer& a, const link::Totals& t) {
  const std::string linked = std::to_string(t.linked_cases), cases = std::to_string(t.cases),
                    clusters = std::to_string(t.clusters);
  Tell(linked + " of " + cases + " cases linked into " + clusters + " clusters",
       cases + " 起案件中 " + linked + " 起串并为 " + clusters + " 个团伙");
  for (const link::Cluster& c : a.clusters) {
    std::string regions;
    for (const std::string& r : c.regions) regions += (regions.empty() ? "" : ", ") + RegionText(r);
    if (regions.empty()) regions = "-";
    const std::string n = std::to_string(c.cases.size()), loss = FormatMoneyGrouped(c.loss);
    std::printf("\n");
    Tell(c.id + "  " + n + " cases, loss " + loss + " yuan, regions " + regions,
         c.id + "  " + n + " 起案件，损失 " + loss + " 元，地区 " + regions);
    for (const link::Evidence& e : c.evidence) PrintEvidence(e, "  ");
  }
  std::printf("\n");
  PrintHubs(a.hubs, "Set aside as hubs (shared by too many cases to link on):",
            "已作为公共值排除（涉及案件过多，不据以串并）：");
}

void PrintExplanation(const link::Explanation& x) {
  const Lang lang = OutputLang();
  if (x.cluster_id.empty()) {
    Tell("Case " + x.case_id + " is linked to no other case.",
         "案件 " + x.case_id + " 未与其他案件串并。");
  } else {
    const std::string n = std::to_string(x.cluster_cases.size());
    Tell("Case " + x.case_id + " belongs to cluster " + x.cluster_id + " (" + n + " cases).",
         "案件 " + x.case_id + " 属于团伙 " + x.cluster_id + "（" + n + " 起案件）。");
    std::printf("\n");
    Tell("Its own evidence, strongest first:", "本案自身的证据（从强到弱）：");
    for (const link::Evidence& e : x.evidence) PrintEvidence(e, "  ");
    std::printf("\n");
    Tell("How each case of the cluster is reached from it:", "团伙中各案件与本案的串并路径：");
    for (const auto& [c, before] : x.reached_via) {
      if (before == x.case_id) {
        std::printf("  %s  %s\n", c.c_str(), SayInline(lang, "directly", "直接串并").c_str());
      } else {
        std::printf("  %s  %s %s\n", c.c_str(), SayInline(lang, "through", "经由").c_str(),
                    before.c_str());
      }
    }
  }
  std::printf("\n");
  PrintHubs(x.set_aside, "Its values set aside as hubs:", "本案中作为公共值排除的标识：");
  if (!x.weak_money.empty()) {
    std::printf("\n");
    Tell("Accounts its money reached too little of to count as evidence:",
         "本案资金流入过少、不计为证据的账户：");
    for (const std::string& a : x.weak_money) std::printf("  %s\n", a.c_str());
  }
}

// truth/cases.csv of a generated world: case,gang,...
Result<std::unordered_map<std::string, std::string>> ReadTruth(const std::string& path) {
  FANZHA_ASSIGN_OR_RETURN(auto reader, CsvReader::Open(path));
  std::vector<std::string_view> row;
  if (!reader->Next(&row))
    return Status::Invalid(path + ": empty file").WithZh(path + "：文件为空");
  int case_col = -1, gang_col = -1;
  for (size_t i = 0; i < row.size(); ++i) {
    if (row[i] == "case") case_col = static_cast<int>(i);
    if (row[i] == "gang") gang_col = static_cast<int>(i);
  }
  if (case_col < 0 || gang_col < 0)
    return Status::Invalid(path + ":1: needs columns case and gang")
        .WithZh(path + ":1：需要 case 和 gang 两列");
  std::unordered_map<std::string, std::string> truth;
  while (reader->Next(&row)) {
    if (row.size() <= static_cast<size_t>(std::max(case_col, gang_col))) {
      const std::string where = path + ":" + std::to_string(reader->line());
      return Status::Invalid(where + ": too few fields").WithZh(where + "：字段数不足");
    }
    truth[std::string(row[case_col])] = std::string(row[gang_col]);
  }
  FANZHA_RETURN_IF_ERROR(reader->status());
  return truth;
}

void PrintQuality(const std::string& name, const link::Quality& q) {
  std::printf("%s %9.4f %9.4f %9.4f   %9.4f %9.4f %9.4f\n", name.c_str(), q.pair_precision,
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
  const Lang lang = OutputLang();
  const std::string n = std::to_string(q.cases);
  Tell(n + " cases against " + o.truth, "对照 " + o.truth + " 中的 " + n + " 起案件");
  // P: precision, R: recall, F1; pairwise (成对) and B-cubed (B3).
  const size_t width = lang == Lang::kBoth ? 34 : 22;
  const bool zh = lang == Lang::kZh;
  // Right-aligned to 9 columns, as the figures below.
  auto head = [](std::string s) { return Pad(s, 9, false); };
  std::printf("%s %s %s %s   %s %s %s\n", std::string(width, ' ').c_str(),
              head(zh ? "成对 P" : "pair P").c_str(), head(zh ? "成对 R" : "pair R").c_str(),
              head(zh ? "成对 F1" : "pair F1").c_str(), head("B3 P").c_str(), head("B3 R").c_str(),
              head("B3 F1").c_str());
  PrintQuality(Pad(SayInline(lang, "fanzha link", "fanzha 串并"), width), q);
  PrintQuality(Pad(SayInline(lang, "exact raw strings", "原始值精确匹配"), width), b);
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
    const std::string added = std::to_string(report.added), traced = std::to_string(report.traced),
                      changed = std::to_string(report.changed);
    std::fprintf(stderr, "%s\n",
                 Say(OutputLang(),
                     "fanzha link: " + added + " new cases linked, " + traced + " traced, " +
                         changed + " cluster rows updated",
                     "fanzha link：新串并案件 " + added + " 起，追踪资金 " + traced +
                         " 起，更新团伙记录 " + changed + " 条")
                     .c_str());
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
    const std::string n = std::to_string(linked->untraced);
    std::printf("\n");
    Tell(n + " cases list payments that are not in the ledger: their money was not used",
         n + " 起案件所列的转账不在流水中：其资金未用于串并");
  }
}

}  // namespace

void RegisterLink(CLI::App& app) {
  auto opts = std::make_shared<LinkCmdOptions>();
  CLI::App* cmd = app.add_subcommand(
      "link",
      Help(
          "Link cases into gangs by shared identifiers and shared money (LINKING.md).\n\n"
          "Examples:\n"
          "  fanzha link                          clusters with their evidence, and the hubs set "
          "aside\n"
          "  fanzha link --json                   the LINKING.md answer\n"
          "  fanzha link --case HZ-20200208-0001  why this case belongs where it does\n"
          "  fanzha link --truth demo/truth/cases.csv   quality against a generated world's truth\n"
          "  fanzha link --rebuild                trace every case again and relink all\n\n"
          "Clusters are kept in the store and updated when cases are imported: a run links the "
          "cases\n"
          "not linked yet (tracing only their money) on top of the stored clusters.",
          "按共同标识和共同资金将案件串并为团伙（LINKING.md）。\n\n"
          "示例：\n"
          "  fanzha link                          串并结果及其依据，以及被排除的枢纽\n"
          "  fanzha link --json                   LINKING.md 所述的应答\n"
          "  fanzha link --case HZ-20200208-0001  说明此案件为何归入该串并组\n"
          "  fanzha link --truth demo/truth/cases.csv   对照生成世界的真值评估质量\n"
          "  fanzha link --rebuild                重新追踪每起案件并全部重新串并\n\n"
          "串并结果保存在数据库中，导入案件时随之更新：每次运行只串并尚未串并的案件\n"
          "（只追踪这些案件的资金），并入已保存的串并结果。"));
  AddDbOption(cmd, &opts->store);
  cmd->add_option("--case", opts->case_id,
                  Help("explain one case: its evidence, evidence by evidence",
                       "说明一起案件：逐条列出其串并依据"));
  cmd->add_flag("--json", opts->json,
                Help("one JSON document on stdout", "在标准输出输出一份 JSON 文档"));
  cmd->add_option(
      "--truth", opts->truth,
      Help("truth/cases.csv (case,gang) of a generated world: print pairwise and B-cubed "
           "precision/recall/F1, beside exact matching of the raw identifiers",
           "生成世界的 truth/cases.csv（case,gang）：输出成对及 B-cubed 的"
           "精确率/召回率/F1，并与原始标识的完全匹配对照"));
  cmd->add_flag("--no-money", opts->no_money,
                Help("identifiers only, without the cases' money (nothing is stored)",
                     "只用标识，不用案件资金（不保存任何结果）"));
  cmd->add_flag("--rebuild", opts->rebuild,
                Help("forget the stored clusters, trace every case's money again and relink all "
                     "(after importing transfers that change earlier traces, or new link options)",
                     "丢弃已保存的串并结果，重新追踪每起案件的资金并全部重新串并（用于导入了改变"
                     "先前追踪结果的转账，或更改了串并选项之后）"));
  cmd->add_option("--hub-threshold", opts->link.max_key_cases,
                  Help("a value carried by more cases than this is a hub and links nothing",
                       "出现在超过此数量案件中的值视为枢纽，不用于串并"))
      ->capture_default_str();
  cmd->add_option("--ip-hub-threshold", opts->link.max_ip_cases,
                  Help("the same for IP addresses", "IP 地址的同类阈值"))
      ->capture_default_str();
  cmd->add_option("--min-money-share", opts->link.min_money_share,
                  Help("share of a case's traced money an account must carry to be evidence",
                       "账户经手的资金须占案件追踪资金的比例，达到才作为串并依据"))
      ->capture_default_str();
  cmd->add_flag("--narrative-links", opts->link.narrative_links,
                Help("let a similar narrative (same category, close in time) link cases on its own",
                     "允许相似的案情（同一类别、时间相近）单独串并案件"));
  cmd->callback([opts] {
    CheckCaseOption(opts->case_id, "--case");
    Run(*opts);
  });
}

}  // namespace fanzha::cli
