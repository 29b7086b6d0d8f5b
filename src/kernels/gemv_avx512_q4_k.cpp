// AVX-512 VNNI matrix-vector product for Q4_K weights (gemv_q4k.h). Per
// super-block: two 64-byte nibble loads, four vpdpbusd (unsigned nibbles x
// signed activations) whose int32 lanes are scaled by the 6-bit group scales
// and summed with four vpdpwssd; the mins use the activation group sums.
#include <immintrin.h>

#include <cstdint>
#include <cstring>

#include "kernels/gemv_q4k.h"
#include "kernels/prefetch.h"
#include "quant/blocks.h"

namespace corral::kernels {

namespace {
constexpr std::size_t kSuperBytes = 320;
}

void prepare_gemv_q4k(const ActRows& a, std::int64_t t, Q4KActivations& out) {
  const std::int64_t ns = a.n / 256;
  out.n_super = ns;
  out.data.assign(static_cast<std::size_t>(ns) * kSuperBytes, 0);
  const auto* blocks = reinterpret_cast<const quant::BlockQ8_K*>(a.row(t));
  // Source offsets of the four 64-byte vectors, as pairs of 32-value runs.
  static const int kRuns[4][2] = {{0, 64}, {32, 96}, {128, 192}, {160, 224}};
  for (std::int64_t s = 0; s < ns; ++s) {
    std::uint8_t* dst = out.data.data() + s * kSuperBytes;
    const quant::BlockQ8_K& b = blocks[s];
    for (int v = 0; v < 4; ++v) {
      std::memcpy(dst + 64 * v, b.qs + kRuns[v][0], 32);
      std::memcpy(dst + 64 * v + 32, b.qs + kRuns[v][1], 32);
    }
    std::int32_t sums[8];
    for (int g = 0; g < 8; ++g) sums[g] = b.bsums[2 * g] + b.bsums[2 * g + 1];
    std::memcpy(dst + 256, sums, 32);
    std::memcpy(dst + 288, &b.d, 4);
  }
}

void gemv_q4_k_avx512(const Matrix& w, const Q4KActivations& x, std::int64_t r0, std::int64_t r1, float* y) {
  constexpr std::uint32_t kMask1 = 0x3f3f3f3f, kMask2 = 0x0f0f0f0f, kMask3 = 0x03030303;
  const __m512i m4 = _mm512_set1_epi8(0x0f);
  const __m512i low16 = _mm512_set1_epi32(0xffff);
  // Lanes 0-7 take byte a, lanes 8-15 byte b of the 8 unpacked scales.
  const __m512i idx_a = _mm512_set_epi32(2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0);
  const __m512i idx_b = _mm512_set_epi32(3, 3, 3, 3, 3, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1);
  const __m512i idx_c = _mm512_set_epi32(6, 6, 6, 6, 6, 6, 6, 6, 4, 4, 4, 4, 4, 4, 4, 4);
  const __m512i idx_d = _mm512_set_epi32(7, 7, 7, 7, 7, 7, 7, 7, 5, 5, 5, 5, 5, 5, 5, 5);
  for (std::int64_t r = r0; r < r1; ++r) {
    const std::uint8_t* row = w.row(r);
    __m512 acc = _mm512_setzero_ps();
    float acc_min = 0.0f;
    for (std::int64_t s = 0; s < x.n_super; ++s) {
      const std::uint8_t* blk = row + s * sizeof(quant::BlockQ4_K);
      const std::uint8_t* xa = x.data.data() + s * kSuperBytes;
      // The 144-byte super-block spans up to 3 lines (addresses formed as integers: may lie past the end).
      const std::uintptr_t ahead = reinterpret_cast<std::uintptr_t>(blk) + kGemvPrefetchBytes;
      for (std::uintptr_t l = 0; l < 192; l += 64) _mm_prefetch(reinterpret_cast<const char*>(ahead + l), _MM_HINT_T0);
      // 6-bit scales and mins: bytes of u[0..1] become the scales, of u[2..3] the mins.
      std::uint32_t u[4];
      std::memcpy(u, blk + 4, 12);
      u[3] = ((u[2] >> 4) & kMask2) | (((u[1] >> 6) & kMask3) << 4);
      const std::uint32_t mins_lo = u[1] & kMask1;
      u[1] = (u[2] & kMask2) | (((u[0] >> 6) & kMask3) << 4);
      u[2] = mins_lo;
      u[0] &= kMask1;
      const __m512i sc = _mm512_cvtepu8_epi32(_mm_cvtsi64_si128(static_cast<long long>(u[0]) |
                                                                (static_cast<long long>(u[1]) << 32)));
      const __m512i q0 = _mm512_loadu_si512(blk + 16);
      const __m512i q1 = _mm512_loadu_si512(blk + 80);
      __m512i isum = _mm512_dpwssd_epi32(
          _mm512_setzero_si512(),
          _mm512_dpbusd_epi32(_mm512_setzero_si512(), _mm512_and_si512(q0, m4), _mm512_loadu_si512(xa)),
          _mm512_and_si512(_mm512_permutexvar_epi32(idx_a, sc), low16));
      isum = _mm512_dpwssd_epi32(
          isum,
          _mm512_dpbusd_epi32(_mm512_setzero_si512(), _mm512_and_si512(_mm512_srli_epi16(q0, 4), m4),
                              _mm512_loadu_si512(xa + 64)),
          _mm512_and_si512(_mm512_permutexvar_epi32(idx_b, sc), low16));
      isum = _mm512_dpwssd_epi32(
          isum,
          _mm512_dpbusd_epi32(_mm512_setzero_si512(), _mm512_and_si512(q1, m4), _mm512_loadu_si512(xa + 128)),
          _mm512_and_si512(_mm512_permutexvar_epi32(idx_c, sc), low16));
      isum = _mm512_dpwssd_epi32(
          isum,
          _mm512_dpbusd_epi32(_mm512_setzero_si512(), _mm512_and_si512(_mm512_srli_epi16(q1, 4), m4),
                              _mm512_loadu_si512(xa + 192)),
          _mm512_and_si512(_mm512_permutexvar_epi32(idx_d, sc), low16));
      std::uint16_t dh, mh;
      std::memcpy(&dh, blk, 2);
      std::memcpy(&mh, blk + 2, 2);
      float dx;
      std::memcpy(&dx, xa + 288, 4);
      std::int32_t sums[8];
      std::memcpy(sums, xa + 256, 32);
      const std::uint8_t* mn = reinterpret_cast<const std::uint8_t*>(&u[2]);
      std::int32_t msum = 0;
      for (int g = 0; g < 8; ++g) msum += mn[g] * sums[g];
      acc = _mm512_fmadd_ps(_mm512_cvtepi32_ps(isum), _mm512_set1_ps(_cvtsh_ss(dh) * dx), acc);
      acc_min += _cvtsh_ss(mh) * dx * static_cast<float>(msum);
    }
    y[r] = _mm512_reduce_add_ps(acc) - acc_min;
  }
}

}  // namespace corral::kernels
