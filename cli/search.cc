// fanzha search: one box for a phone, card, WeChat, QQ, URL, e-mail, 身份证 number or case id
// (app/search.h), the same answer as GET /api/search.
#include "app/search.h"

#include <cstdio>

#include "app/profile.h"
#include "cli/commands.h"
#include "core/money.h"
#include "ledger/ledger.h"

namespace fanzha::cli {
namespace {

struct SearchOptions {
  StoreOptions store;
  std::string text, type = "account";
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

std::string Yuan(const nlohmann::ordered_json& decimal) {
  Result<Fen> fen = ParseMoney(decimal.get<std::string>());
  return fen.ok() ? FormatMoneyGrouped(*fen) : decimal.get<std::string>();
}

void PrintMoney(const nlohmann::ordered_json& m) {
  std::printf(
      "money 资金: received 转入 %lld / %s, paid 转出 %lld / %s, balance 余额 %s, %s .. %s\n",
      static_cast<long long>(m["received"]["count"].get<int64_t>()),
      Yuan(m["received"]["amount"]).c_str(),
      static_cast<long long>(m["paid"]["count"].get<int64_t>()), Yuan(m["paid"]["amount"]).c_str(),
      Yuan(m["balance"]).c_str(),
      m["first"].is_null() ? "-" : m["first"].get<std::string>().c_str(),
      m["last"].is_null() ? "-" : m["last"].get<std::string>().c_str());
  for (const auto& c : m["counterparties"]) {
    const std::string who = c["account"].get<std::string>();
    std::printf("  counterparty 对手方 %-24s in 转入 %16s  out 转出 %16s  %lld transfers\n",
                who.empty() ? "(cash 现金)" : who.c_str(), Yuan(c["received"]).c_str(),
                Yuan(c["paid"]).c_str(), static_cast<long long>(c["transfers"].get<int64_t>()));
  }
}

void RunProfile(const SearchOptions& o) {
  const IdentifierType type = ValueOrExit(ParseIdentifierType(o.type), "--type");
  auto store = OpenStoreOrExit(o.store);
  std::unique_ptr<ledger::Ledger> ledger;
  if (type == IdentifierType::kAccount || ValueOrExit(store->GetAccount(o.text))) {
    ledger = ValueOrExit(ledger::Ledger::Load(*store));
  }
  const auto all = [](const auto&) { return true; };
  nlohmann::ordered_json p =
      ValueOrExit(app::Profile(*store, ledger.get(), type, o.text, {all, all}), "VALUE");
  if (o.json) return PrintJson(p);
  std::printf("%s %s: %zu cases, %zu orders, %zu warnings / %zu 起案件、%zu 条指令、%zu 条预警\n",
              p["type"].get<std::string>().c_str(), p["value"].get<std::string>().c_str(),
              p["cases"].size(), p["orders"].size(), p["warnings"].size(), p["cases"].size(),
              p["orders"].size(), p["warnings"].size());
  if (!p["account"].is_null()) {
    const auto& a = p["account"];
    std::printf("account 账户 %s  %s  %s  %s %s\n", a["account"].get<std::string>().c_str(),
                a["holder"].get<std::string>().c_str(), a["institution"].get<std::string>().c_str(),
                a["region"].get<std::string>().c_str(),
                a["region_name"].get<std::string>().c_str());
  }
  if (!p["money"].is_null()) PrintMoney(p["money"]);
  for (const auto& c : p["cases"]) {
    std::printf("  case 案件 %-18s %s  %s %s  %s\n", c["id"].get<std::string>().c_str(),
                c["reported_at"].get<std::string>().substr(0, 10).c_str(),
                c["region"].get<std::string>().c_str(), c["region_name"].get<std::string>().c_str(),
                c["category_zh"].get<std::string>().c_str());
  }
  for (const auto& x : p["orders"]) {
    std::printf("  order 指令 %lld  %s  %s  case %s\n",
                static_cast<long long>(x["id"].get<int64_t>()),
                x["kind"].get<std::string>().c_str(), x["status"].get<std::string>().c_str(),
                x["case"].get<std::string>().c_str());
  }
  for (const auto& w : p["warnings"]) {
    std::printf("  warning 预警 %s  person %s  score %d\n", w["id"].get<std::string>().c_str(),
                w["person"].get<std::string>().c_str(), w["score"].get<int>());
  }
}

}  // namespace

void RegisterProfile(CLI::App& app) {
  auto o = std::make_shared<SearchOptions>();
  CLI::App* cmd = app.add_subcommand(
      "profile",
      "everything known of one identifier or account (画像): the cases naming it, and for an\n"
      "account its holder, the money through it (totals, largest counterparties, latest\n"
      "transfers, balance), the freeze orders on it; the warnings about it.\n\n"
      "Examples:\n"
      "  fanzha profile 6222021234567890123\n"
      "  fanzha profile --type phone '138 0013 8000' --json");
  AddDbOption(cmd, &o->store);
  cmd->add_option("VALUE", o->text, "the identifier as typed")->required();
  cmd->add_option("--type", o->type,
                  "account (default), phone, url, domain, wechat, qq, alipay, email, id_card, ...");
  cmd->add_flag("--json", o->json, "the answer of GET /api/profile");
  cmd->callback([o] { RunProfile(*o); });
}

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
