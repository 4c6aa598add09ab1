// A buffered output file with hand-rolled formatting of the values the generator writes most
// (integers, fen as yuan, RFC 3339 times): no iostreams or std::format per field.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "core/status.h"
#include "core/time.h"

namespace fanzha::gen {

class OutFile {
 public:
  OutFile() = default;
  ~OutFile();
  OutFile(const OutFile&) = delete;
  OutFile& operator=(const OutFile&) = delete;

  Status Open(const std::string& path);
  Status Close();  // flushes; reports a failed write
  bool is_open() const { return file_ != nullptr; }

  OutFile& Put(std::string_view s) {
    buf_.append(s);
    if (buf_.size() >= kFlushAt) Flush();
    return *this;
  }
  OutFile& Put(char c) {
    buf_.push_back(c);
    return *this;
  }
  OutFile& Int(int64_t v);
  OutFile& Money(int64_t fen);  // "1234.50"
  OutFile& Time(Millis t);      // "2020-02-08T00:42:00+08:00" (+08:00; whole seconds unless ms set)
  OutFile& LocalTime(Millis t);             // "2020-02-08 00:42:00": the bank statement form
  OutFile& JsonString(std::string_view s);  // quoted and escaped
  void MaybeFlush() {
    if (buf_.size() >= kFlushAt) Flush();
  }

 private:
  static constexpr size_t kFlushAt = 1 << 20;
  void Flush();
  void DateTime(Millis t, char sep);

  std::FILE* file_ = nullptr;
  std::string path_;
  std::string buf_;
  bool failed_ = false;
  int64_t cached_day_ = INT64_MIN;
  char cached_date_[11];
};

}  // namespace fanzha::gen
