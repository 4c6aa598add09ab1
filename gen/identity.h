// Identities in a generated world: bank card numbers with real issuer prefixes and Luhn check
// digits, other account numbers, phone numbers, names, and the noisy ways victims write identifiers
// down.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/status.h"
#include "gen/random.h"

namespace fanzha::gen {

struct Issuer {
  std::string_view bin;          // issuer identification number, 6 digits
  std::string_view institution;  // as accounts.csv `institution`
  int length;                    // card number length including the check digit
};
// Debit-card issuers with real prefixes (ICBC 622202, ABC 622848, CCB 621700, BOC 621661, ...),
// grouped by institution: every issuer of one institution is next to the others. At least 20
// institutions.
std::span<const Issuer> Issuers();
// How many institutions Issuers() names.
int IssuingInstitutions();
// The issuers of the first `banks` institutions of Issuers() (a prefix of it): the cards a world
// generated with `--banks N` is issued from (8, GenOptions' default, gives the 11 issuers every
// world had before the option existed). kInvalidInput (bilingual) when `banks` is not in
// 1..IssuingInstitutions().
Result<std::span<const Issuer>> IssuersOfFirstBanks(int banks);

// The Luhn check digit for a digit string that lacks it.
char LuhnCheckDigit(std::string_view digits_without_check);
bool LuhnValid(std::string_view digits);

// The card number of entity `index` (unique per index for index < 10^8), issued by `issuer`.
// `salt` varies the numbers between seeds.
std::string CardNumber(const Issuer& issuer, uint64_t index, uint64_t salt);
// Writes the same number into `out` (at least 20 bytes) and returns its length: the hot path.
int CardNumberTo(char* out, const Issuer& issuer, uint64_t index, uint64_t salt);

// A mainland mobile number "13xxxxxxxxx", unique per index (< 10^9): ordinary people.
std::string PersonPhone(uint64_t index, uint64_t salt);

// A plausible Chinese full name ("王建国") and its masked reporting form ("王某").
std::string FullName(uint64_t h);
std::string MaskedName(uint64_t h);

// Ways a victim writes an identifier down (spaces, +86, dashes, full-width digits, mixed case).
std::string NoisyPhone(std::string_view digits11, Rng& rng);
std::string NoisyAccount(std::string_view account, Rng& rng);
std::string NoisyUrl(std::string_view domain, Rng& rng);
// "１２３" for "123": ASCII digits and letters to their full-width forms.
std::string FullWidth(std::string_view ascii);

}  // namespace fanzha::gen
