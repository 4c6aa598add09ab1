// Watchlists: lookups by match key, versions, hubs, and the JSON-lines form.
#include "warn/watchlist.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <sstream>

#include "normalise/normalise.h"
#include "warn/keys.h"
#include "warn/test_util.h"

namespace fanzha::warn {
namespace {

using testing::Put;

TEST(WatchlistTest, FindsByKindAndMatchKey) {
  Watchlist list;
  auto i = Put(&list, EntryKind::kPhone, "177-7212-3456");
  auto j = Put(&list, EntryKind::kAccount, "6222 0212 3456 7890 123");
  EXPECT_EQ(list.Find(EntryKind::kPhone, "+8617772123456"), i);
  EXPECT_EQ(list.Find(EntryKind::kAccount, "6222021234567890123"), j);
  EXPECT_EQ(list.Find(EntryKind::kAccount, "+8617772123456"), Watchlist::kNone);
  EXPECT_EQ(list.Find(EntryKind::kPhone, "+8617772123457"), Watchlist::kNone);
}

TEST(WatchlistTest, EveryChangeIsANewVersion) {
  Watchlist list;
  auto i = Put(&list, EntryKind::kPhone, "17772123456", "case:A");
  EXPECT_EQ(list.version(), 1);
  Put(&list, EntryKind::kPhone, "17772123456", "case:A");  // identical: no change
  EXPECT_EQ(list.version(), 1);
  Put(&list, EntryKind::kPhone, "17772123456", "manual:lz");
  EXPECT_EQ(list.version(), 2);
  EXPECT_EQ(list.version(i), 2);
  ASSERT_TRUE(list.Remove(EntryKind::kPhone, "+8617772123456").ok());
  EXPECT_EQ(list.version(i), 3);
  EXPECT_FALSE(list.Active(i, 0));
  EXPECT_EQ(list.Remove(EntryKind::kPhone, "+8600").code(), ErrorCode::kNotFound);
}

TEST(WatchlistTest, StaysCorrectAcrossGrowth) {
  Watchlist list;
  for (int n = 0; n < 100000; ++n) {
    Entry e;
    e.kind = n % 2 ? EntryKind::kAccount : EntryKind::kPhone;
    e.value = std::to_string(6200000000000000000ll + n);
    ASSERT_TRUE(list.Put(e).ok());
  }
  for (int n = 0; n < 100000; ++n) {
    auto kind = n % 2 ? EntryKind::kAccount : EntryKind::kPhone;
    auto other = n % 2 ? EntryKind::kPhone : EntryKind::kAccount;
    std::string v = std::to_string(6200000000000000000ll + n);
    ASSERT_EQ(list.Find(kind, v), static_cast<Watchlist::Index>(n));
    ASSERT_EQ(list.Find(other, v), Watchlist::kNone);
  }
}

TEST(WatchlistTest, FindHostWalksUpToTheListedDomain) {
  Watchlist list;
  auto d = Put(&list, EntryKind::kDomain, "kouzhao.com.cn");
  EXPECT_EQ(list.FindHost("www.kouzhao.com.cn"), d);
  EXPECT_EQ(list.FindHost("kouzhao.com.cn"), d);
  EXPECT_EQ(list.FindHost("com.cn"), Watchlist::kNone);
  EXPECT_EQ(list.FindHost("kouzhao.com.cn.evil.net"), Watchlist::kNone);
}

Case MakeCase(std::string id, std::string category,
              std::vector<std::pair<IdentifierType, std::string>> ids) {
  Case c;
  c.id = std::move(id);
  c.category = std::move(category);
  c.reported_at = testing::T("2020-02-08T00:42:00+08:00");
  for (auto& [type, raw] : ids) c.identifiers.push_back({type, raw, raw, true});
  return c;
}

TEST(CaseListBuilderTest, ListsEveryIdentifierWithItsCasesAndFlagsHubs) {
  BuildOptions options;
  options.hub_min_cases = 5;
  options.hub_min_categories = 3;
  CaseListBuilder builder(options);
  const char* categories[] = {"refund", "fake_goods_sale", "impersonation_service"};
  for (int n = 0; n < 6; ++n) {
    // one gang, one script, six victims: never a hub
    builder.Add(MakeCase("GANG-" + std::to_string(n), "investment",
                         {{IdentifierType::kAccount, "6222 0212 3456 7890 123"}}));
    // a courier hotline and a chat platform in every kind of fraud: hubs
    builder.Add(
        MakeCase("C-" + std::to_string(n), categories[n % 3],
                 {{IdentifierType::kPhone, "95338"},
                  {IdentifierType::kUrl, "https://weixin.qq.com/r/abc" + std::to_string(n)}}));
  }
  builder.Add(MakeCase("HZ-1", "fake_goods_sale", {{IdentifierType::kPhone, "+86 177 7212 3456"}}));
  Watchlist list;
  auto n = builder.Build(&list);
  ASSERT_TRUE(n.ok());
  auto gang = list.Get(list.Find(EntryKind::kAccount, "6222021234567890123"));
  EXPECT_FALSE(gang.hub);
  EXPECT_EQ(gang.cases, 6);
  EXPECT_EQ(gang.source, "cases:GANG-0,GANG-1,GANG-2 (+3)");
  EXPECT_EQ(gang.category, "investment");
  EXPECT_TRUE(list.Get(list.Find(EntryKind::kPhone, PhoneKey("95338"))).hub);
  EXPECT_TRUE(list.Get(list.Find(EntryKind::kDomain, "qq.com")).hub);
  auto phone = list.Get(list.Find(EntryKind::kPhone, "+8617772123456"));
  EXPECT_EQ(phone.source, "case:HZ-1");
  EXPECT_EQ(phone.version, 1);
}

TEST(WatchlistJsonlTest, RoundTrips) {
  Watchlist list;
  Put(&list, EntryKind::kPhone, "17772123456", "manual:lz",
      testing::T("2020-03-01T00:00:00+08:00"));
  Put(&list, EntryKind::kPattern, "安全账户.{0,12}转", "manual:province");
  std::string path = ::testing::TempDir() + "/wl.jsonl";
  std::FILE* f = std::fopen(path.c_str(), "w");
  ASSERT_TRUE(WriteWatchlistJsonl(list, f).ok());
  std::fclose(f);
  Watchlist back;
  ASSERT_TRUE(ReadWatchlistJsonl(path, &back).ok());
  ASSERT_EQ(back.size(), 2u);
  Entry e = back.Get(back.Find(EntryKind::kPhone, "+8617772123456"));
  EXPECT_EQ(e.source, "manual:lz");
  EXPECT_EQ(e.expires_at, testing::T("2020-03-01T00:00:00+08:00"));
  EXPECT_EQ(e.version, 1);
  EXPECT_EQ(back.version(), 2);
}

// `fanzha warn --watchlist` aborted on `{"kind":3}`: a member of the wrong type threw out of the
// reader. Every such line is now an error naming the line and the member.
TEST(WatchlistJsonlTest, MembersOfTheWrongTypeAreErrorsNotExceptions) {
  const std::pair<const char*, const char*> lines[] = {
      {R"({"kind":3})", "wl.jsonl:2: kind: not a string"},
      {R"({"kind":"phone","value":["x"]})", "wl.jsonl:2: value: not a string"},
      {R"({"kind":"phone","value":"1","source":{}})", "wl.jsonl:2: source: not a string"},
      {R"({"kind":"phone","value":"1","expires_at":5})", "wl.jsonl:2: expires_at: not a string"},
      {R"({"kind":"phone","value":"1","version":1e300})", "wl.jsonl:2: version: not a whole"},
      {R"({"kind":"phone","value":"1","version":-1})", "wl.jsonl:2: version: not a whole"},
      {R"({"kind":"phone","value":"1","version":9223372036854775807})",
       "wl.jsonl:2: version: not a whole"},
      {R"({"kind":"phone","value":"1","cases":4294967296})", "wl.jsonl:2: cases: not a whole"},
      {R"({"kind":"phone","value":"1","hub":"yes"})", "wl.jsonl:2: hub: not true or false"},
      {R"({"kind":"phone","value":"1","removed":1})", "wl.jsonl:2: removed: not true or false"},
      {R"([1,2])", "wl.jsonl:2: not a JSON object"},
      {R"({"kind":"phone","value":"")", "wl.jsonl:2: not a JSON object"},
  };
  for (const auto& [line, error] : lines) {
    std::istringstream in(std::string(R"({"kind":"phone","value":"17772123456"})") + "\n" + line);
    Watchlist list;
    Status st = ReadWatchlistJsonl(in, "wl.jsonl", &list);
    EXPECT_EQ(st.code(), ErrorCode::kInvalidInput) << line;
    EXPECT_TRUE(st.message().starts_with(error)) << line << " -> " << st.message();
  }
  std::istringstream ok(
      "{\"kind\":\"phone\",\"value\":\"17772123456\",\"cases\":2,\"version\":7}\r\n");
  Watchlist list;
  ASSERT_TRUE(ReadWatchlistJsonl(ok, "wl.jsonl", &list).ok());
  EXPECT_EQ(list.Get(list.Find(EntryKind::kPhone, "+8617772123456")).cases, 2);
  EXPECT_EQ(list.version(), 7);
}

// Two lines for one phone (raw forms that key alike) with versions 4 then 2: the older line
// replaced the entry but the list kept version 4, and read back from what it wrote it had version
// 2 (found by fuzz/ watchlist). The newer line wins now, in either order.
TEST(WatchlistJsonlTest, OfTwoLinesWithOneKeyTheNewerVersionWins) {
  const std::string newer = R"({"kind":"phone","value":"177 7212 3456","source":"b","version":4})";
  const std::string older = R"({"kind":"phone","value":"+8617772123456","source":"a","version":2})";
  for (const std::string& text : {newer + "\n" + older, older + "\n" + newer}) {
    std::istringstream in(text);
    Watchlist list;
    ASSERT_TRUE(ReadWatchlistJsonl(in, "wl.jsonl", &list).ok());
    ASSERT_EQ(list.size(), 1u);
    Entry e = list.Get(list.Find(EntryKind::kPhone, "+8617772123456"));
    EXPECT_EQ(e.source, "b") << text;
    EXPECT_EQ(e.version, 4);
    EXPECT_EQ(list.version(), 4);
  }
}

// "HTTP:.//K&&81" took the fast path with "http:" as its host and became "http://http://K&&81",
// whose own key is "http://http//K&&81": a listed URL written out and read back was another
// entry. A key is now its own key, and the fast path answers what libcurl would or leaves it.
TEST(UrlKeyTest, AKeyIsItsOwnKeyAndBothPathsAgree) {
  const char* urls[] = {
      "HTTP:.//K&&&&&&&&&&&&&&&81#x",
      "HTTP://Kouzhao-Sale.cn:80#x",
      "kouzhao.cn",
      "kouzhao.cn/pay",
      "https://Kouzhao.cn:443/a?b=1&c=2#frag",
      "http://kouzhao.cn:8080/a",
      "ftp.kouzhao.cn",
      "http://kouzhao.cn/a b",
      "http://kouzhao.cn/%e8%b4%ad",
      "http://kouzhao.cn/a/../b",
      "http://a..b.cn/",
      "http://-a.cn/",
      "hxxp://kouzhao[.]cn/x",
      "http://1.2.3.4:80/",
      "http://kouzhao.cn./",
      "kouzhao。cn",
      "http://user@kouzhao.cn/",
      "pay",
      "http://:80/",
      "mailto://x.cn",
      "HTTP://KOUZHAO.CN?q",
  };
  for (const char* raw : urls) {
    std::string key = UrlKey(raw);
    EXPECT_EQ(UrlKey(key), key) << raw;
    normalise::Url slow = normalise::NormaliseUrl(raw);
    if (slow.valid && std::string_view(raw).find('@') == std::string_view::npos) {
      EXPECT_EQ(key, slow.url) << raw;
    }
  }
}

}  // namespace
}  // namespace fanzha::warn
