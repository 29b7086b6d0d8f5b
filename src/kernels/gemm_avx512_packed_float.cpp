// AVX-512 prompt-processing matmul for float weights (packed_float.h). The
// k dimension is cut into blocks that keep a 32-row weight panel in L1 and the
// block's activations for all tokens in L2; each panel is expanded to f32 once
// and swept over every 12-token group, with 12 x 32 sums held in registers.
// Every sum runs over k in order with one FMA per term, as a plain dot product
// would, so results do not depend on the blocking.
#include <immintrin.h>

#include <algorithm>
#include <vector>

#include "kernels/packed_float.h"

namespace corral::kernels {
namespace {

constexpr std::int64_t T = kFloatPanelTokens;
constexpr std::int64_t R = kFloatPanelRows;
constexpr std::int64_t kBlockK = 256;

// 16 values of row `p` starting at column c (n <= 16 of them valid, the rest 0) as f32.
inline __m512 load_row16(TensorType type, const std::uint8_t* p, std::int64_t c, __mmask16 mask) {
  switch (type) {
    case TensorType::F32: return _mm512_maskz_loadu_ps(mask, reinterpret_cast<const float*>(p) + c);
    case TensorType::F16:
      return _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(mask, reinterpret_cast<const std::uint16_t*>(p) + c));
    default: {  // BF16
      const __m256i h = _mm256_maskz_loadu_epi16(mask, reinterpret_cast<const std::uint16_t*>(p) + c);
      return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16));
    }
  }
}

// In-register transpose of a 16 x 16 block of floats.
inline void transpose16(__m512 r[16]) {
  __m512 t[16];
  for (int i = 0; i < 8; ++i) {
    t[2 * i] = _mm512_unpacklo_ps(r[2 * i], r[2 * i + 1]);
    t[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i], r[2 * i + 1]);
  }
  // r[4i + j]: rows 4i..4i+3 at columns j, j + 4, j + 8, j + 12 (one per 128-bit lane).
  for (int i = 0; i < 4; ++i) {
    r[4 * i + 0] = _mm512_shuffle_ps(t[4 * i + 0], t[4 * i + 2], 0x44);
    r[4 * i + 1] = _mm512_shuffle_ps(t[4 * i + 0], t[4 * i + 2], 0xEE);
    r[4 * i + 2] = _mm512_shuffle_ps(t[4 * i + 1], t[4 * i + 3], 0x44);
    r[4 * i + 3] = _mm512_shuffle_ps(t[4 * i + 1], t[4 * i + 3], 0xEE);
  }
  for (int j = 0; j < 4; ++j) {
    const __m512 s0 = _mm512_shuffle_f32x4(r[j], r[4 + j], 0x88);
    const __m512 s1 = _mm512_shuffle_f32x4(r[j], r[4 + j], 0xDD);
    const __m512 s2 = _mm512_shuffle_f32x4(r[8 + j], r[12 + j], 0x88);
    const __m512 s3 = _mm512_shuffle_f32x4(r[8 + j], r[12 + j], 0xDD);
    t[j] = _mm512_shuffle_f32x4(s0, s2, 0x88);
    t[j + 8] = _mm512_shuffle_f32x4(s0, s2, 0xDD);
    t[j + 4] = _mm512_shuffle_f32x4(s1, s3, 0x88);
    t[j + 12] = _mm512_shuffle_f32x4(s1, s3, 0xDD);
  }
  for (int i = 0; i < 16; ++i) r[i] = t[i];
}

