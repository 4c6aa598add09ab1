#include "app/stats.h"

#include <map>

#include "casefile/stages.h"
#include "core/money.h"
#include "dispatch/dispatch.h"
#include "freeze/orders.h"
#include "import/import.h"
#include "link/from_store.h"
#include "region/region.h"
#include "takedown/takedown.h"
#include "warn/store_io.h"

namespace fanzha::app {
namespace {

using Json = nlohmann::ordered_json;

Json Counts(const std::map<std::string, int64_t>& by) {
  Json out = Json::object();
  for (const auto& [key, n] : by) out[key] = n;
  return out;
}

Status AddStore(store::Store& store, Json* doc) {
  FANZHA_ASSIGN_OR_RETURN(store::Totals t, store.CountTotals());
  Json& d = *doc;
  d["accounts"] = t.accounts;
  d["transfers"] = t.transfers;
  d["cases"] = t.cases;
  d["identifiers"] = t.identifiers;
  d["transfer_volume"] = FormatMoney(t.volume);
  if (t.first_transfer) d["first_transfer"] = FormatTime(*t.first_transfer);
  if (t.last_transfer) d["last_transfer"] = FormatTime(*t.last_transfer);
  d["accounts_by_kind"] = Counts(t.accounts_by_kind);
  d["accounts_only_in_transfers"] = t.accounts_only_in_transfers;
  d["identifiers_by_type"] = Counts(t.identifiers_by_type);
  if (!t.transfers_by_other_currency.empty())
    d["transfers_in_other_currencies"] = Counts(t.transfers_by_other_currency);
  FANZHA_ASSIGN_OR_RETURN(import::PostingTotals postings, import::CountPostings(store));
  d["statement_postings"] = postings.postings;
  return Status::Ok();
}

Status AddLink(store::Store& store, Json* doc) {
  FANZHA_ASSIGN_OR_RETURN(link::StoredClusterTotals t, link::CountStoredClusters(store.sql()));
  (*doc)["link"] = {{"linked_cases", t.linked_cases}, {"clusters", t.clusters}};
  return Status::Ok();
}

Status AddFreeze(store::Store& store, Json* doc) {
  FANZHA_ASSIGN_OR_RETURN(freeze::OrderTotals t, freeze::OrderBook(store.sql()).Totals());
  (*doc)["freeze"] = {{"orders", t.orders},
                      {"frozen", FormatMoney(t.frozen)},
                      {"returned", FormatMoney(t.returned)}};
  (*doc)["freeze_orders"] = Counts(t.by_status);
  return Status::Ok();
}

Status AddWarnings(store::Store& store, Json* doc) {
  FANZHA_ASSIGN_OR_RETURN(warn::WarnTotals t, warn::CountWarnings(store.sql()));
  (*doc)["warnings"] = {{"warnings", t.warnings},
                        {"open", t.open},
                        {"dissuaded", t.dissuaded},
                        {"already_paid", t.already_paid},
                        {"saved", FormatMoney(t.saved)}};
  return Status::Ok();
}

Status AddLeads(store::Store& store, Millis now, Json* doc) {
  FANZHA_ASSIGN_OR_RETURN(dispatch::LeadTotals t, dispatch::LeadBook(store.sql()).Totals(now));
  (*doc)["leads"] = {
      {"leads", t.leads},     {"batches", t.batches}, {"answered", t.answered},
      {"overdue", t.overdue}, {"closed", t.closed},   {"rejected", t.rejected},
      {"arrests", t.arrests}, {"solved", t.solved},   {"recovered", FormatMoney(t.recovered)}};
  return Status::Ok();
}

Status AddTakedowns(store::Store& store, Json* doc) {
  FANZHA_ASSIGN_OR_RETURN(auto by_state, takedown::TakedownBook(store.sql()).CountByState());
  (*doc)["takedowns"] = Counts(by_state);
  return Status::Ok();
}

// How long cases wait at each stage of the justice process, per region (casefile/stages.h).
Status AddStages(store::Store& store, Millis now, Json* doc) {
  FANZHA_ASSIGN_OR_RETURN(std::vector<casefile::StageFigures> figures,
                          casefile::StageBook(store).Figures(now));
  constexpr Millis kHour = 3600 * 1000;
  Json rows = Json::array();
  for (const auto& f : figures) {
    rows.push_back({{"region", f.region},
                    {"name", region::RegionTable::Builtin().DisplayName(f.region)},
                    {"stage", casefile::Name(f.stage)},
                    {"cases_now", f.cases_now},
                    {"overdue_now", f.overdue_now},
                    {"longest_now_hours", f.longest_now / kHour},
                    {"passed", f.passed},
                    {"mean_wait_hours", f.passed ? f.total_waited / f.passed / kHour : 0}});
  }
  (*doc)["stages"] = rows;
  return Status::Ok();
}

}  // namespace

Result<Json> Statistics(store::Store& store, Millis now) {
  Json doc = Json::object();
  FANZHA_RETURN_IF_ERROR(AddStore(store, &doc).WithContext("store"));
  FANZHA_RETURN_IF_ERROR(AddLink(store, &doc).WithContext("link"));
  FANZHA_RETURN_IF_ERROR(AddFreeze(store, &doc).WithContext("freeze"));
  FANZHA_RETURN_IF_ERROR(AddWarnings(store, &doc).WithContext("warn"));
  FANZHA_RETURN_IF_ERROR(AddLeads(store, now, &doc).WithContext("dispatch"));
  FANZHA_RETURN_IF_ERROR(AddTakedowns(store, &doc).WithContext("takedown"));
  FANZHA_RETURN_IF_ERROR(AddStages(store, now, &doc).WithContext("casefile"));
  return doc;
}

}  // namespace fanzha::app
