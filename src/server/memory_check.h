// The pre-load memory check: a rough estimate of what loading a model takes
// (weights = file size, KV cache for every slot, compute buffers) against
// the memory the system can give without swapping (MemAvailable, and the
// cgroup limit when one is set). A model that does not fit is refused with
// Ollama's legacy text: "model requires more system memory (X GiB) than is
// available (Y GiB)".
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "kernels/attention.h"

namespace corral::model {
struct ModelParams;
}

namespace corral::server {

struct MemoryEstimate {
  std::int64_t weights = 0;
  std::int64_t kv_cache = 0;
  std::int64_t compute = 0;
  std::int64_t total() const { return weights + kv_cache + compute; }
};

MemoryEstimate estimate_memory(const model::ModelParams& params, std::int64_t file_size, std::int64_t n_ctx,
                               std::int64_t n_parallel, std::int64_t n_batch, kernels::KvType kv_type);

// Bytes obtainable without swapping; -1 when unknown (no check is made).
std::int64_t available_memory_bytes();

using MemoryProbe = std::function<std::int64_t()>;

// "1.5 GiB".
std::string format_gib(std::int64_t bytes);

std::string memory_error(std::int64_t required, std::int64_t available);

}  // namespace corral::server
