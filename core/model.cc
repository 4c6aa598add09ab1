#include "core/model.h"

#include "core/names.h"

namespace fanzha {
namespace {

constexpr std::pair<std::string_view, AccountKind> kKinds[] = {
    {"unknown", AccountKind::kUnknown},   {"personal", AccountKind::kPersonal},
    {"corporate", AccountKind::kCorporate}, {"merchant", AccountKind::kMerchant},
    {"platform", AccountKind::kPlatform}, {"exchange", AccountKind::kExchange},
    {"", AccountKind::kUnknown}};
constexpr std::pair<std::string_view, Channel> kChannels[] = {
    {"transfer", Channel::kTransfer}, {"withdrawal", Channel::kWithdrawal},
    {"deposit", Channel::kDeposit},   {"purchase", Channel::kPurchase},
    {"", Channel::kTransfer}};
constexpr std::pair<std::string_view, IdentifierType> kIdTypes[] = {
    {"phone", IdentifierType::kPhone},   {"account", IdentifierType::kAccount},
    {"url", IdentifierType::kUrl},       {"domain", IdentifierType::kDomain},
    {"wechat", IdentifierType::kWechat}, {"qq", IdentifierType::kQq},
    {"alipay", IdentifierType::kAlipay}, {"device", IdentifierType::kDevice},
    {"ip", IdentifierType::kIp},         {"email", IdentifierType::kEmail},
    {"other", IdentifierType::kOther}};

}  // namespace

std::string_view Name(AccountKind k) { return NameOf(k, kKinds); }
std::string_view Name(Channel c) { return NameOf(c, kChannels); }
std::string_view Name(IdentifierType t) { return NameOf(t, kIdTypes); }
Result<AccountKind> ParseAccountKind(std::string_view s) { return ParseName(s, kKinds, "account kind"); }
Result<Channel> ParseChannel(std::string_view s) { return ParseName(s, kChannels, "channel"); }
Result<IdentifierType> ParseIdentifierType(std::string_view s) {
  return ParseName(s, kIdTypes, "identifier type");
}

}  // namespace fanzha
