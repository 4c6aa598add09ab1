// A recall on the order lifecycle: order drafted and sent, camt.056 written, the bank's camt.029
// written and read back, the order moved by the answer through the real OrderBook.
#include "freeze/recall.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "freeze/freeze.h"
#include "tests/support/postgres_server.h"

namespace fanzha::freeze {
namespace {

Transfer VictimPayment() {
  Transfer t;
  t.id = "P-VICTIM-1";
  t.time = *ParseTime("2020-02-08T00:42:00+08:00");
  t.from = "6228480012345678901";
  t.to = "6222021234567890123";
  t.amount = 5000000;
  return t;
}

const iso20022::Party kCentre{"杭州市公安局反诈中心", "", "330100"};
const iso20022::Party kBank{"中国工商银行", "ICBKCNBJ", ""};

TEST(RecallIds, FromTheAttributesAStatementPostingKept) {
  PaymentIds ids = PaymentIdsFromAttributes(
      {R"([["statement","S1"],["AcctSvcrRef","ICBC1"],["EndToEndId","E2E-1"],)"
       R"(["UETR","eb6305c9-1f7f-49de-aed0-16487c27b42d"],["InstrId","I-1"],["MsgId","M-1"]])",
       R"([["AcctSvcrRef","PSBC9"],["EndToEndId","E2E-OTHER"],["TxId","CNAPS-1"]])"});
  EXPECT_EQ(ids.end_to_end_id, "E2E-1");  // the payer's posting first
  EXPECT_EQ(ids.tx_id, "CNAPS-1");        // from the payee's, where only it has one
  EXPECT_EQ(ids.uetr, "eb6305c9-1f7f-49de-aed0-16487c27b42d");
  EXPECT_EQ(ids.instruction_id, "I-1");
  EXPECT_EQ(ids.message_id, "M-1");
  PaymentIds none = PaymentIdsFromAttributes({""});  // a CSV posting keeps no ids
  EXPECT_TRUE(none.end_to_end_id.empty() && none.tx_id.empty());
  EXPECT_TRUE(PaymentIdsFromAttributes({}).tx_id.empty());
  EXPECT_TRUE(PaymentIdsFromAttributes({"{\"x\":1}", "[[1,2],[\"TxId\"]]"}).tx_id.empty());
}

TEST(RecallFor, APaymentKnownOnlyByItsSerialIsRecalledByIt) {
  Order o;
  o.id = 7;
  o.case_id = "HZ-20200208-0001";
  auto r = RecallFor(o, VictimPayment(), PaymentIds{}, kCentre, kBank, 1000);
  EXPECT_EQ(r.id, "FZ-RECALL-7");
  EXPECT_EQ(r.original_tx_id, "P-VICTIM-1");
  EXPECT_EQ(r.reason, "FRAD");
  EXPECT_EQ(r.amount, 5000000);
  EXPECT_EQ(r.debtor_account, "6228480012345678901");
  auto xml = iso20022::WriteRecall(r);
  ASSERT_TRUE(xml.ok()) << xml.status().message();
  auto back = iso20022::ReadRecall(*xml, "r.xml");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->original_tx_id, "P-VICTIM-1");
  EXPECT_EQ(back->additional_info.size(), 2u);
}

class RecallLifecycle : public testing::Test {
 protected:
  void SetUp() override {
    path_ = testing::TempDir() + "/recall_test_" +
            testing::UnitTest::GetInstance()->current_test_info()->name() + ".db";
    std::filesystem::remove(path_);
    auto s = store::Store::Open(test_support::StoreLocation(path_));
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(s).value();
    book_ = std::make_unique<OrderBook>(store_->sql());
    Plan p;
    p.case_id = "HZ-20200208-0001";
    PlanItem item;
    item.account = "6222021234567890123";
    item.institution = "ICBC";
    item.region = "330100";
    item.amount = 5000000;
    item.hops = 1;
    item.minutes_per_hop = 5;
    item.urgency = "critical";
    p.items.push_back(item);
    auto drafted = book_->Draft(p, {}, 1000);
    ASSERT_TRUE(drafted.ok()) << drafted.status().message();
    order_ = (*drafted)[0].order;
    request_ = RecallFor(order_, VictimPayment(),
                         PaymentIds{"", "", "E2E-VICTIM-0001", "CNAPS20200208A0001", ""}, kCentre,
                         kBank, 2000);
    // Sending the recall: planned -> sent.
    auto xml = iso20022::WriteRecall(request_);
    ASSERT_TRUE(xml.ok()) << xml.status().message();
    auto sent =
        book_->Move(order_.id, OrderStatus::kSent, std::nullopt, "camt.056 " + request_.id, 2000);
    ASSERT_TRUE(sent.ok()) << sent.status().message();
    order_ = *sent;
  }
  void TearDown() override {
    book_.reset();
    store_.reset();
    std::filesystem::remove(path_);
  }
  // The bank's answer as the bank node writes it, read back as the platform reads it.
  iso20022::RecallAnswer Answer(iso20022::RecallOutcome outcome, const std::string& reason = "") {
    iso20022::RecallAnswer a;
    a.outcome = outcome;
    a.reason_code = reason;
    a.reason_text = reason.empty() ? "" : "需冻结法律文书";
    a.answer_id = "ICBC-A-1";
    a.answered_by = kBank;
    a.answered_at = 3000;
    auto xml = iso20022::WriteRecallAnswer(request_, a);
    EXPECT_TRUE(xml.ok()) << xml.status().message();
    auto read = iso20022::ReadRecallAnswers(*xml, "answer.xml");
    EXPECT_TRUE(read.ok() && read->size() == 1);
    return (*read)[0];
  }
  Result<Order> Apply(const iso20022::RecallAnswer& a) {
    FANZHA_ASSIGN_OR_RETURN(RecallMove m, MoveForRecallAnswer(order_, request_, a));
    if (!m.moves) return order_;
    FANZHA_ASSIGN_OR_RETURN(order_, book_->Move(order_.id, m.to, m.amount, m.note, 3000));
    return order_;
  }

