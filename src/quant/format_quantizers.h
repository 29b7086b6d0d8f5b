// Internal to quant/: one function per format that quantizes nb whole blocks
// of f32 values into dst (which need not be aligned). quantize.cpp checks the
// arguments and dispatches on the tensor type.
#pragma once

#include <cstdint>

namespace corral::quant::detail {

// Weight formats, as ggml's reference quantizers without an importance matrix.
void quantize_q4_0(const float* x, void* dst, std::int64_t nb);
void quantize_q4_1(const float* x, void* dst, std::int64_t nb);
void quantize_q5_0(const float* x, void* dst, std::int64_t nb);
void quantize_q5_1(const float* x, void* dst, std::int64_t nb);
void quantize_q8_0(const float* x, void* dst, std::int64_t nb);
void quantize_q2_k(const float* x, void* dst, std::int64_t nb);
void quantize_q3_k(const float* x, void* dst, std::int64_t nb);
void quantize_q4_k(const float* x, void* dst, std::int64_t nb);
void quantize_q5_k(const float* x, void* dst, std::int64_t nb);
void quantize_q6_k(const float* x, void* dst, std::int64_t nb);
void quantize_iq4_nl(const float* x, void* dst, std::int64_t nb);
void quantize_iq4_xs(const float* x, void* dst, std::int64_t nb);

// Activation formats, as ggml's CPU back-end produces them on x86 for the matrix multiply.
void quantize_q8_0_activations(const float* x, void* dst, std::int64_t nb);
void quantize_q8_1_activations(const float* x, void* dst, std::int64_t nb);
void quantize_q8_k_activations(const float* x, void* dst, std::int64_t nb);

}  // namespace corral::quant::detail
