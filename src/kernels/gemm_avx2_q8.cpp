// AVX2 matrix multiply for the 32-value block formats: Q8_0, Q4_0, Q5_0,
// IQ4_NL (with Q8_0 activations) and Q4_1, Q5_1 (with Q8_1 activations).
// Per block the integer dot product comes from _mm256_maddubs_epi16 (u8 x s8,
// pairs summed to s16) and _mm256_madd_epi16 with ones (pairs to s32):
//  - unsigned levels (Q4_*, Q5_*) go in as the unsigned operand directly
//    (pairs stay below 2 * 31 * 127); the -8 / -16 offset of Q4_0 / Q5_0 is
//    added as -offset * sum(x) from the activation block sums;
//  - signed levels (Q8_0, IQ4_NL) use |w| as the unsigned operand and x with
//    w's sign, exact because Q8_0 activations are in -127..127 (pairs stay
//    below 2 * 128 * 127 even for a -128 weight);
//  - Q4_1 / Q5_1 add m * s per block, s being the activation block's F16 sum.
// Two blocks are handled together: their int32 lanes are folded into one
// vector (hadd), which is converted and scaled once. The integer block sums
// equal the reference's; only the float accumulation order differs.
// Register tiles of up to 4 rows x 2 tokens.
#include "kernels/gemm.h"
#include "kernels/gemm_tiling.h"
#include "kernels/simd_avx2.h"
#include "quant/blocks.h"

namespace corral::kernels {
namespace {

using avx2::fp16_at;
using avx2::load256;
using avx2::nibbles_32;

// The IQ4 levels (the same values as quant::kIQ4Values, checked below), kept as plain bytes so
// that nothing from a shared header is instantiated in this AVX2 translation unit.
constexpr std::int8_t kIQ4[16] = {-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113};
constexpr bool iq4_table_matches() {
  for (int i = 0; i < 16; ++i)
    if (kIQ4[i] != quant::kIQ4Values[static_cast<std::size_t>(i)]) return false;
  return true;
}
static_assert(iq4_table_matches());

// Activation block layouts: bytes per block, offset of the quants.
struct ActQ8_0 {
  static constexpr std::size_t kBytes = sizeof(quant::BlockQ8_0);
  static constexpr std::size_t kQs = offsetof(quant::BlockQ8_0, qs);
};
struct ActQ8_1 {
  static constexpr std::size_t kBytes = sizeof(quant::BlockQ8_1);
  static constexpr std::size_t kQs = offsetof(quant::BlockQ8_1, qs);
  static constexpr std::size_t kS = offsetof(quant::BlockQ8_1, s);
  static_assert(offsetof(quant::BlockQ8_1, d) == 0 && kS == 2);
};

// Weight formats: block bytes, the activation format, whether the 32 levels are signed, the
// constant subtracted from unsigned levels, whether the block has a min m (x = d q + m).
struct Q8_0W {
  using Act = ActQ8_0;
  static constexpr std::size_t kBytes = sizeof(quant::BlockQ8_0);
  static constexpr bool kSigned = true;
  static constexpr int kOffset = 0;
  static constexpr bool kAffine = false;
  static __m256i levels(const std::uint8_t* b) { return load256(b + offsetof(quant::BlockQ8_0, qs)); }
};
struct IQ4NLW {
  using Act = ActQ8_0;
  static constexpr std::size_t kBytes = sizeof(quant::BlockIQ4_NL);
  static constexpr bool kSigned = true;
  static constexpr int kOffset = 0;
  static constexpr bool kAffine = false;
  static __m256i levels(const std::uint8_t* b) {
    const __m256i table = _mm256_broadcastsi128_si256(avx2::load128(kIQ4));
    return _mm256_shuffle_epi8(table, nibbles_32(b + offsetof(quant::BlockIQ4_NL, qs)));
  }
};
struct Q4_0W {
  using Act = ActQ8_0;
  static constexpr std::size_t kBytes = sizeof(quant::BlockQ4_0);
  static constexpr bool kSigned = false;
  static constexpr int kOffset = 8;
  static constexpr bool kAffine = false;
  static __m256i levels(const std::uint8_t* b) { return nibbles_32(b + offsetof(quant::BlockQ4_0, qs)); }
};
struct Q5_0W {
  using Act = ActQ8_0;
  static constexpr std::size_t kBytes = sizeof(quant::BlockQ5_0);
  static constexpr bool kSigned = false;
  static constexpr int kOffset = 16;
  static constexpr bool kAffine = false;
  static __m256i levels(const std::uint8_t* b) {
    return _mm256_or_si256(nibbles_32(b + offsetof(quant::BlockQ5_0, qs)),
                           avx2::bit4_from_bits32(b + offsetof(quant::BlockQ5_0, qh)));
  }
};
struct Q4_1W {
  using Act = ActQ8_1;
  static constexpr std::size_t kBytes = sizeof(quant::BlockQ4_1);
  static constexpr std::size_t kM = offsetof(quant::BlockQ4_1, m);
  static_assert(offsetof(quant::BlockQ4_1, d) == 0 && kM == 2);
  static constexpr bool kSigned = false;
  static constexpr int kOffset = 0;
  static constexpr bool kAffine = true;
  static __m256i levels(const std::uint8_t* b) { return nibbles_32(b + offsetof(quant::BlockQ4_1, qs)); }
};
struct Q5_1W {
  using Act = ActQ8_1;
  static constexpr std::size_t kBytes = sizeof(quant::BlockQ5_1);
  static constexpr std::size_t kM = offsetof(quant::BlockQ5_1, m);
  static_assert(offsetof(quant::BlockQ5_1, d) == 0 && kM == 2);
  static constexpr bool kSigned = false;
  static constexpr int kOffset = 0;
  static constexpr bool kAffine = true;
  static __m256i levels(const std::uint8_t* b) {
    return _mm256_or_si256(nibbles_32(b + offsetof(quant::BlockQ5_1, qs)),
                           avx2::bit4_from_bits32(b + offsetof(quant::BlockQ5_1, qh)));
  }
};

template <typename W>
struct BlockKernel {
  using Act = typename W::Act;

