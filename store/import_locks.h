// Which imports are still being written (internal to store/; see store.h "Imports").
//
// An import in progress holds a lock on one byte of the file "<store>-imports.lock" (byte offset =
// its import id) for as long as its process lives: an open file description lock (Linux
// F_OFD_SETLK), which the kernel drops when the process ends, however it ends. A pending import
// whose byte nobody holds was killed: its rows can be removed.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"

namespace fanzha::store {

class ImportLocks {
 public:
  // Opens (creating) the lock file beside the store at `store_path`. kIoError when it cannot.
  static Result<ImportLocks> Open(const std::string& store_path);
  ImportLocks(ImportLocks&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  ImportLocks& operator=(ImportLocks&&) = delete;
  ~ImportLocks();

  // Takes the lock of import `id` for this import (an id no other import has: never blocks).
  Status Hold(int64_t id);
  // Takes it if nobody holds it (then the import `id` is dead, and the caller cleans it and
  // Releases); false when its import is alive (or another process is cleaning it).
  bool TryTake(int64_t id);
  void Release(int64_t id);

 private:
  explicit ImportLocks(int fd) : fd_(fd) {}
  int fd_ = -1;  // one open file description per Store: its locks are its own
};

}  // namespace fanzha::store
