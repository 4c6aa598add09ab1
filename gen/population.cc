#include "gen/population.h"

#include <algorithm>
#include <cstring>

#include "gen/cities.h"
#include "gen/identity.h"
#include "gen/random.h"

namespace fanzha::gen {
namespace {

constexpr std::string_view kPlatformIds[] = {"2088102146225135", "1900000109", "1230000001",
                                             "8982000000000001"};
constexpr std::string_view kPlatformNames[] = {"支付宝（中国）网络技术有限公司",
                                               "财付通支付科技有限公司",
                                               "网银在线（北京）科技有限公司", "中国银联云闪付"};
constexpr std::string_view kBigMerchants[] = {"京东商城", "美团外卖", "中国石化加油站", "永辉超市",
                                              "周大福金店"};
constexpr std::string_view kShopKinds[] = {"便利店", "超市", "餐馆",   "水果店", "手机店",
                                           "金店",   "药店", "服装店", "五金店", "烟酒店"};

enum Salt : uint64_t { kIssuer = 1, kBody, kCity, kName, kBalance, kPhone, kJob, kPay };

}  // namespace

Population::Population(uint64_t seed, int64_t persons, int amount_percent,
                       std::span<const Issuer> issuers)
    : seed_(seed),
      amount_percent_(amount_percent),
      issuers_(issuers),
      persons_(static_cast<uint32_t>(persons)) {
  employers_ = std::max<uint32_t>(20, persons_ / 100);
  merchants_ = std::max<uint32_t>(50, persons_ / 150);
  hubs_ = std::clamp<uint32_t>(persons_ / 1000, 3, 12);
  employer_begin_ = persons_;
  merchant_begin_ = employer_begin_ + employers_;
  platform_begin_ = merchant_begin_ + merchants_;
  exchange_begin_ = platform_begin_ + kPlatforms;
  int total = 0;
  for (size_t c = 0; c < Cities().size(); ++c) city_cumulative_.push_back(total += CityWeight(c));
}

uint64_t Population::H(uint32_t i, uint64_t what) const { return Hash2(seed_ * 16 + what, i); }

const Issuer& Population::IssuerOf(uint32_t i) const {
  return issuers_[H(i, kIssuer) % issuers_.size()];
}

Kind Population::KindOf(uint32_t i) const {
  if (i < employer_begin_) return Kind::kPerson;
  if (i < merchant_begin_) return Kind::kEmployer;
  if (i < platform_begin_) return Kind::kMerchant;
  if (i < exchange_begin_) return Kind::kPlatform;
  return Kind::kExchange;
}

int Population::NumberTo(uint32_t i, char* out) const {
  const uint64_t salt = Mix64(seed_ ^ kBody);
  switch (KindOf(i)) {
    case Kind::kPerson:
      return CardNumberTo(out, IssuerOf(i), i, salt);
    case Kind::kEmployer: {  // corporate settlement accounts: 17 digits, no check digit
      std::memcpy(out, "3100", 4);
      uint64_t v = ((i - employer_begin_) * 982451653ULL + salt) % 10000000000000ULL;
      for (int k = 16; k >= 4; --k, v /= 10) out[k] = static_cast<char>('0' + v % 10);
      return 17;
    }
    case Kind::kMerchant: {  // UnionPay-style merchant numbers: 15 digits
      std::memcpy(out, "898", 3);
      uint64_t v = ((i - merchant_begin_) * 982451653ULL + salt) % 1000000000000ULL;
      for (int k = 14; k >= 3; --k, v /= 10) out[k] = static_cast<char>('0' + v % 10);
      return 15;
    }
    case Kind::kPlatform: {
      const std::string_view id = kPlatformIds[i - platform_begin_];
      std::memcpy(out, id.data(), id.size());
      return static_cast<int>(id.size());
    }
    case Kind::kExchange: {  // OTC desks that sell USDT for bank transfers
      std::memcpy(out, "OTCUSDT", 7);
      uint64_t v = 100 + (i - exchange_begin_) * 37 + salt % 800;
      for (int k = 12; k >= 7; --k, v /= 10) out[k] = static_cast<char>('0' + v % 10);
      return 13;
    }
  }
  return 0;
}

std::string Population::Number(uint32_t i) const {
  char buf[24];
  return std::string(buf, NumberTo(i, buf));
}

std::string Population::Holder(uint32_t i) const {
  switch (KindOf(i)) {
    case Kind::kPerson:
      return FullName(H(i, kName));
    case Kind::kEmployer:
      return std::string(Cities()[CityOf(i)].name) + FullName(H(i, kName)).substr(0, 3) +
             "氏实业有限公司";
    case Kind::kMerchant: {
      const uint32_t m = i - merchant_begin_;
      if (m < std::size(kBigMerchants)) return std::string(kBigMerchants[m]);
      return FullName(H(i, kName)).substr(0, 3) + "记" +
             std::string(kShopKinds[H(i, kJob) % std::size(kShopKinds)]);
    }
    case Kind::kPlatform:
      return std::string(kPlatformNames[i - platform_begin_]);
    case Kind::kExchange:
      return "USDT场外商户" + std::to_string(i - exchange_begin_ + 1);
  }
  return {};
}

std::string_view Population::Institution(uint32_t i) const {
  switch (KindOf(i)) {
    case Kind::kPerson:
    case Kind::kEmployer:
      return IssuerOf(i).institution;
    case Kind::kMerchant:
      return "银联商务股份有限公司";
    case Kind::kPlatform:
      return kPlatformNames[i - platform_begin_];
    case Kind::kExchange:
      return "虚拟货币场外交易";
  }
  return {};
}

size_t Population::CityOf(uint32_t i) const {
  const int r = static_cast<int>(H(i, kCity) % city_cumulative_.back());
  return std::upper_bound(city_cumulative_.begin(), city_cumulative_.end(), r) -
         city_cumulative_.begin();
}

int64_t Population::OpeningBalance(uint32_t i) const {
  const uint64_t h = H(i, kBalance);
  switch (KindOf(i)) {
    case Kind::kPerson:
      return Scaled(static_cast<int64_t>(100000 + h % 5000000 + (h >> 40) % 3 * 2000000));
    case Kind::kEmployer:
      return Scaled(2'000'000'000 + static_cast<int64_t>(h % 1'000'000'000));
    case Kind::kPlatform:
      return Scaled(100'000'000'000);
    default:
      return 0;
  }
}

std::string Population::Phone(uint32_t person) const {
  return PersonPhone(person, Mix64(seed_ ^ kPhone));
}

int64_t Population::EmployerOf(uint32_t person) const {
  const uint64_t h = H(person, kJob);
  if (h % 10 < 3) return -1;
  return employer((h >> 8) % employers_);
}

int64_t Population::SalaryOf(uint32_t person) const {
  const uint64_t h = H(person, kPay);
  return Scaled(static_cast<int64_t>(300000 + h % 1200000 + (h >> 32) % 10 / 9 * 2000000));
}

void Population::WriteAccounts(OutFile& out) const {
  static constexpr std::string_view kKindNames[] = {"personal", "corporate", "merchant", "platform",
                                                    "exchange"};
  out.Put("account,holder,institution,region,kind,opening_balance\n");
  char buf[24];
  for (uint32_t i = 0; i < size(); ++i) {
    out.Put(std::string_view(buf, NumberTo(i, buf))).Put(',').Put(Holder(i)).Put(',');
    out.Put(Institution(i)).Put(',').Put(Cities()[CityOf(i)].code).Put(',');
    out.Put(kKindNames[static_cast<int>(KindOf(i))]).Put(',').Money(OpeningBalance(i)).Put('\n');
  }
}

}  // namespace fanzha::gen
