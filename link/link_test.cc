// Linking rules on hand-built cases: identifiers, hubs, money shares, narratives, explanations, and
// bulk == incremental on random orders.
#include "link/link.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "link/narrative.h"

namespace fanzha::link {
namespace {

constexpr Millis kDay = 24LL * 3600 * 1000;
constexpr Millis kT0 = 1581093720000;  // 2020-02-08T00:42:00+08:00

LinkCase MakeCase(std::string id, std::vector<std::pair<IdentifierType, std::string>> ids,
                  std::string narrative = "", std::string category = "", Millis t = kT0) {
  LinkCase c;
  c.id = std::move(id);
  c.reported_at = t;
  c.region = "440100";
  c.category = std::move(category);
  c.loss = 100000;
  c.narrative = std::move(narrative);
  c.identifiers = std::move(ids);
  return c;
}

// The clusters as sets of case ids, for comparisons.
std::set<std::vector<std::string>> Groups(const Linker& l) {
  std::set<std::vector<std::string>> out;
  for (const Cluster& c : l.Clusters().clusters) out.insert(c.cases);
  return out;
}

TEST(Linker, SharedIdentifierLinksWithEvidence) {
  Linker l;
  ASSERT_TRUE(l.Add(MakeCase("A", {{IdentifierType::kPhone, "+8617772123456"}})).ok());
  ASSERT_TRUE(l.Add(MakeCase("B", {{IdentifierType::kPhone, "+8617772123456"},
                                   {IdentifierType::kAccount, "6222021234567890123"}}))
                  .ok());
  ASSERT_TRUE(l.Add(MakeCase("C", {{IdentifierType::kAccount, "6222021234567890123"}})).ok());
  ASSERT_TRUE(l.Add(MakeCase("D", {{IdentifierType::kPhone, "+8613800138000"}})).ok());
  Answer a = l.Clusters();
  ASSERT_EQ(a.clusters.size(), 1u);
  const Cluster& k = a.clusters[0];
  EXPECT_EQ(k.id, "K000001");
  EXPECT_EQ(k.cases, (std::vector<std::string>{"A", "B", "C"}));
  EXPECT_EQ(k.loss, 300000);
  EXPECT_EQ(k.regions, (std::vector<std::string>{"440100"}));
  ASSERT_EQ(k.evidence.size(), 2u);
  EXPECT_EQ(k.evidence[0].kind, "account");  // same weight: ordered by kind
  EXPECT_EQ(k.evidence[1].kind, "phone");
  EXPECT_EQ(k.evidence[1].value, "+8617772123456");
  EXPECT_EQ(k.evidence[1].cases, (std::vector<std::string>{"A", "B"}));
  EXPECT_GT(k.evidence[1].weight, 0.85);
  EXPECT_LE(k.evidence[1].weight, 1.0);
  Totals t = l.CountTotals();
  EXPECT_EQ(t.cases, 4);
  EXPECT_EQ(t.linked_cases, 3);
  EXPECT_EQ(t.clusters, 1);
}

TEST(Linker, DifferentKindsWithTheSameValueDoNotLink) {
  Linker l;
  ASSERT_TRUE(l.Add(MakeCase("A", {{IdentifierType::kQq, "123456789"}})).ok());
  ASSERT_TRUE(l.Add(MakeCase("B", {{IdentifierType::kAccount, "123456789"}})).ok());
  EXPECT_TRUE(l.Clusters().clusters.empty());
}

TEST(Linker, HubIsSetAsideAndListed) {
  Options o;
  o.max_key_cases = 3;
  Linker l(o);
  // Five cases share a courier hotline; A and B also share a phone of their own.
  for (std::string id : {"A", "B", "C", "D", "E"}) {
    std::vector<std::pair<IdentifierType, std::string>> ids{{IdentifierType::kPhone, "+8695338"}};
    if (id == "A" || id == "B") ids.push_back({IdentifierType::kWechat, "wxid_gang1"});
    ASSERT_TRUE(l.Add(MakeCase(id, ids)).ok());
  }
  Answer a = l.Clusters();
  ASSERT_EQ(a.clusters.size(), 1u);
  EXPECT_EQ(a.clusters[0].cases, (std::vector<std::string>{"A", "B"}));
  ASSERT_EQ(a.clusters[0].evidence.size(), 1u);
  EXPECT_EQ(a.clusters[0].evidence[0].kind, "wechat");
  ASSERT_EQ(a.hubs.size(), 1u);
  EXPECT_EQ(a.hubs[0].kind, "phone");
  EXPECT_EQ(a.hubs[0].value, "+8695338");
  EXPECT_EQ(a.hubs[0].cases, 5);
  auto why = l.Explain("C");
  ASSERT_TRUE(why.ok());
  EXPECT_TRUE(why->cluster_id.empty());
  ASSERT_EQ(why->set_aside.size(), 1u);
  EXPECT_EQ(why->set_aside[0].value, "+8695338");
}

TEST(Linker, WeightFallsWithHowCommonTheValueIs) {
  Options o;
  o.max_key_cases = 20;
  Linker l(o);
  for (int i = 0; i < 12; ++i) {
    std::vector<std::pair<IdentifierType, std::string>> ids{
        {IdentifierType::kPhone, "+8610000000001"}};
    if (i < 2) ids.push_back({IdentifierType::kPhone, "+8610000000002"});
    ASSERT_TRUE(l.Add(MakeCase("C" + std::to_string(10 + i), ids)).ok());
  }
  std::map<std::string, double> weight;
  Answer answer = l.Clusters();  // alive through the loop
  for (const Evidence& e : answer.clusters.at(0).evidence) weight[e.value] = e.weight;
  EXPECT_GT(weight.at("+8610000000002"), weight.at("+8610000000001"));
  EXPECT_GT(weight.at("+8610000000001"), 0.4);
}

TEST(Linker, IpsHaveALowerHubThreshold) {
  Options o;
  o.max_ip_cases = 2;
  Linker l(o);
  for (std::string id : {"A", "B", "C"}) {
    ASSERT_TRUE(l.Add(MakeCase(id, {{IdentifierType::kIp, "1.2.3.4"}})).ok());
  }
  EXPECT_TRUE(l.Clusters().clusters.empty());
  EXPECT_EQ(l.CountTotals().hubs, 1);
}

TEST(Linker, SharedMoneyIsWeightedByShare) {
  Linker l;
  for (std::string id : {"A", "B", "C", "D"}) ASSERT_TRUE(l.Add(MakeCase(id, {})).ok());
  // A and B: half of each victim's money passed through the mule card M1 (different collection
  // accounts). C and D: 5 yuan of their money reached a shop owner S (a mule's everyday spending).
  ASSERT_TRUE(
      l.AddMoney({"A", 4000000, {{"COLLECT1", 4000000}, {"M1", 2000000}, {"S", 500}}}).ok());
  ASSERT_TRUE(
      l.AddMoney({"B", 2600000, {{"COLLECT2", 2600000}, {"M1", 1000000}, {"M1", 300000}}}).ok());
  ASSERT_TRUE(l.AddMoney({"C", 1000000, {{"COLLECT3", 1000000}, {"S", 500}}}).ok());
  ASSERT_TRUE(l.AddMoney({"D", 1000000, {{"COLLECT4", 1000000}, {"S", 500}}}).ok());
  Answer a = l.Clusters();
  ASSERT_EQ(a.clusters.size(), 1u);
  EXPECT_EQ(a.clusters[0].cases, (std::vector<std::string>{"A", "B"}));
  const Evidence& e = a.clusters[0].evidence.at(0);
  EXPECT_EQ(e.kind, "money");
  EXPECT_EQ(e.value, "M1");
  EXPECT_NEAR(e.weight, 0.707 * (1 - 0.5 * std::log(2.0) / std::log(51.0)), 0.002);
  auto why = l.Explain("C");
  ASSERT_TRUE(why.ok());
  EXPECT_EQ(why->weak_money, (std::vector<std::string>{"S"}));
}

// Two gangs, each already linked by its own phone; one account received half of the money of a case
// of each (a mixing point: a cash-out card that also trades with the other gang's mule). One
// account does not merge two established clusters; two accounts do; a case with no identifier
// evidence is linked by one account.
TEST(Linker, MoneyBetweenEstablishedCasesNeedsTwoAccounts) {
  using Ids = std::vector<std::pair<IdentifierType, std::string>>;
  auto gangs = [](Linker* l) {
    ASSERT_TRUE(l->Add(MakeCase("A1", Ids{{IdentifierType::kPhone, "+8617700000001"}})).ok());
    ASSERT_TRUE(l->Add(MakeCase("A2", Ids{{IdentifierType::kPhone, "+8617700000001"}})).ok());
    ASSERT_TRUE(l->Add(MakeCase("B1", Ids{{IdentifierType::kPhone, "+8617700000002"}})).ok());
    ASSERT_TRUE(l->Add(MakeCase("B2", Ids{{IdentifierType::kPhone, "+8617700000002"}})).ok());
  };
  using G = std::set<std::vector<std::string>>;
  {
    Linker l;
    gangs(&l);
    ASSERT_TRUE(l.AddMoney({"A1", 1000000, {{"CA", 1000000}, {"X", 500000}}}).ok());
    ASSERT_TRUE(l.AddMoney({"B1", 1000000, {{"CB", 1000000}, {"X", 500000}}}).ok());
    EXPECT_EQ(Groups(l), (G{{"A1", "A2"}, {"B1", "B2"}}));
    // A case that no identifier links: one account is enough.
    ASSERT_TRUE(l.Add(MakeCase("C", Ids{})).ok());
    ASSERT_TRUE(l.AddMoney({"C", 800000, {{"CA", 800000}}}).ok());
    EXPECT_EQ(Groups(l), (G{{"A1", "A2", "C"}, {"B1", "B2"}}));
    l.Relink();
    EXPECT_EQ(Groups(l), (G{{"A1", "A2", "C"}, {"B1", "B2"}}));
  }
  {
    Linker l;
    gangs(&l);
    ASSERT_TRUE(l.AddMoney({"A1", 1000000, {{"X", 500000}, {"Y", 600000}}}).ok());
    ASSERT_TRUE(l.AddMoney({"B1", 1000000, {{"X", 500000}, {"Y", 400000}}}).ok());
    EXPECT_EQ(Groups(l), (G{{"A1", "A2", "B1", "B2"}}));
    EXPECT_EQ(l.Clusters().clusters.at(0).evidence.size(), 4u);  // two phones, two accounts
  }
  {
    // B1 is not established when its money arrives: linked to A1 by one account; once B2 reports
    // the same phone, B1 is established and the link ends (as a bulk run over all four says).
    Linker l;
    ASSERT_TRUE(l.Add(MakeCase("A1", Ids{{IdentifierType::kPhone, "+8617700000001"}})).ok());
    ASSERT_TRUE(l.Add(MakeCase("A2", Ids{{IdentifierType::kPhone, "+8617700000001"}})).ok());
    ASSERT_TRUE(l.Add(MakeCase("B1", Ids{{IdentifierType::kPhone, "+8617700000002"}})).ok());
    ASSERT_TRUE(l.AddMoney({"A1", 1000000, {{"X", 500000}}}).ok());
    ASSERT_TRUE(l.AddMoney({"B1", 1000000, {{"X", 500000}}}).ok());
    EXPECT_EQ(Groups(l), (G{{"A1", "A2", "B1"}}));
    ASSERT_TRUE(l.Add(MakeCase("B2", Ids{{IdentifierType::kPhone, "+8617700000002"}})).ok());
    EXPECT_EQ(Groups(l), (G{{"A1", "A2"}, {"B1", "B2"}}));
    auto why = l.Explain("B1");
    ASSERT_TRUE(why.ok());
    for (const Evidence& e : why->evidence) EXPECT_NE(e.kind, "money");
  }
}

TEST(Linker, MoneyErrors) {
  Linker l;
  ASSERT_TRUE(l.Add(MakeCase("A", {})).ok());
  EXPECT_EQ(l.AddMoney({"X", 100, {}}).code(), ErrorCode::kNotFound);
  EXPECT_EQ(l.AddMoney({"A", 0, {{"M", 5}}}).code(), ErrorCode::kInvalidInput);
  EXPECT_TRUE(l.AddMoney({"A", 100, {}}).ok());
  EXPECT_EQ(l.AddMoney({"A", 100, {}}).code(), ErrorCode::kConflict);
  EXPECT_EQ(l.Add(MakeCase("A", {})).code(), ErrorCode::kConflict);
  EXPECT_EQ(l.Add(MakeCase("", {})).code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(l.Explain("nope").status().code(), ErrorCode::kNotFound);
}

const char* kScript =
    "对方自称是淘宝客服说我购买的口罩质量有问题需要退款让我下载一个会议软件并共享屏幕然后转账到安全"
    "账户";
const char* kScriptVariant =
    "对方自称是淘宝客服说我购买的面膜质量有问题需要退款让我下载一个会议软件并共享屏幕然后转账到安全"
    "账户";
const char* kOther = "在网上认识一个男朋友说带我投资数字货币稳赚不赔先后充值了五次后来平台无法提现";

TEST(Linker, SimilarNarrativesCorroborateByDefault) {
  Linker l;
  ASSERT_TRUE(l.Add(MakeCase("A", {{IdentifierType::kQq, "123456"}}, kScript, "refund", kT0)).ok());
  ASSERT_TRUE(
      l.Add(MakeCase("B", {{IdentifierType::kQq, "123456"}}, kScriptVariant, "refund", kT0)).ok());
  ASSERT_TRUE(l.Add(MakeCase("C", {}, kScript, "refund", kT0)).ok());  // same script, another gang
  Answer a = l.Clusters();
  ASSERT_EQ(a.clusters.size(), 1u);
  EXPECT_EQ(a.clusters[0].cases, (std::vector<std::string>{"A", "B"}));
  ASSERT_EQ(a.clusters[0].evidence.size(), 2u);
  EXPECT_EQ(a.clusters[0].evidence[0].kind, "qq");
  EXPECT_EQ(a.clusters[0].evidence[1].kind, "narrative");
  EXPECT_EQ(a.clusters[0].evidence[1].cases, (std::vector<std::string>{"A", "B"}));
}

TEST(Linker, SimilarNarrativesLinkWhenCategoryAndTimeAgree) {
  Options o;
  o.narrative_links = true;
  Linker l(o);
  ASSERT_TRUE(l.Add(MakeCase("A", {}, kScript, "refund", kT0)).ok());
  ASSERT_TRUE(l.Add(MakeCase("B", {}, kScriptVariant, "refund", kT0 + 3 * kDay)).ok());
  ASSERT_TRUE(l.Add(MakeCase("C", {}, kScript, "investment", kT0)).ok());          // other category
  ASSERT_TRUE(l.Add(MakeCase("D", {}, kScript, "refund", kT0 + 90 * kDay)).ok());  // too late
  ASSERT_TRUE(l.Add(MakeCase("E", {}, kOther, "refund", kT0)).ok());               // another script
  Answer a = l.Clusters();
  ASSERT_EQ(a.clusters.size(), 1u);
  EXPECT_EQ(a.clusters[0].cases, (std::vector<std::string>{"A", "B"}));
  const Evidence& e = a.clusters[0].evidence.at(0);
  EXPECT_EQ(e.kind, "narrative");
  EXPECT_NE(e.value.find("category refund; 3 days apart"), std::string::npos) << e.value;
  EXPECT_EQ(ValueInChinese(e), "叙述相似度 " + e.value.substr(11, 4) + "；类别 退款；相隔 3 天");
}

TEST(Narrative, PunctuationAndSpacesDoNotMatter) {
  EXPECT_EQ(MinHash("对方自称是客服，说要退款。"), MinHash("对方 自称是客服 说要退款!"));
  EXPECT_EQ(CountTextChars("对方，自称 ab1!"), 7);
  EXPECT_GT(EstimateSimilarity(MinHash(kScript), MinHash(kScriptVariant)), 0.7);
  EXPECT_LT(EstimateSimilarity(MinHash(kScript), MinHash(kOther)), 0.2);
}

TEST(Linker, NarrativeHubIsSetAside) {
  Options o;
  o.max_band_cases = 3;
  o.narrative_links = true;
  Linker l(o);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(
        l.Add(MakeCase("N" + std::to_string(i), {}, kScript, "refund", kT0 + i * kDay)).ok());
  }
  Answer a = l.Clusters();
  EXPECT_TRUE(a.clusters.empty());
  ASSERT_FALSE(a.hubs.empty());
  EXPECT_EQ(a.hubs[0].kind, "narrative");
  EXPECT_EQ(a.hubs[0].cases, 5);
}

TEST(Linker, ExplainWalksTheChain) {
  Linker l;
  ASSERT_TRUE(l.Add(MakeCase("A", {{IdentifierType::kPhone, "+8617700000001"}})).ok());
  ASSERT_TRUE(l.Add(MakeCase("B", {{IdentifierType::kPhone, "+8617700000001"},
                                   {IdentifierType::kDevice, "860000012345678"}}))
                  .ok());
  ASSERT_TRUE(l.Add(MakeCase("C", {{IdentifierType::kDevice, "860000012345678"}})).ok());
  ASSERT_TRUE(l.Add(MakeCase("X", {{IdentifierType::kEmail, "x@y.cn"}})).ok());
  ASSERT_TRUE(l.Add(MakeCase("Y", {{IdentifierType::kEmail, "x@y.cn"}})).ok());
  auto why = l.Explain("A");
  ASSERT_TRUE(why.ok()) << why.status().ToString();
  EXPECT_EQ(why->cluster_id, "K000001");
  EXPECT_EQ(why->cluster_cases, (std::vector<std::string>{"A", "B", "C"}));
  ASSERT_EQ(why->evidence.size(), 1u);
  EXPECT_EQ(why->evidence[0].value, "+8617700000001");
  using P = std::pair<std::string, std::string>;
  EXPECT_EQ(why->reached_via, (std::vector<P>{{"B", "A"}, {"C", "B"}}));
  auto why_y = l.Explain("Y");
  ASSERT_TRUE(why_y.ok());
  EXPECT_EQ(why_y->cluster_id, "K000002");
}

// A random little world where many values cross the hub threshold at different times.
struct RandomWorld {
  std::vector<LinkCase> cases;
  std::vector<CaseMoney> money;
};

RandomWorld MakeRandomWorld(uint32_t seed, int n) {
  std::mt19937 rng(seed);
  auto pick = [&](int k) { return static_cast<int>(rng() % k); };
  const char* scripts[] = {kScript, kScriptVariant, kOther,
                           "冒充公检法说我涉嫌洗钱要求把存款转到安全账户配合调查否则冻结全部资产"};
  const char* cats[] = {"refund", "investment"};
  RandomWorld w;
  for (int i = 0; i < n; ++i) {
    LinkCase c =
        MakeCase("C" + std::to_string(1000 + i), {}, "", cats[pick(2)], kT0 + pick(60) * kDay);
    int ids = pick(4);
    for (int j = 0; j < ids; ++j) {
      auto type = pick(5) == 0 ? IdentifierType::kIp : IdentifierType::kPhone;
      c.identifiers.push_back({type, "v" + std::to_string(pick(n / 2))});
    }
    if (pick(3) == 0) c.narrative = scripts[pick(4)];
    w.cases.push_back(c);
    if (pick(2) == 0) {
      CaseMoney m{c.id, 100000, {}};
      for (int j = 0; j < 3; ++j)
        m.reached.push_back({"M" + std::to_string(pick(n / 3)), 1000 * (1 + pick(60))});
      w.money.push_back(m);
    }
  }
  return w;
}

TEST(Linker, BulkEqualsIncrementalInRandomOrders) {
  Options o;
  o.max_key_cases = 6;
  o.max_ip_cases = 3;
  o.max_band_cases = 9;
  for (uint32_t seed = 1; seed <= 40; ++seed) {
    o.narrative_links = seed % 2 == 0;
    RandomWorld w = MakeRandomWorld(seed, 120);
    Linker bulk(o);
    ASSERT_TRUE(bulk.AddAll(w.cases, w.money).ok());
    Answer expected = bulk.Clusters();
    ASSERT_FALSE(expected.clusters.empty());
    ASSERT_FALSE(expected.hubs.empty());
    // Events: each case, and its money at a random later time.
    std::mt19937 rng(seed * 7919);
    std::vector<std::pair<int, bool>> events;  // (index, is money)
    std::map<std::string, size_t> money_of;
    for (size_t i = 0; i < w.money.size(); ++i) money_of[w.money[i].case_id] = i;
    for (size_t i = 0; i < w.cases.size(); ++i) events.push_back({static_cast<int>(i), false});
    std::shuffle(events.begin(), events.end(), rng);
    for (size_t i = 0; i < w.money.size(); ++i) {
      size_t at = 0;
      while (events[at].second || w.cases[events[at].first].id != w.money[i].case_id) ++at;
      size_t later = at + 1 + rng() % (events.size() - at);
      events.insert(events.begin() + static_cast<long>(later), {static_cast<int>(i), true});
    }
    Linker inc(o);
    for (auto [i, is_money] : events) {
      ASSERT_TRUE((is_money ? inc.AddMoney(w.money[i]) : inc.Add(w.cases[i])).ok());
    }
    Answer got = inc.Clusters();
    ASSERT_EQ(got.clusters.size(), expected.clusters.size()) << "seed " << seed;
    for (size_t k = 0; k < got.clusters.size(); ++k) {
      const Cluster& g = got.clusters[k];
      const Cluster& e = expected.clusters[k];
      ASSERT_EQ(g.id, e.id);
      ASSERT_EQ(g.cases, e.cases) << "seed " << seed;
      ASSERT_EQ(g.evidence.size(), e.evidence.size()) << "seed " << seed;
      for (size_t j = 0; j < g.evidence.size(); ++j) {
        EXPECT_EQ(g.evidence[j].cases, e.evidence[j].cases);
        EXPECT_EQ(g.evidence[j].value, e.evidence[j].value);
        EXPECT_EQ(g.evidence[j].weight, e.evidence[j].weight);
      }
    }
    ASSERT_EQ(got.hubs.size(), expected.hubs.size());
    for (size_t j = 0; j < got.hubs.size(); ++j) {
      EXPECT_EQ(got.hubs[j].value, expected.hubs[j].value);
      EXPECT_EQ(got.hubs[j].cases, expected.hubs[j].cases);
    }
    // Relinking the incremental result changes nothing.
    inc.Relink();
    EXPECT_EQ(Groups(inc), Groups(bulk));
  }
}

}  // namespace
}  // namespace fanzha::link
