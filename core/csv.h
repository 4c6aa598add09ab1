// CSV as RFC 4180 writes it: ',' separated, '"' quoted fields with "" for a quote, quoted fields
// may span lines; a UTF-8 byte order mark at the start is skipped; "\r\n" and "\n" both end a row.
// Files in GB18030 are read converted to UTF-8 (core/encoding.h).
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/encoding.h"
#include "core/status.h"

namespace fanzha {

// Reads one row at a time from a file. Field views stay valid until the next call to Next().
// Not thread-safe. Reading is streaming: memory does not grow with the file.
class CsvReader {
 public:
  // `encoding` as DetectEncoding found it; the default reads UTF-8 as it is.
  static Result<std::unique_ptr<CsvReader>> Open(const std::string& path,
                                                 const FileEncoding& encoding = {});
  // Over bytes the caller keeps alive while the reader lives; `path` names them in messages.
  static Result<std::unique_ptr<CsvReader>> OfBuffer(std::string_view bytes, std::string path,
                                                     const FileEncoding& encoding = {});
  ~CsvReader();

  // Reads the next row into *fields. Returns false at end of file; a malformed row (an unclosed
  // quote) is reported through status() and also ends reading.
  bool Next(std::vector<std::string_view>* fields);
  // The 1-based line number where the row returned last started (the header is line 1).
  int64_t line() const { return row_line_; }
  // Input bytes consumed so far and the input's size, for progress bars.
  int64_t bytes_read() const;
  int64_t file_size() const { return input_->size(); }
  const Status& status() const { return status_; }
  const std::string& path() const { return path_; }

 private:
  CsvReader(std::string path, std::unique_ptr<DecodedInput> input, bool converting);
  bool Fill();

  std::string path_;
  std::unique_ptr<DecodedInput> input_;
  bool converting_;
  std::string buf_;
  size_t pos_ = 0;
  bool eof_ = false;
  int64_t line_ = 1;
  int64_t row_line_ = 0;
  int64_t consumed_ = 0;
  std::vector<std::string> unquoted_;  // storage for fields that needed unescaping
  Status status_;
};

// Appends one CSV field to *out, quoting it when it contains ',', '"', '\r' or '\n'.
void AppendCsvField(std::string* out, std::string_view field);
// Appends a whole row (fields joined by ',') and a '\n'; a row of one empty field is written `""`
// (an empty line is skipped by the reader), so that every row read back is the row written.
void AppendCsvRow(std::string* out, const std::vector<std::string>& fields);
// The same for the fields CsvReader::Next gives (a row copied from one file to another).
void AppendCsvRow(std::string* out, std::span<const std::string_view> fields);

// A header name folded for matching it, as every reader of fanzha's CSV files matches columns:
// full-width forms folded, trimmed, ASCII lower-cased, spaces and surrounding quotes removed
// ("Ａccount " and "account" are the same column).
std::string CsvHeaderKey(std::string_view name);

}  // namespace fanzha
