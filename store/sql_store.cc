// The Store in portable SQL, over any engine (store/store_engine.h: SQLite, PostgreSQL). Layout
// (store/schema/): accounts carry an integer key that transfers refer to, so a transfer row costs a
// few dozen bytes; cases keep identifiers and listed transfers in tables of their own, indexed for
// linking.
#include <algorithm>
#include <chrono>
#include <cstring>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>
#include <unordered_map>

#include "core/json.h"
#include "store/schema.h"
#include "store/store.h"
#include "store/store_engine.h"

namespace fanzha::store {
namespace {

// ---- value conversions ----

int ChannelCode(Channel c) {
  switch (c) {
    case Channel::kTransfer:
      return 0;
    case Channel::kWithdrawal:
      return 1;
    case Channel::kDeposit:
      return 2;
    case Channel::kPurchase:
      return 3;
  }
  return 0;
}
Channel ChannelFromCode(int64_t code) {
  switch (code) {
    case 1:
      return Channel::kWithdrawal;
    case 2:
      return Channel::kDeposit;
    case 3:
      return Channel::kPurchase;
    default:
      return Channel::kTransfer;
  }
}

std::string EncodeAttributes(const std::vector<std::pair<std::string, std::string>>& attrs) {
  if (attrs.empty()) return "";
  nlohmann::json j = nlohmann::json::array();
  for (const auto& [k, v] : attrs) j.push_back({k, v});
  // Importers store only UTF-8; a byte that is not becomes U+FFFD here rather than an exception.
  return DumpJson(j);
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
  Diff(&d, "victim",
       a.victim.name == b.victim.name && a.victim.phone == b.victim.phone &&
           a.victim.account == b.victim.account);
  Diff(&d, "transfers", a.transfers == b.transfers);
  Diff(&d, "identifiers", SameIdentifiers(a.identifiers, b.identifiers));
  return d;
}

// For messages: a stored byte that is not UTF-8 (a store filled before imports checked) shows as
// U+FFFD instead of throwing.
std::string Quote(std::string_view s) { return DumpJson(nlohmann::json(std::string(s))); }

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
                  " loss=" + (c.loss ? FormatMoney(*c.loss) : std::string("(none)")) + " victim=" +
                  Quote(c.victim.name + "/" + c.victim.phone + "/" + c.victim.account) +
                  " transfers=[";
  for (size_t i = 0; i < c.transfers.size(); ++i) s += (i ? "," : "") + c.transfers[i];
  s += "] identifiers=[";
  for (size_t i = 0; i < c.identifiers.size(); ++i)
    s += (i ? "," : "") + std::string(Name(c.identifiers[i].type)) + ":" + c.identifiers[i].value;
  return s + "]}";
}

// The kind of record ("account", "transfer", "case") as a reader of Chinese calls it.
std::string KindInChinese(std::string_view what) {
  if (what == "account") return "账户";
  if (what == "transfer") return "交易";
  if (what == "case") return "案件";
  return std::string(what);
}

template <typename R>
Result<PutOutcome> Compare(const char* what, std::string_view id, const R& stored, const R& fresh,
                           std::vector<std::string> diff) {
  if (diff.empty()) return PutOutcome::kUnchanged;
  std::string fields;
  for (const auto& f : diff) fields += (fields.empty() ? "" : ", ") + f;
  return Status::Conflict(std::string(what) + " '" + std::string(id) +
                          "' is already stored with different " + fields + ": stored " +
                          Describe(stored) + ", new " + Describe(fresh))
      .WithZh(KindInChinese(what) + " '" + std::string(id) + "' 已入库，但 " + fields +
              " 不同：库中为 " + Describe(stored) + "，新数据为 " + Describe(fresh));
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

class SqlStore;

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

class SqlStore final : public Store {
 public:
  SqlStore(std::unique_ptr<StoreEngine> engine, int version, const SqliteOptions& options)
      : engine_(std::move(engine)), db_(&engine_->db()), version_(version), options_(options) {}
  ~SqlStore() override { cache_.clear(); }

  Result<std::unique_ptr<Import>> BeginImport() override;
  Status ForEachAccount(const std::function<void(const Account&)>& fn) override;
  Status ForEachTransfer(const std::function<void(const Transfer&)>& fn) override;
  Status ForEachCase(const std::function<void(const Case&)>& fn) override;
  Status ForEachCaseHeader(const std::function<void(const Case&)>& fn) override;
  Status ScanLedgerAccounts(const std::function<void(const LedgerAccountRow&)>& fn) override;
  Status ScanLedgerTransfers(const std::function<void(const LedgerTransferRow&)>& fn) override;
  Result<int64_t> CountTransfers() override;
  Result<int64_t> CountCases() override;
  Result<std::optional<Account>> GetAccount(std::string_view id) override {
    return GetAccountFrom(id, Rows::kVisible);
  }
  Result<std::optional<Transfer>> GetTransfer(std::string_view id) override {
    return GetTransferFrom(id, Rows::kVisible);
  }
  Result<std::optional<Case>> GetCase(std::string_view id) override {
    return GetCaseFrom(id, Rows::kVisible);
  }
  Result<std::vector<std::string>> FindCasesByIdentifier(IdentifierType type,
                                                         std::string_view value) override;
  Result<Totals> CountTotals() override;
  SqlDatabase& sql() override { return *db_; }
  int64_t ConnectionId() const override { return engine_->ConnectionId(); }
  int schema_version() const override { return version_; }

  // Which rows a read sees: those of finished imports (the views every reader uses), or every row
  // written (the *_rows tables: an import looking at its own rows).
  enum class Rows { kVisible, kAll };
  Result<std::optional<Account>> GetAccountFrom(std::string_view id, Rows rows);
  Result<std::optional<Transfer>> GetTransferFrom(std::string_view id, Rows rows);
  Result<std::optional<Case>> GetCaseFrom(std::string_view id, Rows rows);

  SqlDatabase& db() { return *db_; }
  const SqliteOptions& options() const { return options_; }
  void set_import_open(bool open) { import_open_ = open; }
  // A prepared statement kept for the Store's lifetime, reset and ready to bind.
  Result<SqlStatement*> Cached(std::string_view sql);

  StoreEngine& engine() { return *engine_; }
  // Removes the rows of pending imports whose process is gone (killed during an import), each in
  // bounded transactions. Must not be called while an import of this Store is open.
  Status CleanDeadImports();
  // Registers a new import (see BeginImport) in the open transaction; its id.
  Result<int64_t> RegisterImport();
  // Removes every row of import `id` (when `rows`: without, only its registration, for an import
  // that committed no batch) and its entry in pending_imports, in bounded transactions.
  Status DiscardImport(int64_t id, bool rows = true);

 private:
  Status LoadCaseChildren(Case* c, Rows rows);

  std::unique_ptr<StoreEngine> engine_;
  SqlDatabase* db_;  // the engine's
  int version_;
  SqliteOptions options_;
  bool import_open_ = false;
  std::map<std::string, std::unique_ptr<SqlStatement>, std::less<>> cache_;  // before db_ dies
};

Result<SqlStatement*> SqlStore::Cached(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    FANZHA_ASSIGN_OR_RETURN(auto stmt, db_->Prepare(sql));
    it = cache_.emplace(std::string(sql), std::move(stmt)).first;
  }
  it->second->Reset();
  return it->second.get();
}

// ---- imports in bounded transactions ----
//
// An import registers itself in pending_imports and writes its rows tagged with its id, committing
// every SqliteOptions::import_batch_rows rows; the views hide the rows of pending imports. Its last
// transaction applies the placeholders it declared (account_fills) and removes it from
// pending_imports: that short commit makes everything visible at once.
//
// An import begun inside the caller's transaction does the same inside one savepoint of it, with
// no batches of its own: its rows are stored (or not) with the caller's transaction. It needs no
// lock: no other connection sees it registered.

// The tables whose rows carry an import id, children before parents.
constexpr std::string_view kRowTables[] = {
    "case_identifier_rows",   "case_transfer_rows", "case_rows",
    "statement_posting_rows", "transfer_rows",      "account_rows"};

Status SqlStore::DiscardImport(int64_t id, bool rows) {
  for (std::string_view table : kRowTables) {
    if (!rows) break;
    FANZHA_RETURN_IF_ERROR(engine_->DeleteImportRows(table, id));
  }
  FANZHA_ASSIGN_OR_RETURN(auto tx, SqlTransaction::Begin(db_));
  FANZHA_ASSIGN_OR_RETURN(auto fills,
                          db_->Prepare("DELETE FROM account_fills WHERE import_id = ?"));
  FANZHA_RETURN_IF_ERROR(fills->Bind(1, id).Run());
  FANZHA_ASSIGN_OR_RETURN(auto pending, db_->Prepare("DELETE FROM pending_imports WHERE id = ?"));
  FANZHA_RETURN_IF_ERROR(pending->Bind(1, id).Run());
  fills.reset();
  pending.reset();
  return tx.Commit();
}

Status SqlStore::CleanDeadImports() {
  std::vector<int64_t> ids;
  {
    FANZHA_ASSIGN_OR_RETURN(SqlStatement * s, Cached("SELECT id FROM pending_imports"));
    ResetOnExit reset_s{s};
    for (;;) {
      FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) break;
      ids.push_back(s->ColumnInt64(0));
    }
  }
  if (ids.empty()) return Status::Ok();
  for (int64_t id : ids) {
    if (!engine_->TryTakeImport(id)) continue;  // its import is still running (or being cleaned)
    Status st = DiscardImport(id);
    engine_->ReleaseImport(id);
    FANZHA_RETURN_IF_ERROR(st.WithContext("removing the rows of import " + std::to_string(id) +
                                          ", which was killed before it finished"));
  }
  return Status::Ok();
}

