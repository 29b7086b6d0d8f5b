// AVX-512 VNNI matrix multiply for Q4_1 and Q5_1 weights x Q8_1 activations.
// Per block, w = d q + m with unsigned levels q (0..15 / 0..31), so
//   dot = d_w d_x sum(q x) + m_w s_x,
// s_x being the activation block's F16 field s (= d_x sum(x), as the
// reference uses it). Two blocks (64 values) at a time: vpdpbusd takes the
// unsigned levels and the signed activations directly; the m s term is added
// to lane 0 (first block) and lane 8 (second block) of the float accumulator.
// Tiles of up to 4 rows x 4 tokens.
#include "kernels/gemm.h"
#include "kernels/gemm_tiling.h"
#include "kernels/simd_avx512.h"
#include "quant/blocks.h"

#include <immintrin.h>

#include <cstdint>
#include <cstring>

namespace corral::kernels {
namespace {

// Local helpers (this file is built for AVX-512: nothing here may be shared with other files).
using avx512::prefetch_ahead;  // (simd_avx512.h)
// Token generation: each row stream is prefetched one row group ahead (R rows further, same offset).

// The two F16 fields at p0 (first block) and p1 (second block, or none: zeros) as [p0[0] x8, p1[0] x8]
// (first) and [p0[1] x8, p1[1] x8] (second): d and m of a weight block pair, d and s of an activation pair.
inline void f16_pairs(const std::uint8_t* p0, const std::uint8_t* p1, __m512& first, __m512& second) {
  std::uint32_t a0, a1 = 0;
  std::memcpy(&a0, p0, 4);
  if (p1) std::memcpy(&a1, p1, 4);
  const __m512 f = _mm512_castps128_ps512(_mm_cvtph_ps(_mm_setr_epi32(static_cast<int>(a0), static_cast<int>(a1), 0, 0)));
  first = _mm512_permutexvar_ps(_mm512_setr_epi32(0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2, 2, 2, 2), f);
  second = _mm512_permutexvar_ps(_mm512_setr_epi32(1, 1, 1, 1, 1, 1, 1, 1, 3, 3, 3, 3, 3, 3, 3, 3), f);
}

// Nibbles of two 16-byte blocks as bytes [lo0, hi0, lo1, hi1] (values 0-15, 16-31 of each block).
inline __m512i nibbles_2x16(const std::uint8_t* q0, const std::uint8_t* q1) {
  const __m256i v = _mm256_inserti128_si256(
      _mm256_castsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(q0))),
      _mm_loadu_si128(reinterpret_cast<const __m128i*>(q1)), 1);
  const __m256i m4 = _mm256_set1_epi8(0x0f);
  const __m256i lo = _mm256_and_si256(v, m4);
  const __m256i hi = _mm256_and_si256(_mm256_srli_epi16(v, 4), m4);
  const __m512i z = _mm512_inserti64x4(_mm512_castsi256_si512(lo), hi, 1);  // [lo0, lo1, hi0, hi1]
  return _mm512_shuffle_i64x2(z, z, _MM_SHUFFLE(3, 1, 2, 0));
}

struct Q4_1W {
  static constexpr std::size_t kBytes = sizeof(quant::BlockQ4_1);
  static_assert(offsetof(quant::BlockQ4_1, d) == 0 && offsetof(quant::BlockQ4_1, m) == 2);
  static __m512i levels(const std::uint8_t* b0, const std::uint8_t* b1) {
    return nibbles_2x16(b0 + offsetof(quant::BlockQ4_1, qs), b1 + offsetof(quant::BlockQ4_1, qs));
  }
};

