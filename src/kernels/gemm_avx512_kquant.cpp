// AVX-512 VNNI matrix multiply for K-quant weights x Q8_K activations.
// Per 64-value chunk, vpdpbusd multiplies the unsigned quants q by the signed
// activations (every int32 lane then fits in 16 bits), and vpdpwssd scales
// those lanes by the per-group integer scales while accumulating, so a whole
// 256-value super-block is summed in integers and converted to float once.
// Offsets (Q4_K mins, Q6_K's -32) are folded in through the block sums.
#include "kernels/gemm.h"
#include "kernels/gemm_tiling.h"
#include "kernels/simd_avx512.h"
#include "quant/blocks.h"

namespace corral::kernels {
namespace {

using avx512::fp16_scalar;

constexpr std::size_t kActBytes = sizeof(quant::BlockQ8_K);

inline const quant::BlockQ8_K* act_block(const std::uint8_t* row, std::int64_t sb) {
  return reinterpret_cast<const quant::BlockQ8_K*>(row + sb * kActBytes);
}

// The 6-bit scale and min of group g of a Q4_K block (kept local: this file is
// compiled for AVX-512 and must not emit shared inline functions).
inline void scale_min_k4(const std::uint8_t* q, int g, int& sc, int& m) {
  if (g < 4) {
    sc = q[g] & 63;
    m = q[g + 4] & 63;
  } else {
    sc = (q[g + 4] & 0x0f) | ((q[g - 4] >> 6) << 4);
    m = (q[g + 4] >> 4) | ((q[g] >> 6) << 4);
  }
}

// Broadcast each of 16 bytes v[k] into int32 lane k.
inline __m512i bytes_to_lanes_u(__m128i v) { return _mm512_cvtepu8_epi32(v); }

// ---- Q4_K ----------------------------------------------------------------------------------
struct Q4K {
  static constexpr std::size_t kBytes = sizeof(quant::BlockQ4_K);
  // Per row and super-block: scales as int32 lanes per chunk, mins per 16-group lane, float scales.
  struct Row {
    __m512i sc[4];   // chunk j: lanes 0-7 scale of group 2j, 8-15 of group 2j+1
    __m512i mins;    // lane k: min of group k/2 (groups of 32 vs bsums of 16)
    float d, dmin;
    const std::uint8_t* qs;
  };
  static void prepare(const std::uint8_t* blk, Row& r) {
    r.d = fp16_scalar(blk);
    r.dmin = fp16_scalar(blk + 2);
    alignas(16) std::uint8_t sc[16], mn[16];
    for (int g = 0; g < 8; ++g) {
      int s, m;
      scale_min_k4(blk + 4, g, s, m);
      sc[g] = static_cast<std::uint8_t>(s);
      mn[2 * g] = mn[2 * g + 1] = static_cast<std::uint8_t>(m);
    }
    const __m128i scv = _mm_load_si128(reinterpret_cast<const __m128i*>(sc));
    for (int j = 0; j < 4; ++j) {
      const __m128i idx = _mm_set_epi8(2 * j + 1, 2 * j + 1, 2 * j + 1, 2 * j + 1, 2 * j + 1, 2 * j + 1, 2 * j + 1,
                                       2 * j + 1, 2 * j, 2 * j, 2 * j, 2 * j, 2 * j, 2 * j, 2 * j, 2 * j);
      r.sc[j] = bytes_to_lanes_u(_mm_shuffle_epi8(scv, idx));
    }
    r.mins = bytes_to_lanes_u(_mm_load_si128(reinterpret_cast<const __m128i*>(mn)));
    r.qs = blk + 16;
  }
  // Unsigned quants of chunk j (values 64j .. 64j+63).
  static __m512i quants(const Row& r, int j) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(r.qs + 32 * j));
    const __m256i m4 = _mm256_set1_epi8(0x0f);
    return _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_and_si256(v, m4)),
                              _mm256_and_si256(_mm256_srli_epi16(v, 4), m4), 1);
  }
};

