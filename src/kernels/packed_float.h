// The prompt-processing layout for float weights (F32, F16, BF16): 16 tokens'
// activations transposed to [k][16] floats, and a few weight rows expanded to
// floats interleaved as [k][rows], so that the kernel does one broadcast and
// one FMA per weight value and 16 tokens.
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/act_rows.h"
#include "kernels/matrix.h"

namespace corral::kernels {

struct PackedFloatActs {
  std::int64_t m = 0, k = 0, n_groups = 0;
  std::vector<float> x;  // [group][k][16], zero for missing tokens

  const float* at(std::int64_t g) const { return x.data() + g * k * 16; }
};

// Activations in f32, f16r or bf16 format.
void pack_float_activations(const ActRows& a, PackedFloatActs& out);

// Rows [r0, r0 + n) of an F32/F16/BF16 matrix as floats, [k][n] interleaved.
void expand_float_rows(const Matrix& w, std::int64_t r0, std::int64_t n, std::vector<float>& out);

bool packed_float_supported(TensorType t);

}  // namespace corral::kernels
