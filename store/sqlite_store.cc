// Store on SQLite. Layout (store/schema.cc): accounts carry an integer key that transfers refer to,
// so a transfer row costs a few dozen bytes; cases keep identifiers and listed transfers in tables
// of their own, indexed for linking.
#include <nlohmann/json.hpp>
#include <cstring>
#include <map>
#include <optional>
#include <unordered_map>

#include "store/schema.h"
#include "store/sqlite_database.h"
#include "store/store.h"

namespace fanzha::store {
namespace {

// ---- value conversions ----

int ChannelCode(Channel c) {
  switch (c) {
    case Channel::kTransfer: return 0;
    case Channel::kWithdrawal: return 1;
    case Channel::kDeposit: return 2;
    case Channel::kPurchase: return 3;
  }
  return 0;
}
Channel ChannelFromCode(int64_t code) {
  switch (code) {
    case 1: return Channel::kWithdrawal;
    case 2: return Channel::kDeposit;
    case 3: return Channel::kPurchase;
    default: return Channel::kTransfer;
  }
}

std::string EncodeAttributes(const std::vector<std::pair<std::string, std::string>>& attrs) {
  if (attrs.empty()) return "";
  nlohmann::json j = nlohmann::json::array();
  for (const auto& [k, v] : attrs) j.push_back({k, v});
  // Importers store only UTF-8; a byte that is not becomes U+FFFD here rather than an exception.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}
std::vector<std::pair<std::string, std::string>> DecodeAttributes(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> out;
  if (text.empty()) return out;
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_array()) return out;
  for (const auto& kv : j) {
    if (kv.is_array() && kv.size() == 2 && kv[0].is_string() && kv[1].is_string())
      out.emplace_back(kv[0].get<std::string>(), kv[1].get<std::string>());
  }
  return out;
}

// ---- comparison and description of records, for kUnchanged vs kConflict ----

void Diff(std::vector<std::string>* d, const char* field, bool same) {
  if (!same) d->push_back(field);
}

std::vector<std::string> DiffAccounts(const Account& a, const Account& b) {
  std::vector<std::string> d;
  Diff(&d, "holder", a.holder == b.holder);
  Diff(&d, "institution", a.institution == b.institution);
  Diff(&d, "region", a.region == b.region);
  Diff(&d, "kind", a.kind == b.kind);
  Diff(&d, "opening_balance", a.opening_balance == b.opening_balance);
  Diff(&d, "attributes", a.attributes == b.attributes);
  return d;
}

std::vector<std::string> DiffTransfers(const Transfer& a, const Transfer& b) {
  std::vector<std::string> d;
  Diff(&d, "time", a.time == b.time);
  Diff(&d, "from", a.from == b.from);
  Diff(&d, "to", a.to == b.to);
  Diff(&d, "amount", a.amount == b.amount);
  Diff(&d, "channel", a.channel == b.channel);
  Diff(&d, "memo", a.memo == b.memo);
  Diff(&d, "ip", a.ip == b.ip);
  Diff(&d, "device", a.device == b.device);
  Diff(&d, "currency", a.currency == b.currency);
  return d;
}

bool SameIdentifiers(const std::vector<Identifier>& a, const std::vector<Identifier>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].type != b[i].type || a[i].raw != b[i].raw || a[i].value != b[i].value ||
        a[i].valid != b[i].valid)
      return false;
  }
  return true;
}

std::vector<std::string> DiffCases(const Case& a, const Case& b) {
  std::vector<std::string> d;
  Diff(&d, "reported_at", a.reported_at == b.reported_at);
  Diff(&d, "region", a.region == b.region);
  Diff(&d, "category", a.category == b.category);
  Diff(&d, "loss", a.loss == b.loss);
  Diff(&d, "narrative", a.narrative == b.narrative);
  Diff(&d, "victim", a.victim.name == b.victim.name && a.victim.phone == b.victim.phone &&
                         a.victim.account == b.victim.account);
  Diff(&d, "transfers", a.transfers == b.transfers);
  Diff(&d, "identifiers", SameIdentifiers(a.identifiers, b.identifiers));
  return d;
}

