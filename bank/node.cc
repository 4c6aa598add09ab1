// The bank node: the Desk on NATS JetStream (bank.h).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <random>
#include <thread>

#include "bank/bank.h"

namespace fanzha::bank {
namespace {

using interchange::Answer;
using interchange::AnswerStatus;

Millis SteadyMillis() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

// A request taken from the stream and waiting for its simulated time to act.
struct Waiting {
  std::unique_ptr<interchange::Delivery> delivery;
  Millis received_at;  // by the node's clock, for bank_ms
};

}  // namespace

Status ParseDelay(std::string_view text, Millis* min, Millis* max) {
  size_t dash = text.find('-');
  if (dash == std::string_view::npos) {
    FANZHA_ASSIGN_OR_RETURN(*min, ParseDuration(text));
    *max = *min;
    return Status::Ok();
  }
  std::string low(text.substr(0, dash));
  std::string high(text.substr(dash + 1));
  // "0-2s": the unit of the upper bound applies to a bare lower bound.
  size_t digits = 0;
  while (digits < high.size() && high[digits] >= '0' && high[digits] <= '9') ++digits;
  if (!low.empty() &&
      std::all_of(low.begin(), low.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    low += high.substr(digits);
  }
  Result<Millis> lo = ParseDuration(low), hi = ParseDuration(high);
  if (!lo.ok() || !hi.ok() || *hi < *lo) {
    return Status::Invalid("--delay: '" + std::string(text) + "' is not a delay (500ms, 2s, 0-2s)")
        .WithZh("--delay：'" + std::string(text) + "' 不是有效的延时（如 500ms、2s、0-2s）");
  }
  *min = *lo;
  *max = *hi;
  return Status::Ok();
}

Result<std::unique_ptr<Node>> Node::Start(const NodeOptions& options) {
  std::unique_ptr<Node> node(new Node(options));
  if (!node->options_.clock) node->options_.clock = &SystemClock();
  if (node->options_.nats.name.empty())
    node->options_.nats.name = "fanzha bank " + options.institution;
  FANZHA_ASSIGN_OR_RETURN(node->store_, store::Store::Open(options.db));
  FANZHA_ASSIGN_OR_RETURN(node->desk_,
                          Desk::Open(*node->store_, options.institution, *node->options_.clock));
  FANZHA_ASSIGN_OR_RETURN(node->nats_, interchange::Connection::Open(node->options_.nats));
  const std::string& token = node->desk_->token();
  interchange::StreamSpec requests{interchange::RequestStream(token),
                                   {interchange::RequestSubject(token)},
                                   static_cast<int32_t>(interchange::kMaxRequestBytes),
                                   options.replicas};
  interchange::StreamSpec answers{std::string(interchange::kAnswerStream),
                                  {std::string(interchange::kAnswerSubjects)},
                                  static_cast<int32_t>(interchange::kMaxAnswerBytes),
                                  options.replicas};
  FANZHA_RETURN_IF_ERROR(node->nats_->EnsureStream(requests));
  FANZHA_RETURN_IF_ERROR(node->nats_->EnsureStream(answers));
  if (!options.prefixes.empty()) {
    interchange::Announcement a;
    a.institution = options.institution;
    a.prefixes = options.prefixes;
    a.announced_at = node->options_.clock->Now();
    FANZHA_RETURN_IF_ERROR(interchange::Announce(*node->nats_, a, options.replicas));
  }
  FANZHA_ASSIGN_OR_RETURN(
      node->requests_,
      node->nats_->PullConsumer(requests.name, requests.subjects[0],
                                std::string(interchange::kBankConsumer), options.ack_wait));
  Node* raw = node.get();
  node->thread_ = std::thread([raw] { raw->Loop(); });
  return node;
}

Node::~Node() { Stop(); }

void Node::Stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

// A subscription that keeps failing after the connection is back (its consumer's leader moved
// while a server was away) is bound again, so a node never waits silently for ever.
void Node::Rebind(const Status& why) {
  std::fprintf(stderr, "fanzha bank: %s; binding the consumer again / %s；重新绑定消费者\n",
               why.message().c_str(), why.zh().c_str());
  const std::string& token = desk_->token();
  Result<std::unique_ptr<interchange::Consumer>> again =
      nats_->PullConsumer(interchange::RequestStream(token), interchange::RequestSubject(token),
                          std::string(interchange::kBankConsumer), options_.ack_wait);
  if (again.ok()) {
    retired_.push_back(std::move(requests_));  // requests taken through it are still acked by it
    requests_ = std::move(*again);
  } else {
    std::fprintf(stderr, "fanzha bank: %s (retrying) / %s（将重试）\n",
                 again.status().message().c_str(), again.status().zh().c_str());
  }
}

void Node::Loop() {
  const Clock& clock = *options_.clock;
  const std::string subject = interchange::AnswerSubject(desk_->token());
  std::mt19937_64 rng(options_.seed);
  std::uniform_int_distribution<Millis> delay(options_.delay_min, options_.delay_max);
  std::multimap<Millis, Waiting> waiting;  // by the steady time it is due
  Millis failing_since = 0;                // steady time of the first of the failing fetches
  // Publishes until JetStream has it (a failover pauses us, it does not lose the answer).
  auto publish = [&](const std::string& id, const std::string& body) {
    for (int attempt = 0;; ++attempt) {
      Status st = nats_->Publish(subject, id, body);
      if (st.ok()) return true;
      if (stopping_) return false;
      if (attempt % 20 == 0)
        std::fprintf(stderr, "fanzha bank: %s (retrying)\n", st.message().c_str());
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  };
  while (!stopping_) {
    Millis now = SteadyMillis();
    Millis wait = 500;
    if (!waiting.empty()) wait = std::clamp<Millis>(waiting.begin()->first - now, 1, 500);
    Result<std::vector<std::unique_ptr<interchange::Delivery>>> batch = requests_->Fetch(64, wait);
    if (!batch.ok()) {  // a failover: the connection reconnects by itself
      if (failing_since == 0) failing_since = SteadyMillis();
      if (SteadyMillis() - failing_since >= kRebindAfter) {
        Rebind(batch.status());
        failing_since = SteadyMillis();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      continue;
    }
    failing_since = 0;
    for (auto& d : *batch) {
      Millis d_ms = options_.delay_max > 0 ? delay(rng) : 0;
      if (d_ms > 0) {  // acting takes time: say so at once
        interchange::Envelope e = interchange::EnvelopeOf(d->data());
        if (!e.id.empty() && e.kind) {
          Answer pending;
          pending.id = interchange::PendingAnswerId(e.id);
          pending.request = e.id;
          pending.kind = *e.kind;
          pending.institution = options_.institution;
          pending.status = AnswerStatus::kPending;
          pending.answered_at = clock.Now();
          pending.message = "received; acting on it";
          pending.message_zh = "已收到，正在办理";
          (void)nats_->Publish(subject, pending.id, interchange::ToJson(pending));
        }
      }
      waiting.emplace(SteadyMillis() + d_ms, Waiting{std::move(d), clock.Now()});
    }
    for (now = SteadyMillis(); !waiting.empty() && waiting.begin()->first <= now && !stopping_;) {
      Waiting w = std::move(waiting.begin()->second);
      waiting.erase(waiting.begin());
      interchange::Delivery& d = *w.delivery;
      Result<Handled> h = desk_->Handle(d.msg_id(), d.stream_sequence(), d.data(), w.received_at);
      if (!h.ok()) {  // the store failed: nothing was written; let the request come again
        std::fprintf(stderr, "fanzha bank: %s\n", h.status().ToString().c_str());
        (void)d.Nak(1000);
        continue;
      }
      if (!publish(h->answer_id, h->answer)) return;  // stopping: the request comes again
      (void)d.Ack();
      ++answered_;
    }
    if (waiting.empty()) retired_.clear();  // no request taken through them is left to ack
  }
  for (auto& [due, w] : waiting)
    (void)w.delivery->Nak(0);  // not acted on: the next start takes them
}

}  // namespace fanzha::bank
