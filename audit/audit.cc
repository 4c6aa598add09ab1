#include "audit/audit.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>

#include "core/text.h"

namespace fanzha::audit {
namespace {

const std::string kGenesis(64, '0');

void Absorb(crypto_generichash_state* st, std::string_view field) {
  uint64_t n = field.size();
  unsigned char len[8];
  for (int i = 0; i < 8; ++i) len[i] = static_cast<unsigned char>(n >> (8 * i));
  crypto_generichash_update(st, len, sizeof len);
  crypto_generichash_update(st, reinterpret_cast<const unsigned char*>(field.data()), field.size());
}

constexpr const char* kColumns =
    "id, at, user_name, role, action, target, reason, detail, prev_hash, hash, keyed";

Entry ReadRow(const store::SqlStatement& s) {
  Entry e;
  e.id = s.ColumnInt64(0);
  e.at = s.ColumnInt64(1);
  e.user = s.ColumnString(2);
  e.role = s.ColumnString(3);
  e.action = s.ColumnString(4);
  e.target = s.ColumnString(5);
  e.reason = s.ColumnString(6);
  e.detail = s.ColumnString(7);
  e.prev_hash = s.ColumnString(8);
  e.hash = s.ColumnString(9);
  e.keyed = s.ColumnInt64(10) != 0;
  return e;
}

std::string Bounded(std::string_view text, size_t max_bytes) {
  return Utf8Prefix(ValidUtf8(text), max_bytes);
}

Status NeedsKey(const char* what) {
  return Status::Invalid(std::string("the audit key is needed to ") + what +
                         " (--audit-key FILE or FANZHA_AUDIT_KEY)")
      .WithZh(std::string("需要审计密钥（--audit-key 或 FANZHA_AUDIT_KEY）才能") +
              (std::string(what) == "append" ? "写入审计日志" : "校验审计日志"));
}

Status IoError(const std::string& path, const char* what, const char* what_zh) {
  const std::string why = std::strerror(errno);
  return Status::Io(path + ": cannot " + what + ": " + why)
      .WithZh(path + "：无法" + what_zh + "：" + why);
}

Result<Key> ReadKey(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT)
      return Status::NotFound(path + ": no audit key file").WithZh(path + "：审计密钥文件不存在");
    return IoError(path, "read the audit key", "读取审计密钥");
  }
  if ((st.st_mode & 077) != 0) {
    return Status::Invalid(path +
                           ": the audit key may be read or written by other users: chmod 600 it")
        .WithZh(path + "：审计密钥文件对其他用户可读写，请执行 chmod 600");
  }
  std::ifstream in(path);
  std::string hex;
  if (!in || !std::getline(in, hex)) return IoError(path, "read the audit key", "读取审计密钥");
  std::array<unsigned char, Key::kBytes> bytes;
  size_t got = 0;
  if (hex.size() != 2 * Key::kBytes ||
      sodium_hex2bin(bytes.data(), bytes.size(), hex.data(), hex.size(), nullptr, &got, nullptr) !=
          0 ||
      got != Key::kBytes) {
    return Status::Invalid(path + ": not an audit key (64 hex digits)")
        .WithZh(path + "：不是审计密钥（须为 64 位十六进制数字）");
  }
  return Key::FromBytes(bytes);
}