  std::string path_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<OrderBook> book_;
  Order order_;
  iso20022::RecallRequest request_;
};

TEST_F(RecallLifecycle, CancelledMeansExecutedWithThePaymentsAmount) {
  auto o = Apply(Answer(iso20022::RecallOutcome::kCancelled));
  ASSERT_TRUE(o.ok()) << o.status().message();
  EXPECT_EQ(o->status, OrderStatus::kExecuted);
  EXPECT_EQ(o->frozen, 5000000);
  EXPECT_EQ(o->reason, "camt.029 ACCR");  // the transaction's own status (Sts/Conf says CNCL)
  // The same answer again changes nothing; a rejection after it is a conflict.
  auto again = MoveForRecallAnswer(*o, request_, Answer(iso20022::RecallOutcome::kCancelled));
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->moves);
  auto late = MoveForRecallAnswer(*o, request_, Answer(iso20022::RecallOutcome::kRejected, "LEGL"));
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.status().code(), ErrorCode::kConflict);
  EXPECT_NE(late.status().zh().find("银行的答复却是 RJCR"), std::string::npos);
}

TEST_F(RecallLifecycle, RejectedCarriesTheBanksReason) {
  auto o = Apply(Answer(iso20022::RecallOutcome::kRejected, "LEGL"));
  ASSERT_TRUE(o.ok()) << o.status().message();
  EXPECT_EQ(o->status, OrderStatus::kRejected);
  EXPECT_EQ(o->reason, "camt.029 RJCR LEGL (法律原因 legal decision): 需冻结法律文书");
  EXPECT_EQ(o->frozen, 0);
}

TEST_F(RecallLifecycle, PendingLeavesTheOrderSent) {
  auto m = MoveForRecallAnswer(order_, request_, Answer(iso20022::RecallOutcome::kPending));
  ASSERT_TRUE(m.ok());
  EXPECT_FALSE(m->moves);
  EXPECT_EQ(m->note, "camt.029 PDCR");
  auto stored = book_->Get(order_.id);
  ASSERT_TRUE(stored.ok() && *stored);
  EXPECT_EQ((*stored)->status, OrderStatus::kSent);
}

TEST_F(RecallLifecycle, AnswersAboutAnotherPaymentOrAnUnsentOrderAreRefused) {
  iso20022::RecallAnswer a = Answer(iso20022::RecallOutcome::kCancelled);
  a.original_end_to_end_id = "E2E-SOMEONE-ELSE";
  auto m = MoveForRecallAnswer(order_, request_, a);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().message(),
            "order " + std::to_string(order_.id) +
                ": original_end_to_end_id: the answer names 'E2E-SOMEONE-ELSE', "
                "the recall asked about 'E2E-VICTIM-0001'");
  iso20022::RecallAnswer other_case = Answer(iso20022::RecallOutcome::kCancelled);
  other_case.case_id = "SZ-1";
  EXPECT_FALSE(MoveForRecallAnswer(order_, request_, other_case).ok());
  Order planned = order_;
  planned.status = OrderStatus::kPlanned;
  EXPECT_FALSE(
      MoveForRecallAnswer(planned, request_, Answer(iso20022::RecallOutcome::kCancelled)).ok());
}

TEST(RecallReasons, KnownCodesInBothLanguages) {
  EXPECT_EQ(RejectionReasonText("AC04"), "账户已销户 account closed");
  EXPECT_EQ(RejectionReasonText("ZZ99"), "ZZ99");
}

}  // namespace
}  // namespace fanzha::freeze
