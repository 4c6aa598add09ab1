// Regression tests: what bad files did to the importers, each named after what broke.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/text.h"
#include "import/import.h"
#include "import/store_fixture.h"

namespace fanzha::import {
namespace {

namespace fs = std::filesystem;

// "张三" and a statement header in GBK: what Chinese banks' exports are often written in.
const std::string kGbkName = "\xD5\xC5\xC8\xFD";
const std::string kTransfersHeader = "id,time,from,to,amount,channel,memo\n";

class BadFileTest : public StoreFixture {
 protected:
  int64_t Transfers() { return store_->CountTotals()->transfers; }
  int64_t Cases() { return store_->CountTotals()->cases; }
  // The error of importing one file, expected to fail with nothing stored.
  Status Refused(const std::string& name, const std::string& bytes) {
    Outcome out = Run({Write(name, bytes)});
    EXPECT_FALSE(out.status.ok()) << name;
    EXPECT_EQ(Transfers() + Cases(), 0);
    return out.status;
  }
};

TEST_F(BadFileTest, GbkFileWithAsciiHeaderWasStoredAsRawBytes) {
  std::string path =
      Write("transfers.csv",
            kTransfersHeader + "T1,2020-02-08T00:42:00+08:00,A,B,100,transfer," + kGbkName + "\n");
  Outcome out = Run({path});
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_EQ(out.files[0].encoding, Encoding::kGb18030);
  auto t = store_->GetTransfer("T1");
  ASSERT_TRUE(t.ok() && t->has_value());
  EXPECT_EQ((*t)->memo, "张三");
}

TEST_F(BadFileTest, GbkStatementWithChineseHeaderIsConverted) {
  std::string header = "交易流水号,交易时间,交易卡号,借贷标志,交易金额,对方账号,对方户名,摘要\n";
  std::string rows =
      "S1,2020-02-08 00:42:00,6222021234567890123,贷,1000.00,6228480012345678901,张三,货款\n";
  std::string gbk;
  // The same text in GB18030, through the converter the importer does not use for writing.
  for (const std::string& part : {header, rows}) {
    FILE* p = popen(("printf '%s' '" + part + "' | iconv -f UTF-8 -t GB18030").c_str(), "r");
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) gbk.append(buf, n);
    pclose(p);
  }
  ASSERT_FALSE(IsValidUtf8(gbk));
  Outcome out = Run({Write("流水_6222021234567890123.csv", gbk)});
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  auto t = store_->GetTransfer("S1");
  ASSERT_TRUE(t.ok() && t->has_value());
  EXPECT_EQ((*t)->memo, "货款");
  EXPECT_EQ((*t)->from, "6228480012345678901");
}

TEST_F(BadFileTest, BytesOfNoKnownEncodingAreRefusedWithLineFieldAndHint) {
  // Latin-1 is neither UTF-8 nor plausible GB18030: refused, not guessed.
  Status st =
      Refused("transfers.csv", kTransfersHeader +
                                   "T1,2020-02-08T00:42:00+08:00,A,B,100,transfer,ok\n"
                                   "T2,2020-02-08T00:42:00+08:00,A,B,100,transfer,Soci\xE9t\xE9\n");
  EXPECT_NE(st.message().find("transfers.csv:3: memo: not valid UTF-8"), std::string::npos)
      << st.message();
  EXPECT_NE(st.message().find("--encoding gb18030"), std::string::npos);
  EXPECT_NE(st.zh().find("transfers.csv:3: memo"), std::string::npos) << st.zh();
  EXPECT_NE(st.zh().find("不是有效的 UTF-8"), std::string::npos) << st.zh();
  EXPECT_TRUE(IsValidUtf8(st.message()));
  // Told it is UTF-8, a GBK file is refused the same way (nothing converted behind the user's
  // back).
  options_.encoding = Encoding::kUtf8;
  st = Refused("t2.csv", kTransfersHeader + "T1,2020-02-08T00:42:00+08:00,A,B,100,transfer," +
                             kGbkName + "\n");
  EXPECT_NE(st.message().find("t2.csv:2: memo"), std::string::npos) << st.message();
}

TEST_F(BadFileTest, GbkCaseLineIsConvertedAndBadBytesNameTheField) {
  // Told it is UTF-8, a GBK line is refused naming the field that holds the bad bytes.
  options_.encoding = Encoding::kUtf8;
  Status st = Refused("c2.jsonl",
                      "{\"id\":\"C2\",\"reported_at\":\"2020-02-08T00:42:00+08:00\","
                      "\"victim\":{\"name\":\"" +
                          kGbkName + "\"}}\n");
  EXPECT_NE(st.message().find("c2.jsonl:1: victim.name: not valid UTF-8"), std::string::npos)
      << st.message();
  // Detected, it is converted.
  options_.encoding = Encoding::kAuto;
  std::string line =
      "{\"id\":\"C1\",\"reported_at\":\"2020-02-08T00:42:00+08:00\",\"narrative\":\"" + kGbkName +
      kGbkName + "\"}\n";
  Outcome out = Run({Write("cases.jsonl", line)});
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_EQ((*store_->GetCase("C1"))->narrative, "张三张三");
}

TEST_F(BadFileTest, CutLineStoredFifteenYuanForFifteenHundred) {
  Status st = Refused("transfers.csv", kTransfersHeader +
                                           "T1,2020-02-08T00:42:00+08:00,A,B,1500.00,transfer,x\n"
                                           "T2,2020-02-08T00:43:00+08:00,A,B,15\n");
  EXPECT_NE(st.message().find(
                "transfers.csv:3: the row has 5 fields, the header 7: channel, memo missing"),
            std::string::npos)
      << st.message();
  EXPECT_NE(st.zh().find("缺少 channel, memo"), std::string::npos) << st.zh();
  // Every CSV kind: accounts and statements too.
  st = Refused("accounts.csv", "account,holder,region\nA1,张三,330100\nA2,李四\n");
  EXPECT_NE(st.message().find("accounts.csv:3:"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("region missing"), std::string::npos) << st.message();
  st = Refused("statement_6222021234567890123.csv",
               "serial,time,direction,amount,counterparty,memo\nS1,2020-02-08 00:42:00,C,100,X,m\n"
               "S2,2020-02-08 00:43:00,C,1\n");
  EXPECT_NE(st.message().find("statement_6222021234567890123.csv:3:"), std::string::npos)
      << st.message();
  EXPECT_NE(st.message().find("counterparty, memo missing"), std::string::npos) << st.message();
  // With --skip-bad the cut row is rejected and the rest imported.
  options_.skip_bad = true;
  Outcome out = Run(
      {Write("t3.csv", kTransfersHeader + "T1,2020-02-08T00:42:00+08:00,A,B,1500.00,transfer,x\n"
                                          "T2,2020-02-08T00:43:00+08:00,A,B,15\n")});
  ASSERT_TRUE(out.status.ok());
  EXPECT_EQ(out.files[0].rejected, 1);
  EXPECT_EQ(Transfers(), 1);
}

TEST_F(BadFileTest, CaseIdsAndRegionsTookAnything) {
  auto case_line = [](const std::string& id, const std::string& region) {
    return "{\"id\":\"" + id + "\",\"reported_at\":\"2020-02-08T00:42:00+08:00\",\"region\":\"" +
           region + "\"}\n";
  };
  for (const std::string& id : std::vector<std::string>{"4601%", "<script>", "../../etc/passwd",
                                                        std::string(5000, 'a'), "-x"}) {
    Status st = Refused("cases.jsonl", case_line(id, "330100"));
    EXPECT_NE(st.message().find("cases.jsonl:1: id: case id"), std::string::npos) << st.message();
    EXPECT_LT(st.message().size(), 400u);  // the 5,000 characters are not echoed
    EXPECT_NE(st.zh().find("案件编号"), std::string::npos);
  }
  Status st = Refused("cases.jsonl", case_line("HZ-1", "杭州市"));
  EXPECT_NE(st.message().find("region: '杭州市' is a name; give its GB/T 2260 code 330100"),
            std::string::npos)
      << st.message();
  st = Refused("cases.jsonl", case_line("HZ-1", "999999"));
  EXPECT_NE(st.message().find("'999999' is not a division of GB/T 2260"), std::string::npos);
  st = Refused("accounts.csv", "account,region\nA1,4601%\n");
  EXPECT_NE(st.message().find("accounts.csv:2: region: '4601%' is not a GB/T 2260 code"),
            std::string::npos)
      << st.message();
  // What FORMATS.md's ids look like passes.
  Outcome ok =
      Run({Write("ok.jsonl", case_line("HZ-20200208-0001", "330100") + case_line("C000123", "") +
                                 case_line("a_b.c-1", "451300"))});
  EXPECT_TRUE(ok.status.ok()) << ok.status.ToString();
  EXPECT_EQ(Cases(), 3);
}

TEST_F(BadFileTest, FreeTextHadNoLengthLimit) {
  Status st =
      Refused("transfers.csv", kTransfersHeader + "T1,2020-02-08T00:42:00+08:00,A,B,1,transfer," +
                                   std::string(100000, 'm') + "\n");
  EXPECT_NE(st.message().find("memo: 100000 bytes, more than the 1024 allowed"), std::string::npos)
      << st.message().substr(0, 300);
  st = Refused("cases.jsonl",
               "{\"id\":\"C1\",\"reported_at\":\"2020-02-08T00:42:00+08:00\",\"narrative\":\"" +
                   std::string(40000, 'n') + "\"}\n");
  EXPECT_NE(st.message().find("narrative: 40000 bytes"), std::string::npos);
  st = Refused("t.csv",
               kTransfersHeader + std::string(200, '7') + ",2020-02-08T00:42:00+08:00,A,B,1,,\n");
  EXPECT_NE(st.message().find("id: 200 bytes"), std::string::npos) << st.message();
}

TEST_F(BadFileTest, IdCardNumbersAreCheckedByTheirCheckDigit) {
  auto line = [](const std::string& id, const std::string& number) {
    return "{\"id\":\"" + id +
           "\",\"reported_at\":\"2020-02-08T00:42:00+08:00\",\"identifiers\":"
           "[{\"type\":\"id_card\",\"value\":\"" +
           number + "\"}]}\n";
  };
  Outcome ok = Run(
      {Write("ok.jsonl", line("C1", "11010519491231002x") + line("C2", "110105 19491231 002X"))});
  ASSERT_TRUE(ok.status.ok()) << ok.status.ToString();
  EXPECT_EQ((*store_->GetCase("C1"))->identifiers[0].value, "11010519491231002X");
  EXPECT_EQ(*store_->FindCasesByIdentifier(IdentifierType::kIdCard, "11010519491231002X"),
            (std::vector<std::string>{"C1", "C2"}));
  Outcome bad = Run({Write("bad.jsonl", line("C3", "110105194912310021"))});
  ASSERT_FALSE(bad.status.ok());
  EXPECT_NE(
      bad.status.message().find("bad.jsonl:1: identifiers[0].value: '110105194912310021' is not "
                                "a resident identity number"),
      std::string::npos)
      << bad.status.message();
  EXPECT_NE(bad.status.message().find("the check digit should be X, not 1"), std::string::npos);
  EXPECT_NE(bad.status.zh().find("校验码应为 X"), std::string::npos) << bad.status.zh();
  EXPECT_FALSE(store_->GetCase("C3")->has_value());
}

}  // namespace
}  // namespace fanzha::import
