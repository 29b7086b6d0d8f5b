// Token-generation (one activation row) kernel for Q4_K weights on AVX-512
// VNNI. The Q8_K activation row is rearranged once per matmul so that each
// 64-byte half of a super-block's nibbles meets its activations directly:
// per super-block [x0-31|x64-95], [x32-63|x96-127], [x128-159|x192-223],
// [x160-191|x224-255], plus the 8 group sums (for the mins) and the scale.
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/act_rows.h"
#include "kernels/matrix.h"

namespace corral::kernels {

struct Q4KActivations {
  std::int64_t n_super = 0;
  // Per super-block 320 bytes: 256 bytes of levels in the order above,
  // 8 int32 group sums, the f32 scale, padding.
  std::vector<std::uint8_t> data;
};

void prepare_gemv_q4k(const ActRows& a, std::int64_t t, Q4KActivations& out);
void gemv_q4_k_avx512(const Matrix& w, const Q4KActivations& x, std::int64_t r0, std::int64_t r1, float* y);

}  // namespace corral::kernels
