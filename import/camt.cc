// ISO 20022 bank statements (camt.052, camt.053, camt.054) as statement postings: read by
// iso20022/statement.h, then paired and stored like the CSV statements (statements.cc).
#include <sys/stat.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "core/json.h"
#include "import/internal.h"

namespace fanzha::import {

std::optional<iso20022::MessageType> SniffIso20022(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string head(64 << 10, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  return iso20022::Sniff(head);
}

namespace {

// What a posting keeps of the transaction besides its columns: the bank's references and codes,
// as [name, value] pairs (statement_postings.attributes, the form CSV statements use), only those
// present.
std::string Attributes(const iso20022::Transaction& t) {
  nlohmann::json a = nlohmann::json::array();
  auto add = [&](const char* name, const std::string& value) {
    if (!value.empty()) a.push_back({name, value});
  };
  add("statement", t.statement_id);
  add("id_source", t.id_source);
  add("NtryRef", t.entry_ref);
  add("Ntry/AcctSvcrRef", t.entry_servicer_ref);
  add("AcctSvcrRef", t.servicer_ref);
  add("MsgId", t.message_id);
  add("PmtInfId", t.payment_info_id);
  add("InstrId", t.instruction_id);
  add("EndToEndId", t.end_to_end_id);
  add("TxId", t.tx_id);
  add("UETR", t.uetr);
  add("MndtId", t.mandate_id);
  add("ChqNb", t.cheque_number);
  add("ClrSysRef", t.clearing_ref);
  add("BkTxCd", t.bank_code);
  add("RvslInd", t.reversal ? "true" : "");
  add("RtrRsn", t.return_reason);
  add("time_source", t.time_source);
  if (!t.remittance.empty()) add("AddtlInf", t.info);  // the memo holds the remittance then
  if (!t.instructed_currency.empty())
    add("InstdAmt", FormatMoney(t.instructed_amount) + " " + t.instructed_currency);
  if (t.count > 1) add("batch", std::to_string(t.index) + "/" + std::to_string(t.count));
  return DumpJson(a);
}

class PostingCollector : public iso20022::StatementVisitor {
 public:
  PostingCollector(const FileContext& ctx, size_t file, FileReport* report,
                   std::vector<Posting>* out)
      : ctx_(ctx), file_(file), report_(report), out_(out) {}

  Status OnTransaction(const iso20022::Transaction& t) override {
    ++report_->rows;
    // Only booked money moved: pending and informational entries (and nothing at all) are left
    // out, counted as skipped.
    if (t.status != iso20022::EntryStatus::kBooked || t.amount == 0) {
      ++report_->skipped;
      return Status::Ok();
    }
    Posting p;
    p.file = file_;
    p.line = t.line;
    p.raw = t.path;
    p.account = NormAccount(t.account);
    if (p.account.empty())
      return BadRow(ctx_, report_, t.line,
                    Status::Invalid(t.path + ": the statement's account "
                                             "(Acct/Id) is empty")
                        .WithZh(t.path + "：对账单的账户（Acct/Id）为空"),
                    t.path);
    p.side = t.credit ? kIn : kOut;
    p.time = t.booked_at;
    p.amount = t.amount;
    p.currency = t.currency;
    p.counterparty = NormAccount(t.counterparty_account);
    if (p.counterparty == p.account) p.counterparty.clear();  // own account: no other party
    p.counterparty_name = t.counterparty_name;
    p.counterparty_bank = t.counterparty_bank;
    p.memo = t.remittance.empty() ? t.info : t.remittance;
    p.attributes = Attributes(t);
    // The bank's reference; a reference seen before in this file for this account gets "#2",
    // "#3" (banks repeat them), and a transaction without any gets a stand-in from what it is.
    std::string base = !t.id.empty()
                           ? t.id
                           : p.account + "@" + std::to_string(p.time) + "/" +
                                 (t.credit ? "C" : "D") + FormatMoney(p.amount) + p.currency;
    int n = ++seen_[{p.account, base}];
    p.serial = t.id.empty() || n > 1 ? base + "#" + std::to_string(n) : base;
    if (Status rules = CheckPosting(p); !rules.ok())
      return BadRow(ctx_, report_, t.line, rules.WithContext(t.path), t.path);
    out_->push_back(std::move(p));
    return Status::Ok();
  }

  Status OnBadEntry(int64_t line, const Status& why, std::string_view raw) override {
    ++report_->rows;
    return BadRow(ctx_, report_, line, why, raw);
  }

 private:
  const FileContext& ctx_;
  size_t file_;
  FileReport* report_;
  std::vector<Posting>* out_;
  std::map<std::pair<std::string, std::string>, int> seen_;
};

}  // namespace

Status ReadCamtStatement(const FileContext& ctx, size_t file, FileReport* report,
                         std::vector<Posting>* out) {
  if (auto type = SniffIso20022(report->path)) report->format = type->name;
  struct stat st;
  int64_t size = ::stat(report->path.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_size) : 0;
  FileProgress progress(*ctx.options, report->path, size);
  iso20022::ReadOptions options;
  options.zone = ctx.options->zone;
  options.max_bytes = ctx.options->max_xml_bytes;
  options.on_progress = [&](int64_t bytes) { progress.Update(bytes); };
  PostingCollector collector(ctx, file, report, out);
  FANZHA_ASSIGN_OR_RETURN(iso20022::ReadSummary summary,
                          iso20022::ReadStatementFile(report->path, options, collector));
  report->format = summary.type.name;
  return Status::Ok();
}

}  // namespace fanzha::import
