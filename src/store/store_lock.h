// StoreLock: an advisory lock (flock on <root>/.corral.lock) between corral
// processes sharing a store. Writers that reference existing blobs (create,
// pull) hold it shared from choosing their blobs until their manifest is
// written; garbage collection (delete's blob removal, prune) holds it
// exclusive, so it never removes a blob that a manifest about to be written
// refers to. Ollama processes do not take it; Ollama's own one-hour grace
// period for young blobs covers that case as it does for Ollama itself.
#pragma once

#include <filesystem>

namespace corral::store {

class Store;

class StoreLock {
 public:
  enum class Mode { shared, exclusive };
  StoreLock(const Store& store, Mode mode);
  ~StoreLock();
  StoreLock(const StoreLock&) = delete;
  StoreLock& operator=(const StoreLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace corral::store