class SqlImport final : public Store::Import {
 public:
  // `nest`: the savepoint of the caller's transaction the import is written in, or nullopt for an
  // import of its own (in batches).
  SqlImport(SqlStore* store, int64_t id, std::optional<SqlTransaction> nest)
      : store_(store), id_(id), nest_(std::move(nest)) {}
  ~SqlImport() override {
    stmts_.clear();
    if (!done_) Abandon();
    store_->set_import_open(false);
  }

  Status Prepare();
  int64_t id() const override { return id_; }
  Result<PutOutcome> PutAccount(const Account& a) override;
  Result<PutOutcome> PutTransfer(const Transfer& t) override;
  Result<PutOutcome> PutCase(const Case& c) override;
  Status Commit(const std::function<Status()>& with) override;

 private:
  // What the import's commit tells other processes (store/transfer_feed.h): its transfers' ids as
  // a JSON array, or "*" when there are too many to name.
  std::string Notice() const;
  enum Stmt {
    kFindAccount,
    kAddAccount,
    kDeclareOwn,
    kAddFill,
    kAdopt,
    kAddPlaceholder,
    kAddTransfer,
    kFindTransfer,
    kAddCase,
    kFindCase,
    kAddIdentifier,
    kAddCaseTransfer,
    kIsPending,
    kNumStmts
  };
  SqlStatement& S(Stmt s) { return *stmts_[s]; }

  // Before writing `rows` rows: begins a batch unless one is open.
  Status Reserve(int64_t rows);
  // After a record: commits the batch when it is full (its rows stay hidden). Between batches no
  // transaction is open, so other writers are never held up by an importer that waits (for its
  // input, or for the next file).
  Status EndRecord();
  Result<PutOutcome> PutAccountRow(const Account& a);
  Result<PutOutcome> PutTransferRow(const Transfer& t);
  Result<PutOutcome> PutCaseRow(const Case& c);
  // Rolls back and removes what earlier batches committed.
  void Abandon();

  // Whose a stored row is, by its import id.
  enum class Owner { kVisible, kThis, kOther };
  Result<Owner> OwnerOf(int64_t import_id);
  // kConflict for a record another import is writing right now.
  Status Busy(const char* what, std::string_view id, int64_t import_id) const;

  // An account's row: its key, whether declared, whose.
  struct Found {
    int64_t key = 0;
    bool declared = false;
    Owner owner = Owner::kVisible;
  };
  // kConflict when another import declares the account (a placeholder of another import is
  // Found with owner kOther).
  Result<std::optional<Found>> Lookup(std::string_view account);
  // The key of an account this import may refer to, or nullopt when there is none. `foreign`: a
  // placeholder another import is writing, which this import makes visible (Adopt) once its record
  // naming it is stored, so that both may refer to it.
  struct Key {
    int64_t key = 0;
    bool foreign = false;
  };
  Result<std::optional<Key>> FindKey(std::string_view account);
  Result<std::optional<Key>> UsableKey(std::string_view account);
  Result<Key> AddPlaceholder(std::string_view account);
  Status Adopt(std::string_view account, int64_t key);
  // Loads every visible account into keys_ (once; one scan instead of a SELECT per new account).
  Status PreloadKeys();

