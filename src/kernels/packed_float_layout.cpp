// Packing for the float-weight prompt-processing matmul (packed_float.h).
#include <cstring>

#include "kernels/packed_float.h"
#include "util/error.h"
#include "util/fp16.h"

namespace corral::kernels {

bool packed_float_supported(TensorType t) {
  return t == TensorType::F32 || t == TensorType::F16 || t == TensorType::BF16;
}

void pack_float_activations(const ActRows& a, PackedFloatActs& out) {
  out.m = a.m;
  out.k = a.n;
  out.n_groups = (a.m + 15) / 16;
  out.x.assign(static_cast<std::size_t>(out.n_groups * out.k * 16), 0.0f);
  for (std::int64_t t = 0; t < a.m; ++t) {
    float* dst = out.x.data() + (t / 16) * out.k * 16 + t % 16;
    const std::uint8_t* row = a.row(t);
    if (a.format == ActFormat::bf16) {
      const auto* h = reinterpret_cast<const std::uint16_t*>(row);
      for (std::int64_t i = 0; i < a.n; ++i) dst[i * 16] = bf16_to_fp32(h[i]);
    } else if (a.format == ActFormat::f32 || a.format == ActFormat::f16r) {
      const auto* f = reinterpret_cast<const float*>(row);
      for (std::int64_t i = 0; i < a.n; ++i) dst[i * 16] = f[i];
    } else {
      fail("packed float matmul: activations must be f32, f16 or bf16");
    }
  }
}

void expand_float_rows(const Matrix& w, std::int64_t r0, std::int64_t n, std::vector<float>& out) {
  out.resize(static_cast<std::size_t>(w.n_in * n));
  for (std::int64_t r = 0; r < n; ++r) {
    const std::uint8_t* row = w.row(r0 + r);
    float* dst = out.data() + r;
    switch (w.type) {
      case TensorType::F32: {
        const auto* f = reinterpret_cast<const float*>(row);
        for (std::int64_t i = 0; i < w.n_in; ++i) dst[i * n] = f[i];
        break;
      }
      case TensorType::F16: {
        const auto* h = reinterpret_cast<const std::uint16_t*>(row);
        for (std::int64_t i = 0; i < w.n_in; ++i) dst[i * n] = fp16_to_fp32(h[i]);
        break;
      }
      case TensorType::BF16: {
        const auto* h = reinterpret_cast<const std::uint16_t*>(row);
        for (std::int64_t i = 0; i < w.n_in; ++i) dst[i * n] = bf16_to_fp32(h[i]);
        break;
      }
      default: fail("packed float matmul: unsupported type {}", type_name(w.type));
    }
  }
}

}  // namespace corral::kernels
