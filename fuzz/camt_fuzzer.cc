// ISO 20022 statements (iso20022/statement.h) through the parser and through the importer into a
// real SQLite store, and the recall messages (iso20022/recall.h) on the same bytes.
//
// Built twice: `camt` reads (statements in memory and streamed, recall messages), fast;
// `camt_import` (FUZZ_IMPORT set) also imports every document the importer takes into a store,
// about a hundred times slower, and keeps only such documents (others return -1 and stay out of
// its corpus).
//
// Invariants, per input:
// - nothing throws; a read that fails is kInvalidInput or kTooLarge "camt.xml:LINE: ..." with a
//   Chinese line; a bad entry's error names its element path and a line within the document;
// - every transaction has a path from the Document (or the message element) to its entry, a line
//   within the document, an amount >= 0 in a three-letter currency, its place in its entry
//   (1 <= index <= count, in order), a time source, and well-formed UTF-8 text; the summary counts
//   what the visitor saw;
// - read in memory and read from the file as it streams in give the same transactions and the
//   same error; read to the end (bad entries skipped) gives the transactions of the strict read
//   when that one succeeds;
// - (camt_import) a document the importer takes (Sniff) imports with the invariants of
// fuzz/import_check.h; its
//   report counts every transaction and bad entry once; every stored posting is one of the booked
//   transactions with its exact amount, currency, direction and time, and all of them when none was
//   rejected; each posting's transfer exists with that amount and currency;
// - a recall request (camt.056) read, written and read again writes the same document; a recall
//   answer (camt.029) reads into answers of well-formed UTF-8; errors name the document.
#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "core/text.h"
#include "fuzz/fuzz_util.h"
#include "fuzz/import_check.h"
#include "import/import.h"
#include "iso20022/recall.h"
#include "iso20022/statement.h"

using namespace fanzha;
using iso20022::Transaction;

namespace {

// What is compared between two reads, and between the parser and the store.
using Key = std::tuple<bool, Fen, std::string, Millis>;  // credit, amount, currency, time

std::string Describe(const Transaction& t) {
  return std::to_string(t.line) + " " + t.path + " " + (t.credit ? "C " : "D ") +
         std::to_string(t.amount) + " " + t.currency + " at " + std::to_string(t.booked_at) + " (" +
         t.time_source + ") id " + t.id + " [" + std::to_string(t.index) + "/" +
         std::to_string(t.count) + "] " + std::string(iso20022::Name(t.status));
}

bool SameRead(const Transaction& a, const Transaction& b) {
  return a.line == b.line && a.path == b.path && a.account == b.account && a.status == b.status &&
         a.credit == b.credit && a.reversal == b.reversal && a.amount == b.amount &&
         a.currency == b.currency && a.booked_at == b.booked_at && a.id == b.id &&
         a.counterparty_account == b.counterparty_account && a.remittance == b.remittance &&
         a.index == b.index && a.count == b.count;
}

struct Read {
  Status status;
  iso20022::ReadSummary summary;
  std::vector<Transaction> transactions;
  std::vector<Status> bad;  // the bad entries' errors (a lenient read)
};

class Collector : public iso20022::StatementVisitor {
 public:
  Collector(Read* out, bool lenient, int64_t lines) : out_(out), lenient_(lenient), lines_(lines) {}

  Status OnTransaction(const Transaction& t) override {
    // From the Document, or from the message element when it is in no Document (statement.h).
    std::string_view message = t.path.starts_with("Document/") ? std::string_view(t.path).substr(9)
                                                               : std::string_view(t.path);
    FUZZ_CHECK(message.starts_with("BkToCstmr") && t.path.find("/Ntry[") != std::string::npos,
               Describe(t));
    FUZZ_CHECK(t.line >= 1 && t.line <= lines_, Describe(t));
    FUZZ_CHECK(t.amount >= 0, Describe(t));
    FUZZ_CHECK(t.currency.size() == 3 && std::all_of(t.currency.begin(), t.currency.end(),
                                                     [](char c) { return c >= 'A' && c <= 'Z'; }),
               Describe(t));
    FUZZ_CHECK(t.index >= 1 && t.index <= t.count, Describe(t));
    if (t.index > 1) {
      FUZZ_CHECK(!out_->transactions.empty(), Describe(t));
      const Transaction& prev = out_->transactions.back();
      FUZZ_CHECK(prev.index == t.index - 1 && prev.count == t.count, Describe(t));
    }
    FUZZ_CHECK(!t.time_source.empty(), Describe(t));
    FUZZ_CHECK(t.booked_at >= kEarliestTime && t.booked_at <= kLatestTime, Describe(t));
    for (const std::string* s : {&t.account, &t.id, &t.counterparty_account, &t.counterparty_name,
                                 &t.counterparty_bank, &t.remittance, &t.info, &t.statement_id}) {
      FUZZ_CHECK(IsValidUtf8(*s), Describe(t));
    }
    out_->transactions.push_back(t);
    return Status::Ok();
  }

