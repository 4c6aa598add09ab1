// Shared by the importers; not part of the public interface.
#pragma once

#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "import/import.h"
#include "iso20022/statement.h"

namespace fanzha::import {

// The reject files of one call. A file is truncated (with a header) when first used in the call,
// then appended to, so one --reject-file can collect rows from several inputs.
class RejectWriter {
 public:
  explicit RejectWriter(const Options& options) : options_(options) {}
  ~RejectWriter();
  RejectWriter(const RejectWriter&) = delete;
  RejectWriter& operator=(const RejectWriter&) = delete;
  // Appends one rejected row; `raw` is the row as read (CSV fields re-joined, or the JSON line).
  // Returns the path written to, or kIoError.
  Result<std::string> Add(const std::string& input, int64_t line, const Status& why,
                          std::string_view raw);

 private:
  const Options& options_;
  std::map<std::string, std::FILE*> files_;
};

// What a per-file importer needs besides the file.
struct FileContext {
  store::Store* store;
  const Options* options;
  RejectWriter* rejects;
};

// What a file's commit runs inside its transaction: Options::on_commit with the file's report
// (nullptr when there is none). `report` must outlive the commit.
std::function<Status()> OnCommit(const FileContext& ctx, const FileReport& report);

// Deals with a bad row: without skip_bad returns the error as "FILE:LINE: <why>"; with it writes
// the row to the reject file, counts it, and returns Ok.
Status BadRow(const FileContext& ctx, FileReport* report, int64_t line, const Status& why,
              std::string_view raw);

// "field: message" (and "amount 'x' ..." from ParseMoney loses its repeated leading word); the
// Chinese text is "field: zh", the field named the same in both languages.
Status FieldError(std::string_view field, const Status& st);
Status FieldError(std::string_view field, const std::string& message, const std::string& zh);

// One input file of a call: its kind and how its text is written.
struct InputFile {
  std::string path;
  FileKind kind = FileKind::kTransfers;
  FileEncoding encoding;
};

// A file's report, started: path, kind, encoding.
FileReport StartReport(const InputFile& file);

// Normalised account id: fast path for ids already in canonical form.
std::string NormAccount(std::string_view raw);
// The same into *out, reusing its storage.
void NormAccountInto(std::string_view raw, std::string* out);

// Field `col` of a CSV row, trimmed; empty when the row has no such column (col < 0 or too short).
std::string_view Field(const std::vector<std::string_view>& row, int col);
// A CSV row written back as one line (for the reject file and error excerpts).
std::string RawRow(const std::vector<std::string_view>& row);

// Per-kind importers of one file, each one atomic unit.
Result<FileReport> ImportAccounts(const FileContext& ctx, const InputFile& file);
Result<FileReport> ImportTransfers(const FileContext& ctx, const InputFile& file);
Result<FileReport> ImportCases(const FileContext& ctx, const InputFile& file);
// All statement files of one call together (see import.h).
Status ImportStatements(const FileContext& ctx, const std::vector<InputFile>& files,
                        std::vector<FileReport>* reports,
                        const std::function<void(const FileReport&)>& on_file);

// For a file whose bytes are not all valid (FileEncoding::valid false): the first field of `row`
// that is not valid text, as an error naming its column (`names`, by position) with a hint to give
// the encoding. Ok when every field is valid.
Status CheckRowText(const std::vector<std::string>& names, const std::vector<std::string_view>& row,
                    const FileEncoding& encoding);
// The error for text that is not valid in `encoding`, for `field` (`text` the bad value).
Status BadText(std::string_view field, std::string_view text, const FileEncoding& encoding);

// A row with another number of fields than the header: kInvalidInput naming the missing columns
// (or the count of extra fields). Ok when the counts agree.
Status CheckFieldCount(const std::vector<std::string>& names, size_t fields);

// One posting of a bank statement: a CSV statement row or an ISO 20022 (camt) transaction, as one
// account's statement shows it. Postings of both sides are paired into transfers (statements.cc).
enum Side { kOut = 1, kIn = 2 };

struct Posting {
  size_t file = 0;  // index into the call's statement files
  int64_t line = 0;
  std::string raw;  // the row as read (CSV), or the element path (camt), for rejects
  std::string account, serial;
  Side side = kOut;
  Millis time = 0;
  Fen amount = 0;  // hundredths of the currency's unit
  std::string currency = "CNY";
  std::optional<Fen> balance;
  std::string counterparty, counterparty_name, counterparty_bank, memo, ip, mac, attributes;
  // Decided while pairing:
  bool stored = false;     // already in the store (an earlier statement): only a pairing partner
  bool unchanged = false;  // the same posting is stored already: skipped
  int partner = -1;        // index of the paired posting (the other side), or -1
  std::string transfer_id;
  bool merges = false;  // written after its partner: counts as merged
};

// The lengths of a posting's own texts (core/model.h Limits; the transfer it makes is checked by
// CheckTransfer). kInvalidInput naming the field.
Status CheckPosting(const Posting& p);

// The ISO 20022 message of a file (camt.052/053/054), read from its first 64 KiB; nullopt when the
// file is not one (or cannot be read: the reader says why later).
std::optional<iso20022::MessageType> SniffIso20022(const std::string& path);
// Phase 1 of ImportStatements for an ISO 20022 statement file (camt.cc): its booked transactions
// as postings; entries that break a rule are rejected (skip_bad) or end the call.
Status ReadCamtStatement(const FileContext& ctx, size_t file, FileReport* report,
                         std::vector<Posting>* out);

// Statement column roles found in a header; -1 when absent.
struct StatementColumns {
  int serial = -1, time = -1, date = -1, account = -1, direction = -1, amount = -1, balance = -1,
      counterparty = -1, counterparty_name = -1, counterparty_bank = -1, memo = -1, ip = -1,
      mac = -1;
  bool Usable() const { return (time >= 0 || date >= 0) && direction >= 0 && amount >= 0; }
};
StatementColumns MapStatementHeader(const std::vector<std::string>& header_keys);
// The own account from a statement file name ("流水_6222021234567890123.csv"): the longest run of
// at least 10 digits, or "".
std::string AccountFromFileName(const std::string& path);

// Throttled progress over a file's bytes; silent for small files or when disabled.
class FileProgress {
 public:
  FileProgress(const Options& options, const std::string& path, int64_t size);
  ~FileProgress();
  void Update(int64_t bytes);

 private:
  struct Impl;
  Impl* impl_ = nullptr;
};

}  // namespace fanzha::import
