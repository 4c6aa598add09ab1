// SQLite's checkpoint without its long sync: the write-ahead log is synced ahead of time on a
// thread of its own, so that the checkpoint a writer runs finds it already on disk.
//
// Why: in WAL mode SQLite checkpoints inside the commit that passes 1,000 log pages, and most of
// that commit's time is the fdatasync of the log (measured on a 10M store under the trace
// endpoint's load: 50-60 ms for the log, about 1 ms for the database file). A server commits under
// its one store mutex (every read is audited in a commit of its own), so every request behind the
// checkpoint waited those 50 ms: that was the endpoint's p99. Moving the whole checkpoint to
// another connection does not work under a steady write load: a checkpoint that runs beside a
// writer never catches up with it, the log never restarts and grows without bound.
//
// So the writer still checkpoints, at the same mark, but each time the log has grown by `pages` / 8
// more pages the hook wakes this thread, which fdatasyncs the log file on its own descriptor
// (dirty pages belong to the file, not to a descriptor). The checkpoint's own sync then has at most
// an eighth of the log left to write.
//
// Threads: Start on the thread that owns `db`, before other threads use it; the hook then runs on
// whichever thread commits on `db`. Destroy before `db` (the destructor stops and joins the thread
// and gives `db` back SQLite's own checkpoint).
#pragma once

#include <sqlite3.h>

#include <memory>
#include <string>
#include <thread>

#include "core/mutex.h"

namespace fanzha::store {

class Checkpointer {
 public:
  // Hooks `db`, a connection in WAL mode to the database file `path`, and starts the thread.
  // `pages`: the log's length that makes the writer checkpoint (SQLite's default, 1,000).
  static std::unique_ptr<Checkpointer> Start(sqlite3* db, const std::string& path,
                                             int pages = 1000);
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Syncs of the log done by the thread, and checkpoints done by the writer, so far.
  int64_t syncs() const;
  int64_t checkpoints() const;

 private:
  Checkpointer(sqlite3* db, std::string wal_path, int pages)
      : db_(db), wal_path_(std::move(wal_path)), pages_(pages) {}
  static int OnCommit(void* self, sqlite3* db, const char* name, int pages);
  void Loop();

  sqlite3* const db_;
  const std::string wal_path_;
  const int pages_;
  mutable Mutex mu_;
  CondVar wake_;
  int synced_at_ GUARDED_BY(mu_) = 0;  // the log's length when the thread was last asked to sync
  bool due_ GUARDED_BY(mu_) = false;
  bool stop_ GUARDED_BY(mu_) = false;
  int64_t syncs_ GUARDED_BY(mu_) = 0;
  int64_t checkpoints_ GUARDED_BY(mu_) = 0;
  std::thread thread_;
};

}  // namespace fanzha::store
