// fanzha audit: read and verify the hash-chained audit log.
#include "audit/audit.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "app/audited.h"
#include "cli/commands.h"
#include "core/clock.h"

namespace fanzha::cli {

std::string CommandLineUser() {
  // getpwuid_r: the one answer for this process's effective user, without a shared buffer.
  struct passwd pw, *found = nullptr;
  char buf[4096];
  if (getpwuid_r(geteuid(), &pw, buf, sizeof buf, &found) == 0 && found && found->pw_name[0])
    return found->pw_name;
  return "uid " + std::to_string(geteuid());
}

void AddAuditFileOptions(CLI::App* cmd, AuditFileOptions* opts) {
  cmd->add_option("--audit-key", opts->key,
                  Help("the audit chain's key file, kept outside the store (created, mode 0600, "
                       "when missing; default: beside the store, <db>.audit-key)",
                       "审计链的密钥文件，存放在数据库之外（不存在时新建，权限 0600；"
                       "默认：数据库旁的 <db>.audit-key）"))
      ->envname("FANZHA_AUDIT_KEY");
  cmd->add_option("--audit-heads", opts->heads,
                  Help("the append-only file the chain's heads are published to (default: beside "
                       "the store, <db>.audit-heads)",
                       "发布审计头的只追加文件（默认：数据库旁的 <db>.audit-heads）"))
      ->envname("FANZHA_AUDIT_HEADS");
}

AuditFileOptions AuditFilesFor(const StoreOptions& store, const AuditFileOptions& given) {
  audit::Files beside = audit::DefaultFiles(store::Store::SideFiles(store.db));
  return {given.key.empty() ? beside.key : given.key,
          given.heads.empty() ? beside.heads : given.heads};
}

AuditedStore AuditedStore::OpenOrExit(const StoreOptions& store, const AuditFileOptions& given) {
  // The store first: a mistyped --db makes no key or head file beside it.
  std::unique_ptr<store::Store> opened = OpenStoreOrExit(store);
  AuditFileOptions files = AuditFilesFor(store, given);
  audit::Key key = ValueOrExit(audit::Key::Load(files.key, /*create=*/true), "--audit-key");
  audit::HeadFile heads = ValueOrExit(audit::HeadFile::Open(files.heads), "--audit-heads");
  return AuditedStore(std::move(opened), std::move(key), std::move(heads));
}

void AuditedStore::Change(audit::Entry entry, const std::function<Status(audit::Entry&)>& change) {
  entry.at = SystemClock().Now();
  entry.user = CommandLineUser();
  entry.role = kCommandLineRole;
  audit::Entry head = ValueOrExit(app::AuditedChange(*store_, key_, std::move(entry), change));
  ExitOnError(heads_.Publish({head.id, head.hash}));
}

Status AuditedStore::AppendInOpenTransaction(audit::Entry entry) {
  entry.at = SystemClock().Now();
  entry.user = CommandLineUser();
  entry.role = kCommandLineRole;
  FANZHA_ASSIGN_OR_RETURN(appended_, audit::AuditLog(store_->sql(), key_).Append(std::move(entry)));
  return Status::Ok();
}

void AuditedStore::PublishHead() { PublishHead(appended_); }

void AuditedStore::PublishHead(const audit::Entry& head) {
  if (head.id) ExitOnError(heads_.Publish({head.id, head.hash}));
}

void AuditedStore::SweepLapsed() {
  app::Swept swept = ValueOrExit(app::SweepLapsed(*store_, key_, SystemClock().Now()));
  for (const freeze::Order& o : swept.lapsed) {
    const std::string id = std::to_string(o.id), at = ShownTime(o.expired_at);
    std::fprintf(stderr, "%s\n",
                 Say(OutputLang(),
                     "order " + id + " (" + std::string(freeze::Name(o.kind)) + ", " + o.account +
                         ") lapsed at " + at + ": not renewed in time",
                     "第 " + id + " 号指令（" + std::string(freeze::ChineseName(o.kind)) + "，" +
                         o.account + "）于 " + at + " 到期未续，已失效")
                     .c_str());
  }
  if (swept.head.id) ExitOnError(heads_.Publish({swept.head.id, swept.head.hash}));
}

namespace {

struct AuditOptions {
  StoreOptions store;
  AuditFileOptions files;
  int64_t after = 0;
  size_t limit = 0;
  bool json = false;
  std::vector<std::string> anchors;  // ID:HASH heads kept elsewhere
};

void List(const AuditOptions& o) {
  auto store = OpenStoreOrExit(o.store);
  auto entries = audit::AuditLog(store->sql()).List(o.after, o.limit);
  ExitOnError(entries.status());
  const std::string why = SayInline(OutputLang(), "why: ", "原因：");
  for (const audit::Entry& e : *entries) {
    if (o.json) {
      PrintJson(audit::ToJson(e));
      continue;
    }
    std::printf("%6lld  %s  %-12s %-16s %-14s %s%s%s\n", static_cast<long long>(e.id),
                ShownTime(e.at).c_str(), e.user.c_str(), e.action.c_str(), e.target.c_str(),
                e.reason.empty() ? "" : (why + e.reason).c_str(), e.detail.empty() ? "" : "  ",
                e.detail.c_str());
  }
}

// Verifies the chain with the key, against the heads published to the head file and those given
// with --anchor. A store that has keyed entries but no head file is refused: its end could have
// been cut without a trace.
void Verify(const AuditOptions& o) {
  std::vector<audit::Anchor> anchors;
  for (const std::string& text : o.anchors)
    anchors.push_back(ValueOrExit(audit::ParseAnchor(text), "--anchor"));
  AuditFileOptions files = AuditFilesFor(o.store, o.files);
  // A store from before the key has none yet: its chain is checked without one.
  Result<audit::Key> key = audit::Key::Load(files.key, /*create=*/false);
  if (!key.ok() && key.status().code() != ErrorCode::kNotFound)
    ExitOnError(key.status().WithContext("--audit-key"));
  Result<std::vector<audit::Anchor>> heads = audit::ReadHeads(files.heads);
  if (!heads.ok() && heads.status().code() != ErrorCode::kNotFound) ExitOnError(heads.status());
  size_t published = heads.ok() ? heads->size() : 0;
  if (heads.ok()) anchors.insert(anchors.end(), heads->begin(), heads->end());
  auto store = OpenStoreOrExit(o.store);
  auto v = key.ok() ? audit::AuditLog(store->sql(), *key).Verify(anchors)
                    : audit::AuditLog(store->sql()).Verify(anchors);
  if (!v.ok() && !key.ok())
    ExitOnError(key.status().WithContext("--audit-key"));  // keyed entries, no key
  ExitOnError(v.status());
  if (!v->ok) {
    ExitOnError(Status(ErrorCode::kConflict, "audit log tampered: " + v->message +
                                                 " (first broken entry " +
                                                 std::to_string(v->first_broken) + ")")
                    .WithZh("审计日志被篡改：第 " + std::to_string(v->first_broken) +
                            " 条记录校验失败（" + v->message + "）"));
  }
  if (v->keyed_from > 0 && !heads.ok()) {
    ExitOnError(Status(ErrorCode::kNotFound, files.heads +
                                                 ": no head file, so entries removed from the "
                                                 "end of the log would not show (--audit-heads)")
                    .WithZh(files.heads + "：找不到审计头文件，无法发现日志末尾被删除的记录"));
  }
  const std::string entries = std::to_string(v->entries), heads_n = std::to_string(published);
  const bool every_anchor = anchors.size() > published;
  Tell("audit log intact: " + entries + " entries verified, " + heads_n + " published heads" +
           (every_anchor ? " and every anchor found" : ""),
       "审计日志完整：已核验 " + entries + " 条记录，已发布的审计头 " + heads_n + " 个" +
           (every_anchor ? "，给出的锚点均已找到" : ""));
  if (v->keyed_from == 0 && v->entries > 0) {
    Tell("no entry is keyed yet: the chain can be recomputed by anyone who can write the store",
         "尚无记录带密钥签名：任何能写入数据库的人都可以重算这条链");
  } else if (v->keyed_from > 1) {
    const std::string from = std::to_string(v->keyed_from),
                      before = std::to_string(v->keyed_from - 1);
    Tell("keyed from entry " + from + "; entries 1-" + before +
             " predate the key and are only as safe as the heads kept of them",
         "自第 " + from + " 条记录起带密钥签名；第 1-" + before +
             " 条早于密钥，其可信程度仅取决于另行保存的审计头");
  }
  if (v->head.id > 0) {
    const std::string head = std::to_string(v->head.id) + ":" + v->head.hash;
    Tell("head: " + head +
             "  (keep it elsewhere too; `fanzha audit verify --anchor` with it later catches "
             "entries removed from the end)",
         "审计头：" + head +
             "（请另行保存一份；日后用它运行 `fanzha audit verify --anchor` 可发现日志末尾被删除"
             "的记录）");
  }
}

}  // namespace

void RegisterAudit(CLI::App& app) {
  CLI::App* cmd =
      app.add_subcommand("audit", Help("The audit log: who read or changed what, when and why.",
                                       "审计日志：谁在何时、为何查看或改动了什么。"));
  cmd->require_subcommand(1);
  auto opts = std::make_shared<AuditOptions>();
  CLI::App* list = cmd->add_subcommand(
      "list", Help("Print entries, oldest first.\n\n  fanzha audit list --after 100 --limit 20",
                   "列出审计记录，最早的在前。\n\n  fanzha audit list --after 100 --limit 20"));
  AddDbOption(list, &opts->store);
  list->add_option("--after", opts->after,
                   Help("only entries after this id", "只列出此编号之后的记录"));
  list->add_option("--limit", opts->limit,
                   Help("at most this many (0: all)", "最多列出条数（0：全部）"));
  list->add_flag("--json", opts->json, Help("JSON lines", "以 JSON lines 输出（每行一条）"));
  list->callback([opts] { List(*opts); });
  CLI::App* verify = cmd->add_subcommand(
      "verify",
      Help("Recompute the keyed hash chain and check it against the published heads; names the "
           "first broken entry and exits non-zero if any.\n\n"
           "  fanzha audit verify --db fanzha.db --audit-key /etc/fanzha/audit.key --audit-heads "
           "/var/log/fanzha/audit-heads",
           "重算带密钥的哈希链，并与已发布的审计头核对；如有损坏，指出第一条损坏的记录，"
           "并以非零状态退出。\n\n"
           "  fanzha audit verify --db fanzha.db --audit-key /etc/fanzha/audit.key --audit-heads "
           "/var/log/fanzha/audit-heads"));
  AddDbOption(verify, &opts->store);
  AddAuditFileOptions(verify, &opts->files);
  verify->add_option("--anchor", opts->anchors,
                     Help("ID:HASH of an entry as an earlier verify printed it (its head), kept "
                          "outside the store; repeatable. Catches entries removed from the end of "
                          "the log",
                          "某条记录的 ID:HASH，即此前 verify 输出的审计头，另存于数据库之外；"
                          "可重复给出。用于发现日志末尾被删除的记录"));
  verify->callback([opts] { Verify(*opts); });
}

}  // namespace fanzha::cli
