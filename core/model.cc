#include "core/model.h"

namespace fanzha {
namespace {

template <typename E, size_t N>
Result<E> ParseName(std::string_view s, const std::pair<std::string_view, E> (&table)[N],
                    const char* what) {
  for (const auto& [name, value] : table) {
    if (s == name) return value;
  }
  std::string options;
  for (const auto& [name, value] : table) {
    if (name.empty()) continue;
    if (!options.empty()) options += ", ";
    options += name;
  }
  return Status::Invalid("unknown " + std::string(what) + " '" + std::string(s) + "' (one of " +
                         options + ")");
}

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

template <typename E, size_t N>
std::string_view NameOf(E v, const std::pair<std::string_view, E> (&table)[N]) {
  for (const auto& [name, value] : table) {
    if (value == v) return name;
  }
  return "?";
}

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
