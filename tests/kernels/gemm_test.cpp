// Every SIMD matmul path against the scalar path, for every weight type and
// awkward shapes (odd block counts, row and token counts that do not fill a
// register tile); and the scalar path against the quant library's reference
// dot products.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "kernels/gemm.h"
#include "kernels/matmul.h"
#include "quant/quantize.h"
#include "quant/vec_dot_ref.h"
#include "util/thread_pool.h"

namespace corral::kernels {
namespace {

struct Weights {
  std::vector<std::uint8_t> bytes;
  Matrix m;
};

Weights make_weights(TensorType t, std::int64_t n_in, std::int64_t n_out, std::mt19937& rng) {
  std::normal_distribution<float> nd(0.0f, 1.0f);
  Weights w;
  const std::size_t rb = row_bytes(t, n_in);
  w.bytes.resize(rb * static_cast<std::size_t>(n_out));
  std::vector<float> row(static_cast<std::size_t>(n_in));
  for (std::int64_t r = 0; r < n_out; ++r) {
    for (auto& x : row) x = nd(rng);
    quant::quantize_row(t, row.data(), w.bytes.data() + r * rb, n_in);
  }
  w.m = {w.bytes.data(), t, n_in, n_out, rb};
  return w;
}

std::vector<float> make_input(std::int64_t m, std::int64_t n, std::mt19937& rng) {
  std::normal_distribution<float> nd(0.0f, 1.0f);
  std::vector<float> x(static_cast<std::size_t>(m * n));
  for (auto& v : x) v = nd(rng);
  return x;
}

const TensorType kAllTypes[] = {TensorType::F32,  TensorType::F16,  TensorType::BF16,  TensorType::Q4_0,
                                TensorType::Q4_1, TensorType::Q5_0, TensorType::Q5_1,  TensorType::Q8_0,
                                TensorType::Q2_K, TensorType::Q3_K, TensorType::Q4_K,  TensorType::Q5_K,
                                TensorType::Q6_K, TensorType::IQ4_NL, TensorType::IQ4_XS};

class GemmTypes : public ::testing::TestWithParam<TensorType> {};

TEST_P(GemmTypes, SimdPathsMatchScalar) {
  const TensorType t = GetParam();
  const std::int64_t block = type_info(t).block_size;
  std::mt19937 rng(7);
  ThreadPool pool(2);
  // Row lengths: one block, an odd number of blocks, several blocks.
  const std::int64_t lens[] = {block == 1 ? 37 : block, block == 1 ? 256 : 3 * block, block == 1 ? 1000 : 8 * block};
  for (std::int64_t n_in : lens) {
    for (std::int64_t n_out : {1, 5, 19}) {
      for (std::int64_t m : {1, 3, 4, 9}) {
        auto w = make_weights(t, n_in, n_out, rng);
        auto x = make_input(m, n_in, rng);
        ActBuffer buf;
        ActRows a = buf.quantize(&pool, act_format_for(t), x.data(), m, n_in, n_in);
        std::vector<float> ref(static_cast<std::size_t>(m * n_out)), got(ref.size());
        matmul(pool, w.m, a, ref.data(), n_out, Isa::scalar);
        for (Isa isa : {Isa::avx2, Isa::avx512}) {
          if (!isa_supported(isa)) continue;
          std::fill(got.begin(), got.end(), -1.0f);
          matmul(pool, w.m, a, got.data(), n_out, isa);
          for (std::size_t i = 0; i < ref.size(); ++i) {
            // Same integer dot products; only the float summation order differs.
            const float tol = 1e-4f * std::sqrt(static_cast<float>(n_in)) * (1.0f + std::fabs(ref[i]));
            ASSERT_NEAR(got[i], ref[i], tol) << type_name(t) << " " << isa_name(isa) << " n_in=" << n_in
                                             << " n_out=" << n_out << " m=" << m << " i=" << i;
          }
        }
      }
    }
  }
}

TEST_P(GemmTypes, ScalarPathMatchesReferenceDot) {
  const TensorType t = GetParam();
  const std::int64_t n_in = type_info(t).block_size == 1 ? 512 : 4 * type_info(t).block_size;
  std::mt19937 rng(11);
  ThreadPool pool(1);
  auto w = make_weights(t, n_in, 3, rng);
  auto x = make_input(2, n_in, rng);
  ActBuffer buf;
  ActRows a = buf.quantize(&pool, act_format_for(t), x.data(), 2, n_in, n_in);
  std::vector<float> y(6);
  matmul(pool, w.m, a, y.data(), 3, Isa::scalar);
  // The activation rows in the library's own activation format.
  const TensorType dot_type = quant::vec_dot_type(t);
  std::vector<std::uint8_t> qa(row_bytes(dot_type, n_in));
  for (int tok = 0; tok < 2; ++tok) {
    quant::quantize_activations(dot_type, x.data() + tok * n_in, qa.data(), n_in);
    for (int r = 0; r < 3; ++r) {
      const float want = quant::vec_dot_ref(t, n_in, w.m.row(r), qa.data());
      EXPECT_NEAR(y[static_cast<std::size_t>(tok * 3 + r)], want, 1e-3f * (1.0f + std::fabs(want)))
          << type_name(t) << " token " << tok << " row " << r;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllWeightTypes, GemmTypes, ::testing::ValuesIn(kAllTypes),
                         [](const ::testing::TestParamInfo<TensorType>& i) { return std::string(type_name(i.param)); });

TEST(Gemm, ThreadCountDoesNotChangeResults) {
  std::mt19937 rng(3);
  auto w = make_weights(TensorType::Q4_K, 512, 70, rng);
  auto x = make_input(5, 512, rng);
  std::vector<float> y1(5 * 70), y2(5 * 70);
  ThreadPool p1(1), p2(2);
  ActBuffer b1, b2;
  matmul(p1, w.m, x.data(), 5, 512, y1.data(), 70, b1);
  matmul(p2, w.m, x.data(), 5, 512, y2.data(), 70, b2);
  EXPECT_EQ(y1, y2);
}

TEST(Gemm, RejectsMismatchedShapes) {
  std::mt19937 rng(5);
  auto w = make_weights(TensorType::Q8_0, 64, 4, rng);
  auto x = make_input(1, 96, rng);
  ThreadPool pool(1);
  ActBuffer buf;
  ActRows a = buf.quantize(&pool, ActFormat::q8_0, x.data(), 1, 96, 96);
  std::vector<float> y(4);
  EXPECT_ANY_THROW(matmul(pool, w.m, a, y.data(), 4));
}

}  // namespace
}  // namespace corral::kernels
