// Token-generation (one activation row) kernel for Q4_0 weights on AVX-512
// VNNI: the activation row is rearranged once per matmul into groups of four
// blocks (low halves, high halves, the -8 offset as an init vector, scales)
// so that each group of four weight blocks costs two vpdpbusd.
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/act_rows.h"
#include "kernels/matrix.h"

namespace corral::kernels {

struct Q4Activations {
  std::int64_t n_groups = 0;
  // Per group of 4 blocks, 256 bytes: [0,64) low-half levels, [64,128) high-half
  // levels, [128,192) int32 init (-8 * block sum in lane 4k), [192,256) float scales (4 lanes per block).
  std::vector<std::uint8_t> data;
};

// Rearranges activation row t (Q8_0 format, with block sums).
void prepare_gemv_q4(const ActRows& a, std::int64_t t, Q4Activations& out);
// y[r] for rows [r0, r1).
void gemv_q4_0_avx512(const Matrix& w, const Q4Activations& x, std::int64_t r0, std::int64_t r1, float* y);

}  // namespace corral::kernels
