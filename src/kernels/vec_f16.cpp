// Scalar F16 vector primitives and the run-time choice between them and AVX-512.
#include "kernels/vec_f16.h"

#include "kernels/isa.h"
#include "util/fp16.h"

namespace corral::kernels {
namespace {

float dot(const float* a, const std::uint16_t* b, std::int64_t n) {
  float s = 0;
  for (std::int64_t i = 0; i < n; ++i) s += a[i] * fp16_to_fp32(b[i]);
  return s;
}

void axpy(float s, const std::uint16_t* v, float* acc, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) acc[i] += s * fp16_to_fp32(v[i]);
}

void to_f16(const float* x, std::uint16_t* out, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) out[i] = fp32_to_fp16(x[i]);
}

const VecF16Ops kScalar = {&dot, &axpy, &to_f16};

}  // namespace

const VecF16Ops& vec_f16_ops_scalar() { return kScalar; }

const VecF16Ops& vec_f16_ops() {
  static const VecF16Ops& ops = [&]() -> const VecF16Ops& {
    if (best_isa() >= Isa::avx512) return *vec_f16_ops_avx512();
    return kScalar;
  }();
  return ops;
}

}  // namespace corral::kernels
