// camt.052/053/054 read as transactions: public samples of several banks (import/testdata/camt,
// see the README there), hand-made corner cases, malformed and hostile input.
#include "iso20022/statement.h"

#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <chrono>
#include <fstream>
#include <map>
#include <sstream>

#include "iso20022/values.h"

namespace fanzha::iso20022 {
namespace {

const std::string kData = "import/testdata/camt/";

struct Collected : StatementVisitor {
  std::vector<Transaction> txs;
  std::vector<std::pair<int64_t, std::string>> bad;
  bool keep_going = false;
  Status OnTransaction(const Transaction& t) override {
    txs.push_back(t);
    return Status::Ok();
  }
  Status OnBadEntry(int64_t line, const Status& why, std::string_view raw) override {
    bad.emplace_back(line, why.message());
    EXPECT_FALSE(raw.empty());
    return keep_going ? Status::Ok() : StatementVisitor::OnBadEntry(line, why, raw);
  }
  std::vector<Transaction> Booked() const {
    std::vector<Transaction> out;
    for (const Transaction& t : txs)
      if (t.status == EntryStatus::kBooked) out.push_back(t);
    return out;
  }
};

Result<ReadSummary> ReadFile(const std::string& name, Collected* c, ReadOptions o = {}) {
  return ReadStatementFile(kData + name, o, *c);
}
Result<ReadSummary> ReadText(const std::string& xml, Collected* c, ReadOptions o = {}) {
  return ReadStatements(xml, "test.xml", o, *c);
}

const Transaction* FindId(const std::vector<Transaction>& txs, std::string_view id) {
  for (const Transaction& t : txs)
    if (t.id == id) return &t;
  return nullptr;
}

// A minimal statement around `entries` (camt.053.001.08 unless `ns` says otherwise).
std::string Statement(const std::string& entries, const std::string& ns = "camt.053.001.08",
                      const std::string& created = "2020-02-09T02:00:00+08:00") {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document "
         "xmlns=\"urn:iso:std:iso:20022:tech:xsd:" +
         ns + "\">\n<BkToCstmrStmt>\n<GrpHdr><MsgId>M</MsgId><CreDtTm>" + created +
         "</CreDtTm></GrpHdr>\n<Stmt><Id>S</Id><CreDtTm>" + created +
         "</CreDtTm>\n<Acct><Id><Othr><Id>6222021234567890123</Id></Othr></Id></Acct>\n" + entries +
         "</Stmt>\n</BkToCstmrStmt>\n</Document>\n";
}

std::string Entry(const std::string& amount, const std::string& ind, const std::string& extra = "",
                  const std::string& ccy = "CNY") {
  return "<Ntry><Amt Ccy=\"" + ccy + "\">" + amount + "</Amt><CdtDbtInd>" + ind +
         "</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2020-02-08</Dt></BookgDt>" + extra +
         "</Ntry>\n";
}

// ---- recognising the messages ----

TEST(Sniff, RecognisesTheThreeMessagesInEveryVersionAndNothingElse) {
  for (std::string v : {"01", "02", "04", "08", "10", "13"}) {
    auto t = Sniff(
        "<?xml version=\"1.0\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001." +
        v + "\">");
    ASSERT_TRUE(t) << v;
    EXPECT_EQ(t->message, Message::kStatement);
    EXPECT_EQ(t->name, "camt.053.001." + v);
  }
  EXPECT_EQ(Sniff("<Document xmlns='urn:iso:std:iso:20022:tech:xsd:camt.052.001.06'>")->message,
            Message::kAccountReport);
  EXPECT_EQ(Sniff("\xEF\xBB\xBF  <ns2:Document "
                  "xmlns:ns2=\"urn:iso:std:iso:20022:tech:xsd:camt.054.001.08\">")
                ->message,
            Message::kNotification);
  // After a business application header; without any namespace (the version is unknown).
  auto enveloped = Sniff(
      "<BizMsgEnvlp><AppHdr xmlns=\"urn:iso:std:iso:20022:tech:xsd:head.001.001.02\">"
      "<MsgDefIdr>camt.053.001.08</MsgDefIdr></AppHdr><Document xmlns="
      "\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\">");
  ASSERT_TRUE(enveloped);
  EXPECT_EQ(enveloped->name, "camt.053.001.08");
  EXPECT_EQ(Sniff("<Document><BkToCstmrStmt>")->name, "camt.053");
  EXPECT_FALSE(Sniff("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.056.001.08\">"));
  EXPECT_FALSE(Sniff("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.03\">"));
  EXPECT_FALSE(Sniff("交易流水号,交易时间,借贷标志,交易金额\n"));
  EXPECT_FALSE(Sniff("{\"id\":\"camt.053.001.02\"}"));
}

// ---- public samples of several banks ----

struct SampleCase {
  std::string file, message;
  int64_t statements, entries, transactions, booked;
};

TEST(Samples, EveryTransactionOfEveryBank) {
  const SampleCase cases[] = {
      {"postfinance_camt053_v04.xml", "camt.053.001.04", 1, 5, 5, 5},
      {"postfinance_camt052_v04.xml", "camt.052.001.04", 1, 2, 2, 2},
      {"postfinance_camt054_returns.xml", "camt.054.001.04", 1, 1, 1, 1},
      {"postfinance_camt054_esr.xml", "camt.054.001.04", 1, 2, 6, 6},
      {"fi_fffs_camt053_v02.xml", "camt.053.001.02", 1, 10, 13, 13},
      {"fi_fffs_camt052_v02.xml", "camt.052.001.02", 2, 2, 2, 1},
      {"fi_fffs_camt054_v02.xml", "camt.054.001.02", 1, 6, 13, 11},
      {"lt_camt053_v02.xml", "camt.053.001.02", 1, 4, 4, 4},
      {"lt_central_camt053_v08.xml", "camt.053.001.08", 2, 11, 11, 11},
      {"lt_camt054_v10_info.xml", "camt.054.001.10", 1, 1, 41, 0},
      {"be_camt053_v02.xml", "camt.053.001.02", 1, 3, 3, 3},
      {"genkgo_camt052_v01.xml", "camt.052.001.01", 1, 1, 1, 1},
      {"genkgo_camt053_v02_five_decimals.xml", "camt.053.001.02", 1, 1, 1, 1},
      {"genkgo_camt053_v08.xml", "camt.053.001.08", 1, 1, 1, 1},
      {"genkgo_camt054_v08_uetr.xml", "camt.054.001.08", 1, 1, 1, 1},
      {"made_cny_camt053_v08.xml", "camt.053.001.08", 1, 9, 12, 11},
  };
  for (const SampleCase& c : cases) {
    Collected got;
    auto r = ReadFile(c.file, &got);
    ASSERT_TRUE(r.ok()) << c.file << ": " << r.status().message();
    EXPECT_EQ(r->type.name, c.message) << c.file;
    EXPECT_EQ(r->statements, c.statements) << c.file;
    EXPECT_EQ(r->entries, c.entries) << c.file;
    EXPECT_EQ(r->transactions, c.transactions) << c.file;
    EXPECT_EQ(static_cast<int64_t>(got.Booked().size()), c.booked) << c.file;
    EXPECT_TRUE(got.bad.empty()) << c.file;
    for (const Transaction& t : got.txs) {
      EXPECT_GT(t.line, 1) << c.file << " " << t.path;  // also in files with CR line ends
      EXPECT_TRUE(t.path.starts_with("Document/")) << t.path;
      EXPECT_FALSE(t.account.empty());
      EXPECT_TRUE(IsCurrencyCode(t.currency)) << t.currency;
      EXPECT_GT(t.booked_at, 0);
    }
  }
}

// The statement's own balances, read here with plain libxml2: per Stmt, opening (OPBD, else PRCD)
// and closing (CLBD) in hundredths, signed, with their currency.
struct Balances {
  std::optional<Fen> opening, closing;
  std::string currency;
};
std::vector<Balances> ReadBalances(const std::string& path) {
  std::vector<Balances> out;
  xmlDocPtr doc = xmlReadFile(path.c_str(), nullptr, XML_PARSE_NONET);
  if (!doc) return out;
  auto name = [](const xmlNode* n) { return std::string(reinterpret_cast<const char*>(n->name)); };
  auto children = [&](const xmlNode* n, const std::string& want) {
    std::vector<const xmlNode*> v;
    for (const xmlNode* c = n ? n->children : nullptr; c; c = c->next)
      if (c->type == XML_ELEMENT_NODE && name(c) == want) v.push_back(c);
    return v;
  };
  auto text = [](const xmlNode* n) {
    xmlChar* t = xmlNodeGetContent(n);
    std::string s(reinterpret_cast<const char*>(t));
    xmlFree(t);
    return s;
  };
  const xmlNode* message = xmlDocGetRootElement(doc)->children;
  while (message && message->type != XML_ELEMENT_NODE) message = message->next;
  for (const xmlNode* st : children(message, "Stmt")) {
    Balances b;
    for (const xmlNode* bal : children(st, "Bal")) {
      std::string code = text(children(children(bal, "Tp")[0], "CdOrPrtry")[0]);
      const xmlNode* amt = children(bal, "Amt")[0];
      Fen v = *ParseAmount(text(amt));
      auto ind = children(bal, "CdtDbtInd");  // absent in some statements: a credit balance
      if (!ind.empty() && text(ind[0]) == "DBIT") v = -v;
      xmlChar* ccy = xmlGetProp(amt, BAD_CAST "Ccy");
      b.currency = reinterpret_cast<const char*>(ccy);
      xmlFree(ccy);
      if (code.find("OPBD") != std::string::npos ||
          (code.find("PRCD") != std::string::npos && !b.opening))
        b.opening = v;
      if (code.find("CLBD") != std::string::npos) b.closing = v;
    }
    out.push_back(b);
  }
  xmlFreeDoc(doc);
  return out;
}

// Where a bank's statement gives its opening and closing balances, the booked transactions read
// from it account for the difference to the fen: batches split right, directions right, nothing
// lost or counted twice, pending entries left out.
TEST(Samples, BookedTransactionsReconcileTheBanksOwnBalances) {
  int reconciled = 0;
  for (std::string file : {"fi_fffs_camt053_v02.xml", "lt_central_camt053_v08.xml",
                           "be_camt053_v02.xml", "made_cny_camt053_v08.xml"}) {
    Collected got;
    ASSERT_TRUE(ReadFile(file, &got).ok()) << file;
    std::vector<Balances> balances = ReadBalances(kData + file);
    ASSERT_FALSE(balances.empty()) << file;
    for (size_t s = 0; s < balances.size(); ++s) {
      const Balances& b = balances[s];
      ASSERT_TRUE(b.opening && b.closing) << file;
      Fen net = 0;
      std::string prefix = "Stmt[" + std::to_string(s + 1) + "]";
      for (const Transaction& t : got.Booked())
        if (t.path.find(prefix) != std::string::npos && t.currency == b.currency)
          net += t.credit ? t.amount : -t.amount;
      EXPECT_EQ(*b.opening + net, *b.closing) << file << " " << prefix;
      ++reconciled;
    }
  }
  EXPECT_EQ(reconciled, 5);
}

TEST(Samples, FinnishBatchIsSplitWithItsCreditorsAndRepeatedReferencesKept) {
  Collected got;
  ASSERT_TRUE(ReadFile("fi_fffs_camt053_v02.xml", &got).ok());
  // Entry 3: 4230.05 EUR paid out as three transfers.
  const Transaction* a = FindId(got.txs, "091029ARCH03001");
  const Transaction* b = FindId(got.txs, "091029ARCH03002");
  const Transaction* c = FindId(got.txs, "091029ARCH03003");
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(a->amount + b->amount + c->amount, 423005);
  EXPECT_EQ(b->amount, 100001);
  EXPECT_FALSE(b->credit);
  EXPECT_EQ(b->currency, "EUR");
  EXPECT_EQ(b->counterparty_account, "29501800020582");
  EXPECT_EQ(b->counterparty_name, "Creditor Company");
  EXPECT_EQ(b->remittance, "Invoices 123 and 321");
  EXPECT_EQ(c->remittance, "217827182718");  // structured: the referred document's number
  EXPECT_EQ(b->index, 2);
  EXPECT_EQ(b->count, 3);
  EXPECT_EQ(b->path, "Document/BkToCstmrStmt/Stmt[1]/Ntry[3]/NtryDtls/TxDtls[2]");
  EXPECT_EQ(b->id_source, "TxDtls/Refs/AcctSvcrRef");
  // A batch reported without its parts' amounts is one transaction.
  const Transaction* batch = FindId(got.txs, "091029ACCTSTMTARCH02");
  ASSERT_TRUE(batch);
  EXPECT_EQ(batch->amount, 400000);
  EXPECT_EQ(batch->count, 1);
  // Times: the dates in the statement's zone (+02:00 on its CreDtTm), not in Shanghai's.
  EXPECT_EQ(FormatTime(a->booked_at, Zone{120}), "2009-10-29T00:00:00+02:00");
  // Entry 10 names one reference for both its parts: the reader keeps them, the importer numbers.
  int repeated = 0;
  for (const Transaction& t : got.txs) repeated += t.id == "091029ARCH09001";
  EXPECT_EQ(repeated, 2);
}

TEST(Samples, PostFinanceReversalAndSwissStatement) {
  Collected ret;
  ASSERT_TRUE(ReadFile("postfinance_camt054_returns.xml", &ret).ok());
  ASSERT_EQ(ret.txs.size(), 1u);
  EXPECT_TRUE(ret.txs[0].reversal);
  EXPECT_TRUE(ret.txs[0].credit);
  EXPECT_EQ(ret.txs[0].amount, 50000);
  EXPECT_EQ(ret.txs[0].currency, "CHF");
  EXPECT_EQ(ret.txs[0].id, "190520CH02ZZTJR1");

  Collected st;
  ASSERT_TRUE(ReadFile("postfinance_camt053_v04.xml", &st).ok());
  ASSERT_EQ(st.txs.size(), 5u);
  // The entry says DBIT, its one detail CRDT: the booking (the entry) decides.
  EXPECT_FALSE(st.txs[1].credit);
  EXPECT_EQ(st.txs[1].amount, 7770);
  EXPECT_EQ(st.txs[1].bank_code, "PMNT/ICDT/AUTT");
  EXPECT_EQ(st.txs[1].time_source, "BookgDt/Dt");
}

TEST(Samples, CentralBankStatementWithoutStatusOrBookingDate) {
  Collected got;
  ASSERT_TRUE(ReadFile("lt_central_camt053_v08.xml", &got).ok());
  ASSERT_EQ(got.txs.size(), 11u);
  for (const Transaction& t : got.txs) {
    EXPECT_EQ(t.status, EntryStatus::kBooked);  // a statement without Sts reports booked entries
    EXPECT_EQ(t.time_source, "GrpHdr/CreDtTm");
    EXPECT_EQ(FormatTime(t.booked_at, Zone{120}), "2024-03-12T20:01:26.661+02:00");
  }
  EXPECT_EQ(got.txs[3].amount, 242646610);  // "2426466.1"
  EXPECT_TRUE(got.txs[3].credit);
}

TEST(Samples, NettedBatchOfInformationEntries) {
  Collected got;
  ASSERT_TRUE(ReadFile("lt_camt054_v10_info.xml", &got).ok());
  ASSERT_EQ(got.txs.size(), 41u);
  Fen net = 0;
  for (const Transaction& t : got.txs) {
    EXPECT_EQ(t.status, EntryStatus::kInformation);
    net += t.credit ? t.amount : -t.amount;
  }
  EXPECT_EQ(net, -19467225);                               // the entry: DBIT 194672.25
  EXPECT_EQ(got.txs[0].counterparty_bank, "GEBAFRG3DEH");  // a credit: the debtor's agent
}

TEST(Samples, VersionOneNamesUetrAndFiveDecimals) {
  Collected v1;
  ASSERT_TRUE(ReadFile("genkgo_camt052_v01.xml", &v1).ok());
  EXPECT_EQ(v1.txs.at(0).path, "Document/BkToCstmrAcctRptV01/Rpt[1]/Ntry[1]");
  Collected uetr;
  ASSERT_TRUE(ReadFile("genkgo_camt054_v08_uetr.xml", &uetr).ok());
  EXPECT_EQ(uetr.txs.at(0).id, "255ae394-9965-4438-ac86-f406feada396");
  EXPECT_EQ(uetr.txs.at(0).id_source, "TxDtls/Refs/UETR");
  Collected five;
  ASSERT_TRUE(ReadFile("genkgo_camt053_v02_five_decimals.xml", &five).ok());
  EXPECT_EQ(five.txs.at(0).amount, 885);  // "8.85000"
}

// ---- the hand-made mule card statement ----

TEST(HandMade, MuleCardStatement) {
  Collected got;
  ASSERT_TRUE(ReadFile("made_cny_camt053_v08.xml", &got).ok());
  const Transaction* in = FindId(got.txs, "ICBC20200208000001");
  ASSERT_TRUE(in);
  EXPECT_TRUE(in->credit);
  EXPECT_EQ(in->amount, 5000000);
  EXPECT_EQ(in->counterparty_account, "6228480012345678901");
  EXPECT_EQ(in->counterparty_name, "苏某");
  EXPECT_EQ(in->counterparty_bank, "ABOCCNBJ");
  EXPECT_EQ(in->remittance, "口罩货款 订单 3");
  EXPECT_EQ(in->end_to_end_id, "E2E-VICTIM-0001");
  EXPECT_EQ(in->tx_id, "CNAPS20200208A0001");
  EXPECT_EQ(FormatTime(in->booked_at), "2020-02-08T00:42:00+08:00");
  EXPECT_EQ(in->bank_code, "PMNT/RCDT/DMCT");

  // The batch: three transfers out, ids from the entry's reference.
  const Transaction* b2 = FindId(got.txs, "ICBC20200208000002/2");
  ASSERT_TRUE(b2);
  EXPECT_FALSE(b2->credit);
  EXPECT_EQ(b2->amount, 150050);
  EXPECT_EQ(b2->counterparty_name, "张某");
  EXPECT_EQ(b2->end_to_end_id, "B-2");

  // The reversal: money back from 张某 (the creditor of the payment it undoes).
  const Transaction* rv = FindId(got.txs, "ICBC20200208000003");
  ASSERT_TRUE(rv);
  EXPECT_TRUE(rv->reversal);
  EXPECT_TRUE(rv->credit);
  EXPECT_EQ(rv->counterparty_account, "6217000011113333444");
  EXPECT_EQ(rv->counterparty_name, "张某");
  EXPECT_EQ(rv->return_reason, "AC04");

  const Transaction* pending = FindId(got.txs, "ICBC20200208000004");
  ASSERT_TRUE(pending);
  EXPECT_EQ(pending->status, EntryStatus::kPending);
  EXPECT_EQ(pending->status_code, "PDNG");

  const Transaction* usd = FindId(got.txs, "ICBC20200208000005");
  ASSERT_TRUE(usd);
  EXPECT_EQ(usd->currency, "USD");
  EXPECT_EQ(usd->amount, 10000);
  EXPECT_EQ(usd->instructed_amount, 9150);
  EXPECT_EQ(usd->instructed_currency, "EUR");
  EXPECT_EQ(usd->counterparty_account, "DE89370400440532013000");

  const Transaction* bare = FindId(got.txs, "NR-6");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->time_source, "ValDt/Dt");
  EXPECT_EQ(bare->info, "ATM 取现");
  EXPECT_TRUE(bare->counterparty_account.empty());
  EXPECT_EQ(bare->amount, 2000000);

