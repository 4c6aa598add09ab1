// fanzha user: accounts for the server (roles and scopes of DESIGN.md): add, disable and enable
// them, end their sessions. Each change and its audit entry commit in one transaction.
#include <cstdio>
#include <functional>
#include <iostream>

#include "audit/audit.h"
#include "auth/auth.h"
#include "cli/commands.h"
#include "core/clock.h"

namespace fanzha::cli {
namespace {

struct UserOptions {
  StoreOptions store;
  AuditFileOptions audit;
  std::string name, role, region, institution;
};

// Runs `change` and its audit entry (action, target, detail) in one transaction, then publishes
// the new head of the chain (AuditedStore).
void Audited(const UserOptions& o, const std::string& action, const std::string& detail,
             const std::function<Status(auth::Users&)>& change) {
  AuditedStore books = AuditedStore::OpenOrExit(o.store, o.audit);
  audit::Entry e;
  e.action = action;
  e.target = o.name;
  e.detail = detail;
  books.Change(std::move(e), [&](audit::Entry&) {
    auth::Users users(books.store().sql());
    return change(users);
  });
}

// A role as the web page names it.
std::string RoleInChinese(auth::Role role) {
  const std::string_view name = auth::Name(role);
  if (name == "centre") return "反诈中心";
  if (name == "investigator") return "办案民警";
  if (name == "bank") return "银行联络员";
  if (name == "hotline") return "预警专员";
  if (name == "auditor") return "审计员";
  return std::string(name);
}

void Add(const UserOptions& o) {
  auto role = auth::ParseRole(o.role);
  ExitOnError(role.status().WithContext("--role"));
  std::string password;
  std::getline(std::cin, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  auth::User u{o.name, *role, o.region, o.institution};
  Audited(o, "user.add", o.role + " " + o.region + " " + o.institution,
          [&](auth::Users& users) { return users.Add(u, password, SystemClock().Now()); });
  Tell("added " + o.name + " (" + o.role + (o.region.empty() ? "" : ", region " + o.region) +
           (o.institution.empty() ? "" : ", institution " + o.institution) + ")",
       "已添加用户 " + o.name + "（" + RoleInChinese(*role) +
           (o.region.empty() ? "" : "，地区 " + o.region) +
           (o.institution.empty() ? "" : "，机构 " + o.institution) + "）");
}

void Disable(const UserOptions& o) {
  Audited(o, "user.disable", "sessions ended",
          [&](auth::Users& users) { return users.Disable(o.name, SystemClock().Now()); });
  Tell("disabled " + o.name + ": its sessions ended; it cannot log in until `fanzha user enable " +
           o.name + "`",
       "已停用用户 " + o.name + "：其会话已全部结束；执行 `fanzha user enable " + o.name +
           "` 之前不能登录");
}

void Enable(const UserOptions& o) {
  Audited(o, "user.enable", "", [&](auth::Users& users) { return users.Enable(o.name); });
  Tell("enabled " + o.name, "已启用用户 " + o.name);
}

void Revoke(const UserOptions& o) {
  int64_t ended = 0;
  Audited(o, "user.revoke", "sessions ended", [&](auth::Users& users) -> Status {
    FANZHA_ASSIGN_OR_RETURN(ended, users.Revoke(o.name));
    return Status::Ok();
  });
  const std::string n = std::to_string(ended);
  Tell("ended " + n + " sessions of " + o.name, "已结束用户 " + o.name + " 的 " + n + " 个会话");
}

CLI::App* NameCommand(CLI::App* user, const char* name, const std::string& help,
                      std::shared_ptr<UserOptions> opts) {
  CLI::App* cmd = user->add_subcommand(name, help);
  // The centre's first user comes before any data: `user add` makes the store; the others do not.
  AddDbOption(cmd, &opts->store, /*creates=*/std::string_view(name) == "add");
  AddAuditFileOptions(cmd, &opts->audit);
  cmd->add_option("name", opts->name, Help("user name", "用户名"))->required();
  return cmd;
}

}  // namespace

void RegisterUser(CLI::App& app) {
  CLI::App* user = app.add_subcommand(
      "user", Help("Accounts for the server: fanzha user add|disable|enable|revoke ...",
                   "服务器的用户账户：fanzha user add|disable|enable|revoke ..."));
  user->require_subcommand(1);
  auto opts = std::make_shared<UserOptions>();
  CLI::App* add = NameCommand(
      user, "add",
      Help("Add a user; the password (8 to 1024 bytes) is read from the first line of stdin.\n\n"
           "Examples:\n"
           "  echo 's3cret-pass' | fanzha user add li --role investigator --region 330100\n"
           "  fanzha user add icbc1 --role bank --institution 中国工商银行 < pw.txt\n"
           "Roles: centre (all of its region, or everything without one), investigator (its "
           "region's\n"
           "cases), bank (its institution's freeze orders), hotline (its region's warnings), "
           "auditor.",
           "添加用户；密码（8 至 1024 字节）从标准输入的第一行读取。\n\n"
           "示例：\n"
           "  echo 's3cret-pass' | fanzha user add li --role investigator --region 330100\n"
           "  fanzha user add icbc1 --role bank --institution 中国工商银行 < pw.txt\n"
           "角色：centre 反诈中心（本辖区全部数据，未设辖区则为全部数据），\n"
           "investigator 办案民警（本辖区的案件），bank 银行联络员（本机构的冻结指令），\n"
           "hotline 预警专员（本辖区的预警），auditor 审计员。"),
      opts);
  add->add_option("--role", opts->role,
                  Help("centre|investigator|bank|hotline|auditor",
                       "centre|investigator|bank|hotline|auditor（反诈中心|办案民警|银行联络员|"
                       "预警专员|审计员）"))
      ->required();
  add->add_option("--region", opts->region,
                  Help("GB/T 2260 code; a province code covers its cities",
                       "GB/T 2260 行政区划代码；省级代码涵盖其下各市"));
  add->add_option("--institution", opts->institution,
                  Help("bank liaisons: the institution", "银行联络员：所属机构"));
  add->callback([opts] {
    CheckRegionOption(opts->region, "--region");
    Add(*opts);
  });
  NameCommand(user, "disable",
              Help("Disable a user and end its sessions at once: its next request, on any server "
                   "of this store, is refused.\n\n  fanzha user disable li",
                   "停用用户并立即结束其会话：此后它在使用本数据库的任何服务器上的请求都会被拒绝。"
                   "\n\n  fanzha user disable li"),
              opts)
      ->callback([opts] { Disable(*opts); });
  NameCommand(user, "enable",
              Help("Let a disabled user log in again.\n\n  fanzha user enable li",
                   "允许已停用的用户重新登录。\n\n  fanzha user enable li"),
              opts)
      ->callback([opts] { Enable(*opts); });
  NameCommand(
      user, "revoke",
      Help("End every session of a user (it may log in again), e.g. after a lost laptop.\n\n"
           "  fanzha user revoke li",
           "结束用户的全部会话（之后仍可重新登录），例如笔记本电脑丢失后。\n\n"
           "  fanzha user revoke li"),
      opts)
      ->callback([opts] { Revoke(*opts); });
}

}  // namespace fanzha::cli
