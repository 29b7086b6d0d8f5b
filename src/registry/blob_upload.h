// Uploading one blob to a registry the way Ollama's push does: HEAD (the
// registry has it: done), POST an upload session (a cross-repository mount
// when the layer names its source model: 201 = done), PATCH the file in
// chunks (following a 307 to pre-signed storage with a plain PUT of the
// chunk), then PUT ?digest=&etag= to commit. Failures restart the blob's
// upload with backoff.
#pragma once

#include <string>

#include "registry/registry.h"
#include "registry/session.h"
#include "store/manifest.h"
#include "store/store.h"

namespace corral::registry {

struct BlobUploadResult {
  bool existed = false;  // the registry had it (HEAD 200)
  bool mounted = false;  // cross-repository mount
  int chunks = 0;        // PATCH requests that carried data
};

BlobUploadResult upload_blob(const store::Store& store, Session& session, const PushOptions& options,
                             const store::Layer& layer, const std::string& status, const ProgressFn& progress);

}  // namespace corral::registry
