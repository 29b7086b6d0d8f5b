// The portable scalar dot product of one weight row with one activation row
// already in vec_dot_type(weight_type): per block an integer sum of level
// products, then the float scales, as ggml's scalar reference does. It is
// the reference the engine's SIMD kernels are tested against: plain loops,
// no tricks.
#pragma once

#include <cstdint>

#include "gguf/tensor_type.h"

namespace corral::quant {

// n values (a multiple of the weight block size); w holds row_bytes(weight_type, n) bytes and a holds
// row_bytes(vec_dot_type(weight_type), n) bytes, any alignment. Throws Error for a weight type
// without a dot product or a bad n.
float vec_dot_ref(TensorType weight_type, std::int64_t n, const void* w, const void* a);

}  // namespace corral::quant
