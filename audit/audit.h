// The audit log: every read of personal data and every change, with who, when, what and why,
// kept so that it cannot be altered without detection.
//
// Tamper evidence. Entries form a hash chain: each stores the hash of the entry before it
// (`prev_hash`, 64 zeros for the first) and its own `hash` = keyed BLAKE2b-256 (libsodium
// crypto_generichash with a 32-byte Key) over prev_hash and every field of the entry, each
// length-prefixed. The key lives in a file outside the store (Key::Load): someone who can write
// the store but cannot read the key file cannot recompute the chain after editing it. Verify()
// recomputes the chain and names the first entry whose content, link or position does not match:
// an edited, deleted or inserted row breaks the chain there.
//
// Removing entries from the end leaves a shorter valid chain. To catch that, the head of the chain
// is published to an append-only file (HeadFile: "ID:HASH" lines, opened O_APPEND; make it
// append-only for the store's owner with `chattr +a`, or keep it on another machine), and Verify()
// checks the chain against every head there (and against heads kept anywhere else, e.g. printed
// in a report: an Anchor). A head past the end of the chain means entries were removed.
//
// Stores from before the key (schema migration 9) hold entries hashed without one (`keyed` false):
// Verify() checks their chain as before and says where the keyed part starts (`keyed_from`); an
// entry without the key after a keyed one is broken. The unkeyed part is only as trustworthy as
// the heads kept of it.
//
// Bounded fields. Append() makes every field valid UTF-8 (core/text.h ValidUtf8) and caps it
// (kMax* below, cut at a character boundary with "…"): what a client sends never grows a row
// beyond a few kilobytes.
//
// Table audit_log (migrations 6 and 9, auth/schema/; audit/ owns it). Threads: an AuditLog is
// thread-compatible, like the SqlDatabase it writes to; Append() runs in its own IMMEDIATE
// transaction, or as part of the caller's open transaction (so that a change and its entry commit
// together), so appenders in several processes are serialised by SQLite. A HeadFile may be
// written by several threads and processes at once (one write(2) per head).
#pragma once

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "store/store.h"

namespace fanzha::audit {

// What Append() keeps of each field, in bytes.
inline constexpr size_t kMaxUser = 128, kMaxRole = 32, kMaxAction = 64, kMaxTarget = 256,
                        kMaxReason = 1024, kMaxDetail = 1024;

struct Entry {
  int64_t id = 0;    // set by Append: 1, 2, 3 ... in order
  Millis at = 0;     // when
  std::string user;  // who ("" for an unauthenticated request)
  std::string role;
  std::string action;     // what: "case.trace", "freeze.move", "login" ... (docs/API.md)
  std::string target;     // which record: a case id, "order 12", a user name
  std::string reason;     // why, as the user gave it
  std::string detail;     // anything else worth keeping (query, outcome), short text
  std::string prev_hash;  // set by Append
  std::string hash;       // set by Append
  bool keyed = true;      // set by Append; false only for entries from before the key
};

// An entry as `fanzha audit list --json` and GET /api/audit show it: {"id", "at" (RFC 3339),
// "user", "role", "action", "target", "reason", "detail", "hash"}.
nlohmann::ordered_json ToJson(const Entry& e);

// The chain's secret: 32 bytes, kept in a file outside the store.
class Key {
 public:
  static constexpr size_t kBytes = 32;
  // Reads the key file at `path` (64 hex digits, a newline). When it does not exist and `create`
  // is set, makes it: 32 random bytes, mode 0600, put in place atomically (of two processes
  // creating it at once, one key wins and both use it). Errors: kNotFound when it does not exist
  // and !create; kIoError naming the file when it cannot be read or made; kInvalidInput when it
  // holds no key, or when group or others may read or write it (chmod 600 it).
  static Result<Key> Load(const std::string& path, bool create);
  // A key from its bytes (tests, tools).
  static Key FromBytes(const std::array<unsigned char, kBytes>& bytes);
  const std::array<unsigned char, kBytes>& bytes() const { return bytes_; }

