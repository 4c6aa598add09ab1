// The platform's side on a real store, without NATS: what goes out for orders, renewals, releases
// and statement queries, and what each kind of answer (good, duplicate, forged, malformed) does.
// tests/interchange/ runs the same over a real nats-server with bank nodes.
#include "interchange/platform.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "audit/audit.h"
#include "freeze/freeze.h"

namespace fanzha::interchange {
namespace {

constexpr Millis kHour = 3600 * 1000;
Millis T(const char* text) { return ParseTime(text).value(); }

class PlatformTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir() + "/platform_test_" +
           testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto s = store::Store::OpenSqlite(dir_ + "/platform.db");
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(s).value();
    context_.statements_dir = dir_ + "/statements";
    context_.audit_key = &key_;
  }
  store::SqlDatabase& db() { return store_->sql(); }

  // Two sent stop-payments: ICBC (order 1) and 中国工商银行 (order 2).
  std::vector<int64_t> SentOrders() {
    freeze::Plan plan;
    plan.case_id = "HZ-1";
    plan.items.push_back(freeze::PlanItem{"6222000000000001", "ICBC", "330100", 3000000, 1, 0, 5,
                                          "critical", "王某", "T1", 5000000,
                                          T("2020-02-08T00:42:00+08:00")});
    plan.items.push_back(freeze::PlanItem{"6222000000000002", "中国工商银行", "330100", 100000, 2,
                                          0, 5, "critical", "李某", "T2", 1000000,
                                          T("2020-02-08T01:00:00+08:00")});
    freeze::DraftOptions o;
    o.kind = freeze::OrderKind::kStopPayment;
    o.mandate = freeze::Mandate{"杭公反诈止〔2020〕12号", "li", "330100"};
    freeze::OrderBook book(db());
    auto drafted = book.Draft(plan, o, now_);
    EXPECT_TRUE(drafted.ok()) << drafted.status().message();
    std::vector<int64_t> ids;
    for (const auto& d : *drafted) {
      EXPECT_TRUE(book.Move(d.order.id, freeze::OrderStatus::kSent, std::nullopt, "", now_).ok());
      ids.push_back(d.order.id);
    }
    return ids;
  }

  std::vector<Outgoing> Queue() {
    auto out = QueueRequests(db(), "fanzha", now_, 100);
    EXPECT_TRUE(out.ok()) << out.status().message();
    for (const Outgoing& o : *out) EXPECT_TRUE(MarkPublished(db(), o.id, now_).ok());
    return *out;
  }

  Answer Executed(const std::string& request, Kind kind, const std::string& institution,
                  Fen amount) {
    Answer a;
    a.id = FinalAnswerId(request);
    a.request = request;
    a.kind = kind;
    a.institution = institution;
    a.status = AnswerStatus::kExecuted;
    a.answered_at = now_;
    a.bank_ms = 1200;
    a.amount = amount;
    a.at = now_;
    a.deadline = kind == Kind::kRelease ? 0 : now_ + 48 * kHour;
    return a;
  }

  AnswerOutcome Apply(const Answer& a, std::string subject = "") {
    if (subject.empty()) subject = AnswerSubject(*InstitutionToken(a.institution));
    return Apply(subject, ToJson(a));
  }
  AnswerOutcome Apply(const std::string& subject, const std::string& bytes) {
    auto r = ApplyAnswer(*store_, subject, bytes, context_, now_);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return *r;
  }
  freeze::Order Order(int64_t id) { return freeze::OrderBook(db()).Get(id)->value(); }
  size_t Faults() { return ListFaults(db(), 1000)->size(); }

  std::string dir_;
  Millis now_ = T("2020-02-08T01:05:00+08:00");
  std::unique_ptr<store::Store> store_;
  audit::Key key_ = audit::Key::FromBytes({1, 2, 3});  // the chain's key, as a server holds it
  AnswerContext context_;
};

