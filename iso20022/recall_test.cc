// camt.056 recall requests and camt.029 answers: written documents validate against ISO's schemas
// (iso20022/schemas/, with libxml2's XSD validator) and read back to what was written; answers of
// other shapes and versions map to the three outcomes.
#include "iso20022/recall.h"

#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

namespace fanzha::iso20022 {
namespace {

const std::string kSchemas = "iso20022/schemas/";

// Validates `xml` against an XSD file; "" when valid, else the validator's first complaints.
std::string Validate(const std::string& xml, const std::string& xsd) {
  std::string errors;
  xmlSchemaParserCtxtPtr pctx = xmlSchemaNewParserCtxt((kSchemas + xsd).c_str());
  xmlSchemaPtr schema = xmlSchemaParse(pctx);
  xmlSchemaFreeParserCtxt(pctx);
  if (!schema) return "cannot read the schema " + xsd;
  xmlDocPtr doc =
      xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "doc.xml", nullptr, XML_PARSE_NONET);
  if (!doc) {
    xmlSchemaFree(schema);
    return "not well-formed";
  }
  xmlSchemaValidCtxtPtr vctx = xmlSchemaNewValidCtxt(schema);
  xmlSchemaSetValidStructuredErrors(
      vctx,
      [](void* out, xmlErrorPtr e) {
        auto* s = static_cast<std::string*>(out);
        if (s->size() < 2000)
          *s += std::to_string(e->line) + ": " + (e->message ? e->message : "?");
      },
      &errors);
  int rc = xmlSchemaValidateDoc(vctx, doc);
  xmlSchemaFreeValidCtxt(vctx);
  xmlFreeDoc(doc);
  xmlSchemaFree(schema);
  if (rc != 0 && errors.empty()) errors = "invalid (" + std::to_string(rc) + ")";
  return errors;
}

RecallRequest Sample() {
  RecallRequest r;
  r.id = "FZ-RECALL-000042";
  r.case_id = "HZ-20200208-0001";
  r.created_at = *ParseTime("2020-02-08T01:10:00+08:00");
  r.requester = Party{"杭州市公安局反诈中心", "", "330100-FZ"};
  r.bank = Party{"中国工商银行", "ICBKCNBJ", ""};
  r.original_message_id = "CNAPS-MSG-20200208-77";
  r.original_instruction_id = "INSTR-1";
  r.original_end_to_end_id = "E2E-VICTIM-0001";
  r.original_tx_id = "CNAPS20200208A0001";
  r.original_uetr = "eb6305c9-1f7f-49de-aed0-16487c27b42d";
  r.amount = 5000000;
  r.currency = "CNY";
  r.settled_at = *ParseTime("2020-02-08T00:42:00+08:00");
  r.debtor_name = "苏某";
  r.debtor_account = "6228480012345678901";
  r.creditor_name = "王某";
  r.creditor_account = "6222021234567890123";
  r.additional_info = {"电信网络诈骗案件 HZ-20200208-0001，请立即止付并退回",
                       "Fraud: telecom scam, case HZ-20200208-0001"};
  return r;
}

TEST(Recall, WrittenRequestValidatesAgainstTheIsoSchemaAndReadsBack) {
  RecallRequest r = Sample();
  auto xml = WriteRecall(r);
  ASSERT_TRUE(xml.ok()) << xml.status().message();
  EXPECT_EQ(Validate(*xml, "camt.056.001.09.xsd"), "");
  EXPECT_NE(xml->find("<Cd>FRAD</Cd>"), std::string::npos);
  EXPECT_NE(xml->find("<OrgnlIntrBkSttlmAmt Ccy=\"CNY\">50000.00</OrgnlIntrBkSttlmAmt>"),
            std::string::npos);
  EXPECT_NE(xml->find("<OrgnlIntrBkSttlmDt>2020-02-08</OrgnlIntrBkSttlmDt>"), std::string::npos);
  EXPECT_NE(xml->find("<BICFI>ICBKCNBJ</BICFI>"), std::string::npos);

  auto back = ReadRecall(*xml, "recall.xml");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->id, r.id);
  EXPECT_EQ(back->case_id, r.case_id);
  EXPECT_EQ(back->created_at, r.created_at);
  EXPECT_EQ(back->requester.name, r.requester.name);
  EXPECT_EQ(back->requester.id, r.requester.id);
  EXPECT_EQ(back->bank.bic, "ICBKCNBJ");
  EXPECT_EQ(back->bank.name, "中国工商银行");
  EXPECT_EQ(back->original_message_id, r.original_message_id);
  EXPECT_EQ(back->original_message_name, "pacs.008.001.08");
  EXPECT_EQ(back->original_instruction_id, r.original_instruction_id);
  EXPECT_EQ(back->original_end_to_end_id, r.original_end_to_end_id);
  EXPECT_EQ(back->original_tx_id, r.original_tx_id);
  EXPECT_EQ(back->original_uetr, r.original_uetr);
  EXPECT_EQ(back->amount, 5000000);
  EXPECT_EQ(back->currency, "CNY");
  EXPECT_EQ(FormatDate(back->settled_at), "2020-02-08");
  EXPECT_EQ(back->reason, "FRAD");
  EXPECT_EQ(back->additional_info, r.additional_info);
  EXPECT_EQ(back->debtor_name, "苏某");
  EXPECT_EQ(back->debtor_account, r.debtor_account);
  EXPECT_EQ(back->creditor_name, "王某");
  EXPECT_EQ(back->creditor_account, r.creditor_account);
}