  SqlStore* store_;
  const int64_t id_;
  std::optional<SqlTransaction> nest_;  // set when nested in the caller's transaction
  std::vector<std::unique_ptr<SqlStatement>> stmts_;

  // A small import (a report posted to the server: a few transfers; a bank's statement of a few
  // thousand rows) looks its accounts up one by one; the scan of every account pays only for a big
  // one (on a 10M-transfer store, 508k accounts, it takes 0.2 s: a lookup costs about what
  // scanning 10 accounts does). The import preloads after kPointLookups lookups and more than a
  // 16th of the store's accounts (PreloadAfter).
  static constexpr int kPointLookups = 256;
  static constexpr int64_t kAccountsPerLookup = 16;
  Result<int64_t> PreloadAfter();
  int64_t lookups_ = 0;
  std::optional<int64_t> preload_after_;
  KeyCache keys_;  // every account this import has seen; all visible ones once preloaded
  bool preloaded_ = false;
  std::map<int64_t, Account> fills_;  // placeholders this import declares, by key
  int64_t batch_rows_ = 0;            // rows written in the open batch
  std::chrono::steady_clock::time_point batch_start_;
  int64_t batches_ = 0;    // batches committed
  int64_t transfers_ = 0;  // transfers added
  // The ids of the first transfers added, for the notice Commit() gives (Announce).
  static constexpr size_t kNamedTransfers = 100;
  std::vector<std::string> named_;
  bool done_ = false;
};

Status SqlImport::Prepare() {
  static constexpr std::string_view kSql[kNumStmts] = {
      "SELECT id, declared, import_id FROM account_rows WHERE account = ?",
      "INSERT INTO account_rows (account, declared, holder, institution, region, kind, "
      "opening_balance, attributes, import_id) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (account) DO NOTHING",
      "UPDATE account_rows SET declared = 1, holder = ?, institution = ?, region = ?, kind = ?, "
      "opening_balance = ?, attributes = ? WHERE id = ?",
      "INSERT INTO account_fills (import_id, account_key, holder, institution, region, kind, "
      "opening_balance, attributes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      "UPDATE account_rows SET import_id = 0 WHERE id = ? AND declared = 0",
      "INSERT INTO account_rows (account, declared, holder, institution, region, kind, "
      "opening_balance, attributes, import_id) VALUES (?, 0, '', '', '', 'unknown', 0, '', ?) "
      "ON CONFLICT (account) DO NOTHING",
      "INSERT INTO transfer_rows (id, time, from_account, to_account, amount, channel, memo, ip, "
      "device, currency, import_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (id) DO NOTHING",
      "SELECT import_id FROM transfer_rows WHERE id = ?",
      "INSERT INTO case_rows (id, reported_at, region, category, loss, narrative, victim_name, "
      "victim_phone, victim_account, import_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (id) DO NOTHING",
      "SELECT import_id FROM case_rows WHERE id = ?",
      "INSERT INTO case_identifier_rows (case_id, seq, type, raw, value, valid, import_id) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      "INSERT INTO case_transfer_rows (case_id, seq, transfer_id, import_id) VALUES (?, ?, ?, ?)",
      "SELECT 1 FROM pending_imports WHERE id = ?",
  };
  for (std::string_view sql : kSql) {
    FANZHA_ASSIGN_OR_RETURN(auto stmt, store_->db().Prepare(sql));
    stmts_.push_back(std::move(stmt));
  }
  return Status::Ok();
}

Status SqlImport::Reserve(int64_t rows) {
  if (done_) return Status::Internal("import already committed");
  if (!nest_ && !store_->db().InTransaction()) {
    FANZHA_RETURN_IF_ERROR(store_->db().Begin());
    batch_start_ = std::chrono::steady_clock::now();
  }
  batch_rows_ += rows;
  return Status::Ok();
}

Status SqlImport::EndRecord() {
  if (nest_) return Status::Ok();  // the caller's transaction decides
  const SqliteOptions& o = store_->options();
  if (batch_rows_ < o.import_batch_rows && std::chrono::steady_clock::now() - batch_start_ <
                                               std::chrono::milliseconds(o.import_batch_ms))
    return Status::Ok();
  SqlDatabase& db = store_->db();
  if (!db.InTransaction()) return Status::Ok();
  FANZHA_ASSIGN_OR_RETURN(SqlStatement * count,
                          store_->Cached("UPDATE pending_imports SET transfers = ? WHERE id = ?"));
  FANZHA_RETURN_IF_ERROR(count->Bind(1, transfers_).Bind(2, id_).Run());
  FANZHA_RETURN_IF_ERROR(db.Commit());
  ++batches_;
  batch_rows_ = 0;
  // Writers that wait for the lock (polling every millisecond) get their turn here.
  if (o.import_pause_us > 0)
    std::this_thread::sleep_for(std::chrono::microseconds(o.import_pause_us));
  return Status::Ok();
}

Result<PutOutcome> SqlImport::PutAccount(const Account& a) {
  Result<PutOutcome> r = PutAccountRow(a);
  FANZHA_RETURN_IF_ERROR(EndRecord());
  return r;
}

Result<PutOutcome> SqlImport::PutTransfer(const Transfer& t) {
  Result<PutOutcome> r = PutTransferRow(t);
  FANZHA_RETURN_IF_ERROR(EndRecord());
  return r;
}

Result<PutOutcome> SqlImport::PutCase(const Case& c) {
  Result<PutOutcome> r = PutCaseRow(c);
  FANZHA_RETURN_IF_ERROR(EndRecord());
  return r;
}

void SqlImport::Abandon() {
  if (nest_) {  // back to the savepoint: the registration and every row go
    nest_.reset();
    return;
  }
  (void)store_->db().Rollback();
  // A failure here leaves the rows hidden; the next open (or import) finds the import dead and
  // removes them.
  (void)store_->DiscardImport(id_, /*rows=*/batches_ > 0);
  store_->engine().ReleaseImport(id_);
}

Result<SqlImport::Owner> SqlImport::OwnerOf(int64_t import_id) {
  if (import_id == id_) return Owner::kThis;
  if (import_id == 0) return Owner::kVisible;
  SqlStatement& s = S(kIsPending);
  FANZHA_ASSIGN_OR_RETURN(bool pending, s.Bind(1, import_id).Step());
  s.Reset();
  return pending ? Owner::kOther : Owner::kVisible;
}