TEST_F(PlatformTest, OrdersMovedToSentGoOutOnceEach) {
  std::vector<int64_t> ids = SentOrders();
  std::vector<Outgoing> out = Queue();
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].id, "fanzha/order/" + std::to_string(ids[0]));
  EXPECT_EQ(out[0].subject, "fanzha.req.ICBC");
  EXPECT_EQ(out[1].subject, "fanzha.req._e4b8ade59bbde5b7a5e59586e993b6e8a18c");
  Result<Request> r = ParseRequest(out[0].body);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->kind, Kind::kStopPayment);
  EXPECT_EQ(r->account.number, "6222000000000001");
  EXPECT_EQ(r->account.name, "王某");
  EXPECT_EQ(r->payment->amount, 5000000);
  EXPECT_EQ(r->payment->time, T("2020-02-08T00:42:00+08:00"));
  EXPECT_EQ(r->amount, 3000000);
  EXPECT_EQ(r->document, "杭公反诈止〔2020〕12号");
  EXPECT_EQ(r->requested_by.name, "li");
  EXPECT_TRUE(Queue().empty());  // published: nothing more to send
}

TEST_F(PlatformTest, ARequestNotAcknowledgedGoesOutAgainTheSameBytes) {
  SentOrders();
  auto first = QueueRequests(db(), "fanzha", now_, 100);
  ASSERT_EQ(first->size(), 2u);
  ASSERT_TRUE(MarkPublishFailed(db(), first->at(0).id, "timeout").ok());  // no acknowledgement
  auto again = QueueRequests(db(), "fanzha", now_ + 5000, 100);
  ASSERT_EQ(again->size(), 2u);
  EXPECT_EQ(again->at(0).id, first->at(0).id);
  EXPECT_EQ(again->at(0).body, first->at(0).body);  // the same message: the stream drops a copy
  auto rows = ListRequests(db(), 0, 10);
  EXPECT_EQ(rows->back().attempts, 1);
  EXPECT_EQ(rows->back().last_error, "timeout");
}

TEST_F(PlatformTest, AnExecutedAnswerMovesTheOrderWithItsAuditEntryInOneTransaction) {
  std::vector<int64_t> ids = SentOrders();
  std::vector<Outgoing> out = Queue();
  size_t audit_before = audit::AuditLog(db()).List(0, 0)->size();
  AnswerOutcome r = Apply(Executed(out[0].id, Kind::kStopPayment, "ICBC", 3500000));
  EXPECT_EQ(r.what, Applied::kApplied) << r.detail;
  freeze::Order o = Order(ids[0]);
  EXPECT_EQ(o.status, freeze::OrderStatus::kExecuted);
  EXPECT_EQ(o.frozen, 3500000);  // more than traced: what the account held
  EXPECT_EQ(o.deadline, now_ + 48 * kHour);
  auto entries = audit::AuditLog(db()).List(0, 0);
  ASSERT_EQ(entries->size(), audit_before + 1);
  EXPECT_EQ(entries->back().action, "freeze.answer");
  EXPECT_EQ(entries->back().user, "bank:ICBC");
  EXPECT_EQ(entries->back().target, "order " + std::to_string(ids[0]));
  auto rows = ListRequests(db(), ids[0], 10);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->at(0).status, "executed");
  EXPECT_EQ(rows->at(0).bank_ms, 1200);
  // The same answer again (a redelivery): dropped, nothing changes.
  EXPECT_EQ(Apply(Executed(out[0].id, Kind::kStopPayment, "ICBC", 1)).what, Applied::kDuplicate);
  EXPECT_EQ(Order(ids[0]).frozen, 3500000);
  EXPECT_EQ(audit::AuditLog(db()).List(0, 0)->size(), audit_before + 1);
}

TEST_F(PlatformTest, ARejectionKeepsTheFactsThatDidNotMatch) {
  std::vector<int64_t> ids = SentOrders();
  std::vector<Outgoing> out = Queue();
  Answer no = Rejection(out[1].id, Kind::kStopPayment, "中国工商银行", "facts_mismatch",
                        {"account_name"}, "the holder differs", "户名与本行记录不符", now_);
  EXPECT_EQ(Apply(no).what, Applied::kApplied);
  freeze::Order o = Order(ids[1]);
  EXPECT_EQ(o.status, freeze::OrderStatus::kRejected);
  EXPECT_EQ(o.reason, "facts_mismatch (account_name): 户名与本行记录不符 / the holder differs");
}

