// events.jsonl parsing: the FORMATS.md examples, errors that name the line and the field.
#include "warn/event.h"

#include <gtest/gtest.h>

#include "warn/test_util.h"

namespace fanzha::warn {
namespace {

TEST(EventParserTest, ReadsTheFormatExamples) {
  auto b = testing::Events(
      R"({"id":"E1","time":"2020-02-08T09:15:00+08:00","kind":"call","from":"+8617772123456","to":"13900001111","duration_s":340})"
      "\n"
      R"({"id":"E2","time":"2020-02-08T09:20:00+08:00","kind":"payment","from":"6217000011112222333","to":"6222021234567890123","amount":"50000"})"
      "\r\n\n"
      R"({"id":"E3","time":"2020-02-08T09:21:00+08:00","kind":"sms","from":"10690000","to":"13900001111","text":"您的口罩订单\"加急\"..."})"
      "\n"
      R"({"id":"E4","time":"2020-02-08T09:22:00+08:00","kind":"visit","from":"13900001111","to":"http://kouzhao-sale.cn/pay","extra":{"a":[1,2]}})");
  ASSERT_EQ(b.events.size(), 4u);
  EXPECT_EQ(b.events[0].id, "E1");
  EXPECT_EQ(b.events[0].kind, EventKind::kCall);
  EXPECT_EQ(b.events[0].duration_s, 340);
  EXPECT_EQ(b.events[0].time, testing::T("2020-02-08T01:15:00Z"));
  EXPECT_EQ(b.events[1].amount, 50000'00);
  EXPECT_EQ(b.events[2].text, "您的口罩订单\"加急\"...");
  EXPECT_EQ(b.events[2].line, 4);
  EXPECT_EQ(b.events[3].to, "http://kouzhao-sale.cn/pay");
}

TEST(EventParserTest, AcceptsNumericAmounts) {
  auto b = testing::Events(
      R"({"id":"P","time":"2020-02-08T09:20:00+08:00","kind":"payment","from":"a","to":"b","amount":500.5})");
  ASSERT_EQ(b.events.size(), 1u);
  EXPECT_EQ(b.events[0].amount, 500'50);
}

Status ParseOne(const std::string& line) {
  EventBatch b;
  b.Assign("\n" + line + "\n");
  EventParser parser;
  return parser.Parse(&b, false);
}

TEST(EventParserTest, ABadLineNamesTheLineAndTheField) {
  EXPECT_EQ(ParseOne(R"({"id":"E","time":"yesterday","kind":"call","from":"a","to":"b"})")
                .message()
                .substr(0, 14),
            "line 2: time: ");
  EXPECT_EQ(ParseOne(R"({"id":"E","time":"2020-02-08","kind":"fax","from":"a","to":"b"})")
                .message()
                .substr(0, 14),
            "line 2: kind: ");
  EXPECT_EQ(ParseOne(R"({"id":"E","time":"2020-02-08","kind":"call","from":"a"})").message(),
            "line 2: to: missing");
  EXPECT_EQ(
      ParseOne(
          R"({"id":"E","time":"2020-02-08","kind":"payment","from":"a","to":"b","amount":"-3"})")
          .message()
          .substr(0, 16),
      "line 2: amount: ");
  EXPECT_EQ(ParseOne(R"({"id":"E","time":"2020-02-08","kind":"call","from":"a","to":5})").message(),
            "line 2: to: expected a string");
  EXPECT_EQ(ParseOne(R"(not json)").message(), "line 2: not a JSON object");
}

TEST(EventParserTest, SkipBadRecordsRejectsAndGoesOn) {
  EventBatch b;
  b.Assign(
      "garbage\n"
      R"({"id":"E","time":"2020-02-08","kind":"call","from":"a","to":"b"})"
      "\n");
  EventParser parser;
  ASSERT_TRUE(parser.Parse(&b, true).ok());
  EXPECT_EQ(b.events.size(), 1u);
  ASSERT_EQ(b.rejects.size(), 1u);
  EXPECT_EQ(b.rejects[0], "line 1: not a JSON object");
}

}  // namespace
}  // namespace fanzha::warn
