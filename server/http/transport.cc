#include "server/http/transport.h"

#include <sys/resource.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <deque>
#include <thread>
#include <unordered_map>

#include "core/mutex.h"
#include "server/http/parser.h"

namespace fanzha::server::http {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

std::chrono::milliseconds Ms(Millis m) { return std::chrono::milliseconds(m); }

// Bytes a connection reads at a time while waiting for a request, and at most drops after a
// refused one (see Session::Linger).
constexpr size_t kReadChunk = 4096;
constexpr size_t kDrainChunk = 64 * 1024;  // the connection's buffer holds a header and this
constexpr size_t kMaxDrain = 4 << 20;
constexpr auto kLinger = std::chrono::seconds(2);
// Descriptors kept for the store, the ledger rebuild and the rest of the process.
constexpr rlim_t kSpareDescriptors = 128;

// A fixed number of threads running tasks from a bounded queue.
class WorkerPool {
 public:
  explicit WorkerPool(size_t max_queued) : max_queued_(max_queued) {}
  ~WorkerPool() { Stop(); }

  void Start(int threads) {
    for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Work(); });
  }
  // False, and `task` dropped, when max_queued tasks wait already or the pool has stopped.
  bool TrySubmit(std::function<void()> task) {
    {
      MutexLock lock(mu_);
      if (stopping_ || queue_.size() >= max_queued_) return false;
      queue_.push_back(std::move(task));
    }
    ready_.Signal();
    return true;
  }
  // Lets running tasks finish, drops queued ones, joins the threads.
  void Stop() {
    std::deque<std::function<void()>> dropped;
    {
      MutexLock lock(mu_);
      stopping_ = true;
      dropped.swap(queue_);
    }
    ready_.SignalAll();
    for (std::thread& t : threads_) {
      if (t.joinable()) t.join();
    }
    threads_.clear();
  }

 private:
  void Work() {
    for (;;) {
      std::function<void()> task;
      {
        MutexLock lock(mu_);
        while (!stopping_ && queue_.empty()) ready_.Wait(mu_);
        if (stopping_) return;
        task = std::move(queue_.front());
        queue_.pop_front();
      }
      task();
    }
  }

  const size_t max_queued_;
  Mutex mu_;
  CondVar ready_;
  std::deque<std::function<void()>> queue_ GUARDED_BY(mu_);
  bool stopping_ GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

// Open connections, in total and per client address.
class ConnectionTable {
 public:
  ConnectionTable(size_t max_total, size_t max_per_address)
      : max_total_(max_total), max_per_address_(max_per_address) {}
  bool TryAdd(const std::string& address) {
    MutexLock lock(mu_);
    size_t& mine = per_address_[address];
    if (total_ >= max_total_ || mine >= max_per_address_) {
      if (mine == 0) per_address_.erase(address);
      return false;
    }
    ++mine;
    ++total_;
    return true;
  }
  void Remove(const std::string& address) {
    MutexLock lock(mu_);
    auto it = per_address_.find(address);
    if (it == per_address_.end()) return;
    if (--it->second == 0) per_address_.erase(it);
    --total_;
  }

 private:
  const size_t max_total_, max_per_address_;
  Mutex mu_;
  size_t total_ GUARDED_BY(mu_) = 0;
  std::unordered_map<std::string, size_t> per_address_ GUARDED_BY(mu_);
};

bool IsCacheControl(const std::string& name) { return beast::iequals(name, "Cache-Control"); }

Response InternalError() {
  return ErrorResponse(Status::Internal("the request failed on a fault of the server; it is logged")
                           .WithZh("服务器内部错误，已记录"));
}

// Runs an application function; what it throws becomes a 500 whose text stays in the log.
template <typename F>
auto Guarded(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fanzha serve: a request failed: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "fanzha serve: a request failed\n");
  }
  if constexpr (std::is_same_v<decltype(f()), Admission>)
    return Admission::Answer(InternalError());
  else
    return InternalError();
}

