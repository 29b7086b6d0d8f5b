// The AVX-512 kernel table: float, Q8_0-family and K-quant kernels.
#include "kernels/gemm.h"

namespace corral::kernels {

GemmFn gemm_avx512_float(TensorType t);
GemmFn gemm_avx512_q8(TensorType t);
GemmFn gemm_avx512_kquant(TensorType t);

GemmFn gemm_avx512(TensorType t) {
  if (GemmFn f = gemm_avx512_float(t)) return f;
  if (GemmFn f = gemm_avx512_q8(t)) return f;
  return gemm_avx512_kquant(t);
}

}  // namespace corral::kernels