// A new key written to a private temporary file, then linked into place: link() fails when the
// name exists, so a key that appears is always whole and only one can win.
Status CreateKey(const std::string& path) {
  std::array<unsigned char, Key::kBytes> bytes;
  randombytes_buf(bytes.data(), bytes.size());
  char hex[2 * Key::kBytes + 1];
  sodium_bin2hex(hex, sizeof hex, bytes.data(), bytes.size());
  std::string text = std::string(hex) + "\n";
  sodium_memzero(bytes.data(), bytes.size());
  std::string tmp =
      path + ".new." + std::to_string(::getpid()) + "." + std::to_string(randombytes_random());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return IoError(tmp, "create the audit key", "创建审计密钥");
  bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                 ::fsync(fd) == 0;
  ::close(fd);
  sodium_memzero(text.data(), text.size());
  if (!written) {
    ::unlink(tmp.c_str());
    return IoError(tmp, "write the audit key", "写入审计密钥");
  }
  int linked = ::link(tmp.c_str(), path.c_str());
  int link_errno = errno;
  ::unlink(tmp.c_str());
  if (linked != 0 && link_errno != EEXIST) {
    errno = link_errno;
    return IoError(path, "create the audit key", "创建审计密钥");
  }
  return Status::Ok();
}

}  // namespace

Result<Key> Key::Load(const std::string& path, bool create) {
  if (sodium_init() < 0) return Status::Internal("libsodium could not be initialised");
  Result<Key> key = ReadKey(path);
  if (key.ok() || key.status().code() != ErrorCode::kNotFound || !create) return key;
  FANZHA_RETURN_IF_ERROR(CreateKey(path));
  return ReadKey(path);
}

Key Key::FromBytes(const std::array<unsigned char, kBytes>& bytes) {
  Key k;
  k.bytes_ = bytes;
  return k;
}

Files DefaultFiles(const std::string& db) { return {db + ".audit-key", db + ".audit-heads"}; }

std::string EntryHash(const Entry& e, const std::string& prev_hash, const Key* key) {
  crypto_generichash_state st;
  crypto_generichash_init(&st, key ? key->bytes().data() : nullptr, key ? Key::kBytes : 0, 32);
  Absorb(&st, prev_hash);
  Absorb(&st, std::to_string(e.id));
  Absorb(&st, std::to_string(e.at));
  for (const std::string* f : {&e.user, &e.role, &e.action, &e.target, &e.reason, &e.detail}) {
    Absorb(&st, *f);
  }
  unsigned char out[32];
  crypto_generichash_final(&st, out, sizeof out);
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, out, sizeof out);
  return hex;
}

Result<Entry> AuditLog::Append(Entry e) {
  std::vector<Entry> one;
  one.push_back(std::move(e));
  FANZHA_RETURN_IF_ERROR(AppendAll(one));
  return std::move(one.front());
}

Status AuditLog::AppendAll(std::vector<Entry>& entries, const Anchor* last) {
  if (!key_) return NeedsKey("append");
  for (Entry& e : entries) {
    e.user = Bounded(e.user, kMaxUser);
    e.role = Bounded(e.role, kMaxRole);
    e.action = Bounded(e.action, kMaxAction);
    e.target = Bounded(e.target, kMaxTarget);
    e.reason = Bounded(e.reason, kMaxReason);
    e.detail = Bounded(e.detail, kMaxDetail);
    e.keyed = true;
  }
  FANZHA_ASSIGN_OR_RETURN(auto tx, store::SqlTransaction::Begin(&db_));
  // One insert a chunk: a round trip on PostgreSQL, however many entries a group commit brings;
  // 10 parameters a row, well under SQLite's 32,766 a statement.
  constexpr size_t kChunk = 256;
  Anchor chunk_end;
  for (size_t from = 0; from < entries.size(); from += kChunk) {
    std::span<Entry> chunk(entries.data() + from, std::min(kChunk, entries.size() - from));
    FANZHA_RETURN_IF_ERROR(InsertLinked(chunk, last));
    chunk_end = {chunk.back().id, chunk.back().hash};
    last = &chunk_end;
  }
  return tx.Commit();
}

Result<Anchor> AuditLog::StoredLast() {
  FANZHA_ASSIGN_OR_RETURN(auto last,
                          db_.Prepare("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1"));
  FANZHA_ASSIGN_OR_RETURN(bool row, last->Step());
  if (!row) return Anchor{0, kGenesis};
  return Anchor{last->ColumnInt64(0), last->ColumnString(1)};
}

