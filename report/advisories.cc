// Public advisories from counts and fixed texts (report.h).
#include <algorithm>
#include <map>

#include "report/report.h"

namespace fanzha::report {
namespace {

struct Script {
  const char* category;
  const char* title;      // 中文
  const char* title_en;   // English
  const char* how;        // how the script goes (中文)
  const char* recognise;  // how to recognise it (中文)
  const char* how_en;
  const char* recognise_en;
};

constexpr Script kScripts[] = {
    {"part_time_job", "刷单返利", "paid \"order brushing\" jobs",
     "陌生人以点赞、刷单等“轻松兼职”为名，先让你做几单小任务并返还佣金，随后要求垫付更多资金做"
     "“联单”“组合单”，返利再也不到账。",
     "凡是要求先垫钱的兼职都是诈骗，正规用人单位不会收取押金。",
     "A stranger offers easy money for liking posts or placing orders; the first small tasks pay "
     "out, then larger \"combined orders\" need more money up front and the payouts stop.",
     "Any job that asks you to pay first is a fraud. Real employers never ask for deposits."},
    {"investment", "投资理财", "investment and trading platforms",
     "网上结识的“导师”“朋友”展示在私人平台或 App 上的高额收益，诱导你不断加仓；想提现时却以"
     "缴纳“手续费”“税费”为由拒绝。",
     "承诺高收益、稳赚不赔；App 不来自官方应用商店；提现前要求先交钱，都是诈骗信号。",
     "A contact met online shows large profits on a private platform or app and coaches you to "
     "invest more; withdrawals are refused until you pay \"fees\" or \"taxes\".",
     "Promised high, sure returns; an app not from an official store; withdrawal blocked until you "
     "pay."},
    {"impersonation_official", "冒充公检法", "impersonating police, prosecutors or courts",
     "来电者自称公安、检察院或法院工作人员，称你的身份涉嫌犯罪，要求把钱转入“安全账户”接受审查，"
     "并要求对家人保密。",
     "公检法机关不会通过电话办案，更不会要求转账；根本不存在“安全账户”。",
     "A caller claims your identity is involved in a crime and asks you to move money to a "
     "\"safe account\" for checking, keeping it secret from family.",
     "Police never investigate by phone or ask for transfers; there is no \"safe account\"."},
    {"impersonation_service", "冒充客服", "impersonating customer service",
     "自称电商或平台“客服”来电，称订单异常或需要取消会员，引导你下载屏幕共享软件或转账。",
     "退款不需要你付钱、共享屏幕或报出验证码。",
     "A \"customer service\" caller says an order has a problem or a membership must be cancelled, "
     "then guides you to a screen-sharing app or to transfer money.",
     "Refunds never need you to pay, share your screen or read out verification codes."},
    {"refund", "退款理赔", "refunds and compensation",
     "来电者称快递丢失或购物失败，提出通过链接或贷款 App 给你理赔，最后反而把你的钱转走。",
     "只在购物平台的官方 App 内办理退款，不要点击来电者发来的链接。",
     "A caller says a parcel was lost or a purchase failed and offers compensation through a link "
     "or a loan app that ends with money taken from you.",
     "Check refunds only in the official app of the shop; never follow links sent by callers."},
    {"fake_goods_sale", "虚假购物", "fake online shops",
     "在平台之外以低价或稀缺商品引诱下单，付款后不发货。",
     "只在购物平台内付款，私下转账购物没有任何保障。",
     "Scarce or cheap goods are offered outside the platform; after payment nothing is shipped.",
     "Pay only inside the shopping platform; private transfers for goods are not protected."},
    {"romance", "婚恋交友", "romance",
     "网上新认识的“恋人”用数周时间取得信任，随后借钱或介绍“投资机会”。",
     "从未见过面的人向你借钱或推荐投资，就是危险信号。",
     "A new online partner builds trust over weeks, then asks for money or introduces an "
     "\"investment opportunity\".",
     "Someone you have never met asking for money or pushing an investment is a warning sign."},
    {"loan", "贷款", "loans",
     "声称“无抵押、秒到账”的贷款，却要先交手续费、保证金或“解冻费”，贷款始终不到账。",
     "正规贷款机构放款前不会收取任何费用。",
     "A \"loan\" is offered with no checks, but fees, deposits or \"unfreezing\" charges must be "
     "paid first, and the loan never arrives.",
     "Licensed lenders do not charge fees before lending."},
    {"impersonation_acquaintance", "冒充熟人、领导", "impersonating an acquaintance or a boss",
     "冒充“领导”、亲友或老同学，常用新账号和对方的头像，急着让你代为付款或借钱，还让你别打电话。",
     "付款前先用你原有的号码给对方打电话核实；新账号着急要钱就是危险信号。",
     "A message from a \"boss\", relative or old friend, often from a new account with their "
     "photo, asks you to pay someone urgently on their behalf or to lend money, and not to call.",
     "Call the person on the number you already have before you pay; a new account asking for "
     "money in a hurry is a warning sign."},
    {"other", "其他手法", "other scripts", "本期报告的其他诈骗手法。",
     "陌生人向你要钱或要验证码时，请立即停止，并拨打 96110 或 110。",
     "Other scripts reported in the period.",
     "When a stranger asks for money or codes, stop and call 96110 or 110."},
};

const Script& ScriptOf(const std::string& category) {
  for (const Script& s : kScripts) {
    if (category == s.category) return s;
  }
  return kScripts[std::size(kScripts) - 1];
}

struct Count {
  int64_t cases = 0;
  Fen loss = 0;
  std::vector<Fen> losses;
};

}  // namespace

Result<std::string> Advisories(store::Store& store, int days, Lang lang) {
  const bool en = lang == Lang::kEn;
  std::vector<Case> cases;  // their own fields only: a category, a loss, a day
  FANZHA_RETURN_IF_ERROR(store.ForEachCaseHeader([&](const Case& c) { cases.push_back(c); }));
  if (cases.empty()) {
    return Status::NotFound("no cases in the store: nothing to advise")
        .WithZh("库中没有案件，无可发布的预警");
  }
  Millis end = 0;
  for (const Case& c : cases) end = std::max(end, c.reported_at);
  const Millis start = end - static_cast<Millis>(days) * 86400000;
  std::map<std::string, Count> counts;
  int64_t total = 0;
  for (const Case& k : cases) {
    if (k.reported_at <= start) continue;
    Count& c = counts[ScriptOf(k.category).category];
    ++c.cases, ++total;
    c.loss += k.loss.value_or(0);
    c.losses.push_back(k.loss.value_or(0));
  }
  std::vector<std::pair<std::string, Count>> sorted(counts.begin(), counts.end());
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& a, const auto& b) { return a.second.cases > b.second.cases; });
  const std::string from = FormatDate(start + 86400000), to = FormatDate(end);
  std::string md = en ? "# Fraud advisory, " + from + " to " + to + "\n\n" + std::to_string(total) +
                            " reported frauds in the period. The most common scripts:\n"
                      : "# 反诈预警（" + from + " 至 " + to + "）\n\n本期共接报诈骗 " +
                            std::to_string(total) + " 起，最常见的诈骗手法如下：\n";
  int rank = 0;
  for (auto& [category, c] : sorted) {
    const Script& script = ScriptOf(category);
    std::sort(c.losses.begin(), c.losses.end());
    const std::string n = std::to_string(c.cases), share = std::to_string(c.cases * 100 / total);
    const std::string loss = FormatMoneyGrouped(c.loss);
    const std::string typical = FormatMoneyGrouped(c.losses[c.losses.size() / 2]);
    md += "\n## " + std::to_string(++rank) + ". ";
    if (en) {
      md += std::string(script.title_en) + " (" + script.title + ")\n\n" + n + " reports (" +
            share + "%), total loss " + loss + " yuan, typical loss " + typical +
            " yuan.\n\nHow it goes: " + script.how_en +
            "\n\nHow to recognise it: " + script.recognise_en + "\n";
    } else {
      md += std::string(script.title) + "\n\n接报 " + n + " 起（占 " + share + "%），损失合计 " +
            loss + " 元，典型损失 " + typical + " 元。\n\n作案手法：" + script.how +
            "\n\n识别要点：" + script.recognise + "\n";
    }
  }
  md += en ? "\nIf in doubt, hang up and call the anti-fraud hotline 96110.\n"
           : "\n如有疑问，请立即挂断电话，拨打反诈专线 96110 咨询。\n";
  return md;
}

}  // namespace fanzha::report
