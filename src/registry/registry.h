// The registry client's public API: pull a model from, and push one to, a
// registry that speaks the OCI Distribution protocol the way
// registry.ollama.ai does (/v2/<namespace>/<model>/manifests/<tag>,
// /blobs/<digest>, /blobs/uploads/), reporting progress as Ollama's
// /api/pull and /api/push status stream. Free of HTTP-server concerns: the
// server streams the Progress events as NDJSON, the CLI draws them as bars.
// docs/REGISTRY.md describes the protocol, the download engine and the
// on-disk resume state.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "store/name.h"
#include "store/store.h"
#include "util/error.h"

namespace corral::registry {

// One status event (api.ProgressResponse): {"status":...} alone, or with
// digest/total/completed while a blob moves ("pulling dde5aa3fc5ff").
struct Progress {
  std::string status;
  std::string digest;
  std::int64_t total = 0;
  std::int64_t completed = 0;
};
using ProgressFn = std::function<void(const Progress&)>;

// Knobs shared by pull and push. The defaults are what a user wants; tests
// shrink the sizes and delays.
struct TransferOptions {
  // Allow plain http (a name written "http://host/..." needs it), and talk
  // http to every registry, as Ollama's --insecure does.
  bool insecure = false;
  // Credentials for registries that answer a Basic challenge or whose token
  // service wants them; empty: anonymous (plus the ed25519 signature).
  std::string username;
  std::string password;
  // OpenSSH ed25519 key used to sign token requests to the registry host
  // (Ollama's ~/.ollama/id_ed25519). Empty: default_identity_path(); a
  // missing file means unsigned (anonymous) token requests.
  std::filesystem::path identity_path;
  // Sent with every request.
  std::string user_agent;  // empty: "corral/<version> (amd64 linux)"

  // Attempts per request or blob part before "max retries exceeded" (>= 1).
  int max_attempts = 6;
  // First retry delay; doubles per attempt (with +-25% jitter), capped at 30 s.
  std::chrono::milliseconds retry_delay{1000};
  // A transfer that moves no bytes for this long is restarted.
  std::chrono::milliseconds stall_timeout{30000};
  std::chrono::milliseconds connect_timeout{30000};
  // Blob progress events are emitted at most this often (plus first and last).
  std::chrono::milliseconds progress_interval{60};
};

struct PullOptions : TransferOptions {
  // Blobs at least this large download as parallel ranged parts.
  std::int64_t parallel_threshold = 100 * 1000 * 1000;
  // Part size; 0 = total/32 clamped to [64 MiB, 256 MiB].
  std::int64_t part_size = 0;
  // Parts of one blob downloading at once.
  int max_parallel_parts = 8;
  // Remove the blobs only the replaced manifest used (Ollama's pruning;
  // turn off for OLLAMA_NOPRUNE).
  bool prune_replaced = true;
  // Part state is written (after an fdatasync of the data) at most this often.
  std::chrono::milliseconds checkpoint_interval{1000};
  // Download speed limit in bytes per second for the whole pull (0: none).
  std::int64_t max_bytes_per_second = 0;
};

struct PushOptions : TransferOptions {
  // Blobs larger than this upload in PATCH chunks of this size; smaller ones
  // in one PUT.
  std::int64_t chunk_size = 100 * 1000 * 1000;
};

// PullOptions/PushOptions with prune_replaced from OLLAMA_NOPRUNE.
PullOptions default_pull_options();

// ~/.ollama/id_ed25519 ($HOME; "" when HOME is unset).
std::filesystem::path default_identity_path();

// Pulls `name` into the store: manifest, every missing blob (resuming any
// partial download on disk, verifying each against its digest), then the
// manifest bytes exactly as the registry sent them. Status sequence:
//   pulling manifest, pulling <12 hex> (per layer, then config; repeated with
//   completed), verifying sha256 digest, writing manifest,
//   [removing unused layers], success.
// The name is resolved against the store first (case, as Ollama does).
// Throws (nothing written but verified blobs and resumable partial state):
//   store::BadRequestError  invalid name
//   ManifestNotFoundError   "pull model manifest: file does not exist"
//   UnauthorizedError       "unauthorized: access denied"
//   DigestMismatchError     "digest mismatch, file must be downloaded again: want ..., got ..."
//   CancelledError          *cancel became true
//   corral::Error           "insecure protocol http", "pull model manifest: <why>",
//                           "max retries exceeded: <last error>", "<status>: <registry message>", ...
void pull(store::Store& store, const store::ModelName& name, const PullOptions& options, const ProgressFn& progress,
          const std::atomic<bool>* cancel = nullptr);

// Pushes a stored model: each layer then the config (HEAD; skipped when the
// registry has it; cross-repo mount when the layer names its source; else
// POST + PUT, or PATCH chunks + PUT), then the manifest. Status sequence:
//   retrieving manifest, pushing <12 hex> (per blob, repeated with
//   completed), pushing manifest, success.
// Throws store::NotFoundError for a model not in the store, plus the
// errors listed for pull.
void push(store::Store& store, const store::ModelName& name, const PushOptions& options, const ProgressFn& progress,
          const std::atomic<bool>* cancel = nullptr);

// ---- errors (all corral::Error) ----------------------------------------------

// The registry has no such model/tag (the CLI matches this exact text).
class ManifestNotFoundError : public corral::Error {
 public:
  ManifestNotFoundError() : corral::Error("pull model manifest: file does not exist") {}
};

// A 401 that a fresh token did not cure. The CLI rewrites it for push to
// "you are not authorized to push to this namespace, create the model under a
// namespace you own".
class UnauthorizedError : public corral::Error {
 public:
  UnauthorizedError() : corral::Error("unauthorized: access denied") {}
};

// A downloaded blob whose SHA-256 is not its digest (the partial is deleted).
class DigestMismatchError : public corral::Error {
 public:
  using corral::Error::Error;
};

// The cancel flag was raised; partial downloads stay on disk for resume.
class CancelledError : public corral::Error {
 public:
  using corral::Error::Error;
};

}  // namespace corral::registry
