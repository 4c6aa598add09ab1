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
  const std::string shown = store::Store::Shown(o.db);
  ExitOnError(srv.status().WithContext(shown));
  ExitOnError((*srv)->Start());
  g_server = srv->get();
  const std::string url = "http://" + o.host + ":" + std::to_string((*srv)->port()) + "/";
  Tell("fanzha serving " + shown + " on " + url + " (API: /api, description: /api/openapi.json)",
       "fanzha 已在 " + url + " 提供服务（数据库 " + shown +
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
      Help("Serve the HTTP API (docs/API.md) and the dashboard from web/dist.\n\n"
           "Examples:\n"
           "  fanzha serve --db demo.db --port 8080\n"
           "  fanzha serve --db demo.db --nats nats://127.0.0.1:4222      with the bank "
           "interchange\n"
           "  fanzha user add li --role investigator --region 330100 < password.txt",
           "提供 HTTP 接口（docs/API.md）和 web/dist 中的工作台页面。\n\n"
           "示例：\n"
           "  fanzha serve --db demo.db --port 8080\n"
           "  fanzha serve --db demo.db --nats nats://127.0.0.1:4222      连同银行数据交换\n"
           "  fanzha user add li --role investigator --region 330100 < password.txt"));
  cmd->add_option("--db", opts->db,
                  Help("the store: a SQLite file, or a PostgreSQL database "
                       "(postgresql://user@host/fanzha; several nodes may serve one)",
                       "数据库：SQLite 文件，或 PostgreSQL 数据库"
                       "（postgresql://user@host/fanzha；多个节点可共用一个）"))
      ->capture_default_str();
  cmd->add_option("--port", opts->port,
                  Help("TCP port (0: any free port)", "TCP 端口（0：任一空闲端口）"))
      ->capture_default_str();
  cmd->add_option("--host", opts->host,
                  Help("address to listen on (loopback by default)", "监听地址（默认仅本机回环）"))
      ->capture_default_str();
  cmd->add_option("--web", opts->web_dir,
                  Help("the built dashboard folder", "已构建的工作台页面目录"))
      ->capture_default_str();
  cmd->add_option("--threads", opts->threads,
                  Help("worker threads running requests (idle connections take none)",
                       "处理请求的工作线程数（空闲连接不占线程）"))
      ->capture_default_str();
  cmd->add_option("--max-connections", opts->limits.max_connections,
                  Help("open connections at most (beyond: closed at once)",
                       "最多同时打开的连接数（超出即关闭）"))
      ->capture_default_str();
  cmd->add_option("--max-per-address", opts->limits.max_connections_per_address,
                  Help("open connections from one client address at most (raise it behind a NAT)",
                       "同一客户端地址最多打开的连接数（位于 NAT 之后时请调高）"))
      ->capture_default_str();
  cmd->add_option("--map", opts->map_file,
                  Help("a GeoJSON map of China's provinces for the leads board (the standard map "
                       "your centre is licensed to publish); without it the board shows a tile "
                       "grid",
                       "线索看板所用的全国省级 GeoJSON 地图（须为本中心获准公开使用的标准地图）；"
                       "未给出时看板以方格图显示"))
      ->check(CLI::ExistingFile);
  cmd->add_option(
      "--nats", opts->nats_url,
      Help("the bank interchange (docs/spec/INTERCHANGE.md): NATS server URLs, comma-separated "
           "for a cluster; orders moved to sent go to the banks and their answers move them on",
           "银行数据交换（docs/spec/INTERCHANGE.md）：NATS 服务器地址，集群时以逗号分隔；"
           "转为 sent 的指令将发往银行，并按银行答复推进其状态"));
  cmd->add_option("--nats-replicas", opts->nats_replicas,
                  Help("replicas of the streams it creates (3 in a cluster)",
                       "所建消息流的副本数（集群时为 3）"))
      ->capture_default_str();
  cmd->add_option("--platform", opts->platform,
                  Help("this platform's name in request ids", "本平台在请求编号中使用的名称"))
      ->capture_default_str();
  auto notify_every = std::make_shared<std::string>("10s");
  cmd->add_option("--notify-every", *notify_every,
                  Help("how often the dashboard's notifications (待办提醒) are looked at again for "
                       "each open page, and pushed when they changed",
                       "每个已打开的工作台页面的待办提醒多久重新检查一次，有变化时推送"))
      ->capture_default_str();
  AddAuditFileOptions(cmd, audit_files.get());
  cmd->add_flag(
      "--secure-cookies", opts->secure_cookies,
      Help("mark the dashboard's session cookie Secure: set it when users reach the "
           "server over HTTPS (directly or through a proxy)",
           "将工作台的会话 Cookie 标记为 Secure：用户经 HTTPS（直连或经代理）访问时请设置"));
  cmd->callback([opts, audit_files, notify_every] {
    opts->notify_every = ValueOrExit(ParseDuration(*notify_every), "--notify-every");
    // Block the stop signals before any thread starts, so that only sigwait() sees them.
    const sigset_t set = StopSignals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    Run(*opts, *audit_files);
  });
}

}  // namespace fanzha::cli