  EXPECT_EQ(FindId(got.txs, "ICBC20200208000007")->amount, 20000);  // "200.000"
  const Transaction* n1 = FindId(got.txs, "N-1");
  const Transaction* n2 = FindId(got.txs, "N-2");
  ASSERT_TRUE(n1 && n2);
  EXPECT_FALSE(n1->credit);
  EXPECT_TRUE(n2->credit);
  EXPECT_EQ(n2->counterparty_account, "6217000011117777888");
  // NOTPROVIDED is no reference: the last transaction has no id (the importer makes one).
  EXPECT_TRUE(got.txs.back().id.empty());
  EXPECT_TRUE(got.txs.back().end_to_end_id.empty());
}

// ---- variants the standard allows, and money rules ----

TEST(Variants, OlderStatusTextPartyWithoutPtyAndOwnAccountDecides) {
  std::string tx =
      "<NtryDtls><TxDtls><RltdPties><Dbtr><Nm>Own</Nm></"
      "Dbtr><DbtrAcct><Id><Othr><Id>6222-0212-3456-"
      "7890-123</Id></Othr></Id></DbtrAcct><Cdtr><Nm>Shop</Nm></"
      "Cdtr><CdtrAcct><Id><IBAN>GB33BUKB20201555555555"
      "</IBAN></Id></CdtrAcct></RltdPties></TxDtls></NtryDtls>";
  // A credit whose debtor account is the statement's own: the other one is the counterparty.
  std::string doc = Statement(
      "<Ntry><Amt Ccy=\"CNY\">5</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>"
      "<BookgDt><Dt>2020-02-08</Dt></BookgDt><AcctSvcrRef>R</AcctSvcrRef>" +
      tx + "</Ntry>");
  Collected got;
  ASSERT_TRUE(ReadText(doc, &got).ok());
  ASSERT_EQ(got.txs.size(), 1u);
  EXPECT_EQ(got.txs[0].status, EntryStatus::kBooked);
  EXPECT_EQ(got.txs[0].counterparty_account, "GB33BUKB20201555555555");
  EXPECT_EQ(got.txs[0].counterparty_name, "Shop");
}

TEST(Variants, NamespacePrefixesEnvelopeAndNoNamespace) {
  std::string prefixed =
      "<?xml version=\"1.0\"?><BizMsg><AppHdr "
      "xmlns=\"urn:iso:std:iso:20022:tech:xsd:head.001.001.02\">"
      "<BizMsgIdr>X</BizMsgIdr><MsgDefIdr>camt.054.001.08</MsgDefIdr></AppHdr>"
      "<n:Document "
      "xmlns:n=\"urn:iso:std:iso:20022:tech:xsd:camt.054.001.08\"><n:BkToCstmrDbtCdtNtfctn>"
      "<n:GrpHdr><n:MsgId>M</n:MsgId><n:CreDtTm>2020-02-08T10:00:00Z</n:CreDtTm></n:GrpHdr>"
      "<n:Ntfctn><n:Id>N</n:Id><n:Acct><n:Id><n:IBAN>DE89370400440532013000</n:IBAN></n:Id></"
      "n:Acct>"
      "<n:Ntry><n:Amt "
      "Ccy=\"EUR\">1.00</n:Amt><n:CdtDbtInd>CRDT</n:CdtDbtInd><n:Sts><n:Cd>BOOK</n:Cd></n:Sts>"
      "<n:BookgDt><n:DtTm>2020-02-08T09:30:00</n:DtTm></n:BookgDt><n:AcctSvcrRef>A</n:AcctSvcrRef>"
      "</n:Ntry></n:Ntfctn></n:BkToCstmrDbtCdtNtfctn></n:Document></BizMsg>";
  Collected got;
  auto r = ReadText(prefixed, &got);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->type.name, "camt.054.001.08");
  ASSERT_EQ(got.txs.size(), 1u);
  // No offset on the booking time: the message's zone (Z on its CreDtTm).
  EXPECT_EQ(FormatTime(got.txs[0].booked_at, Zone{0}), "2020-02-08T09:30:00Z");

