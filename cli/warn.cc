// fanzha warn: early warning (预警劝阻). Screens an events.jsonl stream against the watchlist built
// from the stored cases and manual entries, writes warnings as JSON lines, and keeps the hotline's
// queue and outcomes (docs/WARN.md).
#include "warn/warn.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>

#include "app/warnings.h"
#include "cli/commands.h"
#include "core/json.h"
#include "core/progress.h"
#include "region/region.h"
#include "warn/group.h"
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
  std::string nats;       // a consumer group's JetStream (group.h)
  std::string name;       // this member's name in the group
  int replicas = 1;       // copies of the group's streams in a JetStream cluster
  double takeover_s = 6;  // a member silent this long loses its provinces
  double idle_s = 0;      // a member stops after this long with nothing new (0: never)
};

warn::ScreenOptions ScreenOptionsOf(const WarnCmdOptions& o) {
  warn::ScreenOptions screen;
  screen.window = static_cast<Millis>(o.window_hours * 3600 * 1000);
  screen.threshold = o.threshold;
  return screen;
}

int OpenEventsOrExit(const std::string& file) {
  if (file == "-") return 0;
  int fd = ::open(file.c_str(), O_RDONLY);
  if (fd < 0) ExitOnError(Status::Io("cannot open " + file).WithZh("无法打开 " + file));
  return fd;
}

std::unique_ptr<interchange::Connection> OpenNatsOrExit(const std::string& url,
                                                        const std::string& name) {
  return ValueOrExit(interchange::Connection::Open({url, name, 5000}), "--nats");
}

// The regions of accounts known only by their number, from the store when one is given.
warn::AccountRegions AccountRegionsOf(store::Store* store) {
  if (!store) return {};
  return ValueOrExit(warn::LoadAccountRegions(*store), "--db");
}

// fanzha warn publish: events.jsonl onto the group's subjects.
void RunPublish(const WarnCmdOptions& o, bool db_given) {
  std::unique_ptr<store::Store> store;
  if (db_given) store = OpenStoreOrExit(o.store);
  const warn::AccountRegions regions = AccountRegionsOf(store.get());
  auto nats = OpenNatsOrExit(o.nats, "fanzha warn publish");
  warn::PublishOptions po;
  po.replicas = o.replicas;
  const std::string name = o.file == "-" ? "stdin" : o.file;
  int fd = OpenEventsOrExit(o.file);
  Progress progress(Say(OutputLang(), "publishing events", "正在发布事件"), 0);
  auto stats = warn::PublishEvents(fd, name, nats.get(), &regions, po,
                                   [&](const warn::PublishStats& s) { progress.Update(s.events); });
  if (fd > 0) ::close(fd);
  progress.Finish();
  ExitOnError(stats.status());
  const auto n = [](int64_t v) { return std::to_string(v); };
  Tell(n(stats->events) + " events published as " + n(stats->messages) + " messages on " +
           warn::EventSubject("*") + " (" + n(stats->duplicates) + " the stream had already)",
       "已发布事件 " + n(stats->events) + " 条，共 " + n(stats->messages) + " 条消息，主题 " +
           warn::EventSubject("*") + "（其中 " + n(stats->duplicates) + " 条此前已发布）");
}

// This host's name and the process id: unique in the group, and says where the member runs.
std::string MemberName() {
  char host[256] = {};
  if (::gethostname(host, sizeof(host) - 1) != 0) host[0] = 0;
  std::string name = host[0] ? host : "member";
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') c = '-';  // a subject token
  }
  return name + "-" + std::to_string(::getpid());
}