Status SqlImport::Busy(const char* what, std::string_view id, int64_t import_id) const {
  const std::string shown = Quote(id);
  return Status::Conflict(std::string(what) + " " + shown +
                          " is being written by another import (" + std::to_string(import_id) +
                          ") that has not finished: import again when "
                          "it has (a killed import is cleaned up when the store is next opened)")
      .WithZh(KindInChinese(what) + " " + shown + " 正由另一导入任务（" +
              std::to_string(import_id) +
              "）写入，尚未完成：请待其完成后重新导入（被中止的导入会在下次打开数据库时清理）");
}

// The highest account key: about how many accounts the store holds (one step down an index).
Result<int64_t> SqlImport::PreloadAfter() {
  if (!preload_after_) {
    FANZHA_ASSIGN_OR_RETURN(SqlStatement * count,
                            store_->Cached("SELECT max(id) FROM account_rows"));
    ResetOnExit reset{count};
    FANZHA_ASSIGN_OR_RETURN(bool any, count->Step());
    const int64_t accounts = any ? std::max<int64_t>(0, count->ColumnInt64(0)) : 0;
    preload_after_ = std::max<int64_t>(kPointLookups, accounts / kAccountsPerLookup);
  }
  return *preload_after_;
}

Status SqlImport::PreloadKeys() {
  if (preloaded_) return Status::Ok();
  FANZHA_ASSIGN_OR_RETURN(SqlStatement * count, store_->Cached("SELECT max(id) FROM account_rows"));
  FANZHA_ASSIGN_OR_RETURN(bool any, count->Step());
  if (any) keys_.Reserve(static_cast<size_t>(std::max<int64_t>(0, count->ColumnInt64(0))));
  count->Reset();
  FANZHA_ASSIGN_OR_RETURN(SqlStatement * s, store_->Cached("SELECT account, id FROM accounts"));
  ResetOnExit reset_s{s};
  for (;;) {
    FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    keys_.Insert(s->ColumnText(0), s->ColumnInt64(1));
  }
  preloaded_ = true;
  return Status::Ok();
}

Result<std::optional<SqlImport::Found>> SqlImport::Lookup(std::string_view account) {
  SqlStatement& find = S(kFindAccount);
  find.Bind(1, account);
  FANZHA_ASSIGN_OR_RETURN(bool row, find.Step());
  if (!row) {
    find.Reset();
    return std::optional<Found>();
  }
  Found f{find.ColumnInt64(0), find.ColumnInt64(1) != 0, Owner::kVisible};
  const int64_t import_id = find.ColumnInt64(2);
  find.Reset();
  FANZHA_ASSIGN_OR_RETURN(f.owner, OwnerOf(import_id));
  if (f.owner == Owner::kOther && f.declared) return Busy("account", account, import_id);
  return std::optional<Found>(f);
}

Status SqlImport::Adopt(std::string_view account, int64_t key) {
  FANZHA_RETURN_IF_ERROR(S(kAdopt).Bind(1, key).Run());
  keys_.Insert(account, key);
  return Status::Ok();
}

Result<std::optional<SqlImport::Key>> SqlImport::UsableKey(std::string_view account) {
  FANZHA_ASSIGN_OR_RETURN(std::optional<Found> f, Lookup(account));
  if (!f) return std::optional<Key>();
  const bool foreign = f->owner == Owner::kOther;
  if (!foreign) keys_.Insert(account, f->key);  // a foreign key is cached once adopted
  return std::optional<Key>(Key{f->key, foreign});
}

Result<std::optional<SqlImport::Key>> SqlImport::FindKey(std::string_view account) {
  if (int64_t key = keys_.Find(account)) return std::optional<Key>(Key{key, false});
  if (preloaded_) return std::optional<Key>();  // AddPlaceholder finds one stored since
  if (++lookups_ > kPointLookups) {
    FANZHA_ASSIGN_OR_RETURN(int64_t after, PreloadAfter());
    if (lookups_ > after) {
      FANZHA_RETURN_IF_ERROR(PreloadKeys());
      return FindKey(account);
    }
  }
  return UsableKey(account);
}

Result<SqlImport::Key> SqlImport::AddPlaceholder(std::string_view account) {
  FANZHA_RETURN_IF_ERROR(S(kAddPlaceholder).Bind(1, account).Bind(2, id_).Run());
  if (store_->db().Changes() == 1) {
    int64_t key = store_->db().LastInsertId();
    keys_.Insert(account, key);
    return Key{key, false};
  }
  // Another writer stored it after this import looked.
  FANZHA_ASSIGN_OR_RETURN(std::optional<Key> key, UsableKey(account));
  if (!key) return Status::Internal("account insert ignored but no row: " + std::string(account));
  return *key;
}

Result<PutOutcome> SqlImport::PutAccountRow(const Account& a) {
  if (a.id.empty())
    return Status::Invalid("account: empty account id").WithZh("account: 账户编号为空");
  FANZHA_RETURN_IF_ERROR(Reserve(1));
  const std::string attrs = EncodeAttributes(a.attributes);
  const std::string_view kind = Name(a.kind);
  FANZHA_ASSIGN_OR_RETURN(std::optional<Found> found, Lookup(a.id));
  if (found && found->owner == Owner::kOther) {  // another import's placeholder: shared now
    FANZHA_RETURN_IF_ERROR(Adopt(a.id, found->key));
    found->owner = Owner::kVisible;
  }
  if (!found) {                          // a new account
    SqlStatement& add = S(kAddAccount);  // `a`, `kind` and `attrs` outlive the run: not copied
    add.BindView(1, a.id).BindView(2, a.holder).BindView(3, a.institution).BindView(4, a.region);
    add.BindView(5, kind).Bind(6, a.opening_balance).BindView(7, attrs).Bind(8, id_);
    FANZHA_RETURN_IF_ERROR(add.Run());
    if (store_->db().Changes() == 1) {
      keys_.Insert(a.id, store_->db().LastInsertId());
      return PutOutcome::kAdded;
    }
    FANZHA_ASSIGN_OR_RETURN(found, Lookup(a.id));  // stored by another writer meanwhile
    if (!found) return Status::Internal("account insert ignored but no row: " + a.id);
    if (found->owner == Owner::kOther) {
      FANZHA_RETURN_IF_ERROR(Adopt(a.id, found->key));
      found->owner = Owner::kVisible;
    }
  }
  keys_.Insert(a.id, found->key);
  if (found->declared) {
    FANZHA_ASSIGN_OR_RETURN(auto stored, store_->GetAccountFrom(a.id, SqlStore::Rows::kAll));
    if (!stored) return Status::Internal("account vanished during import: " + a.id);
    return Compare("account", a.id, *stored, a, DiffAccounts(*stored, a));
  }
  if (auto f = fills_.find(found->key); f != fills_.end())  // declared twice by this import
    return Compare("account", a.id, f->second, a, DiffAccounts(f->second, a));
  if (found->owner == Owner::kThis) {  // its own placeholder: hidden anyway, filled in place
    SqlStatement& up = S(kDeclareOwn);
    up.Bind(1, a.holder).Bind(2, a.institution).Bind(3, a.region).Bind(4, kind);
    up.Bind(5, a.opening_balance).Bind(6, attrs).Bind(7, found->key);
    FANZHA_RETURN_IF_ERROR(up.Run());
    return PutOutcome::kAdded;
  }
  // A visible placeholder: filled when the import finishes, so that nothing shows before.
  SqlStatement& fill = S(kAddFill);
  fill.Bind(1, id_).Bind(2, found->key).Bind(3, a.holder).Bind(4, a.institution);
  fill.Bind(5, a.region).Bind(6, kind).Bind(7, a.opening_balance).Bind(8, attrs);
  FANZHA_RETURN_IF_ERROR(fill.Run());
  fills_.emplace(found->key, a);
  return PutOutcome::kAdded;
}

