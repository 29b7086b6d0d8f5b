// Every SIMD matmul path against the scalar path, for every weight type and
// awkward shapes (odd block counts, row and token counts that do not fill a
// register tile); and the scalar path against the quant library's reference
// dot products.
#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <cstring>
#include <random>
#include <vector>

#include "kernels/gemm.h"
#include "kernels/matmul.h"
#include "quant/blocks.h"
#include "quant/dequantize.h"
#include "quant/quantize.h"
#include "quant/vec_dot_ref.h"
#include "util/fp16.h"
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

// Offsets of the F16 scale fields (d, and dmin or m) of a weight block.
std::vector<std::size_t> f16_scale_fields(TensorType t) {
  using namespace quant;
  switch (t) {
    case TensorType::Q4_1: return {offsetof(BlockQ4_1, d), offsetof(BlockQ4_1, m)};
    case TensorType::Q5_1: return {offsetof(BlockQ5_1, d), offsetof(BlockQ5_1, m)};
    case TensorType::Q2_K: return {offsetof(BlockQ2_K, d), offsetof(BlockQ2_K, dmin)};
    case TensorType::Q3_K: return {offsetof(BlockQ3_K, d)};
    case TensorType::Q4_K: return {offsetof(BlockQ4_K, d), offsetof(BlockQ4_K, dmin)};
    case TensorType::Q5_K: return {offsetof(BlockQ5_K, d), offsetof(BlockQ5_K, dmin)};
    case TensorType::Q6_K: return {offsetof(BlockQ6_K, d)};
    default: return {0};  // Q4_0, Q5_0, Q8_0, IQ4_NL, IQ4_XS
  }
}

