// exp_neg against the C library's exp, and its edge cases.
#include "sample/exp_neg.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace corral::sample {
namespace {

TEST(ExpNegTest, WithinTwoUlpsOfExpOverTheRange) {
  // Every 97th float from 0 down to -87 (about 11 million points).
  double worst = 0.0;
  int step = 0;
  for (float x = 0.0f; x >= -87.0f; x = std::nextafter(x, -100.0f)) {
    if (++step % 97 != 0 && x != 0.0f) continue;
    const double want = std::exp(static_cast<double>(x));
    worst = std::max(worst, std::fabs(exp_neg(x) - want) / want);
  }
  EXPECT_LT(worst, 2.0 * std::numeric_limits<float>::epsilon());
}

TEST(ExpNegTest, ExactPointsAndEdges) {
  EXPECT_EQ(exp_neg(0.0f), 1.0f);
  EXPECT_NEAR(exp_neg(-1.0f), 0.36787944f, 1e-7);
  EXPECT_NEAR(exp_neg(-std::log(2.0f)), 0.5f, 1e-7);
  EXPECT_EQ(exp_neg(-87.5f), 0.0f);
  EXPECT_EQ(exp_neg(-1e30f), 0.0f);
  EXPECT_EQ(exp_neg(-std::numeric_limits<float>::infinity()), 0.0f);
  EXPECT_EQ(exp_neg(std::numeric_limits<float>::quiet_NaN()), 0.0f);
  EXPECT_GT(exp_neg(-86.9f), 0.0f);
}

TEST(ExpNegTest, BlockHelpers) {
  std::vector<float> x = {0.0f, -1.0f, -2.0f, -3.0f, -4.0f, -5.0f, -6.0f, -7.0f, -8.0f, -9.0f, -10.0f};
  std::vector<float> out(x.size());
  exp_neg_block(x.data(), 1.0f, out.data(), x.size());  // e^(x - 1)
  double want = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    EXPECT_NEAR(out[i], std::exp(x[i] - 1.0), 1e-7 * std::exp(x[i] - 1.0));
    want += out[i];
  }
  EXPECT_NEAR(block_sum(out.data(), out.size()), want, 1e-7);
}

}  // namespace
}  // namespace corral::sample
