// ISO 20022 statements through the importer into a real SQLite store: public samples of several
// banks and hand-made corner cases (import/testdata/camt, README there).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "import/import.h"
#include "import/store_fixture.h"
#include "tests/support/postgres_server.h"

namespace fanzha::import {
namespace {

namespace fs = std::filesystem;

const std::string kCamt = std::string(FANZHA_SOURCE_DIR) + "/import/testdata/camt/";

class CamtImportTest : public StoreFixture {
 protected:
  // Names in import/testdata/camt/, or absolute paths.
  Outcome Run(const std::vector<std::string>& names) {
    std::vector<std::string> paths;
    for (const std::string& n : names) paths.push_back(n.starts_with("/") ? n : kCamt + n);
    return ImportFiles(*store_, paths, options_);
  }
  // The transfers stored (the store's totals), all of them or those in `currency`.
  int64_t Transfers(const std::string& currency = "") {
    auto t = store_->CountTotals();
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    if (!t.ok()) return -1;
    if (currency.empty()) return t->transfers;
    if (currency != "CNY") return t->transfers_by_other_currency[currency];
    int64_t yuan = t->transfers;
    for (const auto& [other, n] : t->transfers_by_other_currency) yuan -= n;
    return yuan;
  }
  // The [name, value] attributes of a stored posting.
  std::map<std::string, std::string> Attributes(const std::string& account,
                                                const std::string& serial) {
    auto s = store_->sql().Prepare(
        "SELECT attributes FROM statement_postings WHERE account = ? AND serial = ?");
    (*s)->Bind(1, account).Bind(2, serial);
    auto row = (*s)->Step();
    EXPECT_TRUE(row.ok() && *row) << account << " " << serial;
    std::map<std::string, std::string> out;
    if (!row.ok() || !*row) return out;
    for (const auto& pair : nlohmann::json::parse((*s)->ColumnText(0)))
      out[pair[0].get<std::string>()] = pair[1].get<std::string>();
    return out;
  }
};

TEST_F(CamtImportTest, DetectedByNamespace) {
  EXPECT_EQ(*DetectKind(kCamt + "postfinance_camt053_v04.xml"), FileKind::kStatement);
  EXPECT_EQ(*DetectKind(kCamt + "fi_fffs_camt052_v02.xml"), FileKind::kStatement);
  EXPECT_EQ(*DetectKind(kCamt + "genkgo_camt054_v08_uetr.xml"), FileKind::kStatement);
  std::string pain = (dir_ / "pain.xml").string();
  std::ofstream(pain) << "<?xml version=\"1.0\"?><Document "
                         "xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.03\"/>";
  auto kind = DetectKind(pain);
  ASSERT_FALSE(kind.ok());
  EXPECT_EQ(kind.status().message(), pain +
                                         ":1: an XML file, but not an ISO 20022 bank statement "
                                         "(camt.052, camt.053 or camt.054, recognised by the "
                                         "namespace of its Document element)");
}

// Every public sample, each file alone into a fresh store: rows read, transfers added, entries not
// booked skipped, and the money stored per currency equal to the booked transactions' money.
TEST_F(CamtImportTest, PublicSamplesOfSeveralBanks) {
  struct Case {
    std::string file, format;
    int64_t rows, added, skipped;
    std::string currency;
    Fen in, out;  // money booked into and out of the statement's account(s)
  };
  const Case cases[] = {
      {"postfinance_camt053_v04.xml", "camt.053.001.04", 5, 5, 0, "CHF", 473372, 7770},
      {"postfinance_camt052_v04.xml", "camt.052.001.04", 2, 2, 0, "CHF", 0, 101600},
      {"postfinance_camt054_returns.xml", "camt.054.001.04", 1, 1, 0, "CHF", 50000, 0},
      {"postfinance_camt054_esr.xml", "camt.054.001.04", 6, 6, 0, "CHF", 153700, 14700},
      {"fi_fffs_camt053_v02.xml", "camt.053.001.02", 13, 13, 0, "EUR", 2307500, 943017},
      {"fi_fffs_camt052_v02.xml", "camt.052.001.02", 2, 1, 1, "EUR", 10000, 0},
      {"fi_fffs_camt054_v02.xml", "camt.054.001.02", 13, 11, 2, "EUR", 550000, 523005},
      {"lt_camt053_v02.xml", "camt.053.001.02", 4, 4, 0, "EUR", 0, 276808},
      {"lt_central_camt053_v08.xml", "camt.053.001.08", 11, 11, 0, "EUR", 243646110, 707413961},
      {"lt_camt054_v10_info.xml", "camt.054.001.10", 41, 0, 41, "EUR", 0, 0},
      {"be_camt053_v02.xml", "camt.053.001.02", 3, 3, 0, "EUR", 78990440, 78990440},
      {"genkgo_camt052_v01.xml", "camt.052.001.01", 1, 1, 0, "SEK", 0, 20000000},
      {"genkgo_camt053_v08.xml", "camt.053.001.08", 1, 1, 0, "EUR", 885, 0},
  };
  int sample = 0;
  for (const Case& c : cases) {
    store_.reset();
    const std::string fresh = (dir_ / ("sample" + std::to_string(++sample) + ".db")).string();
    store_ = std::move(store::Store::Open(test_support::StoreLocation(fresh))).value();
    Outcome out = Run({c.file});
    ASSERT_TRUE(out.status.ok()) << c.file << ": " << out.status.ToString();
    ASSERT_EQ(out.files.size(), 1u);
    const FileReport& r = out.files[0];
    EXPECT_EQ(r.kind, FileKind::kStatement);
    EXPECT_EQ(r.format, c.format) << c.file;
    EXPECT_EQ(r.rows, c.rows) << c.file;
    EXPECT_EQ(r.added, c.added) << c.file;
    EXPECT_EQ(r.skipped, c.skipped) << c.file;
    EXPECT_EQ(r.rows, r.added + r.unchanged + r.merged + r.rejected + r.skipped) << c.file;
    EXPECT_EQ(Transfers(), c.added) << c.file;
    if (c.added > 0) {
      EXPECT_EQ(Transfers(c.currency), c.added) << c.file;
    }
    auto postings = CountPostings(*store_);
    ASSERT_TRUE(postings.ok()) << postings.status().ToString();
    EXPECT_EQ(postings->in, c.in) << c.file;
    EXPECT_EQ(postings->out, c.out) << c.file;
    EXPECT_EQ(postings->postings, r.added + r.merged) << c.file;
    // Importing the same file again changes nothing.
    Outcome again = Run({c.file});
    ASSERT_TRUE(again.status.ok()) << c.file << ": " << again.status.ToString();
    EXPECT_EQ(again.files[0].unchanged, c.added) << c.file;
    EXPECT_EQ(again.files[0].added, 0) << c.file;
  }
}

TEST_F(CamtImportTest, DirectionsCounterpartiesIdsAndRepeatedReferences) {
  Outcome out =
      Run({"be_camt053_v02.xml", "postfinance_camt053_v04.xml", "fi_fffs_camt053_v02.xml"});
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  Transfer paid = Get("390176");  // TxId: this bank gives no AcctSvcrRef
  EXPECT_EQ(paid.from, "BE86463768548050");
  EXPECT_EQ(paid.to, "FR9124517777178627245130470");
  EXPECT_EQ(paid.amount, 78990341);
  EXPECT_EQ(paid.currency, "EUR");
  EXPECT_EQ(FormatTime(paid.time, Zone{0}), "2024-05-23T00:00:00Z");  // CreDtTm ends in Z
  Transfer received = Get("618674");
  EXPECT_EQ(received.from, "BE40933730571463");
  EXPECT_EQ(received.to, "BE86463768548050");
  // The same AcctSvcrRef on two entries of one statement: two transfers, the second numbered.
  EXPECT_EQ(Get("07582000303KBMSU").amount, 153700);
  EXPECT_EQ(Get("07582000303KBMSU#2").amount, 169222);
  EXPECT_EQ(Get("091029ARCH09001").amount, 10000);
  EXPECT_EQ(Get("091029ARCH09001#2").amount, 10000);
  // A credit without a counterparty account is a deposit; a debit, a withdrawal.
  Transfer credit = Get("0758103031480900");
  EXPECT_EQ(credit.channel, Channel::kDeposit);
  EXPECT_EQ(credit.to, "CH2909000000250094239");
  EXPECT_EQ(Get("091029ACCTSTMTARCH02").channel, Channel::kWithdrawal);
  // The batch's parts with their creditors; the posting keeps the bank's references.
  Transfer part = Get("091029ARCH03002");
  EXPECT_EQ(part.from, "FI7433010001222090");
  EXPECT_EQ(part.to, "29501800020582");
  EXPECT_EQ(part.memo, "Invoices 123 and 321");
  auto attrs = Attributes("FI7433010001222090", "091029ARCH03002");
  EXPECT_EQ(attrs["statement"], "BANKSTMTID0972009");
  EXPECT_EQ(attrs["InstrId"], "TITOT1106ID02");
  EXPECT_EQ(attrs["batch"], "2/3");
  EXPECT_EQ(attrs["BkTxCd"], "PMNT/ICDT/DMCT");
  EXPECT_EQ(attrs["id_source"], "TxDtls/Refs/AcctSvcrRef");
}

TEST_F(CamtImportTest, MuleCardStatementAndThePayeesNotificationMergeIntoOneTransfer) {
  Outcome out = Run({"made_cny_camt053_v08.xml", "made_payee_camt054_v02.xml"});
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  ASSERT_EQ(out.files.size(), 2u);
  const FileReport& card = out.files[0];
  EXPECT_EQ(card.rows, 12);
  EXPECT_EQ(card.skipped, 1);  // the pending entry
  EXPECT_EQ(card.added, 11);
  EXPECT_EQ(out.files[1].merged, 1);
  EXPECT_EQ(Transfers(), 11);

  Transfer victim = Get("ICBC20200208000001");
  EXPECT_EQ(victim.from, "6228480012345678901");
  EXPECT_EQ(victim.to, "6222021234567890123");  // "6222 0212 3456 7890 123" normalised
  EXPECT_EQ(victim.amount, 5000000);
  EXPECT_EQ(victim.currency, "CNY");
  EXPECT_EQ(victim.memo, "口罩货款 订单 3");
  EXPECT_EQ(FormatTime(victim.time), "2020-02-08T00:42:00+08:00");
  auto attrs = Attributes("6222021234567890123", "ICBC20200208000001");
  EXPECT_EQ(attrs["EndToEndId"], "E2E-VICTIM-0001");
  EXPECT_EQ(attrs["TxId"], "CNAPS20200208A0001");

  // The batch's first part is the payer's serial, merged with the payee's credit 40 s later.
  Transfer b1 = Get("ICBC20200208000002/1");
  EXPECT_EQ(b1.from, "6222021234567890123");
  EXPECT_EQ(b1.to, "6217000011112222333");
  EXPECT_EQ(b1.amount, 100000);
  EXPECT_FALSE(store_->GetTransfer("PSBC000123")->has_value());
  // Both banks' postings of the payment became the one transfer, each side as its bank said.
  auto postings = ListPostings(*store_);
  ASSERT_TRUE(postings.ok()) << postings.status().ToString();
  std::vector<std::pair<std::string, bool>> paid;
  for (const StoredPosting& p : *postings)
    if (p.transfer_id == "ICBC20200208000002/1") paid.emplace_back(p.account, p.credit);
  EXPECT_EQ(paid, (std::vector<std::pair<std::string, bool>>{{b1.to, true}, {b1.from, false}}));
  EXPECT_EQ(Get("ICBC20200208000002/2").amount + Get("ICBC20200208000002/3").amount, 200000);
  // What a recall names the payment by: both banks' postings, the payer's first.
  auto kept = PostingAttributes(*store_, "ICBC20200208000002/1");
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  ASSERT_EQ(kept->size(), 2u);
  EXPECT_NE((*kept)[0].find("[\"Ntry/AcctSvcrRef\",\"ICBC20200208000002\"]"), std::string::npos)
      << (*kept)[0];
  EXPECT_NE((*kept)[1].find("[\"Ntry/AcctSvcrRef\",\"PSBC000123\"]"), std::string::npos)
      << (*kept)[1];
  EXPECT_TRUE(PostingAttributes(*store_, "no-such-transfer")->empty());

  // The reversal: the money comes back from 张某.
  Transfer back = Get("ICBC20200208000003");
  EXPECT_EQ(back.from, "6217000011113333444");
  EXPECT_EQ(back.to, "6222021234567890123");
  EXPECT_EQ(Attributes("6222021234567890123", "ICBC20200208000003")["RvslInd"], "true");
  EXPECT_FALSE(store_->GetTransfer("ICBC20200208000004")->has_value());  // pending

  // Dollars stay dollars: stored, but not in the ledger's scan (tracing follows yuan).
  Transfer usd = Get("ICBC20200208000005");
  EXPECT_EQ(usd.currency, "USD");
  EXPECT_EQ(usd.amount, 10000);
  EXPECT_EQ(Attributes("6222021234567890123", "ICBC20200208000005")["InstdAmt"], "91.50 EUR");
  int64_t scanned = 0;
  bool dollars = false;
  ASSERT_TRUE(store_
                  ->ScanLedgerTransfers([&](const store::Store::LedgerTransferRow& r) {
                    ++scanned;
                    dollars |= r.id == "ICBC20200208000005";
                  })
                  .ok());
  EXPECT_EQ(scanned, 10);
  EXPECT_FALSE(dollars);

  Transfer atm = Get("NR-6");
  EXPECT_EQ(atm.channel, Channel::kWithdrawal);
  EXPECT_EQ(atm.memo, "ATM 取现");
  EXPECT_EQ(Get("ICBC20200208000007").amount, 20000);
  EXPECT_EQ(Get("N-2").from, "6217000011117777888");
  // No reference at all: a stand-in from the account, time, direction and amount.
  std::string stand_in = "6222021234567890123@" +
                         std::to_string(*ParseTime("2020-02-08T12:00:00+08:00")) + "/D66.00CNY#1";
  EXPECT_EQ(Get(stand_in).amount, 6600);
}

TEST_F(CamtImportTest, BadEntryNamesFileLineAndPathAndCommitsNothing) {
  Outcome out = Run({"made_bad_amount_camt053_v02.xml"});
  ASSERT_FALSE(out.status.ok());
  EXPECT_EQ(out.status.code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(out.status.message(),
            kCamt +
                "made_bad_amount_camt053_v02.xml:19: Document/BkToCstmrStmt/Stmt[1]/Ntry[2]/Amt: "
                "'12.345' has more than 2 fraction digits (not exact in hundredths)");
  EXPECT_EQ(Transfers(), 0);

  options_.skip_bad = true;
  options_.reject_file = (dir_ / "rejects.csv").string();
  Outcome skipped = Run({"made_bad_amount_camt053_v02.xml"});
  ASSERT_TRUE(skipped.status.ok()) << skipped.status.ToString();
  EXPECT_EQ(skipped.files[0].rejected, 1);
  EXPECT_EQ(skipped.files[0].added, 2);
  std::stringstream text;
  text << std::ifstream(options_.reject_file).rdbuf();
  EXPECT_NE(
      text.str().find(",19,Document/BkToCstmrStmt/Stmt[1]/Ntry[2]/Amt: '12.345' has more than 2"),
      std::string::npos)
      << text.str();
  EXPECT_NE(text.str().find("<AcctSvcrRef>BAD-2</AcctSvcrRef>"), std::string::npos);  // the entry
}

TEST_F(CamtImportTest, BrokenOrHostileFilesCommitNothingEvenWithSkipBad) {
  options_.skip_bad = true;
  for (auto [file, what] :
       {std::pair{"made_truncated_camt053_v02.xml", ":19: not well-formed XML"},
        std::pair{"made_xxe_camt053_v02.xml", ":2: a DOCTYPE (DTD) is not allowed"},
        std::pair{"made_billion_laughs_camt053_v02.xml", ":2: a DOCTYPE"}}) {
    Outcome out = Run({file});
    ASSERT_FALSE(out.status.ok()) << file;
    EXPECT_NE(out.status.message().find(std::string(file) + what), std::string::npos)
        << out.status.message();
    EXPECT_EQ(Transfers(), 0) << file;
  }
  options_.max_xml_bytes = 4096;
  Outcome big = Run({"fi_fffs_camt053_v02.xml"});
  ASSERT_FALSE(big.status.ok());
  EXPECT_EQ(big.status.code(), ErrorCode::kTooLarge);
}

TEST_F(CamtImportTest, CsvAndCamtStatementsOfOneCallPair) {
  // The payee's side as a CSV statement of its bank: merged with the camt batch part.
  std::string csv = (dir_ / "流水_6217000011113333444.csv").string();
  std::ofstream(csv) << "交易流水号,交易时间,借贷标志,交易金额,对方账号,对方户名\n"
                        "CCB-9,2020-02-08 00:47:30,贷,1500.50,6222021234567890123,王某\n";
  Outcome out = Run({csv, "made_cny_camt053_v08.xml"});
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_EQ(out.files[0].merged + out.files[1].merged, 1);
  EXPECT_FALSE(store_->GetTransfer("CCB-9")->has_value());
  EXPECT_EQ(Get("ICBC20200208000002/2").to, "6217000011113333444");
}

}  // namespace
}  // namespace fanzha::import