// For messages: a stored byte that is not UTF-8 (a store filled before imports checked) shows as
// U+FFFD instead of throwing.
std::string Quote(std::string_view s) {
  return nlohmann::json(std::string(s))
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string Describe(const Account& a) {
  return "{holder=" + Quote(a.holder) + " institution=" + Quote(a.institution) +
         " region=" + Quote(a.region) + " kind=" + std::string(Name(a.kind)) +
         " opening_balance=" + FormatMoney(a.opening_balance) +
         " attributes=" + Quote(EncodeAttributes(a.attributes)) + "}";
}
std::string Describe(const Transfer& t) {
  return "{time=" + FormatTime(t.time) + " from=" + Quote(t.from) + " to=" + Quote(t.to) +
         " amount=" + FormatMoney(t.amount) + " channel=" + std::string(Name(t.channel)) +
         " memo=" + Quote(t.memo) + " ip=" + Quote(t.ip) + " device=" + Quote(t.device) +
         (t.currency == "CNY" ? "" : " currency=" + Quote(t.currency)) + "}";
}
std::string Describe(const Case& c) {
  std::string s = "{reported_at=" + FormatTime(c.reported_at) + " region=" + Quote(c.region) +
                  " category=" + Quote(c.category) +
                  " loss=" + (c.loss ? FormatMoney(*c.loss) : std::string("(none)")) +
                  " victim=" + Quote(c.victim.name + "/" + c.victim.phone + "/" + c.victim.account) +
                  " transfers=[";
  for (size_t i = 0; i < c.transfers.size(); ++i) s += (i ? "," : "") + c.transfers[i];
  s += "] identifiers=[";
  for (size_t i = 0; i < c.identifiers.size(); ++i)
    s += (i ? "," : "") + std::string(Name(c.identifiers[i].type)) + ":" + c.identifiers[i].value;
  return s + "]}";
}

template <typename R>
Result<PutOutcome> Compare(const char* what, std::string_view id, const R& stored, const R& fresh,
                           std::vector<std::string> diff) {
  if (diff.empty()) return PutOutcome::kUnchanged;
  std::string fields;
  for (const auto& f : diff) fields += (fields.empty() ? "" : ", ") + f;
  return Status::Conflict(std::string(what) + " '" + std::string(id) +
                          "' is already stored with different " + fields +
                          ": stored " + Describe(stored) + ", new " + Describe(fresh));
}

// Account id -> integer key for the duration of an import: open addressing, ids of up to 20 bytes
// (card numbers) kept in the slot and longer ones in one text arena, no allocation per account and
// one probe (usually one cache miss) per lookup.
class KeyCache {
 public:
  // 0 when absent (keys are rowids, never 0).
  int64_t Find(std::string_view id) const {
    if (slots_.empty()) return 0;
    const uint64_t h = Hash(id);
    for (size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.key == 0) return 0;
      if (s.hash == h && Same(s, id)) return s.key;
    }
  }
  // Starts fetching the slot where Find(id) will look first (two lookups then overlap).
  void Prefetch(std::string_view id) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[Hash(id) & mask_]);
  }
  // Adds or replaces.
  void Insert(std::string_view id, int64_t key) {
    if ((used_ + 1) * 4 > slots_.size() * 3) Grow();
    const uint64_t h = Hash(id);
    for (size_t i = h & mask_;; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.key == 0) {
        s.hash = h;
        s.key = key;
        s.length = static_cast<uint32_t>(id.size());
        if (id.size() <= kInline) {
          std::memcpy(s.text, id.data(), id.size());
        } else {
          s.offset = text_.size();
          text_.append(id);
        }
        ++used_;
        return;
      }
      if (s.hash == h && Same(s, id)) {
        s.key = key;
        return;
      }
    }
  }
  void Reserve(size_t n) {
    while (slots_.size() * 3 < n * 4) Grow();
  }

 private:
  static constexpr size_t kInline = 20;
  struct Slot {
    uint64_t hash;
    int64_t key;      // 0: empty slot
    uint64_t offset;  // into text_, for ids longer than kInline
    uint32_t length;
    char text[kInline];
  };
  bool Same(const Slot& s, std::string_view id) const {
    if (s.length != id.size()) return false;
    const char* text = id.size() <= kInline ? s.text : text_.data() + s.offset;
    return std::memcmp(text, id.data(), id.size()) == 0;
  }
  static uint64_t Hash(std::string_view id) {
    uint64_t h = std::hash<std::string_view>{}(id);
    return h ^ (h >> 29);
  }
  void Grow() {
    std::vector<Slot> old(std::max<size_t>(1024, slots_.size() * 2));
    old.swap(slots_);
    mask_ = slots_.size() - 1;
    for (const Slot& s : old) {
      if (s.key == 0) continue;
      size_t i = s.hash & mask_;
      while (slots_[i].key != 0) i = (i + 1) & mask_;
      slots_[i] = s;
    }
  }
  std::vector<Slot> slots_;
  size_t mask_ = 0, used_ = 0;
  std::string text_;
};

class SqliteStore;

// ---- reading rows ----

constexpr std::string_view kAccountColumns =
    "account, holder, institution, region, kind, opening_balance, attributes";

Account ReadAccount(const SqlStatement& s) {
  Account a;
  a.id = s.ColumnString(0);
  a.holder = s.ColumnString(1);
  a.institution = s.ColumnString(2);
  a.region = s.ColumnString(3);
  auto kind = ParseAccountKind(s.ColumnText(4));
  a.kind = kind.ok() ? *kind : AccountKind::kUnknown;
  a.opening_balance = s.ColumnInt64(5);
  a.attributes = DecodeAttributes(s.ColumnText(6));
  return a;
}

constexpr std::string_view kCaseColumns =
    "id, reported_at, region, category, loss, narrative, victim_name, victim_phone, victim_account";

