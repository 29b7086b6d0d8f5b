// flock-based advisory lock on the store.
#include "store/store_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>

#include "store/store.h"
#include "util/log.h"

namespace corral::store {

StoreLock::StoreLock(const Store& store, Mode mode) {
  const auto path = store.root() / ".corral.lock";
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    // A read-only store cannot be written either; the lock is advisory.
    log::debug("store: no lock file {} (continuing unlocked)", path.string());
    return;
  }
  const int op = mode == Mode::shared ? LOCK_SH : LOCK_EX;
  while (::flock(fd_, op) != 0 && errno == EINTR) {
  }
}

StoreLock::~StoreLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the lock
}

}  // namespace corral::store
