// The worked cases of TRACING.md (tests/spec/trace-cases/: the specification's folder, its expected
// answers with hops and flows added, and cases of fanzha's own): each ledger is imported through
// the real importer into a real SQLite store, loaded into the ledger, traced, and compared with the
// expected answer fen for fen (and hop for hop where the expected file lists hops and flows).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "import/import.h"
#include "ledger/ledger.h"
#include "trace/trace.h"

namespace fanzha {
namespace {

namespace fs = std::filesystem;

struct Expectation {
  fs::path folder;
  fs::path file;
};

std::vector<Expectation> AllExpectations() {
  std::vector<Expectation> out;
  fs::path root = fs::path(FANZHA_SOURCE_DIR) / "tests/spec/trace-cases";
  for (const auto& dir : fs::directory_iterator(root)) {
    if (!dir.is_directory()) continue;
    for (const auto& f : fs::directory_iterator(dir.path())) {
      if (f.path().filename().string().starts_with("expected-"))
        out.push_back({dir.path(), f.path()});
    }
  }
  std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.file < b.file; });
  return out;
}

// Names the case in test output instead of dumping its bytes.
void PrintTo(const Expectation& e, std::ostream* os) { *os << e.file.string(); }

// Each entry of `list` as one line of the given fields, sorted, so that lists compare in any order
// and a difference shows as the lines that differ.
std::multiset<std::string> Lines(const nlohmann::json& list,
                                 const std::vector<std::string>& fields) {
  std::multiset<std::string> out;
  for (const auto& entry : list) {
    std::string line;
    for (const std::string& f : fields) {
      line += f + "=" + (entry.contains(f) ? entry[f].dump() : "(absent)") + " ";
    }
    out.insert(line);
  }
  return out;
}

bool AllHave(const nlohmann::json& list, const std::string& field) {
  return !list.empty() &&
         std::all_of(list.begin(), list.end(), [&](const auto& e) { return e.contains(field); });
}

class TraceCase : public testing::TestWithParam<Expectation> {};

TEST_P(TraceCase, MatchesTheSpecification) {
  const Expectation& e = GetParam();
  nlohmann::json expected = nlohmann::json::parse(std::ifstream(e.file));
  std::string db = testing::TempDir() + "/spec_" + e.folder.filename().string() + "_" +
                   e.file.stem().string() + ".db";
  fs::remove(db);
  auto store = store::Store::OpenSqlite(db);
  ASSERT_TRUE(store.ok()) << store.status().message();
  import::Options options;
  options.progress = false;
  auto outcome = import::ImportFiles(
      **store,
      {(e.folder / "accounts.csv").string(), (e.folder / "transfers.csv").string(),
       (e.folder / "cases.jsonl").string()},
      options);
  ASSERT_TRUE(outcome.status.ok()) << outcome.status.message();
  auto ledger = ledger::Ledger::Load(**store);
  ASSERT_TRUE(ledger.ok());
  auto c = (*store)->GetCase(expected["case"].get<std::string>());
  ASSERT_TRUE(c.ok() && c->has_value());
  auto seeds = trace::SeedsOfCase(**ledger, **c);
  ASSERT_TRUE(seeds.ok()) << seeds.status().message();
  trace::Options o;
  o.policy = *trace::ParsePolicy(expected["policy"].get<std::string>());
  o.max_hops = expected["max_hops"].get<int>();
  auto answer = trace::Trace(**ledger, *seeds, o);
  ASSERT_TRUE(answer.ok()) << answer.status().message();
  nlohmann::json got = nlohmann::json::parse(trace::ToJson(*answer, (*c)->id).dump());

  EXPECT_EQ(got["seed"], expected["seed"]);
  EXPECT_EQ(got["dust"], expected["dust"]);
  // held in the answer's order; exits and flows in any order. `hops` (of held and exits) and
  // `flows` are compared when the expected file lists them.
  ASSERT_EQ(got["held"].size(), expected["held"].size()) << got["held"].dump();
  for (size_t i = 0; i < expected["held"].size(); ++i) {
    EXPECT_EQ(got["held"][i]["account"], expected["held"][i]["account"]) << i;
    EXPECT_EQ(got["held"][i]["amount"], expected["held"][i]["amount"]) << i;
    if (expected["held"][i].contains("hops")) {
      EXPECT_EQ(got["held"][i]["hops"], expected["held"][i]["hops"])
          << "hops held at " << expected["held"][i]["account"];
    }
  }
  std::vector<std::string> exit_fields = {"account", "kind", "amount"};
  if (AllHave(expected["exits"], "hops")) exit_fields.push_back("hops");
  EXPECT_EQ(Lines(got["exits"], exit_fields), Lines(expected["exits"], exit_fields));
  if (expected.contains("flows")) {
    const std::vector<std::string> fields = {"transfer", "from", "to", "amount", "hops"};
    EXPECT_EQ(Lines(got["flows"], fields), Lines(expected["flows"], fields));
  }
}

INSTANTIATE_TEST_SUITE_P(Spec, TraceCase, testing::ValuesIn(AllExpectations()),
                         [](const testing::TestParamInfo<Expectation>& info) {
                           std::string name = info.param.file.stem().string();
                           for (char& ch : name) {
                             if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return info.param.folder.filename().string().substr(0, 2) + "_" + name;
                         });

}  // namespace
}  // namespace fanzha
