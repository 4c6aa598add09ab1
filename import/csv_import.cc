// accounts.csv and transfers.csv (FORMATS.md).
#include <chrono>

#include "core/csv.h"
#include "core/text.h"
#include "import/internal.h"

namespace fanzha::import {
namespace {

using Clock = std::chrono::steady_clock;

// A CSV file's header: column index by (folded) name; columns not in `known` are attributes.
struct Header {
  std::vector<std::string> names;  // as written
  std::vector<std::string> keys;   // folded

  int Find(std::string_view key) const {
    for (size_t i = 0; i < keys.size(); ++i)
      if (keys[i] == key) return static_cast<int>(i);
    return -1;
  }
};

Result<Header> ReadHeader(CsvReader& reader, std::initializer_list<std::string_view> required,
                          const FileEncoding& encoding) {
  std::vector<std::string_view> row;
  if (!reader.Next(&row)) {
    if (!reader.status().ok()) return reader.status();
    return Status::Invalid(reader.path() + ":1: empty file (no header)")
        .WithZh(reader.path() + ":1：空文件（没有表头）");
  }
  FANZHA_RETURN_IF_ERROR(CheckRowText({}, row, encoding).WithContext(reader.path() + ":1: header"));
  Header h;
  for (std::string_view f : row) {
    h.names.emplace_back(Trim(f));
    h.keys.push_back(CsvHeaderKey(f));
  }
  for (std::string_view r : required) {
    if (h.Find(r) < 0)
      return Status::Invalid(reader.path() + ":1: missing column '" + std::string(r) + "'")
          .WithZh(reader.path() + ":1：缺少列 '" + std::string(r) + "'");
  }
  return h;
}

// The loop shared by the CSV importers: header, one Import, one call of `row_fn` per data row
// (which returns the row's PutOutcome or the reason it is bad), commit.
template <typename RowFn>
Result<FileReport> ImportCsv(const FileContext& ctx, const InputFile& file,
                             std::initializer_list<std::string_view> required, RowFn row_fn) {
  auto start = Clock::now();
  const std::string& path = file.path;
  FileReport report = StartReport(file);
  FANZHA_ASSIGN_OR_RETURN(auto reader, CsvReader::Open(path, file.encoding));
  FANZHA_ASSIGN_OR_RETURN(Header header, ReadHeader(*reader, required, file.encoding));
  FANZHA_ASSIGN_OR_RETURN(auto imp, ctx.store->BeginImport());
  FileProgress progress(*ctx.options, path, reader->file_size());
  std::vector<std::string_view> row;
  while (reader->Next(&row)) {
    if (row.size() == 1 && Trim(row[0]).empty()) continue;  // blank line
    ++report.rows;
    if ((report.rows & 4095) == 0) progress.Update(reader->bytes_read());
    Status shape = CheckFieldCount(header.names, row.size());
    if (shape.ok() && !file.encoding.valid) shape = CheckRowText(header.names, row, file.encoding);
    Result<store::PutOutcome> r =
        shape.ok() ? row_fn(*imp, header, row) : Result<store::PutOutcome>(shape);
    if (r.ok()) {
      ++(*r == store::PutOutcome::kAdded ? report.added : report.unchanged);
      continue;
    }
    if (r.status().code() == ErrorCode::kIoError || r.status().code() == ErrorCode::kInternal)
      return r.status().WithContext(path + ":" + std::to_string(reader->line()));
    FANZHA_RETURN_IF_ERROR(BadRow(ctx, &report, reader->line(), r.status(), RawRow(row)));
  }
  if (!reader->status().ok()) return reader->status();
  FANZHA_RETURN_IF_ERROR(imp->Commit(OnCommit(ctx, report)));
  report.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return report;
}

Result<Fen> Money(std::string_view field, std::string_view text, bool positive,
                  MoneyForm form = MoneyForm::kCanonical) {
  Result<Fen> v = ParseMoney(text, form);
  if (!v.ok()) return FieldError(field, v.status());
  if (positive && *v <= 0)
    return FieldError(field, "'" + Excerpt(text) + "' is not more than 0",
                      "'" + Excerpt(text) + "' 不大于 0");
  return v;
}

constexpr std::string_view kAccountColumns[] = {"account", "holder", "institution",
                                                "region",  "kind",   "opening_balance"};

Result<store::PutOutcome> AccountRow(store::Store::Import& imp, const Header& h,
                                     const std::vector<std::string_view>& row) {
  Account a;
  std::string_view account = Field(row, h.Find("account"));
  FANZHA_RETURN_IF_ERROR(CheckLength("account", account, Limits::kAccount));
  a.id = NormAccount(account);
  a.holder = std::string(Field(row, h.Find("holder")));
  a.institution = std::string(Field(row, h.Find("institution")));
  a.region = std::string(Field(row, h.Find("region")));
  Result<AccountKind> kind = ParseAccountKind(AsciiLower(Field(row, h.Find("kind"))));
  if (!kind.ok()) return FieldError("kind", kind.status());
  a.kind = *kind;
  std::string_view balance = Field(row, h.Find("opening_balance"));
  if (!balance.empty()) {
    FANZHA_ASSIGN_OR_RETURN(a.opening_balance, Money("opening_balance", balance, false));
  }
  for (size_t i = 0; i < h.keys.size(); ++i) {
    bool known = false;
    for (std::string_view k : kAccountColumns) known |= h.keys[i] == k;
    if (!known && !h.names[i].empty())
      a.attributes.emplace_back(h.names[i], std::string(Field(row, static_cast<int>(i))));
  }
  FANZHA_RETURN_IF_ERROR(CheckAccount(a));
  return imp.PutAccount(a);
}

// Column indices of transfers.csv, found once per file.
struct TransferColumns {
  int id, time, from, to, amount, channel, memo, ip, device;
  explicit TransferColumns(const Header& h)
      : id(h.Find("id")),
        time(h.Find("time")),
        from(h.Find("from")),
        to(h.Find("to")),
        amount(h.Find("amount")),
        channel(h.Find("channel")),
        memo(h.Find("memo")),
        ip(h.Find("ip")),
        device(h.Find("device")) {}
};

// Channel names as written in canonical files, without building a lower-cased copy.
Result<Channel> ParseChannelField(std::string_view s) {
  if (s.empty() || s == "transfer") return Channel::kTransfer;
  if (s == "withdrawal") return Channel::kWithdrawal;
  if (s == "deposit") return Channel::kDeposit;
  if (s == "purchase") return Channel::kPurchase;
  return ParseChannel(AsciiLower(s));
}

// Parses a row into *t, reusing its strings' storage (no allocation per row once warm).
Status ParseTransferRow(const TransferColumns& c, const std::vector<std::string_view>& row,
                        Zone zone, Transfer* t) {
  t->id.assign(Field(row, c.id));
  std::string_view time = Field(row, c.time);
  Result<Millis> ms = ParseTime(time, zone);
  if (!ms.ok()) return FieldError("time", ms.status());
  t->time = *ms;
  std::string_view from = Field(row, c.from), to = Field(row, c.to);
  FANZHA_RETURN_IF_ERROR(CheckLength("from", from, Limits::kAccount));
  FANZHA_RETURN_IF_ERROR(CheckLength("to", to, Limits::kAccount));
  NormAccountInto(from, &t->from);
  NormAccountInto(to, &t->to);
  FANZHA_ASSIGN_OR_RETURN(t->amount, Money("amount", Field(row, c.amount), true));
  Result<Channel> ch = ParseChannelField(Field(row, c.channel));
  if (!ch.ok()) return FieldError("channel", ch.status());
  t->channel = *ch;
  t->memo.assign(Field(row, c.memo));
  t->ip.assign(Field(row, c.ip));
  t->device.assign(Field(row, c.device));
  return CheckTransfer(*t);
}

}  // namespace

Result<FileReport> ImportAccounts(const FileContext& ctx, const InputFile& file) {
  return ImportCsv(ctx, file, {"account"}, AccountRow);
}

Result<FileReport> ImportTransfers(const FileContext& ctx, const InputFile& file) {
  std::optional<TransferColumns> cols;
  Zone zone = ctx.options->zone;
  Transfer t;  // reused for every row
  auto row_fn = [&](store::Store::Import& imp, const Header& h,
                    const std::vector<std::string_view>& row) -> Result<store::PutOutcome> {
    if (!cols) cols.emplace(h);
    FANZHA_RETURN_IF_ERROR(ParseTransferRow(*cols, row, zone, &t));
    return imp.PutTransfer(t);
  };
  return ImportCsv(ctx, file, {"id", "time", "from", "to", "amount"}, row_fn);
}

}  // namespace fanzha::import
