// AVX-512 VNNI matrix multiply for IQ4_XS weights x Q8_K activations. The
// levels are a signed table (-127..113), so each 64-value chunk (two groups
// of 32) uses the Q8_0-family trick: activations x go in as unsigned x + 128
// and the extra 128 * sum(w) is removed by starting vpdpbusd from
// -128 * sum(w), computed once per weight chunk and shared by all tokens.
// Each int32 lane then holds an exact sum of 4 products (|.| <= 65024), too
// wide for the 16-bit vpdpwssd scaling, so the lanes are converted to float
// and multiplied by the 6-bit group scale (ls - 32): every product and every
// per-super-block lane sum stays below 2^24, so this float sum is the exact
// integer sum of the reference; d_w * d_x is applied once per super-block.
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
inline float fp16_at(const std::uint8_t* p) {
  std::uint16_t h;
  std::memcpy(&h, p, 2);
  return _cvtsh_ss(h);
}

using avx512::prefetch_ahead;  // (simd_avx512.h)
// Token generation: each row stream is prefetched one row group ahead (R rows further, same offset).

constexpr std::size_t kActBytes = sizeof(quant::BlockQ8_K);
constexpr std::size_t kActQs = offsetof(quant::BlockQ8_K, qs);

// The IQ4 levels (the same values as quant::kIQ4Values, checked below), kept local so that nothing
// from a shared header is instantiated in this AVX-512 translation unit.
constexpr std::int8_t kIQ4[16] = {-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113};
constexpr bool iq4_table_matches() {
  for (int i = 0; i < 16; ++i)
    if (kIQ4[i] != quant::kIQ4Values[static_cast<std::size_t>(i)]) return false;
  return true;
}
static_assert(iq4_table_matches());

// The signed levels of groups 2j and 2j+1 of a block's qs: [group 2j values 0-31, group 2j+1 values 0-31]
// (in a group, value l < 16 is the low nibble of byte l, value l + 16 the high one).
inline __m512i chunk_levels(const std::uint8_t* qs, int j) {
  const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(qs + 32 * j));
  const __m256i m4 = _mm256_set1_epi8(0x0f);
  const __m256i lo = _mm256_and_si256(v, m4);                         // [lo(2j), lo(2j+1)]
  const __m256i hi = _mm256_and_si256(_mm256_srli_epi16(v, 4), m4);  // [hi(2j), hi(2j+1)]
  const __m512i z = _mm512_inserti64x4(_mm512_castsi256_si512(lo), hi, 1);
  const __m512i nib = _mm512_shuffle_i64x2(z, z, _MM_SHUFFLE(3, 1, 2, 0));  // [lo(2j), hi(2j), lo(2j+1), hi(2j+1)]
  const __m512i table = _mm512_broadcast_i32x4(_mm_loadu_si128(reinterpret_cast<const __m128i*>(kIQ4)));
  return _mm512_shuffle_epi8(table, nib);
}

// The 8 group scales ls - 32 (-32..31) of a block as floats.
inline __m256 group_scales(const std::uint8_t* b) {
  std::uint32_t sl;
  std::uint16_t sh;
  std::memcpy(&sl, b + offsetof(quant::BlockIQ4_XS, scales_l), 4);
  std::memcpy(&sh, b + offsetof(quant::BlockIQ4_XS, scales_h), 2);
  // Group g: nibble g of scales_l (as a little-endian u32), bits 2g..2g+1 of scales_h on top.
  const __m256i low = _mm256_and_si256(
      _mm256_srlv_epi32(_mm256_set1_epi32(static_cast<int>(sl)), _mm256_setr_epi32(0, 4, 8, 12, 16, 20, 24, 28)),
      _mm256_set1_epi32(0x0f));
  const __m256i high = _mm256_and_si256(
      _mm256_srlv_epi32(_mm256_set1_epi32(sh), _mm256_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14)), _mm256_set1_epi32(3));
  const __m256i ls = _mm256_or_si256(low, _mm256_slli_epi32(high, 4));
  return _mm256_cvtepi32_ps(_mm256_sub_epi32(ls, _mm256_set1_epi32(32)));
}

struct IQ4XSKernel {
  static constexpr std::size_t kBytes = sizeof(quant::BlockIQ4_XS);

  template <int R, int C>
  static void tile(const Matrix& w, const ActRows& a, std::int64_t r, std::int64_t t, float* y, std::int64_t ldy) {
    const std::int64_t nsb = w.n_in / 256;
    const __m512i bias = _mm512_set1_epi8(static_cast<char>(0x80));
    __m512 acc[R][C];
    for (int i = 0; i < R; ++i)
      for (int c = 0; c < C; ++c) acc[i][c] = _mm512_setzero_ps();
    for (std::int64_t sb = 0; sb < nsb; ++sb) {
      const std::uint8_t* wb[R];
      __m512 gs[R];  // the 8 group scales in lanes 0-7
      float dw[R];
      for (int i = 0; i < R; ++i) {
        wb[i] = w.data + static_cast<std::size_t>(r + i) * w.row_bytes + sb * kBytes;
        for (std::size_t p = 0; p < kBytes; p += 64) prefetch_ahead(wb[i], R * w.row_bytes + p);
        gs[i] = _mm512_castps256_ps512(group_scales(wb[i]));
        dw[i] = fp16_at(wb[i]);
      }
      const std::uint8_t* xb[C];
      float dx[C];
      for (int c = 0; c < C; ++c) {
        xb[c] = a.data + static_cast<std::size_t>(t + c) * a.row_bytes + sb * kActBytes;
        std::memcpy(&dx[c], xb[c], 4);
      }
      __m512 fsum[R][C];
      for (int i = 0; i < R; ++i)
        for (int c = 0; c < C; ++c) fsum[i][c] = _mm512_setzero_ps();
      for (int j = 0; j < 4; ++j) {
        // Lanes 0-7 belong to group 2j, lanes 8-15 to group 2j+1.
        const __m512i sel = _mm512_inserti64x4(_mm512_set1_epi32(2 * j), _mm256_set1_epi32(2 * j + 1), 1);
        __m512i lv[R], init[R];
        __m512 scale[R];
        for (int i = 0; i < R; ++i) {
          lv[i] = chunk_levels(wb[i] + offsetof(quant::BlockIQ4_XS, qs), j);
          init[i] = _mm512_sub_epi32(_mm512_setzero_si512(), _mm512_dpbusd_epi32(_mm512_setzero_si512(), bias, lv[i]));
          scale[i] = _mm512_permutexvar_ps(sel, gs[i]);
        }
        for (int c = 0; c < C; ++c) {
          const __m512i xu = _mm512_xor_si512(_mm512_loadu_si512(xb[c] + kActQs + 64 * j), bias);
          for (int i = 0; i < R; ++i) {
            const __m512i dot = _mm512_dpbusd_epi32(init[i], xu, lv[i]);
            fsum[i][c] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(dot), scale[i], fsum[i][c]);
          }
        }
      }
      for (int c = 0; c < C; ++c)
        for (int i = 0; i < R; ++i) acc[i][c] = _mm512_fmadd_ps(fsum[i][c], _mm512_set1_ps(dw[i] * dx[c]), acc[i][c]);
    }
    for (int c = 0; c < C; ++c)
      for (int i = 0; i < R; ++i) y[(t + c) * ldy + r + i] = _mm512_reduce_add_ps(acc[i][c]);
  }
};

}  // namespace

GemmFn gemm_avx512_iq4xs(TensorType t) { return t == TensorType::IQ4_XS ? &gemm_tiled<IQ4XSKernel> : nullptr; }

}  // namespace corral::kernels
