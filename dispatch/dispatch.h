// Leads to the right jurisdiction (线索推送): a linked cluster of cases (or a single case) becomes
// a lead carrying the suspects' identifiers, the money and the evidence, addressed to the unit of
// the place where the suspects are, not where the victims are. Leads go out in numbered daily
// batches per jurisdiction and are followed until their feedback: "every lead answered, every item
// a result".
//
// Start here: MakeLeads() (store -> leads), then LeadBook::Dispatch() (leads -> batches) and
// LeadBook::Feedback() (the lifecycle).
//
// Jurisdiction. Signals, each explained, are weighed per distinct value:
//  - phone (3): a suspect phone of the cases (identifiers of type phone that are not hubs),
//  geocoded
//    offline (region::PhoneRegion) to its GB/T 2260 city;
//  - cash-out (2): an account that took the victims' money out as cash (withdrawal exits of the
//    traces), at the region where the account was opened;
//  - last layer (1): an account that still holds the victims' money (the traces' held accounts).
// Account regions are lifted to the city level (a county code -> its city). The city with the most
// weight wins (ties: the smaller code); every other city named by a signal is listed as a
// disagreement. Without any signal the lead goes to the victims' most common city, and says so.
//
// Threads. Plain functions are thread-safe; a LeadBook is thread-compatible like its SqlDatabase.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/money.h"
#include "core/status.h"
#include "core/time.h"
#include "link/from_store.h"
#include "link/link.h"
#include "store/store.h"

