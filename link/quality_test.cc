// Linking quality on a small generated world with formatting noise and hubs, against its ground
// truth, side by side with exact-string matching of the identifiers as reported.
#include "link/quality.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <random>

#include "link/link.h"
#include "link/world.h"

namespace fanzha::link {
namespace {

void Print(const char* name, const Quality& q) {
  std::printf("%-10s pairwise P %.4f R %.4f F1 %.4f | B-cubed P %.4f R %.4f F1 %.4f (%lld cases)\n",
              name, q.pair_precision, q.pair_recall, q.pair_f1, q.bcubed_precision, q.bcubed_recall,
              q.bcubed_f1, static_cast<long long>(q.cases));
}

TEST(Quality, MeasuresPairsAndBcubed) {
  // Truth: {a,b,c} {d}; predicted: {a,b} {c,d}.
  std::unordered_map<std::string, std::string> truth{{"a", "g"}, {"b", "g"}, {"c", "g"}, {"d", ""}};
  Quality q = Measure({{"a", 1}, {"b", 1}, {"c", 2}, {"d", 2}}, truth);
  EXPECT_DOUBLE_EQ(q.pair_precision, 0.5);   // ab right, cd wrong
  EXPECT_DOUBLE_EQ(q.pair_recall, 1.0 / 3);  // ab of ab, ac, bc
  EXPECT_DOUBLE_EQ(q.bcubed_precision, (1 + 1 + 0.5 + 0.5) / 4);
  EXPECT_DOUBLE_EQ(q.bcubed_recall, (2.0 / 3 + 2.0 / 3 + 1.0 / 3 + 1) / 4);
}

TEST(Quality, ExactMatchBaselineJoinsEqualStrings) {
  auto labels = ExactMatchLabels({{"a", {"x", "y"}}, {"b", {"y"}}, {"c", {"Y"}}});
  EXPECT_EQ(labels[0].second, labels[1].second);
  EXPECT_NE(labels[0].second, labels[2].second);
}

TEST(Quality, GeneratedWorldWithNoiseAndHubs) {
  WorldOptions wo;
  wo.cases = 3000;
  wo.seed = 20200208;
  World w = MakeWorld(wo);
  Linker bulk;
  ASSERT_TRUE(bulk.AddAll(w.cases, w.money).ok());
  Quality q = Measure(bulk.Labels(), w.truth);

  std::vector<std::pair<std::string, std::vector<std::string>>> raw;
  for (size_t i = 0; i < w.cases.size(); ++i) raw.push_back({w.cases[i].id, w.raw[i]});
  Quality base = Measure(ExactMatchLabels(raw), w.truth);
  Print("fanzha", q);
  Print("baseline", base);

  EXPECT_GE(q.pair_f1, 0.98);
  EXPECT_GE(q.bcubed_f1, 0.98);
  EXPECT_LT(base.pair_f1, q.pair_f1);
  Answer a = bulk.Clusters();
  auto has_hub = [&](const std::string& v) {
    return std::any_of(a.hubs.begin(), a.hubs.end(), [&](const Hub& h) { return h.value == v; });
  };
  EXPECT_TRUE(has_hub("+8695338"));
  EXPECT_TRUE(has_hub("qq.com"));

  // The same world added one case at a time, in a random order, gives the same quality.
  std::vector<size_t> order(w.cases.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), std::mt19937(7));
  std::unordered_map<std::string, const CaseMoney*> money;
  for (const CaseMoney& m : w.money) money[m.case_id] = &m;
  for (bool narrative_links : {false, true}) {
    Options o;
    o.narrative_links = narrative_links;
    Linker one_by_one(o);
    for (size_t i : order) {
      ASSERT_TRUE(one_by_one.Add(w.cases[i]).ok());
      if (money.count(w.cases[i].id)) {
        ASSERT_TRUE(one_by_one.AddMoney(*money[w.cases[i].id]).ok());
      }
    }
    Linker all_at_once(o);
    ASSERT_TRUE(all_at_once.AddAll(w.cases, w.money).ok());
    Quality qi = Measure(one_by_one.Labels(), w.truth);
    Quality qb = Measure(all_at_once.Labels(), w.truth);
    if (narrative_links) Print("+narrative", qb);
    EXPECT_DOUBLE_EQ(qi.pair_f1, qb.pair_f1);
    EXPECT_DOUBLE_EQ(qi.bcubed_f1, qb.bcubed_f1);
  }
}

}  // namespace
}  // namespace fanzha::link
