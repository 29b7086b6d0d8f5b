// Activation quantizers: hand-worked blocks showing the reference engine's
// conventions (Q8_0/Q8_1 round half to even with d = amax/127, Q8_1's sum
// field, Q8_K's signed scale and bsums), and the weight -> activation pairing.
#include <gtest/gtest.h>

#include <vector>

#include "quant/blocks.h"
#include "quant/quantize.h"

namespace corral::quant {
namespace {

TEST(Activations, Q8_0RoundsHalfToEven) {
  std::vector<float> x(32, 0.f);
  x[0] = 127;  // amax 127: d = 1, x * 127/127
  x[1] = 2.5f;
  x[2] = 3.5f;
  x[3] = -2.5f;
  x[4] = -0.5f;
  x[5] = 0.49f;
  BlockQ8_0 b;
  quantize_activations(TensorType::Q8_0, x.data(), &b, 32);
  EXPECT_EQ(b.d, 0x3C00);
  EXPECT_EQ(b.qs[0], 127);
  EXPECT_EQ(b.qs[1], 2);
  EXPECT_EQ(b.qs[2], 4);
  EXPECT_EQ(b.qs[3], -2);
  EXPECT_EQ(b.qs[4], 0);
  EXPECT_EQ(b.qs[5], 0);
}

TEST(Activations, Q8_1CarriesScaledSum) {
  std::vector<float> x(32, 0.f);
  x[0] = 127;
  x[1] = 2.5f;
  x[2] = 3.5f;
  x[3] = -2.5f;
  BlockQ8_1 b;
  quantize_activations(TensorType::Q8_1, x.data(), &b, 32);
  EXPECT_EQ(b.d, 0x3C00);
  EXPECT_EQ(b.s, 0x5818);  // 1 * (127 + 2 + 4 - 2) = 131 = 1.0234375 * 2^7
}

TEST(Activations, Q8_0UsesAmaxOver127) {
  std::vector<float> x(32, 0.f);
  x[0] = -254;  // d = 2, x * 127/254
  x[1] = 3;     // 1.5 -> 2
  x[2] = 5;     // 2.5 -> 2
  BlockQ8_0 b;
  quantize_activations(TensorType::Q8_0, x.data(), &b, 32);
  EXPECT_EQ(b.d, 0x4000);
  EXPECT_EQ(b.qs[0], -127);
  EXPECT_EQ(b.qs[1], 2);
  EXPECT_EQ(b.qs[2], 2);
}

TEST(Activations, Q8_KSignedScaleAndBlockSums) {
  std::vector<float> x(256, 0.f);
  x[0] = 254;  // the extreme is positive: iscale = -127/254 = -1/2, d = -2
  x[1] = 5;    // -2.5 -> -2
  x[2] = -3;   // 1.5 -> 2
  x[17] = 7;   // -3.5 -> -4
  BlockQ8_K b;
  quantize_activations(TensorType::Q8_K, x.data(), &b, 256);
  EXPECT_EQ(b.d, -2.f);
  EXPECT_EQ(b.qs[0], -127);
  EXPECT_EQ(b.qs[1], -2);
  EXPECT_EQ(b.qs[2], 2);
  EXPECT_EQ(b.qs[17], -4);
  EXPECT_EQ(b.bsums[0], -127);  // -127 - 2 + 2
  EXPECT_EQ(b.bsums[1], -4);
  for (int g = 2; g < 16; ++g) EXPECT_EQ(b.bsums[g], 0);
}

TEST(Activations, FloatFormatsRoundToNearestEven) {
  const float x[2] = {1.0f + 0x1p-11f, 1.0f + 3 * 0x1p-11f};  // halfway between F16 neighbours
  std::uint16_t h[2];
  quantize_activations(TensorType::F16, x, h, 2);
  EXPECT_EQ(h[0], 0x3C00);  // ties to the even mantissa
  EXPECT_EQ(h[1], 0x3C02);
  const float y[2] = {1.0f + 0x1p-8f, 1.0f + 3 * 0x1p-8f};  // halfway between BF16 neighbours
  quantize_activations(TensorType::BF16, y, h, 2);
  EXPECT_EQ(h[0], 0x3F80);
  EXPECT_EQ(h[1], 0x3F82);
  float z[2];
  quantize_activations(TensorType::F32, x, z, 2);
  EXPECT_EQ(z[0], x[0]);
  EXPECT_EQ(z[1], x[1]);
}

TEST(Activations, Pairing) {
  EXPECT_EQ(vec_dot_type(TensorType::Q4_0), TensorType::Q8_0);
  EXPECT_EQ(vec_dot_type(TensorType::Q5_0), TensorType::Q8_0);
  EXPECT_EQ(vec_dot_type(TensorType::Q8_0), TensorType::Q8_0);
  EXPECT_EQ(vec_dot_type(TensorType::IQ4_NL), TensorType::Q8_0);
  EXPECT_EQ(vec_dot_type(TensorType::Q4_1), TensorType::Q8_1);
  EXPECT_EQ(vec_dot_type(TensorType::Q5_1), TensorType::Q8_1);
  for (TensorType t : {TensorType::Q2_K, TensorType::Q3_K, TensorType::Q4_K, TensorType::Q5_K, TensorType::Q6_K,
                       TensorType::IQ4_XS})
    EXPECT_EQ(vec_dot_type(t), TensorType::Q8_K);
  EXPECT_EQ(vec_dot_type(TensorType::F16), TensorType::F16);
  EXPECT_EQ(vec_dot_type(TensorType::BF16), TensorType::BF16);
  EXPECT_EQ(vec_dot_type(TensorType::F32), TensorType::F32);
}

}  // namespace
}  // namespace corral::quant
