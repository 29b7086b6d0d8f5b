// AVX-512 VNNI matrix multiply for Q2_K, Q3_K and Q5_K weights x Q8_K
// activations, with the super-block scheme of gemm_avx512_kquant.cpp: per
// 64-value chunk, vpdpbusd multiplies the unsigned levels by the signed
// activations (each int32 lane sums 4 products: at most 4 * 31 * 128 = 15872
// for Q5_K, 4 * 7 * 128 for Q3_K's levels + 4, 4 * 3 * 128 for Q2_K, so it
// fits in 16 bits), and vpdpwssd multiplies those lanes by the 16-bit group
// scales while accumulating, so a whole 256-value super-block is summed in
// int32. Q3_K's -4 offset (-4 * scale * bsum) and the mins of Q2_K / Q5_K
// (min * bsum, scaled by -dmin) go through the activation block sums.
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
inline __m128i load128(const std::uint8_t* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); }
inline __m256i load256(const std::uint8_t* p) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)); }

using avx512::prefetch_ahead;  // (simd_avx512.h)
// Token generation: each row stream is prefetched one row group ahead (R rows further, same offset).

constexpr std::size_t kActBytes = sizeof(quant::BlockQ8_K);
constexpr std::size_t kActQs = offsetof(quant::BlockQ8_K, qs);
constexpr std::size_t kActBsums = offsetof(quant::BlockQ8_K, bsums);

// 16 signed bytes as int32 lanes whose upper 16 bits are 0 (a 16-bit operand of vpdpwssd).
inline __m512i lanes16_signed(__m128i v) {
  return _mm512_and_si512(_mm512_cvtepi8_epi32(v), _mm512_set1_epi32(0xffff));
}

// Per row and super-block: lane g holds, as a 16-bit value with upper half 0, the scale of
// 16-value group g (sc), -offset * scale (offs), the min (mins).
struct RowScales {
  __m512i sc, offs, mins;
  float d = 0, dmin = 0;
};

// vpdpwssd scale lanes for 64-value chunk j: lanes 4k..4k+3 carry the scale of group 4j + k.
inline __m512i chunk_scales(__m512i sc, int j) {
  const __m512i idx = _mm512_add_epi32(_mm512_set1_epi32(4 * j),
                                       _mm512_setr_epi32(0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3));
  return _mm512_permutexvar_epi32(idx, sc);
}

// 2-bit planes: values 128h + 32p + l are bits 2p..2p+1 of qs[32h + l]. Chunk j = planes 2(j%2), 2(j%2)+1
// of half j/2.
inline __m512i two_bit_planes(const std::uint8_t* qs, int j) {
  const __m512i v = _mm512_broadcast_i64x4(load256(qs + 32 * (j / 2)));
  const int s = 4 * (j % 2);
  const __m512i counts = _mm512_inserti64x4(_mm512_set1_epi16(static_cast<short>(s)),
                                            _mm256_set1_epi16(static_cast<short>(s + 2)), 1);
  return _mm512_and_si512(_mm512_srlv_epi16(v, counts), _mm512_set1_epi8(3));
}

// Mask of the 64 values of chunk j whose bit is set in a 32-byte bit-plane array (value 32k + l <-> bit k of
// bits[l]): the first 32 use bit 2j, the next 32 bit 2j+1.
inline __mmask64 plane_bits(__m256i bits, int j) {
  const __m512i sel = _mm512_inserti64x4(_mm512_set1_epi8(static_cast<char>(1 << (2 * j))),
                                         _mm256_set1_epi8(static_cast<char>(1 << (2 * j + 1))), 1);
  return _mm512_test_epi8_mask(_mm512_broadcast_i64x4(bits), sel);
}

struct Q2K {
  static constexpr std::size_t kBytes = sizeof(quant::BlockQ2_K);
  static constexpr bool kOffsets = false, kMins = true;
  const std::uint8_t* qs;
  void prepare(const std::uint8_t* b, RowScales& s) {
    const __m128i raw = load128(b + offsetof(quant::BlockQ2_K, scales));
    const __m128i m4 = _mm_set1_epi8(0x0f);
    s.sc = _mm512_cvtepu8_epi32(_mm_and_si128(raw, m4));
    s.mins = _mm512_cvtepu8_epi32(_mm_and_si128(_mm_srli_epi16(raw, 4), m4));
    s.d = fp16_at(b + offsetof(quant::BlockQ2_K, d));
    s.dmin = fp16_at(b + offsetof(quant::BlockQ2_K, dmin));
    qs = b + offsetof(quant::BlockQ2_K, qs);
  }
  __m512i levels(int j) const { return two_bit_planes(qs, j); }
};

