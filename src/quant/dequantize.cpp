// dequantize_row: every supported format back to f32 with the same float
// operations as ggml's to_float, so the same values.
#include "quant/dequantize.h"

#include <cstring>

#include "quant/block_levels.h"
#include "quant/blocks.h"
#include "quant/row_length.h"
#include "util/error.h"
#include "util/fp16.h"

namespace corral::quant {
namespace {

using detail::unpack_levels;

float f(int v) { return static_cast<float>(v); }

void dequantize_q4_0(const void* src, float* y, std::int64_t nb) {
  int L[kQK];
  for (std::int64_t i = 0; i < nb; ++i, y += kQK) {
    const auto b = load_block<BlockQ4_0>(src, i);
    const float d = fp16_to_fp32(b.d);
    detail::unpack_nibbles32(b.qs, L);
    for (int j = 0; j < kQK; ++j) y[j] = f(L[j] - 8) * d;
  }
}

void dequantize_q4_1(const void* src, float* y, std::int64_t nb) {
  int L[kQK];
  for (std::int64_t i = 0; i < nb; ++i, y += kQK) {
    const auto b = load_block<BlockQ4_1>(src, i);
    const float d = fp16_to_fp32(b.d), m = fp16_to_fp32(b.m);
    detail::unpack_nibbles32(b.qs, L);
    for (int j = 0; j < kQK; ++j) y[j] = f(L[j]) * d + m;
  }
}

void dequantize_q5_0(const void* src, float* y, std::int64_t nb) {
  int L[kQK];
  for (std::int64_t i = 0; i < nb; ++i, y += kQK) {
    const auto b = load_block<BlockQ5_0>(src, i);
    const float d = fp16_to_fp32(b.d);
    detail::unpack_5bit32(b.qs, b.qh, L);
    for (int j = 0; j < kQK; ++j) y[j] = f(L[j] - 16) * d;
  }
}

void dequantize_q5_1(const void* src, float* y, std::int64_t nb) {
  int L[kQK];
  for (std::int64_t i = 0; i < nb; ++i, y += kQK) {
    const auto b = load_block<BlockQ5_1>(src, i);
    const float d = fp16_to_fp32(b.d), m = fp16_to_fp32(b.m);
    detail::unpack_5bit32(b.qs, b.qh, L);
    for (int j = 0; j < kQK; ++j) y[j] = f(L[j]) * d + m;
  }
}

template <typename Block>
void dequantize_q8(const void* src, float* y, std::int64_t nb) {  // Q8_0 and Q8_1 (s is not needed)
  for (std::int64_t i = 0; i < nb; ++i, y += kQK) {
    const auto b = load_block<Block>(src, i);
    const float d = fp16_to_fp32(b.d);
    for (int j = 0; j < kQK; ++j) y[j] = f(b.qs[j]) * d;
  }
}

void dequantize_q2_k(const void* src, float* y, std::int64_t nb) {
  int L[kQK_K];
  for (std::int64_t i = 0; i < nb; ++i, y += kQK_K) {
    const auto b = load_block<BlockQ2_K>(src, i);
    const float d = fp16_to_fp32(b.d), dmin = fp16_to_fp32(b.dmin);
    unpack_levels(b, L);
    for (int v = 0; v < kQK_K; ++v) {
      const std::uint8_t sc = b.scales[v / 16];
      y[v] = d * f(sc & 0x0f) * f(L[v]) - dmin * f(sc >> 4);
    }
  }
}

void dequantize_q3_k(const void* src, float* y, std::int64_t nb) {
  int L[kQK_K];
  for (std::int64_t i = 0; i < nb; ++i, y += kQK_K) {
    const auto b = load_block<BlockQ3_K>(src, i);
    const float d = fp16_to_fp32(b.d);
    unpack_levels(b, L);
    for (int v = 0; v < kQK_K; ++v) y[v] = d * f(unpack_scale_q3k(b.scales, v / 16)) * f(L[v]);
  }
}

template <typename Block>
void dequantize_k_affine(const void* src, float* y, std::int64_t nb) {  // Q4_K and Q5_K
  int L[kQK_K];
  for (std::int64_t i = 0; i < nb; ++i, y += kQK_K) {
    const auto b = load_block<Block>(src, i);
    const float d = fp16_to_fp32(b.d), dmin = fp16_to_fp32(b.dmin);
    unpack_levels(b, L);
    for (int g = 0; g < 8; ++g) {
      int sc, m;
      unpack_scale_min_k4(b.scales, g, sc, m);
      const float dl = d * f(sc), ml = dmin * f(m);
      for (int l = 0; l < 32; ++l) y[32 * g + l] = dl * f(L[32 * g + l]) - ml;
    }
  }
}

void dequantize_q6_k(const void* src, float* y, std::int64_t nb) {
  int L[kQK_K];
  for (std::int64_t i = 0; i < nb; ++i, y += kQK_K) {
    const auto b = load_block<BlockQ6_K>(src, i);
    const float d = fp16_to_fp32(b.d);
    unpack_levels(b, L);
    for (int v = 0; v < kQK_K; ++v) y[v] = d * f(b.scales[v / 16]) * f(L[v]);
  }
}

void dequantize_q8_k(const void* src, float* y, std::int64_t nb) {
  for (std::int64_t i = 0; i < nb; ++i, y += kQK_K) {
    const auto b = load_block<BlockQ8_K>(src, i);
    for (int j = 0; j < kQK_K; ++j) y[j] = b.d * f(b.qs[j]);
  }
}

void dequantize_iq4_nl(const void* src, float* y, std::int64_t nb) {
  int L[kQK];
  for (std::int64_t i = 0; i < nb; ++i, y += kQK) {
    const auto b = load_block<BlockIQ4_NL>(src, i);
    const float d = fp16_to_fp32(b.d);
    detail::unpack_nibbles32(b.qs, L);
    for (int j = 0; j < kQK; ++j) y[j] = d * f(kIQ4Values[L[j]]);
  }
}

void dequantize_iq4_xs(const void* src, float* y, std::int64_t nb) {
  int L[32];
  for (std::int64_t i = 0; i < nb; ++i, y += kQK_K) {
    const auto b = load_block<BlockIQ4_XS>(src, i);
    const float d = fp16_to_fp32(b.d);
    for (int g = 0; g < 8; ++g) {
      const float dl = d * f(detail::iq4_xs_group_scale(b, g) - 32);
      detail::unpack_nibbles32(b.qs + 16 * g, L);
      for (int j = 0; j < 32; ++j) y[32 * g + j] = dl * f(kIQ4Values[L[j]]);
    }
  }
}

void dequantize_halves(const void* src, float* y, std::int64_t n, float (*convert)(std::uint16_t)) {
  const auto* p = static_cast<const std::uint8_t*>(src);
  for (std::int64_t i = 0; i < n; ++i) {
    std::uint16_t h;
    std::memcpy(&h, p + 2 * i, 2);
    y[i] = convert(h);
  }
}

using RowDequantizer = void (*)(const void*, float*, std::int64_t);

RowDequantizer block_dequantizer(TensorType t) {
  switch (t) {
    case TensorType::Q4_0: return dequantize_q4_0;
    case TensorType::Q4_1: return dequantize_q4_1;
    case TensorType::Q5_0: return dequantize_q5_0;
    case TensorType::Q5_1: return dequantize_q5_1;
    case TensorType::Q8_0: return dequantize_q8<BlockQ8_0>;
    case TensorType::Q8_1: return dequantize_q8<BlockQ8_1>;
    case TensorType::Q2_K: return dequantize_q2_k;
    case TensorType::Q3_K: return dequantize_q3_k;
    case TensorType::Q4_K: return dequantize_k_affine<BlockQ4_K>;
    case TensorType::Q5_K: return dequantize_k_affine<BlockQ5_K>;
    case TensorType::Q6_K: return dequantize_q6_k;
    case TensorType::Q8_K: return dequantize_q8_k;
    case TensorType::IQ4_NL: return dequantize_iq4_nl;
    case TensorType::IQ4_XS: return dequantize_iq4_xs;
    default: return nullptr;
  }
}

}  // namespace

bool can_dequantize(TensorType t) {
  return t == TensorType::F32 || t == TensorType::F16 || t == TensorType::BF16 || block_dequantizer(t) != nullptr;
}

void dequantize_row(TensorType t, const void* src, float* dst, std::int64_t n) {
  if (!can_dequantize(t)) fail("dequantize: type {} is not supported", type_name(t));
  const std::int64_t nb = detail::blocks_in_row(t, n, "dequantize");
  switch (t) {
    case TensorType::F32:
      if (n > 0) std::memcpy(dst, src, static_cast<std::size_t>(n) * sizeof(float));  // (null pointers when empty)
      break;
    case TensorType::F16: dequantize_halves(src, dst, n, fp16_to_fp32); break;
    case TensorType::BF16: dequantize_halves(src, dst, n, bf16_to_fp32); break;
    default: block_dequantizer(t)(src, dst, nb); break;
  }
}

}  // namespace corral::quant
