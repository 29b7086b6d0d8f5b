// The tiled online-softmax attention against a plain two-pass softmax, over
// contexts that span several tiles, for every KV cache type and GQA.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "kernels/attention.h"

namespace corral::kernels {
namespace {

// Reference: exact softmax(q·k * scale) · v in double, from the cache's stored values.
std::vector<double> reference(const AttentionShape& s, const std::vector<float>& q, const std::vector<float>& kf,
                              const std::vector<float>& vf, std::int64_t n_kv, std::int64_t kv_dim,
                              std::int64_t kv_head) {
  const std::int64_t g = s.n_head / s.n_head_kv, d = s.head_dim;
  std::vector<double> out(static_cast<std::size_t>(g * d), 0.0);
  for (std::int64_t j = 0; j < g; ++j) {
    const std::int64_t h = kv_head * g + j;
    std::vector<double> sc(static_cast<std::size_t>(n_kv));
    double mx = -1e300;
    for (std::int64_t p = 0; p < n_kv; ++p) {
      double dot = 0;
      for (std::int64_t i = 0; i < d; ++i) dot += double(q[h * d + i]) * kf[p * kv_dim + kv_head * d + i];
      sc[p] = dot * s.scale;
      mx = std::max(mx, sc[p]);
    }
    double sum = 0;
    for (auto& x : sc) sum += (x = std::exp(x - mx));
    for (std::int64_t p = 0; p < n_kv; ++p)
      for (std::int64_t i = 0; i < d; ++i) out[j * d + i] += sc[p] / sum * vf[p * kv_dim + kv_head * d + i];
  }
  return out;
}

void check(KvType type, std::int64_t n_kv, double tol) {
  AttentionShape s{8, 2, 64, 0.125f, type};
  const std::int64_t kv_dim = s.n_head_kv * s.head_dim;
  std::mt19937 rng(static_cast<unsigned>(n_kv));
  std::normal_distribution<float> nd(0.0f, 1.0f);
  std::vector<float> q(static_cast<std::size_t>(s.n_head * s.head_dim));
  for (auto& x : q) x = nd(rng) * 2.0f;
  const std::size_t rb = kv_row_bytes(type, kv_dim);
  std::vector<std::uint8_t> k(rb * static_cast<std::size_t>(n_kv)), v(k.size());
  std::vector<float> kf(static_cast<std::size_t>(n_kv * kv_dim)), vf(kf.size()), row(static_cast<std::size_t>(kv_dim));
  for (std::int64_t p = 0; p < n_kv; ++p) {
    for (auto& x : row) x = nd(rng);
    kv_store_row(type, row.data(), k.data() + p * rb, kv_dim);
    kv_load_row(type, k.data() + p * rb, kf.data() + p * kv_dim, kv_dim);
    for (auto& x : row) x = nd(rng);
    kv_store_row(type, row.data(), v.data() + p * rb, kv_dim);
    kv_load_row(type, v.data() + p * rb, vf.data() + p * kv_dim, kv_dim);
  }
  std::vector<float> out(q.size(), 0.0f), scratch(attention_scratch_floats(s));
  for (std::int64_t kh = 0; kh < s.n_head_kv; ++kh) {
    attend(s, q.data(), k.data(), rb, v.data(), rb, n_kv, kh, out.data(), scratch.data());
    const auto want = reference(s, q, kf, vf, n_kv, kv_dim, kh);
    const std::int64_t g = s.n_head / s.n_head_kv;
    for (std::int64_t i = 0; i < g * s.head_dim; ++i)
      ASSERT_NEAR(out[kh * g * s.head_dim + i], want[i], tol) << "n_kv=" << n_kv << " head " << kh << " i=" << i;
  }
}

TEST(Attention, F32CacheMatchesExactSoftmax) {
  for (std::int64_t n : {1, 7, 256, 257, 1000}) check(KvType::f32, n, 2e-5);
}

TEST(Attention, F16CacheMatchesWithinF16Rounding) {
  // Q and the weights are rounded to F16 on purpose (as the reference does).
  for (std::int64_t n : {1, 100, 300, 2000}) check(KvType::f16, n, 3e-3);
}

TEST(Attention, Q8CacheMatchesWithinQ8Rounding) {
  for (std::int64_t n : {5, 600}) check(KvType::q8_0, n, 3e-2);
}

TEST(Attention, LargeScoresDoNotOverflow) {
  // A score far larger than the others in a later tile forces rescaling.
  AttentionShape s{1, 1, 32, 1.0f, KvType::f32};
  const std::int64_t n_kv = 600;
  std::vector<float> q(32, 0.0f), k(static_cast<std::size_t>(n_kv * 32), 0.0f), v(k.size(), 0.0f);
  q[0] = 1.0f;
  for (std::int64_t p = 0; p < n_kv; ++p) {
    k[p * 32] = p == 500 ? 1000.0f : 1.0f;
    v[p * 32 + 1] = static_cast<float>(p);
  }
  std::vector<float> out(32), scratch(attention_scratch_floats(s));
  attend(s, q.data(), reinterpret_cast<const std::uint8_t*>(k.data()), 128,
         reinterpret_cast<const std::uint8_t*>(v.data()), 128, n_kv, 0, out.data(), scratch.data());
  EXPECT_FLOAT_EQ(out[1], 500.0f);
  EXPECT_TRUE(std::isfinite(out[0]));
}

}  // namespace
}  // namespace corral::kernels

