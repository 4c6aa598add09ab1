// On a generated world: leads for gangs go to the gang's home city (truth/gangs.csv).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "dispatch/dispatch.h"
#include "gen/gen.h"
#include "import/import.h"
#include "tests/support/postgres_server.h"

namespace fanzha::dispatch {
namespace {

namespace fs = std::filesystem;

// The first two columns of a truth file without quoted fields, header skipped.
std::map<std::string, std::string> ReadPairs(const fs::path& path) {
  std::map<std::string, std::string> out;
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::stringstream row(line);
    std::string a, b;
    std::getline(row, a, ',');
    std::getline(row, b, ',');
    out[a] = b;
  }
  return out;
}

// The gang most of the lead's cases belong to ("" when they are lone cases).
std::string GangOf(const Lead& lead, const std::map<std::string, std::string>& case_gang) {
  std::map<std::string, int> votes;
  for (const std::string& c : lead.cases) {
    auto it = case_gang.find(c);
    if (it != case_gang.end() && !it->second.empty()) ++votes[it->second];
  }
  std::string best;
  int n = 0;
  for (const auto& [g, v] : votes) {
    if (v > n) best = g, n = v;
  }
  return best;
}

TEST(DispatchOnAGeneratedWorld, AtLeast95PercentOfGangLeadsGoToTheGangsHomeCity) {
  const fs::path dir =
      fs::temp_directory_path() / ("fanzha_dispatch_world_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  gen::GenOptions go;
  go.out_dir = dir.string();
  go.transfers = 200000;
  go.cases = 600;
  go.events = 0;
  ASSERT_TRUE(gen::GenerateWorld(go).ok());
  auto store = store::Store::Open(test_support::StoreLocation((dir / "world.db").string()));
  ASSERT_TRUE(store.ok());
  std::vector<std::string> files = {(dir / "accounts.csv").string(),
                                    (dir / "transfers.csv").string(),
                                    (dir / "cases.jsonl").string()};
  import::Options io;
  io.progress = false;
  ASSERT_TRUE(import::ImportFiles(**store, files, io).status.ok());

  auto leads = MakeLeads(**store, {});
  ASSERT_TRUE(leads.ok()) << leads.status().ToString();
  auto case_gang = ReadPairs(dir / "truth" / "cases.csv");
  auto gang_home = ReadPairs(dir / "truth" / "gangs.csv");
  int gang_leads = 0, right = 0;
  for (const Lead& lead : *leads) {
    const std::string gang = GangOf(lead, case_gang);
    if (gang.empty()) continue;
    ++gang_leads;
    if (lead.jurisdiction.code == gang_home[gang])
      ++right;
    else
      std::printf("lead of %s (%s, %zu cases) went to %s, not %s: %s\n", gang.c_str(),
                  lead.cases.front().c_str(), lead.cases.size(), lead.jurisdiction.code.c_str(),
                  gang_home[gang].c_str(), lead.jurisdiction.basis.c_str());
  }
  std::printf("gang leads to the home city: %d of %d\n", right, gang_leads);
  ASSERT_GE(gang_leads, 30);
  EXPECT_GE(right * 100, gang_leads * 95);

  // Dispatching them: one batch per jurisdiction, nothing sent twice.
  LeadBook book((*store)->sql());
  auto first = book.Dispatch(*leads, go.start);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  int64_t sent = 0;
  for (const Batch& b : first->batches) sent += static_cast<int64_t>(b.new_leads.size());
  EXPECT_EQ(sent, static_cast<int64_t>(leads->size()));
  auto again = book.Dispatch(*leads, go.start + 86400000);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->batches.empty());
  store->reset();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace fanzha::dispatch
