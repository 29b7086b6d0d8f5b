// ISA level selection from CPU features.
#include "kernels/isa.h"

#include "util/cpu_features.h"

namespace corral::kernels {

bool isa_supported(Isa isa) {
  const auto& f = cpu_features();
  switch (isa) {
    case Isa::scalar: return true;
    case Isa::avx2: return f.has_avx2_path();
    case Isa::avx512: return f.has_avx512_path() && f.avx512vnni;
  }
  return false;
}

Isa best_isa() {
  static const Isa best = [] {
    if (isa_supported(Isa::avx512)) return Isa::avx512;
    if (isa_supported(Isa::avx2)) return Isa::avx2;
    return Isa::scalar;
  }();
  return best;
}

std::string_view isa_name(Isa isa) {
  switch (isa) {
    case Isa::scalar: return "scalar";
    case Isa::avx2: return "avx2";
    case Isa::avx512: return "avx512-vnni";
  }
  return "?";
}

}  // namespace corral::kernels