  std::string bare = "<Document><BkToCstmrStmt><Stmt><Acct><Id><IBAN>X1</IBAN></Id></Acct>" +
                     Entry("2", "DBIT") + "</Stmt></BkToCstmrStmt></Document>";
  Collected got2;
  ReadOptions o;
  o.zone = Zone{480};
  auto r2 = ReadText(bare, &got2, o);
  ASSERT_TRUE(r2.ok()) << r2.status().message();
  EXPECT_EQ(r2->type.name, "camt.053");
  EXPECT_EQ(FormatTime(got2.txs.at(0).booked_at), "2020-02-08T00:00:00+08:00");  // Asia/Shanghai
  // The path names the Document the message is in, whatever its namespace (none, or a mistyped
  // one): it is where the element is.
  EXPECT_EQ(got2.txs.at(0).path, "Document/BkToCstmrStmt/Stmt[1]/Ntry[1]");
  std::string mistyped =
      "<Document xmlns=\"urn:iso:std:i0s:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt><Stmt>"
      "<Acct><Id><IBAN>X1</IBAN></Id></Acct>" +
      Entry("2", "DBIT") + "</Stmt></BkToCstmrStmt></Document>";
  Collected got3;
  auto r3 = ReadText(mistyped, &got3, o);
  ASSERT_TRUE(r3.ok()) << r3.status().message();
  EXPECT_EQ(r3->type.name, "camt.053");
  EXPECT_EQ(got3.txs.at(0).path, "Document/BkToCstmrStmt/Stmt[1]/Ntry[1]");
}