TEST_F(PlatformTest, ABankAnswersOnlyItsOwnRequests) {
  std::vector<int64_t> ids = SentOrders();
  std::vector<Outgoing> out = Queue();
  // ICBC's order answered by the other bank, on its own subject or on ICBC's.
  Answer forged = Executed(out[0].id, Kind::kStopPayment, "中国工商银行", 1);
  EXPECT_EQ(Apply(forged).what, Applied::kFault);
  EXPECT_EQ(Apply(forged, "fanzha.ans.ICBC").what, Applied::kFault);
  Answer honest_field_wrong_subject = Executed(out[0].id, Kind::kStopPayment, "ICBC", 1);
  AnswerOutcome r =
      Apply(honest_field_wrong_subject, "fanzha.ans._e4b8ade59bbde5b7a5e59586e993b6e8a18c");
  EXPECT_EQ(r.what, Applied::kFault);
  EXPECT_NE(r.detail.find("a bank answers only its own requests"), std::string::npos);
  // Unknown requests, the wrong kind, bad bytes, too many bytes, a bad subject.
  EXPECT_EQ(Apply(Executed("fanzha/order/999", Kind::kStopPayment, "ICBC", 1)).what,
            Applied::kFault);
  EXPECT_EQ(Apply(Executed(out[0].id, Kind::kFreeze, "ICBC", 1)).what, Applied::kFault);
  EXPECT_EQ(Apply("fanzha.ans.ICBC", "{\"interchange\":1,\"id\":").what, Applied::kFault);
  EXPECT_EQ(Apply("fanzha.ans.ICBC", std::string(kMaxAnswerBytes + 1, '{')).what, Applied::kFault);
  EXPECT_EQ(Apply("fanzha.ans.ICBC", "\xff\xfe\xfd").what, Applied::kFault);
  EXPECT_EQ(Apply(Executed(out[0].id, Kind::kStopPayment, "ICBC", 1), "fanzha.req.ICBC").what,
            Applied::kFault);
  Answer bad_id = Executed(out[0].id, Kind::kStopPayment, "ICBC", 1);
  bad_id.id = out[1].id + "#final";
  EXPECT_EQ(Apply(bad_id).what, Applied::kFault);
  EXPECT_EQ(Faults(), 10u);
  for (int64_t id : ids) EXPECT_EQ(Order(id).status, freeze::OrderStatus::kSent);  // nothing moved
  auto faults = ListFaults(db(), 100);
  EXPECT_NE(faults->back().reason.find("institution"), std::string::npos);
}