Case ReadCase(const SqlStatement& s) {
  Case c;
  c.id = s.ColumnString(0);
  c.reported_at = s.ColumnInt64(1);
  c.region = s.ColumnString(2);
  c.category = s.ColumnString(3);
  if (!s.ColumnIsNull(4)) c.loss = s.ColumnInt64(4);
  c.narrative = s.ColumnString(5);
  c.victim.name = s.ColumnString(6);
  c.victim.phone = s.ColumnString(7);
  c.victim.account = s.ColumnString(8);
  return c;
}

// Reads (case_id, type, raw, value, valid) into an Identifier (columns from 1).
Identifier ReadIdentifier(const SqlStatement& s) {
  Identifier id;
  auto type = ParseIdentifierType(s.ColumnText(1));
  id.type = type.ok() ? *type : IdentifierType::kOther;
  id.raw = s.ColumnString(2);
  id.value = s.ColumnString(3);
  id.valid = s.ColumnInt64(4) != 0;
  return id;
}

// Leaves a cached statement reset (no open read cursor) when the scope ends.
struct ResetOnExit {
  SqlStatement* s;
  ~ResetOnExit() { s->Reset(); }
};

// ---- the store ----

class SqliteStore final : public Store {
 public:
  SqliteStore(std::unique_ptr<SqliteDatabase> db, int version)
      : db_(std::move(db)), version_(version) {}

  Result<std::unique_ptr<Import>> BeginImport() override;
  Status ForEachAccount(const std::function<void(const Account&)>& fn) override;
  Status ForEachTransfer(const std::function<void(const Transfer&)>& fn) override;
  Status ForEachCase(const std::function<void(const Case&)>& fn) override;
  Status ScanLedgerAccounts(const std::function<void(const LedgerAccountRow&)>& fn) override;
  Status ScanLedgerTransfers(const std::function<void(const LedgerTransferRow&)>& fn) override;
  Result<int64_t> CountTransfers() override;
  Result<std::optional<Account>> GetAccount(std::string_view id) override;
  Result<std::optional<Transfer>> GetTransfer(std::string_view id) override;
  Result<std::optional<Case>> GetCase(std::string_view id) override;
  Result<std::vector<std::string>> FindCasesByIdentifier(IdentifierType type,
                                                         std::string_view value) override;
  Result<Totals> CountTotals() override;
  SqlDatabase& sql() override { return *db_; }
  int schema_version() const override { return version_; }

  SqliteDatabase& db() { return *db_; }
  void set_import_open(bool open) { import_open_ = open; }
  // A prepared statement kept for the Store's lifetime, reset and ready to bind.
  Result<SqlStatement*> Cached(std::string_view sql);

 private:
  Status LoadCaseChildren(Case* c);

  std::unique_ptr<SqliteDatabase> db_;
  int version_;
  bool import_open_ = false;
  std::map<std::string, std::unique_ptr<SqlStatement>, std::less<>> cache_;  // before db_ dies
};

Result<SqlStatement*> SqliteStore::Cached(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    FANZHA_ASSIGN_OR_RETURN(auto stmt, db_->Prepare(sql));
    it = cache_.emplace(std::string(sql), std::move(stmt)).first;
  }
  it->second->Reset();
  return it->second.get();
}

// ---- the import ----

class SqliteImport final : public Store::Import {
 public:
  SqliteImport(SqliteStore* store, SqlTransaction tx) : store_(store), tx_(std::move(tx)) {}
  ~SqliteImport() override {
    stmts_.clear();
    tx_.reset();  // rolls back unless committed
    store_->set_import_open(false);
  }

  Status Prepare();
  Result<PutOutcome> PutAccount(const Account& a) override;
  Result<PutOutcome> PutTransfer(const Transfer& t) override;
  Result<PutOutcome> PutCase(const Case& c) override;
  Status Commit() override;

 private:
  enum Stmt {
    kFindAccount,
    kAddAccount,
    kUpdateAccount,
    kAddPlaceholder,
    kAddTransfer,
    kAddCase,
    kAddIdentifier,
    kAddCaseTransfer,
    kNumStmts
  };
  SqlStatement& S(Stmt s) { return *stmts_[s]; }
  // The key of an existing account, or nullopt.
  Result<std::optional<int64_t>> FindKey(std::string_view account);
  Result<int64_t> AddPlaceholder(std::string_view account);

  SqliteStore* store_;
  std::optional<SqlTransaction> tx_;  // the import's, or a savepoint of the caller's
  std::vector<std::unique_ptr<SqlStatement>> stmts_;
  // Loads every stored account into keys_ (once; one scan instead of a SELECT per new account).
  Status PreloadKeys();

  // A small import (a report posted to the server: a few transfers) looks its accounts up one by
  // one; the scan of every account pays only for a big one (on a 10M-transfer store it takes
  // 0.2 s). After this many lookups the import preloads.
  static constexpr int kPointLookups = 256;
  int lookups_ = 0;
  KeyCache keys_;  // every account this import has seen; all of the store's once preloaded
  bool preloaded_ = false;
};

