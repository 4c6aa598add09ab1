#include "interchange/nats.h"

#include <nats/nats.h>

#include <algorithm>
#include <atomic>
#include <mutex>

#include "core/text.h"

namespace fanzha::interchange {
namespace {

constexpr int64_t kNanosPerMilli = 1000000;

Status NatsError(const std::string& what, natsStatus s, jsErrCode js = static_cast<jsErrCode>(0)) {
  std::string text = natsStatus_GetText(s);
  const char* detail = nats_GetLastError(nullptr);
  if (detail && *detail && text != detail) text += std::string(" (") + detail + ")";
  if (js != 0) text += " [JetStream error " + std::to_string(static_cast<int>(js)) + "]";
  return Status::Io(what + ": " + text).WithZh("消息服务（NATS）出错：" + what + "：" + text);
}

// A message read from a stream (a direct get or a last message); `subject` when it names none.
StoredMessage Stored(natsMsg* msg, const std::string& subject) {
  StoredMessage m;
  m.subject = natsMsg_GetSubject(msg) ? natsMsg_GetSubject(msg) : subject;
  const char* id = nullptr;
  if (natsMsgHeader_Get(msg, "Nats-Msg-Id", &id) == NATS_OK && id) m.msg_id = id;
  if (const char* d = natsMsg_GetData(msg))
    m.data.assign(d, static_cast<size_t>(natsMsg_GetDataLength(msg)));
  m.sequence = natsMsg_GetSequence(msg);
  m.stored_at = natsMsg_GetTime(msg) / kNanosPerMilli;
  return m;
}

class NatsDelivery final : public Delivery {
 public:
  explicit NatsDelivery(natsMsg* msg) : msg_(msg) {
    subject_ = natsMsg_GetSubject(msg) ? natsMsg_GetSubject(msg) : "";
    const char* id = nullptr;
    if (natsMsgHeader_Get(msg, "Nats-Msg-Id", &id) == NATS_OK && id) msg_id_ = id;
    jsMsgMetaData* meta = nullptr;
    if (natsMsg_GetMetaData(&meta, msg) == NATS_OK && meta) {
      sequence_ = meta->Sequence.Stream;
      deliveries_ = meta->NumDelivered;
      stored_at_ = meta->Timestamp / kNanosPerMilli;
      jsMsgMetaData_Destroy(meta);
    }
  }
  ~NatsDelivery() override { natsMsg_Destroy(msg_); }
  const std::string& subject() const override { return subject_; }
  const std::string& msg_id() const override { return msg_id_; }
  std::string_view data() const override {
    const char* d = natsMsg_GetData(msg_);
    return d ? std::string_view(d, static_cast<size_t>(natsMsg_GetDataLength(msg_)))
             : std::string_view();
  }
  uint64_t stream_sequence() const override { return sequence_; }
  uint64_t deliveries() const override { return deliveries_; }
  Millis stored_at() const override { return stored_at_; }
  Status Ack() override { return Check("ack", natsMsg_Ack(msg_, nullptr)); }
  Status Nak(Millis delay) override {
    return Check("nak", natsMsg_NakWithDelay(msg_, delay, nullptr));
  }
  Status Term() override { return Check("term", natsMsg_Term(msg_, nullptr)); }
  Status InProgress() override { return Check("in progress", natsMsg_InProgress(msg_, nullptr)); }

 private:
  Status Check(const char* what, natsStatus s) {
    return s == NATS_OK ? Status::Ok() : NatsError(std::string(what) + " of " + subject_, s);
  }
  natsMsg* msg_;
  std::string subject_, msg_id_;
  uint64_t sequence_ = 0, deliveries_ = 0;
  Millis stored_at_ = 0;
};

class NatsConsumer final : public Consumer {
 public:
  NatsConsumer(natsSubscription* sub, std::string name) : sub_(sub), name_(std::move(name)) {}
  ~NatsConsumer() override { natsSubscription_Destroy(sub_); }

  Result<std::vector<std::unique_ptr<Delivery>>> Fetch(int max, Millis wait) override {
    natsMsgList list{};
    jsErrCode jerr = static_cast<jsErrCode>(0);
    natsStatus s = natsSubscription_Fetch(&list, sub_, max, std::max<Millis>(wait, 1), &jerr);
    std::vector<std::unique_ptr<Delivery>> out;
    if (s == NATS_TIMEOUT) return out;
    if (s != NATS_OK) return NatsError("fetch from " + name_, s, jerr);
    for (int i = 0; i < list.Count; ++i) {
      out.push_back(std::make_unique<NatsDelivery>(list.Msgs[i]));
      list.Msgs[i] = nullptr;  // owned by the Delivery now
    }
    natsMsgList_Destroy(&list);
    return out;
  }