Result<PutOutcome> SqlImport::PutTransferRow(const Transfer& t) {
  if (t.id.empty()) return Status::Invalid("id: empty transfer id").WithZh("id: 交易编号为空");
  if (t.from.empty() && t.to.empty())
    return Status::Invalid("from, to: both empty").WithZh("from, to: 均为空");
  if (t.from == t.to)
    return Status::Invalid("to: the same account as from ('" + t.from + "')")
        .WithZh("to: 与 from 是同一账户（'" + t.from + "'）");
  FANZHA_RETURN_IF_ERROR(Reserve(1));
  // A stored transfer: unchanged, or a conflict naming both versions.
  auto existing = [&]() -> Result<PutOutcome> {
    SqlStatement& find = S(kFindTransfer);
    FANZHA_ASSIGN_OR_RETURN(bool found, find.Bind(1, t.id).Step());
    const int64_t import_id = found ? find.ColumnInt64(0) : 0;
    find.Reset();
    if (!found) return Status::Internal("transfer insert ignored but no row: " + t.id);
    FANZHA_ASSIGN_OR_RETURN(Owner owner, OwnerOf(import_id));
    if (owner == Owner::kOther) return Busy("transfer", t.id, import_id);
    FANZHA_ASSIGN_OR_RETURN(auto stored, store_->GetTransferFrom(t.id, SqlStore::Rows::kAll));
    if (!stored) return Status::Internal("transfer vanished during import: " + t.id);
    return Compare("transfer", t.id, *stored, t, DiffTransfers(*stored, t));
  };
  std::optional<Key> keys[2];
  bool missing = false;
  const std::string* accounts[2] = {&t.from, &t.to};
  keys_.Prefetch(t.from);
  keys_.Prefetch(t.to);
  for (int i = 0; i < 2; ++i) {
    if (accounts[i]->empty()) continue;
    FANZHA_ASSIGN_OR_RETURN(keys[i], FindKey(*accounts[i]));
    missing |= !keys[i].has_value();
  }
  auto key_of = [&](int i) {
    return keys[i] ? std::optional<int64_t>(keys[i]->key) : std::optional<int64_t>();
  };
  if (missing) {  // a stored transfer with this id cannot name this account: no placeholder then
    SqlStatement& find = S(kFindTransfer);
    FANZHA_ASSIGN_OR_RETURN(bool found, find.Bind(1, t.id).Step());
    find.Reset();
    if (found) return existing();
    for (int i = 0; i < 2; ++i) {
      if (accounts[i]->empty() || keys[i]) continue;
      FANZHA_ASSIGN_OR_RETURN(keys[i], AddPlaceholder(*accounts[i]));
    }
  }
  SqlStatement& add = S(kAddTransfer);  // `t` outlives the run: its text is bound, not copied
  add.BindView(1, t.id).Bind(2, t.time).Bind(3, key_of(0)).Bind(4, key_of(1)).Bind(5, t.amount);
  add.Bind(6, ChannelCode(t.channel)).BindView(7, t.memo).BindView(8, t.ip).BindView(9, t.device);
  add.BindView(10, t.currency).Bind(11, id_);
  FANZHA_RETURN_IF_ERROR(add.Run());
  if (store_->db().Changes() == 1) {
    for (int i = 0; i < 2; ++i) {
      if (keys[i] && keys[i]->foreign) FANZHA_RETURN_IF_ERROR(Adopt(*accounts[i], keys[i]->key));
    }
    ++transfers_;
    if (named_.size() < kNamedTransfers) named_.push_back(t.id);
    return PutOutcome::kAdded;
  }
  return existing();
}

Result<PutOutcome> SqlImport::PutCaseRow(const Case& c) {
  if (c.id.empty()) return Status::Invalid("id: empty case id").WithZh("id: 案件编号为空");
  FANZHA_RETURN_IF_ERROR(
      Reserve(1 + static_cast<int64_t>(c.identifiers.size() + c.transfers.size())));
  SqlStatement& add = S(kAddCase);
  add.Bind(1, c.id).Bind(2, c.reported_at).Bind(3, c.region).Bind(4, c.category);
  add.Bind(5, c.loss).Bind(6, c.narrative).Bind(7, c.victim.name).Bind(8, c.victim.phone);
  add.Bind(9, c.victim.account).Bind(10, id_);
  FANZHA_RETURN_IF_ERROR(add.Run());
  if (store_->db().Changes() == 0) {  // stored already
    SqlStatement& find = S(kFindCase);
    FANZHA_ASSIGN_OR_RETURN(bool found, find.Bind(1, c.id).Step());
    const int64_t import_id = found ? find.ColumnInt64(0) : 0;
    find.Reset();
    FANZHA_ASSIGN_OR_RETURN(Owner owner, OwnerOf(import_id));
    if (owner == Owner::kOther) return Busy("case", c.id, import_id);
    FANZHA_ASSIGN_OR_RETURN(auto stored, store_->GetCaseFrom(c.id, SqlStore::Rows::kAll));
    if (!stored) return Status::Internal("case insert ignored but no row: " + c.id);
    return Compare("case", c.id, *stored, c, DiffCases(*stored, c));
  }
  for (size_t i = 0; i < c.identifiers.size(); ++i) {
    const Identifier& id = c.identifiers[i];
    SqlStatement& s = S(kAddIdentifier);
    s.Bind(1, c.id).Bind(2, static_cast<int64_t>(i)).Bind(3, Name(id.type)).Bind(4, id.raw);
    s.Bind(5, id.value).Bind(6, id.valid ? 1 : 0).Bind(7, id_);
    FANZHA_RETURN_IF_ERROR(s.Run());
  }
  for (size_t i = 0; i < c.transfers.size(); ++i) {
    SqlStatement& s = S(kAddCaseTransfer);
    s.Bind(1, c.id).Bind(2, static_cast<int64_t>(i)).Bind(3, c.transfers[i]).Bind(4, id_);
    FANZHA_RETURN_IF_ERROR(s.Run());
  }
  return PutOutcome::kAdded;
}

