// ISO 20022 bank-to-customer cash management messages: camt.052 (intraday account report),
// camt.053 (end-of-day statement) and camt.054 (debit/credit notification), read as a stream of
// transactions. Start with ReadStatements(); Sniff() tells such a document from its first bytes.
//
// What is read. Every Stmt (Rpt, Ntfctn) of the document, and in it every Ntry (entry): an entry
// with several transaction details (NtryDtls/TxDtls) is several transactions, one per TxDtls, each
// with its own amount, which must add up to the entry's amount to the fen (otherwise the entry is
// an error: a batch is split only when its parts account for the money). An entry with no
// TxDtls, or with one, is one transaction with the entry's amount; so is a batch whose TxDtls carry
// no amount at all. Every version of the three messages is read (001.01 to 001.13 and later): the
// elements that moved between versions are looked for at each of their places (Sts or Sts/Cd,
// Dbtr/Nm or Dbtr/Pty/Nm, BIC or BICFI, TxDtls/Amt or TxDtls/AmtDtls/TxAmt/Amt, ...).
//
// Ids (Transaction::id), the first present of: TxDtls/Refs/AcctSvcrRef; Ntry/AcctSvcrRef (with
// "/k" for the k-th transaction of a batch); TxDtls/Refs/TxId; UETR; EndToEndId; InstrId;
// Ntry/NtryRef (with "/k" in a batch). "NOTPROVIDED" counts as absent. Empty when none is present.
// References repeat in real statements (two entries with one AcctSvcrRef): making ids unique is
// the caller's business (the importer numbers repeats).
//
// Times. Booking time from BookgDt/DtTm or BookgDt/Dt (midnight), else ValDt, else the end of the
// statement's period (FrToDt/ToDtTm), else the statement's or the message's creation time
// (Transaction::time_source says which). A time without an offset, and a date, is read in the
// statement's zone: the offset written on the statement's (else the message's) CreDtTm, else
// ReadOptions::zone (Asia/Shanghai by default).
//
// Money. Amounts are exact hundredths of the currency's unit (fen for CNY, cents for EUR): more
// than two fraction digits are accepted only when the extra digits are zeros ("100.000"), anything
// else is an error naming the element, as are a negative amount and a missing Ccy.
//
// Safety. No DTD is accepted (a DOCTYPE is an error, so no entity is ever expanded: no XXE, no
// billion laughs), nothing is loaded from the network or the file system, elements nest at most 256
// deep (libxml2's limit), a text node is at most 10 MB, and the input at most
// ReadOptions::max_bytes. Memory does not grow with the document: entries are read one at a time.
//
// Errors. A document that is not well-formed XML, is not a camt.052/053/054, or breaks a rule
// outside any entry (no account) ends the read with kInvalidInput "NAME:LINE: PATH: what"
// (kTooLarge over the size limit, kIoError when the file cannot be read). An entry that breaks a
// rule goes to StatementVisitor::OnBadEntry, which decides whether to go on.
//
// Threads: the functions are thread-safe (each read has its own parser); a visitor is called on
// the calling thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/money.h"
#include "core/status.h"
#include "core/time.h"

namespace fanzha::iso20022 {

enum class Message { kAccountReport, kStatement, kNotification };  // camt.052, camt.053, camt.054

struct MessageType {
  Message message = Message::kStatement;
  // "camt.053.001.08" from the namespace; "camt.053" when the document has none.
  std::string name;
};

// Recognises a camt.052/053/054 document from its first bytes (its Document element's namespace,
// or the message element when there is no namespace). nullopt for anything else. Cost: one scan of
// `head`; pass the first 64 KiB of a file.
std::optional<MessageType> Sniff(std::string_view head);

enum class EntryStatus { kBooked, kPending, kInformation, kFuture, kOther };

// One transaction of an entry, as the statement's account holder sees it.
struct Transaction {
  int64_t line = 0;  // of the TxDtls element, or of the Ntry when the entry has none
  std::string path;  // "Document/BkToCstmrStmt/Stmt[1]/Ntry[3]/NtryDtls/TxDtls[2]"

  // The statement (Stmt, Rpt or Ntfctn) it is in.
  std::string statement_id;      // Stmt/Id
  std::string account;           // Acct/Id/IBAN or Acct/Id/Othr/Id, as written
  std::string account_currency;  // Acct/Ccy, may be empty

