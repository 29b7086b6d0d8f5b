// Attention of one query token over the cached keys/values of its sequence,
// for one KV head and the query heads that share it (GQA). Keys are visited
// in tiles with an online softmax (running max and sum, rescaled
// accumulator), so memory does not grow with the context: no score matrix,
// not even a score row. Rounding follows the reference where it can: with an
// F16 cache, Q is rounded to F16 for Q·K and the (unnormalised) weights to
// F16 for ·V; with a Q8_0 cache, Q is quantized to Q8_0.
#pragma once

#include <cstddef>
#include <cstdint>

namespace corral::kernels {

enum class KvType { f16, f32, q8_0 };

struct AttentionShape {
  std::int64_t n_head = 0;
  std::int64_t n_head_kv = 0;
  std::int64_t head_dim = 0;
  float scale = 1.0f;  // applied to Q·K before the softmax
  KvType kv = KvType::f16;
};

// Bytes one cached row (all KV heads of one position) takes.
std::size_t kv_row_bytes(KvType t, std::int64_t kv_dim);
// Writes a row of kv_dim floats into the cache format.
void kv_store_row(KvType t, const float* x, std::uint8_t* dst, std::int64_t kv_dim);
// Reads a row back to floats.
void kv_load_row(KvType t, const std::uint8_t* src, float* x, std::int64_t kv_dim);

// Scratch floats attend() needs (independent of the context length).
std::size_t attention_scratch_floats(const AttentionShape& s);

// q: [n_head][head_dim] (this token's roped queries); k/v: n_kv cache rows with
// the given strides; out: [n_head][head_dim]. Handles query heads
// kv_head*g .. (kv_head+1)*g - 1 where g = n_head / n_head_kv.
void attend(const AttentionShape& s, const float* q, const std::uint8_t* k, std::size_t k_stride,
            const std::uint8_t* v, std::size_t v_stride, std::int64_t n_kv, std::int64_t kv_head, float* out,
            float* scratch);

}  // namespace corral::kernels
