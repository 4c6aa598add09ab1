// fanzha freeze / fanzha return: from a trace to freeze orders, and frozen money back to victims.
#include <chrono>
#include <cstdio>
#include <fstream>

#include "cli/commands.h"
#include "freeze/freeze.h"
#include "ledger/ledger.h"
#include "trace/trace.h"

namespace fanzha::cli {
namespace {

using json = nlohmann::ordered_json;

Millis Now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct PlanOptions {
  StoreOptions store;
  std::string case_id;
  std::string policy = "fifo";
  std::vector<std::string> accounts;
  bool json = false;
};

// Traces a case and makes its freeze plan.
freeze::Plan PlanOf(store::Store& store, const ledger::Ledger& ledger, const std::string& case_id,
                    const std::string& policy_name) {
  auto c = store.GetCase(case_id);
  ExitOnError(c.status());
  if (!*c) ExitOnError(Status::NotFound("no case " + case_id + " in the store"));
  auto seeds = trace::SeedsOfCase(ledger, **c);
  ExitOnError(seeds.status());
  trace::Options opts;
  opts.policy = ValueOrExit(trace::ParsePolicy(policy_name), "--policy");
  auto answer = trace::Trace(ledger, *seeds, opts);
  ExitOnError(answer.status());
  return freeze::MakePlan(ledger, *answer, case_id);
}

void PrintOrders(const std::vector<freeze::Order>& orders) {
  std::printf("%-6s %-20s %-24s %-10s %14s %-9s %14s  %s\n", "order", "case", "account", "inst.",
              "to freeze", "status", "frozen", "note");
  for (const auto& o : orders) {
    std::printf("%-6lld %-20s %-24s %-10s %14s %-9s %14s  %s\n", static_cast<long long>(o.id),
                o.case_id.c_str(), o.account.c_str(), o.institution.c_str(),
                FormatMoney(o.requested).c_str(), std::string(freeze::Name(o.status)).c_str(),
                FormatMoney(o.frozen).c_str(), o.reason.c_str());
  }
}

void RunPlan(const PlanOptions& o, bool draft) {
  auto store = OpenStoreOrExit(o.store);
  auto ledger = ledger::Ledger::Load(*store);
  ExitOnError(ledger.status());
  freeze::Plan plan = PlanOf(*store, **ledger, o.case_id, o.policy);
  if (!draft) {
    if (o.json) return PrintJson(freeze::ToJson(plan));
    std::printf("Freeze plan for case %s (%s): %s of %s yuan can still be frozen in %zu accounts\n",
                plan.case_id.c_str(), std::string(trace::Name(plan.policy)).c_str(),
                FormatMoney(plan.total).c_str(), FormatMoney(plan.seed).c_str(), plan.items.size());
    for (const auto& i : plan.items) {
      std::printf("  %-8s %-24s %-12s %14s  hop %d  %lld min/hop  since %s\n", i.urgency.c_str(),
                  i.account.c_str(), i.institution.c_str(), FormatMoney(i.amount).c_str(), i.hops,
                  static_cast<long long>(i.minutes_per_hop), FormatTime(i.first_tainted_at).c_str());
    }
    std::printf("Draft the orders with: fanzha freeze order --case %s\n", plan.case_id.c_str());
    return;
  }
  freeze::OrderBook book(store->sql());
  auto drafted = book.Draft(plan, o.accounts, Now());
  ExitOnError(drafted.status());
  if (o.json) {
    json arr = json::array();
    for (const auto& d : *drafted) {
      json j = freeze::ToJson(d.order);
      j["created"] = d.created;
      arr.push_back(j);
    }
    return PrintJson({{"case", plan.case_id}, {"orders", arr}});
  }
  std::vector<freeze::Order> orders;
  int created = 0;
  for (const auto& d : *drafted) {
    orders.push_back(d.order);
    created += d.created;
  }
  std::printf("%d new freeze orders, %zu already drafted\n", created, drafted->size() - created);
  PrintOrders(orders);
}

struct MoveOptions {
  StoreOptions store;
  int64_t id = 0;
  std::string status;
  std::string amount;
  std::string reason;
  bool json = false;
};

void RunMove(const MoveOptions& o) {
  auto store = OpenStoreOrExit(o.store);
  auto to = freeze::ParseOrderStatus(o.status);
  ExitOnError(to.status());
  std::optional<Fen> amount;
  if (!o.amount.empty()) {
    amount = ValueOrExit(ParseMoney(o.amount), "--amount");
  }
  freeze::OrderBook book(store->sql());
  auto moved = book.Move(o.id, *to, amount, o.reason, Now());
  ExitOnError(moved.status());
  if (o.json) return PrintJson(freeze::ToJson(*moved));
  PrintOrders({*moved});
}

struct ListOptions {
  StoreOptions store;
  freeze::OrderFilter filter;
  std::string status;
  std::string csv_out;
  bool json = false;
};

void RunList(const ListOptions& o) {
  auto store = OpenStoreOrExit(o.store);
  freeze::OrderFilter f = o.filter;
  if (!o.status.empty()) {
    auto s = freeze::ParseOrderStatus(o.status);
    ExitOnError(s.status());
    f.status = *s;
  }
  freeze::OrderBook book(store->sql());
  auto orders = book.List(f);
  ExitOnError(orders.status());
  if (!o.csv_out.empty()) {
    std::string csv = freeze::OrdersCsv(*orders);
    if (o.csv_out == "-") {
      std::fwrite(csv.data(), 1, csv.size(), stdout);
    } else {
      std::ofstream(o.csv_out, std::ios::binary) << csv;
      std::fprintf(stderr, "wrote %zu orders to %s\n", orders->size(), o.csv_out.c_str());
    }
    return;
  }
  if (o.json) {
    json arr = json::array();
    for (const auto& order : *orders) arr.push_back(freeze::ToJson(order));
    return PrintJson({{"orders", arr}});
  }
  PrintOrders(*orders);
}

struct ReturnOptions {
  StoreOptions store;
  std::string account;
  bool json = false;
};

// Frozen money at an account, split among the cases whose orders froze it.
void RunReturn(const ReturnOptions& o) {
  auto store = OpenStoreOrExit(o.store);
  freeze::OrderBook book(store->sql());
  auto orders = book.List(freeze::OrderFilter{"", o.account, "", freeze::OrderStatus::kExecuted});
  ExitOnError(orders.status());
  if (orders->empty()) {
    ExitOnError(Status::NotFound("no executed freeze order at account " + o.account +
                                 ": nothing frozen there to return"));
  }
  auto ledger = ledger::Ledger::Load(*store);
  ExitOnError(ledger.status());
  // Trace the cases together, so the lots say whose money is in the account.
  std::vector<trace::Seed> seeds;
  std::vector<freeze::Claim> claims;
  Fen frozen = 0;
  for (const auto& order : *orders) {
    frozen += order.frozen;
    auto c = store->GetCase(order.case_id);
    ExitOnError(c.status());
    if (!*c) ExitOnError(Status::NotFound("order " + std::to_string(order.id) + " names unknown case " + order.case_id));
    auto s = trace::SeedsOfCase(**ledger, **c);
    ExitOnError(s.status());
    seeds.insert(seeds.end(), s->begin(), s->end());
    Fen loss = (*c)->loss.value_or(0);
    if (!(*c)->loss) {
      for (const auto& seed : *s) loss += (**ledger).amount(*(**ledger).FindTransfer(seed.transfer_id));
    }
    claims.push_back(freeze::Claim{order.case_id, loss, 0});
  }
  auto answer = trace::Trace(**ledger, seeds, trace::Options{});
  ExitOnError(answer.status());
  for (const auto& h : answer->held) {
    if (h.account != o.account) continue;
    for (auto& claim : claims) {
      for (const auto& by : h.by_origin) {
        if (by.origin == claim.case_id) claim.traced_here = by.amount;
      }
    }
  }
  auto plan = freeze::PlanReturn(o.account, frozen, claims);
  ExitOnError(plan.status());
  if (o.json) {
    json shares = json::array();
    for (const auto& s : plan->shares) shares.push_back({{"case", s.case_id}, {"amount", FormatMoney(s.amount)}});
    return PrintJson({{"account", plan->account}, {"frozen", FormatMoney(plan->frozen)},
                      {"rule", plan->rule}, {"explanation", plan->explanation}, {"shares", shares}});
  }
  std::printf("Return plan for %s: %s yuan frozen, rule %s\n  %s\n", plan->account.c_str(),
              FormatMoney(plan->frozen).c_str(), plan->rule.c_str(), plan->explanation.c_str());
  for (const auto& s : plan->shares) {
    std::printf("  case %-24s %14s\n", s.case_id.c_str(), FormatMoney(s.amount).c_str());
  }
}

}  // namespace

void RegisterFreeze(CLI::App& app) {
  CLI::App* freeze = app.add_subcommand(
      "freeze",
      "Freeze plans and freeze orders (止付/冻结).\n\n"
      "Examples:\n"
      "  fanzha freeze plan --case HZ-20200208-0001      what to freeze, most urgent first\n"
      "  fanzha freeze order --case HZ-20200208-0001     draft orders for every held account\n"
      "  fanzha freeze move --order 3 --to sent\n"
      "  fanzha freeze move --order 3 --to executed --amount 120000\n"
      "  fanzha freeze move --order 4 --to rejected --reason 'account closed'\n"
      "  fanzha freeze list --institution ICBC --csv icbc-orders.csv");
  freeze->require_subcommand(1);
  for (bool draft : {false, true}) {
    auto opts = std::make_shared<PlanOptions>();
    CLI::App* cmd = freeze->add_subcommand(
        draft ? "order" : "plan",
        draft ? "draft freeze orders (planned) from a case's trace; idempotent per case and account"
              : "trace a case and list the held accounts to freeze, with institution and urgency");
    AddDbOption(cmd, &opts->store);
    cmd->add_option("--case", opts->case_id, "the case")->required();
    cmd->add_option("--policy", opts->policy, "tracing policy")->capture_default_str();
    if (draft) cmd->add_option("--account", opts->accounts, "only these accounts (repeatable)");
    cmd->add_flag("--json", opts->json, "JSON output");
    cmd->callback([opts, draft] {
      CheckCaseOption(opts->case_id, "--case");
      RunPlan(*opts, draft);
    });
  }
  {
    auto opts = std::make_shared<MoveOptions>();
    CLI::App* cmd = freeze->add_subcommand(
        "move", "move an order along planned -> sent -> executed | rejected | expired, then released | returned");
    AddDbOption(cmd, &opts->store);
    cmd->add_option("--order", opts->id, "order id")->required();
    cmd->add_option("--to", opts->status, "new status")->required();
    cmd->add_option("--amount", opts->amount, "executed: the amount actually frozen (yuan)");
    cmd->add_option("--reason", opts->reason, "rejected: the reason; otherwise a note");
    cmd->add_flag("--json", opts->json, "JSON output");
    cmd->callback([opts] { RunMove(*opts); });
  }
  {
    auto opts = std::make_shared<ListOptions>();
    CLI::App* cmd = freeze->add_subcommand("list", "list freeze orders; --csv exports them for a bank liaison");
    AddDbOption(cmd, &opts->store);
    cmd->add_option("--case", opts->filter.case_id, "only this case");
    cmd->add_option("--account", opts->filter.account, "only this account");
    cmd->add_option("--institution", opts->filter.institution, "only orders addressed to this institution");
    cmd->add_option("--status", opts->status, "only orders in this status");
    cmd->add_option("--csv", opts->csv_out, "write CSV to this file ('-' for stdout)");
    cmd->add_flag("--json", opts->json, "JSON output");
    cmd->callback([opts] {
      CheckCaseOption(opts->filter.case_id, "--case");
      RunList(*opts);
    });
  }
}

void RegisterReturn(CLI::App& app) {
  CLI::App* ret = app.add_subcommand(
      "return",
      "Return frozen money to victims (返还) by the rules: one victim's money -> that victim; lots\n"
      "that identify each victim -> by the lots; otherwise pro rata by loss.\n\n"
      "Example:\n  fanzha return plan --account 6222021234567890123");
  ret->require_subcommand(1);
  auto opts = std::make_shared<ReturnOptions>();
  CLI::App* cmd = ret->add_subcommand("plan", "split the money frozen at an account among the victims");
  AddDbOption(cmd, &opts->store);
  cmd->add_option("--account", opts->account, "the account where money is frozen")->required();
  cmd->add_flag("--json", opts->json, "JSON output");
  cmd->callback([opts] { RunReturn(*opts); });
}

}  // namespace fanzha::cli
