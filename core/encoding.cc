#include "core/encoding.h"

#include <iconv.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <utility>

#include "core/text.h"

namespace fanzha {
namespace {

constexpr size_t kDecodeChunk = 1 << 20;

// Scans UTF-8 and GB18030 at once over the chunks of one input: whether each is still valid, and
// how GB18030's multi-byte characters are spread (for recognising it). Each keeps the start of a
// sequence that the end of a chunk cut, and finishes it with the next chunk.
class Scanner {
 public:
  // Which encodings to check; the other reads as invalid.
  Scanner(bool utf8, bool gb) : utf8_ok_(utf8), gb_ok_(gb) {}
  void Add(std::string_view chunk, bool last) {
    if (utf8_ok_) utf8_ok_ = Scan(&utf8_carry_, chunk, last, &Scanner::Utf8);
    if (gb_ok_) gb_ok_ = Scan(&gb_carry_, chunk, last, &Scanner::Gb);
  }
  bool done() const { return !utf8_ok_ && !gb_ok_; }
  bool utf8_ok() const { return utf8_ok_; }
  bool gb_ok() const { return gb_ok_; }
  // Nearly all multi-byte characters are two-byte GB2312 hanzi or punctuation (both bytes A1..FE).
  bool gb_plausible() const {
    int64_t multi = gb_two_ + gb_four_;
    return multi > 0 && gb_common_ * 10 >= multi * 9;
  }

 private:
  // The length of the sequence starting at s[i]: 0 when it is invalid, -1 when s ends inside it.
  using Step = int (Scanner::*)(std::string_view s, size_t i);

  bool Scan(std::string* carry, std::string_view chunk, bool last, Step step) {
    std::string joined;
    if (!carry->empty()) {
      joined = *carry + std::string(chunk);
      chunk = joined;
      carry->clear();
    }
    size_t i = 0;
    const size_t n = chunk.size();
    while (i < n) {
      while (i + 8 <= n) {  // eight ASCII bytes at a time
        uint64_t w;
        std::memcpy(&w, chunk.data() + i, 8);
        if (w & 0x8080808080808080ull) break;
        i += 8;
      }
      if (i < n && static_cast<unsigned char>(chunk[i]) < 0x80) {
        ++i;
        continue;
      }
      if (i >= n) break;
      int len = (this->*step)(chunk, i);
      if (len == 0) return false;
      if (len < 0) {
        if (last) return false;
        carry->assign(chunk.substr(i));
        return true;
      }
      i += static_cast<size_t>(len);
    }
    return true;
  }

  int Utf8(std::string_view s, size_t i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c >= 0xC2 && c <= 0xDF   ? 2
                 : c >= 0xE0 && c <= 0xEF ? 3
                 : c >= 0xF0 && c <= 0xF4 ? 4
                                          : 0;
    if (len == 0) return 0;
    if (i + len > s.size()) {
      // Cut short: valid so far?
      std::string_view part = s.substr(i);
      for (size_t k = 1; k < part.size(); ++k)
        if ((static_cast<unsigned char>(part[k]) & 0xC0) != 0x80) return 0;
      return -1;
    }
    return FirstInvalidUtf8(s.substr(i, len)) == len ? static_cast<int>(len) : 0;
  }

  int Gb(std::string_view s, size_t i) {
    const size_t n = s.size();
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == 0x80 || c == 0xFF) return 0;
    if (i + 1 >= n) return -1;
    unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
    if ((c1 >= 0x40 && c1 <= 0x7E) || (c1 >= 0x80 && c1 <= 0xFE)) {
      ++gb_two_;
      gb_common_ += c >= 0xA1 && c1 >= 0xA1;
      return 2;
    }
    if (c1 < 0x30 || c1 > 0x39) return 0;
    if (i + 3 >= n) return -1;
    unsigned char c2 = static_cast<unsigned char>(s[i + 2]);
    unsigned char c3 = static_cast<unsigned char>(s[i + 3]);
    if (c2 < 0x81 || c2 > 0xFE || c3 < 0x30 || c3 > 0x39) return 0;
    ++gb_four_;
    return 4;
  }

