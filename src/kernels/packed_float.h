// The prompt-processing layout for float weights (F32, F16, BF16): activations
// as f32 in groups of 12 tokens transposed to [k][12], and weight panels of 32
// rows expanded to f32 as [k][32], so that the kernel keeps 12 x 32 sums in
// registers and does one broadcast per token and two loads per k step.
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/act_rows.h"
#include "kernels/matrix.h"

namespace corral::kernels {

inline constexpr std::int64_t kFloatPanelTokens = 12;
inline constexpr std::int64_t kFloatPanelRows = 32;

struct PackedFloatActs {
  std::int64_t m = 0, k = 0, n_groups = 0;
  std::vector<float> x;  // [group][k][12], zero for missing tokens

  const float* at(std::int64_t g) const { return x.data() + g * k * kFloatPanelTokens; }
};

// Sizes `out` for activations `a` (f32, f16r or bf16 format), then fills
// token groups [g0, g1) (threads may fill disjoint ranges).
void size_float_activations(const ActRows& a, PackedFloatActs& out);
void pack_float_activations(const ActRows& a, std::int64_t g0, std::int64_t g1, PackedFloatActs& out);

bool packed_float_supported(TensorType t);

}  // namespace corral::kernels
