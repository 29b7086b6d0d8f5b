// Row ops: RMS norm, RoPE (both layouts, frequency factors), SiLU.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "kernels/ops.h"

namespace corral::kernels {
namespace {

TEST(Ops, RmsNorm) {
  const float x[4] = {1, 2, 3, 4};
  const float w[4] = {1, 1, 2, 0.5f};
  float y[4];
  rms_norm(x, w, y, 4, 0.0f);
  const float r = std::sqrt(30.0f / 4);
  EXPECT_FLOAT_EQ(y[0], 1 / r);
  EXPECT_FLOAT_EQ(y[2], 3 / r * 2);
  EXPECT_FLOAT_EQ(y[3], 4 / r * 0.5f);
}

TEST(Ops, RopeRotatesPairsByPositionAngle) {
  // head_dim 4, n_rot 4: pair 0 rotates by pos, pair 1 by pos * base^-0.5.
  float c[2], s[2];
  rope_cache(3.0f, 4, 100.0f, 1.0f, nullptr, c, s);
  EXPECT_NEAR(c[0], std::cos(3.0f), 1e-6);
  EXPECT_NEAR(s[1], std::sin(0.3f), 1e-6);
  float normal[4] = {1, 0, 1, 0}, neox[4] = {1, 1, 0, 0};
  rope_apply(normal, 1, 4, 4, c, s, false);
  rope_apply(neox, 1, 4, 4, c, s, true);
  EXPECT_NEAR(normal[0], std::cos(3.0f), 1e-6);
  EXPECT_NEAR(normal[1], std::sin(3.0f), 1e-6);
  EXPECT_NEAR(normal[3], std::sin(0.3f), 1e-6);
  // NeoX pairs element i with i + 2.
  EXPECT_NEAR(neox[0], std::cos(3.0f), 1e-6);
  EXPECT_NEAR(neox[2], std::sin(3.0f), 1e-6);
  EXPECT_NEAR(neox[3], std::sin(0.3f), 1e-6);
}

TEST(Ops, RopeFrequencyFactorsDivideTheAngle) {
  float c[2], s[2];
  const float ff[2] = {1.0f, 4.0f};
  rope_cache(8.0f, 4, 100.0f, 1.0f, ff, c, s);
  EXPECT_NEAR(s[1], std::sin(0.8f / 4.0f), 1e-6);
  rope_cache(8.0f, 4, 100.0f, 0.5f, nullptr, c, s);  // linear scaling
  EXPECT_NEAR(s[0], std::sin(4.0f), 1e-6);
}

TEST(Ops, SiluMul) {
  float g[3] = {0.0f, 1.0f, -2.0f};
  const float u[3] = {5.0f, 2.0f, 1.0f};
  silu_mul(g, u, 3);
  EXPECT_FLOAT_EQ(g[0], 0.0f);
  EXPECT_NEAR(g[1], 2.0f / (1.0f + std::exp(-1.0f)), 1e-6);
  EXPECT_NEAR(g[2], -2.0f / (1.0f + std::exp(2.0f)), 1e-6);
}

}  // namespace
}  // namespace corral::kernels

namespace corral::kernels {
namespace {

TEST(Ops, SiluMulMatchesScalarTwin) {
  std::vector<float> g(1000), u(1000);
  for (int i = 0; i < 1000; ++i) {
    g[static_cast<std::size_t>(i)] = (static_cast<float>(i) - 500.0f) / 7.0f;
    u[static_cast<std::size_t>(i)] = 1.0f + static_cast<float>(i % 13) / 13.0f;
  }
  auto a = g, b = g;
  silu_mul(a.data(), u.data(), 1000);
  silu_mul_scalar(b.data(), u.data(), 1000);
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], 2e-6f * (1.0f + std::fabs(b[i]))) << i;
}

}  // namespace
}  // namespace corral::kernels
