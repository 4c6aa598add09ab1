// The two ways a federated walk (walk.h) reaches the banks.
//
// PlatformCourier: a running interchange::Platform (what `fanzha serve --nats` runs, and what
// `fanzha trace --via-banks` starts for itself): queries go out over NATS JetStream, the answers
// are applied to the store by the platform's own thread.
//
// DeskCourier: bank desks in this process (bank::Desk over each bank's own store), each request
// handed to its bank's desk and the answer applied at once, exactly as the platform applies one
// from NATS (interchange::QueueRequests, bank::Desk::Handle, interchange::ApplyAnswer): the walk
// on many worlds in the tests, without a network.
#pragma once

#include <map>
#include <string>

#include "bank/bank.h"
#include "federated/walk.h"
#include "interchange/platform.h"

namespace fanzha::federated {

class PlatformCourier : public Courier {
 public:
  explicit PlatformCourier(interchange::Platform& platform) : platform_(platform) {}
  Status Send() override;
  // Returns when the platform has applied an answer (or recorded a fault) since the last call.
  void Await(Millis wait) override;

 private:
  interchange::Platform& platform_;
  int64_t seen_ = 0;
};

class DeskCourier : public Courier {
 public:
  // `store`: the platform's store (the walk's). Answers are applied with `context`. `platform`
  // names the platform in request ids (interchange::CheckPlatformName): a desk answers a request id
  // it has answered before with its stored answer, so a fresh copy of a platform's store asking
  // the same desks again needs a name of its own.
  DeskCourier(store::Store& store, interchange::AnswerContext context, const Clock& clock,
              std::string platform = "fanzha")
      : store_(store),
        context_(std::move(context)),
        clock_(clock),
        platform_(std::move(platform)) {}
  // The desk that answers for its institution (it must outlive the courier).
  void AddBank(bank::Desk& desk) { desks_[desk.institution()] = &desk; }
  // Every queued request whose bank is here is answered and applied; the others stay queued.
  Status Send() override;
  void Await(Millis) override {}
  int64_t requests() const { return requests_; }

 private:
  store::Store& store_;
  interchange::AnswerContext context_;
  const Clock& clock_;
  const std::string platform_;
  std::map<std::string, bank::Desk*> desks_;
  int64_t requests_ = 0;
};

}  // namespace fanzha::federated
