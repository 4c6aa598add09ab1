#include "audit/audit.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "core/text.h"
#include "tests/support/postgres_server.h"

namespace fanzha::audit {
namespace {

class AuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("audit_test_" +
             std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + ".db");
    std::filesystem::remove(path_);
    store_ = std::move(store::Store::Open(test_support::StoreLocation(path_.string()))).value();
    std::array<unsigned char, Key::kBytes> bytes;
    for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<unsigned char>(i * 7 + 1);
    key_ = Key::FromBytes(bytes);
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove(path_);
    std::filesystem::remove(path_.string() + ".audit-key");
    std::filesystem::remove(path_.string() + ".audit-heads");
  }
  Entry Make(int i) {
    Entry e;
    e.at = 1000 + i;
    e.user = "li";
    e.role = "investigator";
    e.action = "case.trace";
    e.target = "C" + std::to_string(i);
    e.reason = "report 110-" + std::to_string(i);
    return e;
  }
  std::filesystem::path path_;
  std::unique_ptr<store::Store> store_;
  Key key_;
};

TEST_F(AuditTest, ChainVerifiesAndListsInOrder) {
  AuditLog log(store_->sql(), key_);
  for (int i = 1; i <= 3; ++i) ASSERT_TRUE(log.Append(Make(i)).ok());
  auto v = log.Verify();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok);
  EXPECT_EQ(v->entries, 3);
  auto all = log.List(1, 0);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].id, 2);
  EXPECT_EQ((*all)[0].prev_hash, log.List(0, 1)->front().hash);
}

// A group commit (the server's reads): the entries are linked in their order, as Append() would
// link them one by one, in chunks of one insert each, and all or none are stored.
TEST_F(AuditTest, AGroupOfEntriesIsLinkedInOrderAndStoredWhole) {
  AuditLog log(store_->sql(), key_);
  auto first = log.Append(Make(0));
  ASSERT_TRUE(first.ok());
  std::vector<Entry> none;
  ASSERT_TRUE(log.AppendAll(none).ok());
  std::vector<Entry> group;
  for (int i = 1; i <= 600; ++i) group.push_back(Make(i));  // more than one insert's worth
  ASSERT_TRUE(log.AppendAll(group).ok());
  std::string prev = first->hash;
  for (size_t i = 0; i < group.size(); ++i) {
    ASSERT_EQ(group[i].id, static_cast<int64_t>(i) + 2);
    ASSERT_EQ(group[i].prev_hash, prev);
    ASSERT_EQ(group[i].hash, EntryHash(group[i], prev, &key_));
    prev = group[i].hash;
  }
  auto stored = std::move(log.List(0, 0)).value();
  ASSERT_EQ(stored.size(), 601u);
  EXPECT_EQ(stored.back().hash, group.back().hash);
  EXPECT_EQ(stored[300].target, "C300");
  auto v = log.Verify({{group.back().id, group.back().hash}});
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok) << v->message;

  // Linked to the last entry the caller saw, without a read; when another writer appended since,
  // to the stored last one.
  Anchor seen{group.back().id, group.back().hash};
  std::vector<Entry> mine = {Make(700)};
  ASSERT_TRUE(log.AppendAll(mine, &seen).ok());
  EXPECT_EQ(mine[0].prev_hash, seen.hash);
  auto other = log.Append(Make(701));  // another node's
  ASSERT_TRUE(other.ok());
  std::vector<Entry> late = {Make(702)};
  const Anchor stale{mine[0].id, mine[0].hash};
  ASSERT_TRUE(log.AppendAll(late, &stale).ok());
  EXPECT_EQ(late[0].id, other->id + 1);
  EXPECT_EQ(late[0].prev_hash, other->hash);
  ASSERT_TRUE(log.Verify()->ok);

  // Inside a transaction rolled back: none of the group stays.
  {
    auto tx = std::move(store::SqlTransaction::Begin(&store_->sql())).value();
    std::vector<Entry> more = {Make(601), Make(602)};
    ASSERT_TRUE(log.AppendAll(more).ok());
  }
  EXPECT_EQ(std::move(log.List(0, 0)).value().size(), 604u);
  EXPECT_TRUE(log.Verify()->ok);
}

