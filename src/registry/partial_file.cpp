// PartialFile: open, lock, reserve, install.
#include "registry/partial_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "store/atomic_file.h"
#include "util/error.h"

namespace corral::registry {
namespace {

std::string human_bytes(std::int64_t n) {
  const double v = static_cast<double>(n);
  if (v >= 1e9) return fmt::format("{:.1f} GB", v / 1e9);
  if (v >= 1e6) return fmt::format("{:.1f} MB", v / 1e6);
  if (v >= 1e3) return fmt::format("{:.1f} KB", v / 1e3);
  return fmt::format("{} B", n);
}

}  // namespace

PartialFile::PartialFile(const store::Store& store, const std::string& digest) : path_(store.partial_path(digest)) {
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) fail("{}: cannot open: {}", path_.string(), std::strerror(errno));
}

PartialFile::~PartialFile() {
  if (fd_ >= 0) ::close(fd_);
}

bool PartialFile::try_lock() {
  if (::flock(fd_, LOCK_EX | LOCK_NB) == 0) return true;
  if (errno == EWOULDBLOCK || errno == EINTR) return false;
  fail("{}: cannot lock: {}", path_.string(), std::strerror(errno));
}

bool PartialFile::is_current() const {
  struct stat a {
  }, b{};
  if (::fstat(fd_, &a) != 0 || ::stat(path_.c_str(), &b) != 0) return false;
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

std::int64_t PartialFile::size() const {
  struct stat st {};
  if (::fstat(fd_, &st) != 0) fail("{}: cannot stat: {}", path_.string(), std::strerror(errno));
  return static_cast<std::int64_t>(st.st_size);
}

void PartialFile::reset(std::int64_t total) {
  if (::ftruncate(fd_, 0) != 0) fail("{}: cannot truncate: {}", path_.string(), std::strerror(errno));
  if (total <= 0) return;
  // fallocate(2), not posix_fallocate: glibc's fallback writes every block.
  const int rc = ::fallocate(fd_, 0, 0, total) == 0 ? 0 : errno;
  if (rc == 0) return;
  if (rc == ENOSPC) {
    struct statvfs vfs {};
    std::int64_t avail = -1;
    if (::fstatvfs(fd_, &vfs) == 0)
      avail = static_cast<std::int64_t>(vfs.f_bavail) * static_cast<std::int64_t>(vfs.f_frsize);
    (void)::ftruncate(fd_, 0);
    if (avail >= 0)
      fail("not enough disk space for {}: need {}, {} available", path_.parent_path().string(), human_bytes(total),
           human_bytes(avail));
    fail("not enough disk space for {}: need {}", path_.parent_path().string(), human_bytes(total));
  }
  // Filesystems without fallocate: a sparse file of the right size.
  if (::ftruncate(fd_, total) != 0)
    fail("{}: cannot size to {} bytes: {}", path_.string(), total, std::strerror(errno));
}

void PartialFile::sync_data() {
  if (::fdatasync(fd_) != 0) fail("{}: cannot sync: {}", path_.string(), std::strerror(errno));
}

void PartialFile::install(const store::Store& store, const std::string& digest) {
  if (::fsync(fd_) != 0) fail("{}: cannot sync: {}", path_.string(), std::strerror(errno));
  ::fchmod(fd_, 0644);
  const auto blob = store.blob_path(digest);
  std::error_code ec;
  if (std::filesystem::exists(blob, ec))
    ::unlink(path_.c_str());
  else
    store::rename_durable(path_, blob);
  store.remove_partial(digest);  // the part state files
}

void PartialFile::discard(const store::Store& store, const std::string& digest) {
  ::unlink(path_.c_str());
  store.remove_partial(digest);
}

}  // namespace corral::registry
