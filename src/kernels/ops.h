// Elementwise and row operations of the transformer forward pass, written to
// follow the reference engine's arithmetic (where it rounds, we round).
#pragma once

#include <cstdint>

namespace corral::kernels {

// y = x / sqrt(mean(x^2) + eps) * w  (the sum of squares accumulates in double).
// w may be null (no weight). x and y may alias.
void rms_norm(const float* x, const float* w, float* y, std::int64_t n, float eps);

// Rotary position embedding tables for one position: cos/sin of each rotated
// pair, theta_i = pos * base^(-2i/n_rot) (computed by repeated multiplication
// in float as the reference does), divided by freq_factors[i] when given and
// multiplied by freq_scale.
void rope_cache(float pos, std::int64_t n_rot, float freq_base, float freq_scale, const float* freq_factors,
                float* cos_out, float* sin_out);

// Rotates n_heads vectors of head_dim values (stride head_dim) in place.
// neox: pairs (i, i + n_rot/2); otherwise adjacent pairs (2i, 2i+1).
void rope_apply(float* x, std::int64_t n_heads, std::int64_t head_dim, std::int64_t n_rot, const float* cos_t,
                const float* sin_t, bool neox);

// g = silu(g) * u, elementwise (AVX-512 when available; the scalar twin is the reference).
void silu_mul(float* g, const float* u, std::int64_t n);
void silu_mul_scalar(float* g, const float* u, std::int64_t n);

// x += y.
void add_inplace(float* x, const float* y, std::int64_t n);

}  // namespace corral::kernels