Status AuditLog::InsertLinked(std::span<Entry> entries, const Anchor* last_seen) {
  std::string rows;
  for (size_t i = 0; i < entries.size(); ++i)
    rows += i ? ",(?,?,?,?,?,?,?,?,?,?,1)" : "(?,?,?,?,?,?,?,?,?,?,1)";
  FANZHA_ASSIGN_OR_RETURN(auto ins, db_.Prepare(std::string("INSERT INTO audit_log (") + kColumns +
                                                ") VALUES " + rows));
  // The entries take the next ids after the last and link to it and to each other. Writers on one
  // SQLite file are serialised; on PostgreSQL several nodes append at once: the second to take an
  // id waits for the first's transaction, then finds the id taken (kConflict) and links to the new
  // last entry instead (each statement reads what has committed), so the chain stays one chain.
  constexpr int kAttempts = 1000;
  for (int attempt = 1;; ++attempt) {
    Anchor last;
    if (attempt == 1 && last_seen && last_seen->id > 0) {
      last = *last_seen;  // read only when another writer has appended since
    } else {
      FANZHA_ASSIGN_OR_RETURN(last, StoredLast());
    }
    int64_t id = last.id;
    std::string prev = std::move(last.hash);
    int param = 1;
    for (Entry& e : entries) {
      e.id = ++id;
      e.prev_hash = std::move(prev);
      e.hash = EntryHash(e, e.prev_hash, key_);
      prev = e.hash;
      ins->Bind(param, e.id).Bind(param + 1, e.at).Bind(param + 2, e.user).Bind(param + 3, e.role);
      ins->Bind(param + 4, e.action).Bind(param + 5, e.target).Bind(param + 6, e.reason);
      ins->Bind(param + 7, e.detail).Bind(param + 8, e.prev_hash).Bind(param + 9, e.hash);
      param += 10;
    }
    Status st = ins->Run();
    if (st.ok()) return st;
    ins->Reset();
    if (st.code() != ErrorCode::kConflict || attempt == kAttempts) return st;
  }
}

Result<std::vector<Entry>> AuditLog::List(int64_t after, size_t limit) {
  FANZHA_ASSIGN_OR_RETURN(auto s, db_.Prepare(std::string("SELECT ") + kColumns +
                                              " FROM audit_log WHERE id > ? ORDER BY id LIMIT ?"));
  s->Bind(1, after).Bind(2, limit == 0 ? INT64_MAX : static_cast<int64_t>(limit));
  return store::ReadRows<Entry>(*s, ReadRow);
}

Result<std::vector<Entry>> AuditLog::About(const std::string& target) {
  FANZHA_ASSIGN_OR_RETURN(auto s, db_.Prepare(std::string("SELECT ") + kColumns +
                                              " FROM audit_log WHERE target = ? ORDER BY id"));
  s->Bind(1, target);
  return store::ReadRows<Entry>(*s, ReadRow);
}

Result<Anchor> ParseAnchor(std::string_view text) {
  size_t colon = text.find(':');
  Anchor a;
  std::string id(text.substr(0, colon == std::string_view::npos ? 0 : colon));
  if (colon != std::string_view::npos) a.hash = std::string(text.substr(colon + 1));
  bool digits =
      !id.empty() && id.find_first_not_of("0123456789") == std::string::npos && id.size() < 18;
  if (!digits || a.hash.size() != 64 ||
      a.hash.find_first_not_of("0123456789abcdef") != std::string::npos)
    return Status::Invalid("anchor '" + Bounded(text, 100) +
                           "': expected ID:HASH (an entry id, ':', 64 hex digits)")
        .WithZh("锚点 '" + Bounded(text, 100) +
                "' 格式应为 ID:HASH（日志条目编号、':'、64 位十六进制数字）");
  a.id = std::stoll(id);
  return a;
}

