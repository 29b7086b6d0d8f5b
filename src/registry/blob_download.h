// Downloading one blob into the store: parallel ranged parts over
// curl_multi for big blobs (one request for small ones), following
// redirects to storage hosts (no Authorization there) and accepting a plain
// 200 body as well; resumable at any moment from the part state on disk;
// hashing in order while the data arrives; retries with backoff, stall
// detection, and verification before the blob gets its name.
#pragma once

#include <cstdint>
#include <string>

#include "registry/registry.h"
#include "registry/session.h"
#include "store/store.h"

namespace corral::registry {

struct BlobDownloadResult {
  bool existed = false;      // the blob was already in the store
  std::int64_t fetched = 0;  // bytes written from the network this time
  std::int64_t resumed = 0;  // bytes found on disk from an earlier attempt
};

// Makes blob `digest` (of `size` bytes, from the manifest) present in the
// store, reporting Progress{status, digest, size, completed}. Throws
// DigestMismatchError (the partial is removed), CancelledError (the partial
// state stays), UnauthorizedError, or Error.
BlobDownloadResult download_blob(const store::Store& store, Session& session, const PullOptions& options,
                                 const std::string& digest, std::int64_t size, const std::string& status,
                                 const ProgressFn& progress);

}  // namespace corral::registry
