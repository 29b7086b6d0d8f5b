// AVX-512 VNNI prompt-processing matmul on the packed layout (packed_gemm.h):
// for each group of 16 tokens and each sub-block, every weight row gets one
// int32 accumulator vector (lane = token) started at -128 * sum(levels) and
// fed by vpdpbusd with the broadcast 4-byte weight chunks; at the end of the
// sub-block it is scaled into a float accumulator. Up to 8 rows share each
// activation load.
#include <immintrin.h>

#include "kernels/packed_gemm.h"

namespace corral::kernels {
namespace {

template <int BS, bool MIN, int R>
void rows_kernel(const WeightTile& wt, std::int64_t t0, const PackedActs& pa, float* y, std::int64_t ldy,
                 std::int64_t col0) {
  const std::int64_t nb = wt.nb, k = wt.k;
  for (std::int64_t g = 0; g < pa.n_groups; ++g) {
    __m512 acc[R];
    for (int r = 0; r < R; ++r) acc[r] = _mm512_setzero_ps();
    for (std::int64_t b = 0; b < nb; ++b) {
      __m512i ai[R];
      for (int r = 0; r < R; ++r) ai[r] = _mm512_set1_epi32(wt.corr[static_cast<std::size_t>((t0 + r) * nb + b)]);
      const std::uint8_t* xq = pa.q_at(g, b);
      const std::int8_t* wq = wt.q.data() + t0 * k + b * BS;
#pragma GCC unroll 8
      for (int k4 = 0; k4 < BS / 4; ++k4) {
        const __m512i x = _mm512_loadu_si512(xq + k4 * 64);
        for (int r = 0; r < R; ++r) {
          std::int32_t w4;
          __builtin_memcpy(&w4, wq + r * k + 4 * k4, 4);
          ai[r] = _mm512_dpbusd_epi32(ai[r], x, _mm512_set1_epi32(w4));
        }
      }
      const __m512 dx = _mm512_loadu_ps(pa.dx_at(g, b));
      for (int r = 0; r < R; ++r) {
        const __m512 s = _mm512_mul_ps(dx, _mm512_set1_ps(wt.d[static_cast<std::size_t>((t0 + r) * nb + b)]));
        acc[r] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(ai[r]), s, acc[r]);
      }
      if constexpr (MIN) {
        const __m512 mx = _mm512_loadu_ps(pa.mx_at(g, b));
        for (int r = 0; r < R; ++r)
          acc[r] = _mm512_fmadd_ps(mx, _mm512_set1_ps(wt.m[static_cast<std::size_t>((t0 + r) * nb + b)]), acc[r]);
      }
    }
    const std::int64_t valid = pa.m - g * kPackTokens < kPackTokens ? pa.m - g * kPackTokens : kPackTokens;
    alignas(64) float lanes[kPackTokens];
    for (int r = 0; r < R; ++r) {
      _mm512_store_ps(lanes, acc[r]);
      for (std::int64_t l = 0; l < valid; ++l) y[(g * kPackTokens + l) * ldy + col0 + t0 + r] = lanes[l];
    }
  }
}

template <int BS, bool MIN>
void tile_rows(const WeightTile& wt, const PackedActs& pa, float* y, std::int64_t ldy, std::int64_t col0) {
  std::int64_t r = 0;
  for (; r + 8 <= wt.rows; r += 8) rows_kernel<BS, MIN, 8>(wt, r, pa, y, ldy, col0);
  if (wt.rows - r >= 4) {
    rows_kernel<BS, MIN, 4>(wt, r, pa, y, ldy, col0);
    r += 4;
  }
  for (; r < wt.rows; ++r) rows_kernel<BS, MIN, 1>(wt, r, pa, y, ldy, col0);
}

}  // namespace

// Rows [r0, r1) of w times the packed activations; expands 8 weight rows at a time.
void packed_gemm_avx512(const Matrix& w, const PackedActs& pa, std::int64_t r0, std::int64_t r1, float* y,
                        std::int64_t ldy, WeightTile& tile) {
  constexpr std::int64_t kTileRows = 32;
  for (std::int64_t r = r0; r < r1; r += kTileRows) {
    const std::int64_t n = r1 - r < kTileRows ? r1 - r : kTileRows;
    unpack_weight_rows(w, r, n, tile);
    if (pa.bs == 32) {
      if (pa.has_min)
        tile_rows<32, true>(tile, pa, y, ldy, r);
      else
        tile_rows<32, false>(tile, pa, y, ldy, r);
    } else {
      if (pa.has_min)
        tile_rows<16, true>(tile, pa, y, ldy, r);
      else
        tile_rows<16, false>(tile, pa, y, ldy, r);
    }
  }
}

}  // namespace corral::kernels
