// Round trips for every storable format on varied data (normal, uniform,
// heavy-tailed, scaled by 0.1 and 1e3, all-positive, outliers): quantize,
// dequantize, and bound each value's error by the format's grid step, relative
// to the largest |x| of its block (32 values) or super-block (256):
//   F16 2^-11 |x| (2^-25 for subnormal halves), BF16 2^-8 |x|; Q8_0 0.6 amax/127; Q4_0 1.1 amax/8 and Q5_0 1.1 amax/16 (the top level
//   clamps one step short on the side opposite the extreme); Q4_1/Q5_1 0.6 range/15 (31) plus F16 rounding
//   of the min; the searched formats about two half-steps of their level grid over a range of 2 amax:
//   Q2_K 0.6, Q3_K 0.3, Q4_K 0.15, Q5_K 0.08, Q6_K 0.04, IQ4_NL / IQ4_XS 0.2 (largest gap 24/127).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "quant/dequantize.h"
#include "quant/quantize.h"

namespace corral::quant {
namespace {

struct Bound {
  TensorType type;
  int group;        // values the bound's amax is taken over
  double fraction;  // of amax (or of the range for Q4_1/Q5_1; of |x| for the float formats)
};

const Bound kBounds[] = {
    {TensorType::F16, 1, 0x1p-11},      {TensorType::BF16, 1, 0x1p-8},      {TensorType::Q8_0, 32, 0.6 / 127},
    {TensorType::Q4_0, 32, 1.1 / 8},    {TensorType::Q5_0, 32, 1.1 / 16},   {TensorType::Q4_1, 32, 0.6 / 15},
    {TensorType::Q5_1, 32, 0.6 / 31},   {TensorType::Q2_K, 256, 0.6},       {TensorType::Q3_K, 256, 0.3},
    {TensorType::Q4_K, 256, 0.15},      {TensorType::Q5_K, 256, 0.08},      {TensorType::Q6_K, 256, 0.04},
    {TensorType::IQ4_NL, 32, 0.2},      {TensorType::IQ4_XS, 256, 0.2},
};

std::vector<std::vector<float>> data_sets() {
  constexpr std::size_t n = 4096;
  std::mt19937 rng(99);
  std::normal_distribution<float> normal;
  std::uniform_real_distribution<float> uniform(-1, 1);
  std::student_t_distribution<float> heavy(2.0f);
  std::vector<std::vector<float>> sets(7, std::vector<float>(n));
  for (std::size_t i = 0; i < n; ++i) {
    sets[0][i] = normal(rng);
    sets[1][i] = uniform(rng);
    sets[2][i] = heavy(rng);
    sets[3][i] = normal(rng) * 0.1f;  // smaller data makes the F16 block scales subnormal: a coarser grid
    sets[4][i] = normal(rng) * 1e3f;
    sets[5][i] = std::fabs(normal(rng)) + 2.f;         // all positive, away from zero
    sets[6][i] = normal(rng) * (i % 61 == 0 ? 30.f : 1.f);  // outliers
  }
  return sets;
}

TEST(QuantRoundTrip, ErrorWithinTheGridStep) {
  const auto sets = data_sets();
  for (const Bound& b : kBounds) {
    for (std::size_t s = 0; s < sets.size(); ++s) {
      const auto& x = sets[s];
      const auto n = static_cast<std::int64_t>(x.size());
      std::vector<std::uint8_t> q(row_bytes(b.type, n));
      std::vector<float> y(x.size());
      quantize_row(b.type, x.data(), q.data(), n);
      dequantize_row(b.type, q.data(), y.data(), n);
      double worst = 0;  // error as a fraction of the bound
      for (std::size_t g = 0; g < x.size(); g += static_cast<std::size_t>(b.group)) {
        const auto begin = x.begin() + static_cast<std::ptrdiff_t>(g), end = begin + b.group;
        const auto [lo, hi] = std::minmax_element(begin, end);
        const double amax = std::max(std::fabs(*lo), std::fabs(*hi));
        double limit = b.fraction * amax;
        if (b.type == TensorType::Q4_1 || b.type == TensorType::Q5_1)
          limit = b.fraction * (*hi - *lo) + std::fabs(*lo) * 0x1p-10;
        for (std::size_t i = g; i < g + static_cast<std::size_t>(b.group); ++i) {
          const double err = std::fabs(static_cast<double>(x[i]) - y[i]);
          // float formats: relative, but F16 below 2^-14 is subnormal with absolute steps of 2^-24
          const double lim = b.group == 1 ? std::max(b.fraction * std::fabs(x[i]), 0x1p-25) : limit;
          ASSERT_LE(err, lim) << type_name(b.type) << " data set " << s << " value " << i << ": " << x[i] << " -> "
                              << y[i];
          if (lim > 0) worst = std::max(worst, err / lim);
        }
      }
      RecordProperty(std::string(type_name(b.type)) + "_set" + std::to_string(s), std::to_string(worst));
    }
  }
}

}  // namespace
}  // namespace corral::quant
