// Fraud-script phrases from narratives, matched in SMS text.
#include "warn/sms.h"

#include <gtest/gtest.h>

#include "warn/test_util.h"

namespace fanzha::warn {
namespace {

TEST(ScriptPhrasesTest, KeepsWhatOneCategoryShares) {
  std::vector<std::pair<std::string, std::string>> n;
  for (int i = 0; i < 4; ++i) {
    n.push_back(
        {"impersonation_official", "对方自称公安局民警，说我涉嫌洗钱，让我把钱转到安全账户"});
    n.push_back({"fake_goods_sale", "在微信上看到有人出售口罩，转账后被拉黑"});
  }
  for (int i = 0; i < 60; ++i) n.push_back({"other", "其他情况" + std::to_string(i)});
  auto phrases = ScriptPhrases(n);
  auto has = [&](const std::string& text, const std::string& category) {
    for (auto& p : phrases) {
      if (p.text == text && p.category == category) return true;
    }
    return false;
  };
  EXPECT_TRUE(has("安全账户", "impersonation_official"));
  EXPECT_TRUE(has("出售口罩", "fake_goods_sale"));
  EXPECT_FALSE(has("其他情况", "other"));  // in too many narratives: generic
}

TEST(SmsMatcherTest, MatchesPhrasesAndPatternsOnce) {
  Watchlist list;
  auto a = testing::Put(&list, EntryKind::kPhrase, "安全账户");
  auto b = testing::Put(&list, EntryKind::kPattern, "refund\\s+link");
  testing::Put(&list, EntryKind::kPhone, "17772123456");
  auto m = SmsMatcher::Compile(list);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ((*m)->patterns(), 2u);
  auto scratch = (*m)->NewScratch();
  ASSERT_TRUE(scratch.ok());
  std::vector<Watchlist::Index> hits;
  (*m)->Match("转到安全账户，再转到安全账户, REFUND  Link", scratch->get(), &hits);
  std::sort(hits.begin(), hits.end());
  EXPECT_EQ(hits, (std::vector<Watchlist::Index>{a, b}));
}

TEST(SmsMatcherTest, TraditionalAndFullWidthTextMatchesSimplifiedPhrases) {
  Watchlist list;
  auto a = testing::Put(&list, EntryKind::kPhrase, "安全账户");
  auto b = testing::Put(&list, EntryKind::kPhrase, "涉嫌洗钱");
  auto c = testing::Put(&list, EntryKind::kPattern, "code\\s*8\\d{3}");
  auto m = SmsMatcher::Compile(list);
  ASSERT_TRUE(m.ok());
  auto scratch = (*m)->NewScratch();
  ASSERT_TRUE(scratch.ok());
  std::vector<Watchlist::Index> hits;
  (*m)->Match("您涉嫌洗錢，請把存款轉到安全賬戶", scratch->get(), &hits);
  std::sort(hits.begin(), hits.end());
  EXPECT_EQ(hits, (std::vector<Watchlist::Index>{a, b}));
  hits.clear();
  (*m)->Match("驗證碼 ＣＯＤＥ ８１２３", scratch->get(), &hits);  // full-width: NFKC
  EXPECT_EQ(hits, (std::vector<Watchlist::Index>{c}));
  hits.clear();
  (*m)->Match("your code 8123", scratch->get(), &hits);  // plain ASCII: the fast path
  EXPECT_EQ(hits, (std::vector<Watchlist::Index>{c}));
}

TEST(SmsMatcherTest, ABadPatternNamesTheEntry) {
  Watchlist list;
  testing::Put(&list, EntryKind::kPattern, "(unclosed");
  auto m = SmsMatcher::Compile(list);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("pattern:(unclosed"), std::string::npos);
}

}  // namespace
}  // namespace fanzha::warn
