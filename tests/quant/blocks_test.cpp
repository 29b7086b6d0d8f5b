// Hand-built blocks with known values: each block below is assembled byte by
// byte from the layout GGUF defines, and the expected floats were worked out
// by hand (d * level, minus the min) - not computed by the code under test.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstring>
#include <vector>

#include "gguf/tensor_type.h"
#include "quant/blocks.h"
#include "quant/dequantize.h"

namespace corral::quant {
namespace {

constexpr std::uint16_t kHalfOne = 0x3C00, kHalfHalf = 0x3800, kHalfQuarter = 0x3400, kHalfEighth = 0x3000;
constexpr std::uint16_t kHalfTwo = 0x4000, kHalfMinusOne = 0xBC00;

template <typename B>
std::vector<float> dequantize_one(TensorType t, const B& b) {
  std::vector<float> out(type_info(t).block_size);
  dequantize_row(t, &b, out.data(), static_cast<std::int64_t>(out.size()));
  return out;
}

TEST(QuantBlocks, SizesMatchTheTypeTable) {
  EXPECT_EQ(sizeof(BlockQ4_0), type_info(TensorType::Q4_0).type_size);
  EXPECT_EQ(sizeof(BlockQ4_1), type_info(TensorType::Q4_1).type_size);
  EXPECT_EQ(sizeof(BlockQ5_0), type_info(TensorType::Q5_0).type_size);
  EXPECT_EQ(sizeof(BlockQ5_1), type_info(TensorType::Q5_1).type_size);
  EXPECT_EQ(sizeof(BlockQ8_0), type_info(TensorType::Q8_0).type_size);
  EXPECT_EQ(sizeof(BlockQ8_1), type_info(TensorType::Q8_1).type_size);
  EXPECT_EQ(sizeof(BlockQ2_K), type_info(TensorType::Q2_K).type_size);
  EXPECT_EQ(sizeof(BlockQ3_K), type_info(TensorType::Q3_K).type_size);
  EXPECT_EQ(sizeof(BlockQ4_K), type_info(TensorType::Q4_K).type_size);
  EXPECT_EQ(sizeof(BlockQ5_K), type_info(TensorType::Q5_K).type_size);
  EXPECT_EQ(sizeof(BlockQ6_K), type_info(TensorType::Q6_K).type_size);
  EXPECT_EQ(sizeof(BlockQ8_K), type_info(TensorType::Q8_K).type_size);
  EXPECT_EQ(sizeof(BlockIQ4_NL), type_info(TensorType::IQ4_NL).type_size);
  EXPECT_EQ(sizeof(BlockIQ4_XS), type_info(TensorType::IQ4_XS).type_size);
  // Field offsets that differ from naive packing would break real files.
  EXPECT_EQ(offsetof(BlockQ2_K, d), 80u);
  EXPECT_EQ(offsetof(BlockQ3_K, d), 108u);
  EXPECT_EQ(offsetof(BlockQ6_K, d), 208u);
  EXPECT_EQ(offsetof(BlockQ8_K, bsums), 260u);
  EXPECT_EQ(offsetof(BlockIQ4_XS, qs), 8u);
}

TEST(QuantBlocks, IQ4ValueTableIsGgmls) {
  const std::int8_t expected[16] = {-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113};
  for (int i = 0; i < 16; ++i) EXPECT_EQ(kIQ4Values[i], expected[i]);
}

TEST(QuantBlocks, Q4_0) {
  BlockQ4_0 b;
  b.d = kHalfHalf;
  for (int j = 0; j < 16; ++j) b.qs[j] = static_cast<std::uint8_t>(j | ((15 - j) << 4));
  const auto y = dequantize_one(TensorType::Q4_0, b);
  // low nibbles j -> (j - 8) / 2; high nibbles 15 - j -> (7 - j) / 2
  const float expected[32] = {-4,  -3.5, -3,  -2.5, -2, -1.5, -1, -0.5, 0,    0.5,  1,  1.5,  2,  2.5,  3,  3.5,
                              3.5, 3,    2.5, 2,    1.5, 1,   0.5, 0,   -0.5, -1, -1.5, -2, -2.5, -3, -3.5, -4};
  for (int j = 0; j < 32; ++j) EXPECT_EQ(y[j], expected[j]) << j;
}

TEST(QuantBlocks, Q4_1) {
  BlockQ4_1 b;
  b.d = kHalfQuarter;
  b.m = kHalfMinusOne;
  std::memset(b.qs, 0xA3, sizeof b.qs);  // low 3 -> 3/4 - 1, high 10 -> 10/4 - 1
  const auto y = dequantize_one(TensorType::Q4_1, b);
  for (int j = 0; j < 16; ++j) EXPECT_EQ(y[j], -0.25f) << j;
  for (int j = 16; j < 32; ++j) EXPECT_EQ(y[j], 1.5f) << j;
}

TEST(QuantBlocks, Q5_0) {
  BlockQ5_0 b;
  b.d = kHalfOne;
  std::memset(b.qs, 0, sizeof b.qs);
  b.qs[1] = 0x5F;
  b.qh[0] = 0x01;  // bit 0: value 0
  b.qh[1] = 0x00;
  b.qh[2] = 0x02;  // bit 17: value 17
  b.qh[3] = 0x80;  // bit 31: value 31
  const auto y = dequantize_one(TensorType::Q5_0, b);
  EXPECT_EQ(y[0], 0.f);    // 0 | 16 -> 0
  EXPECT_EQ(y[1], -1.f);   // 15 - 16
  EXPECT_EQ(y[17], 5.f);   // 5 | 16 -> 21 - 16
  EXPECT_EQ(y[31], 0.f);   // 0 | 16
  EXPECT_EQ(y[2], -16.f);  // 0 - 16
  EXPECT_EQ(y[16], -16.f);
}

TEST(QuantBlocks, Q5_1) {
  BlockQ5_1 b;
  b.d = kHalfTwo;
  b.m = kHalfHalf;
  std::memset(b.qs, 0, sizeof b.qs);
  std::memset(b.qh, 0, sizeof b.qh);
  b.qs[0] = 0x21;
  b.qh[2] = 0x01;  // bit 16: value 16
  const auto y = dequantize_one(TensorType::Q5_1, b);
  EXPECT_EQ(y[0], 2.5f);    // 1 * 2 + 0.5
  EXPECT_EQ(y[16], 36.5f);  // (2 | 16) * 2 + 0.5
  EXPECT_EQ(y[5], 0.5f);
}

TEST(QuantBlocks, Q8_0AndQ8_1) {
  BlockQ8_0 b;
  b.d = kHalfEighth;
  for (int j = 0; j < 32; ++j) b.qs[j] = static_cast<std::int8_t>(j - 16);
  const auto y = dequantize_one(TensorType::Q8_0, b);
  for (int j = 0; j < 32; ++j) EXPECT_EQ(y[j], (j - 16) / 8.0f);

  BlockQ8_1 c;
  c.d = kHalfQuarter;
  c.s = kHalfTwo;  // not used by dequantization
  for (int j = 0; j < 32; ++j) c.qs[j] = static_cast<std::int8_t>(j * 4 - 64);
  const auto z = dequantize_one(TensorType::Q8_1, c);
  for (int j = 0; j < 32; ++j) EXPECT_EQ(z[j], static_cast<float>(j - 16));
}

TEST(QuantBlocks, Q2_K) {
  BlockQ2_K b;
  b.d = kHalfHalf;
  b.dmin = kHalfQuarter;
  for (int g = 0; g < 16; ++g) b.scales[g] = static_cast<std::uint8_t>(g | ((15 - g) << 4));  // sc = g, m = 15 - g
  std::memset(b.qs, 0xE4, sizeof b.qs);  // 2-bit fields 0, 1, 2, 3: level = quarter of the 128
  const auto y = dequantize_one(TensorType::Q2_K, b);
  EXPECT_EQ(y[0], -3.75f);   // group 0, level 0: 0 - 15/4
  EXPECT_EQ(y[40], -2.25f);  // group 2, level 1: 1/2*2*1 - 13/4
  EXPECT_EQ(y[80], 2.5f);    // group 5, level 2: 5 - 10/4
  EXPECT_EQ(y[127], 8.5f);   // group 7, level 3: 10.5 - 2
  EXPECT_EQ(y[200], 11.25f);  // group 12, level 2: 12 - 3/4
  EXPECT_EQ(y[255], 22.5f);  // group 15, level 3: 22.5 - 0
}

TEST(QuantBlocks, Q3_K) {
  BlockQ3_K b;
  b.d = kHalfQuarter;
  // 6-bit scales 24 + g (signed g - 8): low nibbles of groups j and j+8 share byte j,
  // top bits of groups i, i+4, i+8, i+12 share byte 8+i (01, 01, 10, 10).
  const std::uint8_t scales[12] = {0x08, 0x19, 0x2A, 0x3B, 0x4C, 0x5D, 0x6E, 0x7F, 0xA5, 0xA5, 0xA5, 0xA5};
  std::memcpy(b.scales, scales, 12);
  std::memset(b.qs, 0xE4, sizeof b.qs);       // low 2 bits = quarter of the 128
  std::memset(b.hmask, 0x0F, sizeof b.hmask);  // high bit set for the first 128 values
  b.hmask[5] = 0x4F;                          // ... and for value 6*32 + 5 = 197
  const auto y = dequantize_one(TensorType::Q3_K, b);
  EXPECT_EQ(y[0], 0.f);      // group 0 (-8), level 0
  EXPECT_EQ(y[40], -1.5f);   // group 2 (-6), level 1
  EXPECT_EQ(y[127], -0.75f);  // group 7 (-1), level 3
  EXPECT_EQ(y[130], 0.f);    // group 8 (0)
  EXPECT_EQ(y[170], -1.5f);  // group 10 (2), level 1 - 4
  EXPECT_EQ(y[200], -2.f);   // group 12 (4), level 2 - 4
  EXPECT_EQ(y[197], 2.f);    // group 12 (4), level 2 (high bit set)
  EXPECT_EQ(y[255], -1.75f);  // group 15 (7), level 3 - 4
}

// The 12 scale bytes for scales {1, 2, 3, 4, 40, 50, 63, 33} and mins {0, 1, 2, 3, 17, 31, 48, 63},
// packed by hand: bytes 0-3 scale 0-3 | top bits of scale 4-7, bytes 4-7 min 0-3 | top bits of
// min 4-7, bytes 8-11 low nibbles of scale 4-7 | low nibbles of min 4-7 << 4.
constexpr std::uint8_t kPackedScales[12] = {0x81, 0xC2, 0xC3, 0x84, 0x40, 0x41, 0xC2, 0xC3, 0x18, 0xF2, 0x0F, 0xF1};

TEST(QuantBlocks, Q4_KHandPackedScales) {
  BlockQ4_K b;
  b.d = kHalfOne;
  b.dmin = kHalfHalf;
  std::memcpy(b.scales, kPackedScales, 12);
  std::memset(b.qs, 0x95, sizeof b.qs);  // even groups read 5 (low nibble), odd groups 9
  b.qs[32] = 0x0F;                       // value 64 (group 2) reads 15, value 96 (group 3) reads 0
  const auto y = dequantize_one(TensorType::Q4_K, b);
  const float group_value[8] = {5, 17.5, 14, 34.5, 191.5, 434.5, 291, 265.5};  // sc*q - m/2
  for (int v = 0; v < 256; ++v) {
    if (v == 64 || v == 96) continue;
    EXPECT_EQ(y[v], group_value[v / 32]) << v;
  }
  EXPECT_EQ(y[64], 44.f);   // 3 * 15 - 1
  EXPECT_EQ(y[96], -1.5f);  // 4 * 0 - 1.5
}

TEST(QuantBlocks, Q5_KHandPackedScales) {
  BlockQ5_K b;
  b.d = kHalfOne;
  b.dmin = kHalfHalf;
  std::memcpy(b.scales, kPackedScales, 12);
  std::memset(b.qs, 0x95, sizeof b.qs);
  std::memset(b.qh, 0, sizeof b.qh);
  b.qh[0] = 0x05;  // bit 0: value 0 (group 0); bit 2: value 64 (group 2)
  b.qh[3] = 0x80;  // bit 7: value 7*32 + 3 = 227 (group 7)
  const auto y = dequantize_one(TensorType::Q5_K, b);
  EXPECT_EQ(y[0], 21.f);      // 1 * (5 + 16) - 0
  EXPECT_EQ(y[1], 5.f);       // 1 * 5
  EXPECT_EQ(y[64], 62.f);     // 3 * 21 - 1
  EXPECT_EQ(y[227], 793.5f);  // 33 * (9 + 16) - 31.5
  EXPECT_EQ(y[226], 265.5f);  // 33 * 9 - 31.5
  EXPECT_EQ(y[32], 17.5f);    // 2 * 9 - 0.5
}

TEST(QuantBlocks, Q6_K) {
  BlockQ6_K b;
  b.d = kHalfHalf;
  for (int g = 0; g < 16; ++g) b.scales[g] = static_cast<std::int8_t>(g - 8);
  std::memset(b.ql, 0x21, sizeof b.ql);  // low nibble 1, high nibble 2
  std::memset(b.qh, 0xE4, sizeof b.qh);  // 2-bit fields 0, 1, 2, 3
  // Per 128 values the levels are (1 | 0<<4) - 32 = -31, (1 | 1<<4) - 32 = -15, (2 | 2<<4) - 32 = 2, (2 | 3<<4) - 32 = 18.
  const auto y = dequantize_one(TensorType::Q6_K, b);
  EXPECT_EQ(y[0], 124.f);    // 1/2 * -8 * -31
  EXPECT_EQ(y[40], 45.f);    // 1/2 * -6 * -15
  EXPECT_EQ(y[70], -4.f);    // 1/2 * -4 * 2
  EXPECT_EQ(y[100], -18.f);  // 1/2 * -2 * 18
  EXPECT_EQ(y[128], 0.f);    // scale 0
  EXPECT_EQ(y[228], 54.f);   // 1/2 * 6 * 18
  EXPECT_EQ(y[255], 63.f);   // 1/2 * 7 * 18
}

TEST(QuantBlocks, Q8_K) {
  BlockQ8_K b;
  b.d = 0.5f;
  for (int j = 0; j < 256; ++j) b.qs[j] = static_cast<std::int8_t>(j - 128);
  std::memset(b.bsums, 0, sizeof b.bsums);
  const auto y = dequantize_one(TensorType::Q8_K, b);
  for (int j = 0; j < 256; ++j) EXPECT_EQ(y[j], (j - 128) * 0.5f);
}

TEST(QuantBlocks, IQ4_NL) {
  BlockIQ4_NL b;
  b.d = kHalfHalf;
  for (int j = 0; j < 16; ++j) b.qs[j] = static_cast<std::uint8_t>(j | ((15 - j) << 4));
  const auto y = dequantize_one(TensorType::IQ4_NL, b);
  EXPECT_EQ(y[0], -63.5f);  // -127 / 2
  EXPECT_EQ(y[8], 0.5f);    // 1 / 2
  EXPECT_EQ(y[15], 56.5f);  // 113 / 2
  EXPECT_EQ(y[16], 56.5f);  // index 15
  EXPECT_EQ(y[20], 19.f);    // index 11: 38 / 2
  EXPECT_EQ(y[31], -63.5f);
}

TEST(QuantBlocks, IQ4_XS) {
  BlockIQ4_XS b;
  b.d = kHalfQuarter;
  // group scales 28 + g (signed g - 4): low nibbles pairwise in scales_l, top bits 01 (g < 4) or 10 in scales_h.
  const std::uint8_t scales_l[4] = {0xDC, 0xFE, 0x10, 0x32};
  std::memcpy(b.scales_l, scales_l, 4);
  b.scales_h = 0xAA55;
  std::memset(b.qs, 0x8F, sizeof b.qs);  // first 16 of each group: index 15 (113), next 16: index 8 (1)
  const auto y = dequantize_one(TensorType::IQ4_XS, b);
  EXPECT_EQ(y[0], -113.f);  // 1/4 * -4 * 113
  EXPECT_EQ(y[16], -1.f);   // 1/4 * -4 * 1
  EXPECT_EQ(y[32 * 4], 0.f);
  EXPECT_EQ(y[32 * 7 + 3], 84.75f);  // 1/4 * 3 * 113
  EXPECT_EQ(y[32 * 7 + 31], 0.75f);  // 1/4 * 3 * 1
  EXPECT_EQ(y[32 * 5 + 1], 28.25f);  // 1/4 * 1 * 113
}

TEST(QuantBlocks, FloatFormats) {
  const std::uint16_t halves[3] = {0x3C00, 0xC000, 0x3555};  // 1, -2, 0.333251953125
  float y[3];
  dequantize_row(TensorType::F16, halves, y, 3);
  EXPECT_EQ(y[0], 1.f);
  EXPECT_EQ(y[1], -2.f);
  EXPECT_EQ(y[2], 0.333251953125f);
  const std::uint16_t bf[2] = {0x3F80, 0xC040};  // 1, -3
  dequantize_row(TensorType::BF16, bf, y, 2);
  EXPECT_EQ(y[0], 1.f);
  EXPECT_EQ(y[1], -3.f);
}

TEST(QuantBlocks, UnalignedSourceIsFine) {
  std::vector<std::uint8_t> bytes(1 + sizeof(BlockQ8_K));
  BlockQ8_K b;
  b.d = 2.f;
  for (int j = 0; j < 256; ++j) b.qs[j] = static_cast<std::int8_t>(j % 7);
  std::memcpy(bytes.data() + 1, &b, sizeof b);
  std::vector<float> y(256);
  dequantize_row(TensorType::Q8_K, bytes.data() + 1, y.data(), 256);
  EXPECT_EQ(y[13], 12.f);  // 2 * (13 % 7)
}

}  // namespace
}  // namespace corral::quant
