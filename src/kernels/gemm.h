// Internal interface between the matmul driver and the per-ISA kernels.
// A GemmFn computes y[t * ldy + r] = dot(w row r, activation row t) for
// rows [r0, r1) and tokens [t0, t1).
#pragma once

#include <cstdint>

#include "kernels/act_rows.h"
#include "kernels/isa.h"
#include "kernels/matrix.h"

namespace corral::kernels {

using GemmFn = void (*)(const Matrix& w, const ActRows& a, std::int64_t r0, std::int64_t r1, std::int64_t t0,
                        std::int64_t t1, float* y, std::int64_t ldy);

// The kernel for a weight type at an ISA level, or nullptr if that level has
// none for this type (the driver then falls back to a lower level).
GemmFn gemm_scalar(TensorType t);
GemmFn gemm_avx2(TensorType t);
GemmFn gemm_avx512(TensorType t);

// The kernel used for (type, isa): the best available at or below isa.
GemmFn select_gemm(TensorType t, Isa isa);

}  // namespace corral::kernels