 private:
  natsSubscription* sub_;
  std::string name_;
};

// What the acknowledgements of asynchronous publishes said (PublishAll).
struct AsyncAcks {
  std::atomic<int64_t> duplicates{0};
  std::once_flag failed;
  std::string first_error;

  static void OnAck(jsCtx*, natsMsg* msg, jsPubAck* ack, jsPubAckErr* err, void* closure) {
    auto* self = static_cast<AsyncAcks*>(closure);
    if (ack && ack->Duplicate) ++self->duplicates;
    if (err) {
      std::call_once(self->failed, [&] {
        const char* subject = natsMsg_GetSubject(msg);
        self->first_error = std::string("publish to ") + (subject ? subject : "?") + ": " +
                            (err->ErrText ? err->ErrText : natsStatus_GetText(err->Err));
      });
    }
    natsMsg_Destroy(msg);
  }
};

class NatsConnection final : public Connection {
 public:
  NatsConnection(natsConnection* nc, jsCtx* js, NatsOptions options)
      : nc_(nc), js_(js), options_(std::move(options)) {}
  ~NatsConnection() override {
    jsCtx_Destroy(js_);
    natsConnection_Close(nc_);
    natsConnection_Destroy(nc_);
  }

  Status EnsureStream(const StreamSpec& spec) override {
    jsStreamInfo* info = nullptr;
    jsErrCode jerr = static_cast<jsErrCode>(0);
    natsStatus s = js_GetStreamInfo(&info, js_, spec.name.c_str(), nullptr, &jerr);
    if (s == NATS_OK) {
      jsStreamInfo_Destroy(info);
      return Status::Ok();
    }
    if (s != NATS_NOT_FOUND) return NatsError("look up stream " + spec.name, s, jerr);
    jsStreamConfig cfg;
    jsStreamConfig_Init(&cfg);
    cfg.Name = spec.name.c_str();
    std::vector<const char*> subjects;
    for (const std::string& subject : spec.subjects) subjects.push_back(subject.c_str());
    cfg.Subjects = subjects.data();
    cfg.SubjectsLen = static_cast<int>(subjects.size());
    cfg.Storage = js_FileStorage;
    cfg.Retention = js_LimitsPolicy;
    cfg.MaxAge = spec.max_age * kNanosPerMilli;
    cfg.Duplicates = spec.duplicates * kNanosPerMilli;
    cfg.MaxMsgSize = spec.max_msg_size;
    cfg.Replicas = spec.replicas;
    if (spec.max_msgs_per_subject > 0) cfg.MaxMsgsPerSubject = spec.max_msgs_per_subject;
    cfg.AllowDirect = spec.direct_gets;
    s = js_AddStream(&info, js_, &cfg, nullptr, &jerr);
    if (s == NATS_OK) {
      jsStreamInfo_Destroy(info);
      return Status::Ok();
    }
    if (jerr == JSStreamNameExistErr) return Status::Ok();  // made meanwhile by the other side
    return NatsError("create stream " + spec.name, s, jerr);
  }

  Status Publish(const std::string& subject, const std::string& msg_id, std::string_view data,
                 bool* duplicate) override {
    jsPubOptions po;
    jsPubOptions_Init(&po);
    po.MsgId = msg_id.c_str();
    po.MaxWait = options_.timeout;
    jsPubAck* ack = nullptr;
    jsErrCode jerr = static_cast<jsErrCode>(0);
    natsStatus s = js_Publish(&ack, js_, subject.c_str(), data.data(),
                              static_cast<int>(data.size()), &po, &jerr);
    if (s != NATS_OK) return NatsError("publish to " + subject, s, jerr);
    if (duplicate) *duplicate = ack->Duplicate;
    jsPubAck_Destroy(ack);
    return Status::Ok();
  }

  Status PublishAll(const std::vector<OutgoingMessage>& messages, int in_flight,
                    int64_t* duplicates) override {
    // A context of its own: the acknowledgements come to its handler, on the library's thread.
    AsyncAcks acks;
    jsOptions jo;
    jsOptions_Init(&jo);
    jo.Wait = options_.timeout;
    jo.PublishAsync.MaxPending = std::max(1, in_flight);
    jo.PublishAsync.AckHandler = &AsyncAcks::OnAck;
    jo.PublishAsync.AckHandlerClosure = &acks;
    jsCtx* js = nullptr;
    natsStatus s = natsConnection_JetStream(&js, nc_, &jo);
    if (s != NATS_OK) return NatsError("JetStream for publishing", s);
    Status out = Status::Ok();
    for (const OutgoingMessage& m : messages) {
      natsMsg* msg = nullptr;
      s = natsMsg_Create(&msg, m.subject.c_str(), nullptr, m.data.data(),
                         static_cast<int>(m.data.size()));
      if (s == NATS_OK) s = natsMsgHeader_Set(msg, "Nats-Msg-Id", m.msg_id.c_str());
      jsPubOptions po;
      jsPubOptions_Init(&po);
      po.MaxWait = options_.timeout;
      if (s == NATS_OK) s = js_PublishMsgAsync(js, &msg, &po);  // takes the message on success
      natsMsg_Destroy(msg);
      if (s != NATS_OK) {
        out = NatsError("publish to " + m.subject, s);
        break;
      }
    }
    jsPubOptions wait;
    jsPubOptions_Init(&wait);
    wait.MaxWait = options_.timeout;
    s = js_PublishAsyncComplete(js, &wait);
    if (s != NATS_OK && out.ok()) out = NatsError("acknowledgements of the messages published", s);
    jsCtx_Destroy(js);
    if (out.ok() && !acks.first_error.empty())
      out = Status::Io(acks.first_error).WithZh("消息服务（NATS）出错：" + acks.first_error);
    if (duplicates) *duplicates = acks.duplicates;
    return out;
  }