  std::string utf8_carry_, gb_carry_;
  bool utf8_ok_, gb_ok_;
  int64_t gb_two_ = 0, gb_common_ = 0, gb_four_ = 0;
};

// The byte order mark at the start of `head`, if any: its encoding and length. kInvalidInput for
// UTF-16 and UTF-32.
Result<std::pair<Encoding, size_t>> Bom(std::string_view head) {
  if (head.starts_with("\xEF\xBB\xBF")) return std::pair{Encoding::kUtf8, size_t{3}};
  if (head.starts_with(std::string_view("\x84\x31\x95\x33", 4)))
    return std::pair{Encoding::kGb18030, size_t{4}};
  if (head.starts_with("\xFF\xFE") || head.starts_with("\xFE\xFF") ||
      head.starts_with(std::string_view("\x00\x00\xFE\xFF", 4)))
    return Status::Invalid(
               "the file is UTF-16 or UTF-32 (it starts with that byte order mark): "
               "save it as CSV in UTF-8 (or GB18030) and import that")
        .WithZh(
            "文件为 UTF-16 或 UTF-32 编码（以该字节顺序标记开头）：请另存为 UTF-8（或 "
            "GB18030）编码的 CSV 后再导入");
  return std::pair{Encoding::kAuto, size_t{0}};
}

// The encoding to read in, before looking at the bytes: kAuto while it depends on them.
Encoding Chosen(Encoding requested, Encoding bom) {
  return requested != Encoding::kAuto ? requested : bom;
}

// Two passes at most over `read_all` (a function that feeds every chunk of the input, after the
// byte order mark, to a Scanner): UTF-8 first; GB18030 only when UTF-8 failed and GB18030 is
// possible. Most files are UTF-8 and are read once.
template <typename ReadAll>
Result<FileEncoding> Detect(Encoding requested, std::pair<Encoding, size_t> bom, ReadAll read_all) {
  FileEncoding out;
  out.bom = bom.second;
  Encoding e = Chosen(requested, bom.first);
  // A byte order mark of the other encoding is not skipped: it is data, and found invalid.
  if (bom.first != Encoding::kAuto && e != bom.first) out.bom = 0;
  if (e != Encoding::kGb18030) {
    Scanner utf8(true, false);
    FANZHA_RETURN_IF_ERROR(read_all(out.bom, &utf8));
    if (utf8.utf8_ok() || e == Encoding::kUtf8) {
      out.encoding = Encoding::kUtf8;
      out.valid = utf8.utf8_ok();
      return out;
    }
  }
  Scanner gb(false, true);
  FANZHA_RETURN_IF_ERROR(read_all(out.bom, &gb));
  if (e == Encoding::kGb18030) {
    out.encoding = Encoding::kGb18030;
    out.valid = gb.gb_ok();
  } else if (gb.gb_ok() && gb.gb_plausible()) {
    out.encoding = Encoding::kGb18030;
    out.detected = true;
  } else {
    out.encoding = Encoding::kUtf8;
    out.valid = false;
  }
  return out;
}

}  // namespace

Result<Encoding> ParseEncoding(std::string_view name) {
  std::string n = AsciiLower(Trim(name));
  if (n == "auto" || n.empty()) return Encoding::kAuto;
  if (n == "utf-8" || n == "utf8") return Encoding::kUtf8;
  if (n == "gb18030" || n == "gbk" || n == "gb2312" || n == "cp936") return Encoding::kGb18030;
  return Status::Invalid("unknown encoding '" + Excerpt(name) + "' (one of auto, utf-8, gb18030)")
      .WithZh("未知编码 '" + Excerpt(name) + "'（可选 auto、utf-8、gb18030）");
}

std::string_view Name(Encoding e) {
  switch (e) {
    case Encoding::kAuto:
      return "auto";
    case Encoding::kUtf8:
      return "utf-8";
    case Encoding::kGb18030:
      return "gb18030";
  }
  return "?";
}

bool IsValidGb18030(std::string_view bytes) {
  Scanner s(false, true);
  s.Add(bytes, true);
  return s.gb_ok();
}

Result<FileEncoding> DetectEncodingOf(std::string_view bytes, Encoding requested) {
  FANZHA_ASSIGN_OR_RETURN(auto bom, Bom(bytes));
  return Detect(requested, bom, [&](size_t skip, Scanner* scan) {
    scan->Add(bytes.substr(skip), true);
    return Status::Ok();
  });
}

