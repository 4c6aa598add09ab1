#include "core/encoding.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "core/csv.h"
#include "core/text.h"

namespace fanzha {
namespace {

// "交易流水号,对方户名" and "张三" in GBK (a subset of GB18030).
const std::string kGbkHeader =
    "\xBD\xBB\xD2\xD7\xC1\xF7\xCB\xAE\xBA\xC5,\xB6\xD4\xB7\xBD\xBB\xA7\xC3\xFB";
const std::string kGbkName = "\xD5\xC5\xC8\xFD";

std::string Decode(std::string_view bytes, const FileEncoding& e) {
  auto in = std::move(DecodedInput::OfBuffer(bytes, e)).value();
  std::string out;
  while (in->Read(&out, 7)) {
  }  // small chunks: sequences are cut between them
  return out;
}

TEST(Encoding, Names) {
  EXPECT_EQ(*ParseEncoding("GBK"), Encoding::kGb18030);
  EXPECT_EQ(*ParseEncoding("utf8"), Encoding::kUtf8);
  EXPECT_EQ(*ParseEncoding(""), Encoding::kAuto);
  EXPECT_FALSE(ParseEncoding("latin1").ok());
}

TEST(Encoding, Utf8FilesStayUtf8) {
  auto e = *DetectEncodingOf("id,memo\nT1,杭州市\n", Encoding::kAuto);
  EXPECT_EQ(e.encoding, Encoding::kUtf8);
  EXPECT_TRUE(e.valid);
  EXPECT_FALSE(e.detected);
  auto bom = *DetectEncodingOf("\xEF\xBB\xBFid\n", Encoding::kAuto);
  EXPECT_EQ(bom.bom, 3u);
}

TEST(Encoding, GbkWithAnAsciiHeaderIsRecognisedAndConverted) {
  std::string file = "id,holder\nA1," + kGbkName + "\nA2," + kGbkName + kGbkName + "\n";
  auto e = *DetectEncodingOf(file, Encoding::kAuto);
  EXPECT_EQ(e.encoding, Encoding::kGb18030);
  EXPECT_TRUE(e.detected);
  EXPECT_TRUE(e.valid);
  EXPECT_EQ(Decode(file, e), "id,holder\nA1,张三\nA2,张三张三\n");
  EXPECT_EQ(Decode(kGbkHeader, e), "交易流水号,对方户名");
}

TEST(Encoding, Gb18030ByteOrderMarkAndFourByteSequences) {
  // U+FEFF then U+20000 (𠀀, four bytes in GB18030: 95 32 82 36).
  std::string file = std::string("\x84\x31\x95\x33", 4) + "x\x95\x32\x82\x36";
  auto e = *DetectEncodingOf(file, Encoding::kAuto);
  EXPECT_EQ(e.encoding, Encoding::kGb18030);
  EXPECT_EQ(e.bom, 4u);
  EXPECT_EQ(Decode(file, e), "x\xF0\xA0\x80\x80");
}

TEST(Encoding, Latin1IsNotTakenForGbk) {
  // "Société Générale" in Latin-1: é followed by ASCII is not GB2312 text.
  auto e = *DetectEncodingOf("name\nSoci\xE9t\xE9 G\xE9n\xE9rale\n", Encoding::kAuto);
  EXPECT_EQ(e.encoding, Encoding::kUtf8);
  EXPECT_FALSE(e.valid);
}

TEST(Encoding, BrokenGbIsMarkedWhereItIs) {
  FileEncoding gb{Encoding::kGb18030, 0, false, false};
  EXPECT_FALSE(DetectEncodingOf("a,\x80,b", Encoding::kGb18030)->valid);
  std::string out = Decode("a,\x80,b", gb);
  EXPECT_EQ(out, "a,\xFF,b");
  EXPECT_FALSE(IsValidUtf8(out));
}

TEST(Encoding, Utf16IsRefusedWithAHint) {
  auto e = DetectEncodingOf("\xFF\xFEi\0d\0", Encoding::kAuto);
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.status().message().find("UTF-16"), std::string::npos);
  EXPECT_NE(e.status().zh().find("UTF-8"), std::string::npos);
}

TEST(Encoding, FileDetectionMatchesBufferDetectionAcrossChunks) {
  // Over 1 MiB so that multi-byte sequences fall on the chunk boundary.
  std::string gb, utf8;
  while (gb.size() < (3u << 20) / 2) gb += "A1," + kGbkName + "x\n", utf8 += "A1,张三x\n";
  for (const std::string* text : {&gb, &utf8}) {
    for (size_t shift = 0; shift < 4; ++shift) {
      std::string body = std::string(shift, 'y') + *text;
      auto path = std::filesystem::temp_directory_path() /
                  ("fanzha_encoding_" + std::to_string(getpid()) + ".csv");
      std::ofstream(path, std::ios::binary) << body;
      auto f = *DetectEncoding(path.string(), Encoding::kAuto);
      auto b = *DetectEncodingOf(body, Encoding::kAuto);
      EXPECT_EQ(f.encoding, b.encoding);
      EXPECT_TRUE(f.valid && b.valid);
      EXPECT_EQ(f.encoding, text == &gb ? Encoding::kGb18030 : Encoding::kUtf8);
      auto reader = std::move(CsvReader::Open(path.string(), f)).value();
      std::vector<std::string_view> row;
      int64_t rows = 0;
      while (reader->Next(&row)) {
        ++rows;
        ASSERT_EQ(row.size(), 2u);
        ASSERT_TRUE(row[1] == "张三x") << rows;
      }
      EXPECT_TRUE(reader->status().ok());
      std::filesystem::remove(path);
    }
  }
}

}  // namespace
}  // namespace fanzha
