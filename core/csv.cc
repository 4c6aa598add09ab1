#include "core/csv.h"

#include <algorithm>
#include <cstring>

#include "core/text.h"

namespace fanzha {

namespace {
constexpr size_t kCsvReadSize = 1 << 20;
}

Result<std::unique_ptr<CsvReader>> CsvReader::Open(const std::string& path,
                                                   const FileEncoding& encoding) {
  FANZHA_ASSIGN_OR_RETURN(auto input, DecodedInput::Open(path, encoding));
  return std::unique_ptr<CsvReader>(
      new CsvReader(path, std::move(input), encoding.encoding == Encoding::kGb18030));
}

Result<std::unique_ptr<CsvReader>> CsvReader::OfBuffer(std::string_view bytes, std::string path,
                                                       const FileEncoding& encoding) {
  FANZHA_ASSIGN_OR_RETURN(auto input, DecodedInput::OfBuffer(bytes, encoding));
  return std::unique_ptr<CsvReader>(
      new CsvReader(std::move(path), std::move(input), encoding.encoding == Encoding::kGb18030));
}

CsvReader::CsvReader(std::string path, std::unique_ptr<DecodedInput> input, bool converting)
    : path_(std::move(path)), input_(std::move(input)), converting_(converting) {
  Fill();
  if (buf_.size() >= 3 && buf_.compare(0, 3, "\xEF\xBB\xBF") == 0) {
    pos_ = 3;
    consumed_ = 3;
  }
}

CsvReader::~CsvReader() = default;

int64_t CsvReader::bytes_read() const {
  // Converted text is longer than its input: count the input read (ahead by the buffer).
  return converting_ ? input_->bytes_read() : consumed_;
}

// Keeps the unread tail and appends the next chunk. Returns false when nothing more was read.
bool CsvReader::Fill() {
  if (eof_) return false;
  buf_.erase(0, pos_);
  pos_ = 0;
  if (!input_->Read(&buf_, kCsvReadSize)) {
    eof_ = true;
    if (!input_->status().ok()) status_ = input_->status().WithContext(path_);
    return false;
  }
  return true;
}

bool CsvReader::Next(std::vector<std::string_view>* fields) {
  fields->clear();
  unquoted_.clear();
  if (!status_.ok()) return false;
  // Make sure a whole row is in the buffer: scan for an unquoted newline, refilling as needed.
  for (;;) {
    if (pos_ >= buf_.size() && !Fill()) return false;
    bool in_quotes = false;
    size_t end = std::string::npos;
    // Fast path: the next newline ends the row when no quote comes before it.
    const char* start = buf_.data() + pos_;
    const void* nl = std::memchr(start, '\n', buf_.size() - pos_);
    if (nl && !std::memchr(start, '"', static_cast<const char*>(nl) - start)) {
      end = static_cast<size_t>(static_cast<const char*>(nl) - buf_.data());
    } else {
      for (size_t i = pos_; i < buf_.size(); ++i) {
        char c = buf_[i];
        if (c == '"')
          in_quotes = !in_quotes;
        else if (c == '\n' && !in_quotes) {
          end = i;
          break;
        }
      }
    }
    if (end == std::string::npos && !eof_) {
      if (!Fill() && !eof_) return false;
      continue;
    }
    if (end == std::string::npos) {
      if (in_quotes) {
        status_ =
            Status::Invalid(path_ + ":" + std::to_string(line_) +
                            ": a quoted field is not closed before the end of the file")
                .WithZh(path_ + ":" + std::to_string(line_) + "：引号内的字段直到文件末尾仍未闭合");
        return false;
      }
      end = buf_.size();
    }
    // Parse fields in [pos_, end).
    row_line_ = line_;
    std::string_view row(buf_.data() + pos_, end - pos_);
    for (char c : row) line_ += c == '\n';
    line_ += 1;
    consumed_ += static_cast<int64_t>(end - pos_ + (end < buf_.size() ? 1 : 0));
    pos_ = end < buf_.size() ? end + 1 : end;
    if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
    if (row.empty()) {
      if (pos_ >= buf_.size() && eof_) return false;
      continue;  // blank lines are skipped
    }
    size_t i = 0;
    // Reserve so that views into unquoted_ stay valid while it grows.
    unquoted_.reserve(row.size() + 1);
    for (;;) {
      if (i < row.size() && row[i] == '"') {
        std::string value;
        ++i;
        for (; i < row.size(); ++i) {
          if (row[i] == '"') {
            if (i + 1 < row.size() && row[i + 1] == '"') {
              value.push_back('"');
              ++i;
            } else {
              ++i;
              break;
            }
          } else {
            value.push_back(row[i]);
          }
        }
        // Text after the closing quote up to the separator is kept (lenient, as spreadsheets do).
        while (i < row.size() && row[i] != ',') value.push_back(row[i++]);
        unquoted_.push_back(std::move(value));
        fields->push_back(unquoted_.back());
      } else {
        size_t comma = row.find(',', i);
        if (comma == std::string_view::npos) comma = row.size();
        fields->push_back(row.substr(i, comma - i));
        i = comma;
      }
      if (i >= row.size()) break;
      ++i;  // skip ','
      if (i == row.size()) {
        fields->push_back(std::string_view());
        break;
      }
    }
    return true;
  }
}

void AppendCsvField(std::string* out, std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out->append(field);
    return;
  }
  out->push_back('"');
  for (char c : field) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

namespace {

template <typename Fields>
void AppendRow(std::string* out, const Fields& fields) {
  // One empty field would be an empty line, which readers skip: quote it.
  if (fields.size() == 1 && fields[0].empty()) {
    out->append("\"\"\n");
    return;
  }
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) out->push_back(',');
    AppendCsvField(out, fields[i]);
  }
  out->push_back('\n');
}

}  // namespace

void AppendCsvRow(std::string* out, const std::vector<std::string>& fields) {
  AppendRow(out, fields);
}

void AppendCsvRow(std::string* out, std::span<const std::string_view> fields) {
  AppendRow(out, fields);
}

std::string CsvHeaderKey(std::string_view name) {
  std::string folded = AsciiLower(Trim(FoldAsciiWidth(name)));
  folded.erase(std::remove(folded.begin(), folded.end(), ' '), folded.end());
  if (folded.size() >= 2 && folded.front() == '"' && folded.back() == '"')
    folded = folded.substr(1, folded.size() - 2);
  return folded;
}

}  // namespace fanzha
