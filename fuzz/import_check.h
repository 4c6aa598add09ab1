// Shared by the importer fuzz targets (import_fuzzer.cc, camt_fuzzer.cc): files through
// import::ImportFiles into a real SQLite store, as `fanzha import` does, with the invariants every
// import must keep. Per call of CheckImport:
// - nothing throws; an error is kInvalidInput or kConflict naming one of the files;
// - a file that fails leaves the store as it was (atomic);
// - every row read is counted once: added + unchanged + merged + rejected + skipped = rows;
// - with skip_bad the call succeeds whenever it succeeds without, and stores the same records;
// - importing the same files again adds nothing and changes nothing (idempotent);
// - every stored record keeps the rules (ids, accounts by channel, amounts above zero);
// - the stored records written out in canonical form (accounts.csv, transfers.csv, cases.jsonl
//   of FORMATS.md) import into an empty store as the same records: accepted rows round-trip.
// A failed invariant stops the run (FUZZ_CHECK). Not thread-safe (one store per process).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "import/import.h"
#include "store/store.h"

namespace fanzha::fuzz {

struct Records {
  std::vector<Account> accounts;
  std::vector<Transfer> transfers;
  std::vector<Case> cases;
};

bool Same(const Records& a, const Records& b);
std::string Describe(const Records& r);

// The store CheckImport imports into (a SQLite file in TempDir()); after a call it holds what the
// import with skip_bad stored.
store::Store& ImportStore();

// Imports `paths` into an emptied ImportStore() without and with skip_bad, then again, checking
// the invariants above. Returns what the import with skip_bad stored, or nullopt when it failed
// (with an error that met the invariants); `reports`, when given, gets that import's file reports.
std::optional<Records> CheckImport(const std::vector<std::string>& paths,
                                   std::vector<import::FileReport>* reports = nullptr);

}  // namespace fanzha::fuzz
