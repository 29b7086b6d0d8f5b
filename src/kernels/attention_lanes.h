// Attention for up to 16 (token, query head) "lanes" that share one KV head
// of one sequence, evaluated together: scores for a tile of keys are computed
// with one key element broadcast against 16 lanes' queries, the online softmax
// runs lane-parallel, and the weighted V sum accumulates into a transposed
// [head_dim][16] buffer. Used for F16 caches on AVX-512; attend() remains the
// portable path and the reference the tests compare against.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "kernels/attention.h"

namespace corral::kernels {

struct AttnLane {
  const float* q = nullptr;  // [head_dim], this lane's roped query
  std::int64_t n_kv = 0;     // keys 0 .. n_kv-1 are visible (causal)
  float* out = nullptr;      // [head_dim]
};

// Floats of scratch attend_lanes() needs.
std::size_t attend_lanes_scratch_floats(std::int64_t head_dim);

// Whether attend_lanes() can run on this CPU for the given shape.
bool attend_lanes_supported(const AttentionShape& s);

// lanes.size() <= 16; k/v point at row 0 of the sequence; kv_head selects the head.
void attend_lanes(const AttentionShape& s, std::span<const AttnLane> lanes, const std::uint8_t* k,
                  std::size_t k_stride, const std::uint8_t* v, std::size_t v_stride, std::int64_t kv_head,
                  float* scratch);

}  // namespace corral::kernels
