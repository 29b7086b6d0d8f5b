// Attention over a KV cache (F16, F32 or Q8_0 rows) with a tiled online softmax.
#include "kernels/attention.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "kernels/act_rows.h"
#include "kernels/vec_f16.h"
#include "quant/blocks.h"
#include "quant/dequantize.h"
#include "util/fp16.h"

namespace corral::kernels {
namespace {

// Keys per tile. When all keys fit in one tile the weights are normalised
// before rounding, exactly as the reference (which materialises the whole
// row) does; longer contexts use the online rescaling.
constexpr std::int64_t kTile = 256;

// Dot of a query (already in the cache's multiply precision) with one cached head vector.
inline float dot_cached(KvType t, const float* q, const std::uint8_t* kh, std::int64_t d, const VecF16Ops& ops,
                        float* tmp) {
  switch (t) {
    case KvType::f16: return ops.dot_f32_f16(q, reinterpret_cast<const std::uint16_t*>(kh), d);
    case KvType::f32: {
      const float* kf = reinterpret_cast<const float*>(kh);
      float s = 0;
      for (std::int64_t i = 0; i < d; ++i) s += q[i] * kf[i];
      return s;
    }
    case KvType::q8_0: {
      quant::dequantize_row(TensorType::Q8_0, kh, tmp, d);
      float s = 0;
      for (std::int64_t i = 0; i < d; ++i) s += q[i] * tmp[i];
      return s;
    }
  }
  return 0;
}

// acc += w * cached value vector.
inline void axpy_cached(KvType t, float w, const std::uint8_t* vh, float* acc, std::int64_t d, const VecF16Ops& ops,
                        float* tmp) {
  const float* vf = nullptr;
  switch (t) {
    case KvType::f16: ops.axpy_f16(w, reinterpret_cast<const std::uint16_t*>(vh), acc, d); return;
    case KvType::f32: vf = reinterpret_cast<const float*>(vh); break;
    case KvType::q8_0:
      quant::dequantize_row(TensorType::Q8_0, vh, tmp, d);
      vf = tmp;
      break;
  }
  for (std::int64_t i = 0; i < d; ++i) acc[i] += w * vf[i];
}

}  // namespace

std::size_t kv_row_bytes(KvType t, std::int64_t kv_dim) {
  switch (t) {
    case KvType::f16: return static_cast<std::size_t>(kv_dim) * 2;
    case KvType::f32: return static_cast<std::size_t>(kv_dim) * 4;
    case KvType::q8_0: return static_cast<std::size_t>(kv_dim / 32) * sizeof(quant::BlockQ8_0);
  }
  return 0;
}

void kv_store_row(KvType t, const float* x, std::uint8_t* dst, std::int64_t kv_dim) {
  switch (t) {
    case KvType::f16: vec_f16_ops().to_f16(x, reinterpret_cast<std::uint16_t*>(dst), kv_dim); break;
    case KvType::f32: std::memcpy(dst, x, static_cast<std::size_t>(kv_dim) * 4); break;
    case KvType::q8_0: {
      thread_local std::vector<std::int32_t> sums;
      sums.resize(static_cast<std::size_t>(kv_dim / 32));
      quantize_row_q8_0(x, dst, sums.data(), kv_dim);
      break;
    }
  }
}

void kv_load_row(KvType t, const std::uint8_t* src, float* x, std::int64_t kv_dim) {
  switch (t) {
    case KvType::f16:
      for (std::int64_t i = 0; i < kv_dim; ++i) {
        std::uint16_t h;
        std::memcpy(&h, src + 2 * i, 2);
        x[i] = fp16_to_fp32(h);
      }
      break;
    case KvType::f32: std::memcpy(x, src, static_cast<std::size_t>(kv_dim) * 4); break;
    case KvType::q8_0: quant::dequantize_row(TensorType::Q8_0, src, x, kv_dim); break;
  }
}

std::size_t attention_scratch_floats(const AttentionShape& s) {
  const std::int64_t g = s.n_head / s.n_head_kv;
  // scores [g][tile], queries [g][d], running max and sum [g] each, a dequantized row [d]
  return static_cast<std::size_t>(g * kTile + g * s.head_dim + 2 * g + s.head_dim + 64);
}

void attend(const AttentionShape& s, const float* q, const std::uint8_t* k, std::size_t k_stride,
            const std::uint8_t* v, std::size_t v_stride, std::int64_t n_kv, std::int64_t kv_head, float* out,
            float* scratch) {
  const std::int64_t g = s.n_head / s.n_head_kv;
  const std::int64_t d = s.head_dim;
  const std::int64_t h0 = kv_head * g;
  const VecF16Ops& ops = vec_f16_ops();
  float* scores = scratch;          // [g][kTile]
  float* qs = scores + g * kTile;   // [g][d]
  float* run_max = qs + g * d;      // [g]
  float* run_sum = run_max + g;     // [g]
  float* tmp = run_sum + g;         // [d]
  const std::size_t head_off = kv_row_bytes(s.kv, d) * static_cast<std::size_t>(kv_head);

  // Queries in the precision the reference multiplies them in.
  for (std::int64_t j = 0; j < g; ++j) {
    const float* qh = q + (h0 + j) * d;
    float* dst = qs + j * d;
    if (s.kv == KvType::f16) {
      for (std::int64_t i = 0; i < d; ++i) dst[i] = round_fp16(qh[i]);
    } else if (s.kv == KvType::q8_0) {
      thread_local std::vector<std::uint8_t> qq;
      thread_local std::vector<std::int32_t> sums;
      qq.resize(kv_row_bytes(KvType::q8_0, d));
      sums.resize(static_cast<std::size_t>(d / 32));
      quantize_row_q8_0(qh, qq.data(), sums.data(), d);
      quant::dequantize_row(TensorType::Q8_0, qq.data(), dst, d);
    } else {
      std::memcpy(dst, qh, static_cast<std::size_t>(d) * 4);
    }
    run_max[j] = -std::numeric_limits<float>::infinity();
    run_sum[j] = 0.0f;
    std::memset(out + (h0 + j) * d, 0, static_cast<std::size_t>(d) * 4);
  }

  for (std::int64_t p0 = 0; p0 < n_kv; p0 += kTile) {
    const std::int64_t pn = std::min(kTile, n_kv - p0);
    // Scores of the tile; each K row is loaded once for all heads of the group.
    for (std::int64_t p = 0; p < pn; ++p) {
      const std::uint8_t* kh = k + static_cast<std::size_t>(p0 + p) * k_stride + head_off;
      for (std::int64_t j = 0; j < g; ++j) scores[j * kTile + p] = dot_cached(s.kv, qs + j * d, kh, d, ops, tmp) * s.scale;
    }
    for (std::int64_t j = 0; j < g; ++j) {
      float* sc = scores + j * kTile;
      float* o = out + (h0 + j) * d;
      float m = run_max[j];
      for (std::int64_t p = 0; p < pn; ++p) m = std::max(m, sc[p]);
      if (m != run_max[j]) {  // rescale what was accumulated under the old maximum
        const float alpha = std::exp(run_max[j] - m);
        run_sum[j] *= alpha;
        for (std::int64_t i = 0; i < d; ++i) o[i] *= alpha;
        run_max[j] = m;
      }
      const bool single_tile = n_kv <= kTile;
      float tile_sum = 0;
      for (std::int64_t p = 0; p < pn; ++p) {
        sc[p] = std::exp(sc[p] - m);
        tile_sum += sc[p];
      }
      run_sum[j] += tile_sum;
      const float norm = single_tile ? 1.0f / tile_sum : 1.0f;
      for (std::int64_t p = 0; p < pn; ++p) {
        const float wgt = sc[p] * norm;
        const std::uint8_t* vh = v + static_cast<std::size_t>(p0 + p) * v_stride + head_off;
        axpy_cached(s.kv, s.kv == KvType::f16 ? round_fp16(wgt) : wgt, vh, o, d, ops, tmp);
      }
      if (single_tile) run_sum[j] = 1.0f;
    }
  }
  for (std::int64_t j = 0; j < g; ++j) {
    float* o = out + (h0 + j) * d;
    const float inv = 1.0f / run_sum[j];
    for (std::int64_t i = 0; i < d; ++i) o[i] *= inv;
  }
}

}  // namespace corral::kernels
