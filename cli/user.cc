// fanzha user: accounts for the server (roles and scopes of DESIGN.md).
#include <chrono>
#include <cstdio>
#include <iostream>

#include "audit/audit.h"
#include "auth/auth.h"
#include "cli/commands.h"

namespace fanzha::cli {
namespace {

struct UserOptions {
  StoreOptions store;
  std::string name, role, region, institution;
};

Millis Now() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

void Add(const UserOptions& o) {
  auto role = auth::ParseRole(o.role);
  ExitOnError(role.status().WithContext("--role"));
  std::string password;
  std::getline(std::cin, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  auto store = OpenStoreOrExit(o.store);
  auth::User u{o.name, *role, o.region, o.institution};
  ExitOnError(auth::Users(store->sql()).Add(u, password, Now()));
  audit::Entry e;
  e.at = Now();
  e.user = "(command line)";
  e.action = "user.add";
  e.target = o.name;
  e.detail = o.role + " " + o.region + " " + o.institution;
  ExitOnError(audit::AuditLog(store->sql()).Append(e).status());
  std::printf("added %s (%s%s%s)\n", o.name.c_str(), o.role.c_str(),
              o.region.empty() ? "" : (", region " + o.region).c_str(),
              o.institution.empty() ? "" : (", institution " + o.institution).c_str());
}

}  // namespace

void RegisterUser(CLI::App& app) {
  CLI::App* user = app.add_subcommand("user", "Accounts for the server: fanzha user add ...");
  user->require_subcommand(1);
  auto opts = std::make_shared<UserOptions>();
  CLI::App* add = user->add_subcommand(
      "add",
      "Add a user; the password (at least 8 bytes) is read from the first line of stdin.\n\n"
      "Examples:\n"
      "  echo 's3cret-pass' | fanzha user add li --role investigator --region 330100\n"
      "  fanzha user add icbc1 --role bank --institution 中国工商银行 < pw.txt\n"
      "Roles: centre (all of its region, or everything without one), investigator (its region's\n"
      "cases), bank (its institution's freeze orders), hotline (its region's warnings), auditor.");
  AddDbOption(add, &opts->store);
  add->add_option("name", opts->name, "user name")->required();
  add->add_option("--role", opts->role, "centre|investigator|bank|hotline|auditor")->required();
  add->add_option("--region", opts->region, "GB/T 2260 code; a province code covers its cities");
  add->add_option("--institution", opts->institution, "bank liaisons: the institution");
  add->callback([opts] {
    CheckRegionOption(opts->region, "--region");
    Add(*opts);
  });
}

}  // namespace fanzha::cli
