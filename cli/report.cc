// fanzha report: the daily report (HTML) and public advisories (report/report.h).
#include "report/report.h"

#include <cstdio>
#include <fstream>

#include "cli/commands.h"
#include "core/clock.h"

namespace fanzha::cli {
namespace {

struct ReportOptions {
  StoreOptions store;
  std::string day, out;
  int days = 30;
};

void Emit(const std::string& text, const std::string& out) {
  if (out.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return;
  }
  std::ofstream f(out, std::ios::binary);
  f << text;
  if (!f) ExitOnError(Status::Io(out + ": cannot write").WithZh(out + "：无法写入"));
  std::fprintf(stderr, "%s\n", Say(OutputLang(), "wrote " + out, "已写入 " + out).c_str());
}

}  // namespace

void RegisterReport(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand(
      "report", Help("The daily report and public advisories.", "反诈日报和面向公众的反诈预警。"));
  cmd->require_subcommand(1);
  cmd->footer(
      Help("Examples:\n"
           "  fanzha report daily --out daily.html            # the last day with a case\n"
           "  fanzha report daily --day 2020-02-08 --out d.html\n"
           "  fanzha report advisories --days 30 --out advisory.md",
           "示例：\n"
           "  fanzha report daily --out daily.html            # 最近一个有案件的日子\n"
           "  fanzha report daily --day 2020-02-08 --out d.html\n"
           "  fanzha report advisories --days 30 --out advisory.md"));
  auto d = std::make_shared<ReportOptions>();
  CLI::App* daily =
      cmd->add_subcommand("daily", Help("One HTML page with charts, for sending upward.",
                                        "带图表的单个 HTML 页面，供向上级报送。"));
  AddDbOption(daily, &d->store);
  daily->add_option("--day", d->day,
                    Help("the day (YYYY-MM-DD, China time); default: the last with a case",
                         "日期（YYYY-MM-DD，北京时间）；默认：最近一个有案件的日子"));
  daily->add_option("--out", d->out,
                    Help("write to this file instead of stdout", "写入此文件，而非标准输出"));
  daily->callback([d] {
    auto store = OpenStoreOrExit(d->store);
    auto html = report::DailyReport(*store, d->day, SystemClock().Now(), {}, OutputLang());
    ExitOnError(html.status());
    Emit(*html, d->out);
  });
  auto a = std::make_shared<ReportOptions>();
  CLI::App* adv = cmd->add_subcommand(
      "advisories",
      Help("Public advisories (Markdown): common scripts, counts, no personal data. In Chinese, or "
           "in\n"
           "English with --lang en.",
           "面向公众的反诈预警（Markdown）：常见诈骗话术及数量，不含任何个人信息。\n"
           "默认为中文，加 --lang en 则为英文。"));
  AddDbOption(adv, &a->store);
  adv->add_option("--days", a->days,
                  Help("the period, up to the last reported case", "统计天数，截至最近一起报案"))
      ->capture_default_str();
  adv->add_option("--out", a->out,
                  Help("write to this file instead of stdout", "写入此文件，而非标准输出"));
  adv->callback([a] {
    auto store = OpenStoreOrExit(a->store);
    auto md = report::Advisories(*store, a->days, OutputLang());
    ExitOnError(md.status());
    Emit(*md, a->out);
  });
}

}  // namespace fanzha::cli
