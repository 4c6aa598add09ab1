// Importers: the files of FORMATS.md (accounts.csv, transfers.csv, bank statements, cases.jsonl)
// into the store. Start with ImportFiles().
//
// Atomicity. Each file is its own atomic unit: a file that fails validation commits nothing, and a
// crash or kill during a file leaves the store as it was before that file. Files committed before
// a failing file stay committed; since importing the same file again changes nothing, re-running
// the whole call after fixing the bad file is safe.
//
// Errors name the file, the line and the field:
//   "transfers.csv:12: amount: '12.345' has more than 2 fraction digits",
//   "stmt.xml:87: Document/BkToCstmrStmt/Stmt[1]/Ntry[3]/Amt: '1.234' has more than 2 fraction
//   digits".
// A row with fewer fields than the header is an error like one with more (a cut line must not
// store "15" for "1500.00"). Every record meets the rules of CheckAccount/CheckTransfer/CheckCase.
//
// Text. Everything stored is UTF-8. A file is read as GB18030 (converted) when Options::encoding
// says so, when it starts with GB18030's byte order mark, or when it is recognised as GB18030
// (core/encoding.h); otherwise as UTF-8. A field that is not valid text in the file's encoding is
// an error naming file, line and field, with a hint to give --encoding. (An ISO 20022 statement
// says its encoding in its XML declaration and is read as it says.)
//
// With Options::skip_bad, bad rows (including rows whose id is stored with different content) are
// written to a reject file with the reason instead, counted, and the rest of the file is imported.
//
// Bank statements. All statement files of one call are read first, then their postings are paired
// (the payer's debit with the payee's credit: same two accounts, same amount, times within
// Options::merge_window_ms, one-to-one, so two equal payments stay two), also with unpaired
// postings of statements imported earlier; then each file is written in its own transaction. A
// transfer's id is the payer-side serial when the payer's statement is in the same call (or was
// imported first); otherwise the serial of the posting that created it; ids once stored never
// change. Every posting is also kept as the bank reported it (table statement_postings).
//
// ISO 20022 statements (camt.052 intraday reports, camt.053 statements, camt.054 notifications;
// FORMATS.md "ISO 20022 statements") are statements too: each booked transaction is a posting of
// the statement's account (an entry with several transaction details is several), its id the
// bank's reference, in its own currency; entries not booked are counted as skipped. They pair with
// the CSV statements of the same call and of earlier ones.
//
// Threads: none of this is thread-safe; one import at a time per Store.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "core/encoding.h"
#include "core/status.h"
#include "core/time.h"
#include "store/store.h"

