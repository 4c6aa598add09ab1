// Bank statements (银行流水): postings seen from one account's side, paired into transfers.
// See import.h for the rules; FORMATS.md for the headers.
#include <algorithm>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "core/csv.h"
#include "core/json.h"
#include "core/text.h"
#include "import/internal.h"

namespace fanzha::import {
namespace {

Result<Side> ParseDirection(std::string_view text) {
  std::string s = AsciiLower(Trim(FoldAsciiWidth(text)));
  static const std::string_view kOutWords[] = {"借", "出", "d",    "dr",    "借方", "支出",
                                               "付", "支", "转出", "debit", "out",  "-"};
  static const std::string_view kInWords[] = {"贷", "进",   "c",      "cr", "贷方", "收入",
                                              "收", "转入", "credit", "in", "+"};
  for (std::string_view w : kOutWords)
    if (s == w) return kOut;
  for (std::string_view w : kInWords)
    if (s == w) return kIn;
  return FieldError("direction",
                    "'" + Excerpt(text) + "' is neither debit (借/出/D) nor credit (贷/进/C)",
                    "'" + Excerpt(text) + "' 既不是借方（借/出/D）也不是贷方（贷/进/C）");
}

Result<std::optional<Fen>> ParseBalance(std::string_view text) {
  if (text.empty()) return std::optional<Fen>();
  bool negative = text.starts_with("-");
  Result<Fen> v = ParseMoney(negative ? text.substr(1) : text, MoneyForm::kLenient);
  if (!v.ok()) return FieldError("balance", v.status());
  return std::optional<Fen>(negative ? -*v : *v);
}

Result<Millis> ParseRowTime(const StatementColumns& c, const std::vector<std::string_view>& row,
                            Zone zone) {
  std::string_view date = Field(row, c.date), time = Field(row, c.time);
  std::string text;
  const char* field = c.time >= 0 ? "time" : "date";
  if (!date.empty() && !time.empty() && time.size() <= 8)
    text = std::string(date) + " " + std::string(time);
  else
    text = std::string(time.empty() ? date : time);
  if (text.empty()) return FieldError(field, "empty", "为空");
  Result<Millis> ms = ParseTime(FoldAsciiWidth(text), zone);
  if (!ms.ok()) return FieldError(field, ms.status());
  return ms;
}

struct ParsedHeader {
  StatementColumns cols;
  std::vector<std::string> names;
  std::vector<bool> known;
};

ParsedHeader ParseHeader(const std::vector<std::string_view>& row) {
  ParsedHeader h;
  std::vector<std::string> keys;
  for (std::string_view f : row) {
    keys.push_back(CsvHeaderKey(f));
    h.names.emplace_back(Trim(f));
  }
  h.cols = MapStatementHeader(keys);
  const StatementColumns& c = h.cols;
  h.known.assign(keys.size(), false);
  for (int i : {c.serial, c.time, c.date, c.account, c.direction, c.amount, c.balance,
                c.counterparty, c.counterparty_name, c.counterparty_bank, c.memo, c.ip, c.mac})
    if (i >= 0) h.known[i] = true;
  return h;
}

}  // namespace

// The lengths of the posting's own texts (the transfer it makes is checked by CheckTransfer).
Status CheckPosting(const Posting& p) {
  FANZHA_RETURN_IF_ERROR(CheckLength("serial", p.serial, Limits::kId));
  FANZHA_RETURN_IF_ERROR(CheckLength("account", p.account, Limits::kAccount));
  FANZHA_RETURN_IF_ERROR(CheckLength("counterparty", p.counterparty, Limits::kAccount));
  FANZHA_RETURN_IF_ERROR(CheckLength("counterparty_name", p.counterparty_name, Limits::kName));
  FANZHA_RETURN_IF_ERROR(CheckLength("counterparty_bank", p.counterparty_bank, Limits::kName));
  FANZHA_RETURN_IF_ERROR(CheckLength("memo", p.memo, Limits::kMemo));
  FANZHA_RETURN_IF_ERROR(CheckLength("ip", p.ip, Limits::kShortText));
  FANZHA_RETURN_IF_ERROR(CheckLength("mac", p.mac, Limits::kShortText));
  return CheckLength("attributes", p.attributes, Limits::kAttribute * Limits::kAttributes);
}

namespace {

Result<Posting> ParseRow(const ParsedHeader& h, const std::vector<std::string_view>& row,
                         const std::string& file_account, Zone zone) {
  const StatementColumns& c = h.cols;
  Posting p;
  FANZHA_RETURN_IF_ERROR(CheckLength("account", Field(row, c.account), Limits::kAccount));
  FANZHA_RETURN_IF_ERROR(CheckLength("counterparty", Field(row, c.counterparty), Limits::kAccount));
  p.account = NormAccount(Field(row, c.account));
  if (p.account.empty()) p.account = file_account;
  if (p.account.empty()) return FieldError("account", "empty", "为空");
  FANZHA_ASSIGN_OR_RETURN(p.time, ParseRowTime(c, row, zone));
  FANZHA_ASSIGN_OR_RETURN(p.side, ParseDirection(Field(row, c.direction)));
  Result<Fen> amount = ParseMoney(Field(row, c.amount), MoneyForm::kLenient);
  if (!amount.ok()) return FieldError("amount", amount.status());
  if (*amount <= 0)
    return FieldError("amount", "'" + Excerpt(Field(row, c.amount)) + "' is not more than 0",
                      "'" + Excerpt(Field(row, c.amount)) + "' 不大于 0");
  p.amount = *amount;
  FANZHA_ASSIGN_OR_RETURN(p.balance, ParseBalance(Field(row, c.balance)));
  p.counterparty = NormAccount(Field(row, c.counterparty));
  if (p.counterparty == p.account)
    return FieldError("counterparty", "the statement's own account", "是本流水自己的账户");
  p.counterparty_name = std::string(Field(row, c.counterparty_name));
  p.counterparty_bank = std::string(Field(row, c.counterparty_bank));
  p.memo = std::string(Field(row, c.memo));
  p.ip = std::string(Field(row, c.ip));
  p.mac = std::string(Field(row, c.mac));
  p.serial = std::string(Field(row, c.serial));
  nlohmann::json attrs = nlohmann::json::array();
  for (size_t i = 0; i < h.names.size() && i < row.size(); ++i)
    if (!h.known[i] && !h.names[i].empty())
      attrs.push_back({h.names[i], std::string(Field(row, i))});
  if (!attrs.empty()) p.attributes = DumpJson(attrs);
  FANZHA_RETURN_IF_ERROR(CheckPosting(p));
  return p;
}

// Phase 1: every statement file parsed; bad rows rejected (skip_bad) or the call fails.
Status ReadStatement(const FileContext& ctx, size_t file, const InputFile& input,
                     FileReport* report, std::vector<Posting>* out) {
  if (input.kind == FileKind::kStatement && SniffIso20022(report->path))
    return ReadCamtStatement(ctx, file, report, out);
  FANZHA_ASSIGN_OR_RETURN(auto reader, CsvReader::Open(report->path, input.encoding));
  std::vector<std::string_view> row;
  if (!reader->Next(&row)) {
    if (!reader->status().ok()) return reader->status();
    return Status::Invalid(report->path + ":1: empty file (no header)")
        .WithZh(report->path + ":1：空文件（没有表头）");
  }
  FANZHA_RETURN_IF_ERROR(
      CheckRowText({}, row, input.encoding).WithContext(report->path + ":1: header"));
  ParsedHeader h = ParseHeader(row);
  std::string file_account = AccountFromFileName(report->path);
  std::map<std::string, int> serial_count;  // for rows without a serial
  while (reader->Next(&row)) {
    if (row.size() == 1 && Trim(row[0]).empty()) continue;
    ++report->rows;
    Status shape = CheckFieldCount(h.names, row.size());
    if (shape.ok() && !input.encoding.valid) shape = CheckRowText(h.names, row, input.encoding);
    Result<Posting> p =
        shape.ok() ? ParseRow(h, row, file_account, ctx.options->zone) : Result<Posting>(shape);
    if (!p.ok()) {
      FANZHA_RETURN_IF_ERROR(BadRow(ctx, report, reader->line(), p.status(), RawRow(row)));
      continue;
    }
    p->file = file;
    p->line = reader->line();
    p->raw = RawRow(row);
    if (p->serial.empty()) {  // deterministic stand-in: account@time#n
      std::string base = p->account + "@" + std::to_string(p->time);
      p->serial = base + "#" + std::to_string(++serial_count[base]);
    }
    out->push_back(std::move(*p));
  }
  return reader->status();
}

bool SamePosting(const Posting& a, const Posting& b) {
  return a.side == b.side && a.time == b.time && a.amount == b.amount && a.currency == b.currency &&
         a.balance == b.balance && a.counterparty == b.counterparty &&
         a.counterparty_name == b.counterparty_name && a.counterparty_bank == b.counterparty_bank &&
         a.memo == b.memo && a.ip == b.ip && a.mac == b.mac && a.attributes == b.attributes;
}

constexpr std::string_view kPostingColumns =
    "account, serial, side, time, amount, balance, counterparty, counterparty_name, "
    "counterparty_bank, memo, ip, mac, attributes, transfer_id, currency";

Posting ReadPosting(const store::SqlStatement& s) {
  Posting p;
  p.account = s.ColumnString(0);
  p.serial = s.ColumnString(1);
  p.side = s.ColumnInt64(2) == kIn ? kIn : kOut;
  p.time = s.ColumnInt64(3);
  p.amount = s.ColumnInt64(4);
  if (!s.ColumnIsNull(5)) p.balance = s.ColumnInt64(5);
  p.counterparty = s.ColumnString(6);
  p.counterparty_name = s.ColumnString(7);
  p.counterparty_bank = s.ColumnString(8);
  p.memo = s.ColumnString(9);
  p.ip = s.ColumnString(10);
  p.mac = s.ColumnString(11);
  p.attributes = s.ColumnString(12);
  p.transfer_id = s.ColumnString(13);
  p.currency = s.ColumnString(14);
  p.stored = true;
  return p;
}

// Phase 2a: postings already stored (re-import) are unchanged, or conflicts; duplicates within the
// call likewise. Returns the rows to reject through `bad` (index, reason).
Status CheckKnown(store::SqlDatabase& db, std::vector<Posting>* ps,
                  std::vector<std::pair<size_t, Status>>* bad) {
  FANZHA_ASSIGN_OR_RETURN(auto find,
                          db.Prepare("SELECT " + std::string(kPostingColumns) +
                                     " FROM statement_postings WHERE account = ? AND serial = ?"));
  std::map<std::pair<std::string, std::string>, size_t> seen;
  for (size_t i = 0; i < ps->size(); ++i) {
    Posting& p = (*ps)[i];
    auto [it, fresh] = seen.emplace(std::make_pair(p.account, p.serial), i);
    const Posting* other = fresh ? nullptr : &(*ps)[it->second];
    find->Bind(1, p.account).Bind(2, p.serial);
    FANZHA_ASSIGN_OR_RETURN(bool row, find->Step());
    std::optional<Posting> stored;
    if (row) stored = ReadPosting(*find);
    find->Reset();
    if (stored) other = &*stored;
    if (!other) continue;
    if (SamePosting(p, *other)) {
      p.unchanged = true;
      continue;
    }
    bad->emplace_back(
        i, Status::Conflict("serial: posting '" + p.serial + "' of account " + p.account +
                            " is already " + (stored ? "stored" : "in this call") +
                            " with different content (time, amount, direction "
                            "or counterparty)")
               .WithZh("serial: 账户 " + p.account + " 的流水 '" + p.serial + "' " +
                       (stored ? "已入库" : "在本次导入中已出现") +
                       "，但内容不同（时间、金额、借贷方向或对方账户）"));
  }
  return Status::Ok();
}

// Which postings may pair (Pair): a debit and a credit of the same payer, payee, amount and
// currency.
using PairKey = std::tuple<std::string, std::string, Fen, std::string>;
PairKey PairKeyOf(const Posting& p) {
  return p.side == kOut ? PairKey{p.account, p.counterparty, p.amount, p.currency}
                        : PairKey{p.counterparty, p.account, p.amount, p.currency};
}

// Stored postings whose transfer has no posting from the other side yet, of the pairs of accounts
// (PairKey) the postings in *ps name: the only stored ones Pair can match with them (a group of
// stored postings alone pairs nothing). Read account by account through the table's key, so it
// costs what those accounts hold, not what the store holds (every statement a centre ever took).
// In (account, serial) order.
Status LoadUnpaired(store::SqlDatabase& db, std::vector<Posting>* ps) {
  std::set<PairKey> groups;
  std::set<std::string> accounts;
  for (const Posting& p : *ps) {
    if (p.counterparty.empty()) continue;
    groups.insert(PairKeyOf(p));
    accounts.insert(p.account);
    accounts.insert(p.counterparty);
  }
  FANZHA_ASSIGN_OR_RETURN(
      auto s, db.Prepare("SELECT " + std::string(kPostingColumns) +
                         " FROM statement_postings p WHERE account = ? AND counterparty <> '' AND "
                         "NOT EXISTS (SELECT 1 FROM statement_postings q WHERE q.transfer_id = "
                         "p.transfer_id AND q.side <> p.side) ORDER BY serial"));
  for (const std::string& account : accounts) {
    s->Bind(1, account);
    for (;;) {
      FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) break;
      Posting p = ReadPosting(*s);
      if (groups.count(PairKeyOf(p))) ps->push_back(std::move(p));
    }
    s->Reset();
  }
  return Status::Ok();
}

// Phase 2b: one-to-one pairing of debits with credits per (payer, payee, amount, currency): both
// sides sorted by time, a two-pointer sweep pairs the earliest partners within the window (a
// maximum matching for equal windows). Pairs of two stored postings are left alone.
void Pair(std::vector<Posting>* ps, Millis window) {
  std::map<PairKey, std::pair<std::vector<int>, std::vector<int>>> groups;
  for (size_t i = 0; i < ps->size(); ++i) {
    const Posting& p = (*ps)[i];
    if (p.unchanged || p.counterparty.empty()) continue;
    auto& [outs, ins] = groups[PairKeyOf(p)];
    (p.side == kOut ? outs : ins).push_back(static_cast<int>(i));
  }
  auto by_time = [&](int a, int b) {
    return std::tie((*ps)[a].time, a) < std::tie((*ps)[b].time, b);
  };
  for (auto& [key, sides] : groups) {
    auto& [outs, ins] = sides;
    std::sort(outs.begin(), outs.end(), by_time);
    std::sort(ins.begin(), ins.end(), by_time);
    size_t i = 0, j = 0;
    while (i < outs.size() && j < ins.size()) {
      Posting& o = (*ps)[outs[i]];
      Posting& n = (*ps)[ins[j]];
      if (o.stored && n.stored) {
        ++(o.time <= n.time ? i : j);
      } else if (std::llabs(o.time - n.time) <= window) {
        o.partner = ins[j];
        n.partner = outs[i];
        ++i, ++j;
      } else {
        ++(o.time < n.time ? i : j);
      }
    }
  }
}

// Phase 2c: transfer ids. A pair takes the stored partner's transfer, else the payer's serial.
void AssignTransfers(std::vector<Posting>* ps) {
  for (Posting& p : *ps) {
    if (p.stored || p.unchanged) continue;
    if (p.partner < 0) {
      p.transfer_id = p.serial;
      continue;
    }
    Posting& q = (*ps)[p.partner];
    if (q.stored) {
      p.transfer_id = q.transfer_id;
      p.merges = true;
    } else {
      p.transfer_id = p.side == kOut ? p.serial : q.serial;
      // The posting written second (later file, or later line) merges into the first.
      p.merges = std::tie(p.file, p.line) > std::tie(q.file, q.line);
    }
  }
}

Transfer MakeTransfer(const Posting& p, const std::vector<Posting>& ps) {
  const Posting* partner = p.partner >= 0 ? &ps[p.partner] : nullptr;
  const Posting* payer = p.side == kOut ? &p : partner;
  const Posting* payee = p.side == kIn ? &p : partner;
  Transfer t;
  t.id = p.transfer_id;
  t.time = payer ? payer->time : p.time;
  t.amount = p.amount;
  t.currency = p.currency;
  if (p.counterparty.empty()) {
    t.channel = p.side == kOut ? Channel::kWithdrawal : Channel::kDeposit;
    (p.side == kOut ? t.from : t.to) = p.account;
  } else {
    t.from = p.side == kOut ? p.account : p.counterparty;
    t.to = p.side == kOut ? p.counterparty : p.account;
  }
  t.memo = payer && !payer->memo.empty() ? payer->memo : payee ? payee->memo : "";
  if (payer) {
    t.ip = payer->ip;
    t.device = payer->mac;
  }
  return t;
}

// Phase 3: one file, one transaction.
Result<FileReport> WriteStatement(const FileContext& ctx, FileReport report,
                                  const std::vector<Posting>& ps, const std::vector<size_t>& rows,
                                  const std::map<size_t, Status>& bad) {
  FANZHA_ASSIGN_OR_RETURN(auto imp, ctx.store->BeginImport());
  store::SqlDatabase& db = ctx.store->sql();
  FANZHA_ASSIGN_OR_RETURN(
      auto add, db.Prepare("INSERT INTO statement_posting_rows (" + std::string(kPostingColumns) +
                           ", source, import_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                           "?, ?, ?)"));
  for (size_t i : rows) {
    const Posting& p = ps[i];
    if (auto b = bad.find(i); b != bad.end()) {
      FANZHA_RETURN_IF_ERROR(BadRow(ctx, &report, p.line, b->second, p.raw));
      continue;
    }
    if (p.unchanged) {
      ++report.unchanged;
      continue;
    }
    bool stored_transfer = p.partner >= 0 && ps[p.partner].stored;
    if (!stored_transfer) {
      Transfer t = MakeTransfer(p, ps);
      Status rules = CheckTransfer(t);
      Result<store::PutOutcome> r =
          rules.ok() ? imp->PutTransfer(t) : Result<store::PutOutcome>(rules);
      if (!r.ok()) {
        if (r.status().code() == ErrorCode::kIoError || r.status().code() == ErrorCode::kInternal)
          return r.status();
        FANZHA_RETURN_IF_ERROR(BadRow(ctx, &report, p.line, r.status(), p.raw));
        continue;
      }
    }
    ++(p.merges ? report.merged : report.added);
    add->Bind(1, p.account).Bind(2, p.serial).Bind(3, static_cast<int64_t>(p.side));
    add->Bind(4, p.time).Bind(5, p.amount).Bind(6, p.balance).Bind(7, p.counterparty);
    add->Bind(8, p.counterparty_name).Bind(9, p.counterparty_bank).Bind(10, p.memo);
    add->Bind(11, p.ip).Bind(12, p.mac).Bind(13, p.attributes).Bind(14, p.transfer_id);
    add->Bind(15, p.currency).Bind(16, report.path + ":" + std::to_string(p.line));
    add->Bind(17, imp->id());
    FANZHA_RETURN_IF_ERROR(add->Run().WithContext(report.path + ":" + std::to_string(p.line)));
  }
  add.reset();
  FANZHA_RETURN_IF_ERROR(imp->Commit(OnCommit(ctx, report)));
  return report;
}

}  // namespace

Result<std::vector<std::string>> PostingAttributes(store::Store& store,
                                                   std::string_view transfer_id) {
  FANZHA_ASSIGN_OR_RETURN(auto s,
                          store.sql().Prepare("SELECT attributes FROM statement_postings "
                                              "WHERE transfer_id = ? ORDER BY side, account"));
  s->Bind(1, transfer_id);
  std::vector<std::string> out;
  for (;;) {
    FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return out;
    out.push_back(s->ColumnString(0));
  }
}

namespace {

constexpr std::string_view kStoredPostingColumns =
    "account, serial, side, time, amount, currency, transfer_id FROM statement_postings";

Result<std::vector<StoredPosting>> ReadPostings(store::SqlStatement& s) {
  return store::ReadRows<StoredPosting>(s, [](const store::SqlStatement& r) {
    return StoredPosting{r.ColumnString(0), r.ColumnString(1), r.ColumnInt64(2) == kIn,
                         r.ColumnInt64(3),  r.ColumnInt64(4),  r.ColumnString(5),
                         r.ColumnString(6)};
  });
}

}  // namespace

Result<std::vector<StoredPosting>> ListPostings(store::Store& store) {
  FANZHA_ASSIGN_OR_RETURN(auto s,
                          store.sql().Prepare("SELECT " + std::string(kStoredPostingColumns) +
                                              " ORDER BY account, serial"));
  return ReadPostings(*s);
}

Result<std::vector<StoredPosting>> PostingsOf(store::Store& store, std::string_view account,
                                              Millis from, Millis to) {
  FANZHA_ASSIGN_OR_RETURN(auto s,
                          store.sql().Prepare("SELECT " + std::string(kStoredPostingColumns) +
                                              " WHERE account = ? AND time >= ? AND "
                                              "time < ? ORDER BY time, serial"));
  s->Bind(1, account).Bind(2, from).Bind(3, to);
  return ReadPostings(*s);
}

Result<PostingTotals> CountPostings(store::Store& store) {
  FANZHA_ASSIGN_OR_RETURN(
      auto s, store.sql().Prepare("SELECT COUNT(*), COALESCE(SUM(CASE WHEN side = ? THEN amount "
                                  "END), 0), COALESCE(SUM(CASE WHEN side = ? THEN amount END), 0) "
                                  "FROM statement_postings"));
  s->Bind(1, static_cast<int64_t>(kIn)).Bind(2, static_cast<int64_t>(kOut));
  FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
  PostingTotals t;
  if (row) t = {s->ColumnInt64(0), s->ColumnInt64(1), s->ColumnInt64(2)};
  return t;
}

Status ImportStatements(const FileContext& ctx, const std::vector<InputFile>& inputs,
                        std::vector<FileReport>* reports,
                        const std::function<void(const FileReport&)>& on_file) {
  auto start = std::chrono::steady_clock::now();
  std::vector<FileReport> files(inputs.size());
  std::vector<Posting> ps;
  for (size_t f = 0; f < inputs.size(); ++f) {
    files[f] = StartReport(inputs[f]);
    FANZHA_RETURN_IF_ERROR(ReadStatement(ctx, f, inputs[f], &files[f], &ps));
  }
  size_t fresh = ps.size();
  store::SqlDatabase& db = ctx.store->sql();
  std::vector<std::pair<size_t, Status>> bad_list;
  FANZHA_RETURN_IF_ERROR(CheckKnown(db, &ps, &bad_list));
  std::map<size_t, Status> bad(bad_list.begin(), bad_list.end());
  for (auto& [i, st] : bad) ps[i].unchanged = true;  // keep them out of the pairing
  FANZHA_RETURN_IF_ERROR(LoadUnpaired(db, &ps));
  Pair(&ps, ctx.options->merge_window_ms);
  AssignTransfers(&ps);
  for (auto& [i, st] : bad) ps[i].unchanged = false;
  double parse_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (size_t f = 0; f < inputs.size(); ++f) {
    auto file_start = std::chrono::steady_clock::now();
    std::vector<size_t> rows;
    for (size_t i = 0; i < fresh; ++i)
      if (ps[i].file == f) rows.push_back(i);
    FANZHA_ASSIGN_OR_RETURN(FileReport r, WriteStatement(ctx, files[f], ps, rows, bad));
    r.seconds =
        parse_seconds / inputs.size() +
        std::chrono::duration<double>(std::chrono::steady_clock::now() - file_start).count();
    reports->push_back(r);
    if (on_file) on_file(r);
  }
  return Status::Ok();
}

}  // namespace fanzha::import