TEST(Recall, MinimalRequestAndTextThatNeedsEscaping) {
  RecallRequest r;
  r.id = "R1";
  r.case_id = "C<1>&\"2\"";
  r.requester = Party{"Centre & <Co>", "", ""};
  r.bank = Party{"", "PCBCCNBJ", ""};
  r.original_end_to_end_id = "E2E";
  r.amount = 1;
  r.settled_at = 1;
  r.created_at = 1;
  auto xml = WriteRecall(r, Zone{0});
  ASSERT_TRUE(xml.ok()) << xml.status().message();
  EXPECT_EQ(Validate(*xml, "camt.056.001.09.xsd"), "");
  auto back = ReadRecall(*xml, "r.xml", Zone{0});
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->case_id, "C<1>&\"2\"");
  EXPECT_EQ(back->requester.name, "Centre & <Co>");
  EXPECT_EQ(back->amount, 1);
  EXPECT_TRUE(back->original_message_id.empty());
}

TEST(Recall, RequestsThatCannotBeWrittenNameTheField) {
  struct Case {
    std::function<void(RecallRequest&)> change;
    std::string message;
  };
  const Case cases[] = {
      {[](RecallRequest& r) { r.id.clear(); }, "id: missing"},
      {[](RecallRequest& r) { r.original_end_to_end_id = std::string(36, 'x'); },
       "original_end_to_end_id: 36 characters, at most 35"},
      {[](RecallRequest& r) { r.case_id = std::string(36, 'x'); },
       "case_id: 36 characters, at most 35"},
      {[](RecallRequest& r) { r.amount = 0; }, "amount: must be more than 0"},
      {[](RecallRequest& r) { r.currency = "RMB1"; }, "currency: 'RMB1' is not an ISO 4217 code"},
      {[](RecallRequest& r) { r.bank.bic = "ICBK"; }, "bank.bic: 'ICBK' is not a BIC"},
      {[](RecallRequest& r) { r.original_uetr = "EB6305C9-1F7F-49DE-AED0-16487C27B42D"; },
       "original_uetr: 'EB6305C9-1F7F-49DE-AED0-16487C27B42D' is not a UUIDv4 in lower case"},
      {[](RecallRequest& r) {
         r.original_instruction_id.clear();
         r.original_end_to_end_id.clear();
         r.original_tx_id.clear();
         r.original_uetr.clear();
       },
       "original ids: none given"},
      {[](RecallRequest& r) { r.requester = Party{}; }, "requester: a name or a BIC is needed"},
      {[](RecallRequest& r) { r.additional_info.push_back(std::string(106, 'a')); },
       "additional_info[2]: 106 characters, at most 105"},
      {[](RecallRequest& r) { r.debtor_name = "\xC3\x28"; }, "debtor_name: not UTF-8"},
      {[](RecallRequest& r) { r.settled_at = 0; }, "settled_at: missing"},
  };
  for (const Case& c : cases) {
    RecallRequest r = Sample();
    c.change(r);
    auto xml = WriteRecall(r);
    ASSERT_FALSE(xml.ok()) << c.message;
    EXPECT_EQ(xml.status().code(), ErrorCode::kInvalidInput);
    EXPECT_TRUE(xml.status().message().starts_with(c.message)) << xml.status().message();
  }
  // 35 Chinese characters are 35 characters (105 bytes): allowed.
  RecallRequest r = Sample();
  r.case_id.clear();
  for (int i = 0; i < 35; ++i) r.case_id += "案";
  auto ok = WriteRecall(r);
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(Validate(*ok, "camt.056.001.09.xsd"), "");
}

