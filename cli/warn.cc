// fanzha warn: early warning (预警劝阻). Screens an events.jsonl stream against the watchlist built
// from the stored cases and manual entries, writes warnings as JSON lines, and keeps the hotline's
// queue and outcomes (docs/WARN.md).
#include "warn/warn.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>

#include "app/warnings.h"
#include "cli/commands.h"
#include "core/json.h"
#include "warn/store_io.h"

namespace fanzha::cli {
namespace {

struct WarnCmdOptions {
  StoreOptions store;
  AuditFileOptions audit;
  std::string file = "-";
  std::string watchlist_file;  // a JSON-lines list instead of the store's
  bool follow = false;
  bool skip_bad = false;
  bool no_save = false;
  double window_hours = 24;
  int threshold = 40;
  warn::BuildOptions build;
};

// Saves warning lines to the store in transactions of up to 512 lines or 100 ms.
class WarningSaver {
 public:
  WarningSaver(store::SqlDatabase* db, const Clock* clock) : db_(db), clock_(clock) {}
  void Add(const warn::Warning& w, const std::string& body) {
    if (!db_) return;
    if (pending_.empty()) first_ = clock_->Now();
    pending_.push_back({w, body});
    if (pending_.size() >= 512 || clock_->Now() - first_ >= 100) Flush();
  }
  void Flush() {
    if (!db_ || pending_.empty()) return;
    Millis now = clock_->Now();
    auto tx = store::SqlTransaction::Begin(db_);
    ExitOnError(tx.status());
    for (auto& [w, body] : pending_) ExitOnError(warn::SaveWarning(*db_, w, body, now));
    ExitOnError(tx->Commit());
    pending_.clear();
  }

