#include "interchange/messages.h"

#include <gtest/gtest.h>

namespace fanzha::interchange {
namespace {

Millis T(const char* text) { return ParseTime(text).value(); }

Request AStopPayment() {
  Request r;
  r.id = OrderRequestId("fanzha", 12);
  r.kind = Kind::kStopPayment;
  r.institution = "中国工商银行";
  r.sent_at = T("2020-02-08T00:58:00+08:00");
  r.ref = OrderRef("fanzha", 12);
  r.case_id = "HZ-20200208-0001";
  r.document = "杭公反诈止〔2020〕12号";
  r.requested_by = Party{"li", "330100"};
  r.account = AccountRef{"6222021234567890123", "王某某"};
  r.payment = Payment{5000000, T("2020-02-08T00:42:00+08:00")};
  r.amount = 5000000;
  return r;
}

TEST(Names, InstitutionTokensAreSubjectSafe) {
  EXPECT_EQ(*InstitutionToken("ICBC"), "ICBC");
  EXPECT_EQ(*InstitutionToken("中国工商银行"),
            "_e4b8ade59bbde5b7a5e59586e993b6e8a18c");  // the spec's example
  EXPECT_EQ(*InstitutionToken("Bank.of*China"), "_42616e6b2e6f662a4368696e61");  // no '.', '*', '>'
  EXPECT_FALSE(InstitutionToken("").ok());
  EXPECT_FALSE(InstitutionToken(std::string(65, 'a')).ok());
  EXPECT_FALSE(InstitutionToken("\xff\xfe").ok());
  EXPECT_EQ(RequestSubject("ICBC"), "fanzha.req.ICBC");
  EXPECT_EQ(RequestStream("ICBC"), "FANZHA_REQ_ICBC");
  EXPECT_EQ(AnswerSubjectToken("fanzha.ans.ICBC"), "ICBC");
  EXPECT_EQ(AnswerSubjectToken("fanzha.ans.ICBC.x"), "");
  EXPECT_EQ(AnswerSubjectToken("fanzha.req.ICBC"), "");
  EXPECT_EQ(OrderRequestId("fanzha", 12), "fanzha/order/12");
  EXPECT_EQ(RenewalRequestId("fanzha", 12, 2), "fanzha/order/12/renewal/2");
  EXPECT_EQ(FinalAnswerId("fanzha/order/12"), "fanzha/order/12#final");
  EXPECT_TRUE(CheckPlatformName("hz-fzzx").ok());
  EXPECT_FALSE(CheckPlatformName("hz/fzzx").ok());
}

TEST(Requests, RoundTripEveryKind) {
  Request stop = AStopPayment();
  Request freeze = stop;
  freeze.kind = Kind::kFreeze;
  freeze.payment.reset();
  Request renewal;
  renewal.id = RenewalRequestId("fanzha", 12, 1);
  renewal.kind = Kind::kRenewal;
  renewal.institution = "ICBC";
  renewal.sent_at = stop.sent_at;
  renewal.ref = OrderRef("fanzha", 12);
  renewal.document = "续止1";
  renewal.requested_by = Party{"li", ""};
  renewal.renewal = 1;
  Request release = stop;
  release.kind = Kind::kRelease;
  release.ref = OrderRef("fanzha", 15);
  release.releases = OrderRef("fanzha", 12);
  release.payment.reset();
  release.amount = 0;
  Request query = stop;
  query.kind = Kind::kStatement;
  query.ref = QueryRef("fanzha", 3);
  query.payment.reset();
  query.amount = 0;
  query.from = T("2020-02-01T00:00:00+08:00");
  query.to = T("2020-02-09T00:00:00+08:00");
  for (const Request& r : {stop, freeze, renewal, release, query}) {
    std::string text = ToJson(r);
    Result<Request> back = ParseRequest(text);
    ASSERT_TRUE(back.ok()) << Name(r.kind) << ": " << back.status().message() << "\n" << text;
    EXPECT_EQ(ToJson(*back), text) << Name(r.kind);
  }
  EXPECT_NE(ToJson(stop).find(
                "\"payment\":{\"amount\":\"50000.00\",\"time\":\"2020-02-08T00:42:00+08:00\"}"),
            std::string::npos)
      << ToJson(stop);
  EXPECT_NE(ToJson(query).find("\"query\":{"), std::string::npos);
}

// Every way a request can be wrong is a clear error naming the field; nothing throws.
TEST(Requests, BadRequestsNameTheField) {
  std::string good = ToJson(AStopPayment());
  auto error_of = [](std::string_view text) {
    Result<Request> r = ParseRequest(text);
    return r.ok() ? std::string("ok") : r.status().message();
  };
  auto with = [&](const std::string& from, const std::string& to) {
    std::string s = good;
    size_t at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return s.replace(at, from.size(), to);
  };
  EXPECT_EQ(error_of(good), "ok");
  EXPECT_NE(error_of("").find("not a JSON object"), std::string::npos);
  EXPECT_NE(error_of("[1,2]").find("not a JSON object"), std::string::npos);
  EXPECT_NE(error_of("{\"interchange\":1,").find("not a JSON object"), std::string::npos);
  EXPECT_NE(error_of(with("\"kind\":\"stop_payment\"", "\"kind\":\"transfer_all\"")).find("kind:"),
            std::string::npos);
  EXPECT_NE(error_of(with("\"amount\":\"50000.00\"}}", "\"amount\":\"50000.001\"}}"))
                .find("order.amount"),
            std::string::npos);
  EXPECT_NE(error_of(with("\"amount\":\"50000.00\"}}", "\"amount\":50000}}"))
                .find("order.amount: not a string"),
            std::string::npos);
  EXPECT_NE(
      error_of(with("\"name\":\"王某某\"", "\"name\":\"\"")).find("order.account.name: empty"),
      std::string::npos);
  EXPECT_NE(error_of(with("\"time\":\"2020-02-08T00:42:00+08:00\"", "\"time\":\"yesterday\""))
                .find("order.payment.time"),
            std::string::npos);
  EXPECT_NE(error_of(with("\"interchange\":1", "\"interchange\":\"1\""))
                .find("interchange: not a whole number"),
            std::string::npos);
  EXPECT_NE(error_of(with("\"id\":\"fanzha/order/12\"", "\"id\":\"" + std::string(200, 'x') + "\""))
                .find("longer than 128"),
            std::string::npos);
  EXPECT_NE(error_of(std::string(40, '[') + std::string(40, ']')).find("nested deeper"),
            std::string::npos);
  EXPECT_NE(error_of("{\"id\":\"\xff\"}").find("UTF-8"), std::string::npos);
  Result<Request> big = ParseRequest(std::string(kMaxRequestBytes + 1, ' '));
  EXPECT_EQ(big.status().code(), ErrorCode::kTooLarge);
  // A newer version parses as far as the envelope, so that the bank can say which it speaks.
  Result<Request> newer = ParseRequest(with("\"interchange\":1", "\"interchange\":2"));
  ASSERT_TRUE(newer.ok());
  EXPECT_EQ(newer->version, 2);
  EXPECT_EQ(newer->id, "fanzha/order/12");
  // What can still be read of a broken one.
  Envelope e = EnvelopeOf(with("\"amount\":\"50000.00\"}}", "\"amount\":-1}}"));
  EXPECT_EQ(e.id, "fanzha/order/12");
  ASSERT_TRUE(e.kind.has_value());
  EXPECT_EQ(*e.kind, Kind::kStopPayment);
  EXPECT_EQ(EnvelopeOf("garbage").id, "");
}

TEST(Answers, RoundTripAndLimits) {
  Answer a;
  a.id = FinalAnswerId("fanzha/order/12");
  a.request = "fanzha/order/12";
  a.kind = Kind::kStopPayment;
  a.institution = "ICBC";
  a.status = AnswerStatus::kExecuted;
  a.answered_at = T("2020-02-08T00:58:02+08:00");
  a.bank_ms = 1830;
  a.amount = 6300000;
  a.at = a.answered_at;
  a.deadline = a.at + 48LL * 3600 * 1000;
  std::string text = ToJson(a);
  Result<Answer> back = ParseAnswer(text);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(ToJson(*back), text);
  Answer no = Rejection("fanzha/order/13", Kind::kStopPayment, "ICBC", "facts_mismatch",
                        {"account_name", "payment_time"}, "the holder differs", "户名不符", a.at);
  back = ParseAnswer(ToJson(no));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->facts, (std::vector<std::string>{"account_name", "payment_time"}));
  EXPECT_EQ(back->message_zh, "户名不符");
  Answer q = a;
  q.kind = Kind::kStatement;
  q.statement =
      Statement{"6222", a.at - 1000, a.at, 2, false, a.at - 10, "serial,time\nA,B\nC,D\n", {}};
  back = ParseAnswer(ToJson(q));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_FALSE(back->statement->complete);
  EXPECT_EQ(back->statement->next_from, a.at - 10);
  EXPECT_FALSE(back->statement->opening.has_value()) << "a bank may not say";
  q.statement->opening = 4000000;
  back = ParseAnswer(ToJson(q));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->statement->opening, Fen{4000000});
  std::string bad = ToJson(q);
  bad.replace(bad.find("\"40000.00\""), 10, "\"-1\"");
  EXPECT_FALSE(ParseAnswer(bad).ok()) << "an opening balance is money";
  // A newer version, a rejection without its code, too large: errors, no exception.
  std::string newer = text;
  newer.replace(newer.find("\"interchange\":1"), 16, "\"interchange\":9");
  EXPECT_FALSE(ParseAnswer(newer).ok());
  EXPECT_FALSE(ParseAnswer("{\"interchange\":1,\"id\":\"x\",\"request\":\"y\",\"kind\":\"freeze\","
                           "\"institution\":\"I\",\"status\":\"rejected\",\"answered_at\":"
                           "\"2020-02-08T00:00:00Z\",\"rejected\":{}}")
                   .ok());
  EXPECT_EQ(ParseAnswer(std::string(kMaxAnswerBytes + 1, 'x')).status().code(),
            ErrorCode::kTooLarge);
}

}  // namespace
}  // namespace fanzha::interchange
