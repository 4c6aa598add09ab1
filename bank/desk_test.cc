// The bank's desk against a real bank store (imported with the importer): the four facts, what is
// held, the clocks, idempotence and every kind of bad request. The same desk runs on NATS in
// tests/interchange/.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "bank/bank.h"
#include "import/import.h"
#include "tests/support/postgres_server.h"

namespace fanzha::bank {
namespace {

using interchange::Answer;
using interchange::AnswerStatus;
using interchange::Kind;
using interchange::Request;

constexpr Millis kHour = 3600 * 1000;
Millis T(const char* text) { return ParseTime(text).value(); }

class DeskTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir() + "/desk_test_" +
           testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ + "/accounts.csv")
        << "account,holder,institution,region,kind,opening_balance\n"
           "6222000000000001,王某,ICBC,330100,personal,0\n"
           "6222000000000002,李 某,ICBC,330100,personal,1000.00\n"
           "6217000000000009,苏某,CCB,330100,personal,90000.00\n";
    std::ofstream(dir_ + "/transfers.csv")
        << "id,time,from,to,amount,channel,memo\n"
           "T1,2020-02-08T00:42:00+08:00,6217000000000009,6222000000000001,50000.00,transfer,"
           "口罩货款\n"
           "T2,2020-02-08T01:00:00+08:00,6222000000000001,6222000000000002,10000.00,transfer,\n"
           "T3,2020-02-08T02:00:00+08:00,6222000000000001,,5000.00,withdrawal,ATM\n";
    auto s = store::Store::Open(test_support::StoreLocation(dir_ + "/bank.db"));
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(s).value();
    import::Options opts;
    opts.progress = false;
    auto out =
        import::ImportFiles(*store_, {dir_ + "/accounts.csv", dir_ + "/transfers.csv"}, opts);
    ASSERT_TRUE(out.status.ok()) << out.status.message();
    auto d = Desk::Open(*store_, "ICBC", clock_);
    ASSERT_TRUE(d.ok()) << d.status().message();
    desk_ = std::move(d).value();
  }

  static Request Stop(int order, const std::string& account = "6222000000000001") {
    Request r;
    r.id = interchange::OrderRequestId("fanzha", order);
    r.kind = Kind::kStopPayment;
    r.institution = "ICBC";
    r.sent_at = T("2020-02-09T00:00:00+08:00");
    r.ref = interchange::OrderRef("fanzha", order);
    r.case_id = "HZ-1";
    r.document = "杭公反诈止〔2020〕" + std::to_string(order) + "号";
    r.requested_by = interchange::Party{"li", "330100"};
    r.account = interchange::AccountRef{account, "王某"};
    r.payment = interchange::Payment{
        5000000, T("2020-02-08T00:42:30+08:00")};  // the bank booked it 30 s earlier
    r.amount = 3000000;
    return r;
  }

  Answer Send(const Request& r, std::string_view header = {}) {
    std::string bytes = interchange::ToJson(r);
    return Send(bytes, header.empty() ? r.id : header);
  }
  Answer Send(std::string_view bytes, std::string_view header, uint64_t seq = 7) {
    Result<Handled> h = desk_->Handle(header, seq, bytes, clock_.Now());
    EXPECT_TRUE(h.ok()) << h.status().message();
    Result<Answer> a = interchange::ParseAnswer(h->answer);
    EXPECT_TRUE(a.ok()) << a.status().message() << "\n" << h->answer;
    last_ = *h;
    return *a;
  }
  size_t Holds() { return desk_->Holds()->size(); }

  std::string dir_;
  ManualClock clock_{T("2020-02-09T00:00:00+08:00")};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Desk> desk_;
  Handled last_;
};

