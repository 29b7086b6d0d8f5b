// KvCache storage.
#include "model/kv_cache.h"

#include <cstring>

#include "util/error.h"

namespace corral::model {

KvCache::KvCache(std::int64_t n_layer, std::int64_t n_seq, std::int64_t n_ctx, std::int64_t kv_dim_k,
                 std::int64_t kv_dim_v, KvType type)
    : n_layer_(n_layer), n_seq_(n_seq), n_ctx_(n_ctx), type_(type) {
  if (n_seq < 1 || n_ctx < 1) fail("invalid KV cache size ({} sequences x {} positions)", n_seq, n_ctx);
  if (type == KvType::q8_0 && (kv_dim_k % 32 != 0 || kv_dim_v % 32 != 0))
    fail("a q8_0 KV cache needs head sizes that are multiples of 32");
  k_row_ = kernels::kv_row_bytes(type, kv_dim_k);
  v_row_ = kernels::kv_row_bytes(type, kv_dim_v);
  const std::size_t rows = static_cast<std::size_t>(n_layer * n_seq * n_ctx);
  // Zero pages become resident only as positions are written.
  k_ = AnonBuffer(rows * k_row_);
  v_ = AnonBuffer(rows * v_row_);
  len_.assign(static_cast<std::size_t>(n_seq), 0);
}

void KvCache::move_rows(std::int64_t s, std::int64_t from, std::int64_t to, std::int64_t n) {
  for (std::int64_t l = 0; l < n_layer_; ++l) {
    std::memmove(k_row(l, s, to), k_row(l, s, from), static_cast<std::size_t>(n) * k_row_);
    std::memmove(v_row(l, s, to), v_row(l, s, from), static_cast<std::size_t>(n) * v_row_);
  }
}

}  // namespace corral::model
