// AVX512_BF16 kernel for BF16 weights x BF16 activations (vdpbf16ps), used
// only when the CPU reports AVX512_BF16. Tiles of 4 rows x 4 tokens.
#include "kernels/gemm.h"
#include "kernels/gemm_tiling.h"
#include "kernels/simd_avx512.h"
#include "util/cpu_features.h"

namespace corral::kernels {
namespace {

struct Bf16Kernel {
  template <int R, int C>
  static void tile(const Matrix& w, const ActRows& a, std::int64_t r, std::int64_t t, float* y, std::int64_t ldy) {
    const std::int64_t n = w.n_in;
    __m512 acc[R][C];
    for (int i = 0; i < R; ++i)
      for (int j = 0; j < C; ++j) acc[i][j] = _mm512_setzero_ps();
    const std::uint16_t* wr[R];
    const std::uint16_t* xr[C];
    for (int i = 0; i < R; ++i) wr[i] = reinterpret_cast<const std::uint16_t*>(w.row(r + i));
    for (int j = 0; j < C; ++j) xr[j] = reinterpret_cast<const std::uint16_t*>(a.row(t + j));
    for (std::int64_t k = 0; k < n; k += 32) {
      const __mmask32 m = n - k >= 32 ? ~__mmask32{0} : static_cast<__mmask32>((1ull << (n - k)) - 1);
      __m512bh wv[R];
      for (int i = 0; i < R; ++i) wv[i] = reinterpret_cast<__m512bh>(_mm512_maskz_loadu_epi16(m, wr[i] + k));
      for (int j = 0; j < C; ++j) {
        const __m512bh xv = reinterpret_cast<__m512bh>(_mm512_maskz_loadu_epi16(m, xr[j] + k));
        for (int i = 0; i < R; ++i) acc[i][j] = _mm512_dpbf16_ps(acc[i][j], wv[i], xv);
      }
    }
    for (int j = 0; j < C; ++j)
      for (int i = 0; i < R; ++i) y[(t + j) * ldy + r + i] = _mm512_reduce_add_ps(acc[i][j]);
  }
};

}  // namespace

GemmFn gemm_avx512_bf16_native() { return cpu_features().avx512bf16 ? &gemm_tiled<Bf16Kernel> : nullptr; }

}  // namespace corral::kernels
