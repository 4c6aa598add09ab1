// fanzha case export|verify|key|move|suspect|process: the case file (casefile/casefile.h,
// casefile/stages.h).
#include "casefile/casefile.h"

#include <cstdio>
#include <fstream>
#include <memory>

#include "casefile/pdf.h"
#include "casefile/stages.h"
#include "cli/commands.h"
#include "core/clock.h"
#include "core/text.h"
#include "ledger/ledger.h"

namespace fanzha::cli {
namespace {

struct CaseFileOptions {
  StoreOptions store;
  AuditFileOptions audit;
  std::string case_id, out, dir, key_file, trusted, chromium;
  bool no_pdf = false;
  std::vector<std::string> policies = {"fifo", "lifo", "haircut", "poison"};
  int max_hops = 8;
  // move / suspect
  std::string to, at, document, note, name, identifier, role = "other", detained_at;
  bool json = false;
};

std::string KeyFileOf(const CaseFileOptions& o) {
  return o.key_file.empty() ? casefile::DefaultKeyFile(store::Store::SideFiles(o.store.db))
                            : o.key_file;
}

Millis TimeOption(const std::string& text, const std::string& option, Millis absent) {
  return text.empty() ? absent : ValueOrExit(ParseTime(text), option);
}

// Traces on the store's ledger, loaded once and only when a case lists payments.
casefile::Tracer LedgerTracer(store::Store& store) {
  auto ledger = std::make_shared<std::unique_ptr<ledger::Ledger>>();
  return [&store, ledger](const Case& c, const trace::Options& o) -> Result<trace::Answer> {
    if (!*ledger) {
      std::fprintf(stderr, "%s\n",
                   Say(OutputLang(), "loading the ledger ...", "正在加载账本……").c_str());
      FANZHA_ASSIGN_OR_RETURN(*ledger, ledger::Ledger::Load(store));
    }
    FANZHA_ASSIGN_OR_RETURN(std::vector<trace::Seed> seeds, trace::SeedsOfCase(**ledger, c));
    return trace::Trace(**ledger, seeds, o);
  };
}

void RunExport(const CaseFileOptions& o) {
  CheckCaseOption(o.case_id, "--case");
  casefile::SigningKey key =
      ValueOrExit(casefile::SigningKey::Load(KeyFileOf(o), /*create=*/true), "--signing-key");
  AuditedStore books = AuditedStore::OpenOrExit(o.store, o.audit);
  casefile::ExportOptions eo;
  eo.case_id = o.case_id;
  eo.out = o.out;
  eo.policies.clear();
  for (const std::string& p : o.policies)
    eo.policies.push_back(ValueOrExit(trace::ParsePolicy(p), "--policy"));
  eo.trace.max_hops = o.max_hops;
  eo.tracer = LedgerTracer(books.store());
  eo.exported_by = CommandLineUser();
  if (!o.no_pdf)
    eo.render_pdf =
        casefile::ChromiumPdf(ValueOrExit(casefile::FindChromium(o.chromium), "--chromium"));
  eo.audit_key = &books.key();
  // Audited first, as every read of a case is: the entry says who took the case's data, where.
  audit::Entry note;
  note.action = "case.export";
  note.target = o.case_id;
  note.detail = "to " + o.out;
  books.Change(note, [](audit::Entry&) { return Status::Ok(); });
  casefile::Exported done =
      ValueOrExit(casefile::Export(books.store(), eo, key, SystemClock().Now()));
  if (o.json) {
    nlohmann::ordered_json files = nlohmann::ordered_json::array();
    for (const auto& f : done.files)
      files.push_back({{"path", f.path}, {"bytes", f.bytes}, {"sha256", f.sha256}});
    return PrintJson({{"dir", done.dir},
                      {"signing_key", done.signing_key},
                      {"files", files},
                      {"trace_flows", done.trace_flows},
                      {"linked_cases", done.linked_cases},
                      {"audit_entries", done.audit_entries}});
  }
  const std::string files = std::to_string(done.files.size()),
                    flows = std::to_string(done.trace_flows),
                    linked = std::to_string(done.linked_cases),
                    entries = std::to_string(done.audit_entries),
                    verify = "fanzha case verify " + done.dir + " --key " + done.signing_key;
  Tell("case " + o.case_id + " exported to " + done.dir + ": " + files + " files, signed by " +
           done.signing_key,
       "案件 " + o.case_id + " 证据材料已导出至 " + done.dir + "：" + files + " 个文件，签名公钥 " +
           done.signing_key);
  Tell("  trace flows " + flows + ", cases in its gang " + linked + ", audit entries " + entries,
       "  资金流转 " + flows + " 笔，所属团伙案件 " + linked + " 起，审计记录 " + entries + " 条");
  Tell("check it with: " + verify, "校验：" + verify);
}

// --key: 64 hex digits, or a file holding them (what `fanzha case key` printed).
std::string TrustedKey(const std::string& given) {
  if (given.empty() || given.size() == 64) return given;
  std::ifstream in(given);
  std::string line;
  if (!in || !std::getline(in, line)) {
    ExitOnError(
        Status::Invalid("--key: neither 64 hex digits nor a readable file: " + Excerpt(given))
            .WithZh("--key：既不是 64 位十六进制公钥，也不是可读的文件：" + Excerpt(given)));
  }
  return std::string(Trim(line));
}

void RunVerify(const CaseFileOptions& o) {
  casefile::Verification v = ValueOrExit(casefile::Verify(o.dir, TrustedKey(o.trusted)));
  if (o.json) {
    PrintJson({{"ok", v.ok},
               {"case", v.case_id},
               {"signing_key", v.signing_key},
               {"key_trusted", v.key_trusted},
               {"files", v.files},
               {"first_bad", v.first_bad},
               {"problem", v.problem},
               {"problem_zh", v.problem_zh}});
  } else if (v.ok) {
    const std::string files = std::to_string(v.files);
    Tell(o.dir + ": case " + v.case_id + ", " + files + " files, signature and every SHA-256 match",
         o.dir + "：案件 " + v.case_id + "，" + files + " 个文件，签名与各文件 SHA-256 均一致");
    if (!v.key_trusted) {
      Tell("signed by the key the package names, " + v.signing_key +
               ": compare it with the platform's (--key)",
           "签名公钥取自材料包本身（" + v.signing_key + "），请与平台公布的公钥核对（--key）");
    }
  } else {
    Tell(o.dir + ": NOT VALID: " + v.first_bad + ": " + v.problem,
         o.dir + "：校验未通过：" + v.first_bad + "：" + v.problem_zh);
  }
  if (!v.ok) throw CLI::RuntimeError(ExitCode(ErrorCode::kInvalidInput));
}

void RunKey(const CaseFileOptions& o) {
  casefile::SigningKey key =
      ValueOrExit(casefile::SigningKey::Load(KeyFileOf(o), /*create=*/true), "--signing-key");
  std::printf("%s\n", key.public_hex().c_str());
}

// A stage, a suspect's role: the code in English, the Chinese name in Chinese.
template <typename T>
std::string NameIn(Lang lang, T value) {
  return SayInline(lang, casefile::Name(value), casefile::ChineseName(value));
}

// A legal clock's state: overdue, running out soon, or just running.
std::string ClockIn(Lang lang, const casefile::Deadline& d) {
  return d.overdue ? SayInline(lang, "OVERDUE", "已超期")
         : d.soon  ? SayInline(lang, "SOON", "即将到期")
                   : SayInline(lang, "clock", "期限");
}

void PrintProcess(const casefile::CaseProcess& p) {
  const Lang lang = OutputLang();
  const std::string since = ShownTime(p.since);
  Tell("case " + p.case_id + " is at " + std::string(casefile::Name(p.stage)) + " (" +
           std::string(casefile::ChineseName(p.stage)) + ") since " + since,
       "案件 " + p.case_id + " 处于" + std::string(casefile::ChineseName(p.stage)) + "阶段，自 " +
           since + " 起");
  const std::string by = SayInline(lang, "by", "经办"),
                    document = SayInline(lang, "document", "文书"),
                    back = SayInline(lang, " (back)", "（退回）");
  for (const auto& m : p.moves) {
    std::printf("  %lld. %s %s -> %s%s  %s %s  %s %s%s%s\n", static_cast<long long>(m.seq),
                ShownTime(m.at).c_str(), NameIn(lang, m.from).c_str(), NameIn(lang, m.to).c_str(),
                m.back ? back.c_str() : "", by.c_str(), m.by.c_str(), document.c_str(),
                m.document.empty() ? "-" : m.document.c_str(), m.note.empty() ? "" : "  ",
                m.note.c_str());
  }
  const std::string suspect = SayInline(lang, "suspect", "嫌疑人"),
                    detained = SayInline(lang, "detained", "拘留于");
  for (const auto& s : p.suspects) {
    std::printf("  %s %s (%s) %s%s%s%s\n", suspect.c_str(), s.name.c_str(),
                NameIn(lang, s.role).c_str(), s.identifier.c_str(), s.detained_at ? "  " : "",
                s.detained_at ? (detained + " ").c_str() : "",
                s.detained_at ? ShownTime(*s.detained_at).c_str() : "");
  }
  for (const auto& d : p.deadlines) {
    const std::string who = d.suspect.empty() ? "" : " " + d.suspect, due = ShownTime(d.due);
    std::printf("  %s %s\n", ClockIn(lang, d).c_str(),
                SayInline(lang, d.what + who + ": due " + due + " (" + d.article + ")",
                          d.what_zh + who + "：应于 " + due + " 前（" + d.article + "）")
                    .c_str());
  }
}

void RunProcess(const CaseFileOptions& o) {
  CheckCaseOption(o.case_id, "--case");
  auto store = OpenStoreOrExit(o.store);
  casefile::CaseProcess p =
      ValueOrExit(casefile::StageBook(*store).Process(o.case_id, SystemClock().Now()));
  if (o.json) return PrintJson(casefile::ToJson(p));
  PrintProcess(p);
}

void RunDue(const CaseFileOptions& o) {
  auto store = OpenStoreOrExit(o.store);
  auto due = ValueOrExit(casefile::StageBook(*store).Due(SystemClock().Now()));
  if (o.json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& d : due) {
      list.push_back({{"case", d.case_id},
                      {"stage", casefile::Name(d.stage)},
                      {"what", d.deadline.what},
                      {"what_zh", d.deadline.what_zh},
                      {"suspect", d.deadline.suspect},
                      {"due", FormatTime(d.deadline.due)},
                      {"overdue", d.deadline.overdue}});
    }
    return PrintJson({{"due", list}});
  }
  if (due.empty()) {
    Tell("no legal clock runs out soon", "近期没有到期的办案期限");
    return;
  }
  const Lang lang = OutputLang();
  const std::string due_label = SayInline(lang, "due", "应于");
  for (const auto& d : due) {
    const std::string& what = lang == Lang::kEn ? d.deadline.what : d.deadline.what_zh;
    const std::string line = Pad(d.case_id, 20) + " " + Pad(NameIn(lang, d.stage), 14) + " " +
                             ClockIn(lang, d.deadline) + " " + what +
                             (d.deadline.suspect.empty() ? "" : " ") + d.deadline.suspect + "  " +
                             due_label + " " + ShownTime(d.deadline.due) + "  " +
                             d.deadline.article;
    std::printf("%s\n", line.c_str());
  }
}

void RunMove(const CaseFileOptions& o) {
  CheckCaseOption(o.case_id, "--case");
  casefile::Stage to = ValueOrExit(casefile::ParseStage(o.to), "--to");
  const Millis now = SystemClock().Now();
  const Millis at = TimeOption(o.at, "--at", now);
  AuditedStore books = AuditedStore::OpenOrExit(o.store, o.audit);
  audit::Entry note;
  note.action = "case.stage";
  note.target = o.case_id;
  note.reason = o.note;
  casefile::StageMove m;
  books.Change(note, [&](audit::Entry& e) -> Status {
    FANZHA_ASSIGN_OR_RETURN(
        m, casefile::StageBook(books.store())
               .Move(o.case_id, to, at, CommandLineUser(), o.document, o.note, now));
    e.detail = std::string(casefile::Name(m.from)) + " -> " + std::string(casefile::Name(m.to)) +
               " " + m.document;
    return Status::Ok();
  });
  if (o.json) return PrintJson(casefile::ToJson(m));
  Tell("case " + o.case_id + ": " + std::string(casefile::Name(m.from)) + " -> " +
           std::string(casefile::Name(m.to)) + (m.back ? " (a move back, recorded as one)" : ""),
       "案件 " + o.case_id + "：" + std::string(casefile::ChineseName(m.from)) + " -> " +
           std::string(casefile::ChineseName(m.to)) + (m.back ? "（退回，已记录）" : ""));
}

void RunSuspect(const CaseFileOptions& o) {
  CheckCaseOption(o.case_id, "--case");
  casefile::Suspect s;
  s.case_id = o.case_id;
  s.name = o.name;
  s.identifier = o.identifier;
  s.role = ValueOrExit(casefile::ParseSuspectRole(o.role), "--role");
  if (!o.detained_at.empty())
    s.detained_at = ValueOrExit(ParseTime(o.detained_at), "--detained-at");
  s.by = CommandLineUser();
  AuditedStore books = AuditedStore::OpenOrExit(o.store, o.audit);
  audit::Entry note;
  note.action = "case.suspect";
  note.target = o.case_id;
  books.Change(note, [&](audit::Entry& e) -> Status {
    FANZHA_ASSIGN_OR_RETURN(s, casefile::StageBook(books.store()).Attach(s, SystemClock().Now()));
    e.detail = s.name + " " + std::string(casefile::Name(s.role));
    return Status::Ok();
  });
  if (o.json) return PrintJson(casefile::ToJson(s));
  Tell("suspect " + s.name + " attached to case " + o.case_id + " as " +
           std::string(casefile::Name(s.role)),
       "嫌疑人 " + s.name + " 已关联至案件 " + o.case_id + "（" +
           std::string(casefile::ChineseName(s.role)) + "）");
}

}  // namespace

