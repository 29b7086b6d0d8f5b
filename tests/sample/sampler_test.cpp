// Sampler: the whole chain, greedy decoding, seeds, the empirical
// distribution of the draw, the logit filter and input errors.
#include "sample/sampler.h"

#include "util/error.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <set>
#include <vector>

namespace corral::sample {
namespace {

constexpr float kNegInf = -std::numeric_limits<float>::infinity();

// Temperature 1 and every other stage off: draws follow softmax(logits).
SamplingParams plain(std::int64_t seed = 42) {
  SamplingParams p;
  p.temperature = 1.0f;
  p.top_k = 0;
  p.top_p = 1.0f;
  p.min_p = 0.0f;
  p.typical_p = 1.0f;
  p.repeat_penalty = 1.0f;
  p.seed = seed;
  return p;
}

std::vector<int> histogram(Sampler& s, const std::vector<float>& logits, int draws) {
  std::vector<int> counts(logits.size(), 0);
  std::vector<float> row;
  for (int i = 0; i < draws; ++i) {
    row = logits;
    ++counts[static_cast<std::size_t>(s.sample(row))];
  }
  return counts;
}

double chi_square(const std::vector<int>& observed, const std::vector<double>& probs, int draws) {
  double stat = 0.0;
  for (std::size_t i = 0; i < observed.size(); ++i) {
    const double expected = probs[i] * draws;
    stat += (observed[i] - expected) * (observed[i] - expected) / expected;
  }
  return stat;
}

std::vector<double> softmax_of(const std::vector<float>& logits, double temperature) {
  std::vector<double> p;
  double sum = 0.0;
  for (float l : logits) sum += std::exp(l / temperature);
  for (float l : logits) p.push_back(std::exp(l / temperature) / sum);
  return p;
}

TEST(SamplerTest, DefaultsMatchOllama) {
  SamplingParams p;
  EXPECT_FLOAT_EQ(p.temperature, 0.8f);
  EXPECT_EQ(p.top_k, 40);
  EXPECT_FLOAT_EQ(p.top_p, 0.9f);
  EXPECT_FLOAT_EQ(p.min_p, 0.0f);
  EXPECT_FLOAT_EQ(p.typical_p, 1.0f);
  EXPECT_EQ(p.repeat_last_n, 64);
  EXPECT_FLOAT_EQ(p.repeat_penalty, 1.0f);
  EXPECT_FLOAT_EQ(p.presence_penalty, 0.0f);
  EXPECT_FLOAT_EQ(p.frequency_penalty, 0.0f);
  EXPECT_EQ(p.seed, -1);
  EXPECT_EQ(p.num_predict, -1);
  EXPECT_TRUE(p.stop.empty());
}

TEST(SamplerTest, GreedyTakesTheHighestLogitLowestIdOnTies) {
  SamplingParams p;
  p.temperature = 0.0f;
  Sampler s(p, 4);
  std::vector<float> logits = {1.0f, 5.0f, 5.0f, 2.0f};
  EXPECT_EQ(s.sample(logits), 1);
  p.temperature = -1.0f;
  Sampler negative(p, 4);
  logits = {1.0f, 5.0f, 5.0f, 2.0f};
  EXPECT_EQ(negative.sample(logits), 1);
}

TEST(SamplerTest, GreedyAppliesPenaltiesFirst) {
  SamplingParams p;
  p.temperature = 0.0f;
  p.repeat_penalty = 1.1f;
  Sampler s(p, 2);
  std::vector<float> logits = {3.0f, 2.9f};
  EXPECT_EQ(s.sample(logits), 0);
  s.accept(0);
  logits = {3.0f, 2.9f};
  EXPECT_EQ(s.sample(logits), 1);  // 3 / 1.1 = 2.73 < 2.9
  EXPECT_FLOAT_EQ(logits[0], 3.0f / 1.1f);  // penalties are applied in place
}

TEST(SamplerTest, PenaltyWindowFollowsRepeatLastN) {
  SamplingParams p;
  p.temperature = 0.0f;
  p.frequency_penalty = 1.0f;
  // repeat_last_n = 0 disables the penalties (enabled, 3 - 2 would lose to 2.5).
  p.repeat_last_n = 0;
  Sampler off(p, 2);
  off.accept(0);
  off.accept(0);
  std::vector<float> logits = {3.0f, 2.5f};
  EXPECT_EQ(off.sample(logits), 0);
  EXPECT_FLOAT_EQ(logits[0], 3.0f);
  // -1 is the whole context: with context_length 2 only the last 2 tokens count.
  p.repeat_last_n = -1;
  Sampler whole(p, 2, 2);
  for (std::int32_t t : {1, 1, 0, 0}) whole.accept(t);
  logits = {3.0f, 2.5f};
  EXPECT_EQ(whole.sample(logits), 1);  // 3 - 2 vs 2.5
  EXPECT_FLOAT_EQ(logits[0], 1.0f);
  EXPECT_FLOAT_EQ(logits[1], 2.5f);
  // Without a context length every accepted token counts.
  Sampler unbounded(p, 2);
  for (std::int32_t t : {1, 1, 0, 0}) unbounded.accept(t);
  logits = {3.0f, 2.5f};
  EXPECT_EQ(unbounded.sample(logits), 0);  // 3 - 2 vs 2.5 - 2
  EXPECT_FLOAT_EQ(logits[1], 0.5f);
}

TEST(SamplerTest, SplitMix64DrawsAreTheSameEverywhere) {
  // Two equal logits: token 0 iff u < 0.5, where u is the top 53 bits of the
  // next SplitMix64 output. For seed 1234567 the published outputs are
  // 6457827717110365317 (u=0.350), 3203168211198807973 (0.174),
  // 9817491932198370423 (0.532), 4593380528125082431 (0.249),
  // 16408922859458223821 (0.890): tokens 0, 0, 1, 0, 1.
  Sampler s(plain(1234567), 2);
  std::vector<std::int32_t> got;
  for (int i = 0; i < 5; ++i) {
    std::vector<float> logits = {0.0f, 0.0f};
    got.push_back(s.sample(logits));
  }
  EXPECT_EQ(got, (std::vector<std::int32_t>{0, 0, 1, 0, 1}));
}

std::vector<std::int32_t> generate(Sampler& s, std::size_t vocab, int steps) {
  std::vector<std::int32_t> out;
  for (int step = 0; step < steps; ++step) {
    std::vector<float> logits(vocab);
    for (std::size_t i = 0; i < vocab; ++i) logits[i] = std::sin(0.37f * static_cast<float>(i * 7 + step));
    const std::int32_t id = s.sample(logits);
    s.accept(id);
    out.push_back(id);
  }
  return out;
}

TEST(SamplerTest, SameSeedSameTokensAndResetReplays) {
  SamplingParams p;  // Ollama defaults
  p.seed = 7;
  p.temperature = 1.5f;
  p.repeat_penalty = 1.1f;
  Sampler a(p, 1000);
  Sampler b(p, 1000);
  const auto first = generate(a, 1000, 200);
  EXPECT_EQ(first, generate(b, 1000, 200));
  a.reset();
  EXPECT_EQ(first, generate(a, 1000, 200));
  p.seed = 8;
  Sampler c(p, 1000);
  EXPECT_NE(first, generate(c, 1000, 200));
  EXPECT_GT(std::set<std::int32_t>(first.begin(), first.end()).size(), 10u);  // it really samples
}

TEST(SamplerTest, RandomSeedIsPickedForMinusOne) {
  Sampler a(plain(-1), 10);
  Sampler b(plain(-1), 10);
  EXPECT_NE(a.seed(), b.seed());
  EXPECT_EQ(Sampler(plain(99), 10).seed(), 99u);
}

// 7 degrees of freedom: P(chi2 > 29.88) = 1e-4. Seeds are fixed, so these
// cannot flake; a wrong distribution gives statistics in the thousands.
constexpr double kChiSquare7Dof = 29.88;
const std::vector<float> kEightLogits = {0.0f, 1.0f, 2.0f, 0.5f, -1.0f, 1.5f, 3.0f, -0.5f};

TEST(SamplerTest, DrawsFollowTheSoftmaxAtTemperatureOne) {
  Sampler s(plain(2024), kEightLogits.size());
  const int draws = 200000;
  const auto counts = histogram(s, kEightLogits, draws);
  EXPECT_LT(chi_square(counts, softmax_of(kEightLogits, 1.0), draws), kChiSquare7Dof);
  // The same counts are far from the temperature-2 distribution: the test has power.
  EXPECT_GT(chi_square(counts, softmax_of(kEightLogits, 2.0), draws), 1000.0);
}

TEST(SamplerTest, TemperatureSharpensTheDistribution) {
  SamplingParams p = plain(5);
  p.temperature = 0.5f;
  Sampler s(p, kEightLogits.size());
  const int draws = 200000;
  const auto counts = histogram(s, kEightLogits, draws);
  EXPECT_LT(chi_square(counts, softmax_of(kEightLogits, 0.5), draws), kChiSquare7Dof);
}

TEST(SamplerTest, TopKRenormalisesOverTheKept) {
  SamplingParams p = plain(11);
  p.top_k = 3;  // keeps logits 3.0 (id 6), 2.0 (id 2), 1.5 (id 5)
  Sampler s(p, kEightLogits.size());
  const int draws = 100000;
  const auto counts = histogram(s, kEightLogits, draws);
  for (std::size_t i : {0u, 1u, 3u, 4u, 7u}) EXPECT_EQ(counts[i], 0) << "token " << i;
  // Expected: softmax over {3, 2, 1.5}; chi-square with 2 degrees of freedom,
  // P(chi2 > 18.42) = 1e-4.
  const std::vector<float> kept = {3.0f, 2.0f, 1.5f};
  const std::vector<int> observed = {counts[6], counts[2], counts[5]};
  EXPECT_LT(chi_square(observed, softmax_of(kept, 1.0), draws), 18.42);
}

TEST(SamplerTest, TopKTwoKeepsOnlyTheTwoBest) {
  SamplingParams p = plain(3);
  p.top_k = 2;
  Sampler s(p, 5);
  const auto counts = histogram(s, {1.0f, 3.0f, 2.0f, 3.0f, 0.0f}, 2000);
  EXPECT_EQ(counts[0] + counts[2] + counts[4], 0);
  EXPECT_GT(counts[1], 800);
  EXPECT_GT(counts[3], 800);
}

TEST(SamplerTest, TopKAboveTheVocabularyIsDisabled) {
  SamplingParams p = plain(4);
  p.top_k = 10;
  Sampler s(p, 4);
  const auto counts = histogram(s, {0.0f, 0.1f, 0.2f, 0.3f}, 2000);
  for (int c : counts) EXPECT_GT(c, 300);
}

TEST(SamplerTest, TopPAndMinPThroughTheChain) {
  const std::vector<float> dist = {std::log(0.5f), std::log(0.3f), std::log(0.15f), std::log(0.05f)};
  SamplingParams p = plain(6);
  p.top_p = 0.7f;  // keeps 0 and 1, renormalised to 5/8 and 3/8
  Sampler top_p(p, 4);
  const int draws = 50000;
  auto counts = histogram(top_p, dist, draws);
  EXPECT_EQ(counts[2] + counts[3], 0);
  EXPECT_NEAR(counts[0] / static_cast<double>(draws), 0.625, 0.01);
  p = plain(6);
  p.min_p = 0.25f;  // keeps 0, 1, 2, renormalised over 0.95
  Sampler min_p(p, 4);
  counts = histogram(min_p, dist, draws);
  EXPECT_EQ(counts[3], 0);
  EXPECT_NEAR(counts[2] / static_cast<double>(draws), 0.15 / 0.95, 0.01);
}

TEST(SamplerTest, TypicalThroughTheChainCanDropTheBestToken) {
  SamplingParams p = plain(9);
  p.typical_p = 0.2f;  // see TypicalTest: only token 1 remains
  Sampler s(p, 4);
  const auto counts =
      histogram(s, {std::log(0.5f), std::log(0.3f), std::log(0.15f), std::log(0.05f)}, 100);
  EXPECT_EQ(counts[1], 100);
}

TEST(SamplerTest, FilterRunsFirstAndCanForbidTokens) {
  SamplingParams p;
  p.temperature = 0.0f;
  p.repeat_penalty = 2.0f;
  Sampler s(p, 3);
  s.accept(0);
  s.set_logit_filter([](std::span<float> logits) {
    logits[2] = kNegInf;  // forbid the best token
    logits[0] = 4.0f;     // and rewrite one the penalty then halves
  });
  std::vector<float> logits = {1.0f, 2.5f, 9.0f};
  EXPECT_EQ(s.sample(logits), 1);  // 4 / 2 = 2 < 2.5
  EXPECT_FLOAT_EQ(logits[0], 2.0f);
  s.set_logit_filter(nullptr);
  logits = {1.0f, 2.5f, 9.0f};
  EXPECT_EQ(s.sample(logits), 2);
}

TEST(SamplerTest, FilteredTokensAreNeverDrawn) {
  SamplingParams p = plain(10);
  Sampler s(p, 6);
  s.set_logit_filter([](std::span<float> logits) {
    for (std::size_t i = 0; i < logits.size(); i += 2) logits[i] = kNegInf;
  });
  const auto counts = histogram(s, {5.0f, 1.0f, 5.0f, 1.0f, 5.0f, 1.0f}, 3000);
  EXPECT_EQ(counts[0] + counts[2] + counts[4], 0);
  EXPECT_EQ(counts[1] + counts[3] + counts[5], 3000);
}

TEST(SamplerTest, EverythingMaskedIsAnError) {
  Sampler s(plain(), 3);
  std::vector<float> logits(3, kNegInf);
  EXPECT_THROW(s.sample(logits), Error);
  SamplingParams greedy;
  greedy.temperature = 0.0f;
  Sampler g(greedy, 3);
  logits.assign(3, std::numeric_limits<float>::quiet_NaN());
  EXPECT_THROW(g.sample(logits), Error);
}

TEST(SamplerTest, BadInputIsAnError) {
  EXPECT_THROW(Sampler(SamplingParams{}, 0), Error);
  Sampler s(SamplingParams{}, 4);
  std::vector<float> wrong_size(5, 0.0f);
  EXPECT_THROW(s.sample(wrong_size), Error);
  EXPECT_THROW(s.accept(4), Error);
  EXPECT_THROW(s.accept(-1), Error);

  auto rejects = [](auto mutate) {
    SamplingParams p;
    mutate(p);
    EXPECT_THROW(Sampler(p, 4), Error);
  };
  rejects([](SamplingParams& p) { p.temperature = std::numeric_limits<float>::quiet_NaN(); });
  rejects([](SamplingParams& p) { p.top_p = std::numeric_limits<float>::infinity(); });
  rejects([](SamplingParams& p) { p.repeat_penalty = 0.0f; });
  rejects([](SamplingParams& p) { p.repeat_last_n = -2; });
  // Accepted with llama.cpp's meaning.
  SamplingParams lenient;
  lenient.top_k = -5;
  lenient.top_p = 1.5f;
  lenient.min_p = 3.0f;
  EXPECT_NO_THROW(Sampler(lenient, 4));
}

TEST(SamplerTest, DefaultsOnAFullSizeRowPickAmongTheBest) {
  // 151936 entries with 40 clear leaders: the default chain only ever draws
  // from them (top_k 40 then top_p 0.9).
  const std::size_t vocab = 151936;
  SamplingParams p;
  p.seed = 1;
  Sampler s(p, vocab);
  std::vector<float> base(vocab, -5.0f);
  for (std::size_t i = 0; i < 40; ++i) base[1000 + i * 3000] = 10.0f - static_cast<float>(i) * 0.01f;
  for (int i = 0; i < 200; ++i) {
    std::vector<float> logits = base;
    const std::int32_t id = s.sample(logits);
    ASSERT_GE(id, 1000);
    ASSERT_EQ((id - 1000) % 3000, 0) << id;
  }
}

}  // namespace
}  // namespace corral::sample
