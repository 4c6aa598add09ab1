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
// Invariants, per input:
// - nothing throws; an error is kInvalidInput or kConflict naming one of the files;
// - a file that fails leaves the store as it was (atomic);
// - every row read is counted once: added + unchanged + merged + rejected = rows;
// - with skip_bad the call succeeds whenever it succeeds without, and stores the same records;
// - importing the same files again adds nothing and changes nothing (idempotent);
// - every stored record keeps the rules (ids, accounts by channel, amounts above zero);
// - the stored records written out in canonical form (accounts.csv, transfers.csv, cases.jsonl
//   of FORMATS.md) import into an empty store as the same records: accepted rows round-trip.
#include <memory>
#include <vector>

#include "fuzz/fuzz_util.h"
#include "fuzz/records.h"
#include "import/import.h"
#include "store/store.h"

using namespace fanzha;

namespace {

struct Records {
  std::vector<Account> accounts;
  std::vector<Transfer> transfers;
  std::vector<Case> cases;
};

bool Same(const Records& a, const Records& b) {
  return fuzz::Same(a.accounts, b.accounts) && fuzz::Same(a.transfers, b.transfers) &&
         fuzz::Same(a.cases, b.cases);
}

std::unique_ptr<store::Store> OpenStore(const std::string& name) {
  auto s = store::Store::OpenSqlite(fuzz::TempDir() + "/" + name);
  FUZZ_CHECK(s.ok(), s.status().ToString());
  return std::move(*s);
}

// Empties every table (the schema stays): each input starts from an empty store.
void Empty(store::Store& s) {
  std::vector<std::string> tables;
  {
    auto q = s.sql().Prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'fanzha_meta' AND "
        "name NOT LIKE 'sqlite_stat%'");
    FUZZ_CHECK(q.ok(), q.status().ToString());
    for (;;) {
      auto row = (*q)->Step();
      FUZZ_CHECK(row.ok(), row.status().ToString());
      if (!*row) break;
      tables.push_back((*q)->ColumnString(0));
    }
  }
  std::string sql;
  for (const std::string& t : tables) sql += "DELETE FROM \"" + t + "\";";
  Status st = s.sql().Exec(sql);
  FUZZ_CHECK(st.ok(), st.ToString());
}

Records Read(store::Store& s) {
  Records r;
  Status st = s.ForEachAccount([&](const Account& a) { r.accounts.push_back(a); });
  FUZZ_CHECK(st.ok(), st.ToString());
  st = s.ForEachTransfer([&](const Transfer& t) { r.transfers.push_back(t); });
  FUZZ_CHECK(st.ok(), st.ToString());
  st = s.ForEachCase([&](const Case& c) { r.cases.push_back(c); });
  FUZZ_CHECK(st.ok(), st.ToString());
  return r;
}

std::string Describe(const Records& r) {
  return fuzz::Describe(r.accounts) + fuzz::Describe(r.transfers) + fuzz::Describe(r.cases);
}

void CheckRules(const Records& r) {
  for (const Account& a : r.accounts) FUZZ_CHECK(!a.id.empty(), "an account without an id");
  for (const Transfer& t : r.transfers) {
    FUZZ_CHECK(!t.id.empty(), "a transfer without an id");
    FUZZ_CHECK(t.amount > 0, t.id + ": " + std::to_string(t.amount));
    FUZZ_CHECK(t.from != t.to, t.id);
    FUZZ_CHECK((t.channel == Channel::kDeposit) == t.from.empty(), t.id);
    FUZZ_CHECK((t.channel == Channel::kWithdrawal) == t.to.empty(), t.id);
  }
  for (const Case& c : r.cases) FUZZ_CHECK(!c.id.empty(), "a case without an id");
}

bool Empty(const Records& r) {
  return r.accounts.empty() && r.transfers.empty() && r.cases.empty();
}

// ---- the files of one input ----

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

import::Options MakeOptions(bool skip_bad) {
  import::Options o;
  o.skip_bad = skip_bad;
  o.progress = false;
  o.reject_file = fuzz::TempDir() + "/rejects.csv";
  return o;
}