std::string SqlImport::Notice() const {
  if (static_cast<size_t>(transfers_) > named_.size()) return "*";
  std::string ids = DumpJson(nlohmann::json(named_));
  return ids.size() > kMaxNotice ? "*" : ids;
}

Status SqlImport::Commit(const std::function<Status()>& with) {
  if (done_) return Status::Internal("import already committed");
  stmts_.clear();
  SqlDatabase& db = store_->db();
  if (!nest_ && !db.InTransaction()) FANZHA_RETURN_IF_ERROR(db.Begin());
  // The one short transaction that shows the import: fill the placeholders it declared (still
  // placeholders: another import may have declared one meanwhile), and leave pending_imports.
  auto finish = [&]() -> Status {
    if (!fills_.empty()) {
      FANZHA_ASSIGN_OR_RETURN(
          auto fill,
          db.Prepare("UPDATE account_rows SET declared = 1, holder = f.holder, institution = "
                     "f.institution, region = f.region, kind = f.kind, opening_balance = "
                     "f.opening_balance, attributes = f.attributes FROM account_fills f WHERE "
                     "f.import_id = ? AND account_rows.id = f.account_key AND "
                     "account_rows.declared = 0"));
      FANZHA_RETURN_IF_ERROR(fill->Bind(1, id_).Run());
      if (db.Changes() != static_cast<int64_t>(fills_.size()))
        return Status::Conflict(
                   "another import declared some of these accounts meanwhile: "
                   "import the file again to compare them")
            .WithZh("另一导入任务同时登记了其中部分账户：请重新导入本文件以比对");
      FANZHA_ASSIGN_OR_RETURN(auto drop,
                              db.Prepare("DELETE FROM account_fills WHERE import_id = ?"));
      FANZHA_RETURN_IF_ERROR(drop->Bind(1, id_).Run());
    }
    FANZHA_ASSIGN_OR_RETURN(auto done, db.Prepare("DELETE FROM pending_imports WHERE id = ?"));
    FANZHA_RETURN_IF_ERROR(done->Bind(1, id_).Run());
    done.reset();
    if (transfers_ > 0) FANZHA_RETURN_IF_ERROR(store_->engine().Announce(Notice()));
    if (with) FANZHA_RETURN_IF_ERROR(with());
    return nest_ ? nest_->Commit() : db.Commit();
  };
  Status st = finish();
  if (!st.ok()) return st;  // the destructor rolls back and removes the batches
  done_ = true;
  if (nest_) return Status::Ok();
  store_->engine().ReleaseImport(id_);
  return Status::Ok();
}

// ---- SqlStore methods ----

// A new import id (never reused) registered in pending_imports; the caller holds a transaction.
Result<int64_t> SqlStore::RegisterImport() {
  FANZHA_ASSIGN_OR_RETURN(SqlStatement * next,
                          Cached("UPDATE fanzha_meta SET value = CAST(CAST(value AS BIGINT) + 1 "
                                 "AS TEXT) WHERE key = 'last_import_id'"));
  FANZHA_RETURN_IF_ERROR(next->Run());
  FANZHA_ASSIGN_OR_RETURN(SqlStatement * read,
                          Cached("SELECT CAST(value AS BIGINT) FROM fanzha_meta WHERE key = "
                                 "'last_import_id'"));
  ResetOnExit reset_read{read};
  FANZHA_ASSIGN_OR_RETURN(bool row, read->Step());
  const int64_t id = row ? read->ColumnInt64(0) : 0;
  if (id <= 0) return Status::Internal("no import id in fanzha_meta");
  FANZHA_ASSIGN_OR_RETURN(SqlStatement * add,
                          Cached("INSERT INTO pending_imports (id, transfers) VALUES (?, 0)"));
  FANZHA_RETURN_IF_ERROR(add->Bind(1, id).Run());
  return id;
}

Result<std::unique_ptr<Store::Import>> SqlStore::BeginImport() {
  if (import_open_) return Status::Internal("an import is already open on this store");
  if (db_->InTransaction()) {  // nested: one savepoint of the caller's transaction, no batches
    FANZHA_ASSIGN_OR_RETURN(SqlTransaction nest, SqlTransaction::Begin(db_));
    FANZHA_ASSIGN_OR_RETURN(int64_t id, RegisterImport());
    import_open_ = true;
    auto imp =
        std::make_unique<SqlImport>(this, id, std::move(nest));  // rolls back if not committed
    FANZHA_RETURN_IF_ERROR(imp->Prepare());
    return std::unique_ptr<Import>(std::move(imp));
  }
  FANZHA_RETURN_IF_ERROR(CleanDeadImports());
  // Registers the import and holds its lock, in a transaction of its own: the batches begin when
  // records come.
  FANZHA_RETURN_IF_ERROR(db_->Begin());
  auto registered = [&]() -> Result<int64_t> {
    FANZHA_ASSIGN_OR_RETURN(int64_t id, RegisterImport());
    FANZHA_RETURN_IF_ERROR(engine_->HoldImport(id));
    return id;
  }();
  if (!registered.ok()) {
    (void)db_->Rollback();
    return registered.status();
  }
  const int64_t id = *registered;
  if (Status st = db_->Commit(); !st.ok()) {
    (void)db_->Rollback();
    engine_->ReleaseImport(id);
    return st;
  }
  import_open_ = true;
  auto imp = std::make_unique<SqlImport>(this, id, std::nullopt);  // its destructor rolls back
  FANZHA_RETURN_IF_ERROR(imp->Prepare());
  return std::unique_ptr<Import>(std::move(imp));
}

Status SqlStore::ForEachAccount(const std::function<void(const Account&)>& fn) {
  FANZHA_ASSIGN_OR_RETURN(auto s, db_->Prepare("SELECT " + std::string(kAccountColumns) +
                                               " FROM accounts ORDER BY id"));
  for (;;) {
    FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return Status::Ok();
    fn(ReadAccount(*s));
  }
}