namespace fanzha::import {

enum class FileKind { kAccounts, kTransfers, kStatement, kCases };
std::string_view Name(FileKind kind);  // "accounts", "transfers", "statement", "cases"

// Recognises a file by its header (CSV) or first line (JSON lines), read in the file's encoding
// (detected when kAuto), or by its XML namespace (an ISO 20022 camt.052/053/054 is a statement).
// kInvalidInput naming the file when it is none of the known kinds; kIoError when it cannot be
// read.
Result<FileKind> DetectKind(const std::string& path, Encoding encoding = Encoding::kAuto);

struct FileReport;

struct Options {
  bool skip_bad = false;
  // Where rejected rows go (CSV: file,line,reason,row). Empty: "<FILE>.rejects.csv" beside
  // each input file, created only when that file has rejects.
  std::string reject_file;
  Zone zone;                            // for times without an offset
  Millis merge_window_ms = 120000;      // statement pairing tolerance
  bool progress = true;                 // a progress bar on big files (only on a terminal)
  Encoding encoding = Encoding::kAuto;  // how CSV and JSON lines files are written (kAuto: detect)
  int64_t max_xml_bytes = int64_t{2} << 30;  // ISO 20022 files larger than this are refused
  // Runs inside each file's commit, with the file's counts (seconds not yet set), so that what
  // the caller writes there (the audit entry of the import) commits with the file or not at all.
  // Its error fails the file like any other: nothing of it is stored.
  std::function<Status(const FileReport&)> on_commit;
};

struct FileReport {
  std::string path;
  FileKind kind = FileKind::kTransfers;
  int64_t rows = 0;       // data rows read (header excluded)
  int64_t added = 0;      // records added to the store
  int64_t unchanged = 0;  // identical records already stored
  int64_t merged = 0;     // statement postings merged into a transfer from the other side
  int64_t rejected = 0;   // bad rows written to the reject file (skip_bad only)
  int64_t skipped = 0;    // rows read and left out by rule: ISO 20022 entries not booked
                          // (pending, information) and transactions of amount 0
  std::string format;     // the ISO 20022 message ("camt.053.001.08"); empty for CSV and JSON
  double seconds = 0;
  std::string reject_path;              // set when rows were rejected
  Encoding encoding = Encoding::kUtf8;  // as read: kGb18030 when converted
};

struct Outcome {
  std::vector<FileReport> files;  // the files committed, in the order they were imported
  Status status;                  // the first failure; files after it were not imported
};

// One cases.jsonl line (a JSON object) as a Case, normalised as the importer stores it and checked
// with CheckCase. Errors are kInvalidInput naming the field ("reported_at: missing",
// "identifiers[2].type: ..."). Thread-safe.
Result<Case> ParseCase(std::string_view line, Zone zone = Zone{});
// The same from a parsed JSON value (a request body's member), read without serialising it again.
Result<Case> ParseCaseJson(const nlohmann::json& obj, Zone zone = Zone{});

// The rules every record meets wherever it comes from (a file, a statement, a report posted to the
// server), checked before it is stored: ids and case ids (CheckCaseId), region codes
// (region::CheckCode, the same check as the command line's options), a transfer's accounts by its
// channel, and the length of every text (core/model.h Limits). Text is UTF-8 already (files are
// checked as they are read, JSON by its parser). kInvalidInput naming the field, with a Chinese
// line. Thread-safe; O(size of the record).
Status CheckAccount(const Account& a);
Status CheckTransfer(const Transfer& t);
Status CheckCase(const Case& c);

// The attributes the statement postings of a transfer kept (a JSON array of [name, value] pairs,
// FORMATS.md "ISO 20022 statements": the bank's references EndToEndId, TxId, UETR, ...), the
// payer's posting first; empty when no statement reported the transfer. What a recall of the
// payment (freeze/recall.h) names it by. Cost: one indexed lookup.
Result<std::vector<std::string>> PostingAttributes(store::Store& store,
                                                   std::string_view transfer_id);

// A statement posting as stored (table statement_postings, which import/ owns: the other modules
// ask these functions), with the transfer it became or was merged into.
struct StoredPosting {
  std::string account, serial;
  bool credit = false;  // money in to `account` (the bank's credit); false: out (debit)
  Millis time = 0;
  Fen amount = 0;  // hundredths of `currency`'s unit
  std::string currency;
  std::string transfer_id;
};
// Every stored posting, by account and serial. Cost: the whole table (checks, small stores).
Result<std::vector<StoredPosting>> ListPostings(store::Store& store);
// The postings of one account whose time is in [from, to), by time then serial. Cost: the account's
// postings (the table's key begins with the account).
Result<std::vector<StoredPosting>> PostingsOf(store::Store& store, std::string_view account,
                                              Millis from, Millis to);

// How many postings are stored, and the money of their credits (in) and debits (out), all
// currencies added as they are (hundredths). Cost: one pass over the table.
struct PostingTotals {
  int64_t postings = 0;
  Fen in = 0, out = 0;
};
Result<PostingTotals> CountPostings(store::Store& store);

// Imports `paths` in the order accounts, transfers, statements, cases (so that transfers find
// their accounts), keeping the given order within a kind. `on_file` is called after each commit.
Outcome ImportFiles(store::Store& store, const std::vector<std::string>& paths,
                    const Options& options,
                    const std::function<void(const FileReport&)>& on_file = nullptr);

}  // namespace fanzha::import
