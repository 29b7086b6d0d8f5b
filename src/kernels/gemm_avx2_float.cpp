// AVX2 matrix multiply for float weights: F32 x F32, F16 x F16-rounded
// activations (kept as floats), BF16 x BF16; everything widened to F32 and
// multiplied with FMA. Register tiles of up to 4 rows x 2 tokens; the row
// tail (n not a multiple of 8) goes through zero-padded 8-value buffers.
#include "kernels/gemm.h"
#include "kernels/gemm_tiling.h"
#include "kernels/simd_avx2.h"

namespace corral::kernels {
namespace {

using avx2::act_row;
using avx2::weight_row;

// 8 values starting at element k of a row, as floats.
struct F32Load {
  static constexpr int kElem = 4;
  static __m256 load(const std::uint8_t* row, std::int64_t k) {
    return _mm256_loadu_ps(reinterpret_cast<const float*>(row) + k);
  }
};
struct F16Load {
  static constexpr int kElem = 2;
  static __m256 load(const std::uint8_t* row, std::int64_t k) {
    return _mm256_cvtph_ps(avx2::load128(row + 2 * k));
  }
};
struct BF16Load {
  static constexpr int kElem = 2;
  static __m256 load(const std::uint8_t* row, std::int64_t k) {
    const __m256i wide = _mm256_cvtepu16_epi32(avx2::load128(row + 2 * k));
    return _mm256_castsi256_ps(_mm256_slli_epi32(wide, 16));
  }
};

template <typename WLoad, typename XLoad>
struct FloatKernel {

  template <int R, int C>
  static void sub(const Matrix& w, const ActRows& a, std::int64_t r, std::int64_t t, float* y, std::int64_t ldy) {
    const std::int64_t n = w.n_in;
    const std::int64_t n8 = n / 8 * 8;
    __m256 acc[R][C];
    for (int i = 0; i < R; ++i)
      for (int j = 0; j < C; ++j) acc[i][j] = _mm256_setzero_ps();
    const std::uint8_t* wr[R];
    const std::uint8_t* xr[C];
    for (int i = 0; i < R; ++i) wr[i] = weight_row(w, r + i);
    for (int j = 0; j < C; ++j) xr[j] = act_row(a, t + j);
    auto step = [&](const std::uint8_t* const* wp, const std::uint8_t* const* xp, std::int64_t k) {
      __m256 wv[R];
      for (int i = 0; i < R; ++i) {
        avx2::prefetch_ahead(wp[i] + k * WLoad::kElem, R * w.row_bytes);  // same offset, next row group
        wv[i] = WLoad::load(wp[i], k);
      }
      for (int j = 0; j < C; ++j) {
        const __m256 xv = XLoad::load(xp[j], k);
        for (int i = 0; i < R; ++i) acc[i][j] = _mm256_fmadd_ps(wv[i], xv, acc[i][j]);
      }
    };
    for (std::int64_t k = 0; k < n8; k += 8) step(wr, xr, k);
    if (n8 < n) {  // tail: copy the last n - n8 values into zeroed 8-value buffers
      const std::size_t wbytes = static_cast<std::size_t>(n - n8) * WLoad::kElem;
      const std::size_t xbytes = static_cast<std::size_t>(n - n8) * XLoad::kElem;
      alignas(32) std::uint8_t wbuf[R][32] = {};
      alignas(32) std::uint8_t xbuf[C][32] = {};
      const std::uint8_t* wp[R];
      const std::uint8_t* xp[C];
      for (int i = 0; i < R; ++i) {
        std::memcpy(wbuf[i], wr[i] + n8 * WLoad::kElem, wbytes);
        wp[i] = wbuf[i];
      }
      for (int j = 0; j < C; ++j) {
        std::memcpy(xbuf[j], xr[j] + n8 * XLoad::kElem, xbytes);
        xp[j] = xbuf[j];
      }
      step(wp, xp, 0);
    }
    for (int j = 0; j < C; ++j)
      for (int i = 0; i < R; ++i) y[(t + j) * ldy + r + i] = avx2::hsum(acc[i][j]);
  }

  template <int R, int C>
  static void tile(const Matrix& w, const ActRows& a, std::int64_t r, std::int64_t t, float* y, std::int64_t ldy) {
    avx2::split_tile<FloatKernel, 4, 2, R, C>(w, a, r, t, y, ldy);
  }
};

}  // namespace

GemmFn gemm_avx2_float(TensorType t) {
  switch (t) {
    case TensorType::F32: return &gemm_tiled<FloatKernel<F32Load, F32Load>>;
    case TensorType::F16: return &gemm_tiled<FloatKernel<F16Load, F32Load>>;
    case TensorType::BF16: return &gemm_tiled<FloatKernel<BF16Load, BF16Load>>;
    default: return nullptr;
  }
}

}  // namespace corral::kernels