void CheckOutcome(const import::Outcome& out, const Input& in, bool skip_bad) {
  if (!out.status.ok()) {
    FUZZ_CHECK_ERROR(out.status);
    FUZZ_CHECK(out.status.code() == ErrorCode::kInvalidInput ||
                   out.status.code() == ErrorCode::kConflict,
               out.status.ToString());
    bool names_file = false;
    for (const std::string& p : in.paths) names_file |= out.status.message().starts_with(p + ":");
    FUZZ_CHECK(names_file, out.status.ToString());
  }
  for (const import::FileReport& r : out.files) {
    FUZZ_CHECK(r.added + r.unchanged + r.merged + r.rejected == r.rows,
               r.path + ": rows " + std::to_string(r.rows) + ", added " +
                   std::to_string(r.added) + ", unchanged " + std::to_string(r.unchanged) +
                   ", merged " + std::to_string(r.merged) + ", rejected " +
                   std::to_string(r.rejected));
    FUZZ_CHECK(skip_bad || r.rejected == 0, r.path);
  }
}

void CheckCanonicalRoundTrip(store::Store& fresh, const Records& stored) {
  const std::string& dir = fuzz::TempDir();
  std::vector<std::string> paths;
  if (!stored.accounts.empty()) {
    paths.push_back(dir + "/canonical-accounts.csv");
    fuzz::WriteFile(paths.back(), fuzz::AccountsCsv(stored.accounts));
  }
  if (!stored.transfers.empty()) {
    paths.push_back(dir + "/canonical-transfers.csv");
    fuzz::WriteFile(paths.back(), fuzz::TransfersCsv(stored.transfers));
  }
  if (!stored.cases.empty()) {
    paths.push_back(dir + "/canonical-cases.jsonl");
    std::string lines;
    for (const Case& c : stored.cases) lines += fuzz::CaseJson(c) + "\n";
    fuzz::WriteFile(paths.back(), lines);
  }
  if (paths.empty()) return;
  Empty(fresh);
  import::Outcome out = import::ImportFiles(fresh, paths, MakeOptions(false));
  FUZZ_CHECK(out.status.ok(), out.status.ToString() + "\nstored:\n" + Describe(stored));
  Records back = Read(fresh);
  FUZZ_CHECK(Same(back, stored), "stored:\n" + Describe(stored) + "read back:\n" + Describe(back));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static store::Store* store = OpenStore("fuzz.db").release();
  static store::Store* fresh = OpenStore("canonical.db").release();
  Input in = WriteInput(fuzz::Text(data, size));
#ifdef FUZZ_KIND
  for (const std::string& p : in.paths) {
    Result<import::FileKind> kind = import::DetectKind(p);
    if (!kind.ok() || *kind != import::FileKind::FUZZ_KIND) return -1;
  }
#endif

  // Without skip_bad: all or nothing per file.
  Empty(*store);
  import::Outcome strict = import::ImportFiles(*store, in.paths, MakeOptions(false));
  CheckOutcome(strict, in, false);
  Records strict_records = Read(*store);
  if (!strict.status.ok() && in.paths.size() == 1) {
    FUZZ_CHECK(Empty(strict_records), strict.status.ToString() + "\n" + Describe(strict_records));
  }

  // With skip_bad: never worse, and the same records when nothing was bad.
  Empty(*store);
  import::Outcome lenient = import::ImportFiles(*store, in.paths, MakeOptions(true));
  CheckOutcome(lenient, in, true);
  FUZZ_CHECK(lenient.status.ok() || !strict.status.ok(), lenient.status.ToString());
  if (!lenient.status.ok()) return 0;
  Records stored = Read(*store);
  CheckRules(stored);
  if (strict.status.ok()) {
    FUZZ_CHECK(Same(stored, strict_records), "strict:\n" + Describe(strict_records) +
                                              "skip_bad:\n" + Describe(stored));
  }

  // Again: nothing new.
  import::Outcome again = import::ImportFiles(*store, in.paths, MakeOptions(true));
  CheckOutcome(again, in, true);
  FUZZ_CHECK(again.status.ok(), again.status.ToString());
  for (const import::FileReport& r : again.files) {
    FUZZ_CHECK(r.added == 0 && r.merged == 0,
               r.path + ": added " + std::to_string(r.added) + ", merged " +
                   std::to_string(r.merged) + " on the second import");
  }
  Records after = Read(*store);
  FUZZ_CHECK(Same(after, stored), "first:\n" + Describe(stored) + "second:\n" + Describe(after));

  CheckCanonicalRoundTrip(*fresh, stored);
  return 0;
}
