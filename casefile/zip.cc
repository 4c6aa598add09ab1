// ZipOf(): a package as one .zip (casefile.h). Stored entries (method 0), names in UTF-8 (flag
// bit 11), no ZIP64: the server refuses packages of 4 GiB and more before it gets here.
#include <array>
#include <cstdint>

#include "casefile/casefile.h"

namespace fanzha::casefile {
namespace {

// CRC-32 (ISO 3309, reflected 0xEDB88320), as ZIP's APPNOTE 4.4.7 has it.
uint32_t Crc32(std::string_view bytes) {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char b : bytes) crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8);
  return crc ^ 0xFFFFFFFFu;
}

void U16(std::string* out, uint32_t v) {
  out->push_back(static_cast<char>(v & 0xFF));
  out->push_back(static_cast<char>((v >> 8) & 0xFF));
}
void U32(std::string* out, uint32_t v) {
  U16(out, v & 0xFFFF);
  U16(out, v >> 16);
}

constexpr uint32_t kDosDate1980 = (0 << 9) | (1 << 5) | 1;  // 1980-01-01: the entries carry no time
constexpr uint32_t kUtf8Names = 1 << 11, kVersion = 20;

// The fields a local header and a central directory entry share, from "version needed" on.
void Common(std::string* out, uint32_t crc, uint32_t size, const std::string& name) {
  U16(out, kVersion);
  U16(out, kUtf8Names);
  U16(out, 0);  // stored
  U16(out, 0);  // time
  U16(out, kDosDate1980);
  U32(out, crc);
  U32(out, size);  // compressed
  U32(out, size);  // uncompressed
  U16(out, static_cast<uint32_t>(name.size()));
  U16(out, 0);  // extra field
}

}  // namespace

std::string ZipOf(const Package& package, const std::string& folder) {
  std::string zip, directory;
  for (const auto& [path, bytes] : package.files) {
    const std::string name = folder + "/" + path;
    const uint32_t crc = Crc32(bytes), size = static_cast<uint32_t>(bytes.size());
    const uint32_t offset = static_cast<uint32_t>(zip.size());
    U32(&zip, 0x04034b50);
    Common(&zip, crc, size, name);
    zip += name;
    zip += bytes;
    U32(&directory, 0x02014b50);
    U16(&directory, (3 << 8) | kVersion);  // made by: Unix
    Common(&directory, crc, size, name);
    U16(&directory, 0);               // comment
    U16(&directory, 0);               // disk
    U16(&directory, 0);               // internal attributes
    U32(&directory, 0100644u << 16);  // external: a regular file, rw-r--r--
    U32(&directory, offset);
    directory += name;
  }
  const uint32_t directory_at = static_cast<uint32_t>(zip.size());
  const uint32_t entries = static_cast<uint32_t>(package.files.size());
  zip += directory;
  U32(&zip, 0x06054b50);
  U16(&zip, 0);
  U16(&zip, 0);
  U16(&zip, entries);
  U16(&zip, entries);
  U32(&zip, static_cast<uint32_t>(directory.size()));
  U32(&zip, directory_at);
  U16(&zip, 0);  // comment
  return zip;
}

}  // namespace fanzha::casefile
