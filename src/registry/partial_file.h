// The data file of an in-progress download (blobs/sha256-<hex>-partial),
// held open and locked (flock) so that two pulls of the same blob, in this
// process or another corral process, never write it at once; and the
// final step that gives a verified download its blob name. This is the
// registry's adapter over the store: it uses only paths the store builds
// from validated digests (see docs/REGISTRY.md for what the store API lacks).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "store/store.h"

namespace corral::registry {

class PartialFile {
 public:
  // Opens (creating, 0644) the partial data file of `digest`.
  PartialFile(const store::Store& store, const std::string& digest);
  ~PartialFile();
  PartialFile(const PartialFile&) = delete;
  PartialFile& operator=(const PartialFile&) = delete;

  // Takes the exclusive lock without waiting; false when another holder has it.
  bool try_lock();
  // Whether the open file is still the one at the partial path (it is not
  // after another downloader renamed or removed it).
  bool is_current() const;

  int fd() const { return fd_; }
  const std::filesystem::path& path() const { return path_; }
  std::int64_t size() const;

  // Empties the file and reserves `total` bytes (fallocate, or a sparse
  // ftruncate where that is unsupported). Error on ENOSPC, naming the need.
  void reset(std::int64_t total);
  // Makes the written data durable (fdatasync).
  void sync_data();
  // Renames the verified file to the blob's name (fsync first; fsync of
  // blobs/ after) and removes the part state files. If the blob appeared
  // meanwhile the partial is simply removed.
  void install(const store::Store& store, const std::string& digest);
  // Removes the data file and the part state files (digest mismatch).
  void discard(const store::Store& store, const std::string& digest);

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

}  // namespace corral::registry
