// The matmul driver: picks the kernel and splits output rows over threads.
#include "kernels/matmul.h"

#include <algorithm>

#include "kernels/gemm.h"
#include "util/error.h"
#include "util/thread_pool.h"

namespace corral::kernels {

void matmul(ThreadPool& pool, const Matrix& w, const ActRows& a, float* y, std::int64_t ldy, Isa isa) {
  if (a.n != w.n_in) fail("matmul: activation width {} does not match weight row length {}", a.n, w.n_in);
  if (a.format != act_format_for(w.type)) fail("matmul: activations in the wrong format for {}", type_name(w.type));
  GemmFn fn = select_gemm(w.type, isa);
  const std::int64_t n_out = w.n_out;
  const int nt = pool.size();
  // Row chunks are multiples of 16 so that SIMD tiles stay full; with few rows per
  // thread the split is simply even.
  pool.run([&](int ti, int n_threads) {
    std::int64_t per = (n_out + n_threads - 1) / n_threads;
    if (n_out >= 16 * n_threads) per = (per + 15) / 16 * 16;
    const std::int64_t r0 = std::min<std::int64_t>(n_out, per * ti);
    const std::int64_t r1 = std::min<std::int64_t>(n_out, r0 + per);
    if (r0 < r1) fn(w, a, r0, r1, 0, a.m, y, ldy);
  });
  (void)nt;
}

void matmul(ThreadPool& pool, const Matrix& w, const float* x, std::int64_t m, std::int64_t ldx, float* y,
            std::int64_t ldy, ActBuffer& buf, Isa isa) {
  ActRows a = buf.quantize(&pool, act_format_for(w.type), x, m, w.n_in, ldx);
  matmul(pool, w, a, y, ldy, isa);
}

}  // namespace corral::kernels
