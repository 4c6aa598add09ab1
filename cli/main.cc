// fanzha: the command line. Start reading at README.md, then docs/ARCHITECTURE.md.
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <regex>

#include "cli/commands.h"
#include "core/json.h"
#include "core/model.h"
#include "region/region.h"

namespace fanzha::cli {

void AddDbOption(CLI::App* cmd, StoreOptions* opts, bool creates) {
  if (creates) {
    opts->create = true;
    cmd->add_option("--db", opts->db,
                    Help("the store: a SQLite file, created when missing, or a PostgreSQL "
                         "database (postgresql://user@host/fanzha)",
                         "数据库：SQLite 文件（不存在时新建），或 PostgreSQL 数据库"
                         "（postgresql://user@host/fanzha）"))
        ->capture_default_str();
    return;
  }
  cmd->add_option("--db", opts->db,
                  Help("the store: a SQLite file (see --create), or a PostgreSQL database "
                       "(postgresql://user@host/fanzha)",
                       "数据库：SQLite 文件（参见 --create），或 PostgreSQL 数据库"
                       "（postgresql://user@host/fanzha）"))
      ->capture_default_str();
  cmd->add_flag(
      "--create", opts->create,
      Help("make the store when --db names no file yet", "--db 所指文件尚不存在时新建数据库"));
}

std::unique_ptr<store::Store> OpenStoreOrExit(const StoreOptions& opts) {
  std::error_code ec;
  if (!opts.create && !store::Store::IsPostgresUri(opts.db) &&
      !std::filesystem::exists(opts.db, ec)) {
    ExitOnError(Status::NotFound(opts.db +
                                 ": no store here (check --db; give --create to make a new, empty "
                                 "one, or fill one with fanzha import)")
                    .WithZh(opts.db + "：此处没有数据库（请检查 --db；如需新建空库请加 --create，"
                                      "或先用 fanzha import 导入）"));
  }
  auto store = store::Store::Open(opts.db);
  ExitOnError(store.status().WithContext(store::Store::Shown(opts.db)));
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

std::string RegionText(const std::string& code) {
  const std::string name = region::RegionTable::Builtin().DisplayName(code);
  return name.empty() || name == code ? code : code + " " + name;
}

std::string ShownTime(Millis t) {
  std::string s = FormatTime(t);  // "2020-02-08T10:00:00[.125]+08:00"
  s[10] = ' ';
  return s.substr(0, 19);
}

size_t ShownWidth(std::string_view s) {
  size_t w = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) == 0x80) continue;  // a continuation byte
    w += c >= 0xE3 ? 2 : 1;            // U+3000 and up: CJK and full-width forms
  }
  return w;
}

std::string Pad(std::string s, size_t width, bool left_aligned) {
  const size_t w = ShownWidth(s);
  if (w >= width) return s;
  return left_aligned ? s + std::string(width - w, ' ') : std::string(width - w, ' ') + s;
}

std::string Help(const std::string& en, const std::string& zh) { return Say(output_lang, en, zh); }

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

namespace {

// The Chinese of a command-line parser's (CLI11's) message: its few sentences, with the options and
// values it names kept as they are; a message it does not know keeps its English after a Chinese
// lead.
std::string ParseErrorInChinese(const std::string& what) {
  struct Pattern {
    std::regex english;
    const char* chinese;
  };
  static const Pattern kPatterns[] = {
      {std::regex("^A subcommand$"), "请指定一个子命令（fanzha --help 列出全部命令）"},
      {std::regex("^(.+) is required$"), "缺少必需的 $1"},
      {std::regex("^The following arguments? (?:was|were) not expected: (.*)$"),
       "无法识别的参数：$1"},
      {std::regex("^Could not convert: (.+) = (.*)$"), "$1 的取值无法识别：$2"},
      {std::regex("^The value (.+) is not an allowed value for (.+)$"), "$2 不接受取值 $1"},
      {std::regex("^(.+) excludes (.+)$"), "$1 与 $2 不能同时使用"},
      {std::regex("^(.+) requires (.+)$"), "$1 须与 $2 一同使用"},
      {std::regex("^Expected exactly (\\d+) arguments? to (.+), got (\\d+)$"),
       "$2 需要 $1 个取值，实际给出 $3 个"},
      {std::regex("^(.+): (\\d+) required .* missing$"), "$1 缺少取值"},
  };
  for (const Pattern& p : kPatterns) {
    if (std::regex_match(what, p.english)) return std::regex_replace(what, p.english, p.chinese);
  }
  return "命令行参数有误：" + what;
}

// What the command line says when it cannot read its arguments, in the user's language.
std::string ParseFailureMessage(const CLI::App*, const CLI::Error& e) {
  const std::string what = e.what();
  return Say(output_lang, "fanzha: error: " + what + "\nRun with --help for more information.",
             "fanzha: 错误：" + ParseErrorInChinese(what) + "\n加 --help 查看用法。") +
         "\n";
}

// The language asked for on the command line (`--lang X` or `--lang=X`, anywhere), else the
// environment's: known before the commands register, so that their help is written in it. A value
// that is not a language is left to the parser, which refuses it.
Lang LangOfArguments(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    std::string_view value;
    if (arg == "--lang" && i + 1 < argc) value = argv[i + 1];
    if (arg.starts_with("--lang=")) value = arg.substr(7);
    Result<Lang> lang = ParseLang(value);
    if (!value.empty() && lang.ok()) return *lang;
  }
  return LangOfEnvironment();
}