  Result<uint64_t> PublishIfLast(const std::string& subject, std::string_view data,
                                 uint64_t expected) override {
    natsMsg* msg = nullptr;
    natsStatus s =
        natsMsg_Create(&msg, subject.c_str(), nullptr, data.data(), static_cast<int>(data.size()));
    // Set by hand: the library leaves the header out for 0, which is "no message yet" here.
    if (s == NATS_OK)
      s = natsMsgHeader_Set(msg, "Nats-Expected-Last-Subject-Sequence",
                            std::to_string(expected).c_str());
    jsPubOptions po;
    jsPubOptions_Init(&po);
    po.MaxWait = options_.timeout;
    jsPubAck* ack = nullptr;
    jsErrCode jerr = static_cast<jsErrCode>(0);
    if (s == NATS_OK) s = js_PublishMsg(&ack, js_, msg, &po, &jerr);
    natsMsg_Destroy(msg);
    if (jerr == JSStreamWrongLastSequenceErr) {
      return Status::Conflict(subject + ": another message came first")
          .WithZh(subject + "：已有其他消息先写入");
    }
    if (s != NATS_OK) return NatsError("publish to " + subject, s, jerr);
    uint64_t sequence = ack->Sequence;
    jsPubAck_Destroy(ack);
    return sequence;
  }

  Result<std::optional<StoredMessage>> NextMessage(const std::string& stream,
                                                   const std::string& subject,
                                                   uint64_t after) override {
    jsOptions o;
    jsOptions_Init(&o);
    o.Wait = options_.timeout;
    jsDirectGetMsgOptions get;
    jsDirectGetMsgOptions_Init(&get);
    get.Sequence = after + 1;
    get.NextBySubject = subject.c_str();
    natsMsg* msg = nullptr;
    natsStatus s = js_DirectGetMsg(&msg, js_, stream.c_str(), &o, &get);
    if (s == NATS_NOT_FOUND) return std::optional<StoredMessage>();
    if (s != NATS_OK) return NatsError("next message of " + subject, s);
    StoredMessage m = Stored(msg, subject);
    natsMsg_Destroy(msg);
    return std::optional<StoredMessage>(std::move(m));
  }

  Result<uint64_t> AckFloor(const std::string& stream, const std::string& durable) override {
    jsConsumerInfo* info = nullptr;
    jsErrCode jerr = static_cast<jsErrCode>(0);
    natsStatus s = js_GetConsumerInfo(&info, js_, stream.c_str(), durable.c_str(), nullptr, &jerr);
    if (s == NATS_NOT_FOUND || jerr == JSConsumerNotFoundErr) {
      return Status::NotFound("consumer " + durable + " of stream " + stream + " does not exist")
          .WithZh("消息流 " + stream + " 的消费者 " + durable + " 不存在");
    }
    if (s != NATS_OK) return NatsError("consumer " + durable + " of stream " + stream, s, jerr);
    uint64_t floor = info->AckFloor.Stream;
    jsConsumerInfo_Destroy(info);
    return floor;
  }

  Result<std::unique_ptr<Consumer>> PullConsumer(const std::string& stream,
                                                 const std::string& subject,
                                                 const std::string& durable,
                                                 Millis ack_wait) override {
    jsSubOptions so;
    jsSubOptions_Init(&so);
    so.Stream = stream.c_str();
    so.Config.Durable = durable.c_str();
    so.Config.AckPolicy = js_AckExplicit;
    so.Config.DeliverPolicy = js_DeliverAll;
    so.Config.AckWait = ack_wait * kNanosPerMilli;
    so.Config.MaxDeliver = -1;
    so.Config.MaxAckPending = 20000;
    natsSubscription* sub = nullptr;
    jsErrCode jerr = static_cast<jsErrCode>(0);
    natsStatus s =
        js_PullSubscribe(&sub, js_, subject.c_str(), durable.c_str(), nullptr, &so, &jerr);
    if (s != NATS_OK) return NatsError("consumer " + durable + " of stream " + stream, s, jerr);
    return std::unique_ptr<Consumer>(new NatsConsumer(sub, durable + "@" + stream));
  }

