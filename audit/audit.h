// The audit log: every read of personal data and every change, with who, when, what and why,
// kept so that it cannot be altered without detection.
//
// Tamper evidence. Entries form a hash chain: each stores the hash of the entry before it
// (`prev_hash`, 64 zeros for the first) and its own `hash` = BLAKE2b-256 (libsodium
// crypto_generichash) over prev_hash and every field of the entry, each length-prefixed. Verify()
// recomputes the chain and names the first entry whose content, link or position does not match:
// an edited, deleted or inserted row breaks the chain there. Removing entries from the end leaves
// a shorter valid chain: to catch that, keep the head (`Verification::head`, printed by `fanzha
// audit verify`) somewhere else — a daily report, a second store, paper — and verify against it
// later (an Anchor): the entry it names must still be there with the same hash.
//
// Table audit_log (migration "audit" in store/schema.cc). Threads: an AuditLog is
// thread-compatible, like the SqlDatabase it writes to; Append() runs in its own IMMEDIATE
// transaction (unless one is open), so appenders in several processes are serialised by SQLite.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "store/store.h"

namespace fanzha::audit {

struct Entry {
  int64_t id = 0;       // set by Append: 1, 2, 3 ... in order
  Millis at = 0;        // when
  std::string user;     // who ("" for an unauthenticated request)
  std::string role;
  std::string action;   // what: "case.trace", "freeze.move", "login" ... (docs/API.md)
  std::string target;   // which record: a case id, "order 12", a user name
  std::string reason;   // why, as the user gave it
  std::string detail;   // anything else worth keeping (query, outcome), short text
  std::string prev_hash;  // set by Append
  std::string hash;       // set by Append
};

// The hash of `e` chained after `prev_hash` (lower-case hex, 64 chars). Uses every field but
// e.prev_hash and e.hash.
std::string EntryHash(const Entry& e, const std::string& prev_hash);

// A point of the chain kept outside the store: entry `id` had hash `hash`.
struct Anchor {
  int64_t id = 0;
  std::string hash;
};
// "ID:HASH" (as Verification::head prints it); kInvalidInput otherwise.
Result<Anchor> ParseAnchor(std::string_view text);

struct Verification {
  bool ok = true;
  int64_t entries = 0;       // entries checked
  int64_t first_broken = 0;  // id of the first entry that does not verify; 0 when ok
  std::string message;       // what is wrong with it
  Anchor head;               // the last entry, to keep elsewhere (id 0 for an empty log)
};

class AuditLog {
 public:
  explicit AuditLog(store::SqlDatabase& db) : db_(db) {}

  // Appends `e` (its id, prev_hash and hash are filled in) and returns it as stored. kIoError
  // when the store cannot be written. Cost: one indexed read and one insert.
  Result<Entry> Append(Entry e);

  // Entries with id > after, oldest first, at most `limit` (0: all).
  Result<std::vector<Entry>> List(int64_t after, size_t limit);

  // Recomputes the whole chain, and checks that the entries of `anchors` are still in it with
  // their hashes (an anchor past the end: entries were removed from the end). O(entries).
  Result<Verification> Verify(const std::vector<Anchor>& anchors = {});

 private:
  Result<Entry> AppendInTransaction(Entry e);
  store::SqlDatabase& db_;
};

}  // namespace fanzha::audit