// The parser's own words in help (group titles, "REQUIRED", "Usage") in the language asked for,
// on `app` and every command under it.
void LocaliseHelp(CLI::App& app) {
  auto formatter = app.get_formatter();
  for (auto [en, zh] : {std::pair{"Usage", "用法"},
                        {"OPTIONS", "选项"},
                        {"REQUIRED", "必填"},
                        {"Positionals", "位置参数"},
                        {"Env", "环境变量"},
                        {"Needs", "需要"},
                        {"Excludes", "不能同时使用"},
                        {"SUBCOMMAND", "子命令"}}) {
    formatter->label(en, SayInline(output_lang, en, zh));
  }
  const std::string options = SayInline(output_lang, "Options", "选项");
  const std::string subcommands = SayInline(output_lang, "Subcommands", "子命令");
  std::function<void(CLI::App*)> walk = [&](CLI::App* a) {
    for (CLI::Option* o : a->get_options()) {
      if (o->get_group() == "Options") o->group(options);
    }
    for (CLI::App* sub : a->get_subcommands({})) {
      if (sub->get_group() == "Subcommands") sub->group(subcommands);
      walk(sub);
    }
  };
  walk(&app);
}

}  // namespace

}  // namespace fanzha::cli

int main(int argc, char** argv) {
  using fanzha::cli::Help;
  fanzha::cli::SetOutputLang(fanzha::cli::LangOfArguments(argc, argv));
  CLI::App app{Help(
      "fanzha (反诈): counter-fraud platform. Report frauds, trace the victims' money, freeze it,\n"
      "link cases into gangs, dispatch leads and warn the next victims.\n\n"
      "Start with:\n"
      "  fanzha gen --out demo            generate a demo world with ground truth\n"
      "  fanzha import demo/*.csv demo/cases.jsonl\n"
      "  fanzha stats",
      "fanzha（反诈）：反电信网络诈骗平台。接警录入、追踪被骗资金、止付冻结、\n"
      "串并团伙、分发线索、预警潜在受害人。\n\n"
      "从这里开始：\n"
      "  fanzha gen --out demo            生成带标准答案的演示数据\n"
      "  fanzha import demo/*.csv demo/cases.jsonl\n"
      "  fanzha stats\n")};
  app.set_help_flag("-h,--help", Help("Print this help message and exit", "显示此帮助并退出"));
  app.require_subcommand(1);
  app.failure_message(fanzha::cli::ParseFailureMessage);
  // --lang belongs to every command: `fanzha trace --lang en ...` as well as `fanzha --lang en
  // ...`.
  app.fallthrough();
  app.add_option_function<std::string>(
         "--lang",
         [](const std::string& v) {
           fanzha::cli::SetOutputLang(fanzha::cli::ValueOrExit(fanzha::ParseLang(v), "--lang"));
         },
         fanzha::cli::Help(
             "the language of messages: zh-CN, en or both (default: FANZHA_LANG, else the locale's "
             "LANG; both when it is neither Chinese nor English)",
             "提示信息的语言：zh-CN、en 或 both（默认：FANZHA_LANG，否则系统区域设置的 LANG；"
             "既非中文也非英文时为 both）"))
      ->trigger_on_parse();
  app.set_help_all_flag("--help-all", Help("help for every command", "显示全部命令的帮助"));
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
  fanzha::cli::LocaliseHelp(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);  // also carries a command's failure exit code (CLI::RuntimeError)
  }
  return 0;
}
