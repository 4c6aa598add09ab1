#include "core/model.h"

#include "core/names.h"
#include "core/text.h"

namespace fanzha {
namespace {

constexpr std::pair<std::string_view, AccountKind> kKinds[] = {
    {"unknown", AccountKind::kUnknown},
    {"personal", AccountKind::kPersonal},
    {"corporate", AccountKind::kCorporate},
    {"merchant", AccountKind::kMerchant},
    {"platform", AccountKind::kPlatform},
    {"exchange", AccountKind::kExchange},
    {"", AccountKind::kUnknown}};
constexpr std::pair<std::string_view, Channel> kChannels[] = {{"transfer", Channel::kTransfer},
                                                              {"withdrawal", Channel::kWithdrawal},
                                                              {"deposit", Channel::kDeposit},
                                                              {"purchase", Channel::kPurchase},
                                                              {"", Channel::kTransfer}};
constexpr std::pair<std::string_view, IdentifierType> kIdTypes[] = {
    {"phone", IdentifierType::kPhone},    {"account", IdentifierType::kAccount},
    {"url", IdentifierType::kUrl},        {"domain", IdentifierType::kDomain},
    {"wechat", IdentifierType::kWechat},  {"qq", IdentifierType::kQq},
    {"alipay", IdentifierType::kAlipay},  {"device", IdentifierType::kDevice},
    {"ip", IdentifierType::kIp},          {"email", IdentifierType::kEmail},
    {"id_card", IdentifierType::kIdCard}, {"other", IdentifierType::kOther}};

// FORMATS.md "cases.jsonl": the built-in list, in its order ("other" last).
constexpr Category kCategories[] = {
    {"fake_goods_sale", "虚假购物", "Fake goods sale"},
    {"impersonation_official", "冒充公检法", "Impersonating officials"},
    {"impersonation_service", "冒充客服", "Impersonating customer service"},
    {"investment", "投资理财", "Investment"},
    {"romance", "婚恋交友", "Romance"},
    {"loan", "贷款", "Loan"},
    {"refund", "退款", "Refund"},
    {"part_time_job", "刷单返利", "Part-time job / order brushing"},
    {"impersonation_acquaintance", "冒充熟人、领导", "Impersonating an acquaintance or a boss"},
    {"other", "其他", "Other"}};

// In enum order, as the dashboard's i18n.ts labels them.
constexpr std::string_view kKindsZh[] = {"未知",     "个人账户", "对公账户",
                                         "商户账户", "支付平台", "交易所"};
constexpr std::string_view kChannelsZh[] = {"转账", "取现", "存现", "消费"};
constexpr std::string_view kIdTypesZh[] = {"手机号", "银行账户", "网址",   "域名",
                                           "微信",   "QQ号",     "支付宝", "设备",
                                           "IP地址", "邮箱",     "身份证", "其他"};
static_assert(std::size(kKindsZh) == static_cast<size_t>(AccountKind::kExchange) + 1);
static_assert(std::size(kChannelsZh) == static_cast<size_t>(Channel::kPurchase) + 1);
static_assert(std::size(kIdTypesZh) == static_cast<size_t>(IdentifierType::kOther) + 1);

}  // namespace

std::string_view ChineseName(AccountKind k) { return kKindsZh[static_cast<size_t>(k)]; }
std::string_view ChineseName(Channel c) { return kChannelsZh[static_cast<size_t>(c)]; }
std::string_view ChineseName(IdentifierType t) { return kIdTypesZh[static_cast<size_t>(t)]; }

std::string_view AccountKindInChinese(std::string_view code) {
  Result<AccountKind> k = ParseAccountKind(code);
  return k.ok() && !code.empty() ? ChineseName(*k) : code;
}

std::string_view IdentifierTypeInChinese(std::string_view code) {
  Result<IdentifierType> t = ParseIdentifierType(code);
  return t.ok() ? ChineseName(*t) : code;
}

std::string_view CategoryInChinese(std::string_view key) {
  const Category* c = FindCategory(key);
  return c ? c->zh : key;
}

std::string_view Name(AccountKind k) { return NameOf(k, kKinds); }
std::string_view Name(Channel c) { return NameOf(c, kChannels); }
std::string_view Name(IdentifierType t) { return NameOf(t, kIdTypes); }
Result<AccountKind> ParseAccountKind(std::string_view s) {
  return ParseName(s, kKinds, "account kind", "账户类型");
}
Result<Channel> ParseChannel(std::string_view s) {
  return ParseName(s, kChannels, "channel", "交易渠道");
}
Result<IdentifierType> ParseIdentifierType(std::string_view s) {
  return ParseName(s, kIdTypes, "identifier type", "标识类型");
}

std::span<const Category> BuiltinCategories() { return kCategories; }

const Category* FindCategory(std::string_view key) {
  for (const Category& c : kCategories) {
    if (c.key == key) return &c;
  }
  return nullptr;
}

Status CheckCaseId(std::string_view id) {
  auto bad = [&](const std::string& why, const std::string& zh) {
    return Status::Invalid("case id '" + Excerpt(id) + "' " + why)
        .WithZh("案件编号 '" + Excerpt(id) + "' " + zh);
  };
  if (id.empty()) return bad("is empty", "为空");
  if (id.size() > 64)
    return bad("has " + std::to_string(id.size()) + " characters, more than 64",
               "长度 " + std::to_string(id.size()) + " 超过 64 个字符");
  auto alnum = [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  };
  if (!alnum(id[0])) return bad("must start with a letter or digit", "须以字母或数字开头");
  for (char c : id) {
    if (!alnum(c) && c != '_' && c != '.' && c != '-')
      return bad("may hold only letters, digits, '_', '.' and '-'",
                 "只能包含字母、数字、'_'、'.' 和 '-'");
  }
  return Status::Ok();
}

Status CheckLength(std::string_view field, std::string_view text, size_t max) {
  if (text.size() <= max) return Status::Ok();
  const std::string n = std::to_string(text.size()), m = std::to_string(max);
  return Status::Invalid(std::string(field) + ": " + n + " bytes, more than the " + m + " allowed")
      .WithZh(std::string(field) + "：长度 " + n + " 字节，超过上限 " + m + " 字节");
}

}  // namespace fanzha
