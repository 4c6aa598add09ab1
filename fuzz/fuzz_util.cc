#include "fuzz/fuzz_util.h"

#include <unistd.h>

#include <filesystem>

namespace fanzha::fuzz {

const std::string& TempDir() {
  static const std::string* dir = [] {
    std::string base = "/tmp";
    if (const char* t = std::getenv("TMPDIR"); t && *t) base = t;
    if (::access("/dev/shm", W_OK) == 0) base = "/dev/shm";
    std::string pattern = base + "/fanzha-fuzz-XXXXXX";
    if (!::mkdtemp(pattern.data())) Fail(__FILE__, __LINE__, "mkdtemp", pattern);
    auto* d = new std::string(pattern);
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(TempDir(), ec);
    });
    return d;
  }();
  return *dir;
}

void WriteFile(const std::string& path, std::string_view bytes) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) Fail(__FILE__, __LINE__, "fopen", path);
  bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  ok &= std::fclose(f) == 0;
  if (!ok) Fail(__FILE__, __LINE__, "fwrite", path);
}

void CheckError(const Status& st, const char* file, int line) {
  if (st.ok()) return;
  if (st.code() == ErrorCode::kInternal) Fail(file, line, "an internal error", st.ToString());
  if (st.message().empty()) Fail(file, line, "an error without a message", st.ToString());
  if (st.zh().empty()) Fail(file, line, "an error without a Chinese line", st.ToString());
}

}  // namespace fanzha::fuzz
