// Activation quantizers: the AVX-512 versions give the same bytes as the
// scalar ones, which give the same bytes as the quant library's reference.
#include <gtest/gtest.h>

#include <bit>
#include <cstring>
#include <limits>
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

// F16 rounding and BF16 conversion: the AVX-512 rows equal the scalar ones bit for bit, on
// ordinary values, halfway cases, subnormals of both formats, the overflow edge, infinities and NaNs.
TEST(ActRows, Avx512FloatConversionsMatchScalarBits) {
  if (!isa_supported(Isa::avx512)) GTEST_SKIP() << "no AVX-512";
  std::vector<float> x = data(1000, 3);
  const std::uint32_t specials[] = {0x00000000u, 0x80000000u, 0x00000001u, 0x807fffffu, 0x33800000u, 0x33800001u,
                                    0x337fffffu, 0x387fe000u, 0x38800000u, 0x3f801000u, 0x3f803000u, 0x3f801001u,
                                    0x477fe000u, 0x477fefffu, 0x477ff000u, 0xc77ff000u, 0x7f800000u, 0xff800000u,
                                    0x7fc00000u, 0xffc00001u, 0x7f800001u, 0x3f808000u, 0x3f818000u, 0x3f818001u,
                                    0x7f7fffffu, 0x7f7f8000u};
  for (std::uint32_t b : specials) x.push_back(std::bit_cast<float>(b));
  std::mt19937 rng(9);
  for (int i = 0; i < 5000; ++i) x.push_back(std::bit_cast<float>(static_cast<std::uint32_t>(rng())));  // every exponent
  for (std::int64_t n : {static_cast<std::int64_t>(x.size()), std::int64_t{7}}) {  // with a masked tail
    std::vector<float> a(x.size()), b(x.size());
    round_row_f16(x.data(), a.data(), n);
    round_row_f16_avx512(x.data(), b.data(), n);
    for (std::int64_t i = 0; i < n; ++i) {
      ASSERT_EQ(std::bit_cast<std::uint32_t>(a[i]), std::bit_cast<std::uint32_t>(b[i]))
          << "f16 of 0x" << std::hex << std::bit_cast<std::uint32_t>(x[i]);
    }
    std::vector<std::uint16_t> c(x.size()), d(x.size(), 0xabcd);
    convert_row_bf16(x.data(), c.data(), n);
    convert_row_bf16_avx512(x.data(), d.data(), n);
    for (std::int64_t i = 0; i < n; ++i) {
      ASSERT_EQ(c[i], d[i]) << "bf16 of 0x" << std::hex << std::bit_cast<std::uint32_t>(x[i]);
    }
    if (n < static_cast<std::int64_t>(x.size())) {
      EXPECT_EQ(d[static_cast<std::size_t>(n)], 0xabcd);  // nothing written past n
    }
  }
}

}  // namespace
}  // namespace corral::kernels
