// Kind detection, reject files, progress, and the order in which a call imports its files.
#include "import/import.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

#include "core/csv.h"
#include "core/progress.h"
#include "core/text.h"
#include "import/internal.h"
#include "normalise/normalise.h"

namespace fanzha::import {

std::string_view Name(FileKind kind) {
  switch (kind) {
    case FileKind::kAccounts:
      return "accounts";
    case FileKind::kTransfers:
      return "transfers";
    case FileKind::kStatement:
      return "statement";
    case FileKind::kCases:
      return "cases";
  }
  return "?";
}

// ---- small helpers ----

std::string NormAccount(std::string_view raw) {
  bool canonical = !raw.empty();
  for (char c : raw) canonical &= (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
  return canonical ? std::string(raw) : normalise::NormaliseAccount(raw);
}

void NormAccountInto(std::string_view raw, std::string* out) {
  bool canonical = true;
  for (char c : raw) canonical &= (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
  if (canonical) {
    out->assign(raw);  // also the empty field
  } else {
    *out = normalise::NormaliseAccount(raw);
  }
}

Status FieldError(std::string_view field, const std::string& message, const std::string& zh) {
  return Status::Invalid(std::string(field) + ": " + message)
      .WithZh(std::string(field) + ": " + zh);
}

std::string_view Field(const std::vector<std::string_view>& row, int col) {
  return col >= 0 && static_cast<size_t>(col) < row.size() ? Trim(row[col]) : std::string_view();
}

std::string RawRow(const std::vector<std::string_view>& row) {
  std::string out;
  for (size_t i = 0; i < row.size(); ++i) {
    if (i) out.push_back(',');
    AppendCsvField(&out, row[i]);
  }
  return out;
}

Status FieldError(std::string_view field, const Status& st) {
  std::string_view m = st.message();
  if (m.starts_with("amount ")) m.remove_prefix(7);
  return st.WithMessage(std::string(m)).WithContext(std::string(field));
}

FileReport StartReport(const InputFile& file) {
  FileReport r;
  r.path = file.path;
  r.kind = file.kind;
  r.encoding = file.encoding.encoding;
  return r;
}

Status BadText(std::string_view field, std::string_view text, const FileEncoding& encoding) {
  size_t at = FirstInvalidUtf8(text);
  char byte[8];
  std::snprintf(byte, sizeof byte, "0x%02X",
                at < text.size() ? static_cast<unsigned char>(text[at]) : 0);
  const std::string where = "at byte " + std::to_string(at + 1) + " (" + byte + ")";
  const std::string where_zh = "第 " + std::to_string(at + 1) + " 字节（" + byte + "）";
  if (encoding.encoding == Encoding::kGb18030)
    return FieldError(field, Status::Invalid("not valid GB18030 text " + where +
                                             ": the file is damaged, or not in GB18030")
                                 .WithZh("不是有效的 GB18030 文本（" + where_zh +
                                         "）：文件已损坏，或并非 GB18030 编码"));
  return FieldError(
      field, Status::Invalid("not valid UTF-8 " + where +
                             ": if the file is GBK/GB18030 (common in bank exports), import it "
                             "with --encoding gb18030; otherwise save it as UTF-8")
                 .WithZh("不是有效的 UTF-8 文本（" + where_zh +
                         "）：若文件为 GBK/GB18030 编码（银行导出常见），请加 --encoding gb18030 "
                         "导入；否则请另存为 UTF-8 编码"));
}

Status CheckRowText(const std::vector<std::string>& names, const std::vector<std::string_view>& row,
                    const FileEncoding& encoding) {
  for (size_t i = 0; i < row.size(); ++i) {
    if (IsValidUtf8(row[i])) continue;
    std::string name = i < names.size() && !names[i].empty() && IsValidUtf8(names[i])
                           ? names[i]
                           : "column " + std::to_string(i + 1);
    return BadText(name, row[i], encoding);
  }
  return Status::Ok();
}

Status CheckFieldCount(const std::vector<std::string>& names, size_t fields) {
  if (fields == names.size()) return Status::Ok();
  const std::string counts = "the row has " + std::to_string(fields) + " fields, the header " +
                             std::to_string(names.size());
  const std::string counts_zh = "该行有 " + std::to_string(fields) + " 个字段，表头有 " +
                                std::to_string(names.size()) + " 个";
  if (fields > names.size()) return Status::Invalid(counts).WithZh(counts_zh);
  std::string missing;
  for (size_t i = fields; i < names.size(); ++i)
    missing += (missing.empty() ? "" : ", ") + Excerpt(names[i]);
  return Status::Invalid(counts + ": " + missing + " missing (a line cut short?)")
      .WithZh(counts_zh + "：缺少 " + missing + "（该行是否被截断？）");
}

StatementColumns MapStatementHeader(const std::vector<std::string>& keys) {
  StatementColumns c;
  auto find = [&](std::initializer_list<std::string_view> names) {
    for (std::string_view n : names) {
      for (size_t i = 0; i < keys.size(); ++i)
        if (keys[i] == n) return static_cast<int>(i);
    }
    return -1;
  };
  c.serial = find({"交易流水号", "流水号", "serial", "交易序号", "凭证号"});
  c.date = find({"交易日期", "date"});
  c.time = find({"交易时间", "time", "交易时间戳"});
  c.account = find({"本方账号", "交易卡号", "查询账号", "本方卡号", "查询卡号", "account"});
  c.direction = find({"借贷标志", "收付标志", "借贷方向", "收付方向", "direction"});
  c.amount = find({"交易金额", "发生额", "amount"});
  c.balance = find({"余额", "交易余额", "账户余额", "balance"});
  c.counterparty =
      find({"对方账号", "交易对手账卡号", "对方卡号", "对手账号", "对方账卡号", "counterparty"});
  c.counterparty_name = find({"对方户名", "交易对手名称", "对方名称", "counterparty_name"});
  c.counterparty_bank = find({"对方开户行", "交易对手行名", "对方行名", "counterparty_bank"});
  c.memo = find({"摘要", "摘要说明", "交易摘要", "memo"});
  c.ip = find({"ip地址", "ip"});
  c.mac = find({"mac地址", "mac"});
  return c;
}

std::string AccountFromFileName(const std::string& path) {
  std::string name = path.substr(path.find_last_of('/') + 1);
  std::string best, run;
  for (char ch : name + "/") {
    if (ch >= '0' && ch <= '9') {
      run.push_back(ch);
    } else {
      if (run.size() >= 10 && run.size() > best.size()) best = run;
      run.clear();
    }
  }
  return best;
}

// ---- rejects ----

RejectWriter::~RejectWriter() {
  for (auto& [path, f] : files_) std::fclose(f);
}

Result<std::string> RejectWriter::Add(const std::string& input, int64_t line, const Status& why,
                                      std::string_view raw) {
  std::string path = options_.reject_file.empty() ? input + ".rejects.csv" : options_.reject_file;
  std::FILE*& f = files_[path];
  if (!f) {
    f = std::fopen(path.c_str(), "wb");
    if (!f) {
      const std::string why = std::strerror(errno);
      files_.erase(path);
      return Status::Io(path + ": cannot write the reject file: " + why +
                        " (choose another with --reject-file)")
          .WithZh(path + "：无法写入问题行文件（" + why + "），请用 --reject-file 另选一个");
    }
    std::fputs("file,line,reason,row\n", f);
  }
  std::string out;
  AppendCsvRow(&out, {input, std::to_string(line), why.message(), std::string(raw)});
  if (std::fwrite(out.data(), 1, out.size(), f) != out.size() || std::fflush(f) != 0)
    return Status::Io(path + ": cannot write the reject file")
        .WithZh(path + "：无法写入问题行文件");
  return path;
}

std::function<Status()> OnCommit(const FileContext& ctx, const FileReport& report) {
  if (!ctx.options->on_commit) return nullptr;
  return [&ctx, &report] { return ctx.options->on_commit(report); };
}

Status BadRow(const FileContext& ctx, FileReport* report, int64_t line, const Status& why,
              std::string_view raw) {
  if (!ctx.options->skip_bad) return why.WithContext(report->path + ":" + std::to_string(line));
  FANZHA_ASSIGN_OR_RETURN(report->reject_path, ctx.rejects->Add(report->path, line, why, raw));
  ++report->rejected;
  return Status::Ok();
}

// ---- progress ----

struct FileProgress::Impl {
  Progress bar;
};

FileProgress::FileProgress(const Options& options, const std::string& path, int64_t size) {
  if (options.progress && size > (8 << 20) && Progress::Enabled())
    impl_ = new Impl{Progress(path, size)};
}
FileProgress::~FileProgress() { delete impl_; }
void FileProgress::Update(int64_t bytes) {
  if (impl_) impl_->bar.Update(bytes);
}

// ---- detection ----

namespace {

// The first line of a file, in its encoding.
Result<std::string> FirstLine(const std::string& path, const FileEncoding& encoding) {
  FANZHA_ASSIGN_OR_RETURN(auto in, DecodedInput::Open(path, encoding));
  std::string text;
  while (text.find('\n') == std::string::npos && text.size() < (1 << 20) && in->Read(&text, 4096)) {
  }
  if (!in->status().ok()) return in->status().WithContext(path);
  std::string line = text.substr(0, text.find('\n'));
  if (line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// The first character that is not white space (after a byte order mark) is '<'.
bool LooksLikeXml(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char head[256];
  in.read(head, sizeof head);
  std::string_view h(head, static_cast<size_t>(in.gcount()));
  if (h.starts_with("\xEF\xBB\xBF")) h.remove_prefix(3);
  size_t first = h.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && h[first] == '<';
}

// The kind of a text file (CSV or JSON lines) by its first line, read in its encoding.
Result<FileKind> KindOf(const std::string& path, const FileEncoding& encoding) {
  FANZHA_ASSIGN_OR_RETURN(std::string line, FirstLine(path, encoding));
  std::string_view head = Trim(line);
  if (head.starts_with("{")) {
    // Bad bytes in a case line are reported with their field when the line is read; here only
    // the shape of the line matters.
    auto j = nlohmann::json::parse(ValidUtf8(head), nullptr, false);
    if (j.is_object() && j.contains("id") && j.contains("reported_at")) return FileKind::kCases;
    return Status::Invalid(path +
                           ":1: a JSON line, but not a case (cases.jsonl lines need \"id\" "
                           "and \"reported_at\")")
        .WithZh(path +
                ":1：是一行 JSON，但不是案件（cases.jsonl 的每行须有 \"id\" 和 "
                "\"reported_at\"）");
  }
  if (!IsValidUtf8(head)) return BadText("header", head, encoding).WithContext(path + ":1");
  std::vector<std::string> keys;
  for (std::string_view f : Split(head, ',')) keys.push_back(CsvHeaderKey(f));
  auto has = [&](std::string_view k) {
    return std::find(keys.begin(), keys.end(), k) != keys.end();
  };
  if (has("id") && has("time") && has("from") && has("to") && has("amount"))
    return FileKind::kTransfers;
  StatementColumns cols = MapStatementHeader(keys);
  if (cols.Usable() && (cols.account >= 0 || !AccountFromFileName(path).empty()))
    return FileKind::kStatement;
  if (has("account")) return FileKind::kAccounts;
  return Status::Invalid(path + ":1: cannot tell what this file is from its header '" +
                         Excerpt(head, 200) +
                         "' (expected accounts.csv, transfers.csv, a bank statement or "
                         "cases.jsonl as FORMATS.md describes)")
      .WithZh(path + ":1：无法从表头 '" + Excerpt(head, 200) +
              "' 判断文件类型（应为 FORMATS.md 所述的 accounts.csv、transfers.csv、银行流水或 "
              "cases.jsonl）");
}

// The encoding and kind of one input. An ISO 20022 statement is recognised by its namespace
// before anything else (its XML declaration says how it is written, and libxml2 reads it so).
Result<InputFile> Inspect(const std::string& path, Encoding requested) {
  InputFile f;
  f.path = path;
  if (SniffIso20022(path)) {
    f.kind = FileKind::kStatement;
    return f;
  }
  if (LooksLikeXml(path))  // never read as a line: an XML file may be one line of a gigabyte
    return Status::Invalid(path +
                           ":1: an XML file, but not an ISO 20022 bank statement (camt.052, "
                           "camt.053 or camt.054, recognised by the namespace of its "
                           "Document element)")
        .WithZh(path +
                ":1：是 XML 文件，但不是 ISO 20022 银行对账单（camt.052、camt.053 或 camt.054，"
                "按 Document 元素的命名空间识别）");
  FANZHA_ASSIGN_OR_RETURN(f.encoding, DetectEncoding(path, requested));
  FANZHA_ASSIGN_OR_RETURN(f.kind, KindOf(path, f.encoding));
  return f;
}

}  // namespace

Result<FileKind> DetectKind(const std::string& path, Encoding encoding) {
  FANZHA_ASSIGN_OR_RETURN(InputFile f, Inspect(path, encoding));
  return f.kind;
}

// ---- the call ----

Outcome ImportFiles(store::Store& store, const std::vector<std::string>& paths,
                    const Options& options, const std::function<void(const FileReport&)>& on_file) {
  Outcome out;
  std::vector<InputFile> files;
  for (const std::string& p : paths) {
    Result<InputFile> f = Inspect(p, options.encoding);
    if (!f.ok()) {
      out.status = f.status();
      return out;
    }
    files.push_back(std::move(*f));
  }
  std::stable_sort(files.begin(), files.end(),
                   [](const InputFile& a, const InputFile& b) { return a.kind < b.kind; });
  RejectWriter rejects(options);
  FileContext ctx{&store, &options, &rejects};
  auto done = [&](const FileReport& r) {
    out.files.push_back(r);
    if (on_file) on_file(r);
  };
  std::vector<InputFile> statements;
  for (const InputFile& file : files) {
    if (file.kind == FileKind::kStatement) {
      statements.push_back(file);
      continue;
    }
    if (file.kind == FileKind::kCases && !statements.empty()) {
      out.status = ImportStatements(ctx, statements, &out.files, on_file);
      statements.clear();
      if (!out.status.ok()) return out;
    }
    Result<FileReport> r = file.kind == FileKind::kAccounts    ? ImportAccounts(ctx, file)
                           : file.kind == FileKind::kTransfers ? ImportTransfers(ctx, file)
                                                               : ImportCases(ctx, file);
    if (!r.ok()) {
      out.status = r.status();
      return out;
    }
    done(*r);
  }
  if (!statements.empty()) out.status = ImportStatements(ctx, statements, &out.files, on_file);
  return out;
}

}  // namespace fanzha::import
