// Who works a case, their notes and its files (work.h), on a real store.
#include "casefile/work.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "casefile/casefile.h"
#include "tests/support/postgres_server.h"

namespace fanzha::casefile::work_test {
namespace {

constexpr Millis kT0 = 1581120000000;  // 2020-02-08T08:00:00+08:00

class WorkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "/work-" + std::to_string(::getpid()) + ".db";
    std::filesystem::remove(path_);
    store_ = std::move(store::Store::Open(test_support::StoreLocation(path_))).value();
    auto imp = std::move(store_->BeginImport()).value();
    for (const char* id : {"HZ1", "HZ2"}) {
      Case c;
      c.id = id;
      c.reported_at = kT0;
      c.region = "330100";
      c.category = "investment";
      ASSERT_TRUE(imp->PutCase(c).ok());
    }
    ASSERT_TRUE(imp->Commit().ok());
    imp.reset();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove(path_);
  }
  WorkBook Book() { return WorkBook(*store_); }
  std::string path_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(WorkTest, TheLastAssignmentSaysWhoHasTheCaseAndEveryOneIsKept) {
  ASSERT_TRUE(Book().Assign("HZ1", "li.wei", "chief", "", kT0 + 1).ok());
  ASSERT_TRUE(Book().Assign("HZ1", "wang.fang", "chief", "li.wei is on leave", kT0 + 2).ok());
  auto all = Book().Assignments("HZ1");
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[1].officer, "wang.fang");
  EXPECT_EQ((*all)[1].note, "li.wei is on leave");
  auto summaries = Book().Summaries();
  ASSERT_TRUE(summaries.ok());
  EXPECT_EQ(summaries->at("HZ1").officer, "wang.fang");
  EXPECT_EQ(summaries->count("HZ2"), 0u);
}

TEST_F(WorkTest, AssigningTheOfficerWhoHasItOrAnUnknownCaseIsRefused) {
  ASSERT_TRUE(Book().Assign("HZ1", "li.wei", "chief", "", kT0).ok());
  EXPECT_EQ(Book().Assign("HZ1", "li.wei", "chief", "", kT0).status().code(), ErrorCode::kConflict);
  EXPECT_EQ(Book().Assign("HZ2", "", "chief", "", kT0).status().code(), ErrorCode::kConflict);
  EXPECT_EQ(Book().Assign("NOPE", "li.wei", "chief", "", kT0).status().code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(Book().Assign("HZ1", std::string(65, 'x'), "chief", "", kT0).status().code(),
            ErrorCode::kInvalidInput);
  ASSERT_TRUE(Book().Assign("HZ1", "", "chief", "back to the pool", kT0).ok());
  EXPECT_EQ(Book().Summaries()->at("HZ1").officer, "");
}

TEST_F(WorkTest, NotesAreAppendedAndCheckedAsText) {
  ASSERT_TRUE(Book().AddNote("HZ1", "  受害人补充了聊天截图  ", "li.wei", kT0).ok());
  ASSERT_TRUE(Book().AddNote("HZ1", "银行回电", "li.wei", kT0 + 5).ok());
  auto notes = Book().Notes("HZ1");
  ASSERT_TRUE(notes.ok());
  ASSERT_EQ(notes->size(), 2u);
  EXPECT_EQ((*notes)[0].text, "受害人补充了聊天截图");
  EXPECT_EQ((*notes)[1].seq, 2);
  Status empty = Book().AddNote("HZ1", " ", "li.wei", kT0).status();
  EXPECT_EQ(empty.code(), ErrorCode::kInvalidInput);
  EXPECT_NE(empty.message().find("text:"), std::string::npos);
  EXPECT_EQ(Book().AddNote("HZ1", "\xff\xfe", "li.wei", kT0).status().code(),
            ErrorCode::kInvalidInput);
  EXPECT_EQ(
      Book().AddNote("HZ1", std::string(kMaxNoteBytes + 1, 'a'), "li.wei", kT0).status().code(),
      ErrorCode::kInvalidInput);
  EXPECT_EQ(Book().Summaries()->at("HZ1").notes, 2);
}

TEST_F(WorkTest, AFileComesBackByteForByteWithItsSha256) {
  const std::string pdf("%PDF-1.4\0\x01\x02 binary \xff\xd8", 22);
  auto a = Book().Attach("HZ1", AttachmentKind::kLegalDocument, "立案决定书.pdf", "application/pdf",
                         pdf, "li.wei", kT0);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->sha256, Sha256Hex(pdf));
  EXPECT_EQ(a->bytes, 22);
  Attachment meta;
  auto content = Book().Content("HZ1", a->seq, &meta);
  ASSERT_TRUE(content.ok()) << content.status().ToString();
  EXPECT_EQ(*content, pdf);
  EXPECT_EQ(meta.name, "立案决定书.pdf");
  EXPECT_EQ(meta.kind, AttachmentKind::kLegalDocument);
  EXPECT_EQ(Book().Attachments("HZ1")->size(), 1u);
  EXPECT_EQ(Book().Content("HZ1", 9, nullptr).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(Book().Content("HZ2", 1, nullptr).status().code(), ErrorCode::kNotFound);
}

TEST_F(WorkTest, BadNamesEmptyAndHugeFilesAreRefusedAndTheMediaTypeIsOnlyAHint) {
  auto attach = [&](const std::string& name, std::string_view content,
                    const std::string& type = "text/plain") {
    return Book().Attach("HZ1", AttachmentKind::kOther, name, type, content, "li.wei", kT0);
  };
  for (const char* bad : {"", "..", "../etc/passwd", "a\\b", "line\nbreak"})
    EXPECT_EQ(attach(bad, "x").status().code(), ErrorCode::kInvalidInput) << bad;
  EXPECT_EQ(attach("empty.txt", "").status().code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(attach("big.bin", std::string(kMaxAttachmentBytes + 1, 'x')).status().code(),
            ErrorCode::kTooLarge);
  auto odd = attach("x.html", "<script>", "text/html; charset=\"x\"");
  ASSERT_TRUE(odd.ok());
  EXPECT_EQ(odd->media_type, "application/octet-stream");
  EXPECT_EQ(Book().Attachments("HZ1")->size(), 1u);  // only the last one was stored
}

TEST_F(WorkTest, AFileChangedInTheStoreIsNotGivenBack) {
  ASSERT_TRUE(Book()
                  .Attach("HZ1", AttachmentKind::kReportMaterial, "a.txt", "", "abc", "li.wei", kT0)
                  .ok());
  // Someone with the file edits the bytes but not the digest.
  ASSERT_TRUE(store_->sql().Exec("UPDATE case_attachments SET content = 'abd'").ok());
  Status st = Book().Content("HZ1", 1, nullptr).status();
  EXPECT_EQ(st.code(), ErrorCode::kIoError);
  EXPECT_NE(st.message().find("SHA-256"), std::string::npos);
}

TEST_F(WorkTest, KindsParseByEitherName) {
  EXPECT_EQ(*ParseAttachmentKind("报案材料"), AttachmentKind::kReportMaterial);
  EXPECT_EQ(*ParseAttachmentKind("legal_document"), AttachmentKind::kLegalDocument);
  EXPECT_FALSE(ParseAttachmentKind("photo").ok());
}

}  // namespace
}  // namespace fanzha::casefile::work_test
