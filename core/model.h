// The records fanzha keeps, as FORMATS.md defines them. Plain values: no behaviour beyond parsing
// and naming the enumerations.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/money.h"
#include "core/status.h"
#include "core/time.h"

namespace fanzha {

enum class AccountKind { kUnknown, kPersonal, kCorporate, kMerchant, kPlatform, kExchange };
// The ledger keeps a channel in two bits (ledger/ledger.h, Row): widen it before adding a fifth.
enum class Channel { kTransfer, kWithdrawal, kDeposit, kPurchase };
enum class IdentifierType { kPhone, kAccount, kUrl, kDomain, kWechat, kQq, kAlipay, kDevice, kIp, kEmail, kOther };

std::string_view Name(AccountKind k);
std::string_view Name(Channel c);
std::string_view Name(IdentifierType t);
Result<AccountKind> ParseAccountKind(std::string_view s);  // "" -> kUnknown
Result<Channel> ParseChannel(std::string_view s);          // "" -> kTransfer
Result<IdentifierType> ParseIdentifierType(std::string_view s);

// merchant, platform and exchange accounts end a trace (TRACING.md "Exits").
inline bool IsExitKind(AccountKind k) {
  return k == AccountKind::kMerchant || k == AccountKind::kPlatform || k == AccountKind::kExchange;
}

struct Account {
  std::string id;  // normalised account number
  std::string holder;
  std::string institution;
  std::string region;  // GB/T 2260 code or empty
  AccountKind kind = AccountKind::kUnknown;
  Fen opening_balance = 0;
  std::vector<std::pair<std::string, std::string>> attributes;  // extra CSV columns, in file order
};

struct Transfer {
  std::string id;
  Millis time = 0;
  std::string from;  // empty for a deposit
  std::string to;    // empty for a withdrawal
  Fen amount = 0;  // hundredths of the currency's unit: fen for CNY
  Channel channel = Channel::kTransfer;
  std::string memo;
  std::string ip;
  std::string device;
  // ISO 4217. Tracing follows yuan: a transfer in another currency (an ISO 20022 statement can
  // carry any) is kept and shown, but is not in the ledger.
  std::string currency = "CNY";
};

struct Identifier {
  IdentifierType type = IdentifierType::kOther;
  std::string raw;    // as reported
  std::string value;  // normalised (E.164 phone, account, normalised URL, ...); raw when invalid
  bool valid = true;  // false: did not parse (kept, flagged, never dropped)
};

struct Victim {
  std::string name;
  std::string phone;    // normalised E.164 when it parses
  std::string account;  // normalised
};

struct Case {
  std::string id;
  Millis reported_at = 0;
  std::string region;
  std::string category;
  std::optional<Fen> loss;  // absent: the sum of the listed transfers
  std::string narrative;
  Victim victim;
  std::vector<std::string> transfers;  // the victim's payments (trace seeds)
  std::vector<Identifier> identifiers;
};

}  // namespace fanzha
