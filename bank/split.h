// A world split by institution, as the banks hold it (`fanzha bank split`): each bank's own
// accounts and every transfer one of them pays or is paid, ready for its bank node's store
// (`fanzha import --db BANK.db OUT/<token>/*.csv`); the platform keeps the national account
// registry and the reports. What a federated trace, which asks each bank node for statements, is
// checked against: the union of the banks' transfers is the world's.
//
// Files read from the world (formats: docs/spec/FORMATS.md): accounts.csv, transfers.csv,
// cases.jsonl (other files, statements and truth/ included, are not read). Written:
//   OUT/<token>/accounts.csv   the rows of accounts.csv whose `institution` is that bank
//   OUT/<token>/transfers.csv  the rows of transfers.csv with `from` or `to` one of those accounts:
//                              a transfer between two banks is in both files, the same row
//   OUT/platform/accounts.csv  the whole accounts.csv, byte for byte (the national registry)
//   OUT/platform/cases.jsonl   the whole cases.jsonl, byte for byte (the reports)
//   OUT/platform/transfers.csv the rows of transfers.csv the reports name (their `transfers`): the
//                              victims' payments, which a report brings with it
// <token> is interchange::InstitutionToken(institution): the institution's subject token on the
// bank interchange. CSV files keep the input's header row and columns; rows are written as
// core/csv.h writes them, in UTF-8 (a GB18030 input is converted, as the importer reads it).
// Accounts are matched by their normalised number (normalise::NormaliseAccount), as the importer
// stores them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace fanzha::bank {

struct SplitOptions {
  std::string world;  // the folder holding accounts.csv, transfers.csv, cases.jsonl
  std::string out;    // created when missing; the files above are overwritten
};

// One bank's share of the world.
struct BankShare {
  std::string institution;
  std::string token;      // its folder under OUT
  int64_t accounts = 0;   // rows of its accounts.csv
  int64_t transfers = 0;  // rows of its transfers.csv
};

struct SplitSummary {
  std::vector<BankShare> banks;  // by institution, in byte order
  int64_t accounts = 0;          // rows of accounts.csv
  int64_t transfers = 0;         // rows of transfers.csv
  int64_t interbank = 0;         // transfers between two banks: written to both
  // Rows of accounts.csv whose institution is empty: no bank holds them (they are still in the
  // platform's registry).
  int64_t accounts_without_institution = 0;
  // Transfers naming an account (`from` or `to`, not empty) that accounts.csv does not list.
  int64_t unknown_account = 0;
  // Transfers that went to no bank: none of their accounts is a bank's (each names an unknown
  // account, or an account without institution, or nothing: a deposit or withdrawal of one).
  int64_t to_no_bank = 0;
  // Rows of transfers.csv that a report names: written to OUT/platform/transfers.csv as well.
  int64_t reported_payments = 0;
};

// Splits options.world into options.out as above. Streaming: accounts.csv is read once into a map
// from account to bank (memory grows with the accounts, not with the transfers), transfers.csv is
// read once and each row written straight to its banks' files. Each bank's file is open while its
// input is read: a world of more institutions than the process may open files fails (kIoError).
// Errors (bilingual, naming file, line and field): kInvalidInput for a missing column (accounts.csv
// `account`, `institution`; transfers.csv `from`, `to`), a row with another number of fields than
// its header, an account listed twice with two institutions, an institution that cannot be carried
// on the interchange (interchange::InstitutionToken) or whose token is `platform`; kIoError for a
// file that cannot be read or written. On error the files written so far stay, incomplete.
Result<SplitSummary> SplitWorld(const SplitOptions& options);

}  // namespace fanzha::bank
