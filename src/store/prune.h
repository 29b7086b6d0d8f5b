// Start-up maintenance of the store, as Ollama's server does it:
//  1. rename legacy blob names "sha256:<hex>" to "sha256-<hex>";
//  2. unless OLLAMA_NOPRUNE, and only if every manifest parses: delete files in
//     blobs/ older than the grace period (1 hour) that are not valid blob names
//     (temp files, stale "-partial" downloads) or that no manifest references;
//  3. remove empty manifest directories.
// Files younger than the grace period are spared: they may belong to a
// download or create in progress in this or another process.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace corral::store {

class Store;

struct PruneOptions {
  std::chrono::seconds grace{3600};
};

struct PruneReport {
  bool skipped = false;  // a manifest was corrupt, nothing deleted
  std::vector<std::string> problems;
  std::vector<std::string> removed;  // file names removed from blobs/
  int renamed = 0;                   // legacy names fixed
  int blobs_seen = 0;
};

// OLLAMA_NOPRUNE as Ollama reads booleans: unset/empty = false, a false
// spelling of Go's ParseBool = false, anything else = true.
bool noprune_from_env();

// Renames "sha256:<hex>" blob files to "sha256-<hex>". Returns how many.
int fix_legacy_blob_names(const Store& store);

// Mark and sweep over blobs/ (step 2 above), regardless of OLLAMA_NOPRUNE.
PruneReport prune_blobs(const Store& store, const PruneOptions& options = {});

// Removes empty directories under manifests/ (and stale temp files there).
void prune_manifest_dirs(const Store& store, const PruneOptions& options = {});

// Steps 1-3; step 2 only when `prune` is true (default: !noprune_from_env()).
PruneReport startup_maintenance(const Store& store, bool prune, const PruneOptions& options = {});

}  // namespace corral::store