TEST(Money, AmountsAreExactOrAnError) {
  EXPECT_EQ(*ParseAmount("0.5"), 50);
  EXPECT_EQ(*ParseAmount(" 1700000.00 "), 170000000);
  EXPECT_EQ(*ParseAmount("+7"), 700);
  EXPECT_EQ(*ParseAmount("100.000"), 10000);
  EXPECT_EQ(*ParseAmount(".5"), 50);
  EXPECT_EQ(*ParseAmount("92233720368547758.07"), INT64_MAX);
  for (std::string bad : {"", "12.345", "1.001", "-1", "1e3", "1,00", "NaN", ".", "1.2.3",
                          "92233720368547758.08", "999999999999999999999"})
    EXPECT_FALSE(ParseAmount(bad).ok()) << bad;
  EXPECT_TRUE(ParseAmount("12.345").status().message().find("more than 2 fraction digits") !=
              std::string::npos);
}

TEST(Money, BatchesThatDoNotAddUpAreErrorsNamingTheEntry) {
  std::string entry =
      "<Ntry><Amt Ccy=\"CNY\">100.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>"
      "<BookgDt><Dt>2020-02-08</Dt></BookgDt><BkTxCd><Prtry><Cd>X</Cd></Prtry></BkTxCd>"
      "<NtryDtls><TxDtls><Amt Ccy=\"CNY\">60.00</Amt></TxDtls><TxDtls><Amt Ccy=\"CNY\">30.00</Amt>"
      "</TxDtls></NtryDtls></Ntry>";
  Collected got;
  auto r = ReadText(Statement(entry), &got);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidInput);
  EXPECT_TRUE(r.status().message().starts_with(
      "test.xml:7: Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/NtryDtls: "
      "the 2 transactions add up to 90.00 CNY, but the entry's Amt is 100.00 CNY"))
      << r.status().message();
  // Some parts with an amount, some without: an error at the one without.
  std::string partial =
      "<Ntry><Amt Ccy=\"CNY\">100.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>"
      "<BookgDt><Dt>2020-02-08</Dt></BookgDt><NtryDtls><TxDtls><Amt "
      "Ccy=\"CNY\">60.00</Amt></TxDtls>"
      "<TxDtls><Refs><EndToEndId>E</EndToEndId></Refs></TxDtls></NtryDtls></Ntry>";
  Collected got2;
  got2.keep_going = true;
  auto r2 = ReadText(Statement(Entry("1", "CRDT") + partial + Entry("2", "CRDT")), &got2);
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(got2.txs.size(), 2u);  // the good entries before and after
  ASSERT_EQ(got2.bad.size(), 1u);
  EXPECT_EQ(got2.bad[0].second,
            "Document/BkToCstmrStmt/Stmt[1]/Ntry[2]/NtryDtls/TxDtls[2]: no amount "
            "in CNY (a batch is split only when each of its transactions has its amount)");
}

