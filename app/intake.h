// Reporting a fraud (接警): a case with the payments and first mule hops the victim and the bank
// know, taken in whichever skin reports it: POST /api/cases and `fanzha case add FILE` read the
// same document and store it the same way (docs/API.md):
//
//   {"case": {the fields of a cases.jsonl line}, "transfers": [transfers.csv rows as objects],
//    "reason": "why (audited)"}
//
// The rules are the importers' (import::ParseCaseJson, import::CheckTransfer): a report holds
// nothing a file could not, and account numbers are normalised the same way.
//
// Threads: none of its own; the caller holds whatever guards `store`.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/status.h"
#include "store/store.h"

namespace fanzha::app {

struct Report {
  Case c;
  std::vector<Transfer> transfers;
  std::string reason;  // optional, audited
};

// Reads a report document (parsed already, after core/json.h's nesting check). Errors:
// kInvalidInput naming the field ("case.region: ...", "transfers[2].amount: missing"), in both
// languages.
Result<Report> ParseReport(const nlohmann::json& body);

struct StoredReport {
  bool created = false;         // the case is new (not a repeat of a stored one)
  std::vector<Transfer> added;  // the transfers the store did not hold yet
};

// Stores the case and its transfers in one import (nested in the caller's transaction when there
// is one: commit it with the audit entry). The same report again changes nothing (created false,
// nothing added); the same ids with other content are kConflict naming the field.
Result<StoredReport> StoreReport(store::Store& store, const Report& report);

// {"case", "created", "transfers_added"}: the answer of `fanzha case add --json`; POST /api/cases
// adds the server's "ledger_version".
nlohmann::ordered_json ToJson(const Report& report, const StoredReport& stored);

}  // namespace fanzha::app
