#include "app/notifications.h"

#include <algorithm>
#include <map>

#include "core/money.h"
#include "dispatch/dispatch.h"
#include "freeze/orders.h"
#include "region/region.h"
#include "warn/store_io.h"

namespace fanzha::app {
namespace {

// "3 h 20 min" / "3 小时 20 分" from now to `at` (at least a minute).
std::pair<std::string, std::string> TimeLeft(Millis now, Millis at) {
  const int64_t minutes = std::max<int64_t>(1, (at - now) / 60000);
  const int64_t h = minutes / 60, m = minutes % 60;
  std::string en, zh;
  if (h > 0) {
    en = std::to_string(h) + " h ";
    zh = std::to_string(h) + " 小时 ";
  }
  en += std::to_string(m) + " min";
  zh += std::to_string(m) + " 分";
  return {en, zh};
}

// The region a case was reported in, from the store once per case.
class CaseRegions {
 public:
  explicit CaseRegions(store::Store& store) : store_(store) {}
  Result<std::string> Of(const std::string& case_id) {
    auto it = regions_.find(case_id);
    if (it != regions_.end()) return it->second;
    FANZHA_ASSIGN_OR_RETURN(std::optional<Case> c, store_.GetCase(case_id));
    return regions_[case_id] = c ? c->region : "";
  }