TEST_F(AuditTest, AnEditedRowIsNamed) {
  AuditLog log(store_->sql(), key_);
  for (int i = 1; i <= 4; ++i) ASSERT_TRUE(log.Append(Make(i)).ok());
  ASSERT_TRUE(
      store_->sql().Exec("UPDATE audit_log SET reason = 'nothing to see' WHERE id = 2").ok());
  auto v = log.Verify();
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->ok);
  EXPECT_EQ(v->first_broken, 2);
  EXPECT_NE(v->message.find("content"), std::string::npos);
}

TEST_F(AuditTest, ADeletedRowIsNamed) {
  AuditLog log(store_->sql(), key_);
  for (int i = 1; i <= 4; ++i) ASSERT_TRUE(log.Append(Make(i)).ok());
  ASSERT_TRUE(store_->sql().Exec("DELETE FROM audit_log WHERE id = 3").ok());
  auto v = log.Verify();
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->ok);
  EXPECT_EQ(v->first_broken, 4);
}

TEST_F(AuditTest, ARehashedRowBreaksTheNextLink) {
  AuditLog log(store_->sql(), key_);
  for (int i = 1; i <= 3; ++i) ASSERT_TRUE(log.Append(Make(i)).ok());
  Entry forged = log.List(1, 1)->front();
  forged.reason = "forged";
  std::string h = EntryHash(forged, forged.prev_hash, &key_);  // even with the key
  ASSERT_TRUE(store_->sql()
                  .Exec("UPDATE audit_log SET reason = 'forged', hash = '" + h + "' WHERE id = 2")
                  .ok());
  auto v = log.Verify();
  EXPECT_EQ(v->first_broken, 3);
}

TEST_F(AuditTest, EntriesRemovedFromTheEndAreCaughtByAHeadKeptElsewhere) {
  AuditLog log(store_->sql(), key_);
  for (int i = 1; i <= 4; ++i) ASSERT_TRUE(log.Append(Make(i)).ok());
  auto before = log.Verify();
  ASSERT_TRUE(before.ok() && before->ok);
  EXPECT_EQ(before->head.id, 4);
  Anchor kept = before->head;
  ASSERT_TRUE(store_->sql().Exec("DELETE FROM audit_log WHERE id >= 3").ok());
  EXPECT_TRUE(log.Verify()->ok);  // on its own the shorter chain still holds
  auto v = log.Verify({kept});
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->ok);
  EXPECT_EQ(v->first_broken, 4);
  EXPECT_NE(v->message.find("removed from its end"), std::string::npos) << v->message;
}

TEST_F(AuditTest, AnAnchorWhoseHashDiffersIsNamed) {
  AuditLog log(store_->sql(), key_);
  for (int i = 1; i <= 3; ++i) ASSERT_TRUE(log.Append(Make(i)).ok());
  Anchor wrong{2, std::string(64, 'a')};
  auto v = log.Verify({wrong});
  EXPECT_FALSE(v->ok);
  EXPECT_EQ(v->first_broken, 2);
  EXPECT_TRUE(log.Verify({log.Verify()->head})->ok);
}

