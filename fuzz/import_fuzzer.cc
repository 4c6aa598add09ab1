// The importers end to end (import/import.h): the input becomes one or two files that go through
// import::ImportFiles into a real SQLite store, as `fanzha import` does. The importer is chosen the
// way the command line chooses it, by the file's header (accounts.csv, transfers.csv, a bank
// statement with English or Chinese headers, cases.jsonl); a form feed ('\f') splits the input into
// two files imported in one call (accounts with their transfers, two sides of a statement). The
// files are named like bank statements, after an account each. Slower than the parse-step targets
// (a store per call), so it runs fewer inputs; it checks what only a store can show.
//
// Built once as `import` (any kind) and once per importer (`accounts`, `transfers`, `statements`,
// FUZZ_KIND set): those keep only inputs whose every file is of their kind (others are rejected,
// returning -1, so they do not enter the corpus), and so spend their time inside one importer.
//
// Invariants, per input: those of fuzz/import_check.h (atomic, counted, skip_bad never worse,
// idempotent, rules kept, canonical round trip).
#include <string>
#include <vector>

#include "fuzz/fuzz_util.h"
#include "fuzz/import_check.h"
#include "import/import.h"

using namespace fanzha;

namespace {

struct Input {
  std::vector<std::string> paths;
};

Input WriteInput(std::string_view bytes) {
  const std::string& dir = fuzz::TempDir();
  Input in;
  in.paths = {dir + "/流水_6222021234567890123.csv"};
  size_t ff = bytes.find('\f');
  if (ff != std::string_view::npos) {
    in.paths.push_back(dir + "/流水_6217000011112222333.csv");
    fuzz::WriteFile(in.paths[1], bytes.substr(ff + 1));
    bytes = bytes.substr(0, ff);
  }
  fuzz::WriteFile(in.paths[0], bytes);
  return in;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Input in = WriteInput(fuzz::Text(data, size));
#ifdef FUZZ_KIND
  for (const std::string& p : in.paths) {
    Result<import::FileKind> kind = import::DetectKind(p);
    if (!kind.ok() || *kind != import::FileKind::FUZZ_KIND) return -1;
  }
#endif
  fuzz::CheckImport(in.paths);
  return 0;
}
