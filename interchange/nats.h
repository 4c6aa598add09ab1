// A small JetStream client over libnats (the C client): one connection, the streams of the
// interchange, publishing with a message id, durable pull consumers, and the last message of each
// subject of a stream. Nothing here knows what the messages mean (messages.h and directory.h do).
//
// Errors: kIoError naming what failed and libnats's text ("publish to fanzha.req.ICBC: timeout").
// A publish that fails may still have been stored: publish again with the same message id (the
// stream drops the copy within its duplicate window).
//
// Threads: a Connection may be used from several threads (libnats connections are thread-safe);
// a Consumer and a Delivery belong to one thread at a time. The connection reconnects by itself,
// to any server of the list, for as long as it lives.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace fanzha::interchange {

struct NatsOptions {
  // One URL, or several separated by commas (the servers of a cluster): nats://127.0.0.1:4222.
  std::string url;
  std::string name;       // the client's name in the server's monitoring
  Millis timeout = 5000;  // a publish's acknowledgement, a JetStream API call
};

struct StreamSpec {
  std::string name;
  std::vector<std::string> subjects;
  int32_t max_msg_size = 0;
  int replicas = 1;
  Millis max_age = 30LL * 24 * 3600 * 1000;  // 0: messages never expire
  Millis duplicates = 10LL * 60 * 1000;
  int64_t max_msgs_per_subject = 0;  // 0: no limit; 1: only the last message of each subject
  bool direct_gets = false;          // any copy answers Connection::NextMessage
};

// A message as a stream stores it, read without a consumer (Connection::LastMessages).
struct StoredMessage {
  std::string subject;
  std::string msg_id;  // the Nats-Msg-Id header, "" when absent
  std::string data;
  uint64_t sequence = 0;  // in the stream: a message stored later has a higher one
  Millis stored_at = 0;   // when the stream stored it, by the server's clock
};

// One message taken from a pull consumer. Acknowledge it (Ack) once its effect is stored, or
// leave it (Nak) to be delivered again; Term() stops redelivery for good.
class Delivery {
 public:
  virtual ~Delivery() = default;
  virtual const std::string& subject() const = 0;
  virtual const std::string& msg_id() const = 0;  // the Nats-Msg-Id header, "" when absent
  virtual std::string_view data() const = 0;
  virtual uint64_t stream_sequence() const = 0;
  virtual uint64_t deliveries() const = 0;  // 1 the first time
  virtual Millis stored_at() const = 0;     // when the stream stored it, by the server's clock
  virtual Status Ack() = 0;
  virtual Status Nak(Millis delay) = 0;
  virtual Status Term() = 0;
  // Tells the server the message is being worked on (restarts its ack wait).
  virtual Status InProgress() = 0;
};

class Consumer {
 public:
  virtual ~Consumer() = default;
  // Up to `max` messages, waiting at most `wait` (at least 1 ms) for them; empty when none came.
  virtual Result<std::vector<std::unique_ptr<Delivery>>> Fetch(int max, Millis wait) = 0;
};

// A message to publish with PublishAll.
struct OutgoingMessage {
  std::string subject;
  std::string msg_id;  // the Nats-Msg-Id header: the stream drops a second copy
  std::string data;
};

class Connection {
 public:
  // Connects to the first reachable server of the list. kIoError when none answers.
  static Result<std::unique_ptr<Connection>> Open(const NatsOptions& options);
  virtual ~Connection() = default;

  // Creates the stream when it does not exist; an existing stream is left as it is (an operator
  // may have made it with other limits).
  virtual Status EnsureStream(const StreamSpec& spec) = 0;
  // Publishes `data` to `subject` with header Nats-Msg-Id `msg_id` and waits for JetStream's
  // acknowledgement (stored, replicated). `*duplicate` (optional) says the stream had it already.
  virtual Status Publish(const std::string& subject, const std::string& msg_id,
                         std::string_view data, bool* duplicate = nullptr) = 0;
  // Publishes every message with up to `in_flight` awaiting their acknowledgements at once (a round
  // trip per window, not per message) and waits for the last. kIoError naming the first that
  // failed: publishing them all again is harmless (their ids drop the copies). `*duplicates`
  // (optional) counts the messages the stream had already.
  virtual Status PublishAll(const std::vector<OutgoingMessage>& messages, int in_flight = 1024,
                            int64_t* duplicates = nullptr) = 0;
  // Publishes `data` to `subject` only if the last message of `subject` in its stream has the
  // sequence `expected` (0: only if it has none): a compare-and-set. The new message's sequence,
  // or kConflict when another message came first.
  virtual Result<uint64_t> PublishIfLast(const std::string& subject, std::string_view data,
                                         uint64_t expected) = 0;
  // A durable pull consumer `durable` of `stream` (created when missing: explicit acks, everything
  // from the start, redelivery after `ack_wait`).
  virtual Result<std::unique_ptr<Consumer>> PullConsumer(const std::string& stream,
                                                         const std::string& subject,
                                                         const std::string& durable,
                                                         Millis ack_wait) = 0;
  // The first message of `stream` on `subject` after sequence `after`, or nullopt when there is
  // none. Answered by any server holding a copy (the stream needs StreamSpec::direct_gets), so it
  // works while a cluster moves its leaders. One request per message.
  virtual Result<std::optional<StoredMessage>> NextMessage(const std::string& stream,
                                                           const std::string& subject,
                                                           uint64_t after) = 0;
  // The stream sequence up to which the durable consumer `durable` of `stream` has had every
  // message acknowledged (0: none yet); kNotFound when it does not exist.
  virtual Result<uint64_t> AckFloor(const std::string& stream, const std::string& durable) = 0;
  // The last message of every subject of `stream` that matches `filter` ("fanzha.bank.*"), in the
  // stream's order (by sequence). kNotFound when the stream does not exist. Each message is read
  // whole, whatever its size (the stream's own limit bounds it): check it before trusting it.
  // Cost: one JetStream request for the subjects, then one per subject.
  virtual Result<std::vector<StoredMessage>> LastMessages(const std::string& stream,
                                                          const std::string& filter) = 0;
  // True while connected (false while it reconnects).
  virtual bool connected() const = 0;
  // Ok when JetStream answers (in a cluster: once it has elected its leader); kIoError otherwise.
  virtual Status Ready() = 0;
};

}  // namespace fanzha::interchange