Status SqliteImport::Prepare() {
  static constexpr std::string_view kSql[kNumStmts] = {
      "SELECT id, declared FROM accounts WHERE account = ?",
      "INSERT INTO accounts (account, declared, holder, institution, region, kind, "
      "opening_balance, attributes) VALUES (?, 1, ?, ?, ?, ?, ?, ?)",
      "UPDATE accounts SET declared = 1, holder = ?, institution = ?, region = ?, kind = ?, "
      "opening_balance = ?, attributes = ? WHERE id = ?",
      "INSERT INTO accounts (account, declared, holder, institution, region, kind, "
      "opening_balance, attributes) VALUES (?, 0, '', '', '', 'unknown', 0, '')",
      "INSERT INTO transfers (id, time, from_account, to_account, amount, channel, memo, ip, "
      "device, currency) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
      "INSERT INTO cases (id, reported_at, region, category, loss, narrative, victim_name, "
      "victim_phone, victim_account) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      "INSERT INTO case_identifiers (case_id, seq, type, raw, value, valid) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      "INSERT INTO case_transfers (case_id, seq, transfer_id) VALUES (?, ?, ?)",
  };
  for (std::string_view sql : kSql) {
    FANZHA_ASSIGN_OR_RETURN(auto stmt, store_->db().Prepare(sql));
    stmts_.push_back(std::move(stmt));
  }
  return Status::Ok();
}

Status SqliteImport::PreloadKeys() {
  if (preloaded_) return Status::Ok();
  FANZHA_ASSIGN_OR_RETURN(SqlStatement* count, store_->Cached("SELECT max(id) FROM accounts"));
  FANZHA_ASSIGN_OR_RETURN(bool any, count->Step());
  if (any) keys_.Reserve(static_cast<size_t>(std::max<int64_t>(0, count->ColumnInt64(0))));
  count->Reset();
  FANZHA_ASSIGN_OR_RETURN(SqlStatement* s, store_->Cached("SELECT account, id FROM accounts"));
  ResetOnExit reset_s{s};
  for (;;) {
    FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    keys_.Insert(s->ColumnText(0), s->ColumnInt64(1));
  }
  preloaded_ = true;
  return Status::Ok();
}

Result<std::optional<int64_t>> SqliteImport::FindKey(std::string_view account) {
  if (int64_t key = keys_.Find(account)) return std::optional<int64_t>(key);
  if (preloaded_) return std::optional<int64_t>();
  if (++lookups_ > kPointLookups) {
    FANZHA_RETURN_IF_ERROR(PreloadKeys());
    return FindKey(account);
  }
  SqlStatement& find = S(kFindAccount);
  find.Bind(1, account);
  FANZHA_ASSIGN_OR_RETURN(bool row, find.Step());
  int64_t key = row ? find.ColumnInt64(0) : 0;
  find.Reset();
  if (!row) return std::optional<int64_t>();
  keys_.Insert(account, key);
  return std::optional<int64_t>(key);
}

Result<int64_t> SqliteImport::AddPlaceholder(std::string_view account) {
  FANZHA_RETURN_IF_ERROR(S(kAddPlaceholder).Bind(1, account).Run());
  int64_t key = store_->db().LastInsertId();
  keys_.Insert(account, key);
  return key;
}

Result<PutOutcome> SqliteImport::PutAccount(const Account& a) {
  if (a.id.empty()) return Status::Invalid("account: empty account id");
  FANZHA_ASSIGN_OR_RETURN(std::optional<int64_t> known, FindKey(a.id));
  if (!known) {  // a new account; `a` and `attributes` outlive the run: bound, not copied
    const std::string attributes = EncodeAttributes(a.attributes);
    SqlStatement& add = S(kAddAccount);
    add.BindView(1, a.id).BindView(2, a.holder).BindView(3, a.institution).BindView(4, a.region);
    add.BindView(5, Name(a.kind)).Bind(6, a.opening_balance).BindView(7, attributes);
    FANZHA_RETURN_IF_ERROR(add.Run());
    keys_.Insert(a.id, store_->db().LastInsertId());
    return PutOutcome::kAdded;
  }
  SqlStatement& find = S(kFindAccount);
  find.Bind(1, a.id);
  FANZHA_ASSIGN_OR_RETURN(bool row, find.Step());
  int64_t key = row ? find.ColumnInt64(0) : 0;
  bool declared = row && find.ColumnInt64(1) != 0;
  find.Reset();
  std::string attrs = EncodeAttributes(a.attributes);
  std::string_view kind = Name(a.kind);
  if (row && declared) {
    FANZHA_ASSIGN_OR_RETURN(auto stored, store_->GetAccount(a.id));
    if (!stored) return Status::Internal("account vanished during import: " + a.id);
    return Compare("account", a.id, *stored, a, DiffAccounts(*stored, a));
  }
  if (row) {  // a placeholder: fill it in
    SqlStatement& up = S(kUpdateAccount);
    up.Bind(1, a.holder).Bind(2, a.institution).Bind(3, a.region).Bind(4, kind);
    up.Bind(5, a.opening_balance).Bind(6, attrs).Bind(7, key);
    FANZHA_RETURN_IF_ERROR(up.Run());
    return PutOutcome::kAdded;
  }
  SqlStatement& add = S(kAddAccount);
  add.Bind(1, a.id).Bind(2, a.holder).Bind(3, a.institution).Bind(4, a.region).Bind(5, kind);
  add.Bind(6, a.opening_balance).Bind(7, attrs);
  FANZHA_RETURN_IF_ERROR(add.Run());
  keys_.Insert(a.id, store_->db().LastInsertId());
  return PutOutcome::kAdded;
}