TEST(Answer, TheBanksThreeAnswersValidateAndReadBack) {
  RecallRequest r = Sample();
  struct Case {
    RecallOutcome outcome;
    std::string reason;
    std::string conf;
  };
  for (const Case& c :
       {Case{RecallOutcome::kCancelled, "", "CNCL"}, Case{RecallOutcome::kRejected, "LEGL", "RJCR"},
        Case{RecallOutcome::kPending, "", "PDCR"}}) {
    RecallAnswer a;
    a.outcome = c.outcome;
    a.reason_code = c.reason;
    a.reason_text = c.reason.empty() ? "" : "需要法律文书 / a legal order is needed";
    a.answer_id = "ICBC-ANS-" + std::string(Name(c.outcome));
    a.answered_by = Party{"中国工商银行", "ICBKCNBJ", ""};
    a.answered_at = *ParseTime("2020-02-08T01:12:30+08:00");
    auto xml = WriteRecallAnswer(r, a);
    ASSERT_TRUE(xml.ok()) << xml.status().message();
    EXPECT_EQ(Validate(*xml, "camt.029.001.10.xsd"), "") << Name(c.outcome);
    EXPECT_NE(xml->find("<Conf>" + c.conf + "</Conf>"), std::string::npos);

    auto answers = ReadRecallAnswers(*xml, "answer.xml");
    ASSERT_TRUE(answers.ok()) << answers.status().message();
    ASSERT_EQ(answers->size(), 1u);
    const RecallAnswer& got = (*answers)[0];
    EXPECT_EQ(got.outcome, c.outcome);
    EXPECT_EQ(got.reason_code, c.reason);
    EXPECT_EQ(got.reason_text, a.reason_text);
    EXPECT_EQ(got.answer_id, a.answer_id);
    EXPECT_EQ(got.case_id, r.case_id);
    EXPECT_EQ(got.answered_by.bic, "ICBKCNBJ");
    EXPECT_EQ(got.answered_at, a.answered_at);
    EXPECT_EQ(got.original_message_id, r.original_message_id);
    EXPECT_EQ(got.original_instruction_id, r.original_instruction_id);
    EXPECT_EQ(got.original_end_to_end_id, r.original_end_to_end_id);
    EXPECT_EQ(got.original_tx_id, r.original_tx_id);
    EXPECT_EQ(got.original_uetr, r.original_uetr);
    EXPECT_EQ(got.original_amount, r.amount);
    EXPECT_EQ(got.original_currency, "CNY");
  }
  RecallAnswer no_reason;
  no_reason.outcome = RecallOutcome::kRejected;
  no_reason.answer_id = "A";
  no_reason.answered_by = Party{"", "ICBKCNBJ", ""};
  EXPECT_TRUE(WriteRecallAnswer(r, no_reason)
                  .status()
                  .message()
                  .starts_with("reason_code: a rejection needs its reason"));
}