namespace fanzha::dispatch {

// ---------------------------------------------------------------------------------------------
// Jurisdiction
// ---------------------------------------------------------------------------------------------

enum class SignalKind { kPhone, kCashOut, kLastLayer };
std::string_view Name(SignalKind k);  // "phone", "cash_out", "last_layer"

struct Weights {
  int phone = 3;
  int cash_out = 2;
  int last_layer = 1;
  int Of(SignalKind k) const;
};

struct Signal {
  SignalKind kind = SignalKind::kPhone;
  std::string value;   // the phone (E.164) or the account
  std::string region;  // city-level GB/T 2260 code; empty when the value has no known region
  int weight = 0;
  std::string explanation;  // "phone +8613507721234 is registered in 柳州市 (450200)"
};

struct Jurisdiction {
  std::string code;   // city-level GB/T 2260 code; empty only when nothing at all is known
  std::string name;   // "柳州市"
  int score = 0;      // weight of the signals that name `code`
  int total = 0;      // weight of all signals with a region
  std::string basis;  // one sentence: why this place
  std::vector<Signal> signals;  // strongest first, then by value
  std::vector<std::pair<std::string, int>>
      disagreement;  // other cities and their weight, heaviest first
};

// The city level of a division code: a county -> its city, a city stays, a province stays; an
// unknown code is returned unchanged.
std::string CityLevel(std::string_view code);

// Weighs the signals as described above. `victim_regions` (any level) are the fallback.
Jurisdiction Decide(std::vector<Signal> signals, const std::vector<std::string>& victim_regions);

// ---------------------------------------------------------------------------------------------
// Leads
// ---------------------------------------------------------------------------------------------

struct Lead {
  std::vector<std::string> cases;    // sorted
  std::vector<std::string> regions;  // victims' regions of the cases, distinct, sorted
  std::string category;              // the most common category of the cases
  Fen loss = 0;                      // total reported loss
  Fen held = 0;                      // victims' money still held in accounts (traces)
  Fen frozen = 0;                    // frozen by the freeze orders of the cases
  // The suspects' identifiers: (type, normalised value), hubs left out, sorted, distinct. Held and
  // cash-out accounts of the traces are listed as type "account".
  std::vector<std::pair<std::string, std::string>> identifiers;
  std::vector<link::Evidence> evidence;  // why the cases belong together (empty for one case)
  Jurisdiction jurisdiction;
};

struct LeadOptions {
  link::StoreLinkOptions link;  // linking and the traces (fifo, 8 hops by default)
  Weights weights;
  // Also a lead for a case linked to nothing, when it names a suspect identifier or its money was
  // traced somewhere.
  bool singles = true;
};

// Links the cases of the store (as link::LinkStore does, tracing each case once) and makes one lead
// per cluster and, with options.singles, per lone case. Leads are ordered by their smallest case.
// Cost: one ledger load, one trace per case, one Relink. Errors: the store's read errors.
Result<std::vector<Lead>> MakeLeads(store::Store& store, const LeadOptions& options);

// The lead as a JSON document (what is stored and pushed; see StoredLead::body).
nlohmann::ordered_json ToJson(const Lead& lead);

// ---------------------------------------------------------------------------------------------
// Dispatch and feedback (tables leads, lead_cases, lead_batches, lead_batch_items, lead_events)
// ---------------------------------------------------------------------------------------------

// pushed -> accepted -> verified -> closed; pushed | accepted | verified -> rejected. Feedback may
// skip forward (pushed -> verified). closed and rejected are final.
enum class LeadStatus { kPushed, kAccepted, kVerified, kClosed, kRejected };
std::string_view Name(LeadStatus s);
std::string_view ChineseName(LeadStatus s);  // "已推送", as the dashboard names it
Result<LeadStatus> ParseLeadStatus(std::string_view s);
bool CanMove(LeadStatus from, LeadStatus to);

inline constexpr Millis kDefaultDeadline = 72LL * 3600 * 1000;

struct Batch {
  int64_t id = 0;
  std::string jurisdiction;
  int64_t number = 0;  // 1, 2, ... per jurisdiction
  std::string label;   // "450200-0003"
  Millis created_at = 0;
  std::vector<int64_t> new_leads;
  std::vector<int64_t> updates;  // leads sent before whose content changed
};

struct DispatchResult {
  std::vector<Batch> batches;  // by jurisdiction
  int64_t unchanged = 0;       // leads already sent with nothing new
};

struct Feedback {
  LeadStatus status = LeadStatus::kAccepted;
  int64_t arrests = 0;
  int64_t solved = 0;  // cases solved
  Fen recovered = 0;
  std::string reason;  // required for rejected
};

struct StoredLead {
  int64_t id = 0;
  int64_t batch = 0;  // number of the batch that last carried it
  std::string batch_label;
  std::string jurisdiction;
  std::vector<std::string> cases;
  LeadStatus status = LeadStatus::kPushed;
  bool overdue = false;  // still pushed after its deadline, at the `now` of the query
  int64_t revision = 1;  // 1 + updates sent
  std::string category;
  Millis pushed_at = 0;
  Millis deadline_at = 0;
  Millis updated_at = 0;  // last feedback (or push)
  int64_t arrests = 0, solved = 0;
  Fen recovered = 0;
  std::string reason;
  nlohmann::ordered_json body;  // ToJson(Lead) of its latest revision
};

struct LeadFilter {
  std::optional<LeadStatus> status;
  std::string jurisdiction;  // a code: the lead's city, or its province
  std::string case_id;
  int64_t batch = 0;  // 0: any
  bool overdue_only = false;
};

struct LeadTotals {
  int64_t leads = 0, pushed = 0, answered = 0, overdue = 0, closed = 0, rejected = 0;
  int64_t arrests = 0, solved = 0, batches = 0;
  Fen recovered = 0;
};

class LeadBook {
 public:
  explicit LeadBook(store::SqlDatabase& db, Millis deadline = kDefaultDeadline)
      : db_(db), deadline_(deadline) {}

  // Sends the leads, in one transaction: a lead none of whose cases was sent before is new; one
  // that shares a case with a lead sent before is that lead (the oldest such), sent again as an
  // update only when its content (ToJson) changed, with its new cases added. Each jurisdiction with
  // something to send gets one new numbered batch. Idempotent: the same leads again send nothing.
  Result<DispatchResult> Dispatch(const std::vector<Lead>& leads, Millis now);

  // Records feedback. kNotFound for an unknown id; kConflict for a move CanMove refuses;
  // kInvalidInput for a rejection without a reason or negative figures.
  Status Feedback(int64_t id, const dispatch::Feedback& feedback, Millis now);

  // By id. Overdue is judged at `now`.
  Result<std::vector<StoredLead>> List(const LeadFilter& filter, Millis now);
  Result<std::optional<StoredLead>> Get(int64_t id, Millis now);
  Result<LeadTotals> Totals(Millis now);

 private:
  store::SqlDatabase& db_;
  Millis deadline_;
};

nlohmann::ordered_json ToJson(const StoredLead& lead);

}  // namespace fanzha::dispatch
