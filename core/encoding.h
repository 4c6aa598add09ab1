// The character encoding of an input file, and reading it as UTF-8.
//
// Everything fanzha stores is UTF-8. Files from Chinese banks are often GBK/GB18030 (frequently
// with an ASCII header, so the first line alone tells nothing). A file is read as GB18030 when the
// user says so (--encoding gb18030), when it starts with GB18030's byte order mark (84 31 95 33),
// or when it is reliably recognised: not valid UTF-8, but valid GB18030 whose two-byte characters
// are nearly all in the GB2312 range of hanzi and punctuation (text in another legacy encoding,
// such as Latin-1, fails that test and is refused rather than guessed). Conversion uses glibc's
// iconv.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

namespace fanzha {

enum class Encoding { kAuto, kUtf8, kGb18030 };

// "auto" | "utf-8" (also "utf8") | "gb18030" (also "gbk", "gb2312", "cp936": GB18030 is their
// superset). Case-insensitive. kInvalidInput naming the known names otherwise.
Result<Encoding> ParseEncoding(std::string_view name);
std::string_view Name(Encoding e);  // "auto", "utf-8", "gb18030"

// What DetectEncoding found.
struct FileEncoding {
  Encoding encoding = Encoding::kUtf8;  // kUtf8 or kGb18030, never kAuto
  size_t bom = 0;                       // bytes of a byte order mark at the start, to skip
  // True when every byte was checked and is valid in `encoding`: readers then need no check per
  // field. False: the file has bad bytes somewhere, and readers must check each field (to name
  // the line and field of the first bad one).
  bool valid = true;
  bool detected = false;  // true when GB18030 was recognised (not asked for, no byte order mark)
};

// Looks at the whole of `bytes` (one pass; about 1 GB/s for UTF-8). `requested` kAuto detects as
// the file comment says; kUtf8 or kGb18030 are taken as given (only `valid` is computed). A UTF-16
// or UTF-32 byte order mark is kInvalidInput (save the file as UTF-8 CSV).
Result<FileEncoding> DetectEncodingOf(std::string_view bytes, Encoding requested);
// The same over a file, read in chunks (memory does not grow with the file). kIoError when it
// cannot be read; messages start with the path.
Result<FileEncoding> DetectEncoding(const std::string& path, Encoding requested);

// True when `bytes` is well-formed GB18030 (one, two and four byte sequences).
bool IsValidGb18030(std::string_view bytes);

// A file's (or a buffer's) text as UTF-8: skips the byte order mark and converts GB18030. A
// sequence that does not convert becomes the byte 0xFF, which is never valid UTF-8, so that the
// reader's check of each field finds it and names its line and field. Not thread-safe.
class DecodedInput {
 public:
  static Result<std::unique_ptr<DecodedInput>> Open(const std::string& path,
                                                    const FileEncoding& encoding);
  // Over bytes the caller keeps alive for the reader's lifetime.
  static Result<std::unique_ptr<DecodedInput>> OfBuffer(std::string_view bytes,
                                                        const FileEncoding& encoding);
  ~DecodedInput();
  DecodedInput(const DecodedInput&) = delete;
  DecodedInput& operator=(const DecodedInput&) = delete;

  // Appends the next chunk of UTF-8 (about `n` bytes) to *out. Returns false at the end of input
  // (nothing appended) and on a read error (then status() says why).
  bool Read(std::string* out, size_t n);
  const Status& status() const { return status_; }
  // Input bytes consumed so far and the input's size (-1 when unknown), for progress bars.
  int64_t bytes_read() const { return raw_read_; }
  int64_t size() const { return size_; }

 private:
  DecodedInput() = default;
  std::FILE* file_ = nullptr;
  std::string_view buffer_;  // when reading a buffer
  void* iconv_ = nullptr;    // iconv_t when converting
  std::string carry_;        // raw bytes of an incomplete sequence at the end of the last chunk
  std::string raw_;
  int64_t raw_read_ = 0;
  int64_t size_ = -1;
  bool eof_ = false;
  Status status_;
};

}  // namespace fanzha
