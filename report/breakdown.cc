// Figures by day, region and fraud type (report.h).
#include <functional>
#include <map>

#include "core/csv.h"
#include "core/names.h"
#include "dispatch/dispatch.h"
#include "region/region.h"
#include "report/report.h"

namespace fanzha::report {

// In enum order (core/names.h).
constexpr std::string_view kDimensionNames[] = {"day", "region", "category"};

Result<Dimension> ParseDimension(std::string_view s) {
  return ParseName<Dimension>(s, kDimensionNames, "breakdown");
}

namespace {

using RowFn = std::function<void(const store::SqlStatement&)>;

// Runs a query and calls `fn` for each row. A table that does not exist yet counts as empty.
Status ForRows(store::SqlDatabase& db, std::string_view sql, const RowFn& fn) {
  FANZHA_ASSIGN_OR_RETURN(auto s, db.Prepare(sql));
  for (;;) {
    FANZHA_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return Status::Ok();
    fn(*s);
  }
}

// The key of a record from its time, region and category (columns 0, 1, 2 of every query below).
std::string KeyOf(const store::SqlStatement& s, Dimension by) {
  switch (by) {
    case Dimension::kDay:
      return FormatDate(s.ColumnInt64(0));
    case Dimension::kRegion: {
      std::string r = s.ColumnString(1);
      return r.empty() ? "unknown" : dispatch::CityLevel(r);
    }
    case Dimension::kCategory: {
      std::string c = s.ColumnString(2);
      return c.empty() ? "other" : c;
    }
  }
  return "";
}

constexpr std::string_view kCases =
    "SELECT reported_at, region, category, COALESCE(loss, 0) FROM cases";
constexpr std::string_view kLinked =
    "SELECT c.reported_at, c.region, c.category FROM cases c JOIN lead_cases lc ON lc.case_id = "
    "c.id "
    "WHERE lc.lead_id IN (SELECT lead_id FROM lead_cases GROUP BY lead_id HAVING COUNT(*) > 1)";
constexpr std::string_view kFrozen =
    "SELECT c.reported_at, c.region, c.category, f.amount_frozen, f.status FROM freeze_orders f "
    "JOIN cases c ON c.id = f.case_id";
constexpr std::string_view kLeads =
    "SELECT pushed_at, jurisdiction, category, status, deadline_at, arrests, solved FROM leads";
constexpr std::string_view kWarnings = "SELECT first_event_at, region, category FROM warnings";
constexpr std::string_view kTakedowns = "SELECT created_at, region, category FROM takedowns";

}  // namespace

Result<std::vector<Row>> Breakdown(store::Store& store, Dimension by, Millis now,
                                   std::string_view within) {
  std::map<std::string, Row> rows;
  Row outside;  // what records beyond `within` add to: counted nowhere
  auto row = [&](const store::SqlStatement& s) -> Row& {
    if (!region::Covers(within, s.ColumnText(1))) return outside;
    Row& r = rows[KeyOf(s, by)];
    if (r.key.empty()) r.key = KeyOf(s, by);
    return r;
  };
  store::SqlDatabase& db = store.sql();
  FANZHA_RETURN_IF_ERROR(ForRows(db, kCases, [&](const auto& s) {
    Row& r = row(s);
    ++r.cases;
    r.loss += s.ColumnInt64(3);
  }));
  FANZHA_RETURN_IF_ERROR(ForRows(db, kLinked, [&](const auto& s) { ++row(s).linked; }));
  FANZHA_RETURN_IF_ERROR(ForRows(db, kFrozen, [&](const auto& s) {
    Row& r = row(s);
    r.frozen += s.ColumnInt64(3);
    if (s.ColumnText(4) == "returned") r.returned += s.ColumnInt64(3);
  }));
  FANZHA_RETURN_IF_ERROR(ForRows(db, kLeads, [&](const auto& s) {
    Row& r = row(s);
    ++r.leads_pushed;
    const bool open = s.ColumnText(3) == "pushed";
    r.leads_answered += !open;
    r.leads_overdue += open && now >= s.ColumnInt64(4);
    r.arrests += s.ColumnInt64(5);
    r.solved += s.ColumnInt64(6);
  }));
  FANZHA_RETURN_IF_ERROR(ForRows(db, kWarnings, [&](const auto& s) { ++row(s).warnings; }));
  FANZHA_RETURN_IF_ERROR(ForRows(db, kTakedowns, [&](const auto& s) { ++row(s).takedowns; }));
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