Result<FileEncoding> DetectEncoding(const std::string& path, Encoding requested) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    const std::string why = std::strerror(errno);
    return Status::Io(path + ": cannot open: " + why).WithZh(path + "：无法打开（" + why + "）");
  }
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> close(f, std::fclose);
  char head[4] = {};
  size_t got = std::fread(head, 1, sizeof head, f);
  auto bom = Bom(std::string_view(head, got));
  if (!bom.ok()) return bom.status().WithContext(path);
  std::string chunk(kDecodeChunk, '\0');
  auto read_all = [&](size_t skip, Scanner* scan) -> Status {
    if (std::fseek(f, static_cast<long>(skip), SEEK_SET) != 0) {
      const std::string why = std::strerror(errno);
      return Status::Io(path + ": cannot read: " + why).WithZh(path + "：无法读取（" + why + "）");
    }
    for (;;) {
      size_t n = std::fread(chunk.data(), 1, kDecodeChunk, f);
      if (std::ferror(f)) return Status::Io(path + ": read error").WithZh(path + "：读取出错");
      bool last = n < kDecodeChunk;
      if (!last) {  // is there more?
        int c = std::fgetc(f);
        if (c == EOF)
          last = true;
        else
          std::ungetc(c, f);
      }
      scan->Add(std::string_view(chunk.data(), n), last);
      if (last || scan->done()) return Status::Ok();
    }
  };
  return Detect(requested, *bom, read_all);
}

// ---- DecodedInput ----

Result<std::unique_ptr<DecodedInput>> DecodedInput::Open(const std::string& path,
                                                         const FileEncoding& encoding) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    const std::string why = std::strerror(errno);
    return Status::Io(path + ": cannot open: " + why).WithZh(path + "：无法打开（" + why + "）");
  }
  std::unique_ptr<DecodedInput> in(new DecodedInput());
  in->file_ = f;
  if (std::fseek(f, 0, SEEK_END) == 0) {
    in->size_ = std::ftell(f);
    std::fseek(f, 0, SEEK_SET);
  }
  if (encoding.bom > 0) {
    std::fseek(f, static_cast<long>(encoding.bom), SEEK_SET);
    in->raw_read_ = static_cast<int64_t>(encoding.bom);
  }
  if (encoding.encoding == Encoding::kGb18030) {
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == reinterpret_cast<iconv_t>(-1))
      return Status::Internal("iconv cannot convert GB18030 to UTF-8 on this system");
    in->iconv_ = cd;
  }
  return in;
}

Result<std::unique_ptr<DecodedInput>> DecodedInput::OfBuffer(std::string_view bytes,
                                                             const FileEncoding& encoding) {
  std::unique_ptr<DecodedInput> in(new DecodedInput());
  in->buffer_ = bytes.substr(std::min(encoding.bom, bytes.size()));
  in->size_ = static_cast<int64_t>(bytes.size());
  in->raw_read_ = static_cast<int64_t>(bytes.size() - in->buffer_.size());
  if (encoding.encoding == Encoding::kGb18030) {
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == reinterpret_cast<iconv_t>(-1))
      return Status::Internal("iconv cannot convert GB18030 to UTF-8 on this system");
    in->iconv_ = cd;
  }
  return in;
}

DecodedInput::~DecodedInput() {
  if (file_) std::fclose(file_);
  if (iconv_) iconv_close(static_cast<iconv_t>(iconv_));
}

bool DecodedInput::Read(std::string* out, size_t n) {
  if (eof_ || !status_.ok()) return false;
  // The raw bytes of this chunk.
  std::string_view raw;
  if (file_) {
    raw_.resize(n);
    size_t got = std::fread(raw_.data(), 1, n, file_);
    if (got < n && std::ferror(file_)) {
      status_ = Status::Io("read error").WithZh("读取出错");
      return false;
    }
    raw_.resize(got);
    raw = raw_;
  } else {
    raw = buffer_.substr(0, n);
    buffer_.remove_prefix(raw.size());
  }
  raw_read_ += static_cast<int64_t>(raw.size());
  const bool last = raw.empty();
  if (!iconv_) {
    if (last) eof_ = true;
    out->append(raw);
    return !last;
  }
  std::string in = std::move(carry_);
  carry_.clear();
  in.append(raw);
  if (last && in.empty()) {
    eof_ = true;
    return false;
  }
  size_t before = out->size();
  char* src = in.data();
  size_t src_left = in.size();
  while (src_left > 0) {
    size_t old = out->size();
    out->resize(old + src_left * 2 + 16);  // a GB18030 character never grows beyond 2x (+4)
    char* dst = out->data() + old;
    size_t dst_left = out->size() - old;
    size_t rc = iconv(static_cast<iconv_t>(iconv_), &src, &src_left, &dst, &dst_left);
    out->resize(out->size() - dst_left);
    if (rc != static_cast<size_t>(-1)) break;
    if (errno == E2BIG) continue;
    if (errno == EINVAL && !last) {  // cut by the end of the chunk
      carry_.assign(src, src_left);
      break;
    }
    // EILSEQ, or an incomplete sequence at the very end: mark it and go on after its first byte.
    out->push_back('\xFF');
    ++src;
    --src_left;
  }
  if (last) eof_ = true;
  return out->size() > before || !last;
}

}  // namespace fanzha