TEST(Money, MissingCurrencyNegativeAmountAndUnknownDirection) {
  for (auto [entry, what] :
       {std::pair{std::string("<Ntry><Amt>1.00</Amt><CdtDbtInd>DBIT</CdtDbtInd></Ntry>"),
                  std::string("Ntry[1]/Amt: no currency (Ccy attribute)")},
        std::pair{Entry("-1.00", "DBIT"), std::string("Ntry[1]/Amt: '-1.00' is negative")},
        std::pair{Entry("1.00", "DEBIT"),
                  std::string("Ntry[1]/CdtDbtInd: 'DEBIT' is neither CRDT nor DBIT")},
        std::pair{Entry("1.00", "CRDT", "", "cny"),
                  std::string("Ntry[1]/Amt: currency 'cny' is not an ISO 4217 code")}}) {
    Collected got;
    auto r = ReadText(Statement(entry), &got);
    ASSERT_FALSE(r.ok()) << entry;
    EXPECT_NE(r.status().message().find(what), std::string::npos) << r.status().message();
    EXPECT_TRUE(r.status().message().starts_with("test.xml:7: ")) << r.status().message();
  }
}

// The Chinese text names the same document, line and path as the English.
TEST(Money, ChineseErrorsNameTheSameLineAndPath) {
  for (auto [entry, zh] :
       {std::pair{std::string("<Ntry><Amt>1.00</Amt><CdtDbtInd>DBIT</CdtDbtInd></Ntry>"),
                  std::string("Ntry[1]/Amt：缺少币种（Ccy 属性）")},
        std::pair{Entry("-1.00", "DBIT"), std::string("Ntry[1]/Amt：'-1.00' 为负数")},
        std::pair{Entry("1.00", "DEBIT"),
                  std::string("Ntry[1]/CdtDbtInd：'DEBIT' 既不是 CRDT（贷）也不是 DBIT（借）")},
        std::pair{Entry("1.00", "CRDT", "", "cny"),
                  std::string("Ntry[1]/Amt：币种 'cny' 不是 ISO 4217 代码")}}) {
    Collected got;
    auto r = ReadText(Statement(entry), &got);
    ASSERT_FALSE(r.ok()) << entry;
    EXPECT_NE(r.status().zh().find(zh), std::string::npos) << r.status().zh();
    EXPECT_TRUE(r.status().zh().starts_with("test.xml:7: ")) << r.status().zh();
  }
}

