// A nats-server process on loopback with JetStream, started and stopped by the caller: what the
// tests, the benchmarks and the demo run the interchange on (every test its own server, in a
// temporary folder, on free ports). Alone or as one node of a cluster.
//
// Threads: a LocalServer belongs to the thread that made it. Errors: kIoError when the program
// cannot be started or does not listen within the time allowed.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace fanzha::interchange {

// A TCP port on 127.0.0.1 that nothing listens on right now.
Result<int> FreePort();

// A program run as a child process (nats-server, a bank node), its output appended to `log`.
class ChildProcess {
 public:
  ChildProcess(std::vector<std::string> args, std::string log)
      : args_(std::move(args)), log_(std::move(log)) {}
  ~ChildProcess() { Stop(); }
  // kIoError when it cannot be forked. The child is killed when the thread that started it ends
  // (PR_SET_PDEATHSIG): start children from a thread that outlives them, such as main.
  Status Start();
  // SIGKILL: it dies as a crash would.
  void Kill();
  // SIGTERM, up to 5 s for a clean exit, then SIGKILL.
  void Stop();
  bool running() const { return pid_ > 0; }
  // True when it has exited (reaped).
  bool Exited();

 private:
  std::vector<std::string> args_;
  std::string log_;
  pid_t pid_ = -1;
};

struct LocalServerOptions {
  std::string dir;          // its JetStream store (created)
  std::string name = "n1";  // the server's name (unique in a cluster)
  int port = 0;             // 0: a free port
  // A cluster node: its own route port, the cluster's name and every node's route port.
  int cluster_port = 0;
  std::string cluster_name;
  std::vector<int> routes;
  std::string program = "nats-server";
};

class LocalServer {
 public:
  // Starts the server and waits until it takes connections (at most `wait`).
  static Result<std::unique_ptr<LocalServer>> Start(const LocalServerOptions& options,
                                                    Millis wait = 15000);
  // One server on its own (a free port), its JetStream store in `dir`.
  static Result<std::unique_ptr<LocalServer>> Start(const std::string& dir, Millis wait = 15000);
  ~LocalServer();           // stops it
  std::string url() const;  // nats://127.0.0.1:<port>
  int port() const { return options_.port; }
  // SIGKILL: the server dies as a crash would. Restart() brings it back on the same ports and
  // store.
  void Kill();
  Status Restart(Millis wait = 15000);
  void Stop();  // SIGTERM and wait
  bool running() const { return process_ && process_->running(); }

 private:
  explicit LocalServer(LocalServerOptions options) : options_(std::move(options)) {}
  Status Launch(Millis wait);
  LocalServerOptions options_;
  std::unique_ptr<ChildProcess> process_;
};

// A JetStream cluster of `nodes` servers on loopback, folders under `dir`.
Result<std::vector<std::unique_ptr<LocalServer>>> StartCluster(const std::string& dir, int nodes,
                                                               Millis wait = 20000);
// Waits until JetStream answers at `urls` (a cluster has elected its leader). kIoError after
// `wait`.
Status WaitForJetStream(const std::string& urls, Millis wait = 20000);
// "nats://127.0.0.1:a,nats://127.0.0.1:b,..."
std::string Urls(const std::vector<std::unique_ptr<LocalServer>>& servers);

}  // namespace fanzha::interchange