Result<PutOutcome> SqliteImport::PutTransfer(const Transfer& t) {
  if (t.id.empty()) return Status::Invalid("id: empty transfer id");
  if (t.from.empty() && t.to.empty()) return Status::Invalid("from, to: both empty");
  if (t.from == t.to) return Status::Invalid("to: the same account as from ('" + t.from + "')");
  std::optional<int64_t> keys[2];
  bool missing = false;
  const std::string* accounts[2] = {&t.from, &t.to};
  keys_.Prefetch(t.from);
  keys_.Prefetch(t.to);
  for (int i = 0; i < 2; ++i) {
    if (accounts[i]->empty()) continue;
    FANZHA_ASSIGN_OR_RETURN(keys[i], FindKey(*accounts[i]));
    missing |= !keys[i].has_value();
  }
  if (missing) {  // a stored transfer with this id cannot name this account: no placeholder then
    FANZHA_ASSIGN_OR_RETURN(SqlStatement* exists, store_->Cached("SELECT 1 FROM transfers WHERE id = ?"));
    FANZHA_ASSIGN_OR_RETURN(bool found, exists->Bind(1, t.id).Step());
    exists->Reset();
    if (found) {
      FANZHA_ASSIGN_OR_RETURN(auto stored, store_->GetTransfer(t.id));
      if (stored) return Compare("transfer", t.id, *stored, t, DiffTransfers(*stored, t));
    }
    for (int i = 0; i < 2; ++i) {
      if (accounts[i]->empty() || keys[i]) continue;
      FANZHA_ASSIGN_OR_RETURN(keys[i], AddPlaceholder(*accounts[i]));
    }
  }
  SqlStatement& add = S(kAddTransfer);  // `t` outlives the run: its text is bound, not copied
  add.BindView(1, t.id).Bind(2, t.time).Bind(3, keys[0]).Bind(4, keys[1]).Bind(5, t.amount);
  add.Bind(6, ChannelCode(t.channel)).BindView(7, t.memo).BindView(8, t.ip).BindView(9, t.device);
  add.Bind(10, t.currency);
  FANZHA_RETURN_IF_ERROR(add.Run());
  if (store_->db().Changes() == 1) return PutOutcome::kAdded;
  FANZHA_ASSIGN_OR_RETURN(auto stored, store_->GetTransfer(t.id));
  if (!stored) return Status::Internal("transfer insert ignored but no row: " + t.id);
  return Compare("transfer", t.id, *stored, t, DiffTransfers(*stored, t));
}

Result<PutOutcome> SqliteImport::PutCase(const Case& c) {
  if (c.id.empty()) return Status::Invalid("id: empty case id");
  FANZHA_ASSIGN_OR_RETURN(auto stored, store_->GetCase(c.id));
  if (stored) return Compare("case", c.id, *stored, c, DiffCases(*stored, c));
  SqlStatement& add = S(kAddCase);
  add.Bind(1, c.id).Bind(2, c.reported_at).Bind(3, c.region).Bind(4, c.category);
  add.Bind(5, c.loss).Bind(6, c.narrative).Bind(7, c.victim.name).Bind(8, c.victim.phone);
  add.Bind(9, c.victim.account);
  FANZHA_RETURN_IF_ERROR(add.Run());
  for (size_t i = 0; i < c.identifiers.size(); ++i) {
    const Identifier& id = c.identifiers[i];
    SqlStatement& s = S(kAddIdentifier);
    s.Bind(1, c.id).Bind(2, static_cast<int64_t>(i)).Bind(3, Name(id.type)).Bind(4, id.raw);
    s.Bind(5, id.value).Bind(6, id.valid ? 1 : 0);
    FANZHA_RETURN_IF_ERROR(s.Run());
  }
  for (size_t i = 0; i < c.transfers.size(); ++i) {
    SqlStatement& s = S(kAddCaseTransfer);
    s.Bind(1, c.id).Bind(2, static_cast<int64_t>(i)).Bind(3, c.transfers[i]);
    FANZHA_RETURN_IF_ERROR(s.Run());
  }
  return PutOutcome::kAdded;
}

Status SqliteImport::Commit() {
  if (!tx_) return Status::Internal("import already committed");
  stmts_.clear();
  Status st = tx_->Commit();
  tx_.reset();
  return st;
}

// ---- SqliteStore methods ----

Result<std::unique_ptr<Store::Import>> SqliteStore::BeginImport() {
  if (import_open_) return Status::Internal("an import is already open on this store");
  FANZHA_ASSIGN_OR_RETURN(SqlTransaction tx, SqlTransaction::Begin(db_.get()));
  import_open_ = true;
  auto imp = std::make_unique<SqliteImport>(this, std::move(tx));  // its destructor rolls back
  FANZHA_RETURN_IF_ERROR(imp->Prepare());
  return std::unique_ptr<Import>(std::move(imp));
}

