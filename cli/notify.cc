// `fanzha notifications`: what a user should act on now (app/notifications.h), as the dashboard's
// bell shows it: for a shift handover, a cron job that mails the list, or a check from a script.
#include "app/notifications.h"
#include "auth/auth.h"
#include "cli/commands.h"
#include "core/clock.h"

namespace fanzha::cli {
namespace notify_cmd {

struct NotifyOptions {
  StoreOptions store;
  std::string user;
  size_t limit = 100;
  bool json = false;
};

void Run(const NotifyOptions& o) {
  auto store = OpenStoreOrExit(o.store);
  auth::Credentials who = ValueOrExit(auth::Users(store->sql()).FindCredentials(o.user), "--user");
  if (!who.user) {
    const std::string shown = store::Store::Shown(o.store.db);
    ExitOnError(Status::NotFound("--user: no user '" + o.user + "' in " + shown)
                    .WithZh("--user：" + shown + " 中没有用户 '" + o.user + "'"));
  }
  app::NoticeRules rules;
  rules.max_notices = o.limit;
  app::Notices notices =
      ValueOrExit(app::NoticesFor(*store, *who.user, SystemClock().Now(), rules));
  if (o.json) return PrintJson(app::ToJson(notices));
  const std::string n = std::to_string(notices.count);
  Tell(n + " notices for " + o.user, o.user + " 有 " + n + " 条待办提醒");
  for (const app::Notice& x : notices.notices) {
    // One line each (Chinese when both are asked for); the kind and the page are in --json.
    std::printf("  %s\n",
                Say(OutputLang() == Lang::kEn ? Lang::kEn : Lang::kZh, x.text, x.text_zh).c_str());
  }
}

}  // namespace notify_cmd

void RegisterNotifications(CLI::App& app) {
  using namespace notify_cmd;  // NOLINT: the command of this file
  auto o = std::make_shared<NotifyOptions>();
  CLI::App* cmd = app.add_subcommand(
      "notifications",
      Help("what a user should act on now (待办提醒), as the dashboard's bell shows it: orders "
           "whose\n"
           "legal clock runs out within 6 h and overdue leads of its region (centre, "
           "investigator),\n"
           "orders sent to its institution and not answered (bank), new warnings scoring 80 or "
           "more\n"
           "(hotline, centre).\n\n"
           "Examples:\n"
           "  fanzha notifications --db demo.db --user li\n"
           "  fanzha notifications --db demo.db --user bank01 --json --lang en",
           "用户现在应处理的待办提醒，与看板铃铛所示相同：本辖区 6 小时内到期的\n"
           "止付、冻结指令和逾期线索（反诈中心、办案民警），发给本机构尚未回复的指令\n"
           "（银行），评分 80 及以上的新预警（热线、反诈中心）。\n\n"
           "示例：\n"
           "  fanzha notifications --db demo.db --user li\n"
           "  fanzha notifications --db demo.db --user bank01 --json --lang en"));
  AddDbOption(cmd, &o->store);
  cmd->add_option("--user", o->user,
                  Help("whose notifications (a user of `fanzha user add`)",
                       "查看谁的提醒（`fanzha user add` 添加的用户）"))
      ->required();
  cmd->add_option("--limit", o->limit,
                  Help("notices listed at most, the most urgent (all are counted)",
                       "最多列出的条数，最紧急的在前（全部计入总数）"))
      ->capture_default_str();
  cmd->add_flag("--json", o->json,
                Help("the answer of GET /api/notifications", "输出 GET /api/notifications 的应答"));
  cmd->callback([o] { Run(*o); });
}

}  // namespace fanzha::cli