// Someone with write access to the store but not to the key edits a row, deletes the next and
// recomputes the rest of the chain as the unkeyed chain was computed (also marking the rows as
// written before the key): verify still fails, through the key or through the published heads.
TEST_F(AuditTest, AnEditedChainRecomputedWithoutTheKeyFails) {
  if (test_support::TestsOnPostgres()) GTEST_SKIP() << "edits a copy of the SQLite file";
  auto heads_path = path_.string() + ".audit-heads";
  auto heads = std::move(HeadFile::Open(heads_path)).value();
  AuditLog log(store_->sql(), key_);
  for (int i = 1; i <= 6; ++i) {
    auto e = log.Append(Make(i));
    ASSERT_TRUE(e.ok());
    ASSERT_TRUE(heads.Publish({e->id, e->hash}).ok());
  }
  for (bool unmark : {false, true}) {
    SCOPED_TRACE(unmark ? "rows marked as from before the key" : "rows left keyed");
    auto copy = path_.string() + ".copy";
    ASSERT_TRUE(store_->sql().Exec("PRAGMA wal_checkpoint(TRUNCATE)").ok());
    std::filesystem::copy_file(path_, copy, std::filesystem::copy_options::overwrite_existing);
    auto tampered = std::move(store::Store::Open(test_support::StoreLocation(copy))).value();
    store::SqlDatabase& db = tampered->sql();
    ASSERT_TRUE(db.Exec("UPDATE audit_log SET reason = 'nothing to see' WHERE id = 3").ok());
    ASSERT_TRUE(db.Exec("DELETE FROM audit_log WHERE id = 4").ok());
    // Renumber and rehash everything from entry 3 on (from entry 1 when claiming that no entry was
    // ever keyed), as a script without the key can.
    auto rows = std::move(AuditLog(db).List(0, 0)).value();
    std::string prev(64, '0');
    int64_t id = 1;
    for (Entry e : rows) {
      int64_t old_id = e.id;
      e.id = id++;
      if (e.id >= 3 || unmark) {
        e.prev_hash = prev;
        e.hash = EntryHash(e, prev, nullptr);
        auto up =
            std::move(
                db.Prepare(
                    "UPDATE audit_log SET id = ?, prev_hash = ?, hash = ?, keyed = ? WHERE id = ?"))
                .value();
        up->Bind(1, e.id)
            .Bind(2, e.prev_hash)
            .Bind(3, e.hash)
            .Bind(4, unmark ? 0 : 1)
            .Bind(5, old_id);
        ASSERT_TRUE(up->Run().ok());
      }
      prev = e.hash;
    }
    if (unmark) {
      ASSERT_TRUE(db.Exec("UPDATE audit_log SET keyed = 0").ok());
    }
    AuditLog check(db, key_);
    auto alone = check.Verify();
    ASSERT_TRUE(alone.ok());
    if (!unmark) {  // the key alone catches it
      EXPECT_FALSE(alone->ok);
      EXPECT_EQ(alone->first_broken, 3);
    } else {  // an all-unkeyed chain holds on its own; the published heads do not
      EXPECT_TRUE(alone->ok);
      EXPECT_EQ(alone->keyed_from, 0);
    }
    auto published = std::move(ReadHeads(heads_path)).value();
    ASSERT_EQ(published.size(), 6u);
    auto v = check.Verify(published);
    ASSERT_TRUE(v.ok());
    EXPECT_FALSE(v->ok);
    EXPECT_EQ(v->first_broken, unmark ? 1 : 3) << v->message;
    tampered.reset();
    std::filesystem::remove(copy);
  }
  EXPECT_TRUE(log.Verify(std::move(ReadHeads(heads_path)).value())->ok);
}

// A store from before the key: its entries keep their unkeyed hashes, keyed ones follow, and verify
// says where the keyed part starts; an unkeyed entry after that is refused.
TEST_F(AuditTest, AnOldUnkeyedChainGoesOnKeyed) {
  std::string prev(64, '0');
  for (int i = 1; i <= 3; ++i) {
    Entry e = Make(i);
    e.id = i;
    std::string h = EntryHash(e, prev, nullptr);
    auto ins = std::move(store_->sql().Prepare("INSERT INTO audit_log (id, at, user_name, role, "
                                               "action, target, reason, detail, prev_hash, hash) "
                                               "VALUES (?,?,?,?,?,?,?,?,?,?)"))
                   .value();
    ins->Bind(1, e.id)
        .Bind(2, e.at)
        .Bind(3, e.user)
        .Bind(4, e.role)
        .Bind(5, e.action)
        .Bind(6, e.target);
    ins->Bind(7, e.reason).Bind(8, e.detail).Bind(9, prev).Bind(10, h);
    ASSERT_TRUE(ins->Run().ok());
    prev = h;
  }
  AuditLog log(store_->sql(), key_);
  auto unkeyed = log.Verify();
  ASSERT_TRUE(unkeyed.ok());
  EXPECT_TRUE(unkeyed->ok);
  EXPECT_EQ(unkeyed->keyed_from, 0);
  for (int i = 4; i <= 5; ++i) ASSERT_TRUE(log.Append(Make(i)).ok());
  auto v = log.Verify();
  EXPECT_TRUE(v->ok) << v->message;
  EXPECT_EQ(v->keyed_from, 4);
  EXPECT_FALSE(log.List(0, 0)->front().keyed);
  ASSERT_TRUE(store_->sql().Exec("UPDATE audit_log SET keyed = 0 WHERE id = 5").ok());
  auto after = log.Verify();
  EXPECT_FALSE(after->ok);
  EXPECT_EQ(after->first_broken, 5);
  // Another key does not verify the keyed part.
  std::array<unsigned char, Key::kBytes> other{};
  Key wrong = Key::FromBytes(other);
  ASSERT_TRUE(store_->sql().Exec("UPDATE audit_log SET keyed = 1 WHERE id = 5").ok());
  auto with_wrong = AuditLog(store_->sql(), wrong).Verify();
  EXPECT_FALSE(with_wrong->ok);
  EXPECT_EQ(with_wrong->first_broken, 4);
  EXPECT_FALSE(AuditLog(store_->sql()).Verify().ok());  // no key, no verdict
}