  Status OnBadEntry(int64_t line, const Status& why, std::string_view raw) override {
    FUZZ_CHECK(line >= 1 && line <= lines_, std::to_string(line) + ": " + why.ToString());
    FUZZ_CHECK_ERROR(why);
    FUZZ_CHECK(why.code() == ErrorCode::kInvalidInput, why.ToString());
    FUZZ_CHECK(why.message().find("Ntry") != std::string::npos, why.ToString());
    FUZZ_CHECK(raw.size() <= 4096, std::to_string(raw.size()));
    out_->bad.push_back(why);
    return lenient_ ? Status::Ok() : StatementVisitor::OnBadEntry(line, why, raw);
  }

 private:
  Read* out_;
  bool lenient_;
  int64_t lines_;
};

// The lines as XML counts them: a line ends at "\r\n", "\n" or a lone "\r" (XML 1.0, 2.11), so a
// document saved with old Mac line ends has as many lines as its editor shows.
int64_t Lines(std::string_view bytes) {
  int64_t lines = 1;
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (bytes[i] == '\n' || (bytes[i] == '\r' && (i + 1 == bytes.size() || bytes[i + 1] != '\n')))
      ++lines;
  }
  return lines;
}

void CheckFailure(const Status& st, const std::string& name) {
  FUZZ_CHECK_ERROR(st);
  FUZZ_CHECK(st.code() == ErrorCode::kInvalidInput || st.code() == ErrorCode::kTooLarge,
             st.ToString());
  std::string_view m = st.message();
  FUZZ_CHECK(m.starts_with(name + ":"), st.ToString());
  m.remove_prefix(name.size() + 1);
  size_t digits = 0;
  while (digits < m.size() && m[digits] >= '0' && m[digits] <= '9') ++digits;
  FUZZ_CHECK(digits > 0 && digits < m.size() && m[digits] == ':', st.ToString());
}

Read ReadMemory(std::string_view bytes, const std::string& name, bool lenient) {
  Read r;
  Collector c(&r, lenient, Lines(bytes));
  Result<iso20022::ReadSummary> s = iso20022::ReadStatements(bytes, name, {}, c);
  r.status = s.status();
  if (s.ok()) {
    r.summary = *s;
    FUZZ_CHECK(s->transactions == static_cast<int64_t>(r.transactions.size()) &&
                   s->bad_entries == static_cast<int64_t>(r.bad.size()),
               std::to_string(s->transactions) + " transactions, " +
                   std::to_string(s->bad_entries) + " bad entries");
    FUZZ_CHECK(s->entries >= s->bad_entries, std::to_string(s->entries));
  } else {
    CheckFailure(r.status, name);
  }
  return r;
}

void CheckSameReads(const Read& a, const Read& b, const char* what) {
  FUZZ_CHECK(a.status.ToString() == b.status.ToString(),
             std::string(what) + ": " + a.status.ToString() + " | " + b.status.ToString());
  FUZZ_CHECK(a.transactions.size() == b.transactions.size(),
             std::string(what) + ": " + std::to_string(a.transactions.size()) + " vs " +
                 std::to_string(b.transactions.size()));
  for (size_t i = 0; i < a.transactions.size(); ++i) {
    FUZZ_CHECK(SameRead(a.transactions[i], b.transactions[i]),
               std::string(what) + ":\n" + Describe(a.transactions[i]) + "\n" +
                   Describe(b.transactions[i]));
  }
}

