// AVX-512 activation quantizers, byte-identical to the scalar ones in
// act_rows.cpp (same operations: |x| max, d = amax/127, x * (127/amax)
// rounded half to even; Q8_K: x * (-127/max) rounded, clamped at 127).
#include <immintrin.h>

#include <cstdint>
#include <cstring>

#include "quant/blocks.h"

namespace corral::kernels {

void quantize_row_q8_0_avx512(const float* x, void* out, std::int32_t* sums, std::int64_t n, bool with_s) {
  auto* dst = static_cast<std::uint8_t*>(out);
  const std::size_t bytes = with_s ? sizeof(quant::BlockQ8_1) : sizeof(quant::BlockQ8_0);
  const std::size_t qoff = with_s ? 4 : 2;
  const __m512 sign = _mm512_castsi512_ps(_mm512_set1_epi32(0x7fffffff));
  for (std::int64_t b = 0; b < n / 32; ++b) {
    const __m512 v0 = _mm512_loadu_ps(x + b * 32), v1 = _mm512_loadu_ps(x + b * 32 + 16);
    const float amax = _mm512_reduce_max_ps(_mm512_max_ps(_mm512_and_ps(v0, sign), _mm512_and_ps(v1, sign)));
    const float d = amax / 127.f;
    const float id = amax != 0.f ? 127.f / amax : 0.f;
    const __m512 m = _mm512_set1_ps(id);
    const __m512i q0 = _mm512_cvtps_epi32(_mm512_roundscale_ps(_mm512_mul_ps(v0, m), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
    const __m512i q1 = _mm512_cvtps_epi32(_mm512_roundscale_ps(_mm512_mul_ps(v1, m), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
    std::uint8_t* blk = dst + static_cast<std::size_t>(b) * bytes;
    _mm_storeu_si128(reinterpret_cast<__m128i*>(blk + qoff), _mm512_cvtsepi32_epi8(q0));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(blk + qoff + 16), _mm512_cvtsepi32_epi8(q1));
    const std::int32_t s = _mm512_reduce_add_epi32(_mm512_add_epi32(q0, q1));
    const std::uint16_t dh = static_cast<std::uint16_t>(_cvtss_sh(d, _MM_FROUND_TO_NEAREST_INT));
    std::memcpy(blk, &dh, 2);
    if (with_s) {
      const std::uint16_t sh = static_cast<std::uint16_t>(_cvtss_sh(d * static_cast<float>(s), _MM_FROUND_TO_NEAREST_INT));
      std::memcpy(blk + 2, &sh, 2);
    }
    sums[b] = s;
  }
}

void quantize_row_q8_k_avx512(const float* x, void* out, std::int64_t n) {
  auto* blocks = static_cast<quant::BlockQ8_K*>(out);
  const __m512 sign = _mm512_castsi512_ps(_mm512_set1_epi32(0x7fffffff));
  for (std::int64_t b = 0; b < n / 256; ++b) {
    const float* xb = x + b * 256;
    quant::BlockQ8_K& blk = blocks[b];
    // amax and the first element reaching it (the scalar loop keeps the first maximum).
    __m512 vmax = _mm512_setzero_ps();
    for (int j = 0; j < 256; j += 16) vmax = _mm512_max_ps(vmax, _mm512_and_ps(_mm512_loadu_ps(xb + j), sign));
    const float amax = _mm512_reduce_max_ps(vmax);
    if (amax == 0.f) {
      std::memset(&blk, 0, sizeof blk);
      continue;
    }
    float max = 0;
    for (int j = 0; j < 256; ++j) {
      if ((xb[j] < 0 ? -xb[j] : xb[j]) == amax) {
        max = xb[j];
        break;
      }
    }
    const float iscale = -127.f / max;
    const __m512 m = _mm512_set1_ps(iscale);
    for (int j = 0; j < 256; j += 16) {
      __m512i q = _mm512_cvtps_epi32(_mm512_roundscale_ps(_mm512_mul_ps(_mm512_loadu_ps(xb + j), m),
                                                          _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
      q = _mm512_min_epi32(q, _mm512_set1_epi32(127));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(blk.qs + j), _mm512_cvtsepi32_epi8(q));
      blk.bsums[j / 16] = static_cast<std::int16_t>(_mm512_reduce_add_epi32(q));
    }
    blk.d = 1.f / iscale;
  }
}

}  // namespace corral::kernels

namespace corral::kernels {

void round_row_f16_avx512(const float* x, float* out, std::int64_t n) {
  std::int64_t i = 0;
  for (; i < n; i += 16) {
    const __mmask16 m = n - i >= 16 ? static_cast<__mmask16>(0xffff) : static_cast<__mmask16>((1u << (n - i)) - 1u);
    const __m512 v = _mm512_maskz_loadu_ps(m, x + i);
    __m512 r = _mm512_cvtph_ps(_mm512_cvtps_ph(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
    // NaN: the scalar rounding gives the canonical quiet NaN (half 0x7e00, sign kept).
    const __mmask16 nan = _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q);
    const __m512 canon = _mm512_or_ps(_mm512_and_ps(v, _mm512_castsi512_ps(_mm512_set1_epi32(static_cast<int>(0x80000000u)))),
                                      _mm512_castsi512_ps(_mm512_set1_epi32(0x7fc00000)));
    r = _mm512_mask_mov_ps(r, nan, canon);
    _mm512_mask_storeu_ps(out + i, m, r);
  }
}

void convert_row_bf16_avx512(const float* x, std::uint16_t* out, std::int64_t n) {
  const __m512i one = _mm512_set1_epi32(1), bias = _mm512_set1_epi32(0x7fff), quiet = _mm512_set1_epi32(64);
  const __m512i abs_mask = _mm512_set1_epi32(0x7fffffff), inf = _mm512_set1_epi32(0x7f800000);
  for (std::int64_t i = 0; i < n; i += 16) {
    const __mmask16 m = n - i >= 16 ? static_cast<__mmask16>(0xffff) : static_cast<__mmask16>((1u << (n - i)) - 1u);
    const __m512i v = _mm512_castps_si512(_mm512_maskz_loadu_ps(m, x + i));
    // Round to nearest even on the upper 16 bits; NaN keeps its upper bits with the quiet bit set.
    const __m512i rounded =
        _mm512_srli_epi32(_mm512_add_epi32(v, _mm512_add_epi32(bias, _mm512_and_si512(_mm512_srli_epi32(v, 16), one))), 16);
    const __mmask16 nan = _mm512_cmpgt_epu32_mask(_mm512_and_si512(v, abs_mask), inf);
    const __m512i r = _mm512_mask_mov_epi32(rounded, nan, _mm512_or_si512(_mm512_srli_epi32(v, 16), quiet));
    _mm256_mask_storeu_epi16(out + i, m, _mm512_cvtepi32_epi16(r));
  }
}

}  // namespace corral::kernels
