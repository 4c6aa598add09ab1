// fanzha case add: a fraud reported from a file, as POST /api/cases takes it (app/intake.h).
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>

#include "app/intake.h"
#include "cli/commands.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/text.h"
#include "link/from_store.h"

namespace fanzha::cli {
namespace {

// A report is a case and its first transfers: a few KiB. Anything far bigger is not one.
constexpr size_t kMaxReportBytes = 16 << 20;

struct CaseAddOptions {
  StoreOptions store;
  AuditFileOptions audit;
  std::string file = "-";
  bool json = false;
};

// At most `limit` + 1 bytes of `in`: enough for ParseJsonObject to refuse a document that is too
// large without the rest of it ever being held in memory.
std::string ReadAtMost(std::istream& in, size_t limit) {
  std::string text;
  char buf[65536];
  while (text.size() <= limit && in.read(buf, sizeof buf).gcount() > 0) {
    text.append(buf, static_cast<size_t>(in.gcount()));
  }
  if (text.size() > limit + 1) text.resize(limit + 1);
  return text;
}

// The report document of `path` ('-': standard input), checked as the server checks a body.
Result<nlohmann::json> ReadReport(const std::string& path) {
  std::string text;
  if (path == "-") {
    text = ReadAtMost(std::cin, kMaxReportBytes);
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Status::Io(path + ": cannot read").WithZh(path + "：无法读取");
    text = ReadAtMost(in, kMaxReportBytes);
  }
  if (text.size() > kMaxReportBytes) {  // the rest was never read
    const std::string limit = std::to_string(kMaxReportBytes);
    return Status(ErrorCode::kTooLarge, path + ": more than " + limit + " bytes, the limit")
        .WithZh(path + "：超出 " + limit + " 字节上限");
  }
  return ParseJsonObject(text, path, path, {.max_bytes = kMaxReportBytes});
}

void RunAdd(const CaseAddOptions& o) {
  nlohmann::json doc = ValueOrExit(ReadReport(o.file));
  app::Report report = ValueOrExit(app::ParseReport(doc), o.file);
  AuditedStore books = AuditedStore::OpenOrExit(o.store, o.audit);
  app::StoredReport stored;
  audit::Entry note;
  note.action = "case.create";
  note.target = report.c.id;
  note.reason = report.reason;
  books.Change(note, [&](audit::Entry& e) -> Status {
    FANZHA_ASSIGN_OR_RETURN(stored, app::StoreReport(books.store(), report));
    e.detail = "transfers added " + std::to_string(stored.added.size());
    return Status::Ok();
  });
  // A new case joins the stored clusters at once, as an imported one does (link/from_store.h).
  link::StoredLinkReport linked;
  if (stored.created) {
    ExitOnError(
        link::UpdateStoredLinks(books.store(), {}, false, SystemClock().Now(), &linked).status());
  }
  if (o.json) return PrintJson(app::ToJson(report, stored));
  const std::string added = std::to_string(stored.added.size());
  Tell("case " + report.c.id + " " +
           (stored.created ? "stored" : "already stored (nothing changed)") + ", " + added +
           " transfers added" + (linked.added ? ", linked with the stored cases" : ""),
       "案件 " + report.c.id + " " + (stored.created ? "已登记" : "此前已登记（无变化）") +
           "，新增转账 " + added + " 笔" + (linked.added ? "，已与库中案件串并" : ""));
}

}  // namespace

void RegisterCase(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand(
      "case",
      Help("A case from report to verdict: add a reported fraud (接警录入), move it through the "
           "justice\nprocess, attach suspects, export and verify its evidence package (证据材料).",
           "案件从接警到判决：接警录入诈骗案件，推进办案流程，\n"
           "关联嫌疑人，导出并校验证据材料包。"));
  cmd->require_subcommand(1);
  auto o = std::make_shared<CaseAddOptions>();
  CLI::App* add = cmd->add_subcommand(
      "add",
      Help("store a reported case with its payments, as POST /api/cases takes it:\n"
           "  {\"case\": {a cases.jsonl line}, \"transfers\": [transfers.csv rows as objects],\n"
           "   \"reason\": \"...\"}\n"
           "checked as the importers check files, audited, and linked with the stored cases.\n\n"
           "Examples:\n"
           "  fanzha case add report.json\n"
           "  curl -s ... | fanzha case add - --json",
           "录入接警案件及其转账流水，格式与 POST /api/cases 相同：\n"
           "  {\"case\": {cases.jsonl 的一行}, \"transfers\": [transfers.csv 的行，每行一个对象],\n"
           "   \"reason\": \"...\"}\n"
           "按导入文件的规则校验，写入审计日志，并与数据库中已有案件串并。\n\n"
           "示例：\n"
           "  fanzha case add report.json\n"
           "  curl -s ... | fanzha case add - --json"));
  AddDbOption(add, &o->store);
  AddAuditFileOptions(add, &o->audit);
  add->add_option("FILE", o->file,
                  Help("the report (JSON); '-' or absent: standard input",
                       "接警材料（JSON）；'-' 或省略：标准输入"));
  add->add_flag("--json", o->json,
                Help("{\"case\", \"created\", \"transfers_added\"}",
                     "输出 {\"case\", \"created\", \"transfers_added\"}"));
  add->callback([o] { RunAdd(*o); });
  RegisterCaseFile(cmd);
  RegisterCaseWork(cmd);
}

}  // namespace fanzha::cli