Status SqliteStore::ForEachAccount(const std::function<void(const Account&)>& fn) {
  FANZHA_ASSIGN_OR_RETURN(
      auto s, db_->Prepare("SELECT " + std::string(kAccountColumns) + " FROM accounts ORDER BY id"));
  for (;;) {
    FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return Status::Ok();
    fn(ReadAccount(*s));
  }
}

Status SqliteStore::ForEachTransfer(const std::function<void(const Transfer&)>& fn) {
  // Account keys -> account ids, then one pass over the transfers in storage order.
  std::vector<std::string> names;
  {
    FANZHA_ASSIGN_OR_RETURN(auto s, db_->Prepare("SELECT id, account FROM accounts"));
    for (;;) {
      FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) break;
      int64_t key = s->ColumnInt64(0);
      if (key < 0) return Status::Internal("negative account key");
      if (static_cast<size_t>(key) >= names.size()) names.resize(key + 1);
      names[key] = s->ColumnString(1);
    }
  }
  auto name = [&](const SqlStatement& s, int col) -> std::string_view {
    if (s.ColumnIsNull(col)) return {};
    int64_t key = s.ColumnInt64(col);
    return key >= 0 && static_cast<size_t>(key) < names.size() ? std::string_view(names[key])
                                                               : std::string_view();
  };
  FANZHA_ASSIGN_OR_RETURN(auto s, db_->Prepare("SELECT id, time, from_account, to_account, amount, "
                                               "channel, memo, ip, device, currency FROM transfers"));
  Transfer t;
  for (;;) {
    FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return Status::Ok();
    t.id.assign(s->ColumnText(0));
    t.time = s->ColumnInt64(1);
    t.from.assign(name(*s, 2));
    t.to.assign(name(*s, 3));
    t.amount = s->ColumnInt64(4);
    t.channel = ChannelFromCode(s->ColumnInt64(5));
    t.memo.assign(s->ColumnText(6));
    t.ip.assign(s->ColumnText(7));
    t.device.assign(s->ColumnText(8));
    t.currency.assign(s->ColumnText(9));
    fn(t);
  }
}

Status SqliteStore::ScanLedgerAccounts(const std::function<void(const LedgerAccountRow&)>& fn) {
  FANZHA_ASSIGN_OR_RETURN(auto s, db_->Prepare("SELECT id, account, institution, region, kind, "
                                               "opening_balance FROM accounts"));
  LedgerAccountRow r;
  for (;;) {
    FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return Status::Ok();
    r.key = s->ColumnInt64(0);
    r.id = s->ColumnText(1);
    r.institution = s->ColumnText(2);
    r.region = s->ColumnText(3);
    auto kind = ParseAccountKind(s->ColumnText(4));
    r.kind = kind.ok() ? *kind : AccountKind::kUnknown;
    r.opening_balance = s->ColumnInt64(5);
    fn(r);
  }
}

Status SqliteStore::ScanLedgerTransfers(const std::function<void(const LedgerTransferRow&)>& fn) {
  // The ledger follows yuan only (see Transfer::currency).
  FANZHA_ASSIGN_OR_RETURN(auto s, db_->Prepare("SELECT id, time, from_account, to_account, amount, "
                                               "channel FROM transfers WHERE currency = 'CNY'"));
  LedgerTransferRow r;
  for (;;) {
    FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return Status::Ok();
    r.id = s->ColumnText(0);
    r.time = s->ColumnInt64(1);
    r.from = s->ColumnInt64(2);  // NULL reads as 0
    r.to = s->ColumnInt64(3);
    r.amount = s->ColumnInt64(4);
    r.channel = ChannelFromCode(s->ColumnInt64(5));
    fn(r);
  }
}

Result<int64_t> SqliteStore::CountTransfers() {
  FANZHA_ASSIGN_OR_RETURN(auto s, db_->Prepare("SELECT max(seq) FROM transfers"));
  FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
  return row ? s->ColumnInt64(0) : 0;
}

Status SqliteStore::ForEachCase(const std::function<void(const Case&)>& fn) {
  // Three cursors in case id order, merged.
  FANZHA_ASSIGN_OR_RETURN(
      auto cases, db_->Prepare("SELECT " + std::string(kCaseColumns) + " FROM cases ORDER BY id"));
  FANZHA_ASSIGN_OR_RETURN(auto ids, db_->Prepare("SELECT case_id, type, raw, value, valid FROM "
                                                 "case_identifiers ORDER BY case_id, seq"));
  FANZHA_ASSIGN_OR_RETURN(auto trs, db_->Prepare("SELECT case_id, transfer_id FROM case_transfers "
                                                 "ORDER BY case_id, seq"));
  FANZHA_ASSIGN_OR_RETURN(bool id_row, ids->Step());
  FANZHA_ASSIGN_OR_RETURN(bool tr_row, trs->Step());
  for (;;) {
    FANZHA_ASSIGN_OR_RETURN(bool row, cases->Step());
    if (!row) return Status::Ok();
    Case c = ReadCase(*cases);
    while (id_row && ids->ColumnText(0) <= c.id) {
      if (ids->ColumnText(0) == c.id) c.identifiers.push_back(ReadIdentifier(*ids));
      FANZHA_ASSIGN_OR_RETURN(id_row, ids->Step());
    }
    while (tr_row && trs->ColumnText(0) <= c.id) {
      if (trs->ColumnText(0) == c.id) c.transfers.push_back(trs->ColumnString(1));
      FANZHA_ASSIGN_OR_RETURN(tr_row, trs->Step());
    }
    fn(c);
  }
}

