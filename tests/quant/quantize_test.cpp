// Weight quantizers: known answers worked out by hand, exact reconstruction
// of data that already lies on a format's grid (power-of-two steps, so every
// scale is exact in F16), and argument checking.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "gguf/tensor_type.h"
#include "quant/blocks.h"
#include "quant/dequantize.h"
#include "quant/quantize.h"
#include "util/error.h"

namespace corral::quant {
namespace {

std::vector<std::uint8_t> quantize(TensorType t, const std::vector<float>& x) {
  std::vector<std::uint8_t> out(row_bytes(t, static_cast<std::int64_t>(x.size())));
  EXPECT_EQ(quantize_row(t, x.data(), out.data(), static_cast<std::int64_t>(x.size())), out.size());
  return out;
}

std::vector<float> round_trip(TensorType t, const std::vector<float>& x) {
  const auto q = quantize(t, x);
  std::vector<float> y(x.size());
  dequantize_row(t, q.data(), y.data(), static_cast<std::int64_t>(x.size()));
  return y;
}

TEST(Quantize, Q4_0KnownBlock) {
  // x[j] = j - 8 and x[16 + j] = j - 7.6: the largest magnitude is -8, so d = -8 / -8 = 1 and
  // level = trunc(x + 8.5): j for both halves.
  std::vector<float> x(32);
  for (int j = 0; j < 16; ++j) {
    x[j] = static_cast<float>(j - 8);
    x[16 + j] = static_cast<float>(j) - 7.6f;
  }
  const auto q = quantize(TensorType::Q4_0, x);
  const auto b = load_block<BlockQ4_0>(q.data(), 0);
  EXPECT_EQ(b.d, 0x3C00);
  for (int j = 0; j < 16; ++j) EXPECT_EQ(b.qs[j], j | (j << 4)) << j;
}

TEST(Quantize, Q4_0PositiveExtremeGivesNegativeScale) {
  std::vector<float> x(32, 0.f);
  x[5] = 16;  // d = 16 / -8 = -2; 16 -> trunc(-8 + 8.5) = 0, zeros -> 8
  const auto b = load_block<BlockQ4_0>(quantize(TensorType::Q4_0, x).data(), 0);
  EXPECT_EQ(b.d, 0xC000);
  EXPECT_EQ(b.qs[5], 0x80);
  EXPECT_EQ(b.qs[0], 0x88);
}

TEST(Quantize, Q8_0WeightsRoundHalfAwayFromZero) {
  std::vector<float> x(32, 0.f);
  x[0] = 127;  // d = 1
  x[1] = 2.5f;
  x[2] = -2.5f;
  x[3] = 0.4f;
  const auto b = load_block<BlockQ8_0>(quantize(TensorType::Q8_0, x).data(), 0);
  EXPECT_EQ(b.d, 0x3C00);
  EXPECT_EQ(b.qs[0], 127);
  EXPECT_EQ(b.qs[1], 3);
  EXPECT_EQ(b.qs[2], -3);
  EXPECT_EQ(b.qs[3], 0);
}

TEST(Quantize, Q4_1KnownBlock) {
  // min -1, max 2.75: d = 3.75 / 15 = 1/4, levels (x + 1) * 4.
  std::vector<float> x(32);
  for (int j = 0; j < 32; ++j) x[j] = -1 + 0.25f * static_cast<float>(j % 16);
  const auto b = load_block<BlockQ4_1>(quantize(TensorType::Q4_1, x).data(), 0);
  EXPECT_EQ(b.d, 0x3400);
  EXPECT_EQ(b.m, 0xBC00);
  for (int j = 0; j < 16; ++j) EXPECT_EQ(b.qs[j], j | (j << 4)) << j;
}

// Values on each format's grid with power-of-two steps come back exactly.
struct GridCase {
  TensorType type;
  std::vector<float> values;  // one or more blocks
};

std::vector<GridCase> grid_cases() {
  std::vector<GridCase> cases;
  const float s = 0.0625f;  // 2^-4
  auto levels = [](int lo, int hi, float step, std::size_t n) {
    std::vector<float> out;
    for (std::size_t i = 0; i < n; ++i) out.push_back(step * static_cast<float>(lo + static_cast<int>(i) % (hi - lo + 1)));
    return out;
  };
  cases.push_back({TensorType::Q4_0, levels(-8, 7, s, 64)});
  cases.push_back({TensorType::Q5_0, levels(-16, 15, s, 64)});
  std::vector<float> q8(256);
  for (int i = 0; i < 256; ++i) q8[i] = i % 32 == 0 ? 127.f : static_cast<float>((i * 37) % 255 - 127);  // d = 1
  cases.push_back({TensorType::Q8_0, q8});
  cases.push_back({TensorType::Q4_1, levels(0, 15, s, 64)});
  for (auto& v : cases.back().values) v -= 1.f;  // min -1
  cases.push_back({TensorType::Q5_1, levels(0, 31, s, 64)});
  for (auto& v : cases.back().values) v -= 0.5f;
  // K-quants: every sub-block uses the same step so the sub-block scale quantizes to its maximum
  // level and the super-block scale step/maximum is exact.
  cases.push_back({TensorType::Q2_K, levels(0, 3, 0.9375f, 512)});          // step 15/16, scale 15 * 2^-4
  cases.push_back({TensorType::Q3_K, levels(-4, 3, s, 512)});               // scale -32 * -2^-9
  cases.push_back({TensorType::Q4_K, levels(0, 15, 63.f / 1024, 512)});     // scale 63 * 2^-10
  cases.push_back({TensorType::Q5_K, levels(0, 31, 63.f / 1024, 512)});
  std::vector<float> q6(512);  // each group of 16 holds -32 (the extreme) and other levels
  for (int i = 0; i < 512; ++i) q6[i] = s * static_cast<float>(i % 16 == 0 ? -32 : (i * 7) % 64 - 32);
  cases.push_back({TensorType::Q6_K, q6});  // group scale s, super-block scale -2^-11, scales -128
  std::vector<float> iq;
  for (int i = 0; i < 512; ++i) iq.push_back(s * kIQ4Values[static_cast<std::size_t>(i % 16)]);
  cases.push_back({TensorType::IQ4_NL, iq});
  cases.push_back({TensorType::IQ4_XS, iq});
  cases.push_back({TensorType::F16, {1.f, -2.5f, 0.0999755859375f, 65504.f}});
  cases.push_back({TensorType::BF16, {1.f, -2.5f, 0x1p127f, 0.099609375f}});
  cases.push_back({TensorType::F32, {1.f, -2.5f, 3.0e38f, 1e-40f}});
  return cases;
}

TEST(Quantize, GridValuesComeBackExactly) {
  for (const auto& c : grid_cases()) {
    const auto y = round_trip(c.type, c.values);
    for (std::size_t i = 0; i < y.size(); ++i)
      ASSERT_EQ(y[i], c.values[i]) << type_name(c.type) << " value " << i;
  }
}

TEST(Quantize, ZerosStayZero) {
  const std::vector<float> zeros(512, 0.f);
  for (TensorType t : {TensorType::Q4_0, TensorType::Q4_1, TensorType::Q5_0, TensorType::Q5_1, TensorType::Q8_0,
                       TensorType::Q2_K, TensorType::Q3_K, TensorType::Q4_K, TensorType::Q5_K, TensorType::Q6_K,
                       TensorType::IQ4_NL, TensorType::IQ4_XS, TensorType::Q8_1, TensorType::Q8_K}) {
    const auto y = round_trip(t, zeros);
    for (float v : y) ASSERT_EQ(v, 0.f) << type_name(t);
  }
}

TEST(Quantize, CanQuantize) {
  for (TensorType t : {TensorType::F32, TensorType::F16, TensorType::BF16, TensorType::Q4_0, TensorType::Q4_1,
                       TensorType::Q5_0, TensorType::Q5_1, TensorType::Q8_0, TensorType::Q8_1, TensorType::Q2_K,
                       TensorType::Q3_K, TensorType::Q4_K, TensorType::Q5_K, TensorType::Q6_K, TensorType::Q8_K,
                       TensorType::IQ4_NL, TensorType::IQ4_XS})
    EXPECT_TRUE(can_quantize(t)) << type_name(t);
  for (TensorType t : {TensorType::IQ2_XXS, TensorType::IQ3_S, TensorType::I32, TensorType::TQ1_0})
    EXPECT_FALSE(can_quantize(t)) << type_name(t);
  EXPECT_FALSE(can_dequantize(TensorType::IQ1_S));
  EXPECT_TRUE(can_dequantize(TensorType::Q8_K));
}

TEST(Quantize, BadArgumentsThrow) {
  std::vector<float> x(256, 1.f);
  std::vector<std::uint8_t> out(1024);
  EXPECT_THROW(quantize_row(TensorType::Q4_K, x.data(), out.data(), 100), Error);
  EXPECT_THROW(quantize_row(TensorType::Q4_0, x.data(), out.data(), -32), Error);
  EXPECT_THROW(quantize_row(TensorType::IQ2_XXS, x.data(), out.data(), 256), Error);
  x[7] = std::numeric_limits<float>::quiet_NaN();
  try {
    quantize_row(TensorType::Q8_0, x.data(), out.data(), 32);
    ADD_FAILURE() << "NaN accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("index 7"), std::string::npos) << e.what();
  }
  x[7] = std::numeric_limits<float>::infinity();
  EXPECT_THROW(quantize_row(TensorType::Q6_K, x.data(), out.data(), 256), Error);
  std::vector<float> y(256);
  EXPECT_THROW(dequantize_row(TensorType::Q4_K, out.data(), y.data(), 255), Error);
  EXPECT_THROW(dequantize_row(TensorType::IQ2_XS, out.data(), y.data(), 256), Error);
  EXPECT_THROW(quantize_activations(TensorType::Q4_0, x.data(), out.data(), 32), Error);
  EXPECT_THROW(quantize_activations(TensorType::Q8_K, x.data(), out.data(), 32), Error);
  EXPECT_THROW(vec_dot_type(TensorType::IQ2_XXS), Error);
}

TEST(Quantize, ExtremeButFiniteValuesStayFinite) {
  // Tiny (subnormal) and huge magnitudes must not produce NaN scales or crash.
  std::vector<float> tiny(256), huge(256);
  for (int i = 0; i < 256; ++i) {
    tiny[i] = 1e-39f * static_cast<float>((i % 7) - 3);
    huge[i] = 6e4f * static_cast<float>((i % 5) - 2) / 2;
  }
  for (TensorType t : {TensorType::Q4_0, TensorType::Q4_1, TensorType::Q5_0, TensorType::Q5_1, TensorType::Q8_0,
                       TensorType::Q2_K, TensorType::Q3_K, TensorType::Q4_K, TensorType::Q5_K, TensorType::Q6_K,
                       TensorType::IQ4_NL, TensorType::IQ4_XS}) {
    for (const auto* x : {&tiny, &huge}) {
      const auto y = round_trip(t, *x);
      for (std::size_t i = 0; i < y.size(); ++i) {
        ASSERT_TRUE(std::isfinite(y[i])) << type_name(t) << " " << i;
        if (x == &tiny) {
          ASSERT_LE(std::fabs(y[i]), 1e-38f) << type_name(t);
        }
      }
    }
  }
}

TEST(Quantize, DestinationNeedNotBeAligned) {
  std::vector<float> x(256);
  for (int i = 0; i < 256; ++i) x[i] = std::sin(static_cast<float>(i));
  const auto aligned = quantize(TensorType::Q8_K, x);
  std::vector<std::uint8_t> buf(aligned.size() + 1);
  quantize_row(TensorType::Q8_K, x.data(), buf.data() + 1, 256);
  EXPECT_EQ(0, std::memcmp(aligned.data(), buf.data() + 1, aligned.size()));
}

}  // namespace
}  // namespace corral::quant