  // The entry.
  EntryStatus status = EntryStatus::kBooked;  // Sts; a missing Sts counts as booked
  std::string status_code;                    // as written: "BOOK", "PDNG", a proprietary code
  bool credit = false;                        // money came into the account (CdtDbtInd CRDT)
  // RvslInd: this entry undoes an earlier one (money moves as `credit` says).
  bool reversal = false;
  Fen amount = 0;        // hundredths of the currency's unit, >= 0
  std::string currency;  // Ccy of the amount, ISO 4217
  Millis booked_at = 0;
  std::string time_source;  // "BookgDt/DtTm", "BookgDt/Dt", "ValDt/Dt", "Stmt/FrToDt/ToDtTm", ...

  // Ids (see the header comment for `id`).
  std::string id;
  std::string id_source;  // the element `id` came from, e.g. "TxDtls/Refs/AcctSvcrRef"
  std::string entry_ref, entry_servicer_ref;  // Ntry/NtryRef, Ntry/AcctSvcrRef
  std::string servicer_ref, message_id, payment_info_id, instruction_id, end_to_end_id, tx_id, uetr,
      mandate_id, cheque_number, clearing_ref;  // TxDtls/Refs/...

  // The other party: the creditor of money going out, the debtor of money coming in (of a
  // reversal: the other way round); whichever of the two accounts is the statement's own decides
  // when both are given.
  std::string counterparty_account;  // IBAN or Othr/Id, as written; empty when not given
  std::string counterparty_name;
  std::string counterparty_bank;  // its agent's BIC, else name, else clearing member id

  std::string remittance;     // RmtInf/Ustrd lines joined with " "; else the structured reference
  std::string info;           // AddtlTxInf, else AddtlNtryInf
  std::string bank_code;      // BkTxCd as "PMNT/RCDT/ESCT", or its proprietary code
  std::string return_reason;  // RtrInf/Rsn/Cd (returns and reversals)
  // The instructed amount when it is in another currency than `currency` (AmtDtls/InstdAmt).
  Fen instructed_amount = 0;
  std::string instructed_currency;

  int index = 1;  // 1-based place of this transaction in its entry
  int count = 1;  // transactions the entry was split into
};

// Called for what a read finds, in document order.
class StatementVisitor {
 public:
  virtual ~StatementVisitor() = default;
  // Every transaction of every entry, booked or not. A non-OK status ends the read with it.
  virtual Status OnTransaction(const Transaction& t) = 0;
  // An entry that breaks a rule: `line` is where, `why` names the element path and what is wrong
  // (no file name), `raw` is the entry's XML (at most 4 KiB of it). Return OK to skip the entry and
  // go on, or an error to end the read with it. By default the read ends with `why` at the line.
  virtual Status OnBadEntry(int64_t line, const Status& why, std::string_view raw);
};

struct ReadOptions {
  Zone zone;  // for times without an offset when the statement gives no zone of its own
  int64_t max_bytes = int64_t{2} << 30;  // larger input is refused with kTooLarge
  // Called now and then with the bytes read so far (for a progress bar); may be empty.
  std::function<void(int64_t bytes)> on_progress;
};

struct ReadSummary {
  MessageType type;
  int64_t statements = 0;    // Stmt / Rpt / Ntfctn elements
  int64_t entries = 0;       // Ntry elements (bad ones included)
  int64_t transactions = 0;  // passed to OnTransaction
  int64_t bad_entries = 0;   // passed to OnBadEntry
};

// Reads a document held in memory. `name` is used in error messages ("NAME:LINE: ..."). For
// documents that come over the wire, and for fuzzing.
Result<ReadSummary> ReadStatements(std::string_view bytes, std::string_view name,
                                   const ReadOptions& options, StatementVisitor& visitor);
// Reads a file as it streams in (a 1 GB statement is never held in memory).
Result<ReadSummary> ReadStatementFile(const std::string& path, const ReadOptions& options,
                                      StatementVisitor& visitor);

std::string_view Name(EntryStatus s);  // "booked", "pending", "information", "future", "other"

}  // namespace fanzha::iso20022
