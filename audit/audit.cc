#include "audit/audit.h"

#include <map>

#include <sodium.h>

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
    "id, at, user_name, role, action, target, reason, detail, prev_hash, hash";

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
  return e;
}

}  // namespace

std::string EntryHash(const Entry& e, const std::string& prev_hash) {
  crypto_generichash_state st;
  crypto_generichash_init(&st, nullptr, 0, 32);
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

Result<Entry> AuditLog::AppendInTransaction(Entry e) {
  FANZHA_ASSIGN_OR_RETURN(auto last, db_.Prepare("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1"));
  FANZHA_ASSIGN_OR_RETURN(bool row, last->Step());
  e.id = row ? last->ColumnInt64(0) + 1 : 1;
  e.prev_hash = row ? last->ColumnString(1) : kGenesis;
  e.hash = EntryHash(e, e.prev_hash);
  FANZHA_ASSIGN_OR_RETURN(auto ins, db_.Prepare(std::string("INSERT INTO audit_log (") + kColumns +
                                                ") VALUES (?,?,?,?,?,?,?,?,?,?)"));
  ins->Bind(1, e.id).Bind(2, e.at).Bind(3, e.user).Bind(4, e.role).Bind(5, e.action);
  ins->Bind(6, e.target).Bind(7, e.reason).Bind(8, e.detail).Bind(9, e.prev_hash).Bind(10, e.hash);
  FANZHA_RETURN_IF_ERROR(ins->Run());
  return e;
}

Result<Entry> AuditLog::Append(Entry e) {
  if (db_.InTransaction()) return AppendInTransaction(std::move(e));
  FANZHA_ASSIGN_OR_RETURN(auto tx, store::SqlTransaction::Begin(&db_));
  FANZHA_ASSIGN_OR_RETURN(Entry stored, AppendInTransaction(std::move(e)));
  FANZHA_RETURN_IF_ERROR(tx.Commit());
  return stored;
}

Result<std::vector<Entry>> AuditLog::List(int64_t after, size_t limit) {
  FANZHA_ASSIGN_OR_RETURN(auto s, db_.Prepare(std::string("SELECT ") + kColumns +
                                              " FROM audit_log WHERE id > ? ORDER BY id LIMIT ?"));
  s->Bind(1, after).Bind(2, limit == 0 ? INT64_MAX : static_cast<int64_t>(limit));
  std::vector<Entry> out;
  while (true) {
    FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    out.push_back(ReadRow(*s));
  }
  return out;
}

Result<Anchor> ParseAnchor(std::string_view text) {
  size_t colon = text.find(':');
  Anchor a;
  std::string id(text.substr(0, colon == std::string_view::npos ? 0 : colon));
  if (colon != std::string_view::npos) a.hash = std::string(text.substr(colon + 1));
  bool digits = !id.empty() && id.find_first_not_of("0123456789") == std::string::npos && id.size() < 18;
  if (!digits || a.hash.size() != 64 || a.hash.find_first_not_of("0123456789abcdef") != std::string::npos)
    return Status::Invalid("anchor '" + std::string(text) + "': expected ID:HASH (an entry id, ':', 64 hex digits)");
  a.id = std::stoll(id);
  return a;
}

Result<Verification> AuditLog::Verify(const std::vector<Anchor>& anchors) {
  FANZHA_ASSIGN_OR_RETURN(auto s, db_.Prepare(std::string("SELECT ") + kColumns +
                                              " FROM audit_log ORDER BY id"));
  Verification v;
  auto broken = [&v](int64_t id, const std::string& why) {
    v.ok = false;
    v.first_broken = id;
    v.message = "audit entry " + std::to_string(id) + ": " + why;
    return v;
  };
  std::map<int64_t, std::string> anchored;
  for (const Anchor& a : anchors) anchored[a.id] = a.hash;
  std::string prev = kGenesis;
  int64_t expected_id = 1;
  while (true) {
    FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    Entry e = ReadRow(*s);
    ++v.entries;
    if (e.id != expected_id) return broken(e.id, "entry " + std::to_string(expected_id) + " is missing");
    if (e.prev_hash != prev) return broken(e.id, "its link to the entry before does not match");
    if (EntryHash(e, prev) != e.hash) return broken(e.id, "its content does not match its hash");
    if (auto a = anchored.find(e.id); a != anchored.end() && a->second != e.hash)
      return broken(e.id, "its hash is not the one kept elsewhere (" + a->second + ")");
    prev = e.hash;
    v.head = Anchor{e.id, e.hash};
    ++expected_id;
  }
  if (!anchored.empty() && anchored.rbegin()->first > v.head.id) {
    return broken(anchored.rbegin()->first,
                  "kept elsewhere, but the log ends at entry " + std::to_string(v.head.id) +
                      ": entries were removed from its end");
  }
  return v;
}

}  // namespace fanzha::audit