// The shapes answers come in from other systems: the SEPA rulebook's camt.029.001.03 (a rejection
// with the older CxlStsRsnInf/Rsn), a group-level status only, several transactions, an envelope.
TEST(Answer, OtherVersionsAndShapes) {
  std::string sepa = R"(<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.029.001.03">
  <RsltnOfInvstgtn>
    <Assgnmt><Id>ANS-7</Id><Assgnr><Agt><FinInstnId><BIC>BANKDEFFXXX</BIC></FinInstnId></Agt></Assgnr>
      <Assgne><Agt><FinInstnId><BIC>ICBKCNBJ</BIC></FinInstnId></Agt></Assgne><CreDtTm>2020-02-08T10:00:00+01:00</CreDtTm></Assgnmt>
    <Sts><Conf>RJCR</Conf></Sts>
    <CxlDtls>
      <TxInfAndSts>
        <CxlStsId>X1</CxlStsId>
        <OrgnlGrpInf><OrgnlMsgId>MSG-1</OrgnlMsgId><OrgnlMsgNmId>pacs.008.001.02</OrgnlMsgNmId></OrgnlGrpInf>
        <OrgnlEndToEndId>E2E-1</OrgnlEndToEndId>
        <OrgnlTxId>TX-1</OrgnlTxId>
        <TxCxlSts>RJCR</TxCxlSts>
        <CxlStsRsnInf><Orgtr><Nm>Bank</Nm></Orgtr><Rsn><Cd>CUST</Cd></Rsn><AddtlInf>Customer declined</AddtlInf></CxlStsRsnInf>
        <OrgnlTxRef><IntrBkSttlmAmt Ccy="EUR">100.00</IntrBkSttlmAmt></OrgnlTxRef>
      </TxInfAndSts>
    </CxlDtls>
  </RsltnOfInvstgtn>
</Document>)";
  auto a = ReadRecallAnswers(sepa, "sepa.xml");
  ASSERT_TRUE(a.ok()) << a.status().message();
  ASSERT_EQ(a->size(), 1u);
  EXPECT_EQ((*a)[0].outcome, RecallOutcome::kRejected);
  EXPECT_EQ((*a)[0].reason_code, "CUST");
  EXPECT_EQ((*a)[0].reason_text, "Customer declined");
  EXPECT_EQ((*a)[0].original_end_to_end_id, "E2E-1");
  EXPECT_EQ((*a)[0].original_message_id, "MSG-1");
  EXPECT_EQ((*a)[0].answered_by.bic, "BANKDEFFXXX");
  EXPECT_EQ(FormatTime((*a)[0].answered_at, Zone{0}), "2020-02-08T09:00:00Z");

  // Version 1 named the reason CxlStsRsn; a group status and no transaction list.
  std::string old_group =
      R"(<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.029.001.01"><RsltnOfInvstgtn>
    <Assgnmt><Id>A</Id><CreDtTm>2020-02-08T10:00:00Z</CreDtTm></Assgnmt><RslvdCase><Id>CASE-9</Id></RslvdCase>
    <Sts><Conf>PDCR</Conf></Sts>
    <CxlDtls><OrgnlGrpInfAndSts><OrgnlMsgId>M</OrgnlMsgId><OrgnlMsgNmId>pacs.008</OrgnlMsgNmId>
    <CxlStsRsnInf><CxlStsRsn><Cd>NOAS</Cd></CxlStsRsn></CxlStsRsnInf></OrgnlGrpInfAndSts></CxlDtls>
    </RsltnOfInvstgtn></Document>)";
  auto g = ReadRecallAnswers(old_group, "old.xml");
  ASSERT_TRUE(g.ok()) << g.status().message();
  ASSERT_EQ(g->size(), 1u);
  EXPECT_EQ((*g)[0].outcome, RecallOutcome::kPending);
  EXPECT_EQ((*g)[0].status_code, "PDCR");
  EXPECT_EQ((*g)[0].reason_code, "NOAS");
  EXPECT_EQ((*g)[0].case_id, "CASE-9");

  // Several transactions in one answer, in an envelope; a code of its own is pending.
  std::string several =
      R"(<Envelope><AppHdr xmlns="urn:iso:std:iso:20022:tech:xsd:head.001.001.02"><Fr/></AppHdr>
    <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.029.001.09"><RsltnOfInvstgtn>
    <Assgnmt><Id>A</Id><CreDtTm>2020-02-08T10:00:00Z</CreDtTm></Assgnmt><Sts><Conf>CNCL</Conf></Sts>
    <CxlDtls>
      <TxInfAndSts><OrgnlEndToEndId>E1</OrgnlEndToEndId><TxCxlSts>ACCR</TxCxlSts></TxInfAndSts>
      <TxInfAndSts><OrgnlEndToEndId>E2</OrgnlEndToEndId><TxCxlSts>RJCR</TxCxlSts>
        <CxlStsRsnInf><Rsn><Cd>ARDT</Cd></Rsn></CxlStsRsnInf></TxInfAndSts>
      <TxInfAndSts><OrgnlEndToEndId>E3</OrgnlEndToEndId><TxCxlSts>UWFW</TxCxlSts></TxInfAndSts>
      <TxInfAndSts><OrgnlEndToEndId>E4</OrgnlEndToEndId></TxInfAndSts>
    </CxlDtls></RsltnOfInvstgtn></Document></Envelope>)";
  auto s = ReadRecallAnswers(several, "several.xml");
  ASSERT_TRUE(s.ok()) << s.status().message();
  ASSERT_EQ(s->size(), 4u);
  EXPECT_EQ((*s)[0].outcome, RecallOutcome::kCancelled);
  EXPECT_EQ((*s)[1].outcome, RecallOutcome::kRejected);
  EXPECT_EQ((*s)[1].reason_code, "ARDT");
  EXPECT_EQ((*s)[2].outcome, RecallOutcome::kPending);
  EXPECT_EQ((*s)[2].status_code, "UWFW");
  EXPECT_EQ((*s)[3].outcome, RecallOutcome::kCancelled);  // no status of its own: the confirmation
  EXPECT_EQ((*s)[3].status_code, "CNCL");
}

