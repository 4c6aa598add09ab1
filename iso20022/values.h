// Values as ISO 20022 writes them (amounts, currencies, dates, codes); not part of the public
// interface. Shared by the statement and recall readers and the recall writer.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/money.h"
#include "core/status.h"
#include "core/time.h"
#include "iso20022/statement.h"

namespace fanzha::iso20022 {

// An xs:decimal amount ("1234.5", "+7", "100.000") in hundredths of the unit. Errors: empty, not a
// decimal, negative, a non-zero digit after the second fraction digit, too large for int64.
Result<Fen> ParseAmount(std::string_view text);
// "1234.50" (two fraction digits, as every writer here writes amounts).
std::string FormatAmount(Fen hundredths);

// Three upper-case letters (ActiveOrHistoricCurrencyCode).
bool IsCurrencyCode(std::string_view code);

// ISODateTime or ISODate ("2024-01-15T10:30:00+01:00", "2024-01-15T10:30:00", "2024-01-15",
// "2024-01-15+01:00"); without an offset read in `zone`, a date at its midnight.
Result<Millis> ParseIsoTime(std::string_view text, Zone zone);
// The zone written on a time ("...Z", "...+08:00"); nullopt when it has none.
std::optional<Zone> ZoneOfTime(std::string_view text);

// "NOTPROVIDED" (and empty) mean no reference (EPC and CBPR+ usage).
bool IsNotProvided(std::string_view ref);

// An account number with spaces and dashes removed and letters upper-cased, for comparing the
// statement's own account with the parties' accounts.
std::string CompactAccount(std::string_view account);

// BOOK, PDNG, INFO, FUTR; "" counts as booked (a statement reports booked entries).
EntryStatus ParseEntryStatus(std::string_view code);

}  // namespace fanzha::iso20022
