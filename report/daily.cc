// The daily report: one HTML page with inline SVG (report.h).
#include <algorithm>
#include <cstdio>

#include "core/text.h"
#include "region/region.h"
#include "report/report.h"

namespace fanzha::report {
namespace {

std::string Yuan(Fen f) { return FormatMoneyGrouped(f); }

// A label in the report's language; both: Chinese, then English.
std::string L(Lang lang, const char* en, const char* zh) { return SayInline(lang, en, zh); }

// Sums the rows whose key is <= day (all rows when the keys are not days).
Row Total(const std::vector<Row>& rows, const std::string& up_to) {
  Row t;
  t.key = "total";
  for (const Row& r : rows) {
    if (!up_to.empty() && r.key > up_to) continue;
    t.cases += r.cases, t.linked += r.linked, t.loss += r.loss, t.frozen += r.frozen;
    t.returned += r.returned, t.leads_pushed += r.leads_pushed,
        t.leads_answered += r.leads_answered;
    t.leads_overdue += r.leads_overdue, t.arrests += r.arrests, t.solved += r.solved;
    t.warnings += r.warnings, t.takedowns += r.takedowns;
  }
  return t;
}

// A bar chart of cases per day for the 30 days up to `day`.
std::string CasesChart(const std::vector<Row>& by_day, const std::string& day, Lang lang) {
  std::vector<const Row*> days;
  for (const Row& r : by_day) {
    if (r.key <= day) days.push_back(&r);
  }
  if (days.size() > 30) days.erase(days.begin(), days.end() - 30);
  int64_t max = 1;
  for (const Row* r : days) max = std::max(max, r->cases);
  const int w = 24, h = 160;
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
                    std::to_string(w * days.size() + 40) + "\" height=\"" + std::to_string(h + 40) +
                    "\" role=\"img\" aria-label=\"" + L(lang, "cases per day", "每日案件数") +
                    "\">";
  for (size_t i = 0; i < days.size(); ++i) {
    const int bar = static_cast<int>(days[i]->cases * h / max);
    const int x = 20 + static_cast<int>(i) * w;
    svg += "<rect x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(10 + h - bar) +
           "\" width=\"" + std::to_string(w - 4) + "\" height=\"" + std::to_string(bar) +
           "\" fill=\"" + (days[i]->key == day ? "#c0392b" : "#2e86c1") + "\"><title>" +
           days[i]->key + ": " + std::to_string(days[i]->cases) + " " + L(lang, "cases", "起") +
           "</title></rect>";
    svg += "<text x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(h + 28) +
           "\" font-size=\"9\">" + days[i]->key.substr(8) + "</text>";
  }
  return svg + "</svg>";
}

// What the keys of a table are: days (shown as they are), regions or fraud types (shown by name).
enum class Keys { kPlain, kRegions, kCategories };

std::string Table(const std::vector<Row>& rows, const std::string& title, Keys keys, Lang lang) {
  std::string html = "<h2>" + title + "</h2><table><tr><th></th>";
  for (auto [en, zh] : {std::pair{"cases", "案件"},
                        {"linked", "串并"},
                        {"loss", "损失"},
                        {"frozen", "冻结"},
                        {"returned", "返还"},
                        {"leads", "线索"},
                        {"answered", "已反馈"},
                        {"overdue", "超期"},
                        {"arrests", "抓获"},
                        {"solved", "破案"},
                        {"warnings", "预警"},
                        {"takedowns", "封堵"}}) {
    html += "<th>" + L(lang, en, zh) + "</th>";
  }
  html += "</tr>";
  for (const Row& r : rows) {
    std::string name = r.key;
    if (keys == Keys::kRegions) {
      std::string n = region::RegionTable::Builtin().DisplayName(r.key);
      if (!n.empty()) name = n + " " + r.key;
    } else if (const Category* c = keys == Keys::kCategories ? FindCategory(r.key) : nullptr) {
      name = std::string(c->zh) + " " + r.key;
    }
    html += "<tr><td>" + EscapeHtml(name) + "</td><td>" + std::to_string(r.cases) + "</td><td>" +
            std::to_string(r.linked) + "</td><td>" + Yuan(r.loss) + "</td><td>" + Yuan(r.frozen) +
            "</td><td>" + Yuan(r.returned) + "</td><td>" + std::to_string(r.leads_pushed) +
            "</td><td>" + std::to_string(r.leads_answered) + "</td><td>" +
            std::to_string(r.leads_overdue) + "</td><td>" + std::to_string(r.arrests) +
            "</td><td>" + std::to_string(r.solved) + "</td><td>" + std::to_string(r.warnings) +
            "</td><td>" + std::to_string(r.takedowns) + "</td></tr>";
  }
  return html + "</table>";
}

std::string Figures(const Row& day, const Row& total, Lang lang) {
  auto line = [&](const char* en, const char* zh, const std::string& a, const std::string& b) {
    return "<tr><td>" + L(lang, en, zh) + "</td><td>" + a + "</td><td>" + b + "</td></tr>";
  };
  auto count = [&](const char* en, const char* zh, int64_t Row::*field) {
    return line(en, zh, std::to_string(day.*field), std::to_string(total.*field));
  };
  auto money = [&](const char* en, const char* zh, Fen Row::*field) {
    return line(en, zh, Yuan(day.*field), Yuan(total.*field));
  };
  return "<table><tr><th></th><th>" + L(lang, "this day", "当日") + "</th><th>" +
         L(lang, "to date", "累计") + "</th></tr>" + count("cases", "接报案件", &Row::cases) +
         money("loss (yuan)", "损失（元）", &Row::loss) +
         money("frozen (yuan)", "冻结（元）", &Row::frozen) +
         money("returned (yuan)", "返还（元）", &Row::returned) +
         count("leads pushed", "推送线索", &Row::leads_pushed) +
         count("leads answered", "已反馈线索", &Row::leads_answered) +
         count("leads overdue", "超期未反馈线索", &Row::leads_overdue) +
         count("arrests", "抓获人数", &Row::arrests) +
         count("cases solved", "破案数", &Row::solved) + count("warnings", "预警", &Row::warnings) +
         count("takedowns", "封堵", &Row::takedowns) + "</table>";
}

}  // namespace

namespace {

Status CheckDay(const std::string& day) {
  Result<Millis> t = ParseTime(day);
  if (!t.ok() || FormatDate(*t) != day)
    return Status::Invalid("day: '" + day + "' is not a date (YYYY-MM-DD)")
        .WithZh("day：'" + day + "' 不是日期（应为 YYYY-MM-DD）");
  return Status::Ok();
}

// The day's row and the totals to it, from the rows by day.
Result<Daily> FiguresOf(const std::vector<Row>& by_day, const std::string& day_in) {
  if (!day_in.empty()) FANZHA_RETURN_IF_ERROR(CheckDay(day_in));
  Daily d;
  d.day = day_in;
  for (const Row& r : by_day) {
    if (day_in.empty() && r.cases > 0) d.day = r.key;  // the last day with a case
  }
  if (d.day.empty()) {
    return Status::NotFound("no cases to report").WithZh("没有可报告的案件");
  }
  d.figures.key = d.day;
  for (const Row& r : by_day) {
    if (r.key == d.day) d.figures = r;
  }
  d.to_date = Total(by_day, d.day);
  return d;
}

}  // namespace

Result<Daily> DailyFigures(store::Store& store, const std::string& day, Millis now,
                           std::string_view within) {
  FANZHA_ASSIGN_OR_RETURN(auto by_day, Breakdown(store, Dimension::kDay, now, within));
  return FiguresOf(by_day, day);
}

nlohmann::ordered_json ToJson(const Daily& d) {
  auto rows = ToJson(std::vector<Row>{d.figures, d.to_date});
  return {{"day", d.day}, {"figures", rows[0]}, {"to_date", rows[1]}};
}

Result<std::string> DailyReport(store::Store& store, const std::string& day_in, Millis now,
                                std::string_view within, Lang lang) {
  FANZHA_ASSIGN_OR_RETURN(auto by_day, Breakdown(store, Dimension::kDay, now, within));
  FANZHA_ASSIGN_OR_RETURN(Daily daily, FiguresOf(by_day, day_in));
  const std::string& day = daily.day;
  FANZHA_ASSIGN_OR_RETURN(auto by_region, Breakdown(store, Dimension::kRegion, now, within));
  FANZHA_ASSIGN_OR_RETURN(auto by_category, Breakdown(store, Dimension::kCategory, now, within));
  std::sort(by_region.begin(), by_region.end(),
            [](const Row& a, const Row& b) { return a.cases > b.cases; });
  if (by_region.size() > 20) by_region.resize(20);
  return std::string("<!DOCTYPE html><html lang=\"") + (lang == Lang::kEn ? "en" : "zh-CN") +
         "\"><head><meta charset=\"utf-8\"><title>" + L(lang, "Daily report", "反诈日报") + " " +
         day +
         "</title><style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;"
         "margin-bottom:1em}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}"
         "td:first-child{text-align:left}</style></head><body><h1>" +
         L(lang, "Daily report", "反诈日报") + " " + day + "</h1>" +
         Figures(daily.figures, daily.to_date, lang) + "<h2>" +
         L(lang, "Cases per day", "每日案件数") + "</h2>" + CasesChart(by_day, day, lang) +
         Table(by_region, L(lang, "By region (top 20, all days)", "分地区（前 20 名，全部日期）"),
               Keys::kRegions, lang) +
         Table(by_category, L(lang, "By fraud type (all days)", "分诈骗类型（全部日期）"),
               Keys::kCategories, lang) +
         "</body></html>\n";
}

}  // namespace fanzha::report