TEST_F(PlatformTest, PendingIsNotedAndRenewalsAndReleasesFollow) {
  std::vector<int64_t> ids = SentOrders();
  std::vector<Outgoing> out = Queue();
  Answer pending;
  pending.id = PendingAnswerId(out[0].id);
  pending.request = out[0].id;
  pending.kind = Kind::kStopPayment;
  pending.institution = "ICBC";
  pending.status = AnswerStatus::kPending;
  pending.answered_at = now_;
  pending.message_zh = "已收到，正在办理";
  EXPECT_EQ(Apply(pending).what, Applied::kPending);
  EXPECT_EQ(Order(ids[0]).status, freeze::OrderStatus::kSent);
  EXPECT_EQ(Apply(Executed(out[0].id, Kind::kStopPayment, "ICBC", 3500000)).what,
            Applied::kApplied);
  EXPECT_EQ(Apply(pending).what, Applied::kDuplicate);  // late: the final answer is in
  auto history = freeze::OrderBook(db()).History(ids[0]);
  bool noted = false;
  for (const auto& e : *history) noted |= e.note.find("已收到，正在办理") != std::string::npos;
  EXPECT_TRUE(noted);

  // A renewal goes out and its answer moves the deadline.
  freeze::OrderBook book(db());
  now_ += 40 * kHour;
  ASSERT_TRUE(book.RequestRenewal(ids[0], freeze::Mandate{"续止1", "li", ""}, now_).ok());
  std::vector<Outgoing> renewal = Queue();
  ASSERT_EQ(renewal.size(), 1u);
  EXPECT_EQ(renewal[0].id, RenewalRequestId("fanzha", ids[0], 1));
  Answer renewed = Executed(renewal[0].id, Kind::kRenewal, "ICBC", 3500000);
  renewed.deadline = Order(ids[0]).deadline + 48 * kHour;
  renewed.renewals = 1;
  EXPECT_EQ(Apply(renewed).what, Applied::kApplied);
  EXPECT_EQ(Order(ids[0]).deadline, renewed.deadline);
  EXPECT_EQ(Order(ids[0]).renewals, 1);

  // A release is an order of its own; its answer releases the order it names.
  auto release = book.Release(ids[0], freeze::Mandate{"解1", "li", ""}, now_);
  ASSERT_TRUE(release.ok());
  ASSERT_TRUE(
      book.Move(release->order.id, freeze::OrderStatus::kSent, std::nullopt, "", now_).ok());
  std::vector<Outgoing> lift = Queue();
  ASSERT_EQ(lift.size(), 1u);
  Result<Request> r = ParseRequest(lift[0].body);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->kind, Kind::kRelease);
  EXPECT_EQ(r->releases, OrderRef("fanzha", ids[0]));
  EXPECT_EQ(Apply(Executed(lift[0].id, Kind::kRelease, "ICBC", 3500000)).what, Applied::kApplied);
  EXPECT_EQ(Order(ids[0]).status, freeze::OrderStatus::kReleased);
  EXPECT_EQ(Order(release->order.id).status, freeze::OrderStatus::kExecuted);
}

TEST_F(PlatformTest, AStatementAnswerIsImportedAndAnIncompleteOneContinues) {
  StatementQuery q;
  q.case_id = "HZ-1";
  q.account = "6222000000000001";
  q.institution = "ICBC";
  q.holder = "王某";
  q.from = T("2020-02-08T00:00:00+08:00");
  q.to = T("2020-02-09T00:00:00+08:00");
  EXPECT_EQ(AskStatement(db(), q, now_).status().code(), ErrorCode::kInvalidInput);  // document
  q.mandate.document = "杭公反诈查〔2020〕7号";
  auto asked = AskStatement(db(), q, now_);
  ASSERT_TRUE(asked.ok()) << asked.status().message();
  std::vector<Outgoing> out = Queue();
  ASSERT_EQ(out.size(), 1u);
  Answer a = Executed(out[0].id, Kind::kStatement, "ICBC", 0);
  a.deadline = 0;
  a.statement = Statement{q.account,
                          q.from,
                          q.to,
                          2,
                          false,
                          T("2020-02-08T02:00:00+08:00"),
                          "serial,time,account,direction,amount,balance,counterparty,counterparty_"
                          "name,counterparty_bank,memo\n"
                          "T1,2020-02-08T00:42:00+08:00,6222000000000001,in,50000.00,50000.00,"
                          "6217000000000009,苏某,CCB,口罩货款\n"
                          "T2,2020-02-08T01:00:00+08:00,6222000000000001,out,10000.00,40000.00,"
                          "6222000000000002,李某,ICBC,\n",
                          {}};
  AnswerOutcome r = Apply(a);
  ASSERT_EQ(r.what, Applied::kApplied) << r.detail;
  EXPECT_EQ(store_->CountTotals()->transfers, 2);
  auto t1 = store_->GetTransfer("T1");
  ASSERT_TRUE(t1->has_value());
  EXPECT_EQ((*t1)->amount, 5000000);
  EXPECT_EQ((*t1)->to, "6222000000000001");
  auto queries = ListStatementQueries(db(), q.account);
  ASSERT_EQ(queries->size(), 2u);
  EXPECT_EQ(queries->at(0).status, "answered");
  EXPECT_EQ(queries->at(0).rows, 2);
  EXPECT_EQ(queries->at(0).next_from, T("2020-02-08T02:00:00+08:00"));  // covers [from, 02:00)
  EXPECT_TRUE(queries->at(0).asks_rest);
  EXPECT_EQ(queries->at(1).status, "queued");  // the rest of the window, asked for by itself
  EXPECT_EQ(queries->at(1).from, T("2020-02-08T02:00:00+08:00"));
  EXPECT_EQ(queries->at(1).continues, asked->id);
  EXPECT_EQ(Queue().size(), 1u);
}

