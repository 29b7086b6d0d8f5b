// What the running CPU can do (CPUID + XGETBV), read once. Kernels choose
// their SIMD path from this; CORRAL_CPU=scalar|avx2|avx512 caps the choice.
#pragma once

#include <string>

namespace corral {

struct CpuFeatures {
  bool avx2 = false;
  bool fma = false;
  bool f16c = false;
  bool avx_vnni = false;
  bool avx512f = false;
  bool avx512bw = false;
  bool avx512vl = false;
  bool avx512dq = false;
  bool avx512vnni = false;
  bool avx512bf16 = false;
  bool amx_int8 = false;
  bool amx_bf16 = false;
  int physical_cores = 1;

  // The CPU can run the AVX2 (+FMA, F16C) kernels.
  bool has_avx2_path() const { return avx2 && fma && f16c; }
  // The CPU can run the AVX-512 (F, BW, VL, DQ) kernels.
  bool has_avx512_path() const { return has_avx2_path() && avx512f && avx512bw && avx512vl && avx512dq; }
  std::string describe() const;
};

// Detected once; honours CORRAL_CPU to cap the level for testing.
const CpuFeatures& cpu_features();

// Features of the hardware without the CORRAL_CPU cap.
CpuFeatures detect_cpu_features();

}  // namespace corral
