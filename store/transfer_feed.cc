#include "store/transfer_feed.h"

#include <poll.h>

#include <nlohmann/json.hpp>

#include "store/store.h"

namespace fanzha::store {

Result<std::unique_ptr<TransferFeed>> TransferFeed::Listen(const std::string& location) {
  if (!Store::IsPostgresUri(location))
    return Status::Invalid("only a store on PostgreSQL has a feed of its transfers")
        .WithZh("只有 PostgreSQL 数据库才有交易变更通知");
  FANZHA_ASSIGN_OR_RETURN(auto db, PostgresDatabase::Connect(location));
  FANZHA_RETURN_IF_ERROR(db->Exec("LISTEN " + std::string(kTransferChannel)));
  return std::unique_ptr<TransferFeed>(new TransferFeed(std::move(db)));
}

namespace {

TransferFeed::Notice ParseNotice(const PGnotify& n) {
  TransferFeed::Notice notice;
  notice.connection = n.be_pid;
  const nlohmann::json ids = nlohmann::json::parse(n.extra ? n.extra : "", nullptr, false);
  if (!ids.is_array()) {  // "*", or anything this build does not read: reload
    notice.too_many = true;
    return notice;
  }
  for (const auto& id : ids) {
    if (id.is_string()) notice.ids.push_back(id.get<std::string>());
  }
  return notice;
}

}  // namespace

Result<std::vector<TransferFeed::Notice>> TransferFeed::Wait(int timeout_ms) {
  PGconn* conn = db_->handle();
  auto lost = [&] {
    const std::string why = PQerrorMessage(conn);
    return Status::Io("PostgreSQL: the feed of transfers lost its connection: " + why)
        .WithZh("PostgreSQL：交易变更通知的连接已断开：" + why);
  };
  std::vector<Notice> out;
  auto drain = [&] {
    while (PGnotify* n = PQnotifies(conn)) {
      out.push_back(ParseNotice(*n));
      PQfreemem(n);
    }
  };
  if (!PQconsumeInput(conn)) return lost();
  drain();
  if (!out.empty()) return out;
  pollfd fd{PQsocket(conn), POLLIN, 0};
  if (fd.fd < 0) return lost();
  if (::poll(&fd, 1, timeout_ms) > 0) {
    if (!PQconsumeInput(conn)) return lost();
    drain();
  }
  return out;
}

}  // namespace fanzha::store
