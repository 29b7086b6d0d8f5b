// Tensor type table: block layouts as GGUF defines them.
#include <gtest/gtest.h>

#include "gguf/tensor_type.h"

namespace corral {
namespace {

TEST(TensorType, BlockLayouts) {
  struct Case {
    TensorType t;
    unsigned block, bytes;
  } cases[] = {{TensorType::F32, 1, 4},      {TensorType::F16, 1, 2},      {TensorType::BF16, 1, 2},
               {TensorType::Q4_0, 32, 18},   {TensorType::Q4_1, 32, 20},   {TensorType::Q5_0, 32, 22},
               {TensorType::Q5_1, 32, 24},   {TensorType::Q8_0, 32, 34},   {TensorType::Q8_1, 32, 36},
               {TensorType::Q2_K, 256, 84},  {TensorType::Q3_K, 256, 110}, {TensorType::Q4_K, 256, 144},
               {TensorType::Q5_K, 256, 176}, {TensorType::Q6_K, 256, 210}, {TensorType::Q8_K, 256, 292},
               {TensorType::IQ4_NL, 32, 18}, {TensorType::IQ4_XS, 256, 136}};
  for (const auto& c : cases) {
    EXPECT_EQ(type_info(c.t).block_size, c.block) << type_name(c.t);
    EXPECT_EQ(type_info(c.t).type_size, c.bytes) << type_name(c.t);
  }
  EXPECT_FALSE(tensor_type_info(4).has_value());  // removed Q4_2
  EXPECT_FALSE(tensor_type_info(1000).has_value());
  EXPECT_EQ(parse_type_name("q4_k"), TensorType::Q4_K);
  EXPECT_EQ(parse_type_name("Q8_0"), TensorType::Q8_0);
  EXPECT_FALSE(parse_type_name("Q9_9").has_value());
  EXPECT_EQ(row_bytes(TensorType::Q4_K, 512), 288u);
}

}  // namespace
}  // namespace corral
