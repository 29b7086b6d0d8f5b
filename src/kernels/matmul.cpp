// The matmul driver: picks the kernel and splits output rows over threads.
#include "kernels/matmul.h"

#include <algorithm>
#include <cstdlib>

#include "kernels/gemm.h"
#include "kernels/gemv_q4.h"
#include "kernels/gemv_q4k.h"
#include "kernels/packed_float.h"
#include "kernels/packed_gemm.h"
#include "util/error.h"
#include "util/thread_pool.h"

namespace corral::kernels {

// The packed prompt-processing kernel (gemm_avx512_packed.cpp).
void packed_gemm_avx512(const Matrix& w, const PackedActs& pa, std::int64_t r0, std::int64_t r1, float* y,
                        std::int64_t ldy, WeightTile& tile);

void packed_float_gemm_avx512(const Matrix& w, const PackedFloatActs& pa, std::int64_t r0, std::int64_t r1, float* y,
                              std::int64_t ldy, std::vector<float>& tile);

namespace {

// Batches of at least this many tokens use the packed layouts (the float
// one pays for expanding weights to f32, so it needs larger batches).
constexpr std::int64_t kPackedMinTokens = 16;
constexpr std::int64_t kPackedFloatMinTokens = 16;

// Types whose weight expansion is slower need larger batches to gain.
std::int64_t packed_min_tokens(TensorType t) {
  return t == TensorType::Q2_K || t == TensorType::Q3_K || t == TensorType::Q5_K ? 128 : kPackedMinTokens;
}

void matmul_packed(ThreadPool& pool, const Matrix& w, const ActRows& a, float* y, std::int64_t ldy) {
  thread_local PackedActs packed;  // owned by the calling thread, read by all
  pack_activations(w.type, a, packed);
  const std::int64_t n_out = w.n_out;
  const std::int64_t chunk = std::max<std::int64_t>(32, (n_out / (4 * pool.size()) + 31) / 32 * 32);
  const std::int64_t n_chunks = (n_out + chunk - 1) / chunk;
  const PackedActs& pa = packed;
  pool.for_chunks(n_chunks, [&](std::int64_t c, int) {
    thread_local WeightTile tile;
    const std::int64_t r0 = c * chunk, r1 = std::min(n_out, r0 + chunk);
    packed_gemm_avx512(w, pa, r0, r1, y, ldy, tile);
  });
}

void matmul_packed_float(ThreadPool& pool, const Matrix& w, const ActRows& a, float* y, std::int64_t ldy) {
  thread_local PackedFloatActs packed;  // owned by the calling thread, filled and read by all
  size_float_activations(a, packed);
  PackedFloatActs& fill = packed;
  pool.for_chunks(fill.n_groups, [&](std::int64_t g, int) { pack_float_activations(a, g, g + 1, fill); });
  const std::int64_t n_out = w.n_out;
  const std::int64_t chunk = std::max<std::int64_t>(32, (n_out / (4 * pool.size()) + 31) / 32 * 32);
  const PackedFloatActs& pa = packed;
  pool.for_chunks((n_out + chunk - 1) / chunk, [&](std::int64_t c, int) {
    thread_local std::vector<float> tile;
    const std::int64_t r0 = c * chunk, r1 = std::min(n_out, r0 + chunk);
    packed_float_gemm_avx512(w, pa, r0, r1, y, ldy, tile);
  });
}

void matvec_q4_0(ThreadPool& pool, const Matrix& w, const ActRows& a, float* y) {
  thread_local Q4Activations x;  // owned by the calling thread, read by all
  prepare_gemv_q4(a, 0, x);
  const std::int64_t n_out = w.n_out;
  const std::int64_t chunk = std::max<std::int64_t>(16, (n_out / (4 * pool.size()) + 15) / 16 * 16);
  const Q4Activations& xr = x;
  pool.for_chunks((n_out + chunk - 1) / chunk, [&](std::int64_t c, int) {
    const std::int64_t r0 = c * chunk, r1 = std::min(n_out, r0 + chunk);
    gemv_q4_0_avx512(w, xr, r0, r1, y);
  });
}

void matvec_q4_k(ThreadPool& pool, const Matrix& w, const ActRows& a, float* y) {
  thread_local Q4KActivations x;  // owned by the calling thread, read by all
  prepare_gemv_q4k(a, 0, x);
  const std::int64_t n_out = w.n_out;
  const std::int64_t chunk = std::max<std::int64_t>(16, (n_out / (4 * pool.size()) + 15) / 16 * 16);
  const Q4KActivations& xr = x;
  pool.for_chunks((n_out + chunk - 1) / chunk, [&](std::int64_t c, int) {
    const std::int64_t r0 = c * chunk, r1 = std::min(n_out, r0 + chunk);
    gemv_q4_k_avx512(w, xr, r0, r1, y);
  });
}

}  // namespace

void matmul(ThreadPool& pool, const Matrix& w, const ActRows& a, float* y, std::int64_t ldy, Isa isa) {
  if (a.n != w.n_in) fail("matmul: activation width {} does not match weight row length {}", a.n, w.n_in);
  if (a.format != act_format_for(w.type)) fail("matmul: activations in the wrong format for {}", type_name(w.type));
  if (isa >= Isa::avx512 && isa_supported(Isa::avx512) && a.m >= packed_min_tokens(w.type) &&
      packed_block_size(w.type) != 0 && std::getenv("CORRAL_NO_PACKED") == nullptr) {
    matmul_packed(pool, w, a, y, ldy);
    return;
  }
  if (isa >= Isa::avx512 && isa_supported(Isa::avx512) && a.m >= kPackedFloatMinTokens &&
      packed_float_supported(w.type) && std::getenv("CORRAL_NO_PACKED") == nullptr) {
    matmul_packed_float(pool, w, a, y, ldy);
    return;
  }
  if (isa >= Isa::avx512 && isa_supported(Isa::avx512) && a.m == 1 && w.type == TensorType::Q4_0) {
    matvec_q4_0(pool, w, a, y);
    return;
  }
  if (isa >= Isa::avx512 && isa_supported(Isa::avx512) && a.m == 1 && w.type == TensorType::Q4_K) {
    matvec_q4_k(pool, w, a, y);
    return;
  }
  GemmFn fn = select_gemm(w.type, isa);
  // For one token, the AVX2 kernels of these types stream weights faster than
  // the AVX-512 tile kernels on the CPUs measured (docs/PERFORMANCE.md).
  if (a.m == 1 && isa >= Isa::avx512 && isa_supported(Isa::avx2) &&
      (w.type == TensorType::Q8_0 || w.type == TensorType::Q6_K || w.type == TensorType::Q5_0 ||
       w.type == TensorType::IQ4_NL)) {
    if (GemmFn f = gemm_avx2(w.type)) fn = f;
  }
  const std::int64_t n_out = w.n_out;
  // Rows are handed out in chunks (multiples of 16 to keep SIMD tiles full),
  // a few per thread so that a slow or descheduled thread delays little.
  const std::int64_t n_threads = pool.size();
  std::int64_t chunk = std::max<std::int64_t>(16, n_out / (4 * n_threads));
  chunk = (chunk + 15) / 16 * 16;
  const std::int64_t n_chunks = (n_out + chunk - 1) / chunk;
  pool.for_chunks(n_chunks, [&](std::int64_t c, int) {
    const std::int64_t r0 = c * chunk, r1 = std::min(n_out, r0 + chunk);
    fn(w, a, r0, r1, 0, a.m, y, ldy);
  });
}

void matmul(ThreadPool& pool, const Matrix& w, const float* x, std::int64_t m, std::int64_t ldx, float* y,
            std::int64_t ldy, ActBuffer& buf, Isa isa) {
  ActRows a = buf.quantize(&pool, act_format_for(w.type), x, m, w.n_in, ldx);
  matmul(pool, w, a, y, ldy, isa);
}

}  // namespace corral::kernels