// Rows [r0, r0 + nr) (nr <= 32, missing rows zero), columns [c0, c0 + kc) of w
// as f32 in `panel`, [kc][32].
void pack_panel(const Matrix& w, std::int64_t r0, std::int64_t nr, std::int64_t c0, std::int64_t kc, float* panel) {
  // The next panel's rows (same columns) into L2 while this one is used: 32 short row segments
  // are too many streams for the hardware prefetcher. Addresses past the matrix are harmless.
  const std::size_t elem = w.type == TensorType::F32 ? 4 : 2;
  for (std::int64_t i = 0; i < R; ++i) {
    const std::uintptr_t seg = reinterpret_cast<std::uintptr_t>(w.data) + static_cast<std::size_t>(r0 + R + i) * w.row_bytes +
                               static_cast<std::size_t>(c0) * elem;
    for (std::size_t b = 0; b < static_cast<std::size_t>(kc) * elem; b += 64)
      _mm_prefetch(reinterpret_cast<const char*>(seg + b), _MM_HINT_T1);
  }
  for (std::int64_t half = 0; half < 2; ++half) {
    for (std::int64_t c = 0; c < kc; c += 16) {
      const std::int64_t n = std::min<std::int64_t>(16, kc - c);
      const __mmask16 mask = static_cast<__mmask16>((1u << n) - 1u);
      __m512 v[16];
      for (int i = 0; i < 16; ++i) {
        const std::int64_t row = half * 16 + i;
        v[i] = row < nr ? load_row16(w.type, w.row(r0 + row), c0 + c, mask) : _mm512_setzero_ps();
      }
      transpose16(v);
      for (std::int64_t i = 0; i < n; ++i) _mm512_storeu_ps(panel + (c + i) * R + half * 16, v[i]);
    }
  }
}

// y[token][col .. col + 32) (+)= the panel times 12 tokens' activations (x: [kc][12]).
template <bool Accumulate>
void micro_kernel(const float* panel, const float* x, std::int64_t kc, float* y, std::int64_t ldy, std::int64_t tokens,
                  __mmask16 m0, __mmask16 m1) {
  __m512 a0[T], a1[T];
  for (int t = 0; t < T; ++t) {
    if (Accumulate && t < tokens) {
      a0[t] = _mm512_maskz_loadu_ps(m0, y + t * ldy);
      a1[t] = _mm512_maskz_loadu_ps(m1, y + t * ldy + 16);
    } else {
      a0[t] = _mm512_setzero_ps();
      a1[t] = _mm512_setzero_ps();
    }
  }
  for (std::int64_t i = 0; i < kc; ++i) {
    const __m512 w0 = _mm512_loadu_ps(panel + i * R);
    const __m512 w1 = _mm512_loadu_ps(panel + i * R + 16);
    for (int t = 0; t < T; ++t) {
      const __m512 xb = _mm512_set1_ps(x[i * T + t]);
      a0[t] = _mm512_fmadd_ps(w0, xb, a0[t]);
      a1[t] = _mm512_fmadd_ps(w1, xb, a1[t]);
    }
  }
  for (int t = 0; t < T; ++t) {
    if (t >= tokens) break;
    _mm512_mask_storeu_ps(y + t * ldy, m0, a0[t]);
    _mm512_mask_storeu_ps(y + t * ldy + 16, m1, a1[t]);
  }
}

}  // namespace

void packed_float_gemm_avx512(const Matrix& w, const PackedFloatActs& pa, std::int64_t r0, std::int64_t r1, float* y,
                              std::int64_t ldy, std::vector<float>& panel) {
  panel.resize(static_cast<std::size_t>(kBlockK * R));
  for (std::int64_t c0 = 0; c0 < w.n_in; c0 += kBlockK) {
    const std::int64_t kc = std::min(kBlockK, w.n_in - c0);
    for (std::int64_t r = r0; r < r1; r += R) {
      const std::int64_t nr = std::min(R, r1 - r);
      pack_panel(w, r, nr, c0, kc, panel.data());
      const __mmask16 m0 = static_cast<__mmask16>(nr >= 16 ? 0xffffu : (1u << nr) - 1u);
      const __mmask16 m1 = static_cast<__mmask16>(nr >= 32 ? 0xffffu : nr <= 16 ? 0u : (1u << (nr - 16)) - 1u);
      for (std::int64_t g = 0; g < pa.n_groups; ++g) {
        const float* x = pa.at(g) + c0 * T;
        float* yg = y + g * T * ldy + r;
        const std::int64_t tokens = std::min(T, pa.m - g * T);
        if (c0 == 0)
          micro_kernel<false>(panel.data(), x, kc, yg, ldy, tokens, m0, m1);
        else
          micro_kernel<true>(panel.data(), x, kc, yg, ldy, tokens, m0, m1);
      }
    }
  }
}

}  // namespace corral::kernels