// ---- malformed and hostile input ----

// A line ends at "\r\n", "\n" or a lone "\r" (XML 1.0, 2.11): the entry's line is the one its
// editor shows whichever the bank's system wrote.
TEST(Lines, EveryLineEndCountsOnce) {
  const std::string doc = Statement(Entry("1.00", "CRDT") + Entry("2.00", "DBIT"));
  for (const char* end : {"\n", "\r\n", "\r"}) {
    std::string text;
    for (char c : doc) text += c == '\n' ? std::string(end) : std::string(1, c);
    Collected got;
    auto r = ReadText(text, &got);
    ASSERT_TRUE(r.ok()) << r.status().message();
    ASSERT_EQ(got.txs.size(), 2u);
    EXPECT_EQ(got.txs[0].line, 7) << "line end " << static_cast<int>(end[0]);
    EXPECT_EQ(got.txs[1].line, 8) << "line end " << static_cast<int>(end[0]);
  }
}

TEST(Hostile, MalformedXmlNamesTheLine) {
  Collected got;
  auto r = ReadFile("made_truncated_camt053_v02.xml", &got);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidInput);
  EXPECT_TRUE(r.status().message().starts_with(
      kData + "made_truncated_camt053_v02.xml:19: not well-formed XML"))
      << r.status().message();
  for (std::string doc :
       {std::string(
            "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt>"),
        std::string("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"></Doc>"),
        std::string("\x00\x01\x02", 3), std::string(""), std::string("<a>&bogus;</a>")}) {
    Collected c;
    auto bad = ReadText(doc, &c);
    EXPECT_FALSE(bad.ok()) << doc;
    EXPECT_EQ(bad.status().code(), ErrorCode::kInvalidInput);
  }
  Collected other;
  auto pain = ReadText(
      "<Document "
      "xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.03\"><CstmrCdtTrfInitn/></Document>",
      &other);
  ASSERT_FALSE(pain.ok());
  EXPECT_NE(pain.status().message().find("not an ISO 20022 camt.052, camt.053 or camt.054"),
            std::string::npos);
}

