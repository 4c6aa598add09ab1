#include "federated/courier.h"

#include <chrono>
#include <thread>

namespace fanzha::federated {

Status PlatformCourier::Send() {
  platform_.Wake();
  return Status::Ok();
}

void PlatformCourier::Await(Millis wait) {
  constexpr Millis kStep = 5;
  for (Millis waited = 0;; waited += kStep) {
    interchange::Platform::Stats s = platform_.stats();
    const int64_t now = s.applied + s.faults;
    if (now != seen_ || waited >= wait) {
      seen_ = now;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(kStep));
  }
}

Status DeskCourier::Send() {
  constexpr size_t kBatch = 1000;
  for (;;) {
    FANZHA_ASSIGN_OR_RETURN(
        std::vector<interchange::Outgoing> out,
        interchange::QueueRequests(store_.sql(), platform_, clock_.Now(), kBatch));
    size_t handled = 0;
    for (const interchange::Outgoing& o : out) {
      auto desk = desks_.find(o.institution);
      if (desk == desks_.end()) continue;  // no such bank here: it stays unanswered
      FANZHA_ASSIGN_OR_RETURN(bank::Handled h,
                              desk->second->Handle(o.id, ++requests_, o.body, clock_.Now()));
      FANZHA_RETURN_IF_ERROR(interchange::MarkPublished(store_.sql(), o.id, clock_.Now()));
      FANZHA_ASSIGN_OR_RETURN(
          interchange::AnswerOutcome applied,
          interchange::ApplyAnswer(store_, interchange::AnswerSubject(desk->second->token()),
                                   h.answer, context_, clock_.Now()));
      if (applied.what == interchange::Applied::kFault)
        return Status::Internal("answer to " + o.id + " not applied: " + applied.detail);
      ++handled;
    }
    // An incomplete statement queues its continuation: answer that too.
    if (handled == 0) return Status::Ok();
  }
}

}  // namespace fanzha::federated
