// AVX-512 matrix multiply for float weights: F32 x F32, F16 x F16-rounded
// activations, BF16 x BF16 (dpbf16 when the CPU has AVX512_BF16, else
// widened to F32). Register tiles of 4 weight rows x 4 tokens.
#include "kernels/gemm.h"
#include "kernels/gemm_tiling.h"
#include "kernels/simd_avx512.h"

namespace corral::kernels {
namespace {

using avx512::hsum;

// Loads 16 weights starting at k (masked for the tail) as floats.
struct F32Load {
  static constexpr std::size_t kElem = 4;
  static __m512 load(const std::uint8_t* row, std::int64_t k, __mmask16 m) {
    return _mm512_maskz_loadu_ps(m, reinterpret_cast<const float*>(row) + k);
  }
};
struct F16Load {
  static constexpr std::size_t kElem = 2;
  static __m512 load(const std::uint8_t* row, std::int64_t k, __mmask16 m) {
    return _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(m, reinterpret_cast<const std::uint16_t*>(row) + k));
  }
};
struct BF16Load {
  static constexpr std::size_t kElem = 2;
  static __m512 load(const std::uint8_t* row, std::int64_t k, __mmask16 m) {
    __m256i h = _mm256_maskz_loadu_epi16(m, reinterpret_cast<const std::uint16_t*>(row) + k);
    return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16));
  }
};

template <typename WLoad, typename XLoad>
struct FloatKernel {
  template <int R, int C>
  static void tile(const Matrix& w, const ActRows& a, std::int64_t r, std::int64_t t, float* y, std::int64_t ldy) {
    const std::int64_t n = w.n_in;
    __m512 acc[R][C];
    for (int i = 0; i < R; ++i)
      for (int j = 0; j < C; ++j) acc[i][j] = _mm512_setzero_ps();
    const std::uint8_t* wr[R];
    const std::uint8_t* xr[C];
    for (int i = 0; i < R; ++i) wr[i] = w.row(r + i);
    for (int j = 0; j < C; ++j) xr[j] = a.row(t + j);
    for (std::int64_t k = 0; k < n; k += 16) {
      const __mmask16 m = n - k >= 16 ? static_cast<__mmask16>(0xffff) : static_cast<__mmask16>((1u << (n - k)) - 1);
      __m512 wv[R];
      if ((k * WLoad::kElem) % 64 == 0)  // one line per row: the same offset one row group ahead
        for (int i = 0; i < R; ++i) avx512::prefetch_ahead(wr[i] + k * WLoad::kElem, R * w.row_bytes);
      for (int i = 0; i < R; ++i) wv[i] = WLoad::load(wr[i], k, m);
      for (int j = 0; j < C; ++j) {
        const __m512 xv = XLoad::load(xr[j], k, m);
        for (int i = 0; i < R; ++i) acc[i][j] = _mm512_fmadd_ps(wv[i], xv, acc[i][j]);
      }
    }
    for (int j = 0; j < C; ++j)
      for (int i = 0; i < R; ++i) y[(t + j) * ldy + r + i] = hsum(acc[i][j]);
  }
};

}  // namespace

// Defined in gemm_avx512_bf16.cpp (compiled with -mavx512bf16).
GemmFn gemm_avx512_bf16_native();

GemmFn gemm_avx512_float(TensorType t) {
  switch (t) {
    case TensorType::F32: return &gemm_tiled<FloatKernel<F32Load, F32Load>>;
    case TensorType::F16: return &gemm_tiled<FloatKernel<F16Load, F32Load>>;
    case TensorType::BF16:
      if (GemmFn f = gemm_avx512_bf16_native()) return f;
      return &gemm_tiled<FloatKernel<BF16Load, BF16Load>>;
    default: return nullptr;
  }
}

}  // namespace corral::kernels