  Result<std::vector<StoredMessage>> LastMessages(const std::string& stream,
                                                  const std::string& filter) override {
    jsOptions o;
    jsOptions_Init(&o);
    o.Wait = options_.timeout;
    o.Stream.Info.SubjectsFilter = filter.c_str();
    jsStreamInfo* info = nullptr;
    jsErrCode jerr = static_cast<jsErrCode>(0);
    natsStatus s = js_GetStreamInfo(&info, js_, stream.c_str(), &o, &jerr);
    if (s == NATS_NOT_FOUND) {
      return Status::NotFound("stream " + stream + " does not exist")
          .WithZh("消息流 " + stream + " 不存在");
    }
    if (s != NATS_OK) return NatsError("subjects of stream " + stream, s, jerr);
    std::vector<std::string> subjects;
    if (const jsStreamStateSubjects* list = info->State.Subjects) {
      for (int i = 0; i < list->Count; ++i) subjects.emplace_back(list->List[i].Subject);
    }
    jsStreamInfo_Destroy(info);
    std::vector<StoredMessage> out;
    for (const std::string& subject : subjects) {
      natsMsg* msg = nullptr;
      s = js_GetLastMsg(&msg, js_, stream.c_str(), subject.c_str(), &o, &jerr);
      if (s == NATS_NOT_FOUND) continue;  // removed since the subjects were listed
      if (s != NATS_OK) return NatsError("last message of " + subject, s, jerr);
      out.push_back(Stored(msg, subject));
      natsMsg_Destroy(msg);
    }
    std::sort(out.begin(), out.end(), [](const StoredMessage& a, const StoredMessage& b) {
      return a.sequence < b.sequence;
    });
    return out;
  }

  bool connected() const override {
    return natsConnection_Status(nc_) == NATS_CONN_STATUS_CONNECTED;
  }

  Status Ready() override {
    jsAccountInfo* info = nullptr;
    jsErrCode jerr = static_cast<jsErrCode>(0);
    natsStatus s = js_GetAccountInfo(&info, js_, nullptr, &jerr);
    if (s != NATS_OK) return NatsError("JetStream account info", s, jerr);
    jsAccountInfo_Destroy(info);
    return Status::Ok();
  }

 private:
  natsConnection* nc_;
  jsCtx* js_;
  NatsOptions options_;
};

}  // namespace

Result<std::unique_ptr<Connection>> Connection::Open(const NatsOptions& options) {
  std::vector<std::string> urls;
  for (std::string_view u : Split(options.url, ',')) {
    if (!Trim(u).empty()) urls.emplace_back(Trim(u));
  }
  if (urls.empty())
    return Status::Invalid("--nats: no server URL given (nats://127.0.0.1:4222)")
        .WithZh("--nats：未指定消息服务器地址（如 nats://127.0.0.1:4222）");

  std::vector<const char*> servers;
  for (const std::string& u : urls) servers.push_back(u.c_str());
  natsOptions* opts = nullptr;
  natsStatus s = natsOptions_Create(&opts);
  if (s == NATS_OK)
    s = natsOptions_SetServers(opts, servers.data(), static_cast<int>(servers.size()));
  if (s == NATS_OK && !options.name.empty()) s = natsOptions_SetName(opts, options.name.c_str());
  if (s == NATS_OK) s = natsOptions_SetMaxReconnect(opts, -1);    // forever
  if (s == NATS_OK) s = natsOptions_SetReconnectWait(opts, 100);  // ms between tries of one server
  if (s == NATS_OK) s = natsOptions_SetReconnectBufSize(opts, 8 << 20);
  if (s == NATS_OK) s = natsOptions_SetTimeout(opts, options.timeout);
  if (s == NATS_OK) s = natsOptions_SetPingInterval(opts, 2000);  // notice a dead server in seconds
  if (s == NATS_OK) s = natsOptions_SetMaxPingsOut(opts, 2);
  natsConnection* nc = nullptr;
  if (s == NATS_OK) s = natsConnection_Connect(&nc, opts);
  natsOptions_Destroy(opts);
  if (s != NATS_OK) return NatsError("connect to " + options.url, s);
  jsOptions jo;
  jsOptions_Init(&jo);
  jo.Wait = options.timeout;
  jsCtx* js = nullptr;
  s = natsConnection_JetStream(&js, nc, &jo);
  if (s != NATS_OK) {
    natsConnection_Destroy(nc);
    return NatsError("JetStream on " + options.url, s);
  }
  return std::unique_ptr<Connection>(new NatsConnection(nc, js, options));
}

}  // namespace fanzha::interchange
