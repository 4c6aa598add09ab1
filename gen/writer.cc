#include "gen/writer.h"

#include <cerrno>
#include <cstring>

namespace fanzha::gen {
namespace {

void WriteFixed(char* out, int64_t v, int width) {
  for (int i = width - 1; i >= 0; --i, v /= 10) out[i] = static_cast<char>('0' + v % 10);
}

}  // namespace

OutFile::~OutFile() {
  if (file_) (void)Close();
}

Status OutFile::Open(const std::string& path) {
  path_ = path;
  file_ = std::fopen(path.c_str(), "wb");
  if (!file_) {
    const std::string why = std::strerror(errno);
    return Status::Io(path + ": " + why).WithZh(path + "：无法创建文件（" + why + "）");
  }
  buf_.reserve(kFlushAt + 4096);
  return Status::Ok();
}

void OutFile::Flush() {
  if (!buf_.empty() && std::fwrite(buf_.data(), 1, buf_.size(), file_) != buf_.size())
    failed_ = true;
  buf_.clear();
}

Status OutFile::Close() {
  if (!file_) return Status::Ok();
  Flush();
  if (std::fclose(file_) != 0) failed_ = true;
  file_ = nullptr;
  if (failed_) return Status::Io(path_ + ": write failed").WithZh(path_ + "：写入失败");
  return Status::Ok();
}

OutFile& OutFile::Int(int64_t v) {
  char tmp[24];
  int n = 0;
  const bool negative = v < 0;
  uint64_t u = negative ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  do {
    tmp[n++] = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u);
  if (negative) buf_.push_back('-');
  while (n) buf_.push_back(tmp[--n]);
  return *this;
}

OutFile& OutFile::Money(int64_t fen) {
  Int(fen / 100);
  const int cents = static_cast<int>(fen % 100);
  buf_.push_back('.');
  buf_.push_back(static_cast<char>('0' + cents / 10));
  buf_.push_back(static_cast<char>('0' + cents % 10));
  return *this;
}

void OutFile::DateTime(Millis t, char sep) {
  const int64_t local = t + 8 * 3600 * 1000LL;
  int64_t day = local / 86400000;
  int64_t ms_of_day = local % 86400000;
  if (ms_of_day < 0) {
    ms_of_day += 86400000;
    --day;
  }
  if (day != cached_day_) {
    // Civil-from-days (H. Hinnant's algorithm).
    const int64_t z = day + 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const int64_t doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    const int64_t d = doy - (153 * mp + 2) / 5 + 1;
    const int64_t m = mp < 10 ? mp + 3 : mp - 9;
    const int64_t y = yoe + era * 400 + (m <= 2);
    WriteFixed(cached_date_, y, 4);
    cached_date_[4] = '-';
    WriteFixed(cached_date_ + 5, m, 2);
    cached_date_[7] = '-';
    WriteFixed(cached_date_ + 8, d, 2);
    cached_day_ = day;
  }
  buf_.append(cached_date_, 10);
  buf_.push_back(sep);
  const int s = static_cast<int>(ms_of_day / 1000);
  const char hms[8] = {static_cast<char>('0' + s / 36000),
                       static_cast<char>('0' + s / 3600 % 10),
                       ':',
                       static_cast<char>('0' + s % 3600 / 600),
                       static_cast<char>('0' + s % 600 / 60 % 10),
                       ':',
                       static_cast<char>('0' + s % 60 / 10),
                       static_cast<char>('0' + s % 10)};
  buf_.append(hms, 8);
  const int ms = static_cast<int>(ms_of_day % 1000);
  if (ms) {
    const char frac[4] = {'.', static_cast<char>('0' + ms / 100),
                          static_cast<char>('0' + ms / 10 % 10), static_cast<char>('0' + ms % 10)};
    buf_.append(frac, 4);
  }
}

OutFile& OutFile::Time(Millis t) {
  DateTime(t, 'T');
  buf_.append("+08:00");
  return *this;
}

OutFile& OutFile::LocalTime(Millis t) {
  DateTime(t, ' ');
  return *this;
}

OutFile& OutFile::JsonString(std::string_view s) {
  buf_.push_back('"');
  for (char c : s) {
    switch (c) {
      case '"':
        buf_.append("\\\"");
        break;
      case '\\':
        buf_.append("\\\\");
        break;
      case '\n':
        buf_.append("\\n");
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char esc[8];
          std::snprintf(esc, sizeof esc, "\\u%04x", c);
          buf_.append(esc);
        } else {
          buf_.push_back(c);
        }
    }
  }
  buf_.push_back('"');
  return *this;
}

}  // namespace fanzha::gen