TEST(Hostile, NoExternalEntityIsEverRead) {
  Collected got;
  auto r = ReadFile("made_xxe_camt053_v02.xml", &got);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), kData +
                                      "made_xxe_camt053_v02.xml:2: a DOCTYPE (DTD) is not allowed "
                                      "in an ISO 20022 message; no DTD or entity is read");
  EXPECT_TRUE(got.txs.empty());
  // A DOCTYPE behind a comment, and an external subset: refused the same way.
  for (std::string doc : {"<?xml version=\"1.0\"?>\n<!-- c -->\n<!DOCTYPE D SYSTEM "
                          "\"http://127.0.0.1:1/x.dtd\">\n<D/>",
                          "<!DOCTYPE D PUBLIC \"-//x\" \"file:///etc/passwd\"><D/>"}) {
    Collected c;
    auto bad = ReadText(doc, &c);
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.status().message().find("DOCTYPE"), std::string::npos) << bad.status().message();
  }
}

TEST(Hostile, BillionLaughsIsRefusedAtOnce) {
  auto start = std::chrono::steady_clock::now();
  Collected got;
  auto r = ReadFile("made_billion_laughs_camt053_v02.xml", &got);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("DOCTYPE"), std::string::npos);
  EXPECT_LT(seconds, 1.0);  // 10^9 "lol"s would take minutes and gigabytes
}

