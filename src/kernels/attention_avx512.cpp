// AVX-512 lane-parallel attention over an F16 KV cache (attention_lanes.h).
// Numerics follow attend(): Q rounded to F16; when all keys fit in one tile
// the weights are normalised before being rounded to F16 (as the reference),
// otherwise the online softmax rounds the unnormalised weights.
#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "kernels/attention_lanes.h"

namespace corral::kernels {
namespace {

constexpr std::int64_t kTile = 256;
constexpr int kLanes = 16;

// e^x for x <= 0 (x = -inf gives 0): range reduction to 2^n * e^r, degree-7
// polynomial; relative error about 1e-7.
inline __m512 exp_neg(__m512 x) {
  const __m512 lowest = _mm512_set1_ps(-87.0f);
  const __mmask16 live = _mm512_cmp_ps_mask(x, lowest, _CMP_GE_OQ);
  const __m512 c = _mm512_max_ps(x, lowest);
  const __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(c, _mm512_set1_ps(1.44269504088896341f)),
                                        _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693145751953125f), c);
  r = _mm512_fnmadd_ps(n, _mm512_set1_ps(1.42860682030941723212e-6f), r);
  __m512 p = _mm512_set1_ps(1.0f / 5040.0f);
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 720.0f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 120.0f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 24.0f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 6.0f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(0.5f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f));
  return _mm512_maskz_mov_ps(live, _mm512_scalef_ps(p, n));
}

