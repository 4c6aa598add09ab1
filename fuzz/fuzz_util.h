// Shared by the fuzz targets: invariant checks that stop the run, and a temporary folder for the
// targets whose code reads files. Each target is one libFuzzer entry point, LLVMFuzzerTestOneInput;
// an exception escaping it, a sanitizer finding or a failed FUZZ_CHECK is a crash that libFuzzer
// saves as a reproducer (see scripts/fuzz.sh).
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/status.h"
#include "core/text.h"

namespace fanzha::fuzz {

[[noreturn]] inline void Fail(const char* file, int line, const char* what,
                              const std::string& detail) {
  std::fprintf(stderr, "%s:%d: invariant broken: %s\n  ", file, line, what);
  std::fwrite(detail.data(), 1, detail.size(), stderr);  // all of it, NUL bytes included
  std::fputc('\n', stderr);
  std::abort();
}

// The bytes of a fuzz input as text.
inline std::string_view Text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// A temporary folder for the process (on /dev/shm when there is one: no disk writes), removed
// when the process exits normally.
const std::string& TempDir();

// Writes `bytes` to `path` (replacing it); a failure stops the run (it is not the input's fault).
void WriteFile(const std::string& path, std::string_view bytes);

// The invariants every error must meet: an expected code (not kInternal: that is a bug), a message
// that says something and is valid UTF-8 (it reaches a terminal, a log or a JSON answer).
void CheckError(const Status& st, const char* file, int line);

}  // namespace fanzha::fuzz

// Stops the run with a report when `cond` is false; `detail` says what was seen.
#define FUZZ_CHECK(cond, detail)                                          \
  do {                                                                    \
    if (!(cond)) ::fanzha::fuzz::Fail(__FILE__, __LINE__, #cond, detail); \
  } while (0)

#define FUZZ_CHECK_ERROR(st) ::fanzha::fuzz::CheckError((st), __FILE__, __LINE__)