TEST_F(DeskTest, TheFourFactsMatchAndTheWholeAccountIsStopped) {
  Answer a = Send(Stop(12));
  ASSERT_EQ(a.status, AnswerStatus::kExecuted) << a.code << ": " << a.message;
  EXPECT_EQ(a.request, "fanzha/order/12");
  EXPECT_EQ(a.id, "fanzha/order/12#final");
  EXPECT_EQ(a.institution, "ICBC");
  EXPECT_EQ(a.amount, 3500000);  // 50000 in, 10000 and 5000 out: more than the 30000 traced
  EXPECT_EQ(a.at, clock_.Now());
  EXPECT_EQ(a.deadline, clock_.Now() + 48 * kHour);
  ASSERT_EQ(Holds(), 1u);
  EXPECT_EQ(desk_->Holds()->at(0).document, "杭公反诈止〔2020〕12号");
}

TEST_F(DeskTest, ARequestSentTwiceIsExecutedOnce) {
  Answer first = Send(Stop(12));
  std::string bytes = last_.answer;
  clock_.Advance(kHour);
  Answer again = Send(Stop(12));
  EXPECT_TRUE(last_.repeated);
  EXPECT_EQ(last_.answer, bytes);  // byte for byte: the platform drops it by id
  EXPECT_EQ(again.at, first.at);
  EXPECT_EQ(Holds(), 1u);
  // Another request for the same order: a clear no, nothing done.
  Request other = Stop(12);
  other.id = "other/order/12";
  Answer dup = Send(other);
  EXPECT_EQ(dup.status, AnswerStatus::kRejected);
  EXPECT_EQ(dup.code, "duplicate_order");
  EXPECT_NE(dup.message.find("fanzha/order/12"), std::string::npos);
  EXPECT_EQ(Holds(), 1u);
}

TEST_F(DeskTest, EachFactThatDoesNotMatchIsNamed) {
  auto facts_of = [&](Request r) {
    Answer a = Send(r);
    EXPECT_EQ(a.status, AnswerStatus::kRejected);
    EXPECT_FALSE(a.message.empty());
    EXPECT_FALSE(a.message_zh.empty());
    return a.code == "facts_mismatch" ? a.facts : std::vector<std::string>{a.code};
  };
  Request name = Stop(1);
  name.account.name = "王某某";
  EXPECT_EQ(facts_of(name), (std::vector<std::string>{"account_name"}));
  Request amount = Stop(2);
  amount.payment->amount = 4999900;
  EXPECT_EQ(facts_of(amount), (std::vector<std::string>{"payment_amount"}));
  Request time = Stop(3);
  time.payment->time = T("2020-02-08T03:42:00+08:00");
  EXPECT_EQ(facts_of(time), (std::vector<std::string>{"payment_time"}));
  Request both = Stop(4);
  both.payment = interchange::Payment{100, T("2020-01-01T00:00:00+08:00")};
  EXPECT_EQ(facts_of(both), (std::vector<std::string>{"payment_amount", "payment_time"}));
  Request unknown = Stop(5, "6222999999999999");
  EXPECT_EQ(facts_of(unknown), (std::vector<std::string>{"unknown_account"}));
  Request other_bank = Stop(6, "6217000000000009");  // in the store, but another bank's account
  EXPECT_EQ(facts_of(other_bank), (std::vector<std::string>{"unknown_account"}));
  EXPECT_EQ(Holds(), 0u);  // nothing stopped
  // Spaces and full-width forms in a name are how people write it, not a mismatch.
  Request spaced = Stop(7, "6222000000000002");
  spaced.account.name = "李某";
  spaced.payment = interchange::Payment{1000000, T("2020-02-08T01:00:00+08:00")};
  EXPECT_EQ(Send(spaced).status, AnswerStatus::kExecuted);
}

TEST_F(DeskTest, AFreezeHoldsWhatIsLeftAndAtMostWhatWasAsked) {
  ASSERT_EQ(Send(Stop(12)).status, AnswerStatus::kExecuted);  // 35000 stopped
  Request freeze = Stop(13);
  freeze.kind = Kind::kFreeze;
  freeze.payment.reset();
  Answer a = Send(freeze);
  ASSERT_EQ(a.status, AnswerStatus::kExecuted) << a.message;
  EXPECT_EQ(a.amount, 0);                                 // the stop-payment holds it all already
  EXPECT_EQ(a.deadline, T("2020-08-09T00:00:00+08:00"));  // six months
  Request other = Stop(14, "6222000000000002");
  other.kind = Kind::kFreeze;
  other.payment.reset();
  other.account.name = "";  // a freeze rests on its document; a name, when given, is checked
  other.amount = 500000;
  Answer b = Send(other);
  ASSERT_EQ(b.status, AnswerStatus::kExecuted) << b.message;
  EXPECT_EQ(b.amount, 500000);  // 11000 there, 5000 asked for
  // Once the stop-payment lapses, what it held is free again.
  clock_.Advance(49 * kHour);
  Request later = Stop(15);
  later.kind = Kind::kFreeze;
  later.payment.reset();
  later.amount = 10000000;
  EXPECT_EQ(Send(later).amount, 3500000);
}

