// Quantization from f32: weights (every storable format, as ggml's reference
// quantizers without an importance matrix) and activations (the formats a
// weight type's dot product pairs with, as the reference engine's matrix
// multiply produces them). Rows are n values, n a multiple of the block size.
#pragma once

#include <cstddef>
#include <cstdint>

#include "gguf/tensor_type.h"

namespace corral::quant {

// True for the types quantize_row can produce: F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K,
// Q3_K, Q4_K, Q5_K, Q6_K, IQ4_NL, IQ4_XS, and the activation formats Q8_1 and Q8_K.
bool can_quantize(TensorType t);

// Quantizes n values into dst (row_bytes(t, n) bytes, any alignment) and returns that byte count.
// Throws Error when t cannot be quantized, n is not a multiple of the block size or negative, or a
// value is not finite. Q8_1 and Q8_K (activation formats) go through quantize_activations.
std::size_t quantize_row(TensorType t, const float* src, void* dst, std::int64_t n);

// The activation format a weight type's dot product takes: Q8_0 for Q4_0, Q5_0, Q8_0 and IQ4_NL;
// Q8_1 for Q4_1 and Q5_1; Q8_K for Q2_K..Q6_K and IQ4_XS; F16, BF16 and F32 for themselves.
// Throws Error for other types.
TensorType vec_dot_type(TensorType weight);

// Quantizes one row of activations to dot_type (Q8_0, Q8_1, Q8_K, F16, BF16 or F32) as the reference
// engine does before its dot products: Q8_0/Q8_1 take d = amax/127 and round x*127/amax half to
// even, Q8_1 adds s = d*sum(q); Q8_K takes d = max/-127 (f32) and fills bsums; F16/BF16 round to
// nearest even; F32 copies. No finiteness check (hot path). Throws Error for other types or a bad n.
void quantize_activations(TensorType dot_type, const float* src, void* dst, std::int64_t n);

}  // namespace corral::quant
