// The AVX2 kernel table. AVX2 kernels are not written yet: every type uses
// the scalar path on CPUs without AVX-512 VNNI.
#include "kernels/gemm.h"

namespace corral::kernels {

GemmFn gemm_avx2(TensorType) { return nullptr; }

}  // namespace corral::kernels