struct Q3K {
  static constexpr std::size_t kBytes = sizeof(quant::BlockQ3_K);
  static constexpr bool kOffsets = true, kMins = false;
  const std::uint8_t* qs;
  __m256i hmask;
  void prepare(const std::uint8_t* b, RowScales& s) {
    // 16 signed 6-bit scales: low 4 bits in nibble g/8 of byte g%8, high 2 bits at bits 2(g/4) of byte 8 + g%4.
    const std::uint8_t* p = b + offsetof(quant::BlockQ3_K, scales);
    const __m128i lo8 = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p));
    const __m128i m4 = _mm_set1_epi8(0x0f);
    const __m128i low = _mm_unpacklo_epi64(_mm_and_si128(lo8, m4), _mm_and_si128(_mm_srli_epi16(lo8, 4), m4));
    std::uint32_t h;
    std::memcpy(&h, p + 8, 4);
    const __m128i high = _mm_and_si128(_mm_srlv_epi32(_mm_set1_epi32(static_cast<int>(h)), _mm_setr_epi32(0, 2, 4, 6)),
                                       _mm_set1_epi8(3));
    const __m128i sc = _mm_sub_epi8(_mm_or_si128(low, _mm_slli_epi16(high, 4)), _mm_set1_epi8(32));
    s.sc = lanes16_signed(sc);
    s.offs = _mm512_and_si512(_mm512_mullo_epi32(_mm512_cvtepi8_epi32(sc), _mm512_set1_epi32(-4)),
                              _mm512_set1_epi32(0xffff));
    s.d = fp16_at(b + offsetof(quant::BlockQ3_K, d));
    qs = b + offsetof(quant::BlockQ3_K, qs);
    hmask = load256(b + offsetof(quant::BlockQ3_K, hmask));
  }
  // Levels + 4 (0..7): the 2-bit planes plus 4 where the hmask bit is set.
  __m512i levels(int j) const {
    const __m512i low = two_bit_planes(qs, j);
    return _mm512_mask_add_epi8(low, plane_bits(hmask, j), low, _mm512_set1_epi8(4));
  }
};

struct Q5K {
  static constexpr std::size_t kBytes = sizeof(quant::BlockQ5_K);
  static constexpr bool kOffsets = false, kMins = true;
  const std::uint8_t* qs;
  __m256i qh;
  void prepare(const std::uint8_t* b, RowScales& s) {
    // 6-bit scales and mins of the 8 groups of 32, packed as in Q4_K (see quant/blocks.h).
    std::uint32_t u[3];
    std::memcpy(u, b + offsetof(quant::BlockQ5_K, scales), 12);
    const std::uint32_t sc_lo = u[0] & 0x3f3f3f3fu, m_lo = u[1] & 0x3f3f3f3fu;
    const std::uint32_t sc_hi = (u[2] & 0x0f0f0f0fu) | ((u[0] >> 2) & 0x30303030u);
    const std::uint32_t m_hi = ((u[2] >> 4) & 0x0f0f0f0fu) | ((u[1] >> 2) & 0x30303030u);
    const __m128i sc8 = _mm_setr_epi32(static_cast<int>(sc_lo), static_cast<int>(sc_hi), 0, 0);
    const __m128i m8 = _mm_setr_epi32(static_cast<int>(m_lo), static_cast<int>(m_hi), 0, 0);
    // Each group of 32 covers two 16-value groups.
    s.sc = _mm512_cvtepu8_epi32(_mm_unpacklo_epi8(sc8, sc8));
    s.mins = _mm512_cvtepu8_epi32(_mm_unpacklo_epi8(m8, m8));
    s.d = fp16_at(b + offsetof(quant::BlockQ5_K, d));
    s.dmin = fp16_at(b + offsetof(quant::BlockQ5_K, dmin));
    qs = b + offsetof(quant::BlockQ5_K, qs);
    qh = load256(b + offsetof(quant::BlockQ5_K, qh));
  }
  // Values 64j + l: low nibble of qs[32j + l]; 64j + 32 + l: high nibble; plus 16 where the qh bit is set.
  __m512i levels(int j) const {
    const __m256i v = load256(qs + 32 * j);
    const __m256i m4 = _mm256_set1_epi8(0x0f);
    const __m512i q = _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_and_si256(v, m4)),
                                         _mm256_and_si256(_mm256_srli_epi16(v, 4), m4), 1);
    return _mm512_mask_add_epi8(q, plane_bits(qh, j), q, _mm512_set1_epi8(16));
  }
};

