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
