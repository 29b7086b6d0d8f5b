// Ollama's model options (the request "options" object and the Modelfile
// params layer) read into typed values: sampling options for the runner,
// load options that decide how a model is loaded (a change means a reload),
// and num_keep. Keys and types follow api.Options; wrong JSON types give
// Ollama's errors (`option "num_ctx" must be of type integer`); unknown keys
// are ignored with a warning.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sample/sampling_params.h"

namespace corral::api {

// Options fixed when a model is loaded. Zero / unset means "automatic".
struct LoadOptions {
  std::int64_t num_ctx = 0;     // per-slot context; 0: server default
  std::int64_t num_batch = 0;   // tokens per forward pass; 0: 512
  std::int64_t num_gpu = -1;    // accepted for compatibility (CPU engine)
  std::int64_t main_gpu = 0;    // accepted for compatibility
  std::int64_t num_thread = 0;  // 0: physical cores
  std::optional<bool> use_mmap;
  std::int64_t draft_num_predict = 0;
  bool operator==(const LoadOptions&) const = default;
};

struct ModelOptions {
  sample::SamplingParams sampling;  // Ollama defaults
  int num_keep = 4;
  LoadOptions load;
};

// Applies the keys of `options` (a JSON object; null is "nothing") over
// `out`. Throws Error with Ollama's text for a value of the wrong type, or
// `options must be an object` when it is not an object.
void apply_options(const nlohmann::ordered_json& options, ModelOptions& out);
void apply_options(const nlohmann::json& options, ModelOptions& out);

// Keys of `options` that are not Ollama options (logged by the caller).
std::vector<std::string> unknown_option_keys(const nlohmann::ordered_json& options);

}  // namespace corral::api
