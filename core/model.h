// The records fanzha keeps, as FORMATS.md defines them. Plain values: no behaviour beyond parsing
// and naming the enumerations.
#pragma once

#include <optional>
#include <span>
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
enum class IdentifierType {
  kPhone,
  kAccount,
  kUrl,
  kDomain,
  kWechat,
  kQq,
  kAlipay,
  kDevice,
  kIp,
  kEmail,
  kIdCard,
  kOther
};

std::string_view Name(AccountKind k);
std::string_view Name(Channel c);
std::string_view Name(IdentifierType t);
Result<AccountKind> ParseAccountKind(std::string_view s);  // "" -> kUnknown
Result<Channel> ParseChannel(std::string_view s);          // "" -> kTransfer
Result<IdentifierType> ParseIdentifierType(std::string_view s);
// What a Chinese reader sees for a code ("手机号" for kPhone), as the dashboard labels it
// (web/src/i18n.ts). The *InChinese forms take the code as stored ("phone") and give back a code
// they do not know as it is.
std::string_view ChineseName(AccountKind k);
std::string_view ChineseName(Channel c);
std::string_view ChineseName(IdentifierType t);
std::string_view AccountKindInChinese(std::string_view code);
std::string_view IdentifierTypeInChinese(std::string_view code);
std::string_view CategoryInChinese(std::string_view key);  // "婚恋交友" for "romance"

// The fraud types of FORMATS.md's built-in list (a case's `category` is a free key; these are the
// ones every page, report and advisory names), in a fixed order, with what a reader sees.
struct Category {
  std::string_view key;  // "impersonation_acquaintance"
  std::string_view zh;   // "冒充熟人、领导"
  std::string_view en;   // "Impersonating an acquaintance or a boss"
};
std::span<const Category> BuiltinCategories();
// The built-in category with this key, or nullptr.
const Category* FindCategory(std::string_view key);

// Case ids: 1 to 64 characters of A-Z a-z 0-9 '_' '.' '-', the first a letter or digit
// ("HZ-20200208-0001", "C000123"). They name cases in URLs, files and commands, so nothing else is
// allowed. kInvalidInput saying why (the id quoted, cut short), with a Chinese line.
Status CheckCaseId(std::string_view id);

// Upper bounds on what one record may hold, in bytes (UTF-8) or items: a bad file or request
// cannot make the store (or a page, or the audit log) carry a 100 MB field. Generous for real data
// (docs/INPUT.md lists them).
struct Limits {
  static constexpr size_t kId = 128;       // transfer ids, statement serials
  static constexpr size_t kAccount = 128;  // account numbers and platform account ids
  static constexpr size_t kName = 256;     // holders, institutions, banks, victim names
  static constexpr size_t kCategory = 64;
  static constexpr size_t kShortText = 256;  // ip, device, mac
  static constexpr size_t kMemo = 1024;
  static constexpr size_t kIdentifier = 2048;  // identifier values (URLs can be long)
  static constexpr size_t kNarrative = 32768;
  static constexpr size_t kAttribute = 1024;   // extra CSV columns: name or value
  static constexpr size_t kAttributes = 64;    // extra columns per row
  static constexpr size_t kListItems = 10000;  // transfers or identifiers listed by one case
};
// kInvalidInput "<field>: <n> bytes, more than the <max> allowed" (with a Chinese line) when `text`
// is longer than `max` bytes.
Status CheckLength(std::string_view field, std::string_view text, size_t max);

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
  Fen amount = 0;    // hundredths of the currency's unit: fen for CNY
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
