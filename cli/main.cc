// fanzha: the command line. Start reading at README.md, then docs/ARCHITECTURE.md.
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "core/json.h"
#include "core/model.h"
#include "region/region.h"

namespace fanzha::cli {

void AddDbOption(CLI::App* cmd, StoreOptions* opts, bool creates) {
  if (creates) {
    opts->create = true;
    cmd->add_option("--db", opts->db, "the store: a SQLite file, created when missing")
        ->capture_default_str();
    return;
  }
  cmd->add_option("--db", opts->db, "the store: a SQLite file (see --create)")
      ->capture_default_str();
  cmd->add_flag("--create", opts->create, "make the store when --db names no file yet");
}

std::unique_ptr<store::Store> OpenStoreOrExit(const StoreOptions& opts) {
  std::error_code ec;
  if (!opts.create && !std::filesystem::exists(opts.db, ec)) {
    ExitOnError(Status::NotFound(opts.db +
                                 ": no store here (check --db; give --create to make a new, empty "
                                 "one, or fill one with fanzha import)")
                    .WithZh(opts.db + "：此处没有数据库（请检查 --db；如需新建空库请加 --create，"
                                      "或先用 fanzha import 导入）"));
  }
  auto store = store::Store::OpenSqlite(opts.db);
  ExitOnError(store.status().WithContext(opts.db));
  return std::move(store).value();
}

namespace {
Lang output_lang = Lang::kBoth;
}  // namespace

Lang OutputLang() { return output_lang; }
void SetOutputLang(Lang lang) { output_lang = lang; }

void Tell(const std::string& en, const std::string& zh) {
  std::printf("%s\n", Say(output_lang, en, zh).c_str());
}

int Fail(const Status& status) {
  // In the user's language; both when nobody chose, Chinese first: the users read Chinese. Ids,
  // files and fields are the same in both.
  if (output_lang != Lang::kEn) std::fprintf(stderr, "fanzha: 错误：%s\n", status.zh().c_str());
  if (output_lang != Lang::kZh)
    std::fprintf(stderr, "fanzha: error: %s\n", status.message().c_str());
  return ExitCode(status.code());
}

void CheckRegionOption(const std::string& code, const std::string& option) {
  ExitOnError(region::CheckCode(code).WithContext(option));
}

void CheckCaseOption(const std::string& id, const std::string& option) {
  if (!id.empty()) ExitOnError(CheckCaseId(id).WithContext(option));
}

void PrintJson(const nlohmann::ordered_json& doc) { std::cout << DumpJson(doc) << '\n'; }

sigset_t StopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

}  // namespace fanzha::cli

int main(int argc, char** argv) {
  CLI::App app{
      "fanzha (反诈): counter-fraud platform. Report frauds, trace the victims' money, freeze it,\n"
      "link cases into gangs, dispatch leads and warn the next victims.\n\n"
      "Start with:\n"
      "  fanzha gen --out demo            generate a demo world with ground truth\n"
      "  fanzha import demo/*.csv demo/cases.jsonl\n"
      "  fanzha stats"};
  app.require_subcommand(1);
  // --lang belongs to every command: `fanzha trace --lang en ...` as well as `fanzha --lang en
  // ...`.
  app.fallthrough();
  fanzha::cli::SetOutputLang(fanzha::LangOfEnvironment());
  app.add_option_function<std::string>(
         "--lang",
         [](const std::string& v) {
           fanzha::cli::SetOutputLang(fanzha::cli::ValueOrExit(fanzha::ParseLang(v), "--lang"));
         },
         "the language of messages: zh-CN, en or both (default: FANZHA_LANG, else the locale's "
         "LANG; both when it is neither Chinese nor English)")
      ->trigger_on_parse();
  app.set_help_all_flag("--help-all", "help for every command");
  // One line per command, in the order data flows (each Register* is in cli/<command>.cc).
  fanzha::cli::RegisterGen(app);
  fanzha::cli::RegisterImport(app);
  fanzha::cli::RegisterCase(app);
  fanzha::cli::RegisterSearch(app);
  fanzha::cli::RegisterProfile(app);
  fanzha::cli::RegisterStats(app);
  fanzha::cli::RegisterTrace(app);
  fanzha::cli::RegisterReach(app);
  fanzha::cli::RegisterFreeze(app);
  fanzha::cli::RegisterReturn(app);
  fanzha::cli::RegisterLink(app);
  fanzha::cli::RegisterWarn(app);
  fanzha::cli::RegisterDispatch(app);
  fanzha::cli::RegisterLeads(app);
  fanzha::cli::RegisterTakedown(app);
  fanzha::cli::RegisterReport(app);
  fanzha::cli::RegisterServe(app);
  fanzha::cli::RegisterInterchange(app);
  fanzha::cli::RegisterBank(app);
  fanzha::cli::RegisterUser(app);
  fanzha::cli::RegisterNotifications(app);
  fanzha::cli::RegisterAudit(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);  // also carries a command's failure exit code (CLI::RuntimeError)
  }
  return 0;
}