#ifdef FUZZ_IMPORT
// The postings the importer stored, and their transfers.
void CheckStored(const Read& read, const std::vector<import::FileReport>& reports) {
  FUZZ_CHECK(reports.size() == 1, std::to_string(reports.size()));
  const import::FileReport& r = reports[0];
  int64_t seen = static_cast<int64_t>(read.transactions.size() + read.bad.size());
  FUZZ_CHECK(r.rows == seen, std::to_string(r.rows) + " rows, " + std::to_string(seen) + " read");
  std::vector<Key> booked;
  for (const Transaction& t : read.transactions) {
    if (t.status == iso20022::EntryStatus::kBooked && t.amount > 0)
      booked.emplace_back(t.credit, t.amount, t.currency, t.booked_at);
  }
  FUZZ_CHECK(r.skipped == static_cast<int64_t>(read.transactions.size() - booked.size()),
             std::to_string(r.skipped) + " skipped");

  store::Store& s = fuzz::ImportStore();
  auto postings = import::ListPostings(s);
  FUZZ_CHECK(postings.ok(), postings.status().ToString());
  std::vector<Key> stored;
  for (const import::StoredPosting& p : *postings) {
    Key k{p.credit, p.amount, p.currency, p.time};
    std::string what = std::to_string(p.amount) + " " + p.currency;
    auto t = s.GetTransfer(p.transfer_id);
    FUZZ_CHECK(t.ok(), t.status().ToString());
    FUZZ_CHECK(t->has_value() && (*t)->amount == p.amount && (*t)->currency == p.currency,
               "posting " + what + ", transfer " +
                   (t->has_value() ? std::to_string((*t)->amount) + " " + (*t)->currency
                                   : "'" + p.transfer_id + "' not stored"));
    stored.push_back(std::move(k));
  }
  std::sort(booked.begin(), booked.end());
  std::sort(stored.begin(), stored.end());
  FUZZ_CHECK(std::includes(booked.begin(), booked.end(), stored.begin(), stored.end()),
             std::to_string(stored.size()) + " postings not among " +
                 std::to_string(booked.size()) + " booked transactions");
  FUZZ_CHECK(static_cast<int64_t>(stored.size()) == r.added + r.merged + r.unchanged,
             std::to_string(stored.size()) + " postings, added " + std::to_string(r.added) +
                 ", merged " + std::to_string(r.merged));
  if (r.rejected == static_cast<int64_t>(read.bad.size())) {
    FUZZ_CHECK(stored == booked, std::to_string(stored.size()) + " postings of " +
                                     std::to_string(booked.size()) + " booked transactions");
  }
}

#endif

// A camt.056 read, written, read and written again: the two documents are the same.
void CheckRecall(std::string_view bytes, const std::string& name) {
  Result<iso20022::RecallRequest> req = iso20022::ReadRecall(bytes, name);
  if (!req.ok()) {
    CheckFailure(req.status(), name);
  } else {
    Result<std::string> xml = iso20022::WriteRecall(*req);
    if (!xml.ok()) {
      FUZZ_CHECK_ERROR(xml.status());
      FUZZ_CHECK(xml.status().code() == ErrorCode::kInvalidInput, xml.status().ToString());
    } else {
      Result<iso20022::RecallRequest> back = iso20022::ReadRecall(*xml, "written.xml");
      FUZZ_CHECK(back.ok(), back.status().ToString() + "\n" + *xml);
      Result<std::string> again = iso20022::WriteRecall(*back);
      FUZZ_CHECK(again.ok(), again.status().ToString() + "\n" + *xml);
      FUZZ_CHECK(*again == *xml, "first:\n" + *xml + "\nsecond:\n" + *again);
    }
  }
  Result<std::vector<iso20022::RecallAnswer>> answers = iso20022::ReadRecallAnswers(bytes, name);
  if (!answers.ok()) {
    CheckFailure(answers.status(), name);
    return;
  }
  FUZZ_CHECK(!answers->empty(), name);
  for (const iso20022::RecallAnswer& a : *answers) {
    for (const std::string* s : {&a.status_code, &a.reason_code, &a.reason_text, &a.case_id,
                                 &a.answer_id, &a.original_end_to_end_id}) {
      FUZZ_CHECK(IsValidUtf8(*s), *s);
    }
    FUZZ_CHECK(a.original_amount >= 0, std::to_string(a.original_amount));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes = fuzz::Text(data, size);
  const std::string path = fuzz::TempDir() + "/camt.xml";

  Read strict = ReadMemory(bytes, path, false);
  Read lenient = ReadMemory(bytes, path, true);
  if (strict.status.ok()) {
    FUZZ_CHECK(strict.bad.empty(), strict.bad.front().ToString());
    CheckSameReads(strict, lenient, "strict and lenient reads");
  } else if (lenient.status.ok()) {
    FUZZ_CHECK(!lenient.bad.empty() && strict.bad.size() == 1,
               strict.status.ToString() + ", yet read to the end without bad entries");
  }

  fuzz::WriteFile(path, bytes);
  {
    Read streamed;
    Collector c(&streamed, true, Lines(bytes));
    Result<iso20022::ReadSummary> s = iso20022::ReadStatementFile(path, {}, c);
    streamed.status = s.status();
    CheckSameReads(lenient, streamed, "in memory and streamed");
  }

  CheckRecall(bytes, path);
#ifdef FUZZ_IMPORT
  if (!iso20022::Sniff(bytes.substr(0, 64 * 1024))) return -1;
  std::vector<import::FileReport> reports;
  if (fuzz::CheckImport({path}, &reports)) CheckStored(lenient, reports);
#endif
  return 0;
}
