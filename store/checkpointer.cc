#include "store/checkpointer.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>

namespace fanzha::store {

std::unique_ptr<Checkpointer> Checkpointer::Start(sqlite3* db, const std::string& path, int pages) {
  std::unique_ptr<Checkpointer> c(new Checkpointer(db, path + "-wal", pages));
  sqlite3_wal_hook(db, &Checkpointer::OnCommit, c.get());  // replaces SQLite's own checkpoint
  c->thread_ = std::thread([p = c.get()] { p->Loop(); });
  return c;
}

Checkpointer::~Checkpointer() {
  sqlite3_wal_autocheckpoint(db_, pages_);  // SQLite's own again, for the rest of db_'s life
  {
    MutexLock lock(mu_);
    stop_ = true;
  }
  wake_.Signal();
  thread_.join();
}

// What SQLite's own hook does (a PASSIVE checkpoint past the mark), plus the syncs ahead of it.
int Checkpointer::OnCommit(void* self, sqlite3* db, const char* name, int pages) {
  auto* c = static_cast<Checkpointer*>(self);
  if (pages >= c->pages_) {
    sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    MutexLock lock(c->mu_);
    ++c->checkpoints_;
    c->synced_at_ = 0;
    return SQLITE_OK;
  }
  {
    MutexLock lock(c->mu_);
    if (pages < c->synced_at_) c->synced_at_ = 0;  // the log restarted
    if (pages - c->synced_at_ < std::max(1, c->pages_ / 8)) return SQLITE_OK;
    c->synced_at_ = pages;
    c->due_ = true;
  }
  c->wake_.Signal();
  return SQLITE_OK;
}

void Checkpointer::Loop() {
  int fd = -1;
  for (;;) {
    {
      MutexLock lock(mu_);
      while (!due_ && !stop_) wake_.Wait(mu_);
      if (stop_) break;
      due_ = false;
    }
    // Opened once the log exists; a log that cannot be opened is only a sync not done ahead.
    if (fd < 0) fd = ::open(wal_path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) ::fdatasync(fd);
    MutexLock lock(mu_);
    ++syncs_;
  }
  if (fd >= 0) ::close(fd);
}

int64_t Checkpointer::syncs() const {
  MutexLock lock(mu_);
  return syncs_;
}

int64_t Checkpointer::checkpoints() const {
  MutexLock lock(mu_);
  return checkpoints_;
}

}  // namespace fanzha::store
