// fanzha search: one box for a phone, card, WeChat, QQ, URL, e-mail, 身份证 number or case id
// (app/search.h), the same answer as GET /api/search.
#include "app/search.h"

#include <cstdio>

#include "app/profile.h"
#include "cli/commands.h"
#include "core/money.h"
#include "freeze/orders.h"
#include "ledger/ledger.h"

namespace fanzha::cli {
namespace {

struct SearchOptions {
  StoreOptions store;
  std::string text, type = "account";
  size_t limit = 100;
  bool json = false;
};

// The same in the chosen language.
std::string TypeText(const std::string& type) {
  return SayInline(OutputLang(), type, IdentifierTypeInChinese(type));
}

// A category key by its name in the chosen language (the key itself when it is not built in).
std::string CategoryText(const std::string& key) {
  const Category* c = FindCategory(key);
  if (!c) return key;
  switch (OutputLang()) {
    case Lang::kEn:
      return key;
    case Lang::kZh:
      return std::string(c->zh);
    case Lang::kBoth:
      break;
  }
  return std::string(c->zh) + " " + key;
}

void Run(const SearchOptions& o) {
  auto store = OpenStoreOrExit(o.store);
  nlohmann::ordered_json a =
      ValueOrExit(app::Search(*store, o.text, o.limit, [](const Case&) { return true; }));
  if (o.json) return PrintJson(a);
  const Lang lang = OutputLang();
  const std::string cases = std::to_string(a["cases"].size()),
                    accounts = std::to_string(a["accounts"].size()),
                    query = a["query"].get<std::string>();
  Tell(cases + " cases, " + accounts + " accounts for '" + query + "'",
       "“" + query + "”：共 " + cases + " 起案件、" + accounts + " 个账户");
  const std::string case_label = SayInline(lang, "case", "案件"),
                    account_label = SayInline(lang, "account", "账户");
  for (const auto& c : a["cases"]) {
    std::string matched;
    for (const auto& m : c["matched"])
      matched += " " + TypeText(m["type"].get<std::string>()) + "=" + m["value"].get<std::string>();
    std::printf("  %s %-20s %s  %s  %s%s\n", case_label.c_str(), c["id"].get<std::string>().c_str(),
                c["reported_at"].get<std::string>().c_str(), c["region"].get<std::string>().c_str(),
                CategoryText(c["category"].get<std::string>()).c_str(), matched.c_str());
  }
  for (const auto& x : a["accounts"]) {
    std::printf("  %s %s  %s  %s  %s\n", account_label.c_str(),
                x["account"].get<std::string>().c_str(), x["holder"].get<std::string>().c_str(),
                x["institution"].get<std::string>().c_str(),
                x["region"].get<std::string>().c_str());
  }
}

std::string Yuan(const nlohmann::ordered_json& decimal) {
  Result<Fen> fen = ParseMoney(decimal.get<std::string>());
  return fen.ok() ? FormatMoneyGrouped(*fen) : decimal.get<std::string>();
}

void PrintMoney(const nlohmann::ordered_json& m) {
  const Lang lang = OutputLang();
  const std::string in_n = std::to_string(m["received"]["count"].get<int64_t>()),
                    in = Yuan(m["received"]["amount"]),
                    out_n = std::to_string(m["paid"]["count"].get<int64_t>()),
                    out = Yuan(m["paid"]["amount"]), balance = Yuan(m["balance"]),
                    first = m["first"].is_null() ? "-" : m["first"].get<std::string>(),
                    last = m["last"].is_null() ? "-" : m["last"].get<std::string>();
  Tell("money: received " + in_n + " / " + in + ", paid " + out_n + " / " + out + ", balance " +
           balance + ", " + first + " .. " + last,
       "资金：转入 " + in_n + " 笔 / " + in + "，转出 " + out_n + " 笔 / " + out + "，余额 " +
           balance + "，" + first + " .. " + last);
  const std::string counterparty = SayInline(lang, "counterparty", "对手方"),
                    in_label = SayInline(lang, "in", "转入"),
                    out_label = SayInline(lang, "out", "转出");
  for (const auto& c : m["counterparties"]) {
    const std::string who = c["account"].get<std::string>();
    const std::string n = std::to_string(c["transfers"].get<int64_t>());
    std::printf("  %s %-24s %s %16s  %s %16s  %s\n", counterparty.c_str(),
                who.empty() ? ("(" + SayInline(lang, "cash", "现金") + ")").c_str() : who.c_str(),
                in_label.c_str(), Yuan(c["received"]).c_str(), out_label.c_str(),
                Yuan(c["paid"]).c_str(), SayInline(lang, n + " transfers", n + " 笔转账").c_str());
  }
}

// A freeze order's kind ("stop_payment", ...) and status ("executed", ...) in the chosen language.
std::string OrderKindText(const std::string& kind) {
  auto k = freeze::ParseOrderKind(kind);
  return k.ok() ? SayInline(OutputLang(), kind, freeze::ChineseName(*k)) : kind;
}
std::string OrderStatusText(const std::string& status) {
  return SayInline(OutputLang(), status, freeze::StatusInChinese(status));
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
  const Lang lang = OutputLang();
  const std::string t = p["type"].get<std::string>(), value = p["value"].get<std::string>(),
                    cases = std::to_string(p["cases"].size()),
                    orders = std::to_string(p["orders"].size()),
                    warnings = std::to_string(p["warnings"].size());
  Tell(t + " " + value + ": " + cases + " cases, " + orders + " orders, " + warnings + " warnings",
       std::string(IdentifierTypeInChinese(t)) + " " + value + "：" + cases + " 起案件、" + orders +
           " 条指令、" + warnings + " 条预警");
  if (!p["account"].is_null()) {
    const auto& a = p["account"];
    std::printf("%s %s  %s  %s  %s %s\n", SayInline(lang, "account", "账户").c_str(),
                a["account"].get<std::string>().c_str(), a["holder"].get<std::string>().c_str(),
                a["institution"].get<std::string>().c_str(), a["region"].get<std::string>().c_str(),
                a["region_name"].get<std::string>().c_str());
  }
  if (!p["money"].is_null()) PrintMoney(p["money"]);
  const std::string case_label = SayInline(lang, "case", "案件");
  for (const auto& c : p["cases"]) {
    std::printf("  %s %-18s %s  %s %s  %s\n", case_label.c_str(),
                c["id"].get<std::string>().c_str(),
                c["reported_at"].get<std::string>().substr(0, 10).c_str(),
                c["region"].get<std::string>().c_str(), c["region_name"].get<std::string>().c_str(),
                c[lang == Lang::kEn ? "category" : "category_zh"].get<std::string>().c_str());
  }
  const std::string order_label = SayInline(lang, "order", "指令");
  for (const auto& x : p["orders"]) {
    std::printf("  %s %lld  %s  %s  %s %s\n", order_label.c_str(),
                static_cast<long long>(x["id"].get<int64_t>()),
                OrderKindText(x["kind"].get<std::string>()).c_str(),
                OrderStatusText(x["status"].get<std::string>()).c_str(), case_label.c_str(),
                x["case"].get<std::string>().c_str());
  }
  const std::string warning_label = SayInline(lang, "warning", "预警"),
                    person_label = SayInline(lang, "person", "潜在受害人"),
                    score_label = SayInline(lang, "score", "风险分");
  for (const auto& w : p["warnings"]) {
    std::printf("  %s %s  %s %s  %s %d\n", warning_label.c_str(),
                w["id"].get<std::string>().c_str(), person_label.c_str(),
                w["person"].get<std::string>().c_str(), score_label.c_str(), w["score"].get<int>());
  }
}

}  // namespace

void RegisterProfile(CLI::App& app) {
  auto o = std::make_shared<SearchOptions>();
  CLI::App* cmd = app.add_subcommand(
      "profile",
      Help("everything known of one identifier or account (画像): the cases naming it, and for an\n"
           "account its holder, the money through it (totals, largest counterparties, latest\n"
           "transfers, balance), the freeze orders on it; the warnings about it.\n\n"
           "Examples:\n"
           "  fanzha profile 6222021234567890123\n"
           "  fanzha profile --type phone '138 0013 8000' --json",
           "一个标识或账户的全部已知信息（画像）：涉及它的案件；若为账户，还有开户人、\n"
           "经手资金（合计、主要交易对手、最近转账、余额）、对它的冻结指令；以及相关预警。\n\n"
           "示例：\n"
           "  fanzha profile 6222021234567890123\n"
           "  fanzha profile --type phone '138 0013 8000' --json"));
  AddDbOption(cmd, &o->store);
  cmd->add_option("VALUE", o->text, Help("the identifier as typed", "按原样输入的标识"))
      ->required();
  cmd->add_option(
      "--type", o->type,
      Help("account (default), phone, url, domain, wechat, qq, alipay, email, id_card, ...",
           "标识类型：account（默认，账户）、phone、url、domain、wechat、qq、alipay、email、"
           "id_card 等"));
  cmd->add_flag("--json", o->json,
                Help("the answer of GET /api/profile", "输出 GET /api/profile 的应答"));
  cmd->callback([o] { RunProfile(*o); });
}

void RegisterSearch(CLI::App& app) {
  auto o = std::make_shared<SearchOptions>();
  CLI::App* cmd = app.add_subcommand(
      "search",
      Help("find the cases and accounts behind what you hold: a phone as typed (138 0013 8000), "
           "a bank\n"
           "card, a WeChat or QQ id, a URL, an e-mail, a 身份证 number, a case id (一键检索).\n\n"
           "Examples:\n"
           "  fanzha search '138 0013 8000'\n"
           "  fanzha search 6222021234567890123 --json",
           "一键检索：根据手头的线索查找背后的案件和账户，可以是按原样输入的电话号码\n"
           "（138 0013 8000）、银行卡号、微信号或 QQ 号、网址、电子邮箱、身份证号或案件编号。\n\n"
           "示例：\n"
           "  fanzha search '138 0013 8000'\n"
           "  fanzha search 6222021234567890123 --json"));
  AddDbOption(cmd, &o->store);
  cmd->add_option("TEXT", o->text, Help("what to look for", "要查找的内容"))->required();
  cmd->add_option("--limit", o->limit, Help("cases at most", "最多返回的案件数"))
      ->capture_default_str();
  cmd->add_flag("--json", o->json,
                Help("the answer of GET /api/search", "输出 GET /api/search 的应答"));
  cmd->callback([o] { Run(*o); });
}

}  // namespace fanzha::cli
