// The loop over a block of output rows and tokens in register tiles of up to
// 4 rows x 4 tokens, shared by the SIMD kernel files. K is a kernel type with
//   template <int R, int C> static void tile(const Matrix&, const ActRows&,
//       std::int64_t r, std::int64_t t, float* y, std::int64_t ldy);
// Kernel types live in each file's anonymous namespace, so every
// instantiation stays private to its (ISA-specific) translation unit.
#pragma once

#include <cstdint>

#include "kernels/act_rows.h"
#include "kernels/matrix.h"

namespace corral::kernels {

template <typename K, int R>
inline void gemm_tile_row(const Matrix& w, const ActRows& a, std::int64_t r, std::int64_t t0, std::int64_t t1,
                          float* y, std::int64_t ldy) {
  std::int64_t t = t0;
  for (; t + 4 <= t1; t += 4) K::template tile<R, 4>(w, a, r, t, y, ldy);
  switch (t1 - t) {
    case 3: K::template tile<R, 3>(w, a, r, t, y, ldy); break;
    case 2: K::template tile<R, 2>(w, a, r, t, y, ldy); break;
    case 1: K::template tile<R, 1>(w, a, r, t, y, ldy); break;
    default: break;
  }
}

template <typename K>
void gemm_tiled(const Matrix& w, const ActRows& a, std::int64_t r0, std::int64_t r1, std::int64_t t0,
                std::int64_t t1, float* y, std::int64_t ldy) {
  std::int64_t r = r0;
  for (; r + 4 <= r1; r += 4) gemm_tile_row<K, 4>(w, a, r, t0, t1, y, ldy);
  for (; r < r1; ++r) gemm_tile_row<K, 1>(w, a, r, t0, t1, y, ldy);
}

}  // namespace corral::kernels
