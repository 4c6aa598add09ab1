// fanzha case queue|assign|note|attach|attachment|timeline: the work on cases (app/casework.h,
// casefile/work.h).
#include "app/casework.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "casefile/work.h"
#include "cli/commands.h"
#include "core/clock.h"
#include "core/text.h"
#include "region/region.h"

namespace fanzha::cli {
namespace casework_cmd {
namespace {

struct CaseWorkOptions {
  StoreOptions store;
  AuditFileOptions audit;
  std::string case_id, officer, note, text, file, name, kind = "other", media_type, out;
  // queue
  std::string region, stage, category, from, to, min_loss, max_loss, sort;
  bool has_officer = false, overdue = false;
  size_t limit = 50, offset = 0;
  int64_t seq = 0;
  bool json = false;
};

app::QueueFilter FilterOf(const CaseWorkOptions& o, CLI::App* cmd) {
  app::QueueFilter f;
  f.region = ValueOrExit(region::CodeOfCodeOrName(o.region), "--region");
  if (!o.stage.empty()) f.stage = ValueOrExit(casefile::ParseStage(o.stage), "--stage");
  f.category = o.category;
  if (!o.from.empty()) f.from = ValueOrExit(ParseTime(o.from), "--from");
  if (!o.to.empty()) f.to = ValueOrExit(ParseTime(o.to), "--to");
  if (!o.min_loss.empty()) f.min_loss = ValueOrExit(ParseMoney(o.min_loss), "--min-loss");
  if (!o.max_loss.empty()) f.max_loss = ValueOrExit(ParseMoney(o.max_loss), "--max-loss");
  if (cmd->count("--officer")) f.officer = o.officer == "none" ? "" : o.officer;
  f.overdue_only = o.overdue;
  return f;
}

void RunQueue(const CaseWorkOptions& o, CLI::App* cmd) {
  app::QueueFilter filter = FilterOf(o, cmd);
  app::QueueOrder order = ValueOrExit(app::ParseQueueOrder(o.sort), "--sort");
  auto store = OpenStoreOrExit(o.store);
  nlohmann::ordered_json page =
      ValueOrExit(app::Queue(*store, filter, order, o.limit, o.offset, SystemClock().Now()));
  if (o.json) return PrintJson(page);
  const size_t shown = page["cases"].size();
  const std::string total = std::to_string(page["total"].get<int64_t>());
  Tell(std::to_string(shown) + " of " + total + " cases",
       "共 " + total + " 起，显示 " + std::to_string(shown) + " 起");
  const bool en = OutputLang() == Lang::kEn;
  for (const auto& c : page["cases"]) {
    const std::string loss =
        c["loss"].is_null() ? "-" : FormatMoneyGrouped(*ParseMoney(c["loss"].get<std::string>()));
    auto text = [&](const char* key) { return c[key].get<std::string>(); };
    const std::string officer = text("officer");
    const std::string line =
        Pad(text("id"), 18) + " " + text("reported_at").substr(0, 10) + "  " + text("region") +
        " " + Pad(text("region_name"), 14) + "  " + Pad(text(en ? "category" : "category_zh"), 12) +
        " " + Pad(loss, 16, false) + "  " + text(en ? "stage" : "stage_zh") +
        (c["overdue"].get<bool>() ? " " + SayInline(OutputLang(), "overdue", "已超期") : "") +
        "  " + (officer.empty() ? SayInline(OutputLang(), "unassigned", "未指派") : officer);
    std::printf("%s\n", line.c_str());
  }
}

void RunAssign(const CaseWorkOptions& o) {
  CheckCaseOption(o.case_id, "--case");
  AuditedStore books = AuditedStore::OpenOrExit(o.store, o.audit);
  audit::Entry note;
  note.action = "case.assign";
  note.target = o.case_id;
  note.reason = o.note;
  casefile::Assignment a;
  books.Change(note, [&](audit::Entry& e) -> Status {
    // The command line holds the store: it assigns as a centre does.
    FANZHA_ASSIGN_OR_RETURN(a, app::AssignCase(books.store(), o.case_id, o.officer, o.note,
                                               {CommandLineUser(), true}, SystemClock().Now()));
    e.detail = a.officer.empty() ? "taken back" : "to " + a.officer;
    return Status::Ok();
  });
  if (o.json) return PrintJson(casefile::ToJson(a));
  if (a.officer.empty()) {
    Tell("case " + o.case_id + " taken back: nobody has it",
         "案件 " + o.case_id + " 已收回，当前无人承办");
  } else {
    Tell("case " + o.case_id + " assigned to " + a.officer,
         "案件 " + o.case_id + " 已指派给 " + a.officer);
  }
}

void RunNote(const CaseWorkOptions& o) {
  CheckCaseOption(o.case_id, "--case");
  AuditedStore books = AuditedStore::OpenOrExit(o.store, o.audit);
  audit::Entry note;
  note.action = "case.note";
  note.target = o.case_id;
  casefile::CaseNote n;
  books.Change(note, [&](audit::Entry& e) -> Status {
    FANZHA_ASSIGN_OR_RETURN(
        n, casefile::WorkBook(books.store())
               .AddNote(o.case_id, o.text, CommandLineUser(), SystemClock().Now()));
    e.detail = "note " + std::to_string(n.seq);
    return Status::Ok();
  });
  if (o.json) return PrintJson(casefile::ToJson(n));
  Tell("note " + std::to_string(n.seq) + " added to case " + o.case_id,
       "已为案件 " + o.case_id + " 添加备注 " + std::to_string(n.seq));
}

std::string ReadFileOrExit(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    ExitOnError(
        Status::Io("cannot read " + path).WithZh("无法读取文件 " + path).WithContext("--file"));
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

void RunAttach(const CaseWorkOptions& o) {
  CheckCaseOption(o.case_id, "--case");
  casefile::AttachmentKind kind = ValueOrExit(casefile::ParseAttachmentKind(o.kind), "--kind");
  const std::string content = ReadFileOrExit(o.file);
  const std::string name =
      o.name.empty() ? std::filesystem::path(o.file).filename().string() : o.name;
  AuditedStore books = AuditedStore::OpenOrExit(o.store, o.audit);
  audit::Entry note;
  note.action = "case.attach";
  note.target = o.case_id;
  casefile::Attachment a;
  books.Change(note, [&](audit::Entry& e) -> Status {
    FANZHA_ASSIGN_OR_RETURN(a, casefile::WorkBook(books.store())
                                   .Attach(o.case_id, kind, name, o.media_type, content,
                                           CommandLineUser(), SystemClock().Now()));
    e.detail = "attachment " + std::to_string(a.seq) + " sha256 " + a.sha256;
    return Status::Ok();
  });
  if (o.json) return PrintJson(casefile::ToJson(a));
  const std::string seq = std::to_string(a.seq), bytes = std::to_string(a.bytes);
  Tell("attachment " + seq + " of case " + o.case_id + ": " + a.name + ", " + bytes +
           " bytes, SHA-256 " + a.sha256,
       "案件 " + o.case_id + " 附件 " + seq + "（" + std::string(casefile::ChineseName(a.kind)) +
           "）已保存：" + a.name + "，" + bytes + " 字节，SHA-256 " + a.sha256);
}

void RunAttachment(const CaseWorkOptions& o) {
  CheckCaseOption(o.case_id, "--case");
  auto store = OpenStoreOrExit(o.store);
  casefile::WorkBook work(*store);
  if (o.seq == 0) {
    auto files = ValueOrExit(work.Attachments(o.case_id));
    if (o.json) {
      nlohmann::ordered_json list = nlohmann::ordered_json::array();
      for (const auto& f : files) list.push_back(casefile::ToJson(f));
      return PrintJson({{"case", o.case_id}, {"attachments", list}});
    }
    if (files.empty())
      Tell("case " + o.case_id + " has no attachment", "案件 " + o.case_id + " 没有附件");
    for (const auto& f : files) {
      std::printf("%3lld  %-8s %-40s %10lld  %s  %s  %s\n", static_cast<long long>(f.seq),
                  std::string(casefile::ChineseName(f.kind)).c_str(), f.name.c_str(),
                  static_cast<long long>(f.bytes), ShownTime(f.at).c_str(), f.by.c_str(),
                  f.sha256.c_str());
    }
    return;
  }
  casefile::Attachment meta;
  const std::string content = ValueOrExit(work.Content(o.case_id, o.seq, &meta));
  const std::string out = o.out.empty() ? meta.name : o.out;
  if (std::filesystem::exists(out)) {
    ExitOnError(Status::Conflict(out + " exists: give --out another file")
                    .WithZh(out + " 已存在：请用 --out 指定其他文件"));
  }
  std::ofstream f(out, std::ios::binary);
  f.write(content.data(), static_cast<std::streamsize>(content.size()));
  if (!f.flush()) ExitOnError(Status::Io("cannot write " + out).WithZh("无法写入 " + out));
  Tell(
      out + ": " + std::to_string(content.size()) + " bytes, SHA-256 " + meta.sha256 + " (checked)",
      "已保存 " + out + "：" + std::to_string(content.size()) + " 字节（SHA-256 " + meta.sha256 +
          " 已核对）");
}

void RunTimeline(const CaseWorkOptions& o) {
  CheckCaseOption(o.case_id, "--case");
  auto store = OpenStoreOrExit(o.store);
  nlohmann::ordered_json t = ValueOrExit(app::Timeline(*store, o.case_id, SystemClock().Now()));
  if (o.json) return PrintJson(t);
  // One line per event: time, what happened, who, the detail (the kind is in --json). Both
  // languages on one line, "中文 / English", when both are asked for.
  auto text = [](const nlohmann::ordered_json& e, const char* en, const char* zh) {
    const std::string e_en = e[en].get<std::string>(), e_zh = e[zh].get<std::string>();
    if (OutputLang() != Lang::kBoth) return Say(OutputLang(), e_en, e_zh);
    return e_zh == e_en ? e_en : e_zh + " / " + e_en;
  };
  for (const auto& e : t["events"]) {
    const std::string what = text(e, "what", "what_zh"), detail = text(e, "detail", "detail_zh");
    const std::string by = e["by"].get<std::string>();
    Result<Millis> at = ParseTime(e["at"].get<std::string>());
    std::printf("%s  %s%s%s%s%s\n",
                at.ok() ? FormatMinute(*at).c_str() : e["at"].get<std::string>().c_str(),
                what.c_str(), by.empty() ? "" : "  ", by.c_str(), detail.empty() ? "" : "  ",
                detail.c_str());
  }
}

}  // namespace
}  // namespace casework_cmd

void RegisterCaseWork(CLI::App* cmd) {
  using namespace casework_cmd;  // NOLINT: the commands of this file
  auto o = std::make_shared<CaseWorkOptions>();
  CLI::App* queue = cmd->add_subcommand(
      "queue", Help("the cases to work (案件列表), filtered and sorted, a page at a time.\n\n"
                    "Examples:\n"
                    "  fanzha case queue --region 杭州市 --stage investigating --sort loss_desc\n"
                    "  fanzha case queue --officer none --from 2026-11-01T00:00:00+08:00\n"
                    "  fanzha case queue --overdue --json",
                    "待办案件列表：可筛选、排序，分页列出。\n\n"
                    "示例：\n"
                    "  fanzha case queue --region 杭州市 --stage investigating --sort loss_desc\n"
                    "  fanzha case queue --officer none --from 2026-11-01T00:00:00+08:00\n"
                    "  fanzha case queue --overdue --json"));
  AddDbOption(queue, &o->store);
  queue->add_option("--region", o->region,
                    Help("a division's code or name: it and those within it",
                         "行政区划代码或名称：含其下辖区划"));
  queue->add_option(
      "--stage", o->stage,
      Help("the justice stage (English or Chinese name)", "办案阶段（英文或中文名称）"));
  queue->add_option(
      "--category", o->category,
      Help("the fraud type's key (investment, ...)", "诈骗类型的键名（investment 等）"));
  queue->add_option("--from", o->from,
                    Help("reported at or after (RFC 3339)", "报案时间不早于（RFC 3339）"));
  queue->add_option("--to", o->to, Help("reported before (RFC 3339)", "报案时间早于（RFC 3339）"));
  queue->add_option("--min-loss", o->min_loss,
                    Help("loss at least (yuan)", "损失金额不低于（元）"));
  queue->add_option("--max-loss", o->max_loss, Help("loss at most (yuan)", "损失金额不高于（元）"));
  queue->add_option("--officer", o->officer,
                    Help("who has the case; none: nobody", "承办民警；none：尚未指派"));
  queue->add_flag(
      "--overdue", o->overdue,
      Help("only cases whose stage's legal clock ran out", "只列当前阶段已超过办案期限的案件"));
  queue->add_option("--sort", o->sort,
                    Help("newest (default), oldest, loss_desc, loss_asc, id, worked",
                         "newest（最新报案在前，默认）、oldest（最早报案在前）、"
                         "loss_desc（损失从高到低）、loss_asc（损失从低到高）、id（编号）、"
                         "worked（最近办理的在前）"));
  queue->add_option("--limit", o->limit, Help("rows per page (default 50)", "每页行数（默认 50）"));
  queue->add_option("--offset", o->offset, Help("rows to skip", "跳过的行数"));
  queue->add_flag("--json", o->json,
                  Help("{cases: [...], total} as GET /api/cases answers",
                       "输出 {cases: [...], total}，与 GET /api/cases 的应答相同"));
  queue->callback([o, queue] { RunQueue(*o, queue); });

  CLI::App* assign = cmd->add_subcommand(
      "assign",
      Help(
          "give a case to an officer (a user who may work its region), or take it back with\n"
          "--officer \"\" (audited).\n\nExample:\n  fanzha case assign --case HZ1 --officer li.wei",
          "把案件指派给民警（有权办理该辖区案件的用户），或用 --officer \"\" 收回\n"
          "（记入审计日志）。\n\n"
          "示例：\n"
          "  fanzha case assign --case HZ1 --officer li.wei"));
  AddDbOption(assign, &o->store);
  AddAuditFileOptions(assign, &o->audit);
  assign->add_option("--case", o->case_id, Help("the case", "案件编号"))->required();
  assign
      ->add_option("--officer", o->officer,
                   Help("the user; \"\" takes the case back", "承办用户；\"\" 表示收回案件"))
      ->required();
  assign->add_option("--note", o->note, Help("why", "原因"));
  assign->add_flag("--json", o->json, Help("the assignment as JSON", "以 JSON 输出指派结果"));
  assign->callback([o] { RunAssign(*o); });

  CLI::App* note = cmd->add_subcommand("note", Help("add a note to a case (audited; never edited)",
                                                    "为案件添加备注（记入审计日志；不可修改）"));
  AddDbOption(note, &o->store);
  AddAuditFileOptions(note, &o->audit);
  note->add_option("--case", o->case_id, Help("the case", "案件编号"))->required();
  note->add_option("--text", o->text,
                   Help("the note (at most 4,000 bytes)", "备注内容（最多 4,000 字节）"))
      ->required();
  note->add_flag("--json", o->json, Help("the note as JSON", "以 JSON 输出备注"));
  note->callback([o] { RunNote(*o); });

  CLI::App* attach = cmd->add_subcommand(
      "attach",
      Help("store a file with a case, with its SHA-256 (audited; at most 20 MiB).\n\nExample:\n"
           "  fanzha case attach --case HZ1 --kind 法律文书 --file 立案决定书.pdf",
           "把文件存入案件，附 SHA-256（记入审计日志；最大 20 MiB）。\n\n"
           "示例：\n"
           "  fanzha case attach --case HZ1 --kind 法律文书 --file 立案决定书.pdf"));
  AddDbOption(attach, &o->store);
  AddAuditFileOptions(attach, &o->audit);
  attach->add_option("--case", o->case_id, Help("the case", "案件编号"))->required();
  attach->add_option("--file", o->file, Help("the file to store", "要存入的文件"))->required();
  attach->add_option("--kind", o->kind,
                     Help("report_material 报案材料, legal_document 法律文书, other 其他 (default)",
                          "文件类别：report_material（报案材料）、"
                          "legal_document（法律文书）、other（其他，默认）"));
  attach->add_option(
      "--name", o->name,
      Help("the name to keep (default: the file's)", "保存的文件名（默认：原文件名）"));
  attach->add_option("--media-type", o->media_type,
                     Help("e.g. application/pdf (a hint only)", "如 application/pdf（仅作提示）"));
  attach->add_flag("--json", o->json, Help("the attachment as JSON", "以 JSON 输出附件信息"));
  attach->callback([o] { RunAttach(*o); });

  CLI::App* get = cmd->add_subcommand(
      "attachment", Help("list a case's attachments, or with --seq write one to a file, checked "
                         "against its SHA-256",
                         "列出案件的附件；加 --seq 则把其中一个写入文件，并用 SHA-256 校验"));
  AddDbOption(get, &o->store);
  get->add_option("--case", o->case_id, Help("the case", "案件编号"))->required();
  get->add_option(
      "--seq", o->seq,
      Help("the attachment's number (omit to list them)", "附件序号（省略则列出全部附件）"));
  get->add_option("--out", o->out,
                  Help("the file to write (default: the stored name; never replaced)",
                       "写入的文件（默认：保存时的文件名；不覆盖已有文件）"));
  get->add_flag("--json", o->json, Help("the list as JSON", "以 JSON 输出列表"));
  get->callback([o] { RunAttachment(*o); });

  CLI::App* timeline = cmd->add_subcommand(
      "timeline",
      Help("everything that happened to a case, oldest first: report, traces, statement queries,\n"
           "stages, suspects, assignments, notes, files, orders and the banks' answers, leads,\n"
           "takedowns, links",
           "案件经历的全部事项，从早到晚：报案、资金追踪、流水查询、办案阶段、\n"
           "嫌疑人、指派、备注、文件、止付冻结指令及银行反馈、线索、封停、串并"));
  AddDbOption(timeline, &o->store);
  timeline->add_option("--case", o->case_id, Help("the case", "案件编号"))->required();
  timeline->add_flag(
      "--json", o->json,
      Help("{case, events: [{at, kind, what, what_zh, by, detail, detail_zh, ref}]}",
           "输出 {case, events: [{at, kind, what, what_zh, by, detail, detail_zh, ref}]}"));
  timeline->callback([o] { RunTimeline(*o); });
}

}  // namespace fanzha::cli
