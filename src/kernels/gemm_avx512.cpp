// The AVX-512 kernel table: float, Q8_0-family, Q8_1-family, K-quant and
// IQ4_XS kernels.
#include "kernels/gemm.h"

namespace corral::kernels {

GemmFn gemm_avx512_float(TensorType t);
GemmFn gemm_avx512_q8(TensorType t);
GemmFn gemm_avx512_q8_1(TensorType t);
GemmFn gemm_avx512_kquant(TensorType t);
GemmFn gemm_avx512_q2k_q3k_q5k(TensorType t);
GemmFn gemm_avx512_iq4xs(TensorType t);

GemmFn gemm_avx512(TensorType t) {
  for (auto table : {gemm_avx512_float, gemm_avx512_q8, gemm_avx512_q8_1, gemm_avx512_kquant,
                     gemm_avx512_q2k_q3k_q5k, gemm_avx512_iq4xs})
    if (GemmFn f = table(t)) return f;
  return nullptr;
}

}  // namespace corral::kernels
