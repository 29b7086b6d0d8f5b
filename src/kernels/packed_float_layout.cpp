// Activation packing for the float-weight prompt-processing matmul (packed_float.h).
#include "kernels/packed_float.h"
#include "util/error.h"
#include "util/fp16.h"

namespace corral::kernels {

bool packed_float_supported(TensorType t) {
  return t == TensorType::F32 || t == TensorType::F16 || t == TensorType::BF16;
}

void size_float_activations(const ActRows& a, PackedFloatActs& out) {
  constexpr std::int64_t T = kFloatPanelTokens;
  if (a.format != ActFormat::bf16 && a.format != ActFormat::f32 && a.format != ActFormat::f16r)
    fail("packed float matmul: activations must be f32, f16 or bf16");
  out.m = a.m;
  out.k = a.n;
  out.n_groups = (a.m + T - 1) / T;
  out.x.resize(static_cast<std::size_t>(out.n_groups * out.k * T));
}

void pack_float_activations(const ActRows& a, std::int64_t g0, std::int64_t g1, PackedFloatActs& out) {
  constexpr std::int64_t T = kFloatPanelTokens;
  for (std::int64_t t = g0 * T; t < g1 * T; ++t) {
    float* dst = out.x.data() + (t / T) * out.k * T + t % T;
    if (t >= a.m) {
      for (std::int64_t i = 0; i < a.n; ++i) dst[i * T] = 0.0f;
    } else if (a.format == ActFormat::bf16) {
      const auto* h = reinterpret_cast<const std::uint16_t*>(a.row(t));
      for (std::int64_t i = 0; i < a.n; ++i) dst[i * T] = bf16_to_fp32(h[i]);
    } else {
      const auto* f = reinterpret_cast<const float*>(a.row(t));
      for (std::int64_t i = 0; i < a.n; ++i) dst[i * T] = f[i];
    }
  }
}

}  // namespace corral::kernels
