// Elementwise and row operations (portable; the compiler vectorizes them).
#include "kernels/ops.h"

#include <cmath>

#include "kernels/isa.h"

namespace corral::kernels {

void rms_norm(const float* x, const float* w, float* y, std::int64_t n, float eps) {
  double sum = 0;
  for (std::int64_t i = 0; i < n; ++i) sum += static_cast<double>(x[i] * x[i]);
  const float mean = static_cast<float>(sum / static_cast<double>(n));
  const float scale = 1.0f / std::sqrt(mean + eps);
  if (w) {
    for (std::int64_t i = 0; i < n; ++i) y[i] = (x[i] * scale) * w[i];
  } else {
    for (std::int64_t i = 0; i < n; ++i) y[i] = x[i] * scale;
  }
}

void rope_cache(float pos, std::int64_t n_rot, float freq_base, float freq_scale, const float* freq_factors,
                float* cos_out, float* sin_out) {
  const float theta_scale = std::pow(freq_base, -2.0f / static_cast<float>(n_rot));
  float theta = pos;
  for (std::int64_t i = 0; i < n_rot / 2; ++i) {
    const float ff = freq_factors ? freq_factors[i] : 1.0f;
    const float t = freq_scale * (theta / ff);
    cos_out[i] = std::cos(t);
    sin_out[i] = std::sin(t);
    theta *= theta_scale;
  }
}

void rope_apply(float* x, std::int64_t n_heads, std::int64_t head_dim, std::int64_t n_rot, const float* cos_t,
                const float* sin_t, bool neox) {
  const std::int64_t half = n_rot / 2;
  for (std::int64_t h = 0; h < n_heads; ++h) {
    float* v = x + h * head_dim;
    if (neox) {
      for (std::int64_t i = 0; i < half; ++i) {
        const float x0 = v[i], x1 = v[i + half];
        v[i] = x0 * cos_t[i] - x1 * sin_t[i];
        v[i + half] = x0 * sin_t[i] + x1 * cos_t[i];
      }
    } else {
      for (std::int64_t i = 0; i < half; ++i) {
        const float x0 = v[2 * i], x1 = v[2 * i + 1];
        v[2 * i] = x0 * cos_t[i] - x1 * sin_t[i];
        v[2 * i + 1] = x0 * sin_t[i] + x1 * cos_t[i];
      }
    }
  }
}

void silu_mul_avx512(float* g, const float* u, std::int64_t n);  // ops_avx512.cpp

void silu_mul_scalar(float* g, const float* u, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) {
    const float v = g[i];
    g[i] = (v / (1.0f + std::exp(-v))) * u[i];
  }
}

void silu_mul(float* g, const float* u, std::int64_t n) {
  static const bool simd = best_isa() >= Isa::avx512;
  if (simd)
    silu_mul_avx512(g, u, n);
  else
    silu_mul_scalar(g, u, n);
}

void add_inplace(float* x, const float* y, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) x[i] += y[i];
}

}  // namespace corral::kernels
