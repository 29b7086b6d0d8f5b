// The AVX2 (+FMA +F16C) kernel table: float, 32-value block and 256-value
// super-block kernels, each in its own translation unit built for AVX2 only.
#include "kernels/gemm.h"

namespace corral::kernels {

GemmFn gemm_avx2_float(TensorType t);
GemmFn gemm_avx2_q8(TensorType t);
GemmFn gemm_avx2_kquant(TensorType t);

GemmFn gemm_avx2(TensorType t) {
  if (GemmFn f = gemm_avx2_float(t)) return f;
  if (GemmFn f = gemm_avx2_q8(t)) return f;
  return gemm_avx2_kquant(t);
}

}  // namespace corral::kernels
