// Memory estimate and available-memory probe.
#include "server/memory_check.h"

#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "model/hparams.h"

namespace corral::server {

namespace {

double kv_bytes_per_value(kernels::KvType t) {
  switch (t) {
    case kernels::KvType::f32: return 4.0;
    case kernels::KvType::f16: return 2.0;
    case kernels::KvType::q8_0: return 34.0 / 32.0;
  }
  return 2.0;
}

std::int64_t read_cgroup_value(const char* path) {
  std::ifstream in(path);
  std::string s;
  if (!(in >> s) || s == "max") return -1;
  try {
    return std::stoll(s);
  } catch (...) {
    return -1;
  }
}

}  // namespace

MemoryEstimate estimate_memory(const model::ModelParams& p, std::int64_t file_size, std::int64_t n_ctx,
                               std::int64_t n_parallel, std::int64_t n_batch, kernels::KvType kv_type) {
  MemoryEstimate e;
  e.weights = file_size;
  const double per_pos = static_cast<double>(p.kv_dim_k() + p.kv_dim_v()) * kv_bytes_per_value(kv_type);
  e.kv_cache = static_cast<std::int64_t>(per_pos * static_cast<double>(p.n_layer) * static_cast<double>(n_ctx) *
                                         static_cast<double>(n_parallel));
  // Activations of one batch (hidden, attention, feed-forward rows) plus the
  // logits rows of every slot, in f32.
  const std::int64_t rows = std::max<std::int64_t>(n_batch, 1);
  e.compute = 4 * (rows * (6 * p.n_embd + 3 * p.n_ff + p.q_dim() * 2) + n_parallel * p.n_vocab * 2);
  return e;
}

std::int64_t available_memory_bytes() {
  std::int64_t avail = -1;
  std::ifstream in("/proc/meminfo");
  std::string key;
  std::int64_t kb = 0;
  std::string unit;
  while (in >> key >> kb) {
    std::getline(in, unit);
    if (key == "MemAvailable:") {
      avail = kb * 1024;
      break;
    }
  }
  // A container's memory limit can be tighter than the machine's free memory.
  const std::int64_t limit = read_cgroup_value("/sys/fs/cgroup/memory.max");
  const std::int64_t used = read_cgroup_value("/sys/fs/cgroup/memory.current");
  if (limit > 0 && used >= 0) {
    const std::int64_t room = std::max<std::int64_t>(limit - used, 0);
    if (avail < 0 || room < avail) avail = room;
  }
  return avail;
}

std::string format_gib(std::int64_t bytes) {
  return fmt::format("{:.1f} GiB", static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0));
}

std::string memory_error(std::int64_t required, std::int64_t available) {
  return fmt::format("model requires more system memory ({}) than is available ({})", format_gib(required),
                     format_gib(available));
}

}  // namespace corral::server
