#include "core/csv.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

namespace fanzha {
namespace {

std::string WriteTemp(const std::string& content) {
  std::string path = testing::TempDir() + "/csv_test_" +
                     testing::UnitTest::GetInstance()->current_test_info()->name() + ".csv";
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

std::vector<std::vector<std::string>> ReadAll(const std::string& path,
                                              std::vector<int64_t>* lines) {
  auto reader = CsvReader::Open(path);
  EXPECT_TRUE(reader.ok());
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string_view> fields;
  while ((*reader)->Next(&fields)) {
    rows.emplace_back(fields.begin(), fields.end());
    if (lines) lines->push_back((*reader)->line());
  }
  EXPECT_TRUE((*reader)->status().ok()) << (*reader)->status().message();
  return rows;
}

TEST(Csv, QuotedFieldsWithCommasQuotesAndNewlines) {
  std::vector<int64_t> lines;
  auto rows = ReadAll(WriteTemp("\xEF\xBB\xBF"
                                "a,b,c\r\n1,\"x,y\",\"say \"\"hi\"\"\"\n2,\"two\nlines\",\n3,,z\n"),
                      &lines);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"1", "x,y", "say \"hi\""}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"2", "two\nlines", ""}));
  EXPECT_EQ(rows[3], (std::vector<std::string>{"3", "", "z"}));
  EXPECT_EQ(lines, (std::vector<int64_t>{1, 2, 3, 5}));
}

TEST(Csv, UnclosedQuoteIsAnErrorWithLine) {
  auto reader = CsvReader::Open(WriteTemp("a,b\n1,\"open\n"));
  std::vector<std::string_view> f;
  while ((*reader)->Next(&f)) {
  }
  EXPECT_FALSE((*reader)->status().ok());
  EXPECT_NE((*reader)->status().message().find(":2:"), std::string::npos);
}

TEST(Csv, WriterQuotesOnlyWhenNeeded) {
  std::string out;
  AppendCsvRow(&out, {"a", "b,c", "d\"e", ""});
  EXPECT_EQ(out, "a,\"b,c\",\"d\"\"e\",\n");
}

// A row of one empty field (`""` in the file) was written as an empty line, which the reader skips:
// the row was lost on the way back (found by fuzz/ csv).
TEST(Csv, ARowOfOneEmptyFieldIsWrittenSoThatItReadsBack) {
  auto rows = ReadAll(WriteTemp("a\n\"\"\n\nb\n"), nullptr);
  ASSERT_EQ(rows, (std::vector<std::vector<std::string>>{{"a"}, {""}, {"b"}}));
  std::string out;
  for (const auto& r : rows) AppendCsvRow(&out, r);
  EXPECT_EQ(out, "a\n\"\"\nb\n");
  EXPECT_EQ(ReadAll(WriteTemp(out), nullptr), rows);
}

TEST(Csv, ARowReadIsWrittenAsItReadsBack) {
  const std::string text = "x,\"a, b\",\"say \"\"hi\"\"\",\"two\nlines\",\n";
  auto reader = CsvReader::OfBuffer(text, "row.csv");
  ASSERT_TRUE(reader.ok());
  std::vector<std::string_view> fields;
  ASSERT_TRUE((*reader)->Next(&fields));
  std::string out;
  AppendCsvRow(&out, fields);
  EXPECT_EQ(out, text);
}

TEST(Csv, HeaderNamesMatchWhateverTheirWidthCaseSpacesAndQuotes) {
  for (std::string_view name :
       {"account", " Account ", "ＡＣＣＯＵＮＴ", "\"account\"", "acc ount"})
    EXPECT_EQ(CsvHeaderKey(name), "account") << name;
  EXPECT_EQ(CsvHeaderKey("交易流水号"), "交易流水号");
  EXPECT_NE(CsvHeaderKey("accounts"), "account");
}

}  // namespace
}  // namespace fanzha
