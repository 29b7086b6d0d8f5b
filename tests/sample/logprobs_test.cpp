// Logprobs: log-softmax of the raw logits for the chosen and the top-N tokens.
#include "sample/logprobs.h"
#include "sample/sampler.h"

#include "util/error.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace corral::sample {
namespace {

constexpr float kNegInf = -std::numeric_limits<float>::infinity();

// logits {1, 2, 3}: log Z = 3 + ln(1 + e^-1 + e^-2) = 3.4076060, so the
// logprobs are {-2.4076060, -1.4076060, -0.4076060}.
TEST(LogprobsTest, MatchesHandComputation) {
  const std::vector<float> logits = {1.0f, 2.0f, 3.0f};
  const TokenLogprobs lp = compute_logprobs(logits, 0, 2);
  EXPECT_EQ(lp.chosen.token, 0);
  EXPECT_NEAR(lp.chosen.logprob, -2.4076060, 1e-5);
  ASSERT_EQ(lp.top.size(), 2u);
  EXPECT_EQ(lp.top[0].token, 2);
  EXPECT_NEAR(lp.top[0].logprob, -0.4076060, 1e-5);
  EXPECT_EQ(lp.top[1].token, 1);
  EXPECT_NEAR(lp.top[1].logprob, -1.4076060, 1e-5);
}

// logits {0.5, -1, 2, 2, 0}: log Z = 2.8789014; the two 2.0 tie (lower id first).
TEST(LogprobsTest, TopListIsOrderedWithTiesByIdAndCappedByTheRow) {
  const std::vector<float> logits = {0.5f, -1.0f, 2.0f, 2.0f, 0.0f};
  const TokenLogprobs lp = compute_logprobs(logits, 1, 20);
  EXPECT_NEAR(lp.chosen.logprob, -3.8789014, 1e-5);
  ASSERT_EQ(lp.top.size(), 5u);
  const std::vector<std::int32_t> order = {2, 3, 0, 4, 1};
  const std::vector<double> expected = {-0.8789014, -0.8789014, -2.3789014, -2.8789014, -3.8789014};
  for (std::size_t i = 0; i < order.size(); ++i) {
    EXPECT_EQ(lp.top[i].token, order[i]);
    EXPECT_NEAR(lp.top[i].logprob, expected[i], 1e-5);
  }
  EXPECT_TRUE(compute_logprobs(logits, 1, 0).top.empty());
}

TEST(LogprobsTest, MaskedTokensHaveNoMassAndDoNotCount) {
  // With -inf at ids 1 and 3 the others normalise as if alone: {0, ln 3} -> {ln 1/4, ln 3/4}.
  const std::vector<float> logits = {0.0f, kNegInf, std::log(3.0f), kNegInf};
  const TokenLogprobs lp = compute_logprobs(logits, 1, 3);
  EXPECT_EQ(lp.chosen.logprob, kNegInf);
  ASSERT_EQ(lp.top.size(), 2u);
  EXPECT_NEAR(lp.top[0].logprob, std::log(0.75), 1e-6);
  EXPECT_NEAR(lp.top[1].logprob, std::log(0.25), 1e-6);
}

TEST(LogprobsTest, BadArgumentsAreErrors) {
  const std::vector<float> logits = {1.0f, 2.0f};
  EXPECT_THROW(compute_logprobs(logits, 0, 21), Error);
  EXPECT_THROW(compute_logprobs(logits, 0, -1), Error);
  EXPECT_THROW(compute_logprobs(logits, 2, 1), Error);
  EXPECT_THROW(compute_logprobs(std::vector<float>{kNegInf, kNegInf}, 0, 1), Error);
}

TEST(LogprobsTest, SamplerReportsRawLogprobsBeforeFilterPenaltiesAndTemperature) {
  SamplingParams p;
  p.temperature = 0.0f;
  p.repeat_penalty = 3.0f;
  Sampler s(p, 3);
  s.accept(1);
  s.set_logit_filter([](std::span<float> logits) { logits[2] = kNegInf; });
  std::vector<float> logits = {1.0f, 2.0f, 3.0f};
  TokenLogprobs lp;
  // Filter removes 2, the penalty takes 1 to 2/3: token 0 is chosen, but the
  // logprobs are those of the untouched row {1, 2, 3}.
  EXPECT_EQ(s.sample(logits, 2, lp), 0);
  EXPECT_EQ(lp.chosen.token, 0);
  EXPECT_NEAR(lp.chosen.logprob, -2.4076060, 1e-5);
  ASSERT_EQ(lp.top.size(), 2u);
  EXPECT_EQ(lp.top[0].token, 2);
  EXPECT_NEAR(lp.top[0].logprob, -0.4076060, 1e-5);
  EXPECT_THROW(s.sample(logits, 21, lp), Error);
}

}  // namespace
}  // namespace corral::sample
