// Weight quantizers of the legacy block formats Q4_0, Q4_1, Q5_0, Q5_1 and
// Q8_0 (blocks of 32): one scale (and for _1 a minimum) per block taken from
// the block's extreme values, then round to nearest, as ggml's reference.
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>

#include "quant/blocks.h"
#include "quant/format_quantizers.h"
#include "quant/scale_search.h"
#include "util/fp16.h"

namespace corral::quant::detail {
namespace {

// The value of largest magnitude in a block of 32, its sign kept (the first one on ties).
float signed_absmax32(const float* x) {
  float amax = 0, max = 0;
  for (int j = 0; j < kQK; ++j) {
    if (amax < std::fabs(x[j])) {
      amax = std::fabs(x[j]);
      max = x[j];
    }
  }
  return max;
}

void min_max32(const float* x, float& min, float& max) {
  min = FLT_MAX;
  max = -FLT_MAX;
  for (int j = 0; j < kQK; ++j) {
    if (x[j] < min) min = x[j];
    if (x[j] > max) max = x[j];
  }
}

// ggml's (int8_t)(v) followed by MIN(hi, .): truncation toward zero, kept as an unsigned byte.
std::uint8_t truncate_level(float v, int hi) {
  const int t = wrap_int8(truncate_to_int(v));
  return static_cast<std::uint8_t>(std::min(hi, t));
}

// Packs 32 levels of up to 5 bits: low nibbles into qs (value j with j+16), bit 4 into a u32 qh.
void pack_nibbles(const std::uint8_t* L, std::uint8_t* qs) {
  for (int j = 0; j < kQK / 2; ++j) qs[j] = static_cast<std::uint8_t>((L[j] & 0x0f) | ((L[j + kQK / 2] & 0x0f) << 4));
}
void pack_fifth_bits(const std::uint8_t* L, std::uint8_t* qh) {
  std::uint32_t bits = 0;
  for (int j = 0; j < kQK; ++j) bits |= static_cast<std::uint32_t>((L[j] >> 4) & 1) << j;
  for (int b = 0; b < 4; ++b) qh[b] = static_cast<std::uint8_t>(bits >> (8 * b));
}

}  // namespace

void quantize_q4_0(const float* x, void* dst, std::int64_t nb) {
  for (std::int64_t i = 0; i < nb; ++i, x += kQK) {
    const float d = signed_absmax32(x) / -8;
    const float id = d != 0 ? 1.0f / d : 0.0f;
    std::uint8_t L[kQK];
    for (int j = 0; j < kQK; ++j) L[j] = truncate_level(x[j] * id + 8.5f, 15);
    BlockQ4_0 b;
    b.d = fp32_to_fp16(d);
    pack_nibbles(L, b.qs);
    store_block(dst, i, b);
  }
}

void quantize_q4_1(const float* x, void* dst, std::int64_t nb) {
  for (std::int64_t i = 0; i < nb; ++i, x += kQK) {
    float min, max;
    min_max32(x, min, max);
    const float d = (max - min) / 15;
    const float id = d != 0 ? 1.0f / d : 0.0f;
    std::uint8_t L[kQK];
    for (int j = 0; j < kQK; ++j) L[j] = truncate_level((x[j] - min) * id + 0.5f, 15);
    BlockQ4_1 b;
    b.d = fp32_to_fp16(d);
    b.m = fp32_to_fp16(min);
    pack_nibbles(L, b.qs);
    store_block(dst, i, b);
  }
}

void quantize_q5_0(const float* x, void* dst, std::int64_t nb) {
  for (std::int64_t i = 0; i < nb; ++i, x += kQK) {
    const float d = signed_absmax32(x) / -16;
    const float id = d != 0 ? 1.0f / d : 0.0f;
    std::uint8_t L[kQK];
    for (int j = 0; j < kQK; ++j) L[j] = truncate_level(x[j] * id + 16.5f, 31);
    BlockQ5_0 b;
    b.d = fp32_to_fp16(d);
    pack_nibbles(L, b.qs);
    pack_fifth_bits(L, b.qh);
    store_block(dst, i, b);
  }
}

void quantize_q5_1(const float* x, void* dst, std::int64_t nb) {
  for (std::int64_t i = 0; i < nb; ++i, x += kQK) {
    float min, max;
    min_max32(x, min, max);
    const float d = (max - min) / 31;
    const float id = d != 0 ? 1.0f / d : 0.0f;
    std::uint8_t L[kQK];
    // ggml converts straight to uint8 here (no clamp); values stay within 0..31 for finite input.
    for (int j = 0; j < kQK; ++j) L[j] = static_cast<std::uint8_t>(truncate_to_int((x[j] - min) * id + 0.5f) & 0xff);
    BlockQ5_1 b;
    b.d = fp32_to_fp16(d);
    b.m = fp32_to_fp16(min);
    pack_nibbles(L, b.qs);
    pack_fifth_bits(L, b.qh);
    store_block(dst, i, b);
  }
}

void quantize_q8_0(const float* x, void* dst, std::int64_t nb) {
  for (std::int64_t i = 0; i < nb; ++i, x += kQK) {
    float amax = 0;
    for (int j = 0; j < kQK; ++j) amax = std::max(amax, std::fabs(x[j]));
    const float d = amax / 127;
    const float id = d != 0 ? 1.0f / d : 0.0f;
    BlockQ8_0 b;
    b.d = fp32_to_fp16(d);
    for (int j = 0; j < kQK; ++j) b.qs[j] = wrap_int8(truncate_to_int(std::round(x[j] * id)));  // ties away from 0
    store_block(dst, i, b);
  }
}

}  // namespace corral::quant::detail
