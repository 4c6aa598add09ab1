// Importers: the files of FORMATS.md (accounts.csv, transfers.csv, bank statements, cases.jsonl)
// into the store. Start with ImportFiles().
//
// Atomicity. Each file is its own atomic unit: a file that fails validation commits nothing, and a
// crash or kill during a file leaves the store as it was before that file. Files committed before
// a failing file stay committed; since importing the same file again changes nothing, re-running
// the whole call after fixing the bad file is safe.
//
// Errors name the file, the line and the field:
//   "transfers.csv:12: amount: '12.345' has more than 2 fraction digits".
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
// Threads: none of this is thread-safe; one import at a time per Store.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "store/store.h"

namespace fanzha::import {

enum class FileKind { kAccounts, kTransfers, kStatement, kCases };
std::string_view Name(FileKind kind);  // "accounts", "transfers", "statement", "cases"

// Recognises a file by its header (CSV) or first line (JSON lines). kInvalidInput naming the file
// when it is none of the known kinds; kIoError when it cannot be read.
Result<FileKind> DetectKind(const std::string& path);

struct Options {
  bool skip_bad = false;
  // Where rejected rows go (CSV: file,line,reason,row). Empty: "<FILE>.rejects.csv" beside
  // each input file, created only when that file has rejects.
  std::string reject_file;
  Zone zone;                       // for times without an offset
  Millis merge_window_ms = 120000; // statement pairing tolerance
  bool progress = true;            // a progress bar on big files (only on a terminal)
};

struct FileReport {
  std::string path;
  FileKind kind = FileKind::kTransfers;
  int64_t rows = 0;       // data rows read (header excluded)
  int64_t added = 0;      // records added to the store
  int64_t unchanged = 0;  // identical records already stored
  int64_t merged = 0;     // statement postings merged into a transfer from the other side
  int64_t rejected = 0;   // bad rows written to the reject file (skip_bad only)
  double seconds = 0;
  std::string reject_path;  // set when rows were rejected
};

struct Outcome {
  std::vector<FileReport> files;  // the files committed, in the order they were imported
  Status status;                  // the first failure; files after it were not imported
};

// One cases.jsonl line (a JSON object) as a Case, normalised as the importer stores it. Errors
// are kInvalidInput naming the field ("reported_at: missing", "identifiers[2].type: ..."). For
// report intake outside files (the HTTP server). Thread-safe.
Result<Case> ParseCase(std::string_view line, Zone zone = Zone{});
// The same from a parsed JSON value (a request body's member), read without serialising it again.
Result<Case> ParseCaseJson(const nlohmann::json& obj, Zone zone = Zone{});

// Imports `paths` in the order accounts, transfers, statements, cases (so that transfers find
// their accounts), keeping the given order within a kind. `on_file` is called after each commit.
Outcome ImportFiles(store::Store& store, const std::vector<std::string>& paths,
                    const Options& options,
                    const std::function<void(const FileReport&)>& on_file = nullptr);

}  // namespace fanzha::import
