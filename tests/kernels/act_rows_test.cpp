// Activation quantizers: the AVX-512 versions give the same bytes as the
// scalar ones, which give the same bytes as the quant library's reference.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "kernels/act_rows.h"
#include "kernels/isa.h"
#include "quant/quantize.h"

namespace corral::kernels {
namespace {

std::vector<float> data(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> nd(0.0f, 3.0f);
  std::vector<float> v(n);
  for (auto& x : v) x = nd(rng);
  for (std::size_t i = 0; i < n; i += 97) v[i] = 0.5f * static_cast<float>(i % 7);  // ties and repeats
  for (std::size_t i = 512; i < 544 && i < n; ++i) v[i] = 0.0f;  // an all-zero block
  return v;
}

TEST(ActRows, ScalarQuantizersMatchTheLibrary) {
  const std::int64_t n = 1024;
  auto x = data(n, 1);
  std::vector<std::uint8_t> a(row_bytes(TensorType::Q8_K, n)), b(a.size());
  std::vector<std::int32_t> sums(n / 32);
  quantize_row_q8_0(x.data(), a.data(), sums.data(), n);
  quant::quantize_activations(TensorType::Q8_0, x.data(), b.data(), n);
  EXPECT_TRUE(std::equal(a.begin(), a.begin() + row_bytes(TensorType::Q8_0, n), b.begin()));
  quantize_row_q8_1(x.data(), a.data(), sums.data(), n);
  quant::quantize_activations(TensorType::Q8_1, x.data(), b.data(), n);
  EXPECT_TRUE(std::equal(a.begin(), a.begin() + row_bytes(TensorType::Q8_1, n), b.begin()));
  quantize_row_q8_k(x.data(), a.data(), n);
  quant::quantize_activations(TensorType::Q8_K, x.data(), b.data(), n);
  EXPECT_TRUE(std::equal(a.begin(), a.end(), b.begin()));
}

TEST(ActRows, Avx512QuantizersMatchScalarBytes) {
  if (!isa_supported(Isa::avx512)) GTEST_SKIP() << "no AVX-512";
  for (unsigned seed = 0; seed < 20; ++seed) {
    const std::int64_t n = 2048;
    auto x = data(n, seed);
    std::vector<std::uint8_t> a(row_bytes(TensorType::Q8_K, n)), b(a.size());
    std::vector<std::int32_t> sa(n / 32), sb(n / 32);
    quantize_row_q8_0(x.data(), a.data(), sa.data(), n);
    quantize_row_q8_0_avx512(x.data(), b.data(), sb.data(), n, false);
    ASSERT_TRUE(std::equal(a.begin(), a.begin() + row_bytes(TensorType::Q8_0, n), b.begin())) << seed;
    ASSERT_EQ(sa, sb);
    quantize_row_q8_1(x.data(), a.data(), sa.data(), n);
    quantize_row_q8_0_avx512(x.data(), b.data(), sb.data(), n, true);
    ASSERT_TRUE(std::equal(a.begin(), a.begin() + row_bytes(TensorType::Q8_1, n), b.begin())) << seed;
    quantize_row_q8_k(x.data(), a.data(), n);
    quantize_row_q8_k_avx512(x.data(), b.data(), n);
    ASSERT_TRUE(std::equal(a.begin(), a.end(), b.begin())) << seed;
  }
}

}  // namespace
}  // namespace corral::kernels
