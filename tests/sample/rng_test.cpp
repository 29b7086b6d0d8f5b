// SplitMix64 against its published reference outputs.
#include "sample/rng.h"

#include <gtest/gtest.h>

namespace corral::sample {
namespace {

TEST(SplitMix64Test, MatchesReferenceOutputs) {
  // The first outputs for seed 1234567 from the algorithm's reference implementation.
  SplitMix64 rng(1234567);
  EXPECT_EQ(rng.next(), 6457827717110365317ULL);
  EXPECT_EQ(rng.next(), 3203168211198807973ULL);
  EXPECT_EQ(rng.next(), 9817491932198370423ULL);
  EXPECT_EQ(rng.next(), 4593380528125082431ULL);
  EXPECT_EQ(rng.next(), 16408922859458223821ULL);
}

TEST(SplitMix64Test, UnitIntervalIsHalfOpen) {
  SplitMix64 rng(1);
  for (int i = 0; i < 100000; ++i) {
    const double u = rng.next_unit();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
  }
}

}  // namespace
}  // namespace corral::sample