 private:
  store::Store& store_;
  std::map<std::string, std::string> regions_;
};

Notice OrderNotice(const freeze::Order& o, std::string kind, Millis now) {
  const std::string id = std::to_string(o.id);
  const std::string what = std::string(freeze::Name(o.kind)) + " order " + id + " (case " +
                           o.case_id + ", " + o.institution + ", account " + o.account + ")";
  const std::string what_zh = std::string(freeze::ChineseName(o.kind)) + "指令 " + id + "（案件 " +
                              o.case_id + "，" + o.institution + "，账户 " + o.account + "）";
  Notice n;
  n.key = kind + ":" + id;
  n.href = "#/orders/" + id;
  if (kind == "order_unanswered") {
    n.at = o.updated_at;
    n.text = what + " awaits the bank's answer since " + FormatMinute(o.updated_at) + "; amount " +
             FormatMoneyGrouped(o.requested);
    n.text_zh = what_zh + "自 " + FormatMinute(o.updated_at) + " 起待银行答复，金额 " +
                FormatMoneyGrouped(o.requested) + " 元";
  } else {
    auto [left, left_zh] = TimeLeft(now, o.deadline);
    n.at = o.deadline;
    n.text = what + " lapses at " + FormatMinute(o.deadline) + ", in " + left +
             (o.renewal_pending ? "; renewal asked for" : "; renew or release it");
    n.text_zh = what_zh + "将于 " + FormatMinute(o.deadline) + " 到期，剩 " + left_zh +
                (o.renewal_pending ? "；已申请续期" : "；请续期或解冻");
  }
  n.kind = std::move(kind);
  return n;
}

Status AddOrders(store::Store& store, const auth::User& user, Millis now, const NoticeRules& rules,
                 std::vector<Notice>* out) {
  freeze::OrderBook book(store.sql());
  CaseRegions regions(store);
  auto may_see = [&](const freeze::Order& o) -> Result<bool> {
    if (user.role == auth::Role::kBank) return auth::CanSeeOrder(user, "", o.institution);
    FANZHA_ASSIGN_OR_RETURN(std::string region, regions.Of(o.case_id));
    return auth::CanSeeOrder(user, region, o.institution);
  };
  FANZHA_ASSIGN_OR_RETURN(std::vector<freeze::Order> due, book.Due(now, rules.order_within));
  for (const freeze::Order& o : due) {
    FANZHA_ASSIGN_OR_RETURN(bool mine, may_see(o));
    if (mine && o.deadline > now) out->push_back(OrderNotice(o, "order_due", now));
  }
  if (user.role != auth::Role::kBank) return Status::Ok();
  freeze::OrderFilter sent;
  sent.institution = user.institution;
  sent.status = freeze::OrderStatus::kSent;
  FANZHA_ASSIGN_OR_RETURN(std::vector<freeze::Order> waiting, book.List(sent));
  for (const freeze::Order& o : waiting) out->push_back(OrderNotice(o, "order_unanswered", now));
  return Status::Ok();
}

Status AddLeads(store::Store& store, const auth::User& user, Millis now, std::vector<Notice>* out) {
  dispatch::LeadFilter filter;
  filter.overdue_only = true;
  FANZHA_ASSIGN_OR_RETURN(std::vector<dispatch::StoredLead> leads,
                          dispatch::LeadBook(store.sql()).List(filter, now));
  for (const dispatch::StoredLead& lead : leads) {
    if (!auth::CanReadCase(user, lead.jurisdiction)) continue;
    const std::string id = std::to_string(lead.id);
    const std::string place =
        lead.jurisdiction + " " + region::RegionTable::Builtin().DisplayName(lead.jurisdiction);
    const std::string cases = std::to_string(lead.cases.size());
    Notice n;
    n.key = "lead_overdue:" + id;
    n.kind = "lead_overdue";
    n.at = lead.deadline_at;
    n.href = "#/leads";
    n.text = "lead " + id + " pushed to " + place + " (" + cases +
             " cases) has had no feedback since its deadline " + FormatMinute(lead.deadline_at);
    n.text_zh = "线索 " + id + "（推送至 " + place + "，" + cases + " 起案件）已过反馈期限 " +
                FormatMinute(lead.deadline_at) + "，尚无反馈";
    out->push_back(std::move(n));
  }
  return Status::Ok();
}

Status AddWarnings(store::Store& store, const auth::User& user, Millis now,
                   const NoticeRules& rules, std::vector<Notice>* out) {
  if (!auth::CanSeeWarnings(user, user.region)) return Status::Ok();
  FANZHA_ASSIGN_OR_RETURN(std::vector<warn::QueuedWarning> queue,
                          warn::RegionQueue(store.sql(), user.region, 0));
  int64_t count = 0;
  int top = 0;
  Millis newest = 0;
  for (const warn::QueuedWarning& w : queue) {
    if (w.score < rules.warning_score || w.last_event_at < now - rules.warning_within) continue;
    ++count;
    top = std::max(top, w.score);
    newest = std::max(newest, w.last_event_at);
  }
  if (count == 0) return Status::Ok();
  const std::string n_text = std::to_string(count);
  Notice n;
  n.key = "warnings:" + (user.region.empty() ? std::string("all") : user.region);
  n.kind = "warnings";
  n.at = newest;
  n.href = "#/hotline";
  n.text = n_text + " open warnings scoring " + std::to_string(rules.warning_score) +
           " or more (highest " + std::to_string(top) + "), the newest at " + FormatMinute(newest) +
           ": call them first";
  n.text_zh = n_text + " 条 " + std::to_string(rules.warning_score) + " 分以上的预警待处置（最高 " +
              std::to_string(top) + " 分，最新 " + FormatMinute(newest) + "），请优先致电劝阻";
  out->push_back(std::move(n));
  return Status::Ok();
}

}  // namespace

Result<Notices> NoticesFor(store::Store& store, const auth::User& user, Millis now,
                           const NoticeRules& rules) {
  std::vector<Notice> out;
  if (user.role == auth::Role::kAuditor) return Notices{};
  if (user.role != auth::Role::kHotline) {
    FANZHA_RETURN_IF_ERROR(AddOrders(store, user, now, rules, &out));
  }
  if (user.role == auth::Role::kCentre || user.role == auth::Role::kInvestigator) {
    FANZHA_RETURN_IF_ERROR(AddLeads(store, user, now, &out));
  }
  FANZHA_RETURN_IF_ERROR(AddWarnings(store, user, now, rules, &out));
  std::stable_sort(out.begin(), out.end(), [](const Notice& a, const Notice& b) {
    const bool aw = a.kind == "warnings", bw = b.kind == "warnings";
    if (aw != bw) return aw;
    return a.at != b.at ? a.at < b.at : a.key < b.key;
  });
  Notices n;
  n.count = static_cast<int64_t>(out.size());
  if (out.size() > rules.max_notices) out.resize(rules.max_notices);
  n.notices = std::move(out);
  return n;
}

nlohmann::ordered_json ToJson(const Notices& notices) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const Notice& n : notices.notices) {
    list.push_back({{"key", n.key},
                    {"kind", n.kind},
                    {"at", FormatTime(n.at)},
                    {"href", n.href},
                    {"text", n.text},
                    {"text_zh", n.text_zh}});
  }
  return {{"count", notices.count}, {"notices", list}};
}

}  // namespace fanzha::app
