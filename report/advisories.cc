// Public advisories from counts and fixed texts (report.h).
#include <algorithm>
#include <map>

#include "report/report.h"

namespace fanzha::report {
namespace {

struct Script {
  const char* category;
  const char* title;
  const char* how;        // how the script goes
  const char* recognise;  // how to recognise it
};

constexpr Script kScripts[] = {
    {"part_time_job", "刷单返利 (paid \"order brushing\" jobs)",
     "A stranger offers easy money for liking posts or placing orders; the first small tasks pay "
     "out, "
     "then larger \"combined orders\" need more money up front and the payouts stop.",
     "Any job that asks you to pay first is a fraud. Real employers never ask for deposits."},
    {"investment", "投资理财 (investment and trading platforms)",
     "A contact met online shows large profits on a private platform or app and coaches you to "
     "invest more; withdrawals are refused until you pay \"fees\" or \"taxes\".",
     "Promised high, sure returns; an app not from an official store; withdrawal blocked until you "
     "pay."},
    {"impersonation_official", "冒充公检法 (impersonating police, prosecutors or courts)",
     "A caller claims your identity is involved in a crime and asks you to move money to a "
     "\"safe account\" for checking, keeping it secret from family.",
     "Police never investigate by phone or ask for transfers; there is no \"safe account\"."},
    {"impersonation_service", "冒充客服 (impersonating customer service)",
     "A \"customer service\" caller says an order has a problem or a membership must be cancelled, "
     "then guides you to a screen-sharing app or to transfer money.",
     "Refunds never need you to pay, share your screen or read out verification codes."},
    {"refund", "退款理赔 (refunds and compensation)",
     "A caller says a parcel was lost or a purchase failed and offers compensation through a link "
     "or a loan app that ends with money taken from you.",
     "Check refunds only in the official app of the shop; never follow links sent by callers."},
    {"fake_goods_sale", "虚假购物 (fake online shops)",
     "Scarce or cheap goods are offered outside the platform; after payment nothing is shipped.",
     "Pay only inside the shopping platform; private transfers for goods are not protected."},
    {"romance", "婚恋交友 (romance)",
     "A new online partner builds trust over weeks, then asks for money or introduces an "
     "\"investment opportunity\".",
     "Someone you have never met asking for money or pushing an investment is a warning sign."},
    {"loan", "贷款 (loans)",
     "A \"loan\" is offered with no checks, but fees, deposits or \"unfreezing\" charges must be "
     "paid first, and the loan never arrives.",
     "Licensed lenders do not charge fees before lending."},
    {"impersonation_acquaintance", "冒充熟人、领导 (impersonating an acquaintance or a boss)",
     "A message from a \"boss\", relative or old friend, often from a new account with their "
     "photo, asks you to pay someone urgently on their behalf or to lend money, and not to call.",
     "Call the person on the number you already have before you pay; a new account asking for "
     "money in a hurry is a warning sign."},
    {"other", "其他 (other scripts)", "Other scripts reported in the period.",
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

Result<std::string> Advisories(store::Store& store, int days) {
  std::vector<Case> cases;  // their own fields only: a category, a loss, a day
  FANZHA_RETURN_IF_ERROR(store.ForEachCaseHeader([&](const Case& c) { cases.push_back(c); }));
  if (cases.empty()) return Status::NotFound("no cases in the store: nothing to advise");
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
  std::string md = "# 反诈预警 Fraud advisory, " + FormatDate(start + 86400000) + " to " +
                   FormatDate(end) + "\n\n" + std::to_string(total) +
                   " reported frauds in the period. The most common scripts:\n";
  int rank = 0;
  for (auto& [category, c] : sorted) {
    const Script& script = ScriptOf(category);
    std::sort(c.losses.begin(), c.losses.end());
    md += "\n## " + std::to_string(++rank) + ". " + script.title + "\n\n" +
          std::to_string(c.cases) + " reports (" + std::to_string(c.cases * 100 / total) +
          "%), total loss " + FormatMoney(c.loss) + " yuan, typical loss " +
          FormatMoney(c.losses[c.losses.size() / 2]) + " yuan.\n\n" + "How it goes: " + script.how +
          "\n\nHow to recognise it: " + script.recognise + "\n";
  }
  md += "\nIf in doubt, hang up and call the anti-fraud hotline 96110.\n";
  return md;
}

}  // namespace fanzha::report