inline __m512 round_f16(__m512 x) {
  return _mm512_cvtph_ps(_mm512_cvtps_ph(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
}

}  // namespace

std::size_t attend_lanes_scratch_floats(std::int64_t head_dim) {
  // qT [d][16], oT [d][16], scores [tile][16], one key/value row [d], alignment slack
  return static_cast<std::size_t>(2 * head_dim * kLanes + kTile * kLanes + head_dim + 64);
}

bool attend_lanes_supported(const AttentionShape& s) {
  return s.kv == KvType::f16 && s.head_dim % 16 == 0 && s.head_dim <= 256;
}

void attend_lanes(const AttentionShape& s, std::span<const AttnLane> lanes, const std::uint8_t* k,
                  std::size_t k_stride, const std::uint8_t* v, std::size_t v_stride, std::int64_t kv_head,
                  float* scratch) {
  const std::int64_t d = s.head_dim;
  const int nl = static_cast<int>(lanes.size());
  float* base = reinterpret_cast<float*>((reinterpret_cast<std::uintptr_t>(scratch) + 63) & ~std::uintptr_t{63});
  float* qT = base;               // [d][16]
  float* oT = qT + d * kLanes;    // [d][16]
  float* sc = oT + d * kLanes;    // [tile][16]
  float* row = sc + kTile * kLanes;  // [d]
  const std::size_t head_off = static_cast<std::size_t>(kv_head * d) * 2;

  std::int64_t n_kv = 0, min_kv = INT64_MAX;
  alignas(64) float limit[kLanes];
  for (int l = 0; l < kLanes; ++l) {
    const bool live = l < nl;
    limit[l] = live ? static_cast<float>(lanes[l].n_kv) : 0.0f;
    if (live) {
      n_kv = std::max(n_kv, lanes[l].n_kv);
      min_kv = std::min(min_kv, lanes[l].n_kv);
    }
  }
  const __m512 vlimit = _mm512_load_ps(limit);
  // Queries transposed, rounded to F16 as the reference multiplies them.
  for (std::int64_t i = 0; i < d; ++i) {
    alignas(64) float col[kLanes] = {};
    for (int l = 0; l < nl; ++l) col[l] = lanes[l].q[i];
    _mm512_store_ps(qT + i * kLanes, round_f16(_mm512_load_ps(col)));
    _mm512_store_ps(oT + i * kLanes, _mm512_setzero_ps());
  }
  const __m512 scale = _mm512_set1_ps(s.scale);
  const bool single_tile = n_kv <= kTile;
  __m512 run_max = _mm512_set1_ps(-INFINITY), run_sum = _mm512_setzero_ps();

  for (std::int64_t p0 = 0; p0 < n_kv; p0 += kTile) {
    const std::int64_t pn = std::min(kTile, n_kv - p0);
    // Scores [p][lanes], masked past each lane's causal limit.
    __m512 tile_max = _mm512_set1_ps(-INFINITY);
    for (std::int64_t p = 0; p < pn; ++p) {
      const auto* kr = reinterpret_cast<const __m256i*>(k + static_cast<std::size_t>(p0 + p) * k_stride + head_off);
      for (std::int64_t i = 0; i < d; i += 16)
        _mm512_store_ps(row + i, _mm512_cvtph_ps(_mm256_loadu_si256(kr + i / 16)));
      __m512 acc0 = _mm512_setzero_ps(), acc1 = _mm512_setzero_ps();
      for (std::int64_t i = 0; i < d; i += 2) {
        acc0 = _mm512_fmadd_ps(_mm512_set1_ps(row[i]), _mm512_load_ps(qT + i * kLanes), acc0);
        acc1 = _mm512_fmadd_ps(_mm512_set1_ps(row[i + 1]), _mm512_load_ps(qT + (i + 1) * kLanes), acc1);
      }
      __m512 sv = _mm512_mul_ps(_mm512_add_ps(acc0, acc1), scale);
      const __mmask16 visible = _mm512_cmp_ps_mask(_mm512_set1_ps(static_cast<float>(p0 + p)), vlimit, _CMP_LT_OQ);
      sv = _mm512_mask_mov_ps(_mm512_set1_ps(-INFINITY), visible, sv);
      tile_max = _mm512_max_ps(tile_max, sv);
      _mm512_store_ps(sc + p * kLanes, sv);
    }
    const __m512 new_max = _mm512_max_ps(run_max, tile_max);
    // Lanes with no visible key yet keep -inf: use 0 there to avoid inf - inf.
    const __mmask16 has = _mm512_cmp_ps_mask(new_max, _mm512_set1_ps(-INFINITY), _CMP_NEQ_OQ);
    const __m512 safe_max = _mm512_maskz_mov_ps(has, new_max);
    const __m512 alpha = exp_neg(_mm512_sub_ps(run_max, safe_max));
    run_max = new_max;
    __m512 tile_sum = _mm512_setzero_ps();
    for (std::int64_t p = 0; p < pn; ++p) {
      const __m512 e = exp_neg(_mm512_sub_ps(_mm512_load_ps(sc + p * kLanes), safe_max));
      _mm512_store_ps(sc + p * kLanes, e);
      tile_sum = _mm512_add_ps(tile_sum, e);
    }
    run_sum = _mm512_fmadd_ps(run_sum, alpha, tile_sum);
    const __m512 norm = single_tile ? _mm512_div_ps(_mm512_set1_ps(1.0f), tile_sum) : _mm512_set1_ps(1.0f);
    for (std::int64_t p = 0; p < pn; ++p)
      _mm512_store_ps(sc + p * kLanes, round_f16(_mm512_mul_ps(_mm512_load_ps(sc + p * kLanes), norm)));
    // oT = oT * alpha + sum_p w[p] * V[p], 16 dims at a time.
    for (std::int64_t i0 = 0; i0 < d; i0 += 16) {
      __m512 o[16];
      for (int j = 0; j < 16; ++j) o[j] = _mm512_mul_ps(_mm512_load_ps(oT + (i0 + j) * kLanes), alpha);
      for (std::int64_t p = 0; p < pn; ++p) {
        const auto* vr = reinterpret_cast<const __m256i*>(v + static_cast<std::size_t>(p0 + p) * v_stride + head_off);
        alignas(64) float vv[16];
        _mm512_store_ps(vv, _mm512_cvtph_ps(_mm256_loadu_si256(vr + i0 / 16)));
        const __m512 w = _mm512_load_ps(sc + p * kLanes);
        for (int j = 0; j < 16; ++j) o[j] = _mm512_fmadd_ps(_mm512_set1_ps(vv[j]), w, o[j]);
      }
      for (int j = 0; j < 16; ++j) _mm512_store_ps(oT + (i0 + j) * kLanes, o[j]);
    }
  }
  // out[l][i] = oT[i][l] / sum[l]
  const __m512 inv = single_tile ? _mm512_set1_ps(1.0f) : _mm512_div_ps(_mm512_set1_ps(1.0f), run_sum);
  for (std::int64_t i = 0; i < d; ++i) {
    alignas(64) float col[kLanes];
    _mm512_store_ps(col, _mm512_mul_ps(_mm512_load_ps(oT + i * kLanes), inv));
    for (int l = 0; l < nl; ++l) lanes[l].out[i] = col[l];
  }
  (void)min_kv;
}

}  // namespace corral::kernels
