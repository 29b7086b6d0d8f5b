// Portable scalar matrix multiply for every weight type. Quantized weights use
// the quant library's reference dot products (integer sums per block, as the
// reference engine computes them); float weights are expanded to f32 and
// multiplied plainly. This is what the SIMD kernels are tested against, and
// the fallback on CPUs without AVX2.
#include <algorithm>
#include <cstring>
#include <vector>

#include "kernels/gemm.h"
#include "quant/dequantize.h"
#include "quant/vec_dot_ref.h"
#include "util/fp16.h"

namespace corral::kernels {
namespace {

void expand_activation(const ActRows& a, std::int64_t t, float* out) {
  const std::uint8_t* row = a.row(t);
  switch (a.format) {
    case ActFormat::f32:
    case ActFormat::f16r: std::memcpy(out, row, static_cast<std::size_t>(a.n) * 4); break;
    case ActFormat::bf16: quant::dequantize_row(TensorType::BF16, row, out, a.n); break;
    case ActFormat::q8_0: quant::dequantize_row(TensorType::Q8_0, row, out, a.n); break;
    case ActFormat::q8_1: quant::dequantize_row(TensorType::Q8_1, row, out, a.n); break;
    case ActFormat::q8_k: quant::dequantize_row(TensorType::Q8_K, row, out, a.n); break;
  }
}

void gemm_generic(const Matrix& w, const ActRows& a, std::int64_t r0, std::int64_t r1, std::int64_t t0,
                  std::int64_t t1, float* y, std::int64_t ldy) {
  constexpr std::int64_t kRows = 16;
  const std::int64_t n = w.n_in;
  thread_local std::vector<float> wbuf, xbuf;
  wbuf.resize(static_cast<std::size_t>(kRows * n));
  xbuf.resize(static_cast<std::size_t>(n));
  for (std::int64_t rb = r0; rb < r1; rb += kRows) {
    const std::int64_t re = std::min(r1, rb + kRows);
    for (std::int64_t r = rb; r < re; ++r) quant::dequantize_row(w.type, w.row(r), wbuf.data() + (r - rb) * n, n);
    for (std::int64_t t = t0; t < t1; ++t) {
      expand_activation(a, t, xbuf.data());
      for (std::int64_t r = rb; r < re; ++r) {
        const float* wr = wbuf.data() + (r - rb) * n;
        float s = 0;
        for (std::int64_t k = 0; k < n; ++k) s += wr[k] * xbuf[static_cast<std::size_t>(k)];
        y[t * ldy + r] = s;
      }
    }
  }
}

void gemm_quantized(const Matrix& w, const ActRows& a, std::int64_t r0, std::int64_t r1, std::int64_t t0,
                    std::int64_t t1, float* y, std::int64_t ldy) {
  for (std::int64_t t = t0; t < t1; ++t)
    for (std::int64_t r = r0; r < r1; ++r) y[t * ldy + r] = quant::vec_dot_ref(w.type, w.n_in, w.row(r), a.row(t));
}

}  // namespace

GemmFn gemm_scalar(TensorType t) {
  switch (t) {
    case TensorType::F32:
    case TensorType::F16:
    case TensorType::BF16: return &gemm_generic;
    default: return &gemm_quantized;
  }
}

GemmFn select_gemm(TensorType t, Isa isa) {
  if (isa >= Isa::avx512 && isa_supported(Isa::avx512))
    if (GemmFn f = gemm_avx512(t)) return f;
  if (isa >= Isa::avx2 && isa_supported(Isa::avx2))
    if (GemmFn f = gemm_avx2(t)) return f;
  return gemm_scalar(t);
}

}  // namespace corral::kernels
