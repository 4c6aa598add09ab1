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
  CLI::App* cmd = app.add_subcommand("report", "The daily report and public advisories.");
  cmd->require_subcommand(1);
  cmd->footer(
      "Examples:\n"
      "  fanzha report daily --out daily.html            # the last day with a case\n"
      "  fanzha report daily --day 2020-02-08 --out d.html\n"
      "  fanzha report advisories --days 30 --out advisory.md");
  auto d = std::make_shared<ReportOptions>();
  CLI::App* daily = cmd->add_subcommand("daily", "One HTML page with charts, for sending upward.");
  AddDbOption(daily, &d->store);
  daily->add_option("--day", d->day,
                    "the day (YYYY-MM-DD, China time); default: the last with a case");
  daily->add_option("--out", d->out, "write to this file instead of stdout");
  daily->callback([d] {
    auto store = OpenStoreOrExit(d->store);
    auto html = report::DailyReport(*store, d->day, SystemClock().Now(), {}, OutputLang());
    ExitOnError(html.status());
    Emit(*html, d->out);
  });
  auto a = std::make_shared<ReportOptions>();
  CLI::App* adv = cmd->add_subcommand(
      "advisories",
      "Public advisories (Markdown): common scripts, counts, no personal data. In Chinese, or in\n"
      "English with --lang en.");
  AddDbOption(adv, &a->store);
  adv->add_option("--days", a->days, "the period, up to the last reported case")
      ->capture_default_str();
  adv->add_option("--out", a->out, "write to this file instead of stdout");
  adv->callback([a] {
    auto store = OpenStoreOrExit(a->store);
    auto md = report::Advisories(*store, a->days, OutputLang());
    ExitOnError(md.status());
    Emit(*md, a->out);
  });
}

}  // namespace fanzha::cli
