// Weight quantizers of the non-linear 4-bit formats IQ4_NL (blocks of 32, one
// F16 scale) and IQ4_XS (super-blocks of 256, 6-bit scales per 32): the
// levels are kIQ4Values times the scale; the scale of each 32 values is
// searched over 15 candidates for the least x^2-weighted squared error, as
// ggml's quantize_iq4_nl / quantize_iq4_xs without an importance matrix.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "quant/blocks.h"
#include "quant/format_quantizers.h"
#include "quant/scale_search.h"
#include "util/fp16.h"

namespace corral::quant::detail {
namespace {

constexpr int kScaleTries = 7;  // candidates (k - 127) / max for k in -7..7

// Levels of 32 values for inverse scale id, packed as nibbles (value j with j+16).
void pack_iq4_group(const float* x, float id, std::uint8_t* qs) {
  for (int j = 0; j < 16; ++j) {
    const int lo = nearest_iq4_index(id * x[j]);
    const int hi = nearest_iq4_index(id * x[j + 16]);
    qs[j] = static_cast<std::uint8_t>(lo | (hi << 4));
  }
}

}  // namespace

void quantize_iq4_nl(const float* x, void* dst, std::int64_t nb) {
  for (std::int64_t i = 0; i < nb; ++i, x += kQK) {
    const float d = fit_iq4_scale(kQK, x, kScaleTries);
    BlockIQ4_NL b;
    b.d = fp32_to_fp16(d);
    pack_iq4_group(x, d != 0 ? 1 / d : 0, b.qs);
    store_block(dst, i, b);
  }
}

void quantize_iq4_xs(const float* x, void* dst, std::int64_t nb) {
  for (std::int64_t i = 0; i < nb; ++i, x += kQK_K) {
    float scales[8];
    float max_scale = 0, amax_scale = 0;
    for (int g = 0; g < 8; ++g) {
      scales[g] = fit_iq4_scale(32, x + 32 * g, kScaleTries);
      if (std::abs(scales[g]) > amax_scale) {
        amax_scale = std::abs(scales[g]);
        max_scale = scales[g];
      }
    }
    BlockIQ4_XS b;
    std::memset(&b, 0, sizeof b);
    // The super-block scale makes the largest group scale -32 (levels are signed, so is d).
    const float d = -max_scale / 32;
    b.d = fp32_to_fp16(d);
    const float id = d != 0 ? 1 / d : 0.f;
    for (int g = 0; g < 8; ++g) {
      const int l = std::max(-32, std::min(31, round_nearest(id * scales[g])));
      const float dl = d * static_cast<float>(l);
      pack_iq4_group(x + 32 * g, dl != 0 ? 1 / dl : 0.f, b.qs + 16 * g);
      const int biased = l + 32;
      b.scales_l[g / 2] |= static_cast<std::uint8_t>((biased & 0x0f) << (4 * (g % 2)));
      b.scales_h |= static_cast<std::uint16_t>((biased >> 4) << (2 * g));
    }
    store_block(dst, i, b);
  }
}

}  // namespace corral::quant::detail