// The most connections the process can hold: RLIMIT_NOFILE, raised to its hard limit if needed.
size_t ConnectionsAllowed(size_t wanted) {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return wanted;
  rlim_t need = static_cast<rlim_t>(wanted) + kSpareDescriptors;
  if (lim.rlim_cur != RLIM_INFINITY && lim.rlim_cur < need) {
    rlimit raised = lim;
    raised.rlim_cur = lim.rlim_max == RLIM_INFINITY ? need : std::min(need, lim.rlim_max);
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) lim = raised;
  }
  if (lim.rlim_cur == RLIM_INFINITY || lim.rlim_cur >= need) return wanted;
  return lim.rlim_cur > 2 * kSpareDescriptors ? lim.rlim_cur - kSpareDescriptors : lim.rlim_cur / 2;
}

}  // namespace

// The event loop's objects, destroyed together at Stop (which closes every connection).
struct Loop {
  net::io_context ioc;
  tcp::acceptor acceptor{ioc};
  net::steady_timer pause{ioc};  // after a failed accept (out of descriptors)
};

struct Transport::Impl {
  explicit Impl(Options o)
      : options(std::move(o)),
        connections(ConnectionsAllowed(options.limits.max_connections),
                    options.limits.max_connections_per_address),
        workers(options.limits.max_queued) {}

  void Accept();

  Options options;
  ConnectionTable connections;
  WorkerPool workers;
  std::unique_ptr<Loop> loop = std::make_unique<Loop>();
  std::vector<std::thread> io_threads;
  int port = 0;
  bool stopped = false;
};

namespace {

// One connection: reads a request's header, has a worker admit it, reads its body if admitted,
// has a worker answer it, writes the answer, and waits for the next. Every step runs on the
// connection's strand except the two worker calls, during which no I/O of it is pending.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Transport::Impl& t, tcp::socket socket, std::string address)
      : t_(t),
        stream_(std::move(socket)),
        buffer_(t.options.limits.max_header_bytes + kDrainChunk),
        address_(std::move(address)) {}
  ~Session() { t_.connections.Remove(address_); }