TEST(Answer, BadAnswersAreErrorsWithTheLine) {
  auto wrong = ReadRecallAnswers(*WriteRecall(Sample()), "recall-not-answer.xml");
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.status().message().find("not a camt.029 (RsltnOfInvstgtn) message"),
            std::string::npos);
  auto no_status = ReadRecallAnswers(
      "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.029.001.10\">\n<RsltnOfInvstgtn>\n"
      "<Assgnmt><Id>A</Id></Assgnmt>\n</RsltnOfInvstgtn></Document>",
      "a.xml");
  ASSERT_FALSE(no_status.ok());
  EXPECT_EQ(no_status.status().message(), "a.xml:2: Document/RsltnOfInvstgtn/Sts/Conf: missing");
  EXPECT_EQ(no_status.status().zh(), "a.xml:2：Document/RsltnOfInvstgtn/Sts/Conf：缺失");
  auto bad_amount = ReadRecallAnswers(
      "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.029.001.10\"><RsltnOfInvstgtn>"
      "<Assgnmt><Id>A</Id></Assgnmt><Sts><Conf>CNCL</Conf></Sts><CxlDtls><TxInfAndSts>"
      "<TxCxlSts>ACCR</TxCxlSts><OrgnlIntrBkSttlmAmt Ccy=\"CNY\">1.005</OrgnlIntrBkSttlmAmt>"
      "</TxInfAndSts></CxlDtls></RsltnOfInvstgtn></Document>",
      "b.xml");
  ASSERT_FALSE(bad_amount.ok());
  EXPECT_NE(bad_amount.status().message().find(
                "CxlDtls/TxInfAndSts/OrgnlIntrBkSttlmAmt: '1.005' has more than 2 fraction digits"),
            std::string::npos)
      << bad_amount.status().message();
  EXPECT_TRUE(bad_amount.status().zh().starts_with("b.xml:1：")) << bad_amount.status().zh();
  EXPECT_NE(bad_amount.status().zh().find(
                "CxlDtls/TxInfAndSts/OrgnlIntrBkSttlmAmt：'1.005' 超过两位小数"),
            std::string::npos)
      << bad_amount.status().zh();
  auto xxe = ReadRecallAnswers("<!DOCTYPE D [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><D>&x;</D>",
                               "x.xml");
  ASSERT_FALSE(xxe.ok());
  EXPECT_NE(xxe.status().message().find("DOCTYPE"), std::string::npos);
  EXPECT_EQ(ReadRecallAnswers(std::string(2 << 20, ' '), "big.xml").status().code(),
            ErrorCode::kTooLarge);
}

}  // namespace
}  // namespace fanzha::iso20022
