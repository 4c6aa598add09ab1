#include "fuzz/import_check.h"

#include <algorithm>
#include <memory>

#include "fuzz/fuzz_util.h"
#include "fuzz/records.h"
#include "import/import.h"

namespace fanzha::fuzz {

bool Same(const Records& a, const Records& b) {
  return Same(a.accounts, b.accounts) && Same(a.transfers, b.transfers) && Same(a.cases, b.cases);
}

std::string Describe(const Records& r) {
  return Describe(r.accounts) + Describe(r.transfers) + Describe(r.cases);
}

namespace {

std::unique_ptr<store::Store> OpenStore(const std::string& name) {
  auto s = store::Store::OpenSqlite(TempDir() + "/" + name);
  FUZZ_CHECK(s.ok(), s.status().ToString());
  return std::move(*s);
}

// Empties every table (the schema stays): each input starts from an empty store.
void EmptyStore(store::Store& s) {
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
  // By id: the canonical files write accounts grouped by their attribute columns (AccountsCsv),
  // so the order in which the store received them is not theirs to keep.
  std::sort(r.accounts.begin(), r.accounts.end(),
            [](const Account& a, const Account& b) { return a.id < b.id; });
  st = s.ForEachTransfer([&](const Transfer& t) { r.transfers.push_back(t); });
  FUZZ_CHECK(st.ok(), st.ToString());
  st = s.ForEachCase([&](const Case& c) { r.cases.push_back(c); });
  FUZZ_CHECK(st.ok(), st.ToString());
  return r;
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

// `static` only so that the line does not start with `import`: clang-format 14 takes that for a
// C++20 module import and loses track of the braces after it.
static import::Options MakeOptions(bool skip_bad) {
  import::Options o;
  o.skip_bad = skip_bad;
  o.progress = false;
  o.reject_file = TempDir() + "/rejects.csv";
  return o;
}

void CheckOutcome(const import::Outcome& out, const std::vector<std::string>& paths,
                  bool skip_bad) {
  if (!out.status.ok()) {
    FUZZ_CHECK_ERROR(out.status);
    FUZZ_CHECK(
        out.status.code() == ErrorCode::kInvalidInput || out.status.code() == ErrorCode::kConflict,
        out.status.ToString());
    bool names_file = false;
    for (const std::string& p : paths) names_file |= out.status.message().starts_with(p + ":");
    FUZZ_CHECK(names_file, out.status.ToString());
  }
  for (const import::FileReport& r : out.files) {
    FUZZ_CHECK(r.added + r.unchanged + r.merged + r.rejected + r.skipped == r.rows,
               r.path + ": rows " + std::to_string(r.rows) + ", added " + std::to_string(r.added) +
                   ", unchanged " + std::to_string(r.unchanged) + ", merged " +
                   std::to_string(r.merged) + ", rejected " + std::to_string(r.rejected) +
                   ", skipped " + std::to_string(r.skipped));
    FUZZ_CHECK(skip_bad || r.rejected == 0, r.path);
  }
}

void CheckCanonicalRoundTrip(store::Store& fresh, const Records& stored) {
  const std::string& dir = TempDir();
  std::vector<std::string> paths;
  for (const std::string& text : AccountsCsv(stored.accounts)) {
    paths.push_back(dir + "/canonical-accounts-" + std::to_string(paths.size()) + ".csv");
    WriteFile(paths.back(), text);
  }
  if (!stored.transfers.empty()) {
    paths.push_back(dir + "/canonical-transfers.csv");
    WriteFile(paths.back(), TransfersCsv(stored.transfers));
  }
  if (!stored.cases.empty()) {
    paths.push_back(dir + "/canonical-cases.jsonl");
    std::string lines;
    for (const Case& c : stored.cases) lines += CaseJson(c) + "\n";
    WriteFile(paths.back(), lines);
  }
  if (paths.empty()) return;
  EmptyStore(fresh);
  import::Outcome out = import::ImportFiles(fresh, paths, MakeOptions(false));
  FUZZ_CHECK(out.status.ok(), out.status.ToString() + "\nstored:\n" + Describe(stored));
  Records back = Read(fresh);
  FUZZ_CHECK(Same(back, stored), "stored:\n" + Describe(stored) + "read back:\n" + Describe(back));
}

}  // namespace

store::Store& ImportStore() {
  static store::Store* store = OpenStore("fuzz.db").release();
  return *store;
}

std::optional<Records> CheckImport(const std::vector<std::string>& paths,
                                   std::vector<import::FileReport>* reports) {
  store::Store& store = ImportStore();
  static store::Store* fresh = OpenStore("canonical.db").release();

  // Without skip_bad: all or nothing per file.
  EmptyStore(store);
  import::Outcome strict = import::ImportFiles(store, paths, MakeOptions(false));
  CheckOutcome(strict, paths, false);
  Records strict_records = Read(store);
  if (!strict.status.ok() && paths.size() == 1) {
    FUZZ_CHECK(Empty(strict_records), strict.status.ToString() + "\n" + Describe(strict_records));
  }

  // With skip_bad: never worse, and the same records when nothing was bad.
  EmptyStore(store);
  import::Outcome lenient = import::ImportFiles(store, paths, MakeOptions(true));
  CheckOutcome(lenient, paths, true);
  FUZZ_CHECK(lenient.status.ok() || !strict.status.ok(), lenient.status.ToString());
  if (!lenient.status.ok()) return std::nullopt;
  if (reports) *reports = lenient.files;
  Records stored = Read(store);
  CheckRules(stored);
  if (strict.status.ok()) {
    FUZZ_CHECK(Same(stored, strict_records),
               "strict:\n" + Describe(strict_records) + "skip_bad:\n" + Describe(stored));
  }

  // Again: nothing new.
  import::Outcome again = import::ImportFiles(store, paths, MakeOptions(true));
  CheckOutcome(again, paths, true);
  FUZZ_CHECK(again.status.ok(), again.status.ToString());
  for (const import::FileReport& r : again.files) {
    FUZZ_CHECK(r.added == 0 && r.merged == 0, r.path + ": added " + std::to_string(r.added) +
                                                  ", merged " + std::to_string(r.merged) +
                                                  " on the second import");
  }
  Records after = Read(store);
  FUZZ_CHECK(Same(after, stored), "first:\n" + Describe(stored) + "second:\n" + Describe(after));

  CheckCanonicalRoundTrip(*fresh, stored);
  return stored;
}

}  // namespace fanzha::fuzz
