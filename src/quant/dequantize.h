// Dequantization to f32 of every format corral reads or quantizes to.
#pragma once

#include <cstdint>

#include "gguf/tensor_type.h"

namespace corral::quant {

// True for the types dequantize_row handles: F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q8_1,
// Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, Q8_K, IQ4_NL, IQ4_XS.
bool can_dequantize(TensorType t);

// Expands n values (row_bytes(t, n) bytes at src, any alignment) to f32, exactly as ggml's to_float.
// Throws Error when t is not handled or n is negative or not a multiple of the block size.
void dequantize_row(TensorType t, const void* src, float* dst, std::int64_t n);

}  // namespace corral::quant
