#include "core/time.h"

#include <gtest/gtest.h>

namespace fanzha {
namespace {

TEST(Time, Rfc3339WithOffsetIsAnInstant) {
  Millis a = *ParseTime("2020-02-08T00:42:00+08:00");
  Millis b = *ParseTime("2020-02-07T16:42:00Z");
  EXPECT_EQ(a, b);
  EXPECT_EQ(a, 1581093720000);
}

TEST(Time, FractionalSecondsKeepMilliseconds) {
  EXPECT_EQ(*ParseTime("2020-02-08T00:42:00.125+08:00") - *ParseTime("2020-02-08T00:42:00+08:00"),
            125);
  EXPECT_EQ(FormatTime(*ParseTime("2020-02-08T00:42:00.125+08:00")),
            "2020-02-08T00:42:00.125+08:00");
}

TEST(Time, NoOffsetIsReadInTheConfiguredZone) {
  EXPECT_EQ(*ParseTime("2020-02-08 00:42:00"), *ParseTime("2020-02-08T00:42:00+08:00"));
  EXPECT_EQ(*ParseTime("2020-02-08 00:42:00", Zone{0}), *ParseTime("2020-02-08T00:42:00Z"));
  EXPECT_EQ(*ParseTime("2020/02/08 00:42:00"), *ParseTime("2020-02-08T00:42:00+08:00"));
  EXPECT_EQ(*ParseTime("20200208 004200"), *ParseTime("2020-02-08T00:42:00+08:00"));
  EXPECT_EQ(*ParseTime("20200208004200"), *ParseTime("2020-02-08T00:42:00+08:00"));
  EXPECT_EQ(*ParseTime("2020-02-08"), *ParseTime("2020-02-08T00:00:00+08:00"));
}

TEST(Time, RejectsImpossibleDates) {
  for (const char* bad : {"2020-02-30T00:00:00Z", "2019-02-29", "2020-13-01", "yesterday",
                          "2020-02-08T25:00:00Z", "2020-02-08T00:42:00+08:00x"}) {
    EXPECT_FALSE(ParseTime(bad).ok()) << bad;
  }
}

// Found by fuzz/time_fuzzer: "9999-12-31T23:59:59.999-14:00" was read, then written as year 10000,
// which nothing reads back. Times are kept only where they can be written in UTC and in +08:00.
TEST(Time, KeepsOnlyInstantsThatCanBeWrittenAgain) {
  for (const char* bad : {"9999-12-31T23:59:59.999-14:00", "9999-12-31T16:00:00Z",
                          "0000-01-01T00:00:00+00:01", "0000-01-01"}) {
    EXPECT_FALSE(ParseTime(bad).ok()) << bad;
  }
  for (const char* good : {"9999-12-31T23:59:59.999+08:00", "0000-01-01T00:00:00Z",
                           "0000-01-01T08:00:00", "9999-12-31"}) {
    Result<Millis> t = ParseTime(good);
    ASSERT_TRUE(t.ok()) << good;
    for (Zone z : {Zone{0}, Zone{480}}) EXPECT_EQ(*ParseTime(FormatTime(*t, z)), *t) << good;
  }
  EXPECT_EQ(*ParseTime("9999-12-31T23:59:59.999+08:00"), kLatestTime);
  EXPECT_EQ(*ParseTime("0000-01-01T00:00:00Z"), kEarliestTime);
}

TEST(Time, FormatsInShanghaiByDefault) {
  EXPECT_EQ(FormatTime(*ParseTime("2020-02-07T16:42:00Z")), "2020-02-08T00:42:00+08:00");
  EXPECT_EQ(FormatTime(0, Zone{0}), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatDate(*ParseTime("2020-02-07T16:42:00Z")), "2020-02-08");
  EXPECT_EQ(FormatMinute(*ParseTime("2020-02-07T16:42:59.5Z")), "2020-02-08 00:42");
  EXPECT_EQ(FormatMinute(0, Zone{0}), "1970-01-01 00:00");
}

TEST(Time, ZoneNames) {
  EXPECT_EQ(Zone::Parse("Asia/Shanghai")->offset_minutes, 480);
  EXPECT_EQ(Zone::Parse("-05:30")->offset_minutes, -330);
  EXPECT_FALSE(Zone::Parse("Mars/Olympus").ok());
  // Found by fuzz/time_fuzzer: "+14:59" was a zone (no offset goes beyond 14:00).
  EXPECT_EQ(Zone::Parse("+14:00")->offset_minutes, 840);
  EXPECT_FALSE(Zone::Parse("+14:59").ok());
  EXPECT_FALSE(ParseTime("2020-02-08T00:42:00-14:01").ok());
}

TEST(Time, AddMonthsKeepsTheWallTimeAndClampsTheDay) {
  auto at = [](const char* s) { return *ParseTime(s); };
  EXPECT_EQ(FormatTime(AddMonths(at("2020-02-08T00:42:00+08:00"), 6)), "2020-08-08T00:42:00+08:00");
  EXPECT_EQ(FormatTime(AddMonths(at("2020-08-31T23:30:00+08:00"), 6)), "2021-02-28T23:30:00+08:00");
  EXPECT_EQ(FormatTime(AddMonths(at("2019-08-31T08:00:00+08:00"), 6)), "2020-02-29T08:00:00+08:00");
  EXPECT_EQ(FormatTime(AddMonths(at("2020-10-15T00:10:00+08:00"), 6)),
            "2021-04-15T00:10:00+08:00");  // local midnight crossing: the local date counts
  EXPECT_EQ(FormatTime(AddMonths(at("2021-01-31T12:00:00+08:00"), -2)),
            "2020-11-30T12:00:00+08:00");
}

TEST(Time, Durations) {
  EXPECT_EQ(*ParseDuration("6h"), 6 * 3600000);
  EXPECT_EQ(*ParseDuration("90m"), 90 * 60000);
  EXPECT_EQ(*ParseDuration("2d"), 2 * 86400000LL);
  EXPECT_EQ(*ParseDuration("500ms"), 500);
  for (const char* bad : {"", "h", "6", "-6h", "6 h", "6w", "99999999999h"}) {
    EXPECT_FALSE(ParseDuration(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace fanzha
