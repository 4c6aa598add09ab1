// fanzha stats: what the store holds, the document of app/stats.h (the same as GET /api/stats),
// as text or JSON, with the breakdowns of report/report.h asked for with --by.
#include "app/stats.h"

#include <cstdio>
#include <fstream>
#include <unordered_map>

#include "casefile/stages.h"
#include "cli/commands.h"
#include "core/clock.h"
#include "core/json.h"
#include "freeze/orders.h"
#include "report/report.h"
#include "store/store.h"

namespace fanzha::cli {
namespace {

using Json = nlohmann::ordered_json;

// What a key of the document is called in Chinese: "parent/key" first (the same key means other
// things in other objects), then the key alone; empty when it has no name (a currency code).
std::string_view KeyZh(std::string_view parent, std::string_view key) {
  static const std::unordered_map<std::string, std::string_view> kZh = {
      // top level
      {"accounts", "账户数"},
      {"transfers", "转账笔数"},
      {"cases", "案件数"},
      {"identifiers", "涉案标识数"},
      {"transfer_volume", "转账总额（元）"},
      {"first_transfer", "最早转账"},
      {"last_transfer", "最晚转账"},
      {"accounts_by_kind", "各类账户"},
      {"accounts_only_in_transfers", "仅见于转账的账户"},
      {"identifiers_by_type", "各类涉案标识"},
      {"transfers_in_other_currencies", "外币转账"},
      {"statement_postings", "银行流水记录"},
      {"link", "串并"},
      {"freeze", "止付冻结"},
      {"freeze_orders", "冻结单状态"},
      {"warnings", "预警"},
      {"leads", "线索"},
      {"takedowns", "封停请求"},
      {"stages", "办案阶段"},
      {"by_day", "按日"},
      {"by_region", "按地区"},
      {"by_category", "按类别"},
      // link
      {"link/linked_cases", "已串并案件"},
      {"link/clusters", "团伙数"},
      // freeze
      {"freeze/orders", "冻结单数"},
      {"freeze/frozen", "冻结金额"},
      {"freeze/returned", "返还金额"},
      // warnings
      {"warnings/warnings", "预警数"},
      {"warnings/open", "待处置"},
      {"warnings/dissuaded", "劝阻成功"},
      {"warnings/already_paid", "已被骗"},
      {"warnings/saved", "挽回金额"},
      // leads
      {"leads/leads", "线索数"},
      {"leads/batches", "推送批次"},
      {"leads/answered", "已反馈"},
      {"leads/overdue", "超期未反馈"},
      {"leads/closed", "已办结"},
      {"leads/rejected", "已退回"},
      {"leads/arrests", "抓获人数"},
      {"leads/solved", "破案数"},
      {"leads/recovered", "追回金额"},
      // the rows of stages and of the breakdowns (by_day, by_region, by_category)
      {"region", "地区"},
      {"name", "名称"},
      {"stage", "阶段"},
      {"cases_now", "在办"},
      {"overdue_now", "超期"},
      {"longest_now_hours", "最长在办（小时）"},
      {"passed", "已流转"},
      {"mean_wait_hours", "平均用时（小时）"},
      {"key", "分组"},
      {"linked", "已串并"},
      {"loss", "损失（元）"},
      {"frozen", "冻结（元）"},
      {"returned", "返还（元）"},
      {"leads_pushed", "推送线索"},
      {"leads_answered", "已反馈线索"},
      {"leads_overdue", "超期线索"},
      {"arrests", "抓获"},
      {"solved", "破案"},
      {"warnings", "预警"},
      {"takedowns", "封停"},
      // takedowns
      {"takedowns/requested", "待发送"},
      {"takedowns/sent", "已发送"},
      {"takedowns/blocked", "已封停"},
      {"takedowns/refused", "被拒绝"},
  };
  auto it = kZh.find(std::string(parent) + "/" + std::string(key));
  if (it == kZh.end()) it = kZh.find(std::string(key));
  return it == kZh.end() ? std::string_view() : it->second;
}

// What `key` of `parent` is called in Chinese; the key itself when it has no name.
std::string KeyInChinese(std::string_view parent, const std::string& key) {
  std::string zh(KeyZh(parent, key));
  if (zh.empty() && parent == "freeze_orders") zh = freeze::StatusInChinese(key);
  if (zh.empty() && parent == "accounts_by_kind") zh = AccountKindInChinese(key);
  if (zh.empty() && parent == "identifiers_by_type") zh = IdentifierTypeInChinese(key);
  return zh.empty() ? key : zh;
}

// "key:" in the chosen language: "冻结单数：", "orders:", "冻结单数 orders:".
std::string Label(std::string_view parent, const std::string& key) {
  const std::string zh = KeyInChinese(parent, key);
  if (zh == key) return key + ":";
  switch (OutputLang()) {
    case Lang::kEn:
      return key + ":";
    case Lang::kZh:
      return zh + "：";
    case Lang::kBoth:
      break;
  }
  return zh + " " + key + ":";
}

// A value as people read it: an amount in yuan with thousands separators, a time in China time,
// anything else as the JSON has it.
std::string ShownValue(const std::string& key, const Json& value) {
  if (!value.is_string()) return DumpJson(value);
  const std::string v = value.get<std::string>();
  if (key.ends_with("_transfer")) {  // first_transfer, last_transfer
    Result<Millis> at = ParseTime(v);
    if (at.ok()) return ShownTime(*at);
  }
  if (v.find('.') != std::string::npos &&
      v.find_first_not_of("-0123456789.") == std::string::npos) {
    Result<Fen> fen = ParseMoney(v);
    if (fen.ok()) return FormatMoneyGrouped(*fen);
  }
  return v;
}

// A row of an array (a stage, a day, a region, a category) on one line: "label value" pairs, a
// stage and a category by their Chinese names too.
std::string RowText(const Json& row) {
  std::string line;
  for (const auto& [key, value] : row.items()) {
    std::string v = ShownValue(key, value);
    if (key == "stage") {
      Result<casefile::Stage> stage = casefile::ParseStage(v);
      if (stage.ok()) v = SayInline(OutputLang(), v, casefile::ChineseName(*stage));
    } else if (key == "key" && FindCategory(v) != nullptr) {
      v = SayInline(OutputLang(), v, CategoryInChinese(v));
    }
    line +=
        (line.empty() ? "" : "  ") + SayInline(OutputLang(), key, KeyInChinese("", key)) + " " + v;
  }
  return line;
}

// The document as indented "label: value" lines; objects nested, rows of an array one per line.
void PrintText(const Json& doc, const std::string& parent, int indent) {
  const size_t width = OutputLang() == Lang::kBoth ? 44 : 28;
  for (const auto& [key, value] : doc.items()) {
    const std::string label = Label(parent, key);
    if (value.is_object()) {
      std::printf("%*s%s\n", indent, "", label.c_str());
      PrintText(value, key, indent + 2);
    } else if (value.is_array() && !value.empty() && value[0].is_object()) {
      std::printf("%*s%s\n", indent, "", label.c_str());
      for (const auto& row : value) std::printf("%*s%s\n", indent + 2, "", RowText(row).c_str());
    } else {
      std::printf("%*s%s %s\n", indent, "", Pad(label, width).c_str(),
                  ShownValue(key, value).c_str());
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
    if (!out) ExitOnError(Status::Io(o.csv + ": cannot write").WithZh(o.csv + "：无法写入"));
  }
}

void Run(const StatsOptions& o) {
  auto store = OpenStoreOrExit(o.store);
  Result<Json> doc = app::Statistics(*store, SystemClock().Now());
  ExitOnError(doc.status());
  AddBreakdowns(*store, o, &*doc);
  if (o.json)
    PrintJson(*doc);
  else
    PrintText(*doc, "", 0);
}

}  // namespace

void RegisterStats(CLI::App& app) {
  auto o = std::make_shared<StatsOptions>();
  CLI::App* cmd = app.add_subcommand(
      "stats",
      Help("What the store holds: accounts, transfers, cases, identifiers, money, time span.",
           "数据库的内容：账户、转账、案件、涉案标识、金额、时间跨度。"));
  cmd->footer(Help(
      "Examples:\n"
      "  fanzha stats\n"
      "  fanzha stats --db hz.db --json     # {\"accounts\":..,\"transfers\":..,\"cases\":..,...}\n"
      "  fanzha stats --json --by day --by region    # adds by_day, by_region: cases, linked, "
      "loss,\n"
      "                                              # frozen, returned, leads, arrests, warnings "
      "...\n"
      "  fanzha stats --by category --csv by_category.csv",
      "示例：\n"
      "  fanzha stats\n"
      "  fanzha stats --db hz.db --json     # {\"accounts\":..,\"transfers\":..,\"cases\":..,...}\n"
      "  fanzha stats --json --by day --by region    # 增加 by_day、by_region："
      "案件、已串并、损失、\n"
      "                                              # 冻结、返还、线索、抓获、预警……\n"
      "  fanzha stats --by category --csv by_category.csv"));
  AddDbOption(cmd, &o->store);
  cmd->add_flag("--json", o->json, Help("one JSON document", "输出一个 JSON 文档"));
  cmd->add_option("--by", o->by,
                  Help("breakdowns: day, region (city), category (repeatable)",
                       "分组统计：day（按日）、region（按地区：城市）、"
                       "category（按类别）（可重复）"))
      ->check(CLI::IsMember({"day", "region", "category"}));
  cmd->add_option("--csv", o->csv,
                  Help("write the (last) --by breakdown as CSV to this file",
                       "把（最后一个）--by 分组统计以 CSV 写入此文件"));
  cmd->callback([o] { Run(*o); });
}

}  // namespace fanzha::cli
