// Vector primitives on F16 data used by attention, with an AVX-512 version
// chosen at run time and a scalar twin.
#pragma once

#include <cstdint>

namespace corral::kernels {

struct VecF16Ops {
  // sum_i a[i] * f32(b[i])
  float (*dot_f32_f16)(const float* a, const std::uint16_t* b, std::int64_t n);
  // acc[i] += s * f32(v[i])
  void (*axpy_f16)(float s, const std::uint16_t* v, float* acc, std::int64_t n);
  // out[i] = f16(x[i])
  void (*to_f16)(const float* x, std::uint16_t* out, std::int64_t n);
};

const VecF16Ops& vec_f16_ops();
const VecF16Ops& vec_f16_ops_scalar();
const VecF16Ops* vec_f16_ops_avx512();  // nullptr if not compiled in

}  // namespace corral::kernels