TEST_F(PlatformTest, AnAskerThatAsksForTheRestItselfGetsWhereTheAnswerStoppedAndNoMore) {
  StatementQuery q;
  q.case_id = "HZ-1";
  q.account = "6222000000000001";
  q.institution = "ICBC";
  q.from = T("2020-02-08T00:00:00+08:00");
  q.to = T("2020-02-09T00:00:00+08:00");
  q.mandate.document = "杭公反诈查〔2020〕7号";
  q.asks_rest = false;  // a federated trace's query
  ASSERT_TRUE(AskStatement(db(), q, now_).ok());
  ASSERT_TRUE(AskStatement(db(), q, now_).ok());
  std::vector<Outgoing> out = Queue();
  ASSERT_EQ(out.size(), 2u);
  const std::string csv =
      "serial,time,account,direction,amount,balance,counterparty,counterparty_name,"
      "counterparty_bank,memo\n"
      "T1,2020-02-08T00:42:00+08:00,6222000000000001,in,50000.00,50000.00,6217000000000009,苏某,"
      "CCB,\n";
  Answer a = Executed(out[0].id, Kind::kStatement, "ICBC", 0);
  a.deadline = 0;
  // An incomplete answer must say where it stopped inside the window: one that stops at its own
  // start (or past its end) cannot be gone on from, and is a fault; the query waits.
  a.statement = Statement{q.account, q.from, q.to, 1, false, q.from, csv, {}};
  EXPECT_EQ(Apply(a).what, Applied::kFault);
  EXPECT_EQ(ListStatementQueries(db(), q.account)->at(0).status, "sent");
  Answer b = Executed(out[1].id, Kind::kStatement, "ICBC", 0);
  b.deadline = 0;
  b.statement = a.statement;
  b.statement->next_from = T("2020-02-08T01:00:00+08:00");
  AnswerOutcome r = Apply(b);
  ASSERT_EQ(r.what, Applied::kApplied) << r.detail;
  auto queries = ListStatementQueries(db(), q.account);
  ASSERT_EQ(queries->size(), 2u) << "the platform asks for no rest";
  EXPECT_EQ(queries->at(1).status, "answered");
  EXPECT_FALSE(queries->at(1).asks_rest);
  EXPECT_EQ(queries->at(1).next_from, T("2020-02-08T01:00:00+08:00"));
  EXPECT_TRUE(Queue().empty());
}

TEST_F(PlatformTest, AnInstitutionTheInterchangeCannotCarryIsNotSent) {
  freeze::Plan plan;
  plan.case_id = "HZ-2";
  plan.items.push_back(freeze::PlanItem{"6222000000000003", "", "330100", 100, 1, 0, 5, "critical",
                                        "赵某", "T9", 100, now_});
  freeze::OrderBook book(db());
  auto d = book.Draft(plan, {}, now_);
  ASSERT_TRUE(d.ok());
  ASSERT_TRUE(
      book.Move(d->at(0).order.id, freeze::OrderStatus::kSent, std::nullopt, "", now_).ok());
  EXPECT_TRUE(Queue().empty());
  auto rows = ListRequests(db(), d->at(0).order.id, 10);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->at(0).status, "unsendable");
  EXPECT_FALSE(rows->at(0).last_error.empty());
}

}  // namespace
}  // namespace fanzha::interchange
