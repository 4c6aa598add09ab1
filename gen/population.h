// The accounts of a generated world, as a numbered space: every attribute of account i (number,
// holder, bank, region, opening balance) is derived from (seed, i), so nothing per account is stored
// and the numbers are unique by construction.
//
// Layout: [persons | employers | merchants | platforms | exchanges].
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gen/writer.h"

namespace fanzha::gen {

enum class Kind : uint8_t { kPerson, kEmployer, kMerchant, kPlatform, kExchange };

class Population {
 public:
  Population(uint64_t seed, int64_t persons);

  uint32_t persons() const { return persons_; }
  uint32_t size() const { return exchange_begin_ + kExchanges; }
  uint32_t employer(uint64_t k) const { return employer_begin_ + static_cast<uint32_t>(k % employers_); }
  uint32_t employers() const { return employers_; }
  uint32_t merchant(uint64_t k) const { return merchant_begin_ + static_cast<uint32_t>(k % merchants_); }
  uint32_t merchants() const { return merchants_; }
  uint32_t platform(uint64_t k) const { return platform_begin_ + static_cast<uint32_t>(k % kPlatforms); }
  uint32_t exchange(uint64_t k) const { return exchange_begin_ + static_cast<uint32_t>(k % kExchanges); }
  // The few busy personal accounts (landlords, market stall owners) that many people pay.
  uint32_t hubs() const { return hubs_; }

  Kind KindOf(uint32_t i) const;
  // Writes the account number to out (>= 24 bytes); returns its length.
  int NumberTo(uint32_t i, char* out) const;
  std::string Number(uint32_t i) const;
  std::string Holder(uint32_t i) const;
  std::string_view Institution(uint32_t i) const;
  // Index into Cities() where the account was opened (people: where they live).
  size_t CityOf(uint32_t i) const;
  int64_t OpeningBalance(uint32_t i) const;  // fen
  std::string Phone(uint32_t person) const;  // 11 digits
  // The employer paying person i a salary, or none (-1) for the self-employed and retired.
  int64_t EmployerOf(uint32_t person) const;
  int64_t SalaryOf(uint32_t person) const;  // fen

  // Writes accounts.csv rows for every account.
  void WriteAccounts(OutFile& out) const;

 private:
  static constexpr uint32_t kPlatforms = 4, kExchanges = 6;
  uint64_t H(uint32_t i, uint64_t what) const;
  uint64_t seed_;
  uint32_t persons_, employers_, merchants_, hubs_;
  uint32_t employer_begin_, merchant_begin_, platform_begin_, exchange_begin_;
  std::vector<int> city_cumulative_;
};

}  // namespace fanzha::gen
