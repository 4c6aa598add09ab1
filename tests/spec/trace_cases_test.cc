// The worked cases of TRACING.md (tests/spec/trace-cases/, a copy of the specification's folder):
// each ledger is imported through the real importer into a real SQLite store, loaded into the
// ledger, traced, and compared with the expected answer fen for fen.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

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
  ASSERT_EQ(got["held"].size(), expected["held"].size()) << got["held"].dump();
  for (size_t i = 0; i < expected["held"].size(); ++i) {
    EXPECT_EQ(got["held"][i]["account"], expected["held"][i]["account"]) << i;
    EXPECT_EQ(got["held"][i]["amount"], expected["held"][i]["amount"]) << i;
  }
  auto exit_set = [](const nlohmann::json& exits) {
    std::set<std::string> s;
    for (const auto& x : exits) {
      s.insert(x["account"].get<std::string>() + "/" + x["kind"].get<std::string>() + "/" +
               x["amount"].get<std::string>());
    }
    return s;
  };
  EXPECT_EQ(exit_set(got["exits"]), exit_set(expected["exits"]));
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