 private:
  store::SqlDatabase* db_;
  const Clock* clock_;
  std::vector<std::pair<warn::Warning, std::string>> pending_;
  Millis first_ = 0;
};

void RunScreen(const WarnCmdOptions& o, bool db_given) {
  const Clock& clock = SystemClock();
  warn::Watchlist list;
  std::unique_ptr<store::Store> store;
  if (o.watchlist_file.empty() || db_given) store = OpenStoreOrExit(o.store);
  if (!o.watchlist_file.empty()) {
    ExitOnError(warn::ReadWatchlistJsonl(o.watchlist_file, &list));
  } else {
    ExitOnError(warn::RefreshWatchlist(*store, &list, o.build).status());
  }
  auto sms = warn::SmsMatcher::Compile(list);
  ExitOnError(sms.status());
  warn::ScreenOptions screen;
  screen.window = static_cast<Millis>(o.window_hours * 3600 * 1000);
  screen.threshold = o.threshold;
  warn::Screener screener(&list, sms->get(), screen);
  warn::AccountRegions account_regions;  // payers known only by their account number
  if (store) {
    auto regions = warn::LoadAccountRegions(*store);
    ExitOnError(regions.status());
    account_regions = std::move(*regions);
    screener.set_account_regions(&account_regions);
  }
  int fd = 0;
  if (o.file != "-") {
    fd = ::open(o.file.c_str(), O_RDONLY);
    if (fd < 0) ExitOnError(Status::Io("cannot open " + o.file).WithZh("无法打开 " + o.file));
  }
  WarningSaver saver(store && !o.no_save ? &store->sql() : nullptr, &clock);
  warn::StreamOptions stream;
  stream.follow = o.follow;
  stream.skip_bad = o.skip_bad;
  std::string line;
  auto stats = warn::ScreenStream(
      fd, o.file == "-" ? "stdin" : o.file, &screener, &clock, stream,
      [&](const warn::Warning& w) {
        line = warn::WarningJson(w, list);
        saver.Add(w, line);
        line += '\n';
        std::fwrite(line.data(), 1, line.size(), stdout);
        if (o.follow) std::fflush(stdout);
      },
      [](const std::string& reject) {
        std::fprintf(stderr, "fanzha: %s\n",
                     Say(OutputLang(), "skipped " + reject, "已跳过 " + reject).c_str());
      });
  if (fd > 0) ::close(fd);
  saver.Flush();
  std::fflush(stdout);
  ExitOnError(stats.status());
  const auto& s = screener.stats();
  const auto n = [](int64_t v) { return std::to_string(v); };
  const std::string entries = std::to_string(list.size());
  std::fprintf(
      stderr, "%s\n",
      Say(OutputLang(),
          "fanzha warn: " + n(stats->events) + " events, " + n(s.warnings) + " warnings (" +
              n(s.updates) + " lines), " + n(s.hub_hits) + " hub hits ignored, " +
              n(s.inactive_hits) + " expired or removed entries ignored, " + n(stats->rejects) +
              " bad lines skipped; list version " + n(list.version()) + ", " + entries + " entries",
          "fanzha warn：事件 " + n(stats->events) + " 条，预警 " + n(s.warnings) + " 起（输出 " +
              n(s.updates) + " 行），忽略公共枢纽命中 " + n(s.hub_hits) +
              " 次、已过期或已移除条目命中 " + n(s.inactive_hits) + " 次，跳过错误行 " +
              n(stats->rejects) + " 行；名单版本 " + n(list.version()) + "，共 " + entries + " 条")
          .c_str());
}

struct WatchlistOptions {
  std::string kind, value, source = "manual:cli", category, expires;
};

void ListAdd(const StoreOptions& so, const AuditFileOptions& files, const WatchlistOptions& o,
             bool remove) {
  AuditedStore books = AuditedStore::OpenOrExit(so, files);
  store::Store* store = &books.store();
  warn::Watchlist list;
  ExitOnError(warn::LoadWatchlist(store->sql(), &list));
  int64_t before = list.version();
  auto kind = warn::ParseEntryKind(o.kind);
  ExitOnError(kind.status().WithContext("--kind"));
  std::string key = warn::MatchKey(*kind, o.value);
  if (remove) {
    ExitOnError(list.Remove(*kind, key));
  } else {
    warn::Entry e;
    e.kind = *kind;
    e.value = key;
    e.source = o.source.starts_with("manual:") ? o.source : "manual:" + o.source;
    e.category = o.category;
    if (!o.expires.empty()) {
      e.expires_at = ValueOrExit(ParseTime(o.expires), "--expires");
    }
    ExitOnError(list.Put(e).status());
  }
  audit::Entry note;
  note.action = remove ? "watchlist.remove" : "watchlist.add";
  note.target = std::string(warn::Name(*kind)) + " " + key;
  note.reason = o.source;
  note.detail = o.category;
  books.Change(note,
               [&](audit::Entry&) { return warn::SaveWatchlist(store->sql(), list, before); });
  warn::Entry e = list.Get(list.Find(*kind, key));
  const std::string version = std::to_string(e.version);
  Tell(std::string(remove ? "removed" : "listed") + " " + e.id() + " version " + version,
       std::string(remove ? "已从名单移除 " : "已列入名单 ") + e.id() + "，版本 " + version);
}

void ListShow(const StoreOptions& so, const warn::BuildOptions& build, bool refresh) {
  auto store = OpenStoreOrExit(so);
  warn::Watchlist list;
  if (refresh) {
    auto changed = warn::RefreshWatchlist(*store, &list, build);
    ExitOnError(changed.status());
    const std::string k = std::to_string(*changed), version = std::to_string(list.version()),
                      entries = std::to_string(list.size());
    std::fprintf(
        stderr, "%s\n",
        Say(OutputLang(),
            "fanzha warn list: " + k + " entries changed; version " + version + ", " + entries +
                " entries",
            "fanzha warn list：" + k + " 个条目有变动；版本 " + version + "，共 " + entries + " 条")
            .c_str());
    return;
  }
  ExitOnError(warn::LoadWatchlist(store->sql(), &list));
  ExitOnError(warn::WriteWatchlistJsonl(list, stdout));
}

void ShowQueue(const StoreOptions& so, const std::string& region, size_t limit, bool json) {
  auto store = OpenStoreOrExit(so);
  auto queue = warn::RegionQueue(store->sql(), region, limit);
  ExitOnError(queue.status());
  const Lang lang = OutputLang();
  const std::string score = SayInline(lang, "score", "评分"),
                    last = SayInline(lang, "last event", "最近事件");
  for (const warn::QueuedWarning& w : *queue) {
    if (json) {
      std::printf("%s\n", DumpJson(app::ToJson(w)).c_str());
    } else {
      std::printf("%-18s %s %4d  %-16s %s %s\n", w.id.c_str(), score.c_str(), w.score,
                  w.person.c_str(), last.c_str(), ShownTime(w.last_event_at).c_str());
    }
  }
  if (!json && queue->empty()) {
    Tell("no open warnings for region " + region, "地区 " + region + " 没有待处理的预警");
  }
}

// A call's outcome as the hotline page names it.
const char* OutcomeInChinese(warn::Outcome outcome) {
  switch (outcome) {
    case warn::Outcome::kReached:
      return "已联系";
    case warn::Outcome::kDissuaded:
      return "劝阻成功";
    case warn::Outcome::kAlreadyPaid:
      return "已被骗";
    case warn::Outcome::kNotReached:
      return "未接通";
  }
  return "";
}

void SaveOutcome(const StoreOptions& so, const AuditFileOptions& files, const std::string& id,
                 const std::string& outcome, const std::string& saved) {
  AuditedStore books = AuditedStore::OpenOrExit(so, files);
  app::OutcomeReport report;
  report.outcome = ValueOrExit(warn::ParseOutcome(outcome), "OUTCOME");
  if (!saved.empty()) report.saved = ValueOrExit(ParseMoney(saved), "--saved");
  const Clock& clock = SystemClock();
  audit::Entry note;
  note.action = "warning.outcome";
  note.target = id;
  note.detail = outcome;
  books.Change(note, [&](audit::Entry&) {
    return app::RecordOutcome(books.store().sql(), id, report, "", clock.Now());
  });
  const std::string saved_money = FormatMoneyGrouped(report.saved);
  Tell(id + ": " + outcome + ", saved " + saved_money, "预警 " + id + " 的劝阻结果已记录：" +
                                                           OutcomeInChinese(report.outcome) +
                                                           "，避免损失 " + saved_money + " 元");
}

void AddBuildOptions(CLI::App* cmd, warn::BuildOptions* b) {
  cmd->add_option(
         "--hub-cases", b->hub_min_cases,
         Help("a value in at least this many cases of --hub-categories categories is a hub",
              "出现在不少于此数量、分属 --hub-categories 个类别的案件中的值视为公共枢纽"))
      ->capture_default_str();
  cmd->add_option("--hub-categories", b->hub_min_categories)->capture_default_str();
}

}  // namespace

void RegisterWarn(CLI::App& app) {
  auto o = std::make_shared<WarnCmdOptions>();
  CLI::App* cmd = app.add_subcommand(
      "warn", Help("screen an events.jsonl stream against the watchlists; warnings as JSON lines",
                   "将 events.jsonl 事件流与布控名单比对，预警以 JSON 行输出"));
  AddDbOption(cmd, &o->store);
  AddAuditFileOptions(cmd, &o->audit);
  cmd->add_option("FILE", o->file,
                  Help("events.jsonl; '-' or absent: stdin", "events.jsonl；'-' 或省略：标准输入"));
  cmd->add_flag(
      "--follow,-f", o->follow,
      Help("keep reading as the file grows (like tail -f)", "文件增长时持续读取（类似 tail -f）"));
  cmd->add_flag("--skip-bad", o->skip_bad,
                Help("report bad lines on stderr and go on", "在标准错误报告错误行后继续处理"));
  cmd->add_option("--watchlist", o->watchlist_file,
                  Help("a JSON-lines watchlist to use instead of the store's",
                       "使用此 JSON 行格式的布控名单，而不是数据库中的名单"));
  cmd->add_flag("--no-save", o->no_save, Help("do not store the warnings", "不保存预警"));
  cmd->add_option("--window-hours", o->window_hours,
                  Help("one warning per person per window", "每人在每个时间窗口内只预警一次"))
      ->capture_default_str();
  cmd->add_option("--threshold", o->threshold,
                  Help("the score at which a warning is written", "达到此评分即生成预警"))
      ->capture_default_str();
  AddBuildOptions(cmd, &o->build);

  auto lo = std::make_shared<WatchlistOptions>();
  CLI::App* list = cmd->add_subcommand(
      "list", Help("the watchlist: show, build, add, remove", "布控名单：查看、生成、添加、移除"));
  list->require_subcommand(1);
  CLI::App* show =
      list->add_subcommand("show", Help("every entry as JSON lines", "以 JSON 行输出全部条目"));
  CLI::App* build = list->add_subcommand(
      "build", Help("add what the stored cases carry", "添加数据库中案件所含的标识"));
  AddBuildOptions(build, &o->build);
  CLI::App* add = list->add_subcommand("add", Help("a manual entry", "手工添加条目"));
  CLI::App* remove = list->add_subcommand("remove", Help("withdraw an entry", "撤销条目"));
  for (CLI::App* c : {add, remove}) {
    c->add_option("--kind", lo->kind,
                  Help("phone|account|url|domain|social|device|ip|other|pattern",
                       "类型：phone|account|url|domain|social|device|ip|other|pattern"))
        ->required();
    c->add_option("--value", lo->value)->required();
  }
  add->add_option(
      "--source", lo->source,
      Help("who listed it (stored as manual:SOURCE)", "列入单位（保存为 manual:SOURCE）"));
  add->add_option("--category", lo->category, Help("fraud category", "诈骗类别"));
  add->add_option(
      "--expires", lo->expires,
      Help("RFC 3339 time after which it no longer warns", "失效时间（RFC 3339），此后不再预警"));
  show->callback([o] { ListShow(o->store, o->build, false); });
  build->callback([o] { ListShow(o->store, o->build, true); });
  add->callback([o, lo] { ListAdd(o->store, o->audit, *lo, false); });
  remove->callback([o, lo] { ListAdd(o->store, o->audit, *lo, true); });

  auto region = std::make_shared<std::string>();
  auto limit = std::make_shared<size_t>(0);
  auto json = std::make_shared<bool>(false);
  CLI::App* queue = cmd->add_subcommand(
      "queue",
      Help("open warnings of a region, most urgent first", "辖区内待处理的预警，最紧急的在前"));
  queue->add_option("--region", *region, Help("GB/T 2260 code", "GB/T 2260 行政区划代码"))
      ->required();
  queue->add_option("--limit", *limit, Help("at most this many (0: all)", "最多条数（0：全部）"));
  queue->add_flag("--json", *json,
                  Help("one line per warning: id, revision, person, region, score, last_event_at "
                       "and the warning line (as GET /api/warnings lists them)",
                       "每条预警一行：id、revision、person、region、score、last_event_at 及预警"
                       "内容（与 GET /api/warnings 的列表相同）"));
  queue->callback([o, region, limit, json] {
    CheckRegionOption(*region, "--region");
    ShowQueue(o->store, *region, *limit, *json);
  });

  auto id = std::make_shared<std::string>();
  auto outcome = std::make_shared<std::string>();
  auto saved = std::make_shared<std::string>();
  CLI::App* out =
      cmd->add_subcommand("outcome", Help("record what the call achieved", "登记劝阻电话的结果"));
  out->add_option("WARNING_ID", *id)->required();
  out->add_option("OUTCOME", *outcome,
                  Help("reached|dissuaded|already_paid|not_reached",
                       "reached|dissuaded|already_paid|not_reached（已联系|劝阻成功|已被骗|"
                       "未接通）"))
      ->required();
  out->add_option("--saved", *saved,
                  Help("money kept from the fraudsters, yuan", "避免损失的金额，单位元"));
  out->callback(
      [o, id, outcome, saved] { SaveOutcome(o->store, o->audit, *id, *outcome, *saved); });

  cmd->callback([o, cmd, list, queue, out] {
    if (list->parsed() || queue->parsed() || out->parsed()) return;
    RunScreen(*o, cmd->count("--db") > 0);
  });
}

}  // namespace fanzha::cli
