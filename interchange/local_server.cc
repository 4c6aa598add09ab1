#include "interchange/local_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "interchange/nats.h"

namespace fanzha::interchange {
namespace {

bool Accepts(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

}  // namespace

Result<int> FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return Status::Io("socket: cannot make one").WithZh("socket：无法创建套接字");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    close(fd);
    return Status::Io("no free port on 127.0.0.1").WithZh("127.0.0.1 上没有空闲端口");
  }
  int port = ntohs(addr.sin_port);
  close(fd);
  return port;
}

Result<std::unique_ptr<LocalServer>> LocalServer::Start(const std::string& dir, Millis wait) {
  LocalServerOptions options;
  options.dir = dir;
  return Start(options, wait);
}

Result<std::unique_ptr<LocalServer>> LocalServer::Start(const LocalServerOptions& options,
                                                        Millis wait) {
  std::unique_ptr<LocalServer> s(new LocalServer(options));
  if (s->options_.port == 0) {
    FANZHA_ASSIGN_OR_RETURN(s->options_.port, FreePort());
  }
  std::error_code ec;
  std::filesystem::create_directories(s->options_.dir, ec);
  FANZHA_RETURN_IF_ERROR(s->Launch(wait));
  return s;
}

Status ChildProcess::Start() {
  if (pid_ > 0) return Status::Ok();
  std::fflush(nullptr);  // a child must not write out our buffered output again
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0)
    return Status::Io("fork: cannot start " + args_[0]).WithZh("fork：无法启动 " + args_[0]);
  if (pid == 0) {
    // A test or benchmark that dies (a failed check exits at once) takes its servers with it.
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent) _exit(125);
    std::vector<char*> argv;
    for (auto& a : args_) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (!freopen(log_.c_str(), "a", stdout) || !freopen(log_.c_str(), "a", stderr)) _exit(126);
    execvp(argv[0], argv.data());
    _exit(127);
  }
  pid_ = pid;
  return Status::Ok();
}

bool ChildProcess::Exited() {
  if (pid_ <= 0) return true;
  if (waitpid(pid_, nullptr, WNOHANG) != pid_) return false;
  pid_ = -1;
  return true;
}

void ChildProcess::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

void ChildProcess::Stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  for (int i = 0; i < 500; ++i) {
    if (Exited()) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  Kill();
}

Status LocalServer::Launch(Millis wait) {
  std::vector<std::string> args = {options_.program,
                                   "-js",
                                   "-a",
                                   "127.0.0.1",
                                   "-p",
                                   std::to_string(options_.port),
                                   "-sd",
                                   options_.dir,
                                   "--server_name",
                                   options_.name};
  if (options_.cluster_port) {
    args.insert(args.end(),
                {"--cluster", "nats://127.0.0.1:" + std::to_string(options_.cluster_port),
                 "--cluster_name", options_.cluster_name});
    std::string routes;
    for (int r : options_.routes) {
      if (r == options_.cluster_port) continue;
      routes += (routes.empty() ? "" : ",") + std::string("nats://127.0.0.1:") + std::to_string(r);
    }
    if (!routes.empty()) args.insert(args.end(), {"--routes", routes});
  }
  std::string log = options_.dir + "/server.log";
  process_ = std::make_unique<ChildProcess>(args, log);
  FANZHA_RETURN_IF_ERROR(process_->Start());
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait);
  while (!Accepts(options_.port)) {
    if (process_->Exited())
      return Status::Io(options_.program + " exited at start (see " + log + ")")
          .WithZh(options_.program + " 启动时即退出（见 " + log + "）");
    if (std::chrono::steady_clock::now() > until) {
      process_->Kill();
      return Status::Io(options_.program + " did not listen on port " +
                        std::to_string(options_.port) + " in time (see " + log + ")")
          .WithZh(options_.program + " 未能按时在端口 " + std::to_string(options_.port) +
                  " 上监听（见 " + log + "）");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return Status::Ok();
}

LocalServer::~LocalServer() { Stop(); }

std::string LocalServer::url() const { return "nats://127.0.0.1:" + std::to_string(options_.port); }

void LocalServer::Kill() {
  if (process_) process_->Kill();
}

Status LocalServer::Restart(Millis wait) {
  if (running()) return Status::Ok();
  return Launch(wait);
}

void LocalServer::Stop() {
  if (process_) process_->Stop();
}

Result<std::vector<std::unique_ptr<LocalServer>>> StartCluster(const std::string& dir, int nodes,
                                                               Millis wait) {
  std::vector<int> client, routes;
  for (int i = 0; i < nodes; ++i) {
    FANZHA_ASSIGN_OR_RETURN(int c, FreePort());
    FANZHA_ASSIGN_OR_RETURN(int r, FreePort());
    client.push_back(c);
    routes.push_back(r);
  }
  std::vector<std::unique_ptr<LocalServer>> servers;
  for (int i = 0; i < nodes; ++i) {
    LocalServerOptions o;
    o.dir = dir + "/n" + std::to_string(i + 1);
    o.name = "n" + std::to_string(i + 1);
    o.port = client[i];
    o.cluster_port = routes[i];
    o.cluster_name = "fanzha";
    o.routes = routes;
    FANZHA_ASSIGN_OR_RETURN(auto s, LocalServer::Start(o, wait));
    servers.push_back(std::move(s));
  }
  return servers;
}

Status WaitForJetStream(const std::string& urls, Millis wait) {
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait);
  Status last;
  while (std::chrono::steady_clock::now() < until) {
    NatsOptions o;
    o.url = urls;
    o.timeout = 1000;
    Result<std::unique_ptr<Connection>> c = Connection::Open(o);
    if (c.ok()) {
      last = (*c)->Ready();
      if (last.ok()) return last;
    } else {
      last = c.status();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return Status::Io("JetStream at " + urls + " not ready in time: " + last.message())
      .WithZh(urls + " 上的 JetStream 未能按时就绪：" + last.zh());
}

std::string Urls(const std::vector<std::unique_ptr<LocalServer>>& servers) {
  std::string out;
  for (const auto& s : servers) out += (out.empty() ? "" : ",") + s->url();
  return out;
}

}  // namespace fanzha::interchange
