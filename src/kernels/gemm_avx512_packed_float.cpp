// AVX-512 prompt-processing matmul for float weights on the packed layout
// (packed_float.h): 8 weight rows at a time, each weight value broadcast and
// multiplied with 16 tokens in one FMA.
#include <immintrin.h>

#include <vector>

#include "kernels/packed_float.h"

namespace corral::kernels {
namespace {

template <int R>
void rows_kernel(const float* wf, std::int64_t k, const PackedFloatActs& pa, float* y, std::int64_t ldy,
                 std::int64_t col0) {
  for (std::int64_t g = 0; g < pa.n_groups; ++g) {
    __m512 acc[R];
    for (int r = 0; r < R; ++r) acc[r] = _mm512_setzero_ps();
    const float* x = pa.at(g);
    for (std::int64_t i = 0; i < k; ++i) {
      const __m512 xv = _mm512_loadu_ps(x + i * 16);
      for (int r = 0; r < R; ++r) acc[r] = _mm512_fmadd_ps(_mm512_set1_ps(wf[i * R + r]), xv, acc[r]);
    }
    const std::int64_t valid = pa.m - g * 16 < 16 ? pa.m - g * 16 : 16;
    alignas(64) float lanes[16];
    for (int r = 0; r < R; ++r) {
      _mm512_store_ps(lanes, acc[r]);
      for (std::int64_t l = 0; l < valid; ++l) y[(g * 16 + l) * ldy + col0 + r] = lanes[l];
    }
  }
}

}  // namespace

void packed_float_gemm_avx512(const Matrix& w, const PackedFloatActs& pa, std::int64_t r0, std::int64_t r1, float* y,
                              std::int64_t ldy, std::vector<float>& tile) {
  std::int64_t r = r0;
  for (; r + 8 <= r1; r += 8) {
    expand_float_rows(w, r, 8, tile);
    rows_kernel<8>(tile.data(), w.n_in, pa, y, ldy, r);
  }
  for (; r < r1; ++r) {
    expand_float_rows(w, r, 1, tile);
    rows_kernel<1>(tile.data(), w.n_in, pa, y, ldy, r);
  }
}

}  // namespace corral::kernels
