// vec_dot_ref: scalar weight-row x activation-row dot products. Per block
// the level products are summed in integers (weighted by the integer
// sub-block scales), then multiplied by the float scales; the mins of the
// affine formats use the activation block's sum field (Q8_1 s, Q8_K bsums).
#include "quant/vec_dot_ref.h"

#include <cstring>

#include "quant/block_levels.h"
#include "quant/blocks.h"
#include "quant/quantize.h"
#include "quant/row_length.h"
#include "util/error.h"
#include "util/fp16.h"

namespace corral::quant {
namespace {

using detail::unpack_levels;

// sum over j < n of a[j] * b[j] in integers.
template <typename A, typename B>
int int_dot(const A* a, const B* b, int n) {
  int s = 0;
  for (int j = 0; j < n; ++j) s += static_cast<int>(a[j]) * static_cast<int>(b[j]);
  return s;
}

float dot_q4_0(const void* w, const void* a, std::int64_t nb) {
  float sum = 0;
  int L[kQK];
  for (std::int64_t i = 0; i < nb; ++i) {
    const auto x = load_block<BlockQ4_0>(w, i);
    const auto y = load_block<BlockQ8_0>(a, i);
    detail::unpack_nibbles32(x.qs, L);
    for (int& l : L) l -= 8;
    sum += static_cast<float>(int_dot(L, y.qs, kQK)) * fp16_to_fp32(x.d) * fp16_to_fp32(y.d);
  }
  return sum;
}

float dot_q4_1(const void* w, const void* a, std::int64_t nb) {
  float sum = 0;
  int L[kQK];
  for (std::int64_t i = 0; i < nb; ++i) {
    const auto x = load_block<BlockQ4_1>(w, i);
    const auto y = load_block<BlockQ8_1>(a, i);
    detail::unpack_nibbles32(x.qs, L);
    // sum (d q + m) * dy qy = d dy sum q qy + m s, with s = dy sum qy
    sum += fp16_to_fp32(x.d) * fp16_to_fp32(y.d) * static_cast<float>(int_dot(L, y.qs, kQK)) +
           fp16_to_fp32(x.m) * fp16_to_fp32(y.s);
  }
  return sum;
}

float dot_q5_0(const void* w, const void* a, std::int64_t nb) {
  float sum = 0;
  int L[kQK];
  for (std::int64_t i = 0; i < nb; ++i) {
    const auto x = load_block<BlockQ5_0>(w, i);
    const auto y = load_block<BlockQ8_0>(a, i);
    detail::unpack_5bit32(x.qs, x.qh, L);
    for (int& l : L) l -= 16;
    sum += static_cast<float>(int_dot(L, y.qs, kQK)) * fp16_to_fp32(x.d) * fp16_to_fp32(y.d);
  }
  return sum;
}

float dot_q5_1(const void* w, const void* a, std::int64_t nb) {
  float sum = 0;
  int L[kQK];
  for (std::int64_t i = 0; i < nb; ++i) {
    const auto x = load_block<BlockQ5_1>(w, i);
    const auto y = load_block<BlockQ8_1>(a, i);
    detail::unpack_5bit32(x.qs, x.qh, L);
    sum += fp16_to_fp32(x.d) * fp16_to_fp32(y.d) * static_cast<float>(int_dot(L, y.qs, kQK)) +
           fp16_to_fp32(x.m) * fp16_to_fp32(y.s);
  }
  return sum;
}

float dot_q8_0(const void* w, const void* a, std::int64_t nb) {
  float sum = 0;
  for (std::int64_t i = 0; i < nb; ++i) {
    const auto x = load_block<BlockQ8_0>(w, i);
    const auto y = load_block<BlockQ8_0>(a, i);
    sum += static_cast<float>(int_dot(x.qs, y.qs, kQK)) * fp16_to_fp32(x.d) * fp16_to_fp32(y.d);
  }
  return sum;
}

float dot_iq4_nl(const void* w, const void* a, std::int64_t nb) {
  float sum = 0;
  int L[kQK];
  for (std::int64_t i = 0; i < nb; ++i) {
    const auto x = load_block<BlockIQ4_NL>(w, i);
    const auto y = load_block<BlockQ8_0>(a, i);
    detail::unpack_nibbles32(x.qs, L);
    for (int& l : L) l = kIQ4Values[l];
    sum += static_cast<float>(int_dot(L, y.qs, kQK)) * fp16_to_fp32(x.d) * fp16_to_fp32(y.d);
  }
  return sum;
}

float dot_q2_k(const void* w, const void* a, std::int64_t nb) {
  float sum = 0;
  int L[kQK_K];
  for (std::int64_t i = 0; i < nb; ++i) {
    const auto x = load_block<BlockQ2_K>(w, i);
    const auto y = load_block<BlockQ8_K>(a, i);
    unpack_levels(x, L);
    int isum = 0, msum = 0;  // scale-weighted level products; min-weighted activation sums
    for (int g = 0; g < 16; ++g) {
      isum += (x.scales[g] & 0x0f) * int_dot(L + 16 * g, y.qs + 16 * g, 16);
      msum += (x.scales[g] >> 4) * y.bsums[g];
    }
    sum += y.d * fp16_to_fp32(x.d) * static_cast<float>(isum) - y.d * fp16_to_fp32(x.dmin) * static_cast<float>(msum);
  }
  return sum;
}

float dot_q3_k(const void* w, const void* a, std::int64_t nb) {
  float sum = 0;
  int L[kQK_K];
  for (std::int64_t i = 0; i < nb; ++i) {
    const auto x = load_block<BlockQ3_K>(w, i);
    const auto y = load_block<BlockQ8_K>(a, i);
    unpack_levels(x, L);
    int isum = 0;
    for (int g = 0; g < 16; ++g) isum += unpack_scale_q3k(x.scales, g) * int_dot(L + 16 * g, y.qs + 16 * g, 16);
    sum += y.d * fp16_to_fp32(x.d) * static_cast<float>(isum);
  }
  return sum;
}

template <typename Block>
float dot_k_affine(const void* w, const void* a, std::int64_t nb) {  // Q4_K and Q5_K
  float sum = 0;
  int L[kQK_K];
  for (std::int64_t i = 0; i < nb; ++i) {
    const auto x = load_block<Block>(w, i);
    const auto y = load_block<BlockQ8_K>(a, i);
    unpack_levels(x, L);
    int isum = 0, msum = 0;
    for (int g = 0; g < 8; ++g) {
      int sc, m;
      unpack_scale_min_k4(x.scales, g, sc, m);
      isum += sc * int_dot(L + 32 * g, y.qs + 32 * g, 32);
      msum += m * (y.bsums[2 * g] + y.bsums[2 * g + 1]);
    }
    sum += y.d * fp16_to_fp32(x.d) * static_cast<float>(isum) - y.d * fp16_to_fp32(x.dmin) * static_cast<float>(msum);
  }
  return sum;
}

float dot_q6_k(const void* w, const void* a, std::int64_t nb) {
  float sum = 0;
  int L[kQK_K];
  for (std::int64_t i = 0; i < nb; ++i) {
    const auto x = load_block<BlockQ6_K>(w, i);
    const auto y = load_block<BlockQ8_K>(a, i);
    unpack_levels(x, L);
    int isum = 0;
    for (int g = 0; g < 16; ++g) isum += x.scales[g] * int_dot(L + 16 * g, y.qs + 16 * g, 16);
    sum += y.d * fp16_to_fp32(x.d) * static_cast<float>(isum);
  }
  return sum;
}

float dot_iq4_xs(const void* w, const void* a, std::int64_t nb) {
  float sum = 0;
  int L[32];
  for (std::int64_t i = 0; i < nb; ++i) {
    const auto x = load_block<BlockIQ4_XS>(w, i);
    const auto y = load_block<BlockQ8_K>(a, i);
    int isum = 0;
    for (int g = 0; g < 8; ++g) {
      detail::unpack_nibbles32(x.qs + 16 * g, L);
      for (int& l : L) l = kIQ4Values[l];
      isum += (detail::iq4_xs_group_scale(x, g) - 32) * int_dot(L, y.qs + 32 * g, 32);
    }
    sum += y.d * fp16_to_fp32(x.d) * static_cast<float>(isum);
  }
  return sum;
}

// F32 / F16 / BF16: converted products summed in double, as ggml's scalar float dot products.
template <typename Elem>
float dot_float(const void* w, const void* a, std::int64_t n, float (*convert)(Elem)) {
  double sum = 0;
  const auto* pw = static_cast<const std::uint8_t*>(w);
  const auto* pa = static_cast<const std::uint8_t*>(a);
  for (std::int64_t i = 0; i < n; ++i) {
    Elem ew, ea;
    std::memcpy(&ew, pw + i * static_cast<std::int64_t>(sizeof(Elem)), sizeof(Elem));
    std::memcpy(&ea, pa + i * static_cast<std::int64_t>(sizeof(Elem)), sizeof(Elem));
    sum += static_cast<double>(convert(ew)) * static_cast<double>(convert(ea));
  }
  return static_cast<float>(sum);
}

float identity(float v) { return v; }

}  // namespace

float vec_dot_ref(TensorType weight_type, std::int64_t n, const void* w, const void* a) {
  vec_dot_type(weight_type);  // throws for types without a dot product
  const std::int64_t nb = detail::blocks_in_row(weight_type, n, "vec_dot_ref");
  switch (weight_type) {
    case TensorType::F32: return dot_float<float>(w, a, n, identity);
    case TensorType::F16: return dot_float<std::uint16_t>(w, a, n, fp16_to_fp32);
    case TensorType::BF16: return dot_float<std::uint16_t>(w, a, n, bf16_to_fp32);
    case TensorType::Q4_0: return dot_q4_0(w, a, nb);
    case TensorType::Q4_1: return dot_q4_1(w, a, nb);
    case TensorType::Q5_0: return dot_q5_0(w, a, nb);
    case TensorType::Q5_1: return dot_q5_1(w, a, nb);
    case TensorType::Q8_0: return dot_q8_0(w, a, nb);
    case TensorType::IQ4_NL: return dot_iq4_nl(w, a, nb);
    case TensorType::Q2_K: return dot_q2_k(w, a, nb);
    case TensorType::Q3_K: return dot_q3_k(w, a, nb);
    case TensorType::Q4_K: return dot_k_affine<BlockQ4_K>(w, a, nb);
    case TensorType::Q5_K: return dot_k_affine<BlockQ5_K>(w, a, nb);
    case TensorType::Q6_K: return dot_q6_k(w, a, nb);
    case TensorType::IQ4_XS: return dot_iq4_xs(w, a, nb);
    default: fail("vec_dot_ref: no dot product for {}", type_name(weight_type));
  }
}

}  // namespace corral::quant
