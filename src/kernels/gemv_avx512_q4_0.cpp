// AVX-512 VNNI matrix-vector product for Q4_0 weights (token generation).
// Four blocks (128 weights) are handled per step: their 64 bytes of nibbles
// split into low (values 0-15 of each block) and high (16-31) halves that
// vpdpbusd multiplies, unsigned, with the matching halves of the activation
// blocks; the -8 offset enters through an init vector holding -8 * sum(x) in
// one lane per block. The four weight scales come from one 64-byte load and a
// word permutation.
#include <immintrin.h>

#include <cstdint>
#include <cstring>

#include "kernels/gemv_q4.h"
#include "kernels/prefetch.h"
#include "quant/blocks.h"

namespace corral::kernels {

void prepare_gemv_q4(const ActRows& a, std::int64_t t, Q4Activations& out) {
  const std::int64_t nb = a.n / 32;
  const std::int64_t ng = (nb + 3) / 4;
  out.n_groups = ng;
  out.data.assign(static_cast<std::size_t>(ng) * 256, 0);
  const auto* blocks = reinterpret_cast<const quant::BlockQ8_0*>(a.row(t));
  const std::int32_t* sums = a.sums(t);
  for (std::int64_t g = 0; g < ng; ++g) {
    std::uint8_t* dst = out.data.data() + g * 256;
    auto* lo = reinterpret_cast<std::int8_t*>(dst);
    auto* hi = reinterpret_cast<std::int8_t*>(dst + 64);
    std::int32_t init[16] = {};
    float dx[16] = {};
    for (int k = 0; k < 4; ++k) {
      const std::int64_t b = g * 4 + k;
      if (b >= nb) break;
      std::memcpy(lo + 16 * k, blocks[b].qs, 16);
      std::memcpy(hi + 16 * k, blocks[b].qs + 16, 16);
      init[4 * k] = -8 * sums[b];
      std::uint16_t h;
      std::memcpy(&h, &blocks[b].d, 2);
      for (int j = 0; j < 4; ++j) dx[4 * k + j] = _cvtsh_ss(h);
    }
    std::memcpy(dst + 128, init, 64);
    std::memcpy(dst + 192, dx, 64);
  }
}

void gemv_q4_0_avx512(const Matrix& w, const Q4Activations& x, std::int64_t r0, std::int64_t r1, float* y) {
  const std::int64_t nb = w.n_in / 32;
  const std::int64_t full = nb / 4;  // groups of four whole blocks
  const __m512i m4 = _mm512_set1_epi8(0x0f);
  // Word indices of the four scales (block stride 18 bytes = 9 words), each repeated for 4 lanes.
  const __m512i scale_idx = _mm512_set_epi16(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 27, 27, 27, 27, 18, 18,
                                             18, 18, 9, 9, 9, 9, 0, 0, 0, 0);
  for (std::int64_t r = r0; r < r1; ++r) {
    const std::uint8_t* row = w.row(r);
    __m512 acc = _mm512_setzero_ps();
    for (std::int64_t g = 0; g < full; ++g) {
      const std::uint8_t* p = row + g * 72;
      const std::uint8_t* xa = x.data.data() + g * 256;
      // Two lines per 72-byte group, so that no line is skipped (addresses formed as integers: may lie past the end).
      const std::uintptr_t ahead = reinterpret_cast<std::uintptr_t>(p) + kGemvPrefetchBytes;
      _mm_prefetch(reinterpret_cast<const char*>(ahead), _MM_HINT_T0);
      _mm_prefetch(reinterpret_cast<const char*>(ahead + 64), _MM_HINT_T0);
      __m512i q = _mm512_castsi128_si512(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 2)));
      q = _mm512_inserti32x4(q, _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 20)), 1);
      q = _mm512_inserti32x4(q, _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 38)), 2);
      q = _mm512_inserti32x4(q, _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 56)), 3);
      const __m512i lo = _mm512_and_si512(q, m4);
      const __m512i hi = _mm512_and_si512(_mm512_srli_epi16(q, 4), m4);
      __m512i dot = _mm512_loadu_si512(xa + 128);
      dot = _mm512_dpbusd_epi32(dot, lo, _mm512_loadu_si512(xa));
      dot = _mm512_dpbusd_epi32(dot, hi, _mm512_loadu_si512(xa + 64));
      const __m512i words = _mm512_permutexvar_epi16(scale_idx, _mm512_loadu_si512(p));
      const __m512 dw = _mm512_cvtph_ps(_mm512_castsi512_si256(words));
      acc = _mm512_fmadd_ps(_mm512_cvtepi32_ps(dot), _mm512_mul_ps(dw, _mm512_loadu_ps(xa + 192)), acc);
    }
    float sum = _mm512_reduce_add_ps(acc);
    // Leftover blocks (fewer than four), scalar.
    for (std::int64_t b = full * 4; b < nb; ++b) {
      const std::uint8_t* p = row + b * 18;
      const std::int64_t g = b / 4, k = b % 4;
      const auto* lo = reinterpret_cast<const std::int8_t*>(x.data.data() + g * 256) + 16 * k;
      const auto* hi = lo + 64;
      std::int32_t s = 0;
      for (int j = 0; j < 16; ++j) s += (p[2 + j] & 0x0f) * lo[j] + (p[2 + j] >> 4) * hi[j];
      std::int32_t init;
      std::memcpy(&init, x.data.data() + g * 256 + 128 + 16 * k, 4);
      float dx;
      std::memcpy(&dx, x.data.data() + g * 256 + 192 + 16 * k, 4);
      std::uint16_t h;
      std::memcpy(&h, p, 2);
      sum += static_cast<float>(s + init) * (_cvtsh_ss(h) * dx);
    }
    y[r] = sum;
  }
}

}  // namespace corral::kernels