// fanzha warn --follow --nats: one member of the screening group, until SIGINT or SIGTERM.
void RunMember(const WarnCmdOptions& o) {
  if (!o.follow) {
    ExitOnError(Status::Invalid("--nats: a member of the screening group runs until stopped: add "
                                "--follow")
                    .WithZh("--nats：筛查组成员会一直运行直到被停止，请加上 --follow"));
  }
  const sigset_t stops = StopSignals();
  pthread_sigmask(SIG_BLOCK, &stops, nullptr);
  auto store = OpenStoreOrExit(o.store);
  const warn::AccountRegions regions = AccountRegionsOf(store.get());
  warn::MemberOptions mo;
  mo.name = o.name.empty() ? MemberName() : o.name;
  if (mo.name.find_first_not_of(
          "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") !=
      std::string::npos) {
    ExitOnError(Status::Invalid("--name: only letters, digits, - and _: " + mo.name)
                    .WithZh("--name：只能包含字母、数字、- 和 _：" + mo.name));
  }
  mo.screen = ScreenOptionsOf(o);
  mo.replicas = o.replicas;
  mo.lease = static_cast<Millis>(o.takeover_s * 1000);
  mo.stop_when_idle = static_cast<Millis>(o.idle_s * 1000);
  if (mo.lease < 1000 || mo.lease > 600000) {
    ExitOnError(Status::Invalid("--takeover-seconds: from 1 to 600")
                    .WithZh("--takeover-seconds：取值 1 至 600"));
  }
  mo.stop = [&stops] {
    const timespec now{0, 0};
    return sigtimedwait(&stops, nullptr, &now) > 0;
  };
  auto nats = OpenNatsOrExit(o.nats, "fanzha warn " + mo.name);
  warn::MemberCallbacks cb;
  cb.on_warning = [](const warn::Warning&, const std::string& line) {
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
  };
  cb.on_reject = [](const std::string& what) {
    std::fprintf(stderr, "fanzha: %s\n",
                 Say(OutputLang(), "skipped " + what, "已跳过 " + what).c_str());
  };
  cb.on_partition = [&mo](const std::string& change) {
    const std::string code = change.substr(1);
    const std::string name = region::RegionTable::Builtin().DisplayName(code);
    const std::string en = code + (name.empty() ? " (no known region)" : " " + name);
    const std::string zh = code + (name.empty() ? "（地区不明）" : " " + name);
    if (change[0] == '+')
      Tell(mo.name + " screens province " + en, mo.name + " 开始筛查省份 " + zh);
    else
      Tell(mo.name + " hands province " + en + " on", mo.name + " 交出省份 " + zh);
    std::fflush(stdout);
  };
  cb.on_heartbeat_failed = [&mo](const Status& why) {
    std::fprintf(
        stderr, "fanzha: %s\n",
        Say(OutputLang(),
            mo.name + ": a heartbeat could not be sent, tried again shortly: " + why.message(),
            mo.name + "：心跳未能发出，稍后重试：" + why.zh())
            .c_str());
  };
  Tell(mo.name + " joined the screening group on " + o.nats + " (" +
           store::Store::Shown(o.store.db) + ")",
       mo.name + " 已加入筛查组，消息服务 " + o.nats + "（" + store::Store::Shown(o.store.db) +
           "）");
  auto stats = warn::RunMember(nats.get(), store.get(), &regions, &SystemClock(), mo, cb);
  ExitOnError(stats.status());
  const auto n = [](int64_t v) { return std::to_string(v); };
  std::fprintf(
      stderr, "%s\n",
      Say(OutputLang(),
          "fanzha warn " + mo.name + ": " + n(stats->events) + " events screened, " +
              n(stats->replayed) + " read again to take provinces over, " + n(stats->lines) +
              " warning lines written, " + n(stats->repeats) + " the store had already, " +
              n(stats->rejects) + " bad messages skipped; list version " + n(stats->list_version) +
              "; from the stream to the store p50 " + n(stats->latency_p50) + " ms, p99 " +
              n(stats->latency_p99) + " ms, max " + n(stats->latency_max) + " ms; screening took " +
              n(stats->last_at - stats->first_at) + " ms",
          "fanzha warn " + mo.name + "：筛查事件 " + n(stats->events) + " 条，接管省份时重读 " +
              n(stats->replayed) + " 条，输出预警 " + n(stats->lines) + " 行，数据库已有 " +
              n(stats->repeats) + " 行，跳过错误消息 " + n(stats->rejects) + " 条；名单版本 " +
              n(stats->list_version) + "；从入流到入库 p50 " + n(stats->latency_p50) +
              " 毫秒、p99 " + n(stats->latency_p99) + " 毫秒、最长 " + n(stats->latency_max) +
              " 毫秒；筛查用时 " + n(stats->last_at - stats->first_at) + " 毫秒")
          .c_str());
}

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
  warn::Screener screener(&list, sms->get(), ScreenOptionsOf(o));
  warn::AccountRegions account_regions;  // payers known only by their account number
  if (store) {
    auto regions = warn::LoadAccountRegions(*store);
    ExitOnError(regions.status());
    account_regions = std::move(*regions);
    screener.set_account_regions(&account_regions);
  }
  int fd = OpenEventsOrExit(o.file);
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