TEST_F(DeskTest, RenewalsBeforeTheDeadlineAtMostTwiceForAStopPayment) {
  ASSERT_EQ(Send(Stop(12)).status, AnswerStatus::kExecuted);
  Millis deadline = clock_.Now() + 48 * kHour;
  auto renewal = [&](int n) {
    Request r;
    r.id = interchange::RenewalRequestId("fanzha", 12, n);
    r.kind = Kind::kRenewal;
    r.institution = "ICBC";
    r.sent_at = clock_.Now();
    r.ref = interchange::OrderRef("fanzha", 12);
    r.document = "续止" + std::to_string(n);
    r.requested_by = interchange::Party{"li", ""};
    r.renewal = n;
    return r;
  };
  for (int n = 1; n <= 2; ++n) {
    clock_.Advance(47 * kHour);
    Answer a = Send(renewal(n));
    ASSERT_EQ(a.status, AnswerStatus::kExecuted) << a.message;
    deadline += 48 * kHour;
    EXPECT_EQ(a.deadline, deadline);
    EXPECT_EQ(a.renewals, n);
    EXPECT_EQ(a.amount, 3500000);
  }
  Answer third = Send(renewal(3));
  EXPECT_EQ(third.code, "renewals_exhausted");
  clock_.Set(deadline + 1);
  Answer late = Send(renewal(4));
  EXPECT_EQ(late.code, "deadline_passed");
  EXPECT_NE(late.message.find(FormatTime(deadline)), std::string::npos);
  EXPECT_NE(late.message_zh.find("到期"), std::string::npos);
  Request unknown = renewal(1);
  unknown.id = "fanzha/order/99/renewal/1";
  unknown.ref = "fanzha/99";
  EXPECT_EQ(Send(unknown).code, "unknown_order");
}

TEST_F(DeskTest, AReleaseLiftsAHoldInForceOnce) {
  ASSERT_EQ(Send(Stop(12)).status, AnswerStatus::kExecuted);
  auto release = [&](int order, const std::string& releases) {
    Request r = Stop(order);
    r.kind = Kind::kRelease;
    r.payment.reset();
    r.amount = 0;
    r.releases = releases;
    return r;
  };
  Answer a = Send(release(20, "fanzha/12"));
  ASSERT_EQ(a.status, AnswerStatus::kExecuted) << a.message;
  EXPECT_EQ(a.amount, 3500000);
  EXPECT_EQ(a.deadline, 0);
  EXPECT_EQ(Send(release(21, "fanzha/12")).code, "not_held");
  EXPECT_EQ(Send(release(22, "fanzha/77")).code, "unknown_order");
  // Released money is free for the next order.
  Request freeze = Stop(23);
  freeze.kind = Kind::kFreeze;
  freeze.amount = 100000000;
  EXPECT_EQ(Send(freeze).amount, 3500000);
}

