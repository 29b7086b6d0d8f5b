// The SIMD instruction-set level the kernels run at, chosen once from the
// running CPU (util/cpu_features.h). Every SIMD path has a scalar twin that
// tests compare it against; no kernel assumes a feature the CPU lacks.
#pragma once

#include <string_view>

namespace corral::kernels {

enum class Isa { scalar = 0, avx2 = 1, avx512 = 2 };

// The best level the CPU supports (capped by CORRAL_CPU=scalar|avx2).
Isa best_isa();
// Whether this CPU can run kernels of the given level.
bool isa_supported(Isa isa);
std::string_view isa_name(Isa isa);

}  // namespace corral::kernels