TEST(Hostile, SizeLimitAndDepthLimit) {
  ReadOptions small;
  small.max_bytes = 1000;
  Collected got;
  auto r = ReadFile("fi_fffs_camt053_v02.xml", &got, small);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kTooLarge);
  EXPECT_NE(r.status().zh().find("文件超过大小上限"), std::string::npos);
  // From memory too, and when the size is only found while streaming (a file that grows).
  Collected got2;
  EXPECT_EQ(ReadText(std::string(2000, ' ') + "<a/>", &got2, small).status().code(),
            ErrorCode::kTooLarge);
  // 10,000 nested elements: libxml2's depth limit, an error and no crash.
  std::string nest;
  for (int i = 0; i < 10000; ++i) nest += "<a>";
  for (int i = 0; i < 10000; ++i) nest += "</a>";
  Collected got3;
  auto r3 = ReadText(Statement("<Ntry>" + nest + "</Ntry>"), &got3);
  ASSERT_FALSE(r3.ok());
  EXPECT_EQ(r3.status().code(), ErrorCode::kInvalidInput);
}

// One entry of many transaction details is read in linear time (paths are counted, not searched
// among the siblings): eight times the details take about eight times as long, not sixty-four.
TEST(Hostile, HugeBatchIsLinear) {
  auto seconds_for = [](int n) {
    std::string details;
    for (int i = 0; i < n; ++i) details += "<TxDtls><Amt Ccy=\"CNY\">0.01</Amt></TxDtls>";
    std::string entry = "<Ntry><Amt Ccy=\"CNY\">" + FormatMoney(n) +
                        "</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>"
                        "BOOK</Cd></Sts><BookgDt><Dt>2020-02-08</Dt></BookgDt><NtryDtls>" +
                        details + "</NtryDtls></Ntry>";
    std::string doc = Statement(entry);
    double best = 1e9;
    for (int round = 0; round < 2; ++round) {  // the better of two: the machine is shared
      auto start = std::chrono::steady_clock::now();
      Collected got;
      auto r = ReadText(doc, &got);
      best = std::min(
          best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      EXPECT_TRUE(r.ok()) << r.status().message();
      EXPECT_EQ(got.txs.size(), static_cast<size_t>(n));
      EXPECT_EQ(got.txs.back().path, "Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/NtryDtls/TxDtls[" +
                                         std::to_string(n) + "]");
    }
    return best;
  };
  double small = seconds_for(2000), large = seconds_for(16000);
  EXPECT_LT(large, 24 * small + 0.05) << small << " s for 2,000, " << large << " s for 16,000";
}

TEST(Hostile, VisitorErrorStopsTheRead) {
  struct Stop : StatementVisitor {
    int seen = 0;
    Status OnTransaction(const Transaction&) override {
      return ++seen == 2 ? Status::Io("disk full") : Status::Ok();
    }
  } stop;
  auto r = ReadStatementFile(kData + "fi_fffs_camt053_v02.xml", {}, stop);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "disk full");
  EXPECT_EQ(stop.seen, 2);
}

TEST(Times, DatesWithOffsetsEndOfDayAndZones) {
  EXPECT_EQ(FormatTime(*ParseIsoTime("2024-01-15+01:00", Zone{480}), Zone{0}),
            "2024-01-14T23:00:00Z");
  EXPECT_EQ(FormatTime(*ParseIsoTime("2024-01-15T24:00:00", Zone{0}), Zone{0}),
            "2024-01-16T00:00:00Z");
  EXPECT_EQ(FormatTime(*ParseIsoTime("2025-07-24T06:10:29.000000000", Zone{480})),
            "2025-07-24T06:10:29+08:00");
  EXPECT_EQ(ZoneOfTime("2009-10-30T03:30:47+02:00")->offset_minutes, 120);
  EXPECT_EQ(ZoneOfTime("2024-10-24T16:42:13.352Z")->offset_minutes, 0);
  EXPECT_FALSE(ZoneOfTime("2020-11-25T02:02:16"));
  EXPECT_FALSE(ZoneOfTime("2020-11-25"));
  EXPECT_FALSE(ParseIsoTime("2020-13-01", Zone{}).ok());
}

}  // namespace
}  // namespace fanzha::iso20022