Result<std::optional<Account>> SqliteStore::GetAccount(std::string_view id) {
  FANZHA_ASSIGN_OR_RETURN(SqlStatement* s, Cached("SELECT " + std::string(kAccountColumns) + " FROM accounts WHERE account = ?"));
  ResetOnExit reset_s{s};
  s->Bind(1, id);
  FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return std::optional<Account>();
  return std::optional<Account>(ReadAccount(*s));
}

Result<std::optional<Transfer>> SqliteStore::GetTransfer(std::string_view id) {
  FANZHA_ASSIGN_OR_RETURN(SqlStatement* s, Cached("SELECT t.id, t.time, fa.account, ta.account, t.amount, t.channel, "
                           "t.memo, t.ip, t.device, t.currency FROM transfers t "
                           "LEFT JOIN accounts fa ON fa.id = t.from_account "
                           "LEFT JOIN accounts ta ON ta.id = t.to_account WHERE t.id = ?"));
  ResetOnExit reset_s{s};
  s->Bind(1, id);
  FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return std::optional<Transfer>();
  Transfer t;
  t.id = s->ColumnString(0);
  t.time = s->ColumnInt64(1);
  t.from = s->ColumnString(2);
  t.to = s->ColumnString(3);
  t.amount = s->ColumnInt64(4);
  t.channel = ChannelFromCode(s->ColumnInt64(5));
  t.memo = s->ColumnString(6);
  t.ip = s->ColumnString(7);
  t.device = s->ColumnString(8);
  t.currency = s->ColumnString(9);
  return std::optional<Transfer>(std::move(t));
}

Status SqliteStore::LoadCaseChildren(Case* c) {
  FANZHA_ASSIGN_OR_RETURN(SqlStatement* ids, Cached("SELECT case_id, type, raw, value, valid FROM "
                                                 "case_identifiers WHERE case_id = ? ORDER BY seq"));
  ResetOnExit reset_ids{ids};
  ids->Bind(1, c->id);
  for (;;) {
    FANZHA_ASSIGN_OR_RETURN(bool row, ids->Step());
    if (!row) break;
    c->identifiers.push_back(ReadIdentifier(*ids));
  }
  FANZHA_ASSIGN_OR_RETURN(SqlStatement* trs, Cached("SELECT transfer_id FROM case_transfers WHERE "
                                                 "case_id = ? ORDER BY seq"));
  ResetOnExit reset_trs{trs};
  trs->Bind(1, c->id);
  for (;;) {
    FANZHA_ASSIGN_OR_RETURN(bool row, trs->Step());
    if (!row) break;
    c->transfers.push_back(trs->ColumnString(0));
  }
  return Status::Ok();
}

Result<std::optional<Case>> SqliteStore::GetCase(std::string_view id) {
  FANZHA_ASSIGN_OR_RETURN(SqlStatement* s, Cached("SELECT " + std::string(kCaseColumns) + " FROM cases WHERE id = ?"));
  ResetOnExit reset_s{s};
  s->Bind(1, id);
  FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return std::optional<Case>();
  Case c = ReadCase(*s);
  FANZHA_RETURN_IF_ERROR(LoadCaseChildren(&c));
  return std::optional<Case>(std::move(c));
}

Result<std::vector<std::string>> SqliteStore::FindCasesByIdentifier(IdentifierType type,
                                                                    std::string_view value) {
  FANZHA_ASSIGN_OR_RETURN(SqlStatement* s, Cached("SELECT DISTINCT case_id FROM case_identifiers "
                                               "WHERE type = ? AND value = ? ORDER BY case_id"));
  ResetOnExit reset_s{s};
  s->Bind(1, Name(type)).Bind(2, value);
  std::vector<std::string> out;
  for (;;) {
    FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return out;
    out.push_back(s->ColumnString(0));
  }
}

Result<Totals> SqliteStore::CountTotals() {
  Totals t;
  std::pair<const char*, int64_t*> counts[] = {
      {"SELECT COUNT(*) FROM accounts", &t.accounts},
      {"SELECT COUNT(*) FROM transfers", &t.transfers},
      {"SELECT COUNT(*) FROM cases", &t.cases},
      {"SELECT COUNT(*) FROM case_identifiers", &t.identifiers},
      {"SELECT COUNT(*) FROM case_transfers", &t.case_transfers},
  };
  for (auto& [sql, out] : counts) {
    FANZHA_ASSIGN_OR_RETURN(auto s, db_->Prepare(sql));
    FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
    if (row) *out = s->ColumnInt64(0);
  }
  return t;
}

