// fanzha serve: the HTTP API and the dashboard (docs/API.md).
#include <csignal>
#include <cstdio>
#include <thread>

#include "cli/commands.h"
#include "server/server.h"

namespace fanzha::cli {
namespace {

server::Server* g_server = nullptr;  // for the signal handler's helper thread only

void Run(server::ServerOptions o, const AuditFileOptions& audit_files) {
  AuditFileOptions files = AuditFilesFor({o.db}, audit_files);
  o.audit_key = files.key;
  o.audit_heads = files.heads;
  auto srv = server::Server::Open(o);
  ExitOnError(srv.status().WithContext(o.db));
  ExitOnError((*srv)->Start());
  g_server = srv->get();
  const std::string url = "http://" + o.host + ":" + std::to_string((*srv)->port()) + "/";
  Tell("fanzha serving " + o.db + " on " + url + " (API: /api, description: /api/openapi.json)",
       "fanzha 已在 " + url + " 提供服务（数据库 " + o.db +
           "；接口：/api，接口说明：/api/openapi.json）");
  std::fflush(stdout);
  const sigset_t set = StopSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  int sig = 0;
  sigwait(&set, &sig);
  Tell("stopping", "正在停止");
  (*srv)->Stop();
}

}  // namespace

void RegisterServe(CLI::App& app) {
  auto opts = std::make_shared<server::ServerOptions>();
  auto audit_files = std::make_shared<AuditFileOptions>();
  opts->web_dir = "web/dist";
  CLI::App* cmd = app.add_subcommand(
      "serve",
      "Serve the HTTP API (docs/API.md) and the dashboard from web/dist.\n\n"
      "Examples:\n"
      "  fanzha serve --db demo.db --port 8080\n"
      "  fanzha serve --db demo.db --nats nats://127.0.0.1:4222      with the bank interchange\n"
      "  fanzha user add li --role investigator --region 330100 < password.txt");
  cmd->add_option("--db", opts->db, "the store: a SQLite file")->capture_default_str();
  cmd->add_option("--port", opts->port, "TCP port (0: any free port)")->capture_default_str();
  cmd->add_option("--host", opts->host, "address to listen on (loopback by default)")
      ->capture_default_str();
  cmd->add_option("--web", opts->web_dir, "the built dashboard folder")->capture_default_str();
  cmd->add_option("--threads", opts->threads,
                  "worker threads running requests (idle connections take none)")
      ->capture_default_str();
  cmd->add_option("--max-connections", opts->limits.max_connections,
                  "open connections at most (beyond: closed at once)")
      ->capture_default_str();
  cmd->add_option("--max-per-address", opts->limits.max_connections_per_address,
                  "open connections from one client address at most (raise it behind a NAT)")
      ->capture_default_str();
  cmd->add_option("--map", opts->map_file,
                  "a GeoJSON map of China's provinces for the leads board (the standard map your "
                  "centre is licensed to publish); without it the board shows a tile grid")
      ->check(CLI::ExistingFile);
  cmd->add_option(
      "--nats", opts->nats_url,
      "the bank interchange (docs/spec/INTERCHANGE.md): NATS server URLs, comma-separated "
      "for a cluster; orders moved to sent go to the banks and their answers move them on");
  cmd->add_option("--nats-replicas", opts->nats_replicas,
                  "replicas of the streams it creates (3 in a cluster)")
      ->capture_default_str();
  cmd->add_option("--platform", opts->platform, "this platform's name in request ids")
      ->capture_default_str();
  auto notify_every = std::make_shared<std::string>("10s");
  cmd->add_option("--notify-every", *notify_every,
                  "how often the dashboard's notifications (待办提醒) are looked at again for each "
                  "open page, and pushed when they changed")
      ->capture_default_str();
  AddAuditFileOptions(cmd, audit_files.get());
  cmd->add_flag("--secure-cookies", opts->secure_cookies,
                "mark the dashboard's session cookie Secure: set it when users reach the server "
                "over HTTPS (directly or through a proxy)");
  cmd->callback([opts, audit_files, notify_every] {
    opts->notify_every = ValueOrExit(ParseDuration(*notify_every), "--notify-every");
    // Block the stop signals before any thread starts, so that only sigwait() sees them.
    const sigset_t set = StopSignals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    Run(*opts, *audit_files);
  });
}

}  // namespace fanzha::cli
