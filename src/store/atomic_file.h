// Crash-safe file writing: data goes to a temporary file in a chosen
// directory on the same filesystem, is fsynced, renamed over the target, and
// the target's directory is fsynced. Readers see the old file or the new one,
// never a torn one; concurrent writers of the same path cannot interleave.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <string_view>

namespace corral::store {

// An open temporary file, removed on destruction unless released.
class TempFile {
 public:
  // Creates "<dir>/<prefix>XXXXXX" (mkostemp) with the given mode.
  TempFile(const std::filesystem::path& dir, const std::string& prefix, mode_t mode = 0644);
  ~TempFile();
  TempFile(TempFile&& o) noexcept;
  TempFile& operator=(TempFile&&) = delete;
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  int fd() const { return fd_; }
  const std::filesystem::path& path() const { return path_; }
  void write(std::string_view bytes);
  void write(const void* data, std::size_t size);
  // fsync + close; the file stays (until destruction unless released).
  void finish();
  // fsync + close + rename to `target` + fsync target's directory.
  void commit(const std::filesystem::path& target);
  // Forget the file: it is no longer removed on destruction.
  void release() { path_.clear(); }

 private:
  void close_fd();
  std::filesystem::path path_;
  int fd_ = -1;
};

// Writes `bytes` to `target` atomically; the temporary file lives in `temp_dir`
// (which must be on target's filesystem). Creates target's directory (0755).
void write_file_atomic(const std::filesystem::path& target, std::string_view bytes,
                       const std::filesystem::path& temp_dir, const std::string& temp_prefix);

// fsync a directory so a rename or unlink in it is durable. Best effort.
void fsync_dir(const std::filesystem::path& dir);

// Creates a directory and its parents with mode 0755; Error on failure.
void make_dirs(const std::filesystem::path& dir);

// Reads a whole file of at most max_bytes; Error naming it otherwise.
std::string read_small_file(const std::filesystem::path& p, std::size_t max_bytes);

// Renames src over dst and fsyncs dst's directory; Error on failure.
void rename_durable(const std::filesystem::path& src, const std::filesystem::path& dst);

// Sets a file's modification and access times to now (best effort).
void touch(const std::filesystem::path& p);

}  // namespace corral::store
