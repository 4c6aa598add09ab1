#include "store/import_locks.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace fanzha::store {
namespace {

bool Lock(int fd, int64_t id, short type) {
  struct flock fl {};
  fl.l_type = type;
  fl.l_whence = SEEK_SET;
  fl.l_start = static_cast<off_t>(id);
  fl.l_len = 1;
  return fcntl(fd, F_OFD_SETLK, &fl) == 0;
}

}  // namespace

Result<ImportLocks> ImportLocks::Open(const std::string& store_path) {
  const std::string path = store_path + "-imports.lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    const std::string why = std::strerror(errno);
    return Status::Io(path + ": cannot open the import lock file: " + why)
        .WithZh(path + "：无法打开导入锁文件（" + why + "）");
  }
  return ImportLocks(fd);
}

ImportLocks::~ImportLocks() {
  if (fd_ >= 0) ::close(fd_);
}

Status ImportLocks::Hold(int64_t id) {
  if (Lock(fd_, id, F_WRLCK)) return Status::Ok();
  const std::string why = std::strerror(errno);
  return Status::Io("cannot lock import " + std::to_string(id) + ": " + why)
      .WithZh("无法锁定导入任务 " + std::to_string(id) + "（" + why + "）");
}

bool ImportLocks::TryTake(int64_t id) { return Lock(fd_, id, F_WRLCK); }

void ImportLocks::Release(int64_t id) { (void)Lock(fd_, id, F_UNLCK); }

}  // namespace fanzha::store