// --replicas of the publisher and of a member: whoever comes first makes the streams.
std::string ReplicasHelp() {
  return Help(
      "copies of the group's streams in a JetStream cluster, made by whichever of the publisher "
      "and the members comes first: give them all the same",
      "筛查组消息流在 JetStream "
      "集群中的副本数，由发布者和各成员中最先启动者创建：请全部设为相同值");
}

void AddBuildOptions(CLI::App* cmd, warn::BuildOptions* b) {
  cmd->add_option(
         "--hub-cases", b->hub_min_cases,
         Help("a value in at least this many cases of --hub-categories categories is a hub",
              "出现在不少于此数量、分属 --hub-categories 个类别的案件中的值视为公共枢纽"))
      ->capture_default_str();
  cmd->add_option("--hub-categories", b->hub_min_categories,
                  Help("how many categories of cases a value must be in to be a hub (with "
                       "--hub-cases)",
                       "值须出现在多少个类别的案件中才视为公共枢纽（与 --hub-cases 一起）"))
      ->capture_default_str();
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
  cmd->add_option("--nats", o->nats,
                  Help("with --follow: screen as one member of a group sharing the events "
                       "published on this NATS JetStream (nats://HOST:PORT, or several "
                       "separated by commas); needs --db",
                       "与 --follow 一起：作为筛查组的一员，与其他成员分担发布到此 NATS "
                       "JetStream 的事件（nats://HOST:PORT，多个以逗号分隔）；需要 --db"));
  cmd->add_option("--name", o->name,
                  Help("this member's name in the group (letters, digits, - and _; default: "
                       "host-pid)",
                       "本成员在筛查组中的名称（字母、数字、- 和 _；默认：主机名-进程号）"));
  cmd->add_option("--takeover-seconds", o->takeover_s,
                  Help("--nats: a member silent this long loses its provinces to the others",
                       "--nats：成员失联超过此时长，其负责的省份由其他成员接管"))
      ->capture_default_str();
  cmd->add_option("--until-idle", o->idle_s,
                  Help("--nats: stop after this many seconds with nothing new to screen (a "
                       "backlog screened); 0: run until stopped",
                       "--nats：连续这么多秒没有新事件即停止（处理完积压）；0：一直运行直到被停止"))
      ->capture_default_str();
  cmd->add_option("--replicas", o->replicas, ReplicasHelp())->capture_default_str();

  CLI::App* publish = cmd->add_subcommand(
      "publish", Help("publish events.jsonl to the screening group (NATS JetStream), each event "
                      "on the subject of its people's province",
                      "将 events.jsonl 发布给筛查组（NATS JetStream），每个事件发往其当事人所在"
                      "省份的主题"));
  publish->add_option(
      "FILE", o->file,
      Help("events.jsonl; '-' or absent: stdin", "events.jsonl；'-' 或省略：标准输入"));
  publish->add_option("--nats", o->nats, Help("nats://HOST:PORT", "nats://HOST:PORT"))->required();
  publish->add_option("--replicas", o->replicas, ReplicasHelp())->capture_default_str();
  AddDbOption(publish, &o->store);
  publish->footer(
      Help("The regions of payers known only by their account come from --db (accounts.csv "
           "region): give the members the same store. Publishing a file again within ten "
           "minutes adds nothing (each message's id is the event's id and its province).\n"
           "Example:\n  fanzha warn publish --nats nats://127.0.0.1:4222 --db centre.db "
           "events.jsonl\n  fanzha warn --follow --nats nats://127.0.0.1:4222 --db centre.db",
           "只知道账号的付款人，其地区取自 --db（accounts.csv 的 region）：请给各成员同一个数据"
           "库。十分钟内重复发布同一文件不会重复（每条消息的编号是事件编号加省份）。\n示例：\n"
           "  fanzha warn publish --nats nats://127.0.0.1:4222 --db centre.db events.jsonl\n"
           "  fanzha warn --follow --nats nats://127.0.0.1:4222 --db centre.db"));
  publish->callback([o, publish] { RunPublish(*o, publish->count("--db") > 0); });

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

  cmd->callback([o, cmd, list, queue, out, publish] {
    if (list->parsed() || queue->parsed() || out->parsed() || publish->parsed()) return;
    if (!o->nats.empty()) return RunMember(*o);
    RunScreen(*o, cmd->count("--db") > 0);
  });
}

}  // namespace fanzha::cli