  void Start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->AwaitRequest(); });
  }

 private:
  const Options& options() const { return t_.options; }
  const Limits& limits() const { return t_.options.limits; }

  void AwaitRequest() {
    parser_.emplace();
    Prepare(*parser_, limits().max_header_bytes);
    request_ = Request();
    admission_ = Admission();
    if (buffer_.size() > 0) {  // the next request came with the last one (pipelining)
      started_ = Clock::now();
      return ReadHeader();
    }
    buffer_.shrink_to_fit();  // an idle connection keeps no big buffer
    stream_.expires_after(Ms(answered_ ? limits().idle_timeout : limits().header_timeout));
    stream_.async_read_some(buffer_.prepare(kReadChunk),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              if (ec) return self->Close();
                              self->buffer_.commit(n);
                              self->started_ = Clock::now();
                              self->ReadHeader();
                            });
  }

  void ReadHeader() {
    stream_.expires_at(started_ + Ms(limits().header_timeout));
    bhttp::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t n) { self->OnHeader(ec, n); });
  }

  // `header_bytes`: what the parser took for the header.
  void OnHeader(beast::error_code ec, size_t header_bytes) {
    if (!ec && HeaderTooLarge(header_bytes, limits().max_header_bytes))
      ec = bhttp::error::header_limit;
    if (ec) return Refuse(ec);
    Result<Request> head = HeadOf(*parser_);
    if (!head.ok()) return Answer(ErrorResponse(head.status()), true);
    request_ = std::move(*head);
    request_.remote_addr = address_;
    Submit([self = shared_from_this()] { self->Admit(); });
  }

  // On a worker: the application decides from the header; a request without a body is answered
  // in the same call.
  void Admit() {
    Admission a = Guarded([&] { return options().admit(request_); });
    if (!a.answer && !request_.has_body()) {
      a.answer = Guarded([&] { return a.respond(request_); });
    }
    net::post(stream_.get_executor(), [self = shared_from_this(), a = std::move(a)]() mutable {
      self->OnAdmitted(std::move(a));
    });
  }

  void OnAdmitted(Admission a) {
    if (a.answer) return Answer(std::move(*a.answer), request_.has_body());  // body unread: close
    if (request_.content_length.value_or(0) > a.body_limit) return Refuse(bhttp::error::body_limit);
    admission_ = std::move(a);
    parser_->body_limit(admission_.body_limit);
    if (!request_.expect_continue) return ReadBody();
    auto go_on = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_, 11);
    stream_.expires_after(Ms(limits().write_timeout));
    bhttp::async_write(stream_, *go_on,
                       [self = shared_from_this(), go_on](beast::error_code ec, size_t) {
                         if (ec) return self->Close();
                         self->ReadBody();
                       });
  }

  void ReadBody() {
    stream_.expires_at(started_ + Ms(limits().request_timeout));
    bhttp::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnBody(ec); });
  }

  void OnBody(beast::error_code ec) {
    if (ec) return Refuse(ec);
    request_.body = std::move(parser_->get().body());
    Submit([self = shared_from_this()] {
      Response r = Guarded([&] { return self->admission_.respond(self->request_); });
      net::post(self->stream_.get_executor(),
                [self, r = std::move(r)]() mutable { self->Answer(std::move(r), false); });
    });
  }

  void Submit(std::function<void()> task) {
    if (!t_.workers.TrySubmit(std::move(task))) {
      Answer(
          ErrorResponse(Status(ErrorCode::kUnavailable, "the server is busy; try again shortly")),
          true);
    }
  }

  // Answers a parse error (400, 413, 431) and closes, or just closes when there is nobody to
  // answer (the client left, stopped or timed out).
  void Refuse(beast::error_code ec) {
    std::optional<Refusal> r = RefusalOf(ec);
    if (!r) return Close();
    Answer(ErrorResponse(r->status, r->http_status), true);
  }

  void Answer(Response r, bool close) {
    if (r.events && request_.method == "GET" && !close) return StartEvents(std::move(r));
    res_ = {};
    res_.version(11);
    res_.result(static_cast<unsigned>(r.status));
    res_.set(bhttp::field::content_type, r.content_type);
    for (const Header& h : options().headers) res_.set(h.name, h.value);
    bool cache_control = false;
    for (const Header& h : r.headers) {
      res_.insert(h.name, h.value);
      cache_control |= IsCacheControl(h.name);
    }
    if (!cache_control) res_.set(bhttp::field::cache_control, "no-store");
    keep_alive_ = !close && !r.close && request_.keep_alive && !request_.method.empty();
    res_.keep_alive(keep_alive_);
    if (request_.method == "HEAD") {
      res_.content_length(r.body.size());
    } else {
      res_.body() = std::move(r.body);
      res_.prepare_payload();
    }
    stream_.expires_after(Ms(limits().write_timeout));
    bhttp::async_write(stream_, res_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->Close();
      self->answered_ = true;
      if (!self->keep_alive_) return self->Linger();
      self->AwaitRequest();
    });
  }

  // An event stream (Response::events): the header by hand, since its body has no length and
  // ends with the connection; then, every `every`, what the stream's `next` gives on a worker.
  void StartEvents(Response r) {
    events_ = std::move(r.events);
    std::string head = "HTTP/1.1 " + std::to_string(r.status) + " " +
                       std::string(bhttp::obsolete_reason(static_cast<bhttp::status>(r.status))) +
                       "\r\nContent-Type: " + r.content_type +
                       "\r\nCache-Control: no-store\r\nConnection: close\r\n";
    for (const Header& h : options().headers) head += h.name + ": " + h.value + "\r\n";
    for (const Header& h : r.headers) head += h.name + ": " + h.value + "\r\n";
    WriteEvents(head + "\r\n" + r.body);
  }
  void WriteEvents(std::string bytes) {
    out_ = std::move(bytes);
    stream_.expires_after(Ms(limits().write_timeout));
    net::async_write(stream_, net::buffer(out_),
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       if (ec) return self->Close();
                       self->AwaitEvents();
                     });
  }
  void AwaitEvents() {
    stream_.expires_never();
    timer_.expires_after(Ms(events_->every));
    timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->Close();
      bool queued = self->t_.workers.TrySubmit([self] {
        std::optional<std::string> next;
        try {
          next = self->events_->next();
        } catch (const std::exception& e) {
          std::fprintf(stderr, "fanzha serve: an event stream failed: %s\n", e.what());
        }
        net::post(self->stream_.get_executor(), [self, next = std::move(next)]() mutable {
          if (!next) return self->Linger();
          self->WriteEvents(next->empty() ? std::string(":\n\n") : std::move(*next));
        });
      });
      if (!queued) self->AwaitEvents();  // the workers are busy: the next beat asks again
    });
  }

  // After an answer that closes the connection: stop sending, then read and drop what the client
  // still sends, for a moment and up to kMaxDrain bytes, before closing. Closing a socket with
  // unread bytes sends a reset, which can destroy the answer before the client reads it.
  void Linger() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(kLinger);
    Drain();
  }
  void Drain() {
    buffer_.consume(buffer_.size());
    stream_.async_read_some(buffer_.prepare(kDrainChunk),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              self->drained_ += n;
                              if (ec || self->drained_ > kMaxDrain) return self->Close();
                              self->Drain();
                            });
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  Transport::Impl& t_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  const std::string address_;
  std::optional<Parser> parser_;
  Request request_;
  Admission admission_;
  bhttp::response<bhttp::string_body> res_;
  std::shared_ptr<EventStream> events_;              // an event stream is being sent
  std::string out_;                                  // the event stream's bytes being written
  net::steady_timer timer_{stream_.get_executor()};  // the event stream's beat
  Clock::time_point started_;                        // the first byte of the request being read
  bool answered_ = false;  // a request was answered: the connection is a keep-alive one
  bool keep_alive_ = false;
  size_t drained_ = 0;
};

}  // namespace

