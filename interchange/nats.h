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
  virtual Status Ack() = 0;
  virtual Status Nak(Millis delay) = 0;
  virtual Status Term() = 0;
  // Tells the server the message is being worked on (restarts its ack wait).
  virtual Status InProgress() = 0;
};

class Consumer {
 public:
  virtual ~Consumer() = default;
  // Up to `max` messages, waiting at most `wait` for the first; empty when none came.
  virtual Result<std::vector<std::unique_ptr<Delivery>>> Fetch(int max, Millis wait) = 0;
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
  // A durable pull consumer `durable` of `stream` (created when missing: explicit acks, everything
  // from the start, redelivery after `ack_wait`).
  virtual Result<std::unique_ptr<Consumer>> PullConsumer(const std::string& stream,
                                                         const std::string& subject,
                                                         const std::string& durable,
                                                         Millis ack_wait) = 0;
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