// ---- opening and migrating ----

Status Mismatch(const std::string& path, const std::string& why) {
  return Status(ErrorCode::kSchemaMismatch, path + ": " + why);
}

// The schema version recorded in the file: 0 for a new empty database.
Result<int> ReadVersion(SqliteDatabase& db) {
  const std::string& path = db.path();
  auto tables = db.Prepare("SELECT name FROM sqlite_master WHERE type = 'table'");
  if (!tables.ok()) {
    if (tables.status().code() == ErrorCode::kSchemaMismatch)
      return Mismatch(path, "not a fanzha store (not a SQLite database)");
    return tables.status();
  }
  bool any = false, meta = false;
  for (;;) {
    Result<bool> row = (*tables)->Step();
    if (!row.ok()) {
      if (row.status().code() == ErrorCode::kSchemaMismatch)
        return Mismatch(path, "not a fanzha store (not a SQLite database)");
      return row.status();
    }
    if (!*row) break;
    any = true;
    meta |= (*tables)->ColumnText(0) == "fanzha_meta";
  }
  if (!any) return 0;
  if (!meta) return Mismatch(path, "not a fanzha store (a SQLite database without fanzha's tables)");
  FANZHA_ASSIGN_OR_RETURN(auto s, db.Prepare("SELECT key, value FROM fanzha_meta"));
  std::string app, version;
  for (;;) {
    FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    if (s->ColumnText(0) == "application") app = s->ColumnString(1);
    if (s->ColumnText(0) == "schema_version") version = s->ColumnString(1);
  }
  if (app != "fanzha") return Mismatch(path, "not a fanzha store (application '" + app + "')");
  int v = 0;
  for (char ch : version) {
    if (ch < '0' || ch > '9' || v > 1000000) return Mismatch(path, "bad schema version '" + version + "'");
    v = v * 10 + (ch - '0');
  }
  if (v > LatestSchemaVersion())
    return Mismatch(path, "written by a newer fanzha (schema version " + std::to_string(v) +
                              "; this build reads up to " + std::to_string(LatestSchemaVersion()) +
                              "): upgrade fanzha");
  return v;
}

Status ApplyPragmas(SqliteDatabase& db, const SqliteOptions& o) {
  // Only a new, empty file takes a page size (before WAL mode is set); others keep theirs.
  FANZHA_RETURN_IF_ERROR(db.Exec("PRAGMA page_size = " + std::to_string(o.page_size)));
  FANZHA_RETURN_IF_ERROR(db.Exec(o.wal ? "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL"
                                       : "PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL"));
  return db.Exec("PRAGMA cache_size = -" + std::to_string(o.cache_bytes / 1024) +
                 "; PRAGMA temp_store = MEMORY; PRAGMA foreign_keys = OFF");
}

// Applies the missing migrations in one transaction. Returns the version now in the file.
Result<int> Migrate(SqliteDatabase& db) {
  FANZHA_ASSIGN_OR_RETURN(auto tx, SqlTransaction::Begin(&db));
  FANZHA_ASSIGN_OR_RETURN(int version, ReadVersion(db));  // again, under the write lock
  if (version == LatestSchemaVersion()) return version;
  if (version == 0) {
    FANZHA_RETURN_IF_ERROR(db.Exec(
        "CREATE TABLE fanzha_meta (key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL);"
        "INSERT INTO fanzha_meta (key, value) VALUES ('application', 'fanzha'), "
        "('schema_version', '0')"));
  }
  for (const Migration& m : Migrations()) {
    if (m.version <= version) continue;
    Status st = db.Exec(m.sql);
    if (!st.ok()) return st.WithContext("migration " + std::to_string(m.version) + " (" + std::string(m.name) + ")");
    version = m.version;
  }
  FANZHA_ASSIGN_OR_RETURN(auto set, db.Prepare("UPDATE fanzha_meta SET value = ? WHERE key = 'schema_version'"));
  FANZHA_RETURN_IF_ERROR(set->Bind(1, std::to_string(version)).Run());
  set.reset();
  FANZHA_RETURN_IF_ERROR(tx.Commit());
  return version;
}

}  // namespace

Result<std::unique_ptr<Store>> Store::OpenSqlite(const std::string& path,
                                                 const SqliteOptions& options) {
  FANZHA_ASSIGN_OR_RETURN(auto db, SqliteDatabase::Open(path, options.busy_timeout_ms));
  FANZHA_RETURN_IF_ERROR(ReadVersion(*db).status());  // refuse foreign files before writing
  FANZHA_RETURN_IF_ERROR(ApplyPragmas(*db, options));
  FANZHA_ASSIGN_OR_RETURN(int version, Migrate(*db));
  return std::unique_ptr<Store>(new SqliteStore(std::move(db), version));
}

}  // namespace fanzha::store