template <typename F>
struct SuperKernel {
  template <int R, int C>
  static void tile(const Matrix& w, const ActRows& a, std::int64_t r, std::int64_t t, float* y, std::int64_t ldy) {
    const std::int64_t nsb = w.n_in / 256;
    __m512 acc[R][C];
    for (int i = 0; i < R; ++i)
      for (int c = 0; c < C; ++c) acc[i][c] = _mm512_setzero_ps();
    for (std::int64_t sb = 0; sb < nsb; ++sb) {
      F f[R];
      RowScales s[R];
      for (int i = 0; i < R; ++i) {
        const std::uint8_t* wb = w.data + static_cast<std::size_t>(r + i) * w.row_bytes + sb * F::kBytes;
        for (std::size_t p = 0; p < F::kBytes; p += 64) prefetch_ahead(wb, R * w.row_bytes + p);
        f[i].prepare(wb, s[i]);
      }
      const std::uint8_t* xb[C];
      float dx[C];
      __m512i isum[R][C];
      for (int c = 0; c < C; ++c) {
        xb[c] = a.data + static_cast<std::size_t>(t + c) * a.row_bytes + sb * kActBytes;
        std::memcpy(&dx[c], xb[c], 4);
        const __m512i bs = _mm512_cvtepi16_epi32(load256(xb[c] + kActBsums));
        for (int i = 0; i < R; ++i) {
          isum[i][c] = F::kOffsets ? _mm512_dpwssd_epi32(_mm512_setzero_si512(), bs, s[i].offs) : _mm512_setzero_si512();
          if constexpr (F::kMins) {
            const __m512i msum = _mm512_dpwssd_epi32(_mm512_setzero_si512(), bs, s[i].mins);
            acc[i][c] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(msum), _mm512_set1_ps(-s[i].dmin * dx[c]), acc[i][c]);
          }
        }
      }
      for (int j = 0; j < 4; ++j) {
        __m512i q[R], sc[R];
        for (int i = 0; i < R; ++i) {
          q[i] = f[i].levels(j);
          sc[i] = chunk_scales(s[i].sc, j);
        }
        for (int c = 0; c < C; ++c) {
          const __m512i x = _mm512_loadu_si512(xb[c] + kActQs + 64 * j);
          for (int i = 0; i < R; ++i)
            isum[i][c] = _mm512_dpwssd_epi32(isum[i][c], _mm512_dpbusd_epi32(_mm512_setzero_si512(), q[i], x), sc[i]);
        }
      }
      for (int c = 0; c < C; ++c)
        for (int i = 0; i < R; ++i)
          acc[i][c] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(isum[i][c]), _mm512_set1_ps(s[i].d * dx[c]), acc[i][c]);
    }
    for (int c = 0; c < C; ++c)
      for (int i = 0; i < R; ++i) y[(t + c) * ldy + r + i] = _mm512_reduce_add_ps(acc[i][c]);
  }
};

}  // namespace

GemmFn gemm_avx512_q2k_q3k_q5k(TensorType t) {
  switch (t) {
    case TensorType::Q2_K: return &gemm_tiled<SuperKernel<Q2K>>;
    case TensorType::Q3_K: return &gemm_tiled<SuperKernel<Q3K>>;
    case TensorType::Q5_K: return &gemm_tiled<SuperKernel<Q5K>>;
    default: return nullptr;
  }
}

}  // namespace corral::kernels