void Transport::Impl::Accept() {
  Loop& l = *loop;
  l.acceptor.async_accept(
      net::make_strand(l.ioc), [this, &l](beast::error_code ec, tcp::socket socket) {
        if (ec == net::error::operation_aborted) return;
        if (ec) {  // out of descriptors or the like: wait a little rather than spin
          l.pause.expires_after(std::chrono::milliseconds(100));
          l.pause.async_wait([this](beast::error_code e) {
            if (!e) Accept();
          });
          return;
        }
        beast::error_code aec;
        tcp::endpoint peer = socket.remote_endpoint(aec);
        std::string address = aec ? std::string() : peer.address().to_string();
        if (aec || !connections.TryAdd(address)) {
          socket.close(aec);
        } else {
          socket.set_option(tcp::no_delay(true), aec);  // small answers: no wait for delayed ACKs
          std::make_shared<Session>(*this, std::move(socket), std::move(address))->Start();
        }
        Accept();
      });
}

Transport::Transport(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Transport::~Transport() { Stop(); }

Result<std::unique_ptr<Transport>> Transport::Listen(Options options) {
  auto impl = std::make_unique<Impl>(std::move(options));
  const Options& o = impl->options;
  beast::error_code ec;
  auto failed = [&](const char* what) {
    return Status::Io("cannot listen on " + o.host + ":" + std::to_string(o.port) + ": " + what +
                      ": " + ec.message())
        .WithZh("无法在 " + o.host + ":" + std::to_string(o.port) + " 上监听：" + ec.message());
  };
  net::ip::address address = net::ip::make_address(o.host, ec);
  if (ec) return failed("not an IP address");
  tcp::endpoint endpoint(address, static_cast<unsigned short>(o.port));
  tcp::acceptor& acceptor = impl->loop->acceptor;
  if (acceptor.open(endpoint.protocol(), ec); ec) return failed("open");
  if (acceptor.set_option(net::socket_base::reuse_address(true), ec); ec) return failed("reuse");
  if (acceptor.bind(endpoint, ec); ec) return failed("bind");
  if (acceptor.listen(net::socket_base::max_listen_connections, ec); ec) return failed("listen");
  impl->port = acceptor.local_endpoint().port();
  return std::unique_ptr<Transport>(new Transport(std::move(impl)));
}

void Transport::Start() {
  Impl& t = *impl_;
  if (t.stopped || !t.io_threads.empty()) return;
  t.workers.Start(std::max(1, t.options.workers));
  t.Accept();
  for (int i = 0; i < std::max(1, t.options.io_threads); ++i) {
    t.io_threads.emplace_back([&t] {
      for (;;) {
        try {
          t.loop->ioc.run();
          return;
        } catch (const std::exception& e) {  // a bug in a completion handler: log, keep serving
          std::fprintf(stderr, "fanzha serve: event loop: %s\n", e.what());
        }
      }
    });
  }
}

void Transport::Stop() {
  Impl& t = *impl_;
  if (t.stopped) return;
  t.stopped = true;
  t.loop->ioc.stop();
  for (std::thread& th : t.io_threads) th.join();
  t.io_threads.clear();
  t.workers.Stop();
  t.loop.reset();  // closes the acceptor and every connection
}

int Transport::port() const { return impl_->port; }

}  // namespace fanzha::server::http
