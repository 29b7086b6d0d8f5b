// Temporary files, fsync and rename: the primitives behind every store write.
#include "store/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "util/error.h"

namespace corral::store {
namespace fs = std::filesystem;

TempFile::TempFile(const fs::path& dir, const std::string& prefix, mode_t mode) {
  std::string tmpl = (dir / (prefix + "XXXXXX")).string();
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  fd_ = ::mkostemp(buf.data(), O_CLOEXEC);
  if (fd_ < 0) fail("{}: cannot create a temporary file: {}", dir.string(), std::strerror(errno));
  path_ = buf.data();
  ::fchmod(fd_, mode);
}

TempFile::TempFile(TempFile&& o) noexcept : path_(std::move(o.path_)), fd_(o.fd_) {
  o.path_.clear();
  o.fd_ = -1;
}

TempFile::~TempFile() {
  close_fd();
  if (!path_.empty()) ::unlink(path_.c_str());
}

void TempFile::close_fd() {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

void TempFile::write(std::string_view bytes) { write(bytes.data(), bytes.size()); }

void TempFile::write(const void* data, std::size_t size) {
  if (fd_ < 0) fail("{}: write after close", path_.string());
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::write(fd_, p, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("{}: write failed: {}", path_.string(), std::strerror(errno));
    }
    p += n;
    size -= static_cast<std::size_t>(n);
  }
}

void TempFile::finish() {
  if (fd_ < 0) return;
  if (::fsync(fd_) != 0) fail("{}: fsync failed: {}", path_.string(), std::strerror(errno));
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) fail("{}: close failed: {}", path_.string(), std::strerror(errno));
}

void TempFile::commit(const fs::path& target) {
  finish();
  rename_durable(path_, target);
  path_.clear();
}

void fsync_dir(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

void make_dirs(const fs::path& dir) {
  std::error_code ec;
  if (fs::is_directory(dir, ec)) return;
  // Create one level at a time so each gets mode 0755 (umask permitting).
  fs::path partial;
  for (const auto& part : dir) {
    partial /= part;
    if (fs::is_directory(partial, ec)) continue;
    if (::mkdir(partial.c_str(), 0755) != 0 && errno != EEXIST)
      fail("{}: cannot create directory: {}", partial.string(), std::strerror(errno));
  }
  if (!fs::is_directory(dir, ec)) fail("{}: is not a directory", dir.string());
}

void write_file_atomic(const fs::path& target, std::string_view bytes, const fs::path& temp_dir,
                       const std::string& temp_prefix) {
  make_dirs(target.parent_path());
  TempFile tmp(temp_dir, temp_prefix);
  tmp.write(bytes);
  tmp.commit(target);
}

std::string read_small_file(const fs::path& p, std::size_t max_bytes) {
  const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail("{}: cannot open: {}", p.string(), std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    fail("{}: not a regular file", p.string());
  }
  if (static_cast<std::uint64_t>(st.st_size) > max_bytes) {
    ::close(fd);
    fail("{}: {} bytes is larger than the {} allowed", p.string(), st.st_size, max_bytes);
  }
  std::string out;
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int e = errno;
      ::close(fd);
      fail("{}: read error: {}", p.string(), std::strerror(e));
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
    if (out.size() > max_bytes) {
      ::close(fd);
      fail("{}: larger than the {} bytes allowed", p.string(), max_bytes);
    }
  }
  ::close(fd);
  return out;
}

void rename_durable(const fs::path& src, const fs::path& dst) {
  if (::rename(src.c_str(), dst.c_str()) != 0)
    fail("cannot rename {} to {}: {}", src.string(), dst.string(), std::strerror(errno));
  fsync_dir(dst.parent_path());
}

void touch(const fs::path& p) { ::utimensat(AT_FDCWD, p.c_str(), nullptr, 0); }

}  // namespace corral::store