// A failed login once stored a 100 MB user name: every field is capped and made valid UTF-8.
TEST_F(AuditTest, FieldsAreCappedAndValidUtf8) {
  AuditLog log(store_->sql(), key_);
  Entry e = Make(1);
  e.target = std::string(100'000, 'x');
  e.user = "li\xFF\xFE";
  e.detail = std::string(5000, '\xE6');  // lone lead bytes
  e.reason = std::string(3000, 'a') + "杭州";
  auto stored = log.Append(e);
  ASSERT_TRUE(stored.ok());
  auto row = log.List(0, 1)->front();
  EXPECT_LE(row.target.size(), kMaxTarget + 3);
  EXPECT_LE(row.detail.size(), kMaxDetail + 3);
  EXPECT_LE(row.reason.size(), kMaxReason + 3);
  for (const std::string* f : {&row.user, &row.target, &row.detail, &row.reason})
    EXPECT_TRUE(IsValidUtf8(*f));
  EXPECT_EQ(row.user, "li\uFFFD\uFFFD");
  EXPECT_TRUE(log.Verify()->ok);
}

// The key file: made once with mode 0600, then read back; two processes' keys never differ;
// a key others may read is refused.
TEST_F(AuditTest, KeyFileIsCreatedPrivateAndReused) {
  std::string path = path_.string() + ".audit-key";
  EXPECT_EQ(Key::Load(path, false).status().code(), ErrorCode::kNotFound);
  std::vector<Result<Key>> keys(4, Status::Internal("not loaded"));
  {
    std::vector<std::thread> ts;
    for (auto& k : keys) ts.emplace_back([&k, &path] { k = Key::Load(path, true); });
    for (auto& t : ts) t.join();
  }
  for (auto& k : keys) {
    ASSERT_TRUE(k.ok()) << k.status().ToString();
    EXPECT_EQ(k->bytes(), keys[0]->bytes());
  }
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto again = Key::Load(path, false);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->bytes(), keys[0]->bytes());
  chmod(path.c_str(), 0644);
  EXPECT_EQ(Key::Load(path, true).status().code(), ErrorCode::kInvalidInput);
  chmod(path.c_str(), 0600);
  { std::ofstream(path) << "not a key\n"; }
  EXPECT_EQ(Key::Load(path, true).status().code(), ErrorCode::kInvalidInput);
}

TEST_F(AuditTest, HeadFileAppendsLinesAndNamesABadOne) {
  std::string path = path_.string() + ".audit-heads";
  EXPECT_EQ(ReadHeads(path).status().code(), ErrorCode::kNotFound);
  {
    auto a = std::move(HeadFile::Open(path)).value();
    auto b = std::move(HeadFile::Open(path)).value();
    ASSERT_TRUE(a.Publish({1, std::string(64, 'a')}).ok());
    ASSERT_TRUE(b.Publish({2, std::string(64, 'b')}).ok());
    ASSERT_TRUE(a.Publish({3, std::string(64, 'c')}).ok());
  }
  auto heads = ReadHeads(path);
  ASSERT_TRUE(heads.ok());
  ASSERT_EQ(heads->size(), 3u);
  EXPECT_EQ((*heads)[1].id, 2);
  { std::ofstream(path, std::ios::app) << "oops\n"; }
  auto bad = ReadHeads(path);
  EXPECT_EQ(bad.status().code(), ErrorCode::kInvalidInput);
  EXPECT_NE(bad.status().message().find(path + ":4"), std::string::npos) << bad.status().message();
}

TEST(Anchor, ParsesIdColonHashAndNamesWhatIsWrong) {
  auto a = ParseAnchor("12:" + std::string(64, 'f'));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->id, 12);
  EXPECT_FALSE(ParseAnchor("12").ok());
  EXPECT_FALSE(ParseAnchor("x:" + std::string(64, 'f')).ok());
  EXPECT_NE(ParseAnchor("12:abc").status().message().find("ID:HASH"), std::string::npos);
}

}  // namespace
}  // namespace fanzha::audit