struct Q5_1W {
  static constexpr std::size_t kBytes = sizeof(quant::BlockQ5_1);
  static_assert(offsetof(quant::BlockQ5_1, d) == 0 && offsetof(quant::BlockQ5_1, m) == 2);
  static __m512i levels(const std::uint8_t* b0, const std::uint8_t* b1) {
    std::uint32_t h0, h1;
    std::memcpy(&h0, b0 + offsetof(quant::BlockQ5_1, qh), 4);
    std::memcpy(&h1, b1 + offsetof(quant::BlockQ5_1, qh), 4);
    const __mmask64 bit4 = static_cast<__mmask64>(h0) | (static_cast<__mmask64>(h1) << 32);
    const __m512i q = nibbles_2x16(b0 + offsetof(quant::BlockQ5_1, qs), b1 + offsetof(quant::BlockQ5_1, qs));
    return _mm512_mask_add_epi8(q, bit4, q, _mm512_set1_epi8(16));
  }
};

template <typename W>
struct AffineKernel {
  static constexpr std::size_t kAct = sizeof(quant::BlockQ8_1);
  static constexpr std::size_t kActQs = offsetof(quant::BlockQ8_1, qs);
  static_assert(offsetof(quant::BlockQ8_1, d) == 0 && offsetof(quant::BlockQ8_1, s) == 2);

  template <int R, int C>
  static void tile(const Matrix& w, const ActRows& a, std::int64_t r, std::int64_t t, float* y, std::int64_t ldy) {
    const std::int64_t nb = w.n_in / 32;
    __m512 acc[R][C];
    for (int i = 0; i < R; ++i)
      for (int j = 0; j < C; ++j) acc[i][j] = _mm512_setzero_ps();
    const std::uint8_t* wr[R];
    const std::uint8_t* xr[C];
    for (int i = 0; i < R; ++i) wr[i] = w.data + static_cast<std::size_t>(r + i) * w.row_bytes;
    for (int j = 0; j < C; ++j) xr[j] = a.data + static_cast<std::size_t>(t + j) * a.row_bytes;
    for (std::int64_t b = 0; b < nb; b += 2) {
      const bool pair = b + 1 < nb;
      const std::int64_t b1 = pair ? b + 1 : b;  // odd tail: block b again, its second copy zeroed
      __m512i q[R];
      __m512 dw[R], mw[R];
      for (int i = 0; i < R; ++i) {
        const std::uint8_t* p0 = wr[i] + b * W::kBytes;
        const std::uint8_t* p1 = wr[i] + b1 * W::kBytes;
        prefetch_ahead(p0, R * w.row_bytes);
        q[i] = W::levels(p0, p1);
        if (!pair) q[i] = _mm512_maskz_mov_epi8(0xffffffffull, q[i]);
        f16_pairs(p0, pair ? p1 : nullptr, dw[i], mw[i]);
      }
      for (int j = 0; j < C; ++j) {
        const std::uint8_t* x0 = xr[j] + b * kAct;
        const std::uint8_t* x1 = xr[j] + b1 * kAct;
        const __m512i x = _mm512_inserti64x4(
            _mm512_castsi256_si512(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(x0 + kActQs))),
            _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x1 + kActQs)), 1);
        __m512 dx, sx;
        f16_pairs(x0, x1, dx, sx);
        for (int i = 0; i < R; ++i) {
          const __m512i dot = _mm512_dpbusd_epi32(_mm512_setzero_si512(), q[i], x);
          acc[i][j] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(dot), _mm512_mul_ps(dw[i], dx), acc[i][j]);
          acc[i][j] = _mm512_mask3_fmadd_ps(mw[i], sx, acc[i][j], 0x0101);
        }
      }
    }
    for (int j = 0; j < C; ++j)
      for (int i = 0; i < R; ++i) y[(t + j) * ldy + r + i] = _mm512_reduce_add_ps(acc[i][j]);
  }
};

}  // namespace

GemmFn gemm_avx512_q8_1(TensorType t) {
  switch (t) {
    case TensorType::Q4_1: return &gemm_tiled<AffineKernel<Q4_1W>>;
    case TensorType::Q5_1: return &gemm_tiled<AffineKernel<Q5_1W>>;
    default: return nullptr;
  }
}

}  // namespace corral::kernels
