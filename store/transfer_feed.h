// Transfers as other processes store them: what a long-running process (an API node) follows to
// keep its ledger current without polling. On PostgreSQL, every import that adds transfers (a
// report's, a statement's, a `fanzha import`) tells the followers when it commits (NOTIFY on
// channel kTransferChannel): the ids of its transfers, or that there were too many to name. On
// SQLite there is no feed (one machine: watch Store::CountTransfers()).
//
// Threads: a TransferFeed is one connection of its own, used by one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/status.h"
#include "store/postgres_database.h"

namespace fanzha::store {

inline constexpr std::string_view kTransferChannel = "fanzha_transfers";

class TransferFeed {
 public:
  // Listens to the store at `location`, which must be a PostgreSQL URI (kInvalidInput otherwise).
  // Notices of transactions that commit from now on reach Wait(); none is lost while the feed is
  // open, however late Wait() is called.
  static Result<std::unique_ptr<TransferFeed>> Listen(const std::string& location);

  struct Notice {
    int64_t connection = 0;        // Store::ConnectionId() of the store that wrote them
    std::vector<std::string> ids;  // the transfers stored, in the order stored
    bool too_many = false;         // an import too big to name them: reload the store
  };
  // Waits up to `timeout_ms` for notices; those that came, in commit order (none after the
  // timeout). kIoError when the connection is lost.
  Result<std::vector<Notice>> Wait(int timeout_ms);

 private:
  explicit TransferFeed(std::unique_ptr<PostgresDatabase> db) : db_(std::move(db)) {}
  std::unique_ptr<PostgresDatabase> db_;
};

}  // namespace fanzha::store
