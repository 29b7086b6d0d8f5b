// Dispatch of quantize_row / quantize_activations to the per-format
// quantizers, argument checks, and the weight -> activation type pairing.
#include "quant/quantize.h"

#include <cmath>
#include <cstring>

#include "quant/format_quantizers.h"
#include "quant/row_length.h"
#include "util/error.h"
#include "util/fp16.h"

namespace corral::quant {
namespace {

using RowQuantizer = void (*)(const float*, void*, std::int64_t);

// The block quantizer of a weight format, or nullptr.
RowQuantizer weight_quantizer(TensorType t) {
  switch (t) {
    case TensorType::Q4_0: return detail::quantize_q4_0;
    case TensorType::Q4_1: return detail::quantize_q4_1;
    case TensorType::Q5_0: return detail::quantize_q5_0;
    case TensorType::Q5_1: return detail::quantize_q5_1;
    case TensorType::Q8_0: return detail::quantize_q8_0;
    case TensorType::Q2_K: return detail::quantize_q2_k;
    case TensorType::Q3_K: return detail::quantize_q3_k;
    case TensorType::Q4_K: return detail::quantize_q4_k;
    case TensorType::Q5_K: return detail::quantize_q5_k;
    case TensorType::Q6_K: return detail::quantize_q6_k;
    case TensorType::IQ4_NL: return detail::quantize_iq4_nl;
    case TensorType::IQ4_XS: return detail::quantize_iq4_xs;
    default: return nullptr;
  }
}

// Float formats and the activation formats: handled by quantize_activations.
bool is_activation_format(TensorType t) {
  switch (t) {
    case TensorType::F32:
    case TensorType::F16:
    case TensorType::BF16:
    case TensorType::Q8_0:
    case TensorType::Q8_1:
    case TensorType::Q8_K: return true;
    default: return false;
  }
}

void write_halves(const float* src, void* dst, std::int64_t n, std::uint16_t (*convert)(float)) {
  auto* out = static_cast<std::uint8_t*>(dst);
  for (std::int64_t i = 0; i < n; ++i) {
    const std::uint16_t h = convert(src[i]);
    std::memcpy(out + 2 * i, &h, 2);
  }
}

}  // namespace

bool can_quantize(TensorType t) { return weight_quantizer(t) != nullptr || is_activation_format(t); }

std::size_t quantize_row(TensorType t, const float* src, void* dst, std::int64_t n) {
  if (!can_quantize(t)) fail("quantize: cannot quantize to {}", type_name(t));
  const std::int64_t nb = detail::blocks_in_row(t, n, "quantize");
  for (std::int64_t i = 0; i < n; ++i)
    if (!std::isfinite(src[i])) fail("quantize to {}: value {} at index {} is not finite", type_name(t), src[i], i);
  if (RowQuantizer q = weight_quantizer(t))
    q(src, dst, nb);
  else
    quantize_activations(t, src, dst, n);
  return row_bytes(t, n);
}

TensorType vec_dot_type(TensorType weight) {
  switch (weight) {
    case TensorType::Q4_0:
    case TensorType::Q5_0:
    case TensorType::Q8_0:
    case TensorType::IQ4_NL: return TensorType::Q8_0;
    case TensorType::Q4_1:
    case TensorType::Q5_1: return TensorType::Q8_1;
    case TensorType::Q2_K:
    case TensorType::Q3_K:
    case TensorType::Q4_K:
    case TensorType::Q5_K:
    case TensorType::Q6_K:
    case TensorType::IQ4_XS: return TensorType::Q8_K;
    case TensorType::F16: return TensorType::F16;
    case TensorType::BF16: return TensorType::BF16;
    case TensorType::F32: return TensorType::F32;
    default: fail("no dot product for weights of type {}", type_name(weight));
  }
}

void quantize_activations(TensorType dot_type, const float* src, void* dst, std::int64_t n) {
  if (!is_activation_format(dot_type)) fail("quantize activations: {} is not an activation format", type_name(dot_type));
  const std::int64_t nb = detail::blocks_in_row(dot_type, n, "quantize activations");
  switch (dot_type) {
    case TensorType::Q8_0: detail::quantize_q8_0_activations(src, dst, nb); break;
    case TensorType::Q8_1: detail::quantize_q8_1_activations(src, dst, nb); break;
    case TensorType::Q8_K: detail::quantize_q8_k_activations(src, dst, nb); break;
    case TensorType::F16: write_halves(src, dst, n, fp32_to_fp16); break;
    case TensorType::BF16: write_halves(src, dst, n, fp32_to_bf16); break;
    default:  // F32 (no copy when empty: the pointers may be null)
      if (n > 0) std::memcpy(dst, src, static_cast<std::size_t>(n) * sizeof(float));
      break;
  }
}

}  // namespace corral::quant