// Raw blocks instead of quantized data: every level and sub-block scale bit pattern occurs (random bytes,
// or with `extreme` only 0x00, 0xff, 0x7f, 0x80, 0x0f, 0xf0), block scales are powers of two, activation
// levels are random in -127..127 (or only +-127). In the random case every product and partial sum is
// exact in float, so each SIMD path must give the scalar result bit for bit; the extreme case would show
// an integer step that overflows or saturates.
TEST_P(GemmTypes, SimdPathsAreExactOnFullRangeBlocks) {
  const TensorType t = GetParam();
  const auto& ti = type_info(t);
  if (ti.block_size == 1) GTEST_SKIP() << "float weights: covered by SimdPathsMatchScalar";
  const std::int64_t n_in = ti.block_size == 32 ? 9 * 32 : 2 * 256, n_out = 6, m = 5;
  const ActFormat af = act_format_for(t);
  const TensorType at = af == ActFormat::q8_0 ? TensorType::Q8_0 : af == ActFormat::q8_1 ? TensorType::Q8_1
                                                                                        : TensorType::Q8_K;
  ThreadPool pool(2);
  for (bool extreme : {false, true}) {
    std::mt19937 rng(extreme ? 23 : 19);
    const std::uint8_t kExtremes[] = {0x00, 0xff, 0x7f, 0x80, 0x0f, 0xf0};
    auto byte = [&] { return extreme ? kExtremes[rng() % 6] : static_cast<std::uint8_t>(rng()); };
    auto level = [&] { return extreme ? (rng() % 2 ? 127 : -127) : static_cast<int>(rng() % 255) - 127; };
    Weights w;
    w.bytes.resize(row_bytes(t, n_in) * n_out);
    for (auto& b : w.bytes) b = byte();
    for (std::size_t blk = 0; blk < w.bytes.size(); blk += ti.type_size) {
      const auto fields = f16_scale_fields(t);
      for (std::size_t f = 0; f < fields.size(); ++f) {
        const std::uint16_t h = fp32_to_fp16(f == 0 ? 0.0625f : 0.03125f);
        std::memcpy(&w.bytes[blk + fields[f]], &h, 2);
      }
    }
    w.m = {w.bytes.data(), t, n_in, n_out, row_bytes(t, n_in)};
    // Activations, written block by block in their own format.
    const std::size_t arb = act_row_bytes(af, n_in);
    std::vector<std::uint8_t> act(arb * m);
    std::vector<std::int32_t> sums(static_cast<std::size_t>(m * (n_in / 32)));
    for (std::int64_t tok = 0; tok < m; ++tok) {
      if (af == ActFormat::q8_k) {
        for (std::int64_t sb = 0; sb < n_in / 256; ++sb) {
          quant::BlockQ8_K b{};
          b.d = 0.0625f;
          for (int j = 0; j < 256; ++j) {
            b.qs[j] = static_cast<std::int8_t>(level());
            b.bsums[j / 16] = static_cast<std::int16_t>(b.bsums[j / 16] + b.qs[j]);
          }
          quant::store_block(act.data() + tok * arb, sb, b);
        }
        continue;
      }
      for (std::int64_t blk = 0; blk < n_in / 32; ++blk) {
        std::int8_t qs[32];
        std::int32_t sum = 0;
        for (auto& q : qs) sum += q = static_cast<std::int8_t>(level());
        sums[static_cast<std::size_t>(tok * (n_in / 32) + blk)] = sum;
        if (af == ActFormat::q8_0) {
          quant::BlockQ8_0 b{fp32_to_fp16(0.0625f), {}};
          std::memcpy(b.qs, qs, 32);
          quant::store_block(act.data() + tok * arb, blk, b);
        } else {
          quant::BlockQ8_1 b{fp32_to_fp16(0.0625f), fp32_to_fp16(0.0625f * static_cast<float>(sum)), {}};
          std::memcpy(b.qs, qs, 32);
          quant::store_block(act.data() + tok * arb, blk, b);
        }
      }
    }
    ActRows a;
    a.format = af;
    a.data = act.data();
    a.row_bytes = arb;
    a.m = m;
    a.n = n_in;
    a.block_sums = af == ActFormat::q8_k ? nullptr : sums.data();
    // Magnitude of each dot product's terms, for the extreme case's float rounding.
    std::vector<float> wf(static_cast<std::size_t>(n_in * n_out)), xf(static_cast<std::size_t>(n_in * m));
    for (std::int64_t r = 0; r < n_out; ++r) quant::dequantize_row(t, w.m.row(r), wf.data() + r * n_in, n_in);
    for (std::int64_t tok = 0; tok < m; ++tok) quant::dequantize_row(at, a.row(tok), xf.data() + tok * n_in, n_in);
    std::vector<float> ref(static_cast<std::size_t>(m * n_out)), got(ref.size());
    matmul(pool, w.m, a, ref.data(), n_out, Isa::scalar);
    for (Isa isa : {Isa::avx2, Isa::avx512}) {
      if (!isa_supported(isa)) continue;
      std::fill(got.begin(), got.end(), -1.0f);
      matmul(pool, w.m, a, got.data(), n_out, isa);
      for (std::int64_t tok = 0; tok < m; ++tok) {
        for (std::int64_t r = 0; r < n_out; ++r) {
          const std::size_t i = static_cast<std::size_t>(tok * n_out + r);
          double mag = 0;
          for (std::int64_t k = 0; k < n_in; ++k) mag += std::fabs(double(wf[r * n_in + k]) * xf[tok * n_in + k]);
          const double tol = extreme ? 1e-5 * mag : 0.0;
          ASSERT_NEAR(got[i], ref[i], tol) << type_name(t) << " " << isa_name(isa) << (extreme ? " extreme" : " random")
                                           << " token " << tok << " row " << r;
        }
      }
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

namespace corral::kernels {
namespace {

// Batches of 16+ tokens take the packed prompt-processing path on AVX-512.
TEST_P(GemmTypes, PackedBatchesMatchScalar) {
  const TensorType t = GetParam();
  if (!isa_supported(Isa::avx512)) GTEST_SKIP() << "no AVX-512 VNNI";
  std::mt19937 rng(17);
  ThreadPool pool(2);
  // Float weights: the packed kernel cuts k into blocks of 256 and 16-column tiles (600 leaves tails of both).
  const std::int64_t n_in = type_info(t).block_size == 1 ? 600 : std::max<std::int64_t>(2 * type_info(t).block_size, 512);
  for (std::int64_t m : {16, 17, 40, 130}) {
    auto w = make_weights(t, n_in, 37, rng);
    auto x = make_input(m, n_in, rng);
    ActBuffer buf;
    ActRows a = buf.quantize(&pool, act_format_for(t), x.data(), m, n_in, n_in);
    std::vector<float> ref(static_cast<std::size_t>(m * 37)), got(ref.size(), -1.0f);
    matmul(pool, w.m, a, ref.data(), 37, Isa::scalar);
    matmul(pool, w.m, a, got.data(), 37, Isa::avx512);
    for (std::size_t i = 0; i < ref.size(); ++i)
      ASSERT_NEAR(got[i], ref[i], 1e-4f * std::sqrt(static_cast<float>(n_in)) * (1.0f + std::fabs(ref[i])))
          << type_name(t) << " m=" << m << " i=" << i;
  }
}

}  // namespace
}  // namespace corral::kernels