TEST_F(DeskTest, BadRequestsGetAClearAnswerAndChangeNothing) {
  Answer bad = Send("{not json", "fanzha/order/30");
  EXPECT_EQ(bad.code, "malformed");
  EXPECT_EQ(bad.request, "fanzha/order/30");  // answered under its Nats-Msg-Id header
  Answer anonymous = Send("[]", "", 41);
  EXPECT_EQ(anonymous.request, "seq:41");
  std::string big(interchange::kMaxRequestBytes + 10, ' ');
  Answer large = Send(big, "fanzha/order/31");
  EXPECT_EQ(large.code, "too_large");
  Request missing = Stop(32);
  missing.payment.reset();  // a stop-payment without the payment's facts
  Answer no_payment = Send(missing);
  EXPECT_EQ(no_payment.code, "malformed");
  EXPECT_NE(no_payment.message.find("order.payment: missing"), std::string::npos);
  Request elsewhere = Stop(33);
  elsewhere.institution = "CCB";
  Answer wrong = Send(elsewhere);
  EXPECT_EQ(wrong.code, "wrong_institution");
  EXPECT_NE(wrong.message_zh.find("CCB"), std::string::npos);
  std::string newer = interchange::ToJson(Stop(34));
  newer.replace(newer.find("\"interchange\":1"), 15, "\"interchange\":2");
  EXPECT_EQ(Send(newer, "fanzha/order/34").code, "unsupported_version");
  EXPECT_EQ(Send(Stop(35), "fanzha/order/36").code, "malformed");  // header and id differ
  EXPECT_EQ(Holds(), 0u);
  // Each was answered once and is remembered: the same bytes again get the same answer.
  Send("{not json", "fanzha/order/30");
  EXPECT_TRUE(last_.repeated);
}

TEST_F(DeskTest, AStatementQueryAnswersTheBanksStatement) {
  Request q = Stop(40);
  q.kind = Kind::kStatement;
  q.ref = interchange::QueryRef("fanzha", 3);
  q.id = interchange::QueryRequestId("fanzha", 3);
  q.payment.reset();
  q.amount = 0;
  q.from = T("2020-02-08T00:00:00+08:00");
  q.to = T("2020-02-08T01:30:00+08:00");
  Answer a = Send(q);
  ASSERT_EQ(a.status, AnswerStatus::kExecuted) << a.message;
  ASSERT_TRUE(a.statement.has_value());
  EXPECT_EQ(a.statement->rows, 2);
  EXPECT_TRUE(a.statement->complete);
  EXPECT_EQ(a.statement->csv,
            "serial,time,account,direction,amount,balance,counterparty,counterparty_name,"
            "counterparty_bank,memo\n"
            "T1,2020-02-08T00:42:00+08:00,6222000000000001,in,50000.00,50000.00,6217000000000009,"
            "苏某,CCB,口罩货款\n"
            "T2,2020-02-08T01:00:00+08:00,6222000000000001,out,10000.00,40000.00,6222000000000002,"
            "李 某,ICBC,\n");
  EXPECT_EQ(a.statement->opening, Fen{0}) << "nothing before T1";
  // A window that starts after T1 carries the balance T1 left: a trace can start the account
  // there without its earlier postings.
  Request later = q;
  later.id = interchange::QueryRequestId("fanzha", 5);
  later.from = T("2020-02-08T00:50:00+08:00");
  a = Send(later);
  ASSERT_EQ(a.status, AnswerStatus::kExecuted) << a.message;
  EXPECT_EQ(a.statement->rows, 1);
  EXPECT_EQ(a.statement->opening, Fen{5000000});
  Request unknown = q;
  unknown.id = interchange::QueryRequestId("fanzha", 4);
  unknown.account.number = "6222999999999999";
  EXPECT_EQ(Send(unknown).code, "unknown_account");
}

TEST(Delay, Forms) {
  Millis lo = -1, hi = -1;
  ASSERT_TRUE(ParseDelay("0-2s", &lo, &hi).ok());
  EXPECT_EQ(lo, 0);
  EXPECT_EQ(hi, 2000);
  ASSERT_TRUE(ParseDelay("1500ms", &lo, &hi).ok());
  EXPECT_EQ(lo, 1500);
  EXPECT_EQ(hi, 1500);
  ASSERT_TRUE(ParseDelay("500ms-1s", &lo, &hi).ok());
  EXPECT_EQ(lo, 500);
  EXPECT_EQ(hi, 1000);
  EXPECT_FALSE(ParseDelay("2s-1s", &lo, &hi).ok());
  EXPECT_FALSE(ParseDelay("soon", &lo, &hi).ok());
}

}  // namespace
}  // namespace fanzha::bank
