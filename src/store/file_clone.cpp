// Reflink / hard link / copy of a file into the store, with hashing.
#include "store/file_clone.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

#include "util/error.h"
#include "util/sha256.h"

namespace corral::store {
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kChunk = 4u << 20;

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

ssize_t read_full(int fd, char* buf, std::size_t n) {
  for (;;) {
    const ssize_t r = ::read(fd, buf, n);
    if (r < 0 && errno == EINTR) continue;
    return r;
  }
}

// Hashes an open file from its start.
std::string hash_fd(int fd, const std::string& name, std::uint64_t total,
                    const std::function<void(std::uint64_t, std::uint64_t)>& progress, std::uint64_t* size_out) {
  if (::lseek(fd, 0, SEEK_SET) < 0) fail("{}: seek failed: {}", name, std::strerror(errno));
  Sha256 h;
  std::vector<char> buf(kChunk);
  std::uint64_t done = 0;
  for (;;) {
    const ssize_t n = read_full(fd, buf.data(), buf.size());
    if (n < 0) fail("{}: read error: {}", name, std::strerror(errno));
    if (n == 0) break;
    h.update(buf.data(), static_cast<std::size_t>(n));
    done += static_cast<std::uint64_t>(n);
    if (progress) progress(done, total);
  }
  if (size_out) *size_out = done;
  return h.hex_digest();
}

}  // namespace

const char* clone_method_name(CloneMethod m) {
  switch (m) {
    case CloneMethod::reflink: return "reflink";
    case CloneMethod::hardlink: return "hard link";
    case CloneMethod::copy: return "copy";
  }
  return "copy";
}

std::string hash_file(const fs::path& p, const std::function<void(std::uint64_t, std::uint64_t)>& progress) {
  Fd fd(::open(p.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) fail("{}: cannot open: {}", p.string(), std::strerror(errno));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) fail("{}: cannot stat: {}", p.string(), std::strerror(errno));
  return hash_fd(fd.get(), p.string(), static_cast<std::uint64_t>(st.st_size), progress, nullptr);
}

CloneResult clone_file(const fs::path& src, const fs::path& temp_dir, const std::string& temp_prefix,
                       std::unique_ptr<TempFile>& temp, const CloneOptions& options) {
  Fd in(::open(src.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.get() < 0) fail("{}: cannot open: {}", src.string(), std::strerror(errno));
  struct stat st {};
  if (::fstat(in.get(), &st) != 0) fail("{}: cannot stat: {}", src.string(), std::strerror(errno));
  if (!S_ISREG(st.st_mode)) fail("{}: not a regular file", src.string());
  const auto total = static_cast<std::uint64_t>(st.st_size);

  CloneResult result;
  temp = std::make_unique<TempFile>(temp_dir, temp_prefix);

  // 1. Reflink: the clone shares extents copy-on-write; the source may change freely.
  if (options.allow_reflink && ::ioctl(temp->fd(), FICLONE, in.get()) == 0) {
    result.method = CloneMethod::reflink;
    result.sha256_hex = hash_fd(temp->fd(), temp->path().string(), total, options.progress, &result.size);
    return result;
  }

  // 2. Hard link: replace the empty temp file by a second name for the source inode.
  if (options.allow_hardlink) {
    const fs::path link_path = temp->path();
    if (::unlink(link_path.c_str()) == 0 && ::link(src.c_str(), link_path.c_str()) == 0) {
      // The TempFile still owns the name (and removes it unless committed).
      Fd linked(::open(link_path.c_str(), O_RDONLY | O_CLOEXEC));
      if (linked.get() < 0) fail("{}: cannot open: {}", link_path.string(), std::strerror(errno));
      result.method = CloneMethod::hardlink;
      result.sha256_hex = hash_fd(linked.get(), link_path.string(), total, options.progress, &result.size);
      return result;
    }
    // Recreate an empty temp file for the copy.
    temp = std::make_unique<TempFile>(temp_dir, temp_prefix);
  }

  // 3. Copy, hashing on the way.
  Sha256 h;
  std::vector<char> buf(kChunk);
  std::uint64_t done = 0;
  for (;;) {
    const ssize_t n = read_full(in.get(), buf.data(), buf.size());
    if (n < 0) fail("{}: read error: {}", src.string(), std::strerror(errno));
    if (n == 0) break;
    temp->write(buf.data(), static_cast<std::size_t>(n));
    h.update(buf.data(), static_cast<std::size_t>(n));
    done += static_cast<std::uint64_t>(n);
    if (options.progress) options.progress(done, total);
  }
  result.method = CloneMethod::copy;
  result.size = done;
  result.sha256_hex = h.hex_digest();
  return result;
}

}  // namespace corral::store
