// Weight quantizers of the K-quants Q2_K, Q3_K, Q4_K, Q5_K and Q6_K (super-
// blocks of 256): each sub-block's scale (and min) is searched to minimise
// the squared (Q2_K: absolute) error, the scales themselves are quantized
// against one super-block scale, and the values are re-rounded with the
// quantized scales: ggml's reference quantizers without an importance matrix.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "quant/blocks.h"
#include "quant/format_quantizers.h"
#include "quant/scale_search.h"
#include "util/fp16.h"

namespace corral::quant::detail {
namespace {

// Packs 2-bit levels planar: byte l of each 32-byte half holds values l, l+32, l+64, l+96 of its 128.
void pack_2bit_planes(const std::uint8_t* L, std::uint8_t* qs) {
  for (int half = 0; half < kQK_K; half += 128) {
    for (int l = 0; l < 32; ++l) {
      qs[half / 4 + l] = static_cast<std::uint8_t>(L[half + l] | (L[half + l + 32] << 2) | (L[half + l + 64] << 4) |
                                                   (L[half + l + 96] << 6));
    }
  }
}

// Packs the 6-bit scales and mins of 8 groups into the 12 bytes of Q4_K / Q5_K (see unpack_scale_min_k4).
void pack_scale_min_k4(const std::uint8_t* sc, const std::uint8_t* mn, std::uint8_t* out) {
  for (int j = 0; j < 8; ++j) {
    if (j < 4) {
      out[j] = sc[j];
      out[j + 4] = mn[j];
    } else {
      out[j + 4] = static_cast<std::uint8_t>((sc[j] & 0x0f) | ((mn[j] & 0x0f) << 4));
      out[j - 4] |= static_cast<std::uint8_t>((sc[j] >> 4) << 6);
      out[j] |= static_cast<std::uint8_t>((mn[j] >> 4) << 6);
    }
  }
}

// ggml's `uint8_t q = nearest_int(v); q = MIN(63, q)`: the int wraps to a byte first.
std::uint8_t six_bit_level(float v) {
  const auto wrapped = static_cast<std::uint8_t>(round_nearest(v) & 0xff);
  return std::min<std::uint8_t>(63, wrapped);
}

// Q4_K and Q5_K differ only in the level count, the search range and how the levels are stored.
struct AffineK {
  int nmax;
  float rmin;
  int nstep;
};

// Fills d, dmin and the packed scales of one Q4_K / Q5_K super-block and its 256 levels.
void quantize_affine_superblock(const float* x, const AffineK& k, std::uint16_t& d_out, std::uint16_t& dmin_out,
                                std::uint8_t* scales_out, std::uint8_t* L) {
  float scales[8], mins[8];
  float weights[32];
  std::uint8_t aux[32];
  float max_scale = 0, max_min = 0;
  for (int j = 0; j < 8; ++j) {
    const float* xs = x + 32 * j;
    float sum_x2 = 0;
    for (int l = 0; l < 32; ++l) sum_x2 += xs[l] * xs[l];
    const float av_x = std::sqrt(sum_x2 / 32);
    for (int l = 0; l < 32; ++l) weights[l] = av_x + std::fabs(xs[l]);
    scales[j] = fit_affine_scale(32, k.nmax, xs, weights, L + 32 * j, &mins[j], aux, k.rmin, 0.1f, k.nstep, false);
    if (scales[j] > max_scale) max_scale = scales[j];
    if (mins[j] > max_min) max_min = mins[j];
  }
  const float inv_scale = max_scale > 0 ? 63.f / max_scale : 0.f;
  const float inv_min = max_min > 0 ? 63.f / max_min : 0.f;
  std::uint8_t ls[8], lm[8];
  for (int j = 0; j < 8; ++j) {
    ls[j] = six_bit_level(inv_scale * scales[j]);
    lm[j] = six_bit_level(inv_min * mins[j]);
  }
  pack_scale_min_k4(ls, lm, scales_out);
  d_out = fp32_to_fp16(max_scale / 63.f);
  dmin_out = fp32_to_fp16(max_min / 63.f);
  // Re-round every value with the scales as stored.
  const float d_all = fp16_to_fp32(d_out), dmin_all = fp16_to_fp32(dmin_out);
  for (int j = 0; j < 8; ++j) {
    int sc, m;
    unpack_scale_min_k4(scales_out, j, sc, m);
    const float d = d_all * static_cast<float>(sc);
    if (d == 0) continue;
    const float dm = dmin_all * static_cast<float>(m);
    for (int ii = 0; ii < 32; ++ii) {
      const int l = round_nearest((x[32 * j + ii] + dm) / d);
      L[32 * j + ii] = static_cast<std::uint8_t>(std::max(0, std::min(k.nmax, l)));
    }
  }
}

}  // namespace

void quantize_q2_k(const float* x, void* dst, std::int64_t nb) {
  constexpr float kScaleLevels = 15.f;
  for (std::int64_t i = 0; i < nb; ++i, x += kQK_K) {
    std::uint8_t L[kQK_K], aux[16];
    float weights[16], scales[16], mins[16];
    float max_scale = 0, max_min = 0;
    for (int j = 0; j < 16; ++j) {
      for (int l = 0; l < 16; ++l) weights[l] = std::fabs(x[16 * j + l]);
      scales[j] = fit_affine_scale(16, 3, x + 16 * j, weights, L + 16 * j, &mins[j], aux, -0.5f, 0.1f, 15, true);
      if (scales[j] > max_scale) max_scale = scales[j];
      if (mins[j] > max_min) max_min = mins[j];
    }
    BlockQ2_K b;
    std::memset(&b, 0, sizeof b);
    if (max_scale > 0) {
      const float iscale = kScaleLevels / max_scale;
      for (int j = 0; j < 16; ++j) b.scales[j] = static_cast<std::uint8_t>(round_nearest(iscale * scales[j]));
      b.d = fp32_to_fp16(max_scale / kScaleLevels);
    } else {
      b.d = fp32_to_fp16(0.f);
    }
    if (max_min > 0) {
      const float iscale = kScaleLevels / max_min;
      for (int j = 0; j < 16; ++j) b.scales[j] |= static_cast<std::uint8_t>(round_nearest(iscale * mins[j]) << 4);
      b.dmin = fp32_to_fp16(max_min / kScaleLevels);
    } else {
      b.dmin = fp32_to_fp16(0.f);
    }
    const float d_all = fp16_to_fp32(b.d), dmin_all = fp16_to_fp32(b.dmin);
    for (int j = 0; j < 16; ++j) {
      const float d = d_all * static_cast<float>(b.scales[j] & 0x0f);
      if (d == 0) continue;
      const float dm = dmin_all * static_cast<float>(b.scales[j] >> 4);
      for (int ii = 0; ii < 16; ++ii) {
        const int l = round_nearest((x[16 * j + ii] + dm) / d);
        L[16 * j + ii] = static_cast<std::uint8_t>(std::max(0, std::min(3, l)));
      }
    }
    pack_2bit_planes(L, b.qs);
    store_block(dst, i, b);
  }
}

void quantize_q3_k(const float* x, void* dst, std::int64_t nb) {
  for (std::int64_t i = 0; i < nb; ++i, x += kQK_K) {
    std::int8_t L[kQK_K];
    float scales[16];
    float max_scale = 0, amax = 0;
    for (int j = 0; j < 16; ++j) {
      scales[j] = fit_symmetric_scale_refined(16, 4, x + 16 * j, L + 16 * j);
      if (std::fabs(scales[j]) > amax) {
        amax = std::fabs(scales[j]);
        max_scale = scales[j];
      }
    }
    BlockQ3_K b;
    std::memset(&b, 0, sizeof b);
    if (max_scale != 0) {
      const float iscale = -32.f / max_scale;
      for (int j = 0; j < 16; ++j) {
        const int l = std::max(-32, std::min(31, static_cast<int>(wrap_int8(round_nearest(iscale * scales[j]))))) + 32;
        if (j < 8)
          b.scales[j] = static_cast<std::uint8_t>(l & 0x0f);
        else
          b.scales[j - 8] |= static_cast<std::uint8_t>((l & 0x0f) << 4);
        b.scales[j % 4 + 8] |= static_cast<std::uint8_t>((l >> 4) << (2 * (j / 4)));
      }
      b.d = fp32_to_fp16(1 / iscale);
    } else {
      b.d = fp32_to_fp16(0.f);
    }
    const float d_all = fp16_to_fp32(b.d);
    for (int j = 0; j < 16; ++j) {
      const float d = d_all * static_cast<float>(unpack_scale_q3k(b.scales, j));
      if (d == 0) continue;
      for (int ii = 0; ii < 16; ++ii) {
        const int l = round_nearest(x[16 * j + ii] / d);
        L[16 * j + ii] = static_cast<std::int8_t>(std::max(-4, std::min(3, l)) + 4);
      }
    }
    // Bit 2 of value j goes to bit j/32 of hmask[j%32]; the low two bits are stored planar.
    std::uint8_t low[kQK_K];
    for (int j = 0; j < kQK_K; ++j) {
      int l = L[j];
      if (l > 3) {
        b.hmask[j % 32] |= static_cast<std::uint8_t>(1u << (j / 32));
        l -= 4;
      }
      low[j] = static_cast<std::uint8_t>(l);
    }
    pack_2bit_planes(low, b.qs);
    store_block(dst, i, b);
  }
}

void quantize_q4_k(const float* x, void* dst, std::int64_t nb) {
  const AffineK k{15, -1.f, 20};
  for (std::int64_t i = 0; i < nb; ++i, x += kQK_K) {
    BlockQ4_K b;
    std::memset(&b, 0, sizeof b);
    std::uint8_t L[kQK_K];
    quantize_affine_superblock(x, k, b.d, b.dmin, b.scales, L);
    // Per 64 values: the first 32 in the low nibbles, the next 32 in the high nibbles.
    for (int p = 0; p < kQK_K / 64; ++p)
      for (int l = 0; l < 32; ++l)
        b.qs[32 * p + l] = static_cast<std::uint8_t>(L[64 * p + l] | (L[64 * p + 32 + l] << 4));
    store_block(dst, i, b);
  }
}

void quantize_q5_k(const float* x, void* dst, std::int64_t nb) {
  const AffineK k{31, -0.5f, 15};
  for (std::int64_t i = 0; i < nb; ++i, x += kQK_K) {
    BlockQ5_K b;
    std::memset(&b, 0, sizeof b);
    std::uint8_t L[kQK_K];
    quantize_affine_superblock(x, k, b.d, b.dmin, b.scales, L);
    for (int p = 0; p < kQK_K / 64; ++p) {
      for (int l = 0; l < 32; ++l) {
        const int lo = L[64 * p + l], hi = L[64 * p + 32 + l];
        b.qs[32 * p + l] = static_cast<std::uint8_t>((lo & 0x0f) | ((hi & 0x0f) << 4));
        b.qh[l] |= static_cast<std::uint8_t>(((lo >> 4) << (2 * p)) | ((hi >> 4) << (2 * p + 1)));
      }
    }
    store_block(dst, i, b);
  }
}

void quantize_q6_k(const float* x, void* dst, std::int64_t nb) {
  for (std::int64_t i = 0; i < nb; ++i, x += kQK_K) {
    std::int8_t L[kQK_K];
    float scales[16];
    float max_scale = 0, max_abs_scale = 0;
    for (int g = 0; g < 16; ++g) {
      scales[g] = fit_symmetric_scale(16, 32, x + 16 * g, L + 16 * g);
      if (std::fabs(scales[g]) > max_abs_scale) {
        max_abs_scale = std::fabs(scales[g]);
        max_scale = scales[g];
      }
    }
    BlockQ6_K b;
    std::memset(&b, 0, sizeof b);
    if (max_abs_scale < 1e-15f) {  // all (near) zero: an all-zero block
      store_block(dst, i, b);
      continue;
    }
    const float iscale = -128.f / max_scale;
    b.d = fp32_to_fp16(1 / iscale);
    for (int g = 0; g < 16; ++g) b.scales[g] = wrap_int8(std::min(127, round_nearest(iscale * scales[g])));
    const float d_all = fp16_to_fp32(b.d);
    for (int g = 0; g < 16; ++g) {
      const float d = d_all * static_cast<float>(b.scales[g]);
      if (d == 0) continue;
      for (int ii = 0; ii < 16; ++ii) {
        const int l = round_nearest(x[16 * g + ii] / d);
        L[16 * g + ii] = static_cast<std::int8_t>(std::max(-32, std::min(31, l)) + 32);
      }
    }
    // Per 128 values: low nibbles of values l and l+64 share ql[l], of l+32 and l+96 share ql[l+32];
    // the four top-bit pairs share qh[l].
    for (int h = 0; h < 2; ++h) {
      const std::int8_t* Lh = L + 128 * h;
      std::uint8_t* ql = b.ql + 64 * h;
      std::uint8_t* qh = b.qh + 32 * h;
      for (int l = 0; l < 32; ++l) {
        ql[l] = static_cast<std::uint8_t>((Lh[l] & 0x0f) | ((Lh[l + 64] & 0x0f) << 4));
        ql[l + 32] = static_cast<std::uint8_t>((Lh[l + 32] & 0x0f) | ((Lh[l + 96] & 0x0f) << 4));
        qh[l] = static_cast<std::uint8_t>((Lh[l] >> 4) | ((Lh[l + 32] >> 4) << 2) | ((Lh[l + 64] >> 4) << 4) |
                                          ((Lh[l + 96] >> 4) << 6));
      }
    }
    store_block(dst, i, b);
  }
}

}  // namespace corral::quant::detail
