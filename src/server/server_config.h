// ServerConfig: every setting of `corral serve`, read in one place from the
// environment with Ollama's defaults and parsing rules (values stripped of
// surrounding spaces and quotes; booleans as Go's ParseBool, an unparsable
// non-empty value counting as true): OLLAMA_HOST, OLLAMA_MODELS,
// OLLAMA_KEEP_ALIVE, OLLAMA_MAX_LOADED_MODELS, OLLAMA_NUM_PARALLEL,
// OLLAMA_MAX_QUEUE, OLLAMA_ORIGINS, OLLAMA_KV_CACHE_TYPE,
// OLLAMA_CONTEXT_LENGTH, OLLAMA_DEBUG, OLLAMA_NOPRUNE, plus corral's own
// CORRAL_API_KEYS (comma-separated bearer tokens), CORRAL_HTTP_THREADS and
// CORRAL_MAX_REQUEST_MB.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "api/duration.h"
#include "kernels/attention.h"
#include "server/host_address.h"

namespace corral::server {

struct ServerConfig {
  HostAddress listen;
  std::filesystem::path models_dir;
  api::KeepAlive keep_alive{std::chrono::minutes(5), false};
  int max_loaded_models = 3;       // OLLAMA_MAX_LOADED_MODELS (0 -> 3 on CPU)
  int num_parallel = 1;            // slots per loaded model
  int max_queue = 512;             // requests waiting for a model or a slot
  std::vector<std::string> origins;  // extra CORS origins
  kernels::KvType kv_type = kernels::KvType::f16;
  std::int64_t context_length = 4096;  // default num_ctx
  bool debug = false;
  bool noprune = false;
  std::vector<std::string> api_keys;   // empty: no authentication
  int http_threads = 64;               // connection workers
  std::size_t max_request_bytes = 256u << 20;  // JSON bodies (blob uploads are streamed)
  int num_threads = 0;                 // compute threads per model (0: physical cores)

  using Getenv = std::function<std::optional<std::string>(const char*)>;
  // Reads the variables through `getenv` (default: the process environment).
  static ServerConfig from_env(const Getenv& getenv = {});
};

// Ollama's env value clean-up: surrounding spaces and quotes removed.
std::string clean_env_value(std::string_view v);
// Go's ParseBool; unparsable non-empty values count as true; empty as false.
bool env_bool(std::string_view v);

}  // namespace corral::server
