// fanzha takedown: requests to block fraud sites, numbers and accounts, by platform (takedown.h).
#include "takedown/takedown.h"

#include <cstdio>
#include <fstream>

#include "cli/commands.h"
#include "core/clock.h"
#include "core/json.h"
#include "dispatch/dispatch.h"

namespace fanzha::cli {
namespace {

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) ExitOnError(Status::Io(path + ": cannot write").WithZh(path + "：无法写入"));
}

// A request's kind and state as the dashboard names them, in the chosen language.
std::string KindText(takedown::Kind k) {
  return SayInline(OutputLang(), takedown::Name(k), IdentifierTypeInChinese(takedown::Name(k)));
}
std::string StateText(takedown::State s) {
  return SayInline(OutputLang(), takedown::Name(s), takedown::ChineseName(s));
}

struct TakedownOptions {
  StoreOptions store;
  AuditFileOptions audit;
  std::string platform, state, kind, csv, stix;
  bool make = false;
  bool json = false;
};

void RunList(const TakedownOptions& o) {
  AuditedStore books = AuditedStore::OpenOrExit(o.store, o.audit);
  store::Store* store = &books.store();
  takedown::TakedownBook book(store->sql());
  const Millis now = SystemClock().Now();
  if (o.make) {
    dispatch::LeadBook leads(store->sql());
    auto all = leads.List({}, now);
    ExitOnError(all.status());
    int64_t added = 0;
    audit::Entry note;
    note.action = "takedown.create";
    note.target = std::to_string(all->size()) + " leads";
    books.Change(note, [&](audit::Entry& e) -> Status {
      FANZHA_ASSIGN_OR_RETURN(added, book.FromLeads(*all, now));
      e.detail = std::to_string(added) + " new requests";
      return Status::Ok();
    });
    const std::string n = std::to_string(added), leads_n = std::to_string(all->size());
    std::fprintf(stderr, "%s\n",
                 Say(OutputLang(), n + " new takedown requests from " + leads_n + " leads",
                     "根据 " + leads_n + " 条线索新增 " + n + " 条封停请求")
                     .c_str());
  }
  takedown::Filter f;
  f.platform = o.platform;
  if (!o.state.empty()) {
    f.state = ValueOrExit(takedown::ParseState(o.state), "--state");
  }
  if (!o.kind.empty()) {
    f.kind = ValueOrExit(takedown::ParseKind(o.kind), "--kind");
  }
  auto list = book.List(f);
  ExitOnError(list.status());
  if (!o.csv.empty()) WriteFile(o.csv, takedown::ToCsv(*list));
  if (!o.stix.empty()) WriteFile(o.stix, DumpJson(takedown::ToStix(*list, now), 2) + "\n");
  if (o.json) {
    PrintJson(takedown::ToStix(*list, now));
    return;
  }
  const Lang lang = OutputLang();
  const bool both = lang == Lang::kBoth;
  const std::string lead = SayInline(lang, "lead", "线索");
  std::string platform;
  for (const takedown::Request& r : *list) {
    if (r.platform != platform) {
      platform = r.platform;
      std::printf("%s\n", SayInline(lang, platform, takedown::PlatformInChinese(platform)).c_str());
    }
    std::printf("  %6lld  %s %-40s %s %s %lld %s\n", static_cast<long long>(r.id),
                Pad(KindText(r.kind), both ? 14 : 7).c_str(), r.value.c_str(),
                Pad(StateText(r.state), both ? 17 : 10).c_str(), lead.c_str(),
                static_cast<long long>(r.lead_id), r.reason.c_str());
  }
}

struct TakedownMoveOptions {
  StoreOptions store;
  AuditFileOptions audit;
  int64_t id = 0;
  std::string to, reason;
};

void RunTakedownMove(const TakedownMoveOptions& o) {
  AuditedStore books = AuditedStore::OpenOrExit(o.store, o.audit);
  auto to = takedown::ParseState(o.to);
  ExitOnError(to.status().WithContext("--to"));
  takedown::TakedownBook book(books.store().sql());
  audit::Entry note;
  note.action = "takedown.move";
  note.target = "takedown " + std::to_string(o.id);
  note.reason = o.reason;
  note.detail = "-> " + o.to;
  books.Change(note,
               [&](audit::Entry&) { return book.Move(o.id, *to, o.reason, SystemClock().Now()); });
  const std::string id = std::to_string(o.id);
  Tell("takedown " + id + ": " + std::string(takedown::Name(*to)),
       "封停请求 " + id + "：" + std::string(takedown::ChineseName(*to)));
}

}  // namespace

void RegisterTakedown(CLI::App& app) {
  auto o = std::make_shared<TakedownOptions>();
  CLI::App* cmd = app.add_subcommand(
      "takedown", Help("Requests to block fraud domains, URLs, numbers and accounts, by platform.",
                       "按平台列出对涉诈域名、网址、号码和账号的封停请求。"));
  cmd->footer(Help(
      "Examples:\n"
      "  fanzha takedown --make                      # requests for the identifiers of the "
      "leads\n"
      "  fanzha takedown --platform \"China Mobile\" --state requested --csv mobile.csv\n"
      "  fanzha takedown --stix bundle.json          # STIX 2.1: indicators and observables\n"
      "  fanzha takedown move 12 --to sent           # -> blocked | refused --reason R",
      "示例：\n"
      "  fanzha takedown --make                      # 为线索中的标识生成封停请求\n"
      "  fanzha takedown --platform \"China Mobile\" --state requested --csv mobile.csv\n"
      "  fanzha takedown --stix bundle.json          # STIX 2.1：威胁指标和可观测对象\n"
      "  fanzha takedown move 12 --to sent           # 之后 -> blocked，或 refused --reason R"));
  AddDbOption(cmd, &o->store);
  AddAuditFileOptions(cmd, &o->audit);
  cmd->add_flag("--make", o->make,
                Help("first add requests for the identifiers of the dispatched leads",
                     "先为已推送线索中的标识添加封停请求"));
  cmd->add_option("--platform", o->platform, Help("only this platform", "只列出此平台的请求"));
  cmd->add_option("--state", o->state,
                  Help("requested|sent|blocked|refused", "状态：requested|sent|blocked|refused"));
  cmd->add_option("--kind", o->kind,
                  Help("domain|url|phone|wechat|qq|alipay|email",
                       "标识类型：domain|url|phone|wechat|qq|alipay|email"));
  cmd->add_option("--csv", o->csv,
                  Help("write the requests as CSV to this file", "将请求以 CSV 格式写入此文件"));
  cmd->add_option("--stix", o->stix,
                  Help("write the requests as a STIX 2.1 bundle to this file",
                       "将请求以 STIX 2.1 数据包写入此文件"));
  cmd->add_flag("--json", o->json, Help("print the STIX 2.1 bundle", "输出 STIX 2.1 数据包"));
  auto m = std::make_shared<TakedownMoveOptions>();
  CLI::App* move = cmd->add_subcommand(
      "move", Help("Record a platform's answer to a request.", "记录平台对封停请求的答复。"));
  AddDbOption(move, &m->store);
  AddAuditFileOptions(move, &m->audit);
  move->add_option("id", m->id, Help("request id", "请求编号"))->required();
  move->add_option("--to", m->to, Help("sent|blocked|refused", "新状态：sent|blocked|refused"))
      ->required();
  move->add_option("--reason", m->reason, Help("why refused", "被拒绝的原因"));
  move->callback([m] { RunTakedownMove(*m); });
  cmd->callback([o, cmd] {
    if (cmd->get_subcommands().empty()) RunList(*o);
  });
}

}  // namespace fanzha::cli