Result<HeadFile> HeadFile::Open(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return IoError(path, "open the audit head file", "打开审计链头文件");
  return HeadFile(fd, path);
}

HeadFile::~HeadFile() {
  if (fd_ >= 0) ::close(fd_);
}

Status HeadFile::Publish(const Anchor& head) {
  std::string line = std::to_string(head.id) + ":" + head.hash + "\n";
  ssize_t n = ::write(fd_, line.data(), line.size());
  if (n != static_cast<ssize_t>(line.size()))
    return IoError(path_, "append to the audit head file", "追加写入审计链头文件");
  return Status::Ok();
}

Result<std::vector<Anchor>> ReadHeads(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0 && errno == ENOENT)
    return Status::NotFound(path + ": no audit head file").WithZh(path + "：审计链头文件不存在");
  std::ifstream in(path);
  if (!in) return IoError(path, "read the audit head file", "读取审计链头文件");
  std::vector<Anchor> out;
  std::string line;
  for (int64_t n = 1; std::getline(in, line); ++n) {
    if (line.empty()) continue;
    Result<Anchor> a = ParseAnchor(line);
    if (!a.ok()) return a.status().WithContext(path + ":" + std::to_string(n));
    out.push_back(std::move(*a));
  }
  return out;
}

Result<Verification> AuditLog::Verify(const std::vector<Anchor>& anchors) {
  FANZHA_ASSIGN_OR_RETURN(
      auto s, db_.Prepare(std::string("SELECT ") + kColumns + " FROM audit_log ORDER BY id"));
  Verification v;
  auto broken = [&v](int64_t id, const std::string& why) {
    v.ok = false;
    v.first_broken = id;
    v.message = "audit entry " + std::to_string(id) + ": " + why;
    return v;
  };
  std::map<int64_t, std::string> anchored;
  for (const Anchor& a : anchors) {
    auto [it, added] = anchored.emplace(a.id, a.hash);
    if (!added && it->second != a.hash)
      return broken(a.id,
                    "two different hashes were kept of it (" + it->second + ", " + a.hash + ")");
  }
  std::string prev = kGenesis;
  int64_t expected_id = 1;
  while (true) {
    FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    Entry e = ReadRow(*s);
    ++v.entries;
    if (e.id != expected_id)
      return broken(e.id, "entry " + std::to_string(expected_id) + " is missing");
    if (e.prev_hash != prev) return broken(e.id, "its link to the entry before does not match");
    if (e.keyed && !key_) return NeedsKey("verify");
    if (e.keyed && v.keyed_from == 0) v.keyed_from = e.id;
    if (!e.keyed && v.keyed_from != 0)
      return broken(e.id, "written without the key after the chain was keyed (from entry " +
                              std::to_string(v.keyed_from) + ")");
    if (EntryHash(e, prev, e.keyed ? key_ : nullptr) != e.hash) {
      return broken(e.id, e.keyed
                              ? "its content does not match its hash under the audit key (edited, "
                                "or the key is not this store's)"
                              : "its content does not match its hash");
    }
    if (auto a = anchored.find(e.id); a != anchored.end() && a->second != e.hash)
      return broken(e.id, "its hash is not the one kept elsewhere (" + a->second + ")");
    prev = e.hash;
    v.head = Anchor{e.id, e.hash};
    ++expected_id;
  }
  if (!anchored.empty() && anchored.rbegin()->first > v.head.id) {
    return broken(anchored.rbegin()->first, "kept elsewhere, but the log ends at entry " +
                                                std::to_string(v.head.id) +
                                                ": entries were removed from its end");
  }
  return v;
}

nlohmann::ordered_json ToJson(const Entry& e) {
  return {{"id", e.id},         {"at", FormatTime(e.at)}, {"user", e.user},
          {"role", e.role},     {"action", e.action},     {"target", e.target},
          {"reason", e.reason}, {"detail", e.detail},     {"hash", e.hash}};
}

}  // namespace fanzha::audit
