#include "federated/stop_payments.h"

#include "app/audited.h"
#include "app/freeze.h"
#include "freeze/freeze.h"

namespace fanzha::federated {

Result<std::vector<freeze::Order>> StopPayments::AfterRound(const trace::Answer& answer,
                                                            const ledger::Ledger& ledger,
                                                            Millis now) {
  freeze::Plan plan = freeze::MakePlan(ledger, answer, case_id_);
  freeze::DraftOptions draft;
  draft.kind = freeze::OrderKind::kStopPayment;
  draft.mandate = mandate_;
  for (const freeze::PlanItem& item : plan.items) {
    if (stopped_.insert(item.account).second) draft.accounts.push_back(item.account);
  }
  std::vector<freeze::Order> made;
  if (draft.accounts.empty()) return made;
  audit::Entry entry = who_;
  entry.at = now;
  entry.action = "freeze.draft";
  entry.target = case_id_;
  FANZHA_ASSIGN_OR_RETURN(
      head_, app::AuditedChange(store_, key_, entry, [&](audit::Entry& e) -> Status {
        FANZHA_ASSIGN_OR_RETURN(auto drafted,
                                app::DraftOrders(store_, plan, draft, /*send=*/true, now));
        for (const freeze::OrderBook::Drafted& d : drafted)
          if (d.created) made.push_back(d.order);
        e.detail = std::to_string(made.size()) + " stop_payment orders, sent (federated trace)";
        return Status::Ok();
      }));
  return made;
}

}  // namespace fanzha::federated
