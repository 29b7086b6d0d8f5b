// AVX2 matrix multiply for the 256-value super-block formats with Q8_K
// activations: Q2_K, Q3_K, Q4_K, Q5_K, Q6_K and IQ4_XS. Per 32-value chunk,
// _mm256_maddubs_epi16 multiplies levels by activations into 16-bit pair sums
// (unsigned levels 0..63 go in directly: pairs stay below 2 * 63 * 128;
// IQ4_XS's signed levels go in as |w| with x given w's sign, exact because
// Q8_K activations are in -127..127), and _mm256_madd_epi16 multiplies those
// pairs by the 16-bit group scales, so a whole super-block is summed in int32
// and converted to float once. Constant level offsets (Q3_K's -4, Q6_K's -32)
// and the mins (Q2_K, Q4_K, Q5_K) go through the activation block sums
// (bsums). The integer sums equal the reference's exactly.
// Tiles: one row x up to 4 tokens, or up to 4 rows x 1 token.
#include "kernels/gemm.h"
#include "kernels/gemm_tiling.h"
#include "kernels/simd_avx2.h"
#include "quant/blocks.h"

namespace corral::kernels {
namespace {

using avx2::fp16_at;
using avx2::load128;
using avx2::load256;

constexpr std::size_t kActBytes = sizeof(quant::BlockQ8_K);
constexpr std::size_t kActQs = offsetof(quant::BlockQ8_K, qs);
constexpr std::size_t kActBsums = offsetof(quant::BlockQ8_K, bsums);
// Token generation: each row stream is prefetched one row group ahead (R rows further, same offset).

// Shift every 16-bit lane left (s > 0) or right (s < 0) by |s| bits.
inline __m256i shift16(__m256i v, int s) {
  return s >= 0 ? _mm256_sll_epi16(v, _mm_cvtsi32_si128(s)) : _mm256_srl_epi16(v, _mm_cvtsi32_si128(-s));
}

// Bit `bit` of every byte of v, moved to bit `to` (other bits cleared).
inline __m256i move_bit(__m256i v, int bit, int to) {
  return _mm256_and_si256(shift16(v, to - bit), _mm256_set1_epi8(static_cast<char>(1 << to)));
}

// The per-super-block data of one weight row, common to all formats.
struct RowScales {
  __m256i lo, hi;  // 16-bit scales of the 16-value groups 0-7 (lo) and 8-15 (hi), in both 128-bit halves
  __m256i offs;    // 16-bit lane g: what multiplies bsums[g] into the integer sum (-offset * scale), or 0
  __m256i mins;    // 16-bit lane g: the min of group g, multiplied by -dmin * dx * bsums[g]
  float d = 0, dmin = 0;
};

// From 16 signed byte scales (one per 16-value group).
inline void set_scales(__m128i sc8, RowScales& s) {
  const __m256i s16 = _mm256_cvtepi8_epi16(sc8);
  s.lo = _mm256_permute2x128_si256(s16, s16, 0x00);
  s.hi = _mm256_permute2x128_si256(s16, s16, 0x11);
}

// 16-bit scale lanes for 32-value chunk k: lanes 0-7 the scale of group 2k, lanes 8-15 of group 2k+1.
inline __m256i chunk_scales(const RowScales& s, int k) {
  const int b = 4 * (k % 4);
  const __m256i idx = _mm256_set_m128i(_mm_set1_epi16(static_cast<short>((b + 2) | (b + 3) << 8)),
                                       _mm_set1_epi16(static_cast<short>(b | (b + 1) << 8)));
  return _mm256_shuffle_epi8(k < 4 ? s.lo : s.hi, idx);
}

// Byte i and byte i of a copy, interleaved: per-32-group values spread over 16-value groups.
inline __m128i twice_each(__m128i v) { return _mm_unpacklo_epi8(v, v); }

// The 6-bit scales (bytes 0-7 of sc) and mins (bytes 0-7 of m) of a Q4_K / Q5_K block.
inline void unpack_k4_scales(const std::uint8_t* p, __m128i& sc, __m128i& m) {
  std::uint32_t u[3];
  std::memcpy(u, p, 12);
  const std::uint32_t sc_lo = u[0] & 0x3f3f3f3fu, m_lo = u[1] & 0x3f3f3f3fu;
  const std::uint32_t sc_hi = (u[2] & 0x0f0f0f0fu) | ((u[0] >> 2) & 0x30303030u);
  const std::uint32_t m_hi = ((u[2] >> 4) & 0x0f0f0f0fu) | ((u[1] >> 2) & 0x30303030u);
  sc = _mm_setr_epi32(static_cast<int>(sc_lo), static_cast<int>(sc_hi), 0, 0);
  m = _mm_setr_epi32(static_cast<int>(m_lo), static_cast<int>(m_hi), 0, 0);
}

// ---- formats: prepare() fills RowScales; levels(k) gives the 32 levels of chunk k --------------

struct Q2K {
  static constexpr std::size_t kBytes = sizeof(quant::BlockQ2_K);
  static constexpr bool kSigned = false, kOffsets = false, kMins = true;
  const std::uint8_t* qs;
  void prepare(const std::uint8_t* b, RowScales& s) {
    const __m128i raw = load128(b + offsetof(quant::BlockQ2_K, scales));
    const __m128i m4 = _mm_set1_epi8(0x0f);
    set_scales(_mm_and_si128(raw, m4), s);
    s.mins = _mm256_cvtepu8_epi16(_mm_and_si128(_mm_srli_epi16(raw, 4), m4));
    s.d = fp16_at(b + offsetof(quant::BlockQ2_K, d));
    s.dmin = fp16_at(b + offsetof(quant::BlockQ2_K, dmin));
    qs = b + offsetof(quant::BlockQ2_K, qs);
  }
  // Value 128h + 32p + l: bits 2p..2p+1 of qs[32h + l].
  __m256i levels(int k) const {
    const __m256i v = load256(qs + 32 * (k / 4));
    return _mm256_and_si256(shift16(v, -2 * (k % 4)), _mm256_set1_epi8(3));
  }
};

struct Q3K {
  static constexpr std::size_t kBytes = sizeof(quant::BlockQ3_K);
  static constexpr bool kSigned = false, kOffsets = true, kMins = false;
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
    set_scales(sc, s);
    s.offs = _mm256_mullo_epi16(_mm256_cvtepi8_epi16(sc), _mm256_set1_epi16(-4));
    s.d = fp16_at(b + offsetof(quant::BlockQ3_K, d));
    qs = b + offsetof(quant::BlockQ3_K, qs);
    hmask = load256(b + offsetof(quant::BlockQ3_K, hmask));
  }
  // Value 32k + l (k = 4h + p): bits 2p..2p+1 of qs[32h + l] plus 4 * bit k of hmask[l]; level = that - 4.
  __m256i levels(int k) const {
    const __m256i v = load256(qs + 32 * (k / 4));
    const __m256i low = _mm256_and_si256(shift16(v, -2 * (k % 4)), _mm256_set1_epi8(3));
    return _mm256_or_si256(low, move_bit(hmask, k, 2));
  }
};

struct Q4K {
  static constexpr std::size_t kBytes = sizeof(quant::BlockQ4_K);
  static constexpr bool kSigned = false, kOffsets = false, kMins = true;
  const std::uint8_t* qs;
  void prepare(const std::uint8_t* b, RowScales& s) {
    __m128i sc, m;
    unpack_k4_scales(b + offsetof(quant::BlockQ4_K, scales), sc, m);
    set_scales(twice_each(sc), s);
    s.mins = _mm256_cvtepu8_epi16(twice_each(m));
    s.d = fp16_at(b + offsetof(quant::BlockQ4_K, d));
    s.dmin = fp16_at(b + offsetof(quant::BlockQ4_K, dmin));
    qs = b + offsetof(quant::BlockQ4_K, qs);
  }
  // Value 64j + l: low nibble of qs[32j + l]; 64j + 32 + l: high nibble.
  __m256i levels(int k) const {
    const __m256i v = load256(qs + 32 * (k / 2));
    return _mm256_and_si256(shift16(v, -4 * (k % 2)), _mm256_set1_epi8(0x0f));
  }
};

struct Q5K {
  static constexpr std::size_t kBytes = sizeof(quant::BlockQ5_K);
  static constexpr bool kSigned = false, kOffsets = false, kMins = true;
  const std::uint8_t* qs;
  __m256i qh;
  void prepare(const std::uint8_t* b, RowScales& s) {
    __m128i sc, m;
    unpack_k4_scales(b + offsetof(quant::BlockQ5_K, scales), sc, m);
    set_scales(twice_each(sc), s);
    s.mins = _mm256_cvtepu8_epi16(twice_each(m));
    s.d = fp16_at(b + offsetof(quant::BlockQ5_K, d));
    s.dmin = fp16_at(b + offsetof(quant::BlockQ5_K, dmin));
    qs = b + offsetof(quant::BlockQ5_K, qs);
    qh = load256(b + offsetof(quant::BlockQ5_K, qh));
  }
  // Q4_K's nibbles plus 16 * bit k of qh[l] for value 32k + l.
  __m256i levels(int k) const {
    const __m256i v = load256(qs + 32 * (k / 2));
    const __m256i low = _mm256_and_si256(shift16(v, -4 * (k % 2)), _mm256_set1_epi8(0x0f));
    return _mm256_or_si256(low, move_bit(qh, k, 4));
  }
};

struct Q6K {
  static constexpr std::size_t kBytes = sizeof(quant::BlockQ6_K);
  static constexpr bool kSigned = false, kOffsets = true, kMins = false;
  const std::uint8_t* ql;
  const std::uint8_t* qh;
  void prepare(const std::uint8_t* b, RowScales& s) {
    const __m128i sc = load128(b + offsetof(quant::BlockQ6_K, scales));
    set_scales(sc, s);
    s.offs = _mm256_mullo_epi16(_mm256_cvtepi8_epi16(sc), _mm256_set1_epi16(-32));
    s.d = fp16_at(b + offsetof(quant::BlockQ6_K, d));
    ql = b + offsetof(quant::BlockQ6_K, ql);
    qh = b + offsetof(quant::BlockQ6_K, qh);
  }
  // Value 128h + 32p + l: nibble p/2 of ql[64h + 32(p%2) + l], bits 2p..2p+1 of qh[32h + l] on top.
  __m256i levels(int k) const {
    const int h = k / 4, p = k % 4;
    const __m256i lv = load256(ql + 64 * h + 32 * (p % 2));
    const __m256i low = _mm256_and_si256(shift16(lv, -4 * (p / 2)), _mm256_set1_epi8(0x0f));
    const __m256i hv = load256(qh + 32 * h);
    const __m256i high = _mm256_and_si256(shift16(hv, 4 - 2 * p), _mm256_set1_epi8(0x30));
    return _mm256_or_si256(low, high);
  }
};

// The IQ4 levels (the same values as quant::kIQ4Values, checked below), kept local so that nothing
// from a shared header is instantiated in this AVX2 translation unit.
constexpr std::int8_t kIQ4[16] = {-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113};
constexpr bool iq4_table_matches() {
  for (int i = 0; i < 16; ++i)
    if (kIQ4[i] != quant::kIQ4Values[static_cast<std::size_t>(i)]) return false;
  return true;
}
static_assert(iq4_table_matches());

struct IQ4XS {
  static constexpr std::size_t kBytes = sizeof(quant::BlockIQ4_XS);
  static constexpr bool kSigned = true, kOffsets = false, kMins = false;
  const std::uint8_t* qs;
  void prepare(const std::uint8_t* b, RowScales& s) {
    // Group g's 6-bit scale: nibble g of scales_l (as a little-endian u32), bits 2g..2g+1 of scales_h on top.
    std::uint32_t sl;
    std::uint16_t sh;
    std::memcpy(&sl, b + offsetof(quant::BlockIQ4_XS, scales_l), 4);
    std::memcpy(&sh, b + offsetof(quant::BlockIQ4_XS, scales_h), 2);
    const __m256i low = _mm256_and_si256(
        _mm256_srlv_epi32(_mm256_set1_epi32(static_cast<int>(sl)), _mm256_setr_epi32(0, 4, 8, 12, 16, 20, 24, 28)),
        _mm256_set1_epi32(0x0f));
    const __m256i high = _mm256_and_si256(
        _mm256_srlv_epi32(_mm256_set1_epi32(sh), _mm256_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14)), _mm256_set1_epi32(3));
    const __m256i ls = _mm256_sub_epi32(_mm256_or_si256(low, _mm256_slli_epi32(high, 4)), _mm256_set1_epi32(32));
    // 8 int32 -> 8 int8 (values -32..31): bytes 0-3 of each half, then the halves side by side.
    const __m256i b8 = _mm256_shuffle_epi8(ls, _mm256_set1_epi32(0x0c080400));
    const __m128i sc = _mm_unpacklo_epi32(_mm256_castsi256_si128(b8), _mm256_extracti128_si256(b8, 1));
    set_scales(twice_each(sc), s);
    s.d = fp16_at(b + offsetof(quant::BlockIQ4_XS, d));
    qs = b + offsetof(quant::BlockIQ4_XS, qs);
  }
  // Group k: nibbles of qs[16k .. 16k + 15] (value j low, j + 16 high) through the IQ4 table.
  __m256i levels(int k) const {
    const __m256i table = _mm256_broadcastsi128_si256(load128(kIQ4));
    return _mm256_shuffle_epi8(table, avx2::nibbles_32(qs + 16 * k));
  }
};

