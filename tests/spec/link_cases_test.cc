// The linking cases (tests/spec/link-cases/): small sets of cases, and where money links them a
// ledger, with the clusters and hubs that LINKING.md implies. Each folder is imported through the
// real importer into a real SQLite store and linked as `fanzha import` links it
// (link::UpdateStoredLinks: the cases one by one, tracing each case's money on the store's
// ledger), and the answer of `fanzha link --json` (link::ToJson) is compared with expected.json,
// and with a bulk run over the same store (link::LinkStore).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "import/import.h"
#include "link/from_store.h"
#include "link/json.h"

namespace fanzha {
namespace {

namespace fs = std::filesystem;

struct Folder {
  fs::path path;
};

// Names the case in test output instead of dumping its bytes.
void PrintTo(const Folder& f, std::ostream* os) { *os << f.path.string(); }

std::vector<Folder> AllFolders() {
  std::vector<Folder> out;
  for (const auto& dir :
       fs::directory_iterator(fs::path(FANZHA_SOURCE_DIR) / "tests/spec/link-cases")) {
    if (dir.is_directory() && fs::exists(dir.path() / "expected.json")) out.push_back({dir.path()});
  }
  std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.path < b.path; });
  return out;
}

// Evidence as lines (cases, kind, value) to compare in any order: the order of evidence of equal
// weight is not part of the rules.
std::multiset<std::string> EvidenceLines(const nlohmann::json& evidence) {
  std::multiset<std::string> out;
  for (const auto& e : evidence) {
    out.insert(e["cases"].dump() + " " + e["kind"].get<std::string>() + " " +
               e["value"].get<std::string>());
  }
  return out;
}

std::multiset<std::string> HubLines(const nlohmann::json& hubs) {
  std::multiset<std::string> out;
  for (const auto& h : hubs) {
    out.insert(h["kind"].get<std::string>() + " " + h["value"].get<std::string>() + " " +
               h["cases"].dump());
  }
  return out;
}

class LinkCase : public testing::TestWithParam<Folder> {};

TEST_P(LinkCase, MatchesTheSpecification) {
  const fs::path& folder = GetParam().path;
  nlohmann::json expected = nlohmann::json::parse(std::ifstream(folder / "expected.json"));
  std::string db = testing::TempDir() + "/link_spec_" + folder.filename().string() + ".db";
  fs::remove(db);
  auto store = store::Store::OpenSqlite(db);
  ASSERT_TRUE(store.ok()) << store.status().message();
  std::vector<std::string> files;
  for (const char* name : {"accounts.csv", "transfers.csv", "cases.jsonl"}) {
    if (fs::exists(folder / name)) files.push_back((folder / name).string());
  }
  import::Options import_options;
  import_options.progress = false;
  auto outcome = import::ImportFiles(**store, files, import_options);
  ASSERT_TRUE(outcome.status.ok()) << outcome.status.message();

  link::StoreLinkOptions options;  // what `fanzha import` links with, but for "options"
  if (expected.contains("options")) {
    options.link.max_key_cases = expected["options"].value("hub_threshold", 50);
  }
  link::StoredLinkReport report;
  auto linked = link::UpdateStoredLinks(**store, options, false, 0, &report);
  ASSERT_TRUE(linked.ok()) << linked.status().message();
  EXPECT_EQ(report.untraced, 0) << "a case lists payments that are not in transfers.csv";
  nlohmann::json got = nlohmann::json::parse(link::ToJson(linked->linker.Clusters()).dump());

  ASSERT_EQ(got["clusters"].size(), expected["clusters"].size()) << got["clusters"].dump();
  std::set<std::string> clustered;
  for (size_t i = 0; i < expected["clusters"].size(); ++i) {
    const nlohmann::json& want = expected["clusters"][i];
    const nlohmann::json& have = got["clusters"][i];
    SCOPED_TRACE("cluster " + std::to_string(i) + ": " + have.dump());
    if (want.contains("id")) {
      EXPECT_EQ(have["id"], want["id"]);
    }
    EXPECT_EQ(have["cases"], want["cases"]);
    EXPECT_EQ(have["loss"], want["loss"]);
    EXPECT_EQ(have["regions"], want["regions"]);
    EXPECT_EQ(EvidenceLines(have["evidence"]), EvidenceLines(want["evidence"]));
    // Every link says how strong it is: a weight in (0, 1], strongest first; where the expected
    // file gives one, that weight (link.h's formula, rounded to three places).
    double previous = 1;
    for (const auto& e : have["evidence"]) {
      double w = e["weight"].get<double>();
      EXPECT_GT(w, 0) << e.dump();
      EXPECT_LE(w, previous) << e.dump();
      previous = w;
    }
    for (const auto& e : want["evidence"]) {
      if (!e.contains("weight")) continue;
      auto same = std::find_if(have["evidence"].begin(), have["evidence"].end(), [&](auto& h) {
        return h["cases"] == e["cases"] && h["kind"] == e["kind"] && h["value"] == e["value"];
      });
      if (same == have["evidence"].end()) continue;  // reported above
      EXPECT_NEAR((*same)["weight"].get<double>(), e["weight"].get<double>(), 1e-9) << e.dump();
    }
    for (const auto& c : have["cases"]) {
      EXPECT_TRUE(clustered.insert(c.get<std::string>()).second)
          << c << " is in more than one cluster";
    }
  }
  EXPECT_EQ(HubLines(got["hubs"]), HubLines(expected["hubs"]));

  // LINKING.md: "a bulk run over all cases gives the same clusters as adding the cases one by one"
  // (the import above added them one by one, on a store that had none).
  auto bulk = link::LinkStore(**store, options);
  ASSERT_TRUE(bulk.ok()) << bulk.status().message();
  EXPECT_EQ(link::ToJson(bulk->linker.Clusters()).dump(),
            link::ToJson(linked->linker.Clusters()).dump());
}

INSTANTIATE_TEST_SUITE_P(Spec, LinkCase, testing::ValuesIn(AllFolders()),
                         [](const testing::TestParamInfo<Folder>& info) {
                           std::string name = info.param.path.filename().string();
                           for (char& ch : name) {
                             if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return "case_" + name;
                         });

}  // namespace
}  // namespace fanzha