struct Q4KKernel {
  template <int R, int C>
  static void tile(const Matrix& w, const ActRows& a, std::int64_t r, std::int64_t t, float* y, std::int64_t ldy) {
    const std::int64_t nsb = w.n_in / 256;
    __m512 acc[R][C];
    for (int i = 0; i < R; ++i)
      for (int j = 0; j < C; ++j) acc[i][j] = _mm512_setzero_ps();
    for (std::int64_t sb = 0; sb < nsb; ++sb) {
      Q4K::Row rows[R];
      for (int i = 0; i < R; ++i) Q4K::prepare(w.row(r + i) + sb * Q4K::kBytes, rows[i]);
      __m512i isum[R][C], imin[R][C];
      const quant::BlockQ8_K* xb[C];
      for (int c = 0; c < C; ++c) {
        xb[c] = act_block(a.row(t + c), sb);
        const __m512i bs = _mm512_cvtepi16_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(xb[c]->bsums)));
        for (int i = 0; i < R; ++i) {
          isum[i][c] = _mm512_setzero_si512();
          imin[i][c] = _mm512_dpwssd_epi32(_mm512_setzero_si512(), bs, rows[i].mins);
        }
      }
      for (int j = 0; j < 4; ++j) {
        __m512i q[R];
        for (int i = 0; i < R; ++i) q[i] = Q4K::quants(rows[i], j);
        for (int c = 0; c < C; ++c) {
          const __m512i x = _mm512_loadu_si512(xb[c]->qs + 64 * j);
          for (int i = 0; i < R; ++i) {
            const __m512i dot = _mm512_dpbusd_epi32(_mm512_setzero_si512(), q[i], x);
            isum[i][c] = _mm512_dpwssd_epi32(isum[i][c], dot, rows[i].sc[j]);
          }
        }
      }
      for (int c = 0; c < C; ++c) {
        const float dx = xb[c]->d;
        for (int i = 0; i < R; ++i) {
          acc[i][c] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(isum[i][c]), _mm512_set1_ps(rows[i].d * dx), acc[i][c]);
          acc[i][c] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(imin[i][c]), _mm512_set1_ps(-rows[i].dmin * dx), acc[i][c]);
        }
      }
    }
    for (int c = 0; c < C; ++c)
      for (int i = 0; i < R; ++i) y[(t + c) * ldy + r + i] = _mm512_reduce_add_ps(acc[i][c]);
  }
};

// ---- Q6_K ----------------------------------------------------------------------------------
struct Q6K {
  static constexpr std::size_t kBytes = sizeof(quant::BlockQ6_K);
  struct Row {
    __m512i sc[4];     // chunk j: lanes 4k..4k+3 hold the scale of group 4j+k (16-bit, upper half 0)
    __m512i corr;      // lane g: -32 * scale of group g (16-bit, upper half 0), paired with bsums
    float d;
    const std::uint8_t* ql;
    const std::uint8_t* qh;
  };
  static void prepare(const std::uint8_t* blk, Row& r) {
    const auto* b = reinterpret_cast<const quant::BlockQ6_K*>(blk);
    r.ql = b->ql;
    r.qh = b->qh;
    r.d = fp16_scalar(blk + offsetof(quant::BlockQ6_K, d));
    const __m128i sc8 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b->scales));
    const __m512i sc32 = _mm512_cvtepi8_epi32(sc8);
    const __m512i low16 = _mm512_set1_epi32(0xffff);
    r.corr = _mm512_and_si512(_mm512_mullo_epi32(sc32, _mm512_set1_epi32(-32)), low16);
    // Chunk j covers groups 4j..4j+3 (the order of values in the block, see quants()).
    for (int j = 0; j < 4; ++j) {
      const __m512i idx = _mm512_set_epi32(4 * j + 3, 4 * j + 3, 4 * j + 3, 4 * j + 3, 4 * j + 2, 4 * j + 2, 4 * j + 2,
                                           4 * j + 2, 4 * j + 1, 4 * j + 1, 4 * j + 1, 4 * j + 1, 4 * j, 4 * j, 4 * j,
                                           4 * j);
      r.sc[j] = _mm512_and_si512(_mm512_permutexvar_epi32(idx, sc32), low16);
    }
  }
  // Unsigned 6-bit quants of values 64j .. 64j+63.
  static __m512i quants(const Row& r, int j) {
    const int half = j / 2;           // which 128-value half
    const bool upper = (j & 1) != 0;  // values 64..127 of the half use the high nibbles
    const __m512i ql = _mm512_loadu_si512(r.ql + 64 * half);
    const __m256i qh = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(r.qh + 32 * half));
    const __m512i m4 = _mm512_set1_epi8(0x0f);
    const __m512i lo = upper ? _mm512_and_si512(_mm512_srli_epi16(ql, 4), m4) : _mm512_and_si512(ql, m4);
    // High 2 bits: values 0-31 use qh bits 0-1, 32-63 bits 2-3, 64-95 bits 4-5, 96-127 bits 6-7.
    const int s0 = upper ? 4 : 0;
    const __m256i h0 = _mm256_and_si256(_mm256_srli_epi16(qh, s0), _mm256_set1_epi8(3));
    const __m256i h1 = _mm256_and_si256(_mm256_srli_epi16(qh, s0 + 2), _mm256_set1_epi8(3));
    const __m512i hi = _mm512_inserti64x4(_mm512_castsi256_si512(h0), h1, 1);
    return _mm512_or_si512(lo, _mm512_slli_epi16(hi, 4));
  }
};

