// Matrix multiply for the forward pass: Y[m][n_out] = X[m][n_in] · Wᵀ with W
// in any supported weight type. Activations are first converted to the
// format the weight type pairs with (act_rows.h); the work is split over the
// thread pool by output rows.
#pragma once

#include <cstdint>

#include "kernels/act_rows.h"
#include "kernels/isa.h"
#include "kernels/matrix.h"

namespace corral {
class ThreadPool;
}

namespace corral::kernels {

// y[t * ldy + r] for t < a.m, r < w.n_out. `a` must be in act_format_for(w.type).
void matmul(ThreadPool& pool, const Matrix& w, const ActRows& a, float* y, std::int64_t ldy, Isa isa = best_isa());

// Convenience: converts x (m rows, stride ldx) with `buf`, then multiplies.
void matmul(ThreadPool& pool, const Matrix& w, const float* x, std::int64_t m, std::int64_t ldx, float* y,
            std::int64_t ldy, ActBuffer& buf, Isa isa = best_isa());

}  // namespace corral::kernels