Status SqlStore::ForEachTransfer(const std::function<void(const Transfer&)>& fn) {
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
  FANZHA_ASSIGN_OR_RETURN(auto s,
                          db_->Prepare("SELECT id, time, from_account, to_account, amount, "
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

Status SqlStore::ScanLedgerAccounts(const std::function<void(const LedgerAccountRow&)>& fn) {
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

Status SqlStore::ScanLedgerTransfers(const std::function<void(const LedgerTransferRow&)>& fn) {
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

Result<int64_t> SqlStore::CountTransfers() {
  // The highest sequence number less the transfers written by imports not finished yet: grows when
  // a transfer is stored and when an import finishes, not while one is written. O(1) and
  // O(pending imports).
  FANZHA_ASSIGN_OR_RETURN(
      auto s, db_->Prepare("SELECT (SELECT COALESCE(max(seq), 0) FROM transfer_rows) - "
                           "(SELECT COALESCE(SUM(transfers), 0) FROM pending_imports)"));
  FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
  return row ? s->ColumnInt64(0) : 0;
}

Result<int64_t> SqlStore::CountCases() {
  FANZHA_ASSIGN_OR_RETURN(auto s, db_->Prepare("SELECT COUNT(*) FROM cases"));
  FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
  return row ? s->ColumnInt64(0) : 0;
}

Status SqlStore::ForEachCaseHeader(const std::function<void(const Case&)>& fn) {
  FANZHA_ASSIGN_OR_RETURN(
      auto cases, db_->Prepare("SELECT " + std::string(kCaseColumns) + " FROM cases ORDER BY id"));
  for (;;) {
    FANZHA_ASSIGN_OR_RETURN(bool row, cases->Step());
    if (!row) return Status::Ok();
    fn(ReadCase(*cases));
  }
}

Status SqlStore::ForEachCase(const std::function<void(const Case&)>& fn) {
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

// The table names for `rows`: the views, or the tables of every row written.
struct Tables {
  const char* accounts;
  const char* transfers;
  const char* cases;
  const char* identifiers;
  const char* case_transfers;
};
constexpr Tables kVisibleTables{"accounts", "transfers", "cases", "case_identifiers",
                                "case_transfers"};
constexpr Tables kRowTablesByName{"account_rows", "transfer_rows", "case_rows",
                                  "case_identifier_rows", "case_transfer_rows"};
const Tables& TablesOf(SqlStore::Rows rows) {
  return rows == SqlStore::Rows::kVisible ? kVisibleTables : kRowTablesByName;
}

Result<std::optional<Account>> SqlStore::GetAccountFrom(std::string_view id, Rows rows) {
  FANZHA_ASSIGN_OR_RETURN(SqlStatement * s,
                          Cached("SELECT " + std::string(kAccountColumns) + " FROM " +
                                 TablesOf(rows).accounts + " WHERE account = ?"));
  ResetOnExit reset_s{s};
  s->Bind(1, id);
  FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return std::optional<Account>();
  return std::optional<Account>(ReadAccount(*s));
}

Result<std::optional<Transfer>> SqlStore::GetTransferFrom(std::string_view id, Rows rows) {
  const Tables& t = TablesOf(rows);
  FANZHA_ASSIGN_OR_RETURN(
      SqlStatement * s,
      Cached(std::string("SELECT t.id, t.time, fa.account, ta.account, t.amount, t.channel, "
                         "t.memo, t.ip, t.device, t.currency FROM ") +
             t.transfers + " t LEFT JOIN " + t.accounts + " fa ON fa.id = t.from_account " +
             "LEFT JOIN " + t.accounts + " ta ON ta.id = t.to_account WHERE t.id = ?"));
  ResetOnExit reset_s{s};
  s->Bind(1, id);
  FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return std::optional<Transfer>();
  Transfer tr;
  tr.id = s->ColumnString(0);
  tr.time = s->ColumnInt64(1);
  tr.from = s->ColumnString(2);
  tr.to = s->ColumnString(3);
  tr.amount = s->ColumnInt64(4);
  tr.channel = ChannelFromCode(s->ColumnInt64(5));
  tr.memo = s->ColumnString(6);
  tr.ip = s->ColumnString(7);
  tr.device = s->ColumnString(8);
  tr.currency = s->ColumnString(9);
  return std::optional<Transfer>(std::move(tr));
}

Status SqlStore::LoadCaseChildren(Case* c, Rows rows) {
  const Tables& t = TablesOf(rows);
  FANZHA_ASSIGN_OR_RETURN(SqlStatement * ids,
                          Cached(std::string("SELECT case_id, type, raw, value, valid FROM ") +
                                 t.identifiers + " WHERE case_id = ? ORDER BY seq"));
  ResetOnExit reset_ids{ids};
  ids->Bind(1, c->id);
  for (;;) {
    FANZHA_ASSIGN_OR_RETURN(bool row, ids->Step());
    if (!row) break;
    c->identifiers.push_back(ReadIdentifier(*ids));
  }
  FANZHA_ASSIGN_OR_RETURN(SqlStatement * trs,
                          Cached(std::string("SELECT transfer_id FROM ") + t.case_transfers +
                                 " WHERE case_id = ? ORDER BY seq"));
  ResetOnExit reset_trs{trs};
  trs->Bind(1, c->id);
  for (;;) {
    FANZHA_ASSIGN_OR_RETURN(bool row, trs->Step());
    if (!row) break;
    c->transfers.push_back(trs->ColumnString(0));
  }
  return Status::Ok();
}

Result<std::optional<Case>> SqlStore::GetCaseFrom(std::string_view id, Rows rows) {
  FANZHA_ASSIGN_OR_RETURN(SqlStatement * s,
                          Cached("SELECT " + std::string(kCaseColumns) + " FROM " +
                                 TablesOf(rows).cases + " WHERE id = ?"));
  ResetOnExit reset_s{s};
  s->Bind(1, id);
  FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return std::optional<Case>();
  Case c = ReadCase(*s);
  s->Reset();
  FANZHA_RETURN_IF_ERROR(LoadCaseChildren(&c, rows));
  return std::optional<Case>(std::move(c));
}

Result<std::vector<std::string>> SqlStore::FindCasesByIdentifier(IdentifierType type,
                                                                 std::string_view value) {
  FANZHA_ASSIGN_OR_RETURN(SqlStatement * s,
                          Cached("SELECT DISTINCT case_id FROM case_identifiers "
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

Result<Totals> SqlStore::CountTotals() {
  Totals t;
  std::pair<const char*, int64_t*> counts[] = {
      {"SELECT COUNT(*) FROM accounts", &t.accounts},
      {"SELECT COUNT(*) FROM transfers", &t.transfers},
      {"SELECT COUNT(*) FROM cases", &t.cases},
      {"SELECT COUNT(*) FROM case_identifiers", &t.identifiers},
      {"SELECT COUNT(*) FROM case_transfers", &t.case_transfers},
      {"SELECT COUNT(*) FROM accounts WHERE declared = 0", &t.accounts_only_in_transfers},
  };
  for (auto& [sql, out] : counts) {
    FANZHA_ASSIGN_OR_RETURN(auto s, db_->Prepare(sql));
    FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
    if (row) *out = s->ColumnInt64(0);
  }
  FANZHA_ASSIGN_OR_RETURN(auto span,
                          db_->Prepare("SELECT COALESCE(SUM(amount), 0), MIN(time), MAX(time) FROM "
                                       "transfers WHERE currency = 'CNY'"));
  FANZHA_ASSIGN_OR_RETURN(bool row, span->Step());
  if (row) {
    t.volume = span->ColumnInt64(0);
    if (!span->ColumnIsNull(1)) {
      t.first_transfer = span->ColumnInt64(1);
      t.last_transfer = span->ColumnInt64(2);
    }
  }
  std::pair<const char*, std::map<std::string, int64_t>*> groups[] = {
      {"SELECT kind, COUNT(*) FROM accounts GROUP BY kind", &t.accounts_by_kind},
      {"SELECT type, COUNT(*) FROM case_identifiers GROUP BY type", &t.identifiers_by_type},
      {"SELECT currency, COUNT(*) FROM transfers WHERE currency <> 'CNY' GROUP BY currency",
       &t.transfers_by_other_currency},
  };
  for (auto& [sql, out] : groups) {
    FANZHA_ASSIGN_OR_RETURN(auto s, db_->Prepare(sql));
    for (;;) {
      FANZHA_ASSIGN_OR_RETURN(bool more, s->Step());
      if (!more) break;
      (*out)[std::string(s->ColumnText(0))] = s->ColumnInt64(1);
    }
  }
  return t;
}

// ---- opening and migrating ----

Status Mismatch(const std::string& path, const std::string& why, const std::string& zh) {
  return Status(ErrorCode::kSchemaMismatch, path + ": " + why).WithZh(path + "：" + zh);
}

// The schema version recorded in the store: 0 for a new empty database.
Result<int> ReadVersion(StoreEngine& engine) {
  const std::string& where = engine.where();
  FANZHA_ASSIGN_OR_RETURN(std::vector<std::string> tables, engine.TableNames());
  if (tables.empty()) return 0;
  if (std::find(tables.begin(), tables.end(), "fanzha_meta") == tables.end())
    return Mismatch(where, "not a fanzha store (a database without fanzha's tables)",
                    "不是 fanzha 数据库（数据库中没有 fanzha 的表）");
  SqlDatabase& db = engine.db();
  FANZHA_ASSIGN_OR_RETURN(auto s, db.Prepare("SELECT key, value FROM fanzha_meta"));
  std::string app, version;
  for (;;) {
    FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    if (s->ColumnText(0) == "application") app = s->ColumnString(1);
    if (s->ColumnText(0) == "schema_version") version = s->ColumnString(1);
  }
  if (app != "fanzha")
    return Mismatch(where, "not a fanzha store (application '" + app + "')",
                    "不是 fanzha 数据库（application 为 '" + app + "'）");
  int v = 0;
  for (char ch : version) {
    if (ch < '0' || ch > '9' || v > 1000000)
      return Mismatch(where, "bad schema version '" + version + "'",
                      "数据库结构版本 '" + version + "' 无效");
    v = v * 10 + (ch - '0');
  }
  if (v > LatestSchemaVersion())
    return Mismatch(where,
                    "written by a newer fanzha (schema version " + std::to_string(v) +
                        "; this build reads up to " + std::to_string(LatestSchemaVersion()) +
                        "): upgrade fanzha",
                    "由更新版本的 fanzha 写入（数据库结构版本 " + std::to_string(v) +
                        "，本程序最高只能读取 " + std::to_string(LatestSchemaVersion()) +
                        "）：请升级 fanzha");
  return v;
}

// Applies the missing migrations in one transaction. Returns the version now in the store.
Result<int> Migrate(StoreEngine& engine) {
  SqlDatabase& db = engine.db();
  FANZHA_ASSIGN_OR_RETURN(auto tx, SqlTransaction::Begin(&db));
  FANZHA_RETURN_IF_ERROR(engine.LockSchema());
  FANZHA_ASSIGN_OR_RETURN(int version, ReadVersion(engine));  // again, under the lock
  if (version == LatestSchemaVersion()) return version;
  if (version == 0) {
    FANZHA_RETURN_IF_ERROR(db.Exec(engine.MigrationSql(
        "CREATE TABLE fanzha_meta (key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL);"
        "INSERT INTO fanzha_meta (key, value) VALUES ('application', 'fanzha'), "
        "('schema_version', '0')")));
  }
  for (const Migration& m : Migrations()) {
    if (m.version <= version) continue;
    Status st = db.Exec(engine.MigrationSql(m.sql));
    if (!st.ok())
      return st.WithContext("migration " + std::to_string(m.version) + " (" + std::string(m.name) +
                            ")");
    version = m.version;
  }
  FANZHA_ASSIGN_OR_RETURN(
      auto set, db.Prepare("UPDATE fanzha_meta SET value = ? WHERE key = 'schema_version'"));
  FANZHA_RETURN_IF_ERROR(set->Bind(1, std::to_string(version)).Run());
  set.reset();
  FANZHA_RETURN_IF_ERROR(tx.Commit());
  return version;
}

}  // namespace

Result<std::unique_ptr<Store>> OpenSqlStore(std::unique_ptr<StoreEngine> engine,
                                            const SqliteOptions& options) {
  FANZHA_RETURN_IF_ERROR(ReadVersion(*engine).status());  // refuse foreign stores before writing
  FANZHA_RETURN_IF_ERROR(engine->Prepare());
  FANZHA_ASSIGN_OR_RETURN(int version, Migrate(*engine));
  auto store = std::make_unique<SqlStore>(std::move(engine), version, options);
  FANZHA_RETURN_IF_ERROR(store->CleanDeadImports());  // rows of imports killed before they finished
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace fanzha::store
