// Activation quantizers Q8_0, Q8_1 and Q8_K: what the reference engine's
// matrix multiply (ggml's CPU back-end on x86, the build the golden logits
// come from) turns f32 activations into before its integer dot products.
//   Q8_0, Q8_1 (AVX path): d = amax/127 stored as F16, q = round-half-even(x * (127/amax));
//                          Q8_1 also s = F16(d * sum q).
//   Q8_K (reference path): d = 1/(-127/max) kept as f32, q = min(127, round-half-even(x * -127/max)),
//                          bsums = sums of 16 q.
// These differ from the weight quantizer of Q8_0 (1/d and ties away from zero) in rare last-bit cases.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "quant/blocks.h"
#include "quant/format_quantizers.h"
#include "quant/scale_search.h"
#include "util/fp16.h"

namespace corral::quant::detail {
namespace {

// Quantizes 32 activations to q in -127..127 (saturated to int8), returning d (f32) and sum q.
float quantize_act32(const float* x, std::int8_t* qs, int& sum) {
  float amax = 0;
  for (int j = 0; j < kQK; ++j) amax = std::max(amax, std::fabs(x[j]));
  const float d = amax / 127.f;
  const float id = amax != 0.0f ? 127.f / amax : 0.0f;
  sum = 0;
  for (int j = 0; j < kQK; ++j) {
    const int q = std::clamp(round_nearest(x[j] * id), -128, 127);
    qs[j] = static_cast<std::int8_t>(q);
    sum += q;
  }
  return d;
}

}  // namespace

void quantize_q8_0_activations(const float* x, void* dst, std::int64_t nb) {
  for (std::int64_t i = 0; i < nb; ++i, x += kQK) {
    BlockQ8_0 b;
    int sum;
    b.d = fp32_to_fp16(quantize_act32(x, b.qs, sum));
    store_block(dst, i, b);
  }
}

void quantize_q8_1_activations(const float* x, void* dst, std::int64_t nb) {
  for (std::int64_t i = 0; i < nb; ++i, x += kQK) {
    BlockQ8_1 b;
    int sum;
    const float d = quantize_act32(x, b.qs, sum);
    b.d = fp32_to_fp16(d);
    b.s = fp32_to_fp16(d * static_cast<float>(sum));
    store_block(dst, i, b);
  }
}

void quantize_q8_k_activations(const float* x, void* dst, std::int64_t nb) {
  for (std::int64_t i = 0; i < nb; ++i, x += kQK_K) {
    BlockQ8_K b;
    std::memset(&b, 0, sizeof b);
    float max = 0, amax = 0;
    for (int j = 0; j < kQK_K; ++j) {
      if (std::fabs(x[j]) > amax) {
        amax = std::fabs(x[j]);
        max = x[j];
      }
    }
    if (amax != 0) {
      const float iscale = -127.f / max;
      for (int j = 0; j < kQK_K; ++j) b.qs[j] = static_cast<std::int8_t>(std::clamp(round_nearest(iscale * x[j]), -128, 127));
      for (int g = 0; g < kQK_K / 16; ++g) {
        int sum = 0;
        for (int l = 0; l < 16; ++l) sum += b.qs[16 * g + l];
        b.bsums[g] = static_cast<std::int16_t>(sum);
      }
      b.d = 1 / iscale;
    }
    store_block(dst, i, b);
  }
}

}  // namespace corral::quant::detail