void RegisterCaseFile(CLI::App* cmd) {
  auto o = std::make_shared<CaseFileOptions>();
  CLI::App* exp = cmd->add_subcommand(
      "export",
      Help("write a case's evidence package (证据材料包) into a new folder: the report, the trace "
           "answers,\nthe statements they relied on, freeze orders with their history, link "
           "evidence, leads,\nthe justice process, the case's audit entries with the chain's head, "
           "a summary in Chinese\n(summary.html, and summary.pdf printed by headless Chromium), "
           "and manifest.json with every file's SHA-256, signed (Ed25519) by the\nplatform's key "
           "(manifest.sig). See docs/CASEFILE.md.\n\n"
           "Examples:\n"
           "  fanzha case export --case HZ1 --out HZ1-package\n"
           "  fanzha case verify HZ1-package --key $(fanzha case key)",
           "将案件的证据材料包写入新文件夹：分析报告、资金追踪结果及其所依据的流水、冻结指令\n"
           "及其历史、串并依据、线索、诉讼进程、本案的审计日志条目及审计链链头、中文摘要\n"
           "（summary.html，以及由无头 Chromium 打印的 summary.pdf），以及列有每个文件 SHA-256\n"
           "的 manifest.json，由平台密钥签名（Ed25519，manifest.sig）。详见 docs/CASEFILE.md。\n\n"
           "示例：\n"
           "  fanzha case export --case HZ1 --out HZ1-package\n"
           "  fanzha case verify HZ1-package --key $(fanzha case key)"));
  AddDbOption(exp, &o->store);
  AddAuditFileOptions(exp, &o->audit);
  exp->add_option("--case", o->case_id, Help("the case", "案件编号"))->required();
  exp->add_option("--out", o->out,
                  Help("the folder to make (must not exist, or be empty)",
                       "要创建的文件夹（须不存在或为空）"))
      ->required();
  exp->add_option("--policy", o->policies,
                  Help("the trace answers to include (default: all four)",
                       "要包含的资金追踪结果（默认：全部四种）"))
      ->delimiter(',');
  exp->add_option("--max-hops", o->max_hops,
                  Help("hops the traces follow (default 8)", "资金追踪的最大层数（默认 8）"));
  exp->add_option("--signing-key", o->key_file,
                  Help("the platform's signing key (made when missing; default: beside the store, "
                       "<db>.signing-key)",
                       "平台签名密钥（不存在时自动生成；默认：数据库旁的 <db>.signing-key）"));
  exp->add_flag(
      "--no-pdf", o->no_pdf,
      Help("leave out summary.pdf (no Chromium needed)", "不生成 summary.pdf（无需 Chromium）"));
  exp->add_option("--chromium", o->chromium,
                  Help("the Chromium that prints summary.pdf (default: $FANZHA_CHROMIUM, else "
                       "chromium on PATH)",
                       "用于打印 summary.pdf 的 Chromium（默认：$FANZHA_CHROMIUM，否则为 PATH 中的 "
                       "chromium）"));
  exp->add_flag("--json", o->json, Help("what was written, as JSON", "以 JSON 输出写入的内容"));
  exp->callback([o] { RunExport(*o); });

  CLI::App* ver = cmd->add_subcommand(
      "verify",
      Help("check an evidence package: its signature, then every file against the manifest's "
           "SHA-256;\n"
           "names the first file that changed, is missing or was added. Exit 0 only when all "
           "match.",
           "核验证据材料包：先验签名，再逐个文件与 manifest 中的 SHA-256 比对；\n"
           "指出第一个被改动、缺失或多出的文件。全部一致时退出码才为 0。"));
  ver->add_option("DIR", o->dir, Help("the package folder", "证据材料包文件夹"))->required();
  ver->add_option("--key", o->trusted,
                  Help("the platform's public key (64 hex digits, or a file holding them); without "
                       "it the package's own key is used, which proves only that nothing changed "
                       "since someone signed it",
                       "平台公钥（64 位十六进制数字，或存有公钥的文件）；省略时使用材料包自带的"
                       "密钥，只能证明签名之后未被改动，不能证明签名者是谁"));
  ver->add_flag("--json", o->json,
                Help("{ok, case, files, first_bad, problem, problem_zh, ...}",
                     "以 JSON 输出：{ok, case, files, first_bad, problem, problem_zh, ...}"));
  ver->callback([o] { RunVerify(*o); });

  CLI::App* key = cmd->add_subcommand(
      "key", Help("print the platform's public signing key (made when missing): give it to courts",
                  "输出平台的签名公钥（不存在时自动生成）：提供给法院用于核验"));
  AddDbOption(key, &o->store);
  key->add_option(
      "--signing-key", o->key_file,
      Help("the key file (default <db>.signing-key)", "密钥文件（默认 <db>.signing-key）"));
  key->callback([o] { RunKey(*o); });

  CLI::App* move = cmd->add_subcommand(
      "move",
      Help("move a case through the justice process (audited):\n"
           "  reported 受案, opened 立案, investigating 侦查, arrest_requested 提请逮捕,\n"
           "  arrest_approved 批准逮捕, sent_to_prosecution 移送审查起诉, prosecuted 提起公诉,\n"
           "  verdict 判决, closed 撤案\n"
           "A move back (退回补充侦查) is recorded as one and needs --note.\n\n"
           "Example:\n"
           "  fanzha case move --case HZ1 --to opened --document 杭公立字〔2026〕118号",
           "推进案件的诉讼进程（记入审计日志）：\n"
           "  reported 受案、opened 立案、investigating 侦查、arrest_requested 提请逮捕、\n"
           "  arrest_approved 批准逮捕、sent_to_prosecution 移送审查起诉、prosecuted 提起公诉、\n"
           "  verdict 判决、closed 撤案\n"
           "退回到此前阶段（如退回补充侦查）记为退回，须填写 --note。\n\n"
           "示例：\n"
           "  fanzha case move --case HZ1 --to opened --document 杭公立字〔2026〕118号"));
  AddDbOption(move, &o->store);
  AddAuditFileOptions(move, &o->audit);
  move->add_option("--case", o->case_id, Help("the case", "案件编号"))->required();
  move->add_option("--to", o->to,
                   Help("the stage (English or Chinese name)", "目标阶段（英文或中文名称）"))
      ->required();
  move->add_option("--document", o->document, Help("the decision's document number", "决定书文号"));
  move->add_option("--at", o->at,
                   Help("when it was decided (default: now)", "作出决定的时间（默认：当前时间）"));
  move->add_option("--note", o->note, Help("why (required for a move back)", "理由（退回时必填）"));
  move->add_flag("--json", o->json, Help("the move as JSON", "以 JSON 输出本次变更"));
  move->callback([o] { RunMove(*o); });

  CLI::App* sus = cmd->add_subcommand(
      "suspect", Help("attach a suspect of the case's gang, with role and detention time (audited)",
                      "为案件关联团伙嫌疑人，注明角色和拘留时间（记入审计日志）"));
  AddDbOption(sus, &o->store);
  AddAuditFileOptions(sus, &o->audit);
  sus->add_option("--case", o->case_id, Help("the case", "案件编号"))->required();
  sus->add_option("--name", o->name, Help("the suspect's name", "嫌疑人姓名"))->required();
  sus->add_option(
      "--identifier", o->identifier,
      Help("a phone, account or ID number tying them in", "将其与案件关联的电话、账户或身份证号"));
  sus->add_option(
      "--role", o->role,
      Help("organiser 组织者, recruiter 招募者, mule 取款/转账人员, caller 话务员, "
           "technician 技术支持, other 其他 (default)",
           "角色：organiser 组织者、recruiter 招募者、mule 取款/转账人员、caller 话务员、"
           "technician 技术支持、other 其他（默认）"));
  sus->add_option(
      "--detained-at", o->detained_at,
      Help("when detained (starts the arrest clock)", "拘留时间（提请逮捕期限自此起算）"));
  sus->add_flag("--json", o->json, Help("the suspect as JSON", "以 JSON 输出嫌疑人"));
  sus->callback([o] { RunSuspect(*o); });

  CLI::App* due = cmd->add_subcommand(
      "due", Help("every case whose legal clock runs out soon or has run out (overdue first)",
                  "办案期限即将届满或已届满的全部案件（已超期的在前）"));
  AddDbOption(due, &o->store);
  due->add_flag(
      "--json", o->json,
      Help("{\"due\": [{case, stage, what, what_zh, suspect, due, overdue}]}",
           "以 JSON 输出：{\"due\": [{case, stage, what, what_zh, suspect, due, overdue}]}"));
  due->callback([o] { RunDue(*o); });

  CLI::App* proc = cmd->add_subcommand(
      "process", Help("a case's stage, moves, suspects and the legal clocks running now (期限)",
                      "案件的当前阶段、进程变更、嫌疑人及正在计算的办案期限"));
  AddDbOption(proc, &o->store);
  proc->add_option("--case", o->case_id, Help("the case", "案件编号"))->required();
  proc->add_flag("--json", o->json, Help("as JSON", "以 JSON 输出"));
  proc->callback([o] { RunProcess(*o); });
}

}  // namespace fanzha::cli
