// Store: the on-disk model store in Ollama's layout under $OLLAMA_MODELS
// (default ~/.ollama/models):
//   manifests/<host>/<namespace>/<model>/<tag>   manifest JSON
//   blobs/sha256-<hex>                           content-addressed layers
//   blobs/sha256-<hex>-partial[-N]               in-progress downloads
// Every path is built from a validated name or digest, so nothing given to
// the store (name, digest, manifest content) can point outside it. Every
// write is atomic (temp file in the same directory tree, fsync, rename,
// fsync dir); blobs are verified against their digest when committed.
// Model-level operations (list, copy, delete, prune) live in model_ops.h and
// prune.h; this class holds the blob and manifest primitives.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/atomic_file.h"
#include "store/file_clone.h"
#include "store/manifest.h"
#include "store/name.h"

namespace corral::store {

// A manifest read from disk with what the API reports about the file.
struct StoredManifest {
  ModelName name;
  Manifest manifest;
  std::string digest_hex;  // SHA-256 of the manifest file bytes (the model "digest")
  std::chrono::system_clock::time_point modified;
  std::filesystem::path path;
};

// A blob written or found in the store.
struct BlobInfo {
  std::string digest;  // canonical sha256:<hex>
  std::int64_t size = 0;
  bool created = false;  // false: the blob already existed ("using existing layer")
  CloneMethod method = CloneMethod::copy;  // import_file only
};

// Resume bookkeeping of one part of a download (Ollama's "-partial-N" JSON).
struct PartialPart {
  int n = 0;
  std::int64_t offset = 0;
  std::int64_t size = 0;
  std::int64_t completed = 0;
};

class Store {
 public:
  // Opens (creating manifests/ and blobs/ if needed) the store at root.
  explicit Store(std::filesystem::path root);
  // $OLLAMA_MODELS (surrounding spaces and quotes stripped) or ~/.ollama/models.
  static std::filesystem::path default_root();

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path blobs_dir() const { return root_ / "blobs"; }
  std::filesystem::path manifests_dir() const { return root_ / "manifests"; }

  // ---- blobs ---------------------------------------------------------------
  // blobs/sha256-<hex>. Accepts sha256[:-]<hex>, any hex case; Error otherwise.
  std::filesystem::path blob_path(std::string_view digest) const;
  // blobs/sha256-<hex>-partial: the data file of an in-progress download.
  std::filesystem::path partial_path(std::string_view digest) const;
  // blobs/sha256-<hex>-partial-<n>: the state file of download part n.
  std::filesystem::path partial_part_path(std::string_view digest, int n) const;
  bool has_blob(std::string_view digest) const;
  std::optional<std::int64_t> blob_size(std::string_view digest) const;

  // A temporary file in blobs/ for streaming writers (uploads, conversions);
  // hand its path to commit_blob when complete.
  TempFile new_temp_blob() const;
  // Hashes `temp_path` (a file in blobs/ or on the same filesystem) and, when
  // it matches `digest`, renames it to the blob's name (fsync, mode 0644).
  // On mismatch the temp file is removed and DigestMismatchError says
  // `digest mismatch, expected "<digest>", got "<actual>"`. If the blob
  // already exists the temp file is simply removed. Returns the blob.
  BlobInfo commit_blob(const std::filesystem::path& temp_path, std::string_view digest) const;
  // Stores bytes as a blob (Ollama's NewLayer); `created` tells new from existing.
  BlobInfo write_blob(std::string_view bytes) const;
  // Brings a file in by reflink, hard link or copy (file_clone.h), hashing it.
  BlobInfo import_file(const std::filesystem::path& src, const CloneOptions& options = {}) const;
  // Removes a blob file if present (no reference check: see model_ops.h).
  void remove_blob(std::string_view digest) const;
  // Reads a small blob (templates, params, config) fully; Error if missing or
  // larger than max_bytes.
  std::string read_blob(std::string_view digest, std::size_t max_bytes = 64u << 20) const;

  // The state files of a download, in part order; unreadable ones are skipped.
  std::vector<PartialPart> read_partial_parts(std::string_view digest) const;
  // Writes one part's state file atomically ({"N":..,"Offset":..,"Size":..,"Completed":..}).
  void write_partial_part(std::string_view digest, const PartialPart& part) const;
  // Removes the partial data file and every part state file of a digest.
  void remove_partial(std::string_view digest) const;

  // ---- manifests -----------------------------------------------------------
  // manifests/<host>/<ns>/<model>/<tag>; Error unless the name is valid.
  std::filesystem::path manifest_path(const ModelName& name) const;
  // The manifest of a model, nullopt if it does not exist; Error if corrupt.
  std::optional<StoredManifest> read_manifest(const ModelName& name) const;
  // Same, but NotFoundError("model \"<short name>\" not found") when absent.
  StoredManifest require_manifest(const ModelName& name) const;
  // Writes a manifest as Ollama's create does (Go JSON + newline), atomically.
  // Returns the SHA-256 hex of the bytes written.
  std::string write_manifest(const ModelName& name, const Manifest& manifest) const;
  // Writes manifest bytes verbatim (pulled manifests keep the registry's
  // bytes); they are parsed and validated first. Returns their SHA-256 hex.
  std::string write_manifest_bytes(const ModelName& name, std::string_view bytes) const;
  // Removes a manifest file and the directories it leaves empty. False if absent.
  bool remove_manifest(const ModelName& name) const;
  // Every manifest at depth 4 under manifests/ with a valid name. Corrupt or
  // misnamed entries are skipped and described in `problems` (when given).
  std::vector<StoredManifest> list_manifests(std::vector<std::string>* problems = nullptr) const;
  // Names of every stored model (valid 4-level paths; manifests not parsed).
  std::vector<ModelName> list_names() const;
  // Case-insensitive lookup (Ollama's getExistingName): a stored model whose
  // name equals `name` ignoring case wins (exact spelling preferred);
  // otherwise each part adopts the spelling of a stored part equal to it
  // ignoring case, so new tags land in existing directories.
  ModelName resolve_name(const ModelName& name) const;

 private:
  std::filesystem::path root_;
};

}  // namespace corral::store
