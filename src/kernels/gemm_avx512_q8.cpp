// AVX-512 VNNI matrix multiply for the weight types paired with Q8_0
// activations: Q8_0, Q4_0, Q5_0, IQ4_NL. Each weight block pair (64 values)
// is unpacked to signed bytes s; activations x are used as unsigned x + 128,
// so vpdpbusd gives dot(x, s) + 128 * sum(s); the second term is removed by
// starting the accumulation from -128 * sum(s), computed once per weight
// block pair and shared by all tokens of the tile. Tiles: 4 rows x 4 tokens.
#include "kernels/gemm.h"
#include "kernels/gemm_tiling.h"
#include "kernels/simd_avx512.h"
#include "quant/blocks.h"

namespace corral::kernels {
namespace {

using avx512::fp16_scalar;
using avx512::load_2x32;
using avx512::pair_scale;

// Weight formats: block size in bytes and the signed values of blocks (b, b+1).
struct Q8_0W {
  static constexpr std::size_t kBytes = sizeof(quant::BlockQ8_0);
  static __m512i values(const std::uint8_t* b0, const std::uint8_t* b1) { return load_2x32(b0 + 2, b1 + 2); }
};

// Nibbles of two 16-byte blocks as bytes [lo0, hi0, lo1, hi1] (values 0..15 of each block).
inline __m512i nibbles_2x16(const std::uint8_t* q0, const std::uint8_t* q1) {
  const __m256i v = _mm256_inserti128_si256(
      _mm256_castsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(q0))),
      _mm_loadu_si128(reinterpret_cast<const __m128i*>(q1)), 1);
  const __m256i m4 = _mm256_set1_epi8(0x0f);
  const __m256i lo = _mm256_and_si256(v, m4);
  const __m256i hi = _mm256_and_si256(_mm256_srli_epi16(v, 4), m4);
  const __m512i z = _mm512_inserti64x4(_mm512_castsi256_si512(lo), hi, 1);  // [lo0, lo1, hi0, hi1]
  return _mm512_shuffle_i64x2(z, z, _MM_SHUFFLE(3, 1, 2, 0));                // [lo0, hi0, lo1, hi1]
}

struct Q4_0W {
  static constexpr std::size_t kBytes = sizeof(quant::BlockQ4_0);
  static __m512i values(const std::uint8_t* b0, const std::uint8_t* b1) {
    return _mm512_sub_epi8(nibbles_2x16(b0 + 2, b1 + 2), _mm512_set1_epi8(8));
  }
};

struct Q5_0W {
  static constexpr std::size_t kBytes = sizeof(quant::BlockQ5_0);
  static __m512i values(const std::uint8_t* b0, const std::uint8_t* b1) {
    std::uint32_t h0, h1;
    std::memcpy(&h0, b0 + 2, 4);
    std::memcpy(&h1, b1 + 2, 4);
    const __mmask64 hm = static_cast<__mmask64>(h0) | (static_cast<__mmask64>(h1) << 32);
    const __m512i q = nibbles_2x16(b0 + 6, b1 + 6);
    const __m512i withhi = _mm512_mask_add_epi8(q, hm, q, _mm512_set1_epi8(16));
    return _mm512_sub_epi8(withhi, _mm512_set1_epi8(16));
  }
};

struct IQ4NLW {
  static constexpr std::size_t kBytes = sizeof(quant::BlockIQ4_NL);
  static __m512i values(const std::uint8_t* b0, const std::uint8_t* b1) {
    const __m128i t = _mm_loadu_si128(reinterpret_cast<const __m128i*>(quant::kIQ4Values.data()));
    return _mm512_shuffle_epi8(_mm512_broadcast_i32x4(t), nibbles_2x16(b0 + 2, b1 + 2));
  }
};

template <typename W>
struct Q8Kernel {
  template <int R, int C>
  static void tile(const Matrix& w, const ActRows& a, std::int64_t r, std::int64_t t, float* y, std::int64_t ldy) {
    const std::int64_t nb = w.n_in / 32;
    constexpr std::size_t kAct = sizeof(quant::BlockQ8_0);
    __m512 acc[R][C];
    for (int i = 0; i < R; ++i)
      for (int j = 0; j < C; ++j) acc[i][j] = _mm512_setzero_ps();
    const std::uint8_t* wr[R];
    const std::uint8_t* xr[C];
    for (int i = 0; i < R; ++i) wr[i] = w.row(r + i);
    for (int j = 0; j < C; ++j) xr[j] = a.row(t + j);
    const __m512i bias = _mm512_set1_epi8(static_cast<char>(0x80));
    for (std::int64_t b = 0; b < nb; b += 2) {
      const bool pair = b + 1 < nb;
      const std::int64_t b1 = pair ? b + 1 : b;  // odd tail: reuse block b, zeroed below
      __m512i s[R], init[R];
      __m512 dw[R];
      for (int i = 0; i < R; ++i) {
        const std::uint8_t* p0 = wr[i] + b * W::kBytes;
        const std::uint8_t* p1 = wr[i] + b1 * W::kBytes;
        avx512::prefetch_ahead(p0, R * w.row_bytes);  // same offset, next row group (token generation)
        s[i] = W::values(p0, p1);
        if (!pair) s[i] = _mm512_maskz_mov_epi8(0xffffffffull, s[i]);
        init[i] = _mm512_sub_epi32(_mm512_setzero_si512(), _mm512_dpbusd_epi32(_mm512_setzero_si512(), bias, s[i]));
        dw[i] = pair_scale(fp16_scalar(p0), pair ? fp16_scalar(p1) : 0.f);
      }
      for (int j = 0; j < C; ++j) {
        const std::uint8_t* q0 = xr[j] + b * kAct;
        const std::uint8_t* q1 = xr[j] + b1 * kAct;
        const __m512i xu = _mm512_xor_si512(load_2x32(q0 + 2, q1 + 2), bias);
        const __m512 dx = pair_scale(fp16_scalar(q0), fp16_scalar(q1));
        for (int i = 0; i < R; ++i) {
          const __m512i dot = _mm512_dpbusd_epi32(init[i], xu, s[i]);
          acc[i][j] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(dot), _mm512_mul_ps(dw[i], dx), acc[i][j]);
        }
      }
    }
    for (int j = 0; j < C; ++j)
      for (int i = 0; i < R; ++i) y[(t + j) * ldy + r + i] = _mm512_reduce_add_ps(acc[i][j]);
  }
};

}  // namespace

GemmFn gemm_avx512_q8(TensorType t) {
  switch (t) {
    case TensorType::Q8_0: return &gemm_tiled<Q8Kernel<Q8_0W>>;
    case TensorType::Q4_0: return &gemm_tiled<Q8Kernel<Q4_0W>>;
    case TensorType::Q5_0: return &gemm_tiled<Q8Kernel<Q5_0W>>;
    case TensorType::IQ4_NL: return &gemm_tiled<Q8Kernel<IQ4NLW>>;
    default: return nullptr;
  }
}

}  // namespace corral::kernels
