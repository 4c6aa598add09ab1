// Figures by day, region and fraud type (report.h).
#include <map>
#include <set>
#include <unordered_map>

#include "core/csv.h"
#include "core/names.h"
#include "dispatch/dispatch.h"
#include "freeze/orders.h"
#include "region/region.h"
#include "report/report.h"
#include "takedown/takedown.h"
#include "warn/store_io.h"

namespace fanzha::report {

// In enum order (core/names.h).
constexpr std::string_view kDimensionNames[] = {"day", "region", "category"};

Result<Dimension> ParseDimension(std::string_view s) {
  return ParseName<Dimension>(s, kDimensionNames, "breakdown", "统计维度");
}

namespace {

// The key of a record from its time, region and category.
std::string KeyOf(Millis at, std::string_view region, std::string_view category, Dimension by) {
  switch (by) {
    case Dimension::kDay:
      return FormatDate(at);
    case Dimension::kRegion:
      return region.empty() ? "unknown" : dispatch::CityLevel(std::string(region));
    case Dimension::kCategory:
      return category.empty() ? "other" : std::string(category);
  }
  return "";
}

// Where a case's figures go: its reported day, the victim's region, its category.
struct CaseFacts {
  Millis reported_at = 0;
  std::string region, category;
};

}  // namespace

// Each module's records come from the module (the store's cases, freeze::OrderBook,
// dispatch::LeadBook, warn::ListWarningFacts, takedown::TakedownBook): no table is read here.
Result<std::vector<Row>> Breakdown(store::Store& store, Dimension by, Millis now,
                                   std::string_view within) {
  std::map<std::string, Row> rows;
  Row outside;  // what records beyond `within` add to: counted nowhere
  auto row = [&](Millis at, std::string_view region, std::string_view category) -> Row& {
    if (!region::Covers(within, region)) return outside;
    std::string key = KeyOf(at, region, category, by);
    Row& r = rows[key];
    if (r.key.empty()) r.key = std::move(key);
    return r;
  };
  std::unordered_map<std::string, CaseFacts> cases;
  FANZHA_RETURN_IF_ERROR(store.ForEachCaseHeader([&](const Case& c) {
    Row& r = row(c.reported_at, c.region, c.category);
    ++r.cases;
    r.loss += c.loss.value_or(0);
    cases.emplace(c.id, CaseFacts{c.reported_at, c.region, c.category});
  }));
  auto of_case = [&](const std::string& id) -> Row* {
    auto it = cases.find(id);
    return it == cases.end() ? nullptr
                             : &row(it->second.reported_at, it->second.region, it->second.category);
  };
  FANZHA_ASSIGN_OR_RETURN(std::vector<dispatch::StoredLead> leads,
                          dispatch::LeadBook(store.sql()).List({}, now));
  std::set<std::string> linked;  // cases carried by a lead of two or more cases
  for (const dispatch::StoredLead& l : leads) {
    if (l.cases.size() > 1) linked.insert(l.cases.begin(), l.cases.end());
    Row& r = row(l.pushed_at, l.jurisdiction, l.category);
    ++r.leads_pushed;
    r.leads_answered += l.status != dispatch::LeadStatus::kPushed;
    r.leads_overdue += l.overdue;
    r.arrests += l.arrests;
    r.solved += l.solved;
  }
  for (const std::string& id : linked) {
    if (Row* r = of_case(id)) ++r->linked;
  }
  FANZHA_ASSIGN_OR_RETURN(std::vector<freeze::Order> orders,
                          freeze::OrderBook(store.sql()).List({}));
  for (const freeze::Order& o : orders) {
    Row* r = of_case(o.case_id);
    if (!r) continue;
    r->frozen += o.frozen;
    if (o.status == freeze::OrderStatus::kReturned) r->returned += o.frozen;
  }
  FANZHA_ASSIGN_OR_RETURN(std::vector<warn::WarningFacts> warnings,
                          warn::ListWarningFacts(store.sql()));
  for (const warn::WarningFacts& w : warnings)
    ++row(w.first_event_at, w.region, w.category).warnings;
  FANZHA_ASSIGN_OR_RETURN(std::vector<takedown::Request> takedowns,
                          takedown::TakedownBook(store.sql()).List({}));
  for (const takedown::Request& t : takedowns) ++row(t.created_at, t.region, t.category).takedowns;
  std::vector<Row> out;
  for (auto& [key, r] : rows) out.push_back(std::move(r));
  return out;
}

nlohmann::ordered_json ToJson(const std::vector<Row>& rows) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const Row& r : rows) {
    out.push_back({{"key", r.key},
                   {"cases", r.cases},
                   {"linked", r.linked},
                   {"loss", FormatMoney(r.loss)},
                   {"frozen", FormatMoney(r.frozen)},
                   {"returned", FormatMoney(r.returned)},
                   {"leads_pushed", r.leads_pushed},
                   {"leads_answered", r.leads_answered},
                   {"leads_overdue", r.leads_overdue},
                   {"arrests", r.arrests},
                   {"solved", r.solved},
                   {"warnings", r.warnings},
                   {"takedowns", r.takedowns}});
  }
  return out;
}

std::string ToCsv(const std::vector<Row>& rows) {
  std::string out =
      "key,cases,linked,loss,frozen,returned,leads_pushed,leads_answered,leads_overdue,arrests,"
      "solved,warnings,takedowns\n";
  for (const Row& r : rows) {
    AppendCsvRow(&out,
                 {r.key, std::to_string(r.cases), std::to_string(r.linked), FormatMoney(r.loss),
                  FormatMoney(r.frozen), FormatMoney(r.returned), std::to_string(r.leads_pushed),
                  std::to_string(r.leads_answered), std::to_string(r.leads_overdue),
                  std::to_string(r.arrests), std::to_string(r.solved), std::to_string(r.warnings),
                  std::to_string(r.takedowns)});
  }
  return out;
}

}  // namespace fanzha::report
