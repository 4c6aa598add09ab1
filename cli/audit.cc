// fanzha audit: read and verify the hash-chained audit log.
#include <cstdio>
#include <string>
#include <vector>

#include "audit/audit.h"
#include "cli/commands.h"

namespace fanzha::cli {
namespace {

struct AuditOptions {
  StoreOptions store;
  int64_t after = 0;
  size_t limit = 0;
  bool json = false;
  std::vector<std::string> anchors;  // ID:HASH heads kept elsewhere
};

void List(const AuditOptions& o) {
  auto store = OpenStoreOrExit(o.store);
  auto entries = audit::AuditLog(store->sql()).List(o.after, o.limit);
  ExitOnError(entries.status());
  for (const audit::Entry& e : *entries) {
    if (o.json) {
      PrintJson({{"id", e.id}, {"at", FormatTime(e.at)}, {"user", e.user}, {"role", e.role},
                 {"action", e.action}, {"target", e.target}, {"reason", e.reason},
                 {"detail", e.detail}, {"hash", e.hash}});
      continue;
    }
    std::printf("%6lld  %s  %-12s %-16s %-14s %s%s%s\n", static_cast<long long>(e.id),
                FormatTime(e.at).c_str(), e.user.c_str(), e.action.c_str(), e.target.c_str(),
                e.reason.empty() ? "" : ("why: " + e.reason).c_str(), e.detail.empty() ? "" : "  ",
                e.detail.c_str());
  }
}

void Verify(const AuditOptions& o) {
  std::vector<audit::Anchor> anchors;
  for (const std::string& text : o.anchors) anchors.push_back(ValueOrExit(audit::ParseAnchor(text), "--anchor"));
  auto store = OpenStoreOrExit(o.store);
  auto v = audit::AuditLog(store->sql()).Verify(anchors);
  ExitOnError(v.status());
  if (v->ok) {
    std::printf("audit log intact: %lld entries verified%s\n", static_cast<long long>(v->entries),
                anchors.empty() ? "" : ", every anchor found");
    if (v->head.id > 0) {
      std::printf("head: %lld:%s  (keep it elsewhere; `fanzha audit verify --anchor` with it later "
                  "catches entries removed from the end)\n",
                  static_cast<long long>(v->head.id), v->head.hash.c_str());
    }
    return;
  }
  ExitOnError(Status(ErrorCode::kConflict, "audit log tampered: " + v->message +
                                               " (first broken entry " + std::to_string(v->first_broken) + ")"));
}

}  // namespace

void RegisterAudit(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("audit", "The audit log: who read or changed what, when and why.");
  cmd->require_subcommand(1);
  auto opts = std::make_shared<AuditOptions>();
  CLI::App* list = cmd->add_subcommand("list", "Print entries, oldest first.\n\n  fanzha audit list --after 100 --limit 20");
  AddDbOption(list, &opts->store);
  list->add_option("--after", opts->after, "only entries after this id");
  list->add_option("--limit", opts->limit, "at most this many (0: all)");
  list->add_flag("--json", opts->json, "JSON lines");
  list->callback([opts] { List(*opts); });
  CLI::App* verify = cmd->add_subcommand(
      "verify", "Recompute the hash chain; names the first broken entry and exits non-zero if any.");
  AddDbOption(verify, &opts->store);
  verify->add_option("--anchor", opts->anchors,
                     "ID:HASH of an entry as an earlier verify printed it (its head), kept outside "
                     "the store; repeatable. Catches entries removed from the end of the log");
  verify->callback([opts] { Verify(*opts); });
}

}  // namespace fanzha::cli
