// Bringing an outside file into the store without copying its bytes when the
// filesystem allows it: a reflink (ioctl FICLONE, copy-on-write, safe), then a
// hard link (shares the inode: later in-place edits of the source would change
// the blob), then a plain copy. The result is hashed while it is produced
// (copy) or right after (links), always from the new name, so what is hashed
// is what the store keeps.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "store/atomic_file.h"

namespace corral::store {

enum class CloneMethod { reflink, hardlink, copy };
const char* clone_method_name(CloneMethod m);

// Which methods may be tried (tests force one; the default tries all in order).
struct CloneOptions {
  bool allow_reflink = true;
  bool allow_hardlink = true;
  // Called with the bytes hashed so far and the total (for progress).
  std::function<void(std::uint64_t done, std::uint64_t total)> progress;
};

struct CloneResult {
  CloneMethod method = CloneMethod::copy;
  std::string sha256_hex;
  std::uint64_t size = 0;
};

// Creates a temporary file in `temp_dir` holding src's content (by the first
// method that works) and hashes it. `temp` receives the file: commit or drop it.
CloneResult clone_file(const std::filesystem::path& src, const std::filesystem::path& temp_dir,
                       const std::string& temp_prefix, std::unique_ptr<TempFile>& temp,
                       const CloneOptions& options = {});

// Streams a file through SHA-256 (with optional progress). Error naming it on failure.
std::string hash_file(const std::filesystem::path& p,
                      const std::function<void(std::uint64_t, std::uint64_t)>& progress = {});

}  // namespace corral::store