#include "kernels/attention_lanes.h"
#include "kernels/isa.h"

namespace corral::kernels {
namespace {

// Lane-parallel attention (AVX-512) against the exact softmax, with lanes of
// different causal lengths, inside one tile and across several.
TEST(AttentionLanes, MatchesExactSoftmax) {
  if (!isa_supported(Isa::avx512)) GTEST_SKIP() << "no AVX-512";
  for (std::int64_t n_kv : {5, 256, 700}) {
    AttentionShape s{8, 2, 64, 0.125f, KvType::f16};
    ASSERT_TRUE(attend_lanes_supported(s));
    const std::int64_t kv_dim = 128, g = 4;
    std::mt19937 rng(static_cast<unsigned>(n_kv) + 3);
    std::normal_distribution<float> nd(0.0f, 1.0f);
    const std::size_t rb = kv_row_bytes(KvType::f16, kv_dim);
    std::vector<std::uint8_t> k(rb * static_cast<std::size_t>(n_kv)), v(k.size());
    std::vector<float> kf(static_cast<std::size_t>(n_kv * kv_dim)), vf(kf.size()), row(kv_dim);
    for (std::int64_t p = 0; p < n_kv; ++p) {
      for (auto& x : row) x = nd(rng);
      kv_store_row(KvType::f16, row.data(), k.data() + p * rb, kv_dim);
      kv_load_row(KvType::f16, k.data() + p * rb, kf.data() + p * kv_dim, kv_dim);
      for (auto& x : row) x = nd(rng);
      kv_store_row(KvType::f16, row.data(), v.data() + p * rb, kv_dim);
      kv_load_row(KvType::f16, v.data() + p * rb, vf.data() + p * kv_dim, kv_dim);
    }
    // 3 tokens (positions n_kv-3 .. n_kv-1) x 4 heads of KV head 1 = 12 lanes.
    std::vector<float> q(3 * 8 * 64), out(q.size(), 0.0f);
    for (auto& x : q) x = nd(rng) * 2.0f;
    std::vector<AttnLane> lanes;
    for (int t = 0; t < 3; ++t)
      for (int h = 4; h < 8; ++h)
        lanes.push_back({q.data() + (t * 8 + h) * 64, std::max<std::int64_t>(1, n_kv - 2 + t),
                         out.data() + (t * 8 + h) * 64});
    std::vector<float> scratch(attend_lanes_scratch_floats(64));
    attend_lanes(s, lanes, k.data(), rb, v.data(), rb, 1, scratch.data());
    for (int t = 0; t < 3; ++t) {
      const std::int64_t len = std::max<std::int64_t>(1, n_kv - 2 + t);
      std::vector<float> qt(q.begin() + t * 8 * 64, q.begin() + (t + 1) * 8 * 64);
      const auto want = reference(s, qt, kf, vf, len, kv_dim, 1);
      for (std::int64_t i = 0; i < g * 64; ++i)
        ASSERT_NEAR(out[(t * 8 + 4) * 64 + i], want[i], 3e-3) << "n_kv=" << n_kv << " token " << t << " i=" << i;
    }
  }
}

}  // namespace
}  // namespace corral::kernels
