// Kind detection, reject files, progress, and the order in which a call imports its files.
#include "import/import.h"

#include <algorithm>
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
    case FileKind::kAccounts: return "accounts";
    case FileKind::kTransfers: return "transfers";
    case FileKind::kStatement: return "statement";
    case FileKind::kCases: return "cases";
  }
  return "?";
}

// ---- small helpers ----

std::string HeaderKey(std::string_view name) {
  std::string folded = AsciiLower(Trim(FoldAsciiWidth(name)));
  folded.erase(std::remove(folded.begin(), folded.end(), ' '), folded.end());
  if (folded.size() >= 2 && folded.front() == '"' && folded.back() == '"')
    folded = folded.substr(1, folded.size() - 2);
  return folded;
}

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

Status FieldError(std::string_view field, const std::string& message) {
  return Status::Invalid(std::string(field) + ": " + message);
}
Status FieldError(std::string_view field, const Status& st) {
  std::string_view m = st.message();
  if (m.starts_with("amount ")) m.remove_prefix(7);
  return Status(st.code(), std::string(field) + ": " + std::string(m));
}

Status CheckUtf8(const std::vector<std::string>& names, const std::vector<std::string_view>& row) {
  for (size_t i = 0; i < row.size(); ++i) {
    size_t bad = FirstInvalidUtf8(row[i]);
    if (bad == row[i].size()) continue;
    std::string column = i < names.size() && IsValidUtf8(names[i]) && !names[i].empty()
                             ? names[i]
                             : "column " + std::to_string(i + 1);
    return FieldError(column, "not valid UTF-8 at byte " + std::to_string(bad + 1) +
                                  " (a GBK/GB18030 file? convert it first: iconv -f GB18030 -t "
                                  "UTF-8)")
        .WithZh(column + "：第 " + std::to_string(bad + 1) +
                " 字节起不是有效的 UTF-8（GBK/GB18030 文件请先转换：iconv -f GB18030 -t UTF-8）");
  }
  return Status::Ok();
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
  c.counterparty = find({"对方账号", "交易对手账卡号", "对方卡号", "对手账号", "对方账卡号", "counterparty"});
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
      files_.erase(path);
      return Status::Io(path + ": cannot write the reject file: " + std::strerror(errno) +
                        " (choose another with --reject-file)");
    }
    std::fputs("file,line,reason,row\n", f);
  }
  std::string out;
  AppendCsvRow(&out, {input, std::to_string(line), why.message(), std::string(raw)});
  if (std::fwrite(out.data(), 1, out.size(), f) != out.size() || std::fflush(f) != 0)
    return Status::Io(path + ": cannot write the reject file");
  return path;
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

Result<std::string> FirstLine(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Io(path + ": cannot open: " + std::strerror(errno));
  std::string line;
  std::getline(in, line);
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

bool ValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    int n = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : -1;
    if (n < 0) return false;
    for (int k = 1; k <= n; ++k) {
      if (i + k >= s.size() || (static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n + 1;
  }
  return true;
}

}  // namespace

Result<FileKind> DetectKind(const std::string& path) {
  if (SniffIso20022(path)) return FileKind::kStatement;
  if (LooksLikeXml(path))  // never read as a line: an XML file may be one line of a gigabyte
    return Status::Invalid(path + ":1: an XML file, but not an ISO 20022 bank statement (camt.052, "
                                  "camt.053 or camt.054, recognised by the namespace of its "
                                  "Document element)")
        .WithZh(path + ":1: XML 文件，但不是 ISO 20022 银行对账单（camt.052/053/054）");
  FANZHA_ASSIGN_OR_RETURN(std::string line, FirstLine(path));
  std::string_view head = Trim(line);
  if (head.starts_with("{")) {
    auto j = nlohmann::json::parse(head, nullptr, false);
    if (j.is_object() && j.contains("id") && j.contains("reported_at")) return FileKind::kCases;
    return Status::Invalid(path + ":1: a JSON line, but not a case (cases.jsonl lines need \"id\" "
                                  "and \"reported_at\")");
  }
  if (!ValidUtf8(head))
    return Status::Invalid(path + ":1: the header is not UTF-8 (convert GBK statements first: "
                                  "iconv -f GB18030 -t UTF-8)");
  std::vector<std::string> keys;
  for (std::string_view f : Split(head, ',')) keys.push_back(HeaderKey(f));
  auto has = [&](std::string_view k) { return std::find(keys.begin(), keys.end(), k) != keys.end(); };
  if (has("id") && has("time") && has("from") && has("to") && has("amount"))
    return FileKind::kTransfers;
  StatementColumns cols = MapStatementHeader(keys);
  if (cols.Usable() && (cols.account >= 0 || !AccountFromFileName(path).empty()))
    return FileKind::kStatement;
  if (has("account")) return FileKind::kAccounts;
  return Status::Invalid(path + ":1: cannot tell what this file is from its header '" +
                         std::string(head.substr(0, 200)) +
                         "' (expected accounts.csv, transfers.csv, a bank statement or "
                         "cases.jsonl as FORMATS.md describes)");
}

// ---- the call ----

Outcome ImportFiles(store::Store& store, const std::vector<std::string>& paths,
                    const Options& options,
                    const std::function<void(const FileReport&)>& on_file) {
  Outcome out;
  std::vector<std::pair<FileKind, std::string>> files;
  for (const std::string& p : paths) {
    Result<FileKind> kind = DetectKind(p);
    if (!kind.ok()) {
      out.status = kind.status();
      return out;
    }
    files.emplace_back(*kind, p);
  }
  std::stable_sort(files.begin(), files.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  RejectWriter rejects(options);
  FileContext ctx{&store, &options, &rejects};
  auto done = [&](const FileReport& r) {
    out.files.push_back(r);
    if (on_file) on_file(r);
  };
  std::vector<std::string> statements;
  for (const auto& [kind, path] : files) {
    if (kind == FileKind::kStatement) {
      statements.push_back(path);
      continue;
    }
    if (kind == FileKind::kCases && !statements.empty()) {
      out.status = ImportStatements(ctx, statements, &out.files, on_file);
      statements.clear();
      if (!out.status.ok()) return out;
    }
    Result<FileReport> r = kind == FileKind::kAccounts    ? ImportAccounts(ctx, path)
                           : kind == FileKind::kTransfers ? ImportTransfers(ctx, path)
                                                          : ImportCases(ctx, path);
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