struct Q6KKernel {
  template <int R, int C>
  static void tile(const Matrix& w, const ActRows& a, std::int64_t r, std::int64_t t, float* y, std::int64_t ldy) {
    const std::int64_t nsb = w.n_in / 256;
    __m512 acc[R][C];
    for (int i = 0; i < R; ++i)
      for (int j = 0; j < C; ++j) acc[i][j] = _mm512_setzero_ps();
    for (std::int64_t sb = 0; sb < nsb; ++sb) {
      Q6K::Row rows[R];
      for (int i = 0; i < R; ++i) Q6K::prepare(w.row(r + i) + sb * Q6K::kBytes, rows[i]);
      __m512i isum[R][C];
      const quant::BlockQ8_K* xb[C];
      for (int c = 0; c < C; ++c) {
        xb[c] = act_block(a.row(t + c), sb);
        const __m512i bs = _mm512_cvtepi16_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(xb[c]->bsums)));
        for (int i = 0; i < R; ++i) isum[i][c] = _mm512_dpwssd_epi32(_mm512_setzero_si512(), bs, rows[i].corr);
      }
      for (int j = 0; j < 4; ++j) {
        __m512i q[R];
        for (int i = 0; i < R; ++i) q[i] = Q6K::quants(rows[i], j);
        for (int c = 0; c < C; ++c) {
          const __m512i x = _mm512_loadu_si512(xb[c]->qs + 64 * j);
          for (int i = 0; i < R; ++i) {
            const __m512i dot = _mm512_dpbusd_epi32(_mm512_setzero_si512(), q[i], x);
            isum[i][c] = _mm512_dpwssd_epi32(isum[i][c], dot, rows[i].sc[j]);
          }
        }
      }
      for (int c = 0; c < C; ++c) {
        const float dx = xb[c]->d;
        for (int i = 0; i < R; ++i)
          acc[i][c] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(isum[i][c]), _mm512_set1_ps(rows[i].d * dx), acc[i][c]);
      }
    }
    for (int c = 0; c < C; ++c)
      for (int i = 0; i < R; ++i) y[(t + c) * ldy + r + i] = _mm512_reduce_add_ps(acc[i][c]);
  }
};

}  // namespace

GemmFn gemm_avx512_kquant(TensorType t) {
  switch (t) {
    case TensorType::Q4_K: return &gemm_tiled<Q4KKernel>;
    case TensorType::Q6_K: return &gemm_tiled<Q6KKernel>;
    default: return nullptr;
  }
}

}  // namespace corral::kernels
