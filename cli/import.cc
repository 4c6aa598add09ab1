// fanzha import: accounts.csv, transfers.csv, bank statements and cases.jsonl into the store.
#include "import/import.h"

#include <cstdio>

#include "cli/commands.h"
#include "core/clock.h"
#include "link/from_store.h"
#include "store/store.h"

namespace fanzha::cli {
namespace {

struct ImportCliOptions {
  StoreOptions store;
  AuditFileOptions audit;
  std::vector<std::string> files;
  bool skip_bad = false;
  std::string reject_file;
  std::string tz = "Asia/Shanghai";
  double merge_window_s = 120;
  int64_t max_xml_mb = 2048;
  bool json = false;
  std::string encoding = "auto";
};

nlohmann::ordered_json ToJson(const import::FileReport& r) {
  nlohmann::ordered_json j;
  j["file"] = r.path;
  j["kind"] = std::string(import::Name(r.kind));
  j["rows"] = r.rows;
  j["added"] = r.added;
  j["unchanged"] = r.unchanged;
  j["merged"] = r.merged;
  j["rejected"] = r.rejected;
  j["skipped"] = r.skipped;
  if (!r.format.empty()) j["format"] = r.format;
  j["seconds"] = static_cast<double>(static_cast<int64_t>(r.seconds * 1000)) / 1000;
  if (!r.reject_path.empty()) j["reject_file"] = r.reject_path;
  j["encoding"] = std::string(Name(r.encoding));
  return j;
}

// The audit entry of one file, written in the file's commit: what was read and what it changed.
audit::Entry ImportEntry(const import::FileReport& r) {
  audit::Entry e;
  e.action = "import.file";
  e.target = r.path;
  e.detail = std::string(import::Name(r.kind)) + (r.format.empty() ? "" : " " + r.format) + ": " +
             std::to_string(r.rows) + " rows, " + std::to_string(r.added) + " added, " +
             std::to_string(r.unchanged) + " unchanged, " + std::to_string(r.merged) + " merged, " +
             std::to_string(r.rejected) + " rejected, " + std::to_string(r.skipped) + " skipped";
  return e;
}

// What a file holds, as the user reads it: 账户 | 交易 | 流水 | 报案.
const char* KindInChinese(import::FileKind kind) {
  switch (kind) {
    case import::FileKind::kAccounts:
      return "账户";
    case import::FileKind::kTransfers:
      return "交易";
    case import::FileKind::kStatement:
      return "流水";
    case import::FileKind::kCases:
      return "报案";
  }
  return "";
}

void PrintReport(const import::FileReport& r) {
  const std::string format = r.format.empty() ? "" : " " + r.format;
  const std::string kind = std::string(import::Name(r.kind)) + format;
  const auto n = [](int64_t v) { return std::to_string(v); };
  char took[32];
  std::snprintf(took, sizeof took, "%.2f", r.seconds);
  Tell(r.path + " (" + kind + "): " + n(r.rows) + " rows, " + n(r.added) + " added, " +
           n(r.unchanged) + " unchanged, " + n(r.merged) + " merged, " + n(r.rejected) +
           " rejected" + (r.skipped == 0 ? "" : ", " + n(r.skipped) + " skipped (not booked)") +
           ", " + took + " s",
       r.path + "（" + KindInChinese(r.kind) + format + "）：共 " + n(r.rows) + " 行，新增 " +
           n(r.added) + "，未变 " + n(r.unchanged) + "，合并 " + n(r.merged) + "，拒收 " +
           n(r.rejected) + (r.skipped == 0 ? "" : "，跳过 " + n(r.skipped) + "（未入账）") +
           "，用时 " + took + " 秒");
  if (r.encoding == Encoding::kGb18030) {
    Tell("  read as GB18030 and converted to UTF-8", "  以 GB18030 编码读取并转换为 UTF-8");
  }
  if (!r.reject_path.empty()) {
    Tell("  rejected rows (with the reason) are in " + r.reject_path,
         "  被拒收的行（附原因）已写入 " + r.reject_path);
  }
  std::fflush(stdout);
}

void Run(const ImportCliOptions& o) {
  // Not `import::...` first on the line: clang-format 14 reads that as a C++20 module import.
  auto options = import::Options{};
  options.skip_bad = o.skip_bad;
  options.reject_file = o.reject_file;
  options.zone = ValueOrExit(Zone::Parse(o.tz), "--tz");
  if (o.merge_window_s < 0) {
    ExitOnError(
        Status::Invalid("--merge-window: must be >= 0").WithZh("--merge-window：不能为负数"));
  }
  options.merge_window_ms = static_cast<Millis>(o.merge_window_s * 1000);
  if (o.max_xml_mb <= 0) {
    ExitOnError(Status::Invalid("--max-xml-mb: must be > 0").WithZh("--max-xml-mb：须大于 0"));
  }
  options.max_xml_bytes = o.max_xml_mb << 20;
  options.progress = !o.json;
  options.encoding = ValueOrExit(ParseEncoding(o.encoding), "--encoding");
  AuditedStore books = AuditedStore::OpenOrExit(o.store, o.audit);
  store::Store* store = &books.store();
  options.on_commit = [&books](const import::FileReport& r) {
    return books.AppendInOpenTransaction(ImportEntry(r));
  };
  const import::Outcome out =
      import::ImportFiles(*store, o.files, options, [&](const import::FileReport& r) {
        books.PublishHead();
        if (!o.json) PrintReport(r);
      });
  for (const auto& r : out.files) {  // new cases join the stored clusters (link/from_store.h)
    if (r.kind != import::FileKind::kCases || r.added == 0) continue;
    link::StoredLinkReport linked;
    ExitOnError(link::UpdateStoredLinks(*store, {}, false, SystemClock().Now(), &linked).status());
    if (!o.json) {
      const std::string added = std::to_string(linked.added),
                        changed = std::to_string(linked.changed);
      Tell("linked " + added + " new cases (" + changed + " cluster rows updated)",
           "新案件 " + added + " 起已串并（更新串并记录 " + changed + " 条）");
    }
    break;
  }
  if (o.json) {
    nlohmann::ordered_json doc;
    doc["ok"] = out.status.ok();
    doc["files"] = nlohmann::ordered_json::array();
    for (const auto& r : out.files) doc["files"].push_back(ToJson(r));
    if (!out.status.ok()) {
      doc["error"] = {{"code", ErrorCodeName(out.status.code())},
                      {"message", out.status.message()},
                      {"message_zh", out.status.zh()}};
    }
    PrintJson(doc);
  }
  ExitOnError(out.status);
}

}  // namespace

void RegisterImport(CLI::App& app) {
  auto o = std::make_shared<ImportCliOptions>();
  const std::string about = Help(
      "Import accounts.csv, transfers.csv, bank statements (银行流水: CSV, or ISO 20022 XML)\n"
      "and cases.jsonl. Each file's kind is recognised from its header (FORMATS.md). Files are\n"
      "imported accounts first, then transfers, then statements, then cases, and each file is\n"
      "its own atomic unit: a file with a bad row commits nothing (the message names file, line\n"
      "and field), files before it stay imported, files after it are not read. Importing the\n"
      "same file again changes nothing. Statement files of one call are validated together, and\n"
      "a transfer seen in both the payer's and the payee's statement is merged into one.\n"
      "\n"
      "ISO 20022 statements (camt.052 intraday report, camt.053 statement, camt.054 debit/credit\n"
      "notification, any version 001.01-001.13, recognised by the namespace):\n"
      "  - one transfer per transaction: an entry (Ntry) with several transaction details\n"
      "    (NtryDtls/TxDtls) is several transfers, whose amounts must add up to the entry's;\n"
      "  - only booked entries (Sts BOOK, or no Sts) become transfers; pending (PDNG),\n"
      "    information (INFO) and future (FUTR) ones are counted as skipped;\n"
      "  - id: TxDtls/Refs/AcctSvcrRef, else Ntry/AcctSvcrRef, TxId, UETR, EndToEndId, InstrId,\n"
      "    NtryRef (NOTPROVIDED is no id); a reference repeated in a file gets #2, #3;\n"
      "  - CdtDbtInd decides the side: DBIT pays the counterparty (creditor), CRDT is paid by it\n"
      "    (debtor); a reversal (RvslInd) moves money as its CdtDbtInd says;\n"
      "  - counterparty: the other party's IBAN or Othr/Id, its name, its agent's BIC;\n"
      "  - time: BookgDt/DtTm or BookgDt/Dt (else ValDt); without an offset in the statement's\n"
      "    zone (its CreDtTm's offset), else --tz;\n"
      "  - amount exact in hundredths (more than 2 non-zero decimals is an error), currency kept\n"
      "    (transfers not in CNY are stored but not traced); memo: RmtInf/Ustrd;\n"
      "  - no DTD or entity is read (XXE-safe), no network, files above --max-xml-mb refused.\n"
      "\n"
      "Every field is stored as UTF-8: GBK/GB18030 CSV and JSON lines files are converted (see\n"
      "--encoding); a field that is not valid text, a row with fewer or more fields than the\n"
      "header, an unknown region code or a bad case id is an error naming file, line and field.\n"
      "\n"
      "Each file committed is audited (action import.file, with its counts) in the same\n"
      "transaction as its rows: `fanzha audit list` shows who imported what.",
      "导入 accounts.csv、transfers.csv、银行流水（CSV 或 ISO 20022 XML）\n"
      "和 cases.jsonl。按表头识别每个文件的类型（FORMATS.md）。导入顺序为\n"
      "先账户，再交易，再流水，最后案件；每个文件自成一个原子单元：文件中有一行\n"
      "出错则整个文件不写入（报错指明文件、行号和字段），此前的文件保持已导入，\n"
      "此后的文件不再读取。同一文件再次导入不改变任何数据。同一次调用中的流水\n"
      "文件一并校验，同一笔转账若同时出现在付款方和收款方的流水中，合并为一笔。\n"
      "\n"
      "ISO 20022 流水（camt.052 日间报告、camt.053 对账单、camt.054 借贷记\n"
      "通知，版本 001.01-001.13 均可，按命名空间识别）：\n"
      "  - 每笔交易一笔转账：含多条交易明细（NtryDtls/TxDtls）的分录（Ntry）\n"
      "    即为多笔转账，其金额之和须等于分录金额；\n"
      "  - 只有已记账分录（Sts BOOK，或无 Sts）成为转账；待定（PDNG）、\n"
      "    信息（INFO）和未来（FUTR）分录计为跳过；\n"
      "  - 编号：TxDtls/Refs/AcctSvcrRef，否则依次取 Ntry/AcctSvcrRef、TxId、\n"
      "    UETR、EndToEndId、InstrId、NtryRef（NOTPROVIDED 不算编号）；\n"
      "    同一文件中重复的编号依次加 #2、#3；\n"
      "  - CdtDbtInd 决定方向：DBIT 为向对手方（收款人）付款，CRDT 为收到\n"
      "    对手方（付款人）的款项；冲正（RvslInd）同样按其 CdtDbtInd 定方向；\n"
      "  - 对手方：对方的 IBAN 或 Othr/Id、户名、开户行 BIC；\n"
      "  - 时间：BookgDt/DtTm 或 BookgDt/Dt（否则 ValDt）；未带时区偏移的\n"
      "    按流水所在时区（其 CreDtTm 的偏移），否则按 --tz；\n"
      "  - 金额精确到分（非零小数超过 2 位即报错），保留币种（非人民币转账\n"
      "    照常存储，但不做资金追踪）；附言：RmtInf/Ustrd；\n"
      "  - 不读取任何 DTD 或实体（防 XXE），不访问网络，超过 --max-xml-mb\n"
      "    的文件拒绝导入。\n"
      "\n"
      "所有字段均以 UTF-8 存储：GBK/GB18030 编码的 CSV 和 JSON lines 文件\n"
      "会被转换（见 --encoding）；字段不是有效文本、某行字段数与表头不符、\n"
      "行政区划代码未知或案件编号有误，均报错并指明文件、行号和字段。\n"
      "\n"
      "每个写入的文件都与其数据行在同一事务中记入审计日志（操作 import.file，\n"
      "附各项计数）：`fanzha audit list` 可查谁导入了什么。");
  CLI::App* cmd = app.add_subcommand("import", about);
  cmd->footer(Help(
      "Examples:\n"
      "  fanzha import demo/accounts.csv demo/transfers.csv demo/cases.jsonl\n"
      "  fanzha import --db hz.db 流水_6222021234567890123.csv 流水_6217000011112222333.csv\n"
      "  fanzha import --skip-bad --reject-file bad.csv transfers.csv   # import the good rows\n"
      "  fanzha import --encoding gb18030 流水_6217000011112222333.csv    # a GBK bank export\n"
      "  fanzha import --tz +08:00 --merge-window 300 --json statements/*.csv\n"
      "  fanzha import --db hz.db camt053_6222021234567890123.xml   # ISO 20022 statement",
      "示例：\n"
      "  fanzha import demo/accounts.csv demo/transfers.csv demo/cases.jsonl\n"
      "  fanzha import --db hz.db 流水_6222021234567890123.csv 流水_6217000011112222333.csv\n"
      "  fanzha import --skip-bad --reject-file bad.csv transfers.csv   # 只导入无误的行\n"
      "  fanzha import --encoding gb18030 流水_6217000011112222333.csv    # 银行导出的 GBK 文件\n"
      "  fanzha import --tz +08:00 --merge-window 300 --json statements/*.csv\n"
      "  fanzha import --db hz.db camt053_6222021234567890123.xml   # ISO 20022 对账单"));
  AddDbOption(cmd, &o->store, /*creates=*/true);
  AddAuditFileOptions(cmd, &o->audit);
  cmd->add_option("files", o->files, Help("files to import", "要导入的文件"))->required();
  cmd->add_flag("--skip-bad", o->skip_bad,
                Help("import the good rows; write bad ones with the reason to a reject file",
                     "导入无误的行；出错的行连同原因写入拒收文件"));
  cmd->add_option("--reject-file", o->reject_file,
                  Help("where --skip-bad writes rejected rows (default: FILE.rejects.csv beside "
                       "each input; columns file,line,reason,row)",
                       "--skip-bad 写入被拒行的文件（默认：每个输入文件旁的 FILE.rejects.csv；"
                       "列为 file,line,reason,row）"));
  cmd->add_option(
         "--tz", o->tz,
         Help("zone for times written without an offset", "未带时区偏移的时间按此时区解读"))
      ->capture_default_str();
  cmd->add_option("--merge-window", o->merge_window_s,
                  Help("seconds within which a payer's debit and a payee's credit are one "
                       "transfer",
                       "付款方的借记与收款方的贷记相隔不超过此秒数时，视为同一笔转账"))
      ->capture_default_str();
  cmd->add_option("--encoding", o->encoding,
                  Help("how CSV and JSON lines files are written: auto (UTF-8, or GB18030 when "
                       "the file starts with its byte order mark or is recognised as such), "
                       "utf-8, gb18030 (also gbk)",
                       "CSV 和 JSON lines 文件的编码：auto（UTF-8；文件以 GB18030 字节顺序标记开头"
                       "或被识别为 GB18030 时按 GB18030）、utf-8、gb18030（也可写 gbk）"))
      ->capture_default_str();
  cmd->add_option("--max-xml-mb", o->max_xml_mb,
                  Help("ISO 20022 statement files larger than this many MiB are refused",
                       "ISO 20022 流水文件大于此大小（MiB）即拒绝导入"))
      ->capture_default_str();
  cmd->add_flag(
      "--json", o->json,
      Help("one JSON document: per file rows/added/unchanged/merged/rejected/skipped",
           "输出一个 JSON 文档：逐个文件列出 rows/added/unchanged/merged/rejected/skipped"));
  cmd->callback([o] { Run(*o); });
}

}  // namespace fanzha::cli