 private:
  std::array<unsigned char, kBytes> bytes_{};
};

// Where the key and the head file of the store at `db` are when no one says: beside it,
// "<db>.audit-key" and "<db>.audit-heads". A default only: keep them where the store's writers
// cannot reach (docs/SECURITY.md).
struct Files {
  std::string key;
  std::string heads;
};
Files DefaultFiles(const std::string& db);

// The hash of `e` chained after `prev_hash` (lower-case hex, 64 chars): keyed with `key`, or
// without one (nullptr) as entries from before the key were. Uses every field but e.prev_hash,
// e.hash and e.keyed.
std::string EntryHash(const Entry& e, const std::string& prev_hash, const Key* key);

// A point of the chain kept outside the store: entry `id` had hash `hash`.
struct Anchor {
  int64_t id = 0;
  std::string hash;
};
// "ID:HASH" (as Verification::head prints it); kInvalidInput otherwise.
Result<Anchor> ParseAnchor(std::string_view text);

// The append-only file heads are published to.
class HeadFile {
 public:
  // Opens `path` for appending (O_APPEND), creating it with mode 0600. kIoError naming it.
  static Result<HeadFile> Open(const std::string& path);
  HeadFile(HeadFile&& other) noexcept : fd_(other.fd_), path_(std::move(other.path_)) {
    other.fd_ = -1;
  }
  HeadFile& operator=(HeadFile&&) = delete;
  ~HeadFile();
  // Appends "ID:HASH\n" with one write(2): lines of several writers never mix. Publish a head only
  // once its entry is committed. kIoError naming the file. Cost: one system call, no fsync.
  Status Publish(const Anchor& head);
  const std::string& path() const { return path_; }

 private:
  HeadFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_;
  std::string path_;
};

// The heads of a head file, in file order. kNotFound when the file does not exist; kInvalidInput
// naming file:line for a line that is not "ID:HASH"; kIoError when it cannot be read.
Result<std::vector<Anchor>> ReadHeads(const std::string& path);

struct Verification {
  bool ok = true;
  int64_t entries = 0;       // entries checked
  int64_t first_broken = 0;  // id of the first entry that does not verify; 0 when ok
  std::string message;       // what is wrong with it
  Anchor head;               // the last entry, to keep elsewhere (id 0 for an empty log)
  int64_t keyed_from = 0;    // the first entry hashed with the key; 0 when none is
};

class AuditLog {
 public:
  // For List(), and Verify() of a chain without keyed entries: Append() needs the key.
  explicit AuditLog(store::SqlDatabase& db) : db_(db) {}
  // `key` must outlive the log.
  AuditLog(store::SqlDatabase& db, const Key& key) : db_(db), key_(&key) {}

  // Appends `e` (fields made valid UTF-8 and capped; id, prev_hash, hash and keyed filled in) and
  // returns it as stored. Inside an open transaction of `db` it is part of it (a savepoint): the
  // entry is stored when that transaction commits, never without the change beside it. kIoError
  // when the store cannot be written; kInvalidInput without a key. Cost: one indexed read and one
  // insert.
  Result<Entry> Append(Entry e);
  // Appends `entries` in their order, as Append() each but in one transaction and one insert (a
  // group commit: the server's reads, audited by many threads at once, wait for one commit
  // together). Fills in each entry as stored; nothing is stored on error. Cost: one indexed read
  // and one insert of entries.size() rows.
  // `last`, when given, is the chain's last entry as the caller last saw it (a server's own head):
  // the entries are linked to it without reading the store, and to the stored last entry only
  // when another writer appended since (the id is taken: kConflict, tried again).
  Status AppendAll(std::vector<Entry>& entries, const Anchor* last = nullptr);

  // Entries with id > after, oldest first, at most `limit` (0: all).
  Result<std::vector<Entry>> List(int64_t after, size_t limit);
  // The entries about `target` (a case id, "order 12"), oldest first. An index lookup.
  Result<std::vector<Entry>> About(const std::string& target);

  // Recomputes the whole chain (entries from before the key without it, the rest with it), and
  // checks that the entries of `anchors` are still in it with their hashes (an anchor past the
  // end: entries were removed from the end). kInvalidInput without a key when an entry is keyed.
  // O(entries + anchors).
  Result<Verification> Verify(const std::vector<Anchor>& anchors = {});

 private:
  // The chain's last stored entry ({0, 64 zeros} when it is empty).
  Result<Anchor> StoredLast();
  // Links `entries` to the chain's last entry (`*last` first, when given) and inserts them in one
  // statement.
  Status InsertLinked(std::span<Entry> entries, const Anchor* last);

  store::SqlDatabase& db_;
  const Key* key_ = nullptr;
};

}  // namespace fanzha::audit
