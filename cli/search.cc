// fanzha search: one box for a phone, card, WeChat, QQ, URL, e-mail, 身份证 number or case id
// (app/search.h), the same answer as GET /api/search.
#include "app/search.h"

#include <cstdio>

#include "cli/commands.h"

namespace fanzha::cli {
namespace {

struct SearchOptions {
  StoreOptions store;
  std::string text;
  size_t limit = 100;
  bool json = false;
};

void Run(const SearchOptions& o) {
  auto store = OpenStoreOrExit(o.store);
  nlohmann::ordered_json a =
      ValueOrExit(app::Search(*store, o.text, o.limit, [](const Case&) { return true; }));
  if (o.json) return PrintJson(a);
  std::printf("%zu cases, %zu accounts for '%s' / 共 %zu 起案件、%zu 个账户\n", a["cases"].size(),
              a["accounts"].size(), a["query"].get<std::string>().c_str(), a["cases"].size(),
              a["accounts"].size());
  for (const auto& c : a["cases"]) {
    std::string matched;
    for (const auto& m : c["matched"])
      matched += " " + m["type"].get<std::string>() + "=" + m["value"].get<std::string>();
    std::printf("  case %-20s %s  %s  %s%s\n", c["id"].get<std::string>().c_str(),
                c["reported_at"].get<std::string>().c_str(), c["region"].get<std::string>().c_str(),
                c["category"].get<std::string>().c_str(), matched.c_str());
  }
  for (const auto& x : a["accounts"]) {
    std::printf("  account %s  %s  %s  %s\n", x["account"].get<std::string>().c_str(),
                x["holder"].get<std::string>().c_str(), x["institution"].get<std::string>().c_str(),
                x["region"].get<std::string>().c_str());
  }
}

}  // namespace

void RegisterSearch(CLI::App& app) {
  auto o = std::make_shared<SearchOptions>();
  CLI::App* cmd = app.add_subcommand(
      "search",
      "find the cases and accounts behind what you hold: a phone as typed (138 0013 8000), a bank\n"
      "card, a WeChat or QQ id, a URL, an e-mail, a 身份证 number, a case id (一键检索).\n\n"
      "Examples:\n"
      "  fanzha search '138 0013 8000'\n"
      "  fanzha search 6222021234567890123 --json");
  AddDbOption(cmd, &o->store);
  cmd->add_option("TEXT", o->text, "what to look for")->required();
  cmd->add_option("--limit", o->limit, "cases at most")->capture_default_str();
  cmd->add_flag("--json", o->json, "the answer of GET /api/search");
  cmd->callback([o] { Run(*o); });
}

}  // namespace fanzha::cli
