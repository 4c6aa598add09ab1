// Routes for leads (dispatch/): the leads board and the feedback of the units they were pushed to.
// A centre sees the leads whose jurisdiction lies in its region (all, without one); an
// investigator those pushed to its region, and records their feedback.
#include "app/leads.h"
#include "dispatch/dispatch.h"
#include "server/impl.h"

namespace fanzha::server {
namespace {

bool MaySeeLead(const auth::User& u, const std::string& jurisdiction) {
  return (u.role == auth::Role::kCentre || u.role == auth::Role::kInvestigator) &&
         auth::CanReadCase(u, jurisdiction);
}

Result<Reply> Leads(Server::Impl& s, Call& call) {
  if (call.user.role != auth::Role::kCentre && call.user.role != auth::Role::kInvestigator)
    return Forbidden("leads are for centres and investigators")
        .WithZh("线索仅供反诈中心和侦查员查看");

  dispatch::LeadFilter filter;
  if (!call.query("status").empty()) {
    FANZHA_ASSIGN_OR_RETURN(filter.status, dispatch::ParseLeadStatus(call.query("status")));
  }
  filter.jurisdiction = call.query("jurisdiction");
  filter.case_id = call.query("case");
  filter.overdue_only = call.query("overdue") == "1" || call.query("overdue") == "true";
  Result<std::vector<dispatch::StoredLead>> leads = [&] {
    MutexLock lock(s.db_mu);
    return dispatch::LeadBook(s.store->sql()).List(filter, s.clock().Now());
  }();
  if (!leads.ok()) return leads.status();
  json list = json::array();
  for (const auto& lead : *leads) {
    if (MaySeeLead(call.user, lead.jurisdiction)) list.push_back(dispatch::ToJson(lead));
  }
  FANZHA_RETURN_IF_ERROR(s.Audit(call.user, "lead.list", filter.jurisdiction, call.query("reason"),
                                 std::to_string(list.size()) + " leads"));
  return JsonReply({{"leads", list}});
}

Result<Reply> LeadFeedback(Server::Impl& s, Call& call) {
  FANZHA_ASSIGN_OR_RETURN(int64_t id, call.path_number(1, "lead"));
  FANZHA_ASSIGN_OR_RETURN(nlohmann::json body, BodyObject(call.req));
  FANZHA_ASSIGN_OR_RETURN(dispatch::Feedback feedback, app::ParseLeadFeedback(body));
  dispatch::StoredLead updated;
  Server::Impl::Note note{"lead.feedback", std::to_string(id), feedback.reason,
                          std::string(dispatch::Name(feedback.status))};
  auto admit = [&](const dispatch::StoredLead& lead) -> Status {
    if (MaySeeLead(call.user, lead.jurisdiction)) return Status::Ok();
    return Hidden(call, app::NoLead(id),
                  "lead " + std::to_string(id) + " was pushed to " + lead.jurisdiction);
  };
  FANZHA_RETURN_IF_ERROR(s.Change(call.user, note, [&]() REQUIRES(s.db_mu) -> Status {
    dispatch::LeadBook book(s.store->sql());
    FANZHA_ASSIGN_OR_RETURN(updated,
                            app::RecordLeadFeedback(book, id, feedback, s.clock().Now(), admit));
    return Status::Ok();
  }));
  return JsonReply(dispatch::ToJson(updated));
}

}  // namespace

void Server::Impl::AddLeadRoutes() {
  Route("GET", "/api/leads", Access(kCaseRoles), [this](Call& call) { return Leads(*this, call); });
  Route("POST", R"(/api/leads/(\d+)/feedback)", Access(kCaseRoles, kFormBody),
        [this](Call& call) { return LeadFeedback(*this, call); });
}

}  // namespace fanzha::server