template <typename F>
struct SuperKernel {
  template <int R, int C>
  static void sub(const Matrix& w, const ActRows& a, std::int64_t r, std::int64_t t, float* y, std::int64_t ldy) {
    const std::int64_t nsb = w.n_in / 256;
    __m256 acc[R][C];
    for (int i = 0; i < R; ++i)
      for (int j = 0; j < C; ++j) acc[i][j] = _mm256_setzero_ps();
    for (std::int64_t sb = 0; sb < nsb; ++sb) {
      const std::uint8_t* xb[C];
      float dx[C];
      for (int j = 0; j < C; ++j) {
        xb[j] = avx2::act_row(a, t + j) + sb * kActBytes;
        std::memcpy(&dx[j], xb[j], 4);
      }
      for (int i = 0; i < R; ++i) {
        F f;
        RowScales s;
        const std::uint8_t* wb = avx2::weight_row(w, r + i) + sb * F::kBytes;
        for (std::size_t p = 0; p < F::kBytes; p += 64) avx2::prefetch_ahead(wb, R * w.row_bytes + p);
        f.prepare(wb, s);
        __m256i isum[C];
        for (int j = 0; j < C; ++j) {
          isum[j] = _mm256_setzero_si256();
          if constexpr (F::kOffsets || F::kMins) {
            const __m256i bs = load256(xb[j] + kActBsums);
            if constexpr (F::kOffsets) isum[j] = _mm256_madd_epi16(bs, s.offs);
            if constexpr (F::kMins)
              acc[i][j] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_madd_epi16(bs, s.mins)),
                                          _mm256_set1_ps(-s.dmin * dx[j]), acc[i][j]);
          }
        }
#pragma GCC unroll 8
        for (int k = 0; k < 8; ++k) {
          const __m256i q = f.levels(k);
          const __m256i sc = chunk_scales(s, k);
          const __m256i uq = F::kSigned ? _mm256_abs_epi8(q) : q;
          for (int j = 0; j < C; ++j) {
            __m256i x = load256(xb[j] + kActQs + 32 * k);
            if constexpr (F::kSigned) x = _mm256_sign_epi8(x, q);
            isum[j] = _mm256_add_epi32(isum[j], _mm256_madd_epi16(_mm256_maddubs_epi16(uq, x), sc));
          }
        }
        for (int j = 0; j < C; ++j)
          acc[i][j] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(isum[j]), _mm256_set1_ps(s.d * dx[j]), acc[i][j]);
      }
    }
    for (int j = 0; j < C; ++j)
      for (int i = 0; i < R; ++i) y[(t + j) * ldy + r + i] = avx2::hsum(acc[i][j]);
  }

  // One token: all rows of the tile together; several tokens: one row at a time.
  template <int R, int C>
  static void tile(const Matrix& w, const ActRows& a, std::int64_t r, std::int64_t t, float* y, std::int64_t ldy) {
    if constexpr (C == 1)
      sub<R, 1>(w, a, r, t, y, ldy);
    else
      for (int i = 0; i < R; ++i) sub<1, C>(w, a, r + i, t, y, ldy);
  }
};

}  // namespace

GemmFn gemm_avx2_kquant(TensorType t) {
  switch (t) {
    case TensorType::Q2_K: return &gemm_tiled<SuperKernel<Q2K>>;
    case TensorType::Q3_K: return &gemm_tiled<SuperKernel<Q3K>>;
    case TensorType::Q4_K: return &gemm_tiled<SuperKernel<Q4K>>;
    case TensorType::Q5_K: return &gemm_tiled<SuperKernel<Q5K>>;
    case TensorType::Q6_K: return &gemm_tiled<SuperKernel<Q6K>>;
    case TensorType::IQ4_XS: return &gemm_tiled<SuperKernel<IQ4XS>>;
    default: return nullptr;
  }
}

}  // namespace corral::kernels