  template <int R, int C>
  static void sub(const Matrix& w, const ActRows& a, std::int64_t r, std::int64_t t, float* y, std::int64_t ldy) {
    const std::int64_t nb = w.n_in / 32;
    __m256 acc[R][C];
    for (int i = 0; i < R; ++i)
      for (int j = 0; j < C; ++j) acc[i][j] = _mm256_setzero_ps();
    const std::uint8_t* wr[R];
    const std::uint8_t* xr[C];
    const std::int32_t* xs[C];
    for (int i = 0; i < R; ++i) wr[i] = avx2::weight_row(w, r + i);
    for (int j = 0; j < C; ++j) {
      xr[j] = avx2::act_row(a, t + j);
      xs[j] = a.block_sums + (t + j) * nb;
    }
    std::int64_t b = 0;
    // Two blocks at a time: their int32 pair sums are folded into one vector laid out as
    // [b0 b0 b1 b1 | b0 b0 b1 b1], so the conversion and scaling happen once per two blocks.
    const __m256i two = _mm256_setr_epi32(0, 0, 1, 1, 0, 0, 1, 1);
    const __m256i two_hi = _mm256_setr_epi32(0, 0, 2, 2, 0, 0, 2, 2);
    const __m256i two_lo = _mm256_setr_epi32(1, 1, 3, 3, 1, 1, 3, 3);
    for (; b + 1 < nb; b += 2) {
      __m256 dx[C], sx[C];
      __m256i corr[C];
      for (int j = 0; j < C; ++j) {
        const std::uint8_t* x0 = xr[j] + b * Act::kBytes;
        const std::uint8_t* x1 = x0 + Act::kBytes;
        if constexpr (W::kAffine) {  // d and s are adjacent: [d0 s0 d1 s1]
          const __m256 f = _mm256_castps128_ps256(avx2::f16_pairs(x0, x1));
          dx[j] = _mm256_permutevar8x32_ps(f, two_hi);
          sx[j] = _mm256_permutevar8x32_ps(f, two_lo);
        } else {
          dx[j] = _mm256_permutevar8x32_ps(_mm256_castps128_ps256(avx2::f16_two(x0, x1)), two);
        }
        if constexpr (W::kOffset != 0)
          corr[j] = _mm256_zextsi128_si256(_mm_setr_epi32(-W::kOffset * xs[j][b], 0, -W::kOffset * xs[j][b + 1], 0));
      }
      for (int i = 0; i < R; ++i) {
        const std::uint8_t* w0 = wr[i] + b * W::kBytes;
        const std::uint8_t* w1 = w0 + W::kBytes;
        avx2::prefetch_ahead(w0, R * w.row_bytes);  // same offset, next row group (token generation)
        const __m256i q0 = W::levels(w0), q1 = W::levels(w1);
        __m256 dw, mw;
        if constexpr (W::kAffine) {  // d and m are adjacent; m only in lanes 0 and 2 (one per block)
          const __m256 f = _mm256_castps128_ps256(avx2::f16_pairs(w0, w1));
          dw = _mm256_permutevar8x32_ps(f, two_hi);
          mw = _mm256_blend_ps(_mm256_setzero_ps(), _mm256_permutevar8x32_ps(f, two_lo), 0x05);
        } else {
          dw = _mm256_permutevar8x32_ps(_mm256_castps128_ps256(avx2::f16_two(w0, w1)), two);
        }
        for (int j = 0; j < C; ++j) {
          const __m256i x0 = load256(xr[j] + b * Act::kBytes + Act::kQs);
          const __m256i x1 = load256(xr[j] + (b + 1) * Act::kBytes + Act::kQs);
          __m256i dot;
          if constexpr (W::kSigned) {  // pairs up to 2 * 128 * 127: widen each block to int32 first
            const __m256i d0 = avx2::pair_sums(_mm256_maddubs_epi16(_mm256_abs_epi8(q0), _mm256_sign_epi8(x0, q0)));
            const __m256i d1 = avx2::pair_sums(_mm256_maddubs_epi16(_mm256_abs_epi8(q1), _mm256_sign_epi8(x1, q1)));
            dot = _mm256_hadd_epi32(d0, d1);
          } else {  // pairs up to 2 * 31 * 128, two of them still fit in int16
            dot = avx2::pair_sums(_mm256_hadd_epi16(_mm256_maddubs_epi16(q0, x0), _mm256_maddubs_epi16(q1, x1)));
          }
          if constexpr (W::kOffset != 0) dot = _mm256_add_epi32(dot, corr[j]);
          acc[i][j] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(dot), _mm256_mul_ps(dw, dx[j]), acc[i][j]);
          if constexpr (W::kAffine) acc[i][j] = _mm256_fmadd_ps(mw, sx[j], acc[i][j]);
        }
      }
    }
    for (; b < nb; ++b) {  // the last block of an odd count
      float dx[C];
      __m256i corr[C];
      __m256 sx[C];
      for (int j = 0; j < C; ++j) {
        const std::uint8_t* xb = xr[j] + b * Act::kBytes;
        dx[j] = fp16_at(xb);
        if constexpr (W::kOffset != 0) corr[j] = avx2::lane0_epi32(-W::kOffset * xs[j][b]);
        if constexpr (W::kAffine) sx[j] = avx2::lane0_ps(fp16_at(xb + ActQ8_1::kS));
      }
      for (int i = 0; i < R; ++i) {
        const std::uint8_t* wb = wr[i] + b * W::kBytes;
        const __m256i q = W::levels(wb);
        const float dw = fp16_at(wb);
        __m256i uq = q;
        if constexpr (W::kSigned) uq = _mm256_abs_epi8(q);
        __m256 mw;
        if constexpr (W::kAffine) mw = avx2::lane0_ps(fp16_at(wb + W::kM));
        for (int j = 0; j < C; ++j) {
          const __m256i x = load256(xr[j] + b * Act::kBytes + Act::kQs);
          const __m256i sx8 = W::kSigned ? _mm256_sign_epi8(x, q) : x;
          __m256i dot = avx2::pair_sums(_mm256_maddubs_epi16(uq, sx8));
          if constexpr (W::kOffset != 0) dot = _mm256_add_epi32(dot, corr[j]);
          acc[i][j] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(dot), _mm256_set1_ps(dw * dx[j]), acc[i][j]);
          if constexpr (W::kAffine) acc[i][j] = _mm256_fmadd_ps(mw, sx[j], acc[i][j]);
        }
      }
    }
    for (int j = 0; j < C; ++j)
      for (int i = 0; i < R; ++i) y[(t + j) * ldy + r + i] = avx2::hsum(acc[i][j]);
  }

  template <int R, int C>
  static void tile(const Matrix& w, const ActRows& a, std::int64_t r, std::int64_t t, float* y, std::int64_t ldy) {
    avx2::split_tile<BlockKernel, 4, 2, R, C>(w, a, r, t, y, ldy);
  }
};

}  // namespace

GemmFn gemm_avx2_q8(TensorType t) {
  switch (t) {
    case TensorType::Q8_0: return &gemm_tiled<BlockKernel<Q8_0W>>;
    case TensorType::Q4_0: return &gemm_tiled<BlockKernel<Q4_0W>>;
    case TensorType::Q5_0: return &gemm_tiled<BlockKernel<Q5_0W>>;
    case TensorType::IQ4_NL: return &gemm_tiled<BlockKernel<IQ4NLW>>;
    case TensorType::Q4_1: return &gemm_tiled<BlockKernel<Q4_1W>>;
    case TensorType::Q5_1: return &gemm_tiled<BlockKernel<Q5_1W>>;
    default: return nullptr;
  }
}

}  // namespace corral::kernels
