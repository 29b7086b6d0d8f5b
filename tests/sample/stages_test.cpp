// Each sampler stage on hand-made logits, with expectations worked out by hand.
#include "sample/candidates.h"
#include "sample/rng.h"
#include "sample/stages.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <vector>

namespace corral::sample {
namespace {

constexpr float kNegInf = -std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

std::vector<std::int32_t> ids(const Candidates& c) {
  std::vector<std::int32_t> out;
  for (const auto& item : c.items) out.push_back(item.id);
  return out;
}

// Logits whose softmax is exactly {0.5, 0.3, 0.15, 0.05} (their logs).
std::vector<float> known_distribution() {
  return {std::log(0.5f), std::log(0.3f), std::log(0.15f), std::log(0.05f)};
}

Candidates all_of(const std::vector<float>& logits) {
  Candidates c;
  collect_all(logits, c);
  return c;
}

TEST(CollectTest, AllSkipsNegativeInfinityAndNaN) {
  const std::vector<float> logits = {1.0f, kNegInf, kNaN, -3.0f};
  Candidates c = all_of(logits);
  EXPECT_EQ(ids(c), (std::vector<std::int32_t>{0, 3}));
  EXPECT_FALSE(c.sorted);
}

TEST(CollectTest, TopKTwoKeepsTheTwoBestSorted) {
  const std::vector<float> logits = {0.1f, 2.0f, -1.0f, 3.0f, 1.5f};
  Candidates c;
  collect_top_k(logits, 2, c);
  EXPECT_EQ(ids(c), (std::vector<std::int32_t>{3, 1}));
  EXPECT_TRUE(c.sorted);
  EXPECT_FLOAT_EQ(c.items[0].logit, 3.0f);
  EXPECT_FLOAT_EQ(c.items[1].logit, 2.0f);
}

TEST(CollectTest, TopKTiesGoToLowerIds) {
  const std::vector<float> logits = {5.0f, 4.0f, 4.0f, 4.0f, 5.0f};
  Candidates c;
  collect_top_k(logits, 3, c);
  EXPECT_EQ(ids(c), (std::vector<std::int32_t>{0, 4, 1}));
}

TEST(CollectTest, TopKOnALargeRowFindsTheBestAcrossBlocks) {
  // 1000 entries: values decrease with the id except a few planted peaks,
  // placed in different 64-entry blocks and at the row's ragged end.
  std::vector<float> logits(1000);
  for (std::size_t i = 0; i < logits.size(); ++i) logits[i] = -static_cast<float>(i) * 0.01f;
  logits[130] = 7.0f;
  logits[999] = 9.0f;
  logits[500] = 8.0f;
  logits[640] = 7.0f;  // ties with 130: the lower id ranks first
  Candidates c;
  collect_top_k(logits, 5, c);
  EXPECT_EQ(ids(c), (std::vector<std::int32_t>{999, 500, 130, 640, 0}));
}

TEST(CollectTest, TopKReturnsFewerWhenFewAreUsable) {
  const std::vector<float> logits = {kNegInf, 1.0f, kNaN, kNegInf};
  Candidates c;
  collect_top_k(logits, 3, c);
  EXPECT_EQ(ids(c), (std::vector<std::int32_t>{1}));
}

TEST(ArgmaxTest, LowestIdWinsTies) {
  EXPECT_EQ(argmax(std::vector<float>{1.0f, 5.0f, 5.0f, 2.0f}), 1);
  std::vector<float> row(300, 0.0f);
  row[250] = 2.0f;
  row[70] = 2.0f;
  EXPECT_EQ(argmax(row), 70);
}

TEST(ArgmaxTest, SkipsNaNAndReportsNothingUsable) {
  EXPECT_EQ(argmax(std::vector<float>{kNaN, -2.0f, kNaN}), 1);
  EXPECT_EQ(argmax(std::vector<float>{kNegInf, kNaN}), -1);
}

TEST(SoftmaxTest, MatchesHandComputation) {
  // softmax(0, ln 3) = {1/4, 3/4}
  Candidates c = all_of({0.0f, std::log(3.0f)});
  softmax(c);
  EXPECT_NEAR(c.items[0].p, 0.25f, 1e-6);
  EXPECT_NEAR(c.items[1].p, 0.75f, 1e-6);
}

TEST(SoftmaxTest, PositiveInfinitySharesAllTheMass) {
  const float inf = std::numeric_limits<float>::infinity();
  Candidates c = all_of({inf, 100.0f, inf});
  softmax(c);
  EXPECT_FLOAT_EQ(c.items[0].p, 0.5f);
  EXPECT_FLOAT_EQ(c.items[1].p, 0.0f);
  EXPECT_FLOAT_EQ(c.items[2].p, 0.5f);
}

TEST(TopPTest, KeepsTheSmallestSetReachingP) {
  // Sorted masses 0.5, 0.8, 0.95, 1.0.
  Candidates c = all_of(known_distribution());
  apply_top_p(c, 0.7f);
  EXPECT_EQ(ids(c), (std::vector<std::int32_t>{0, 1}));
  c = all_of(known_distribution());
  apply_top_p(c, 0.9f);
  EXPECT_EQ(ids(c), (std::vector<std::int32_t>{0, 1, 2}));
  c = all_of(known_distribution());
  apply_top_p(c, 0.97f);
  EXPECT_EQ(ids(c), (std::vector<std::int32_t>{0, 1, 2, 3}));
}

TEST(TopPTest, ZeroKeepsTheBestAndOneIsANoOp) {
  Candidates c = all_of({0.0f, 2.0f, 1.0f});
  apply_top_p(c, 0.0f);
  EXPECT_EQ(ids(c), (std::vector<std::int32_t>{1}));
  c = all_of({0.0f, 2.0f, 1.0f});
  apply_top_p(c, 1.0f);
  EXPECT_EQ(ids(c), (std::vector<std::int32_t>{0, 1, 2}));
  EXPECT_FALSE(c.sorted);
}

TEST(TopPTest, UnsortedRowBeyondTheSortedPrefix) {
  // 1000 equal logits, each p = 1/1000: 0.4005 needs 401 tokens; equal
  // logits rank by id, so ids 0..400 stay.
  Candidates c = all_of(std::vector<float>(1000, 0.25f));
  apply_top_p(c, 0.4005f);
  ASSERT_EQ(c.items.size(), 401u);
  for (std::size_t i = 0; i < c.items.size(); ++i) EXPECT_EQ(c.items[i].id, static_cast<std::int32_t>(i));
  EXPECT_FALSE(c.sorted);  // the long list was not sorted
}

// The nucleus read off a full sort, computed here independently in double.
std::set<std::int32_t> nucleus_by_sorting(const std::vector<float>& logits, double top_p) {
  std::vector<std::int32_t> order(logits.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<std::int32_t>(i);
  std::sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) {
    return logits[a] > logits[b] || (logits[a] == logits[b] && a < b);
  });
  double z = 0.0;
  for (float l : logits) z += std::exp(static_cast<double>(l) - logits[order[0]]);
  std::set<std::int32_t> kept;
  double mass = 0.0;
  for (std::int32_t id : order) {
    kept.insert(id);
    mass += std::exp(static_cast<double>(logits[id]) - logits[order[0]]) / z;
    if (mass >= top_p) break;
  }
  return kept;
}

TEST(TopPTest, LongUnsortedListsKeepTheSameSetAsAFullSort) {
  SplitMix64 rng(77);
  for (float spread : {0.01f, 1.0f, 4.0f, 40.0f}) {
    std::vector<float> logits(5000);
    for (auto& l : logits) l = spread * static_cast<float>(rng.next_unit() - 0.5);
    logits[17] = logits[4000];  // a tie
    for (float top_p : {0.05f, 0.5f, 0.9f, 0.999f}) {
      Candidates c = all_of(logits);
      apply_top_p(c, top_p);
      std::set<std::int32_t> got;
      std::int32_t previous = -1;
      for (const auto& item : c.items) {
        EXPECT_GT(item.id, previous);  // order kept
        previous = item.id;
        got.insert(item.id);
      }
      EXPECT_EQ(got, nucleus_by_sorting(logits, top_p)) << "spread " << spread << " top_p " << top_p;
    }
  }
}

TEST(MinPTest, KeepsTokensAboveAFractionOfTheBest) {
  // p_max = 0.5: min_p 0.25 keeps p >= 0.125 (0.5, 0.3, 0.15), min_p 0.5 keeps p >= 0.25.
  Candidates c = all_of(known_distribution());
  apply_min_p(c, 0.25f);
  EXPECT_EQ(ids(c), (std::vector<std::int32_t>{0, 1, 2}));
  c = all_of(known_distribution());
  apply_min_p(c, 0.5f);
  EXPECT_EQ(ids(c), (std::vector<std::int32_t>{0, 1}));
  c = all_of(known_distribution());
  apply_min_p(c, 0.7f);
  EXPECT_EQ(ids(c), (std::vector<std::int32_t>{0}));
}

TEST(MinPTest, KeepsOrderAndTheBestTokenAboveOne) {
  Candidates c = all_of({1.0f, 3.0f, 2.9f, -4.0f});
  apply_min_p(c, 0.5f);  // threshold 3 + ln 0.5 = 2.307
  EXPECT_EQ(ids(c), (std::vector<std::int32_t>{1, 2}));
  c = all_of({1.0f, 3.0f, 2.9f});
  apply_min_p(c, 2.0f);
  EXPECT_EQ(ids(c), (std::vector<std::int32_t>{1}));
  c = all_of({1.0f, 3.0f});
  apply_min_p(c, 0.0f);
  EXPECT_EQ(ids(c), (std::vector<std::int32_t>{0, 1}));
}

TEST(TypicalTest, OrdersBySurpriseDistanceFromEntropy) {
  // p = {0.5, 0.3, 0.15, 0.05}: entropy H = 1.14212. |-ln p - H| =
  // {0.449, 0.062, 0.755, 1.854}, so the order is 1, 0, 2, 3 with running
  // mass 0.3, 0.8, 0.95, 1.0; the stage stops once the mass exceeds typical_p.
  Candidates c = all_of(known_distribution());
  apply_typical(c, 0.5f);
  EXPECT_EQ(ids(c), (std::vector<std::int32_t>{1, 0}));
  EXPECT_FALSE(c.sorted);
  c = all_of(known_distribution());
  apply_typical(c, 0.9f);
  EXPECT_EQ(ids(c), (std::vector<std::int32_t>{1, 0, 2}));
  // A low typical_p drops even the most likely token.
  c = all_of(known_distribution());
  apply_typical(c, 0.2f);
  EXPECT_EQ(ids(c), (std::vector<std::int32_t>{1}));
  c = all_of(known_distribution());
  apply_typical(c, 1.0f);
  EXPECT_EQ(ids(c), (std::vector<std::int32_t>{0, 1, 2, 3}));
}

TEST(TypicalTest, UnderflowingProbabilitiesAreLeastTypical) {
  // exp(-200) underflows to p = 0 in float; it must neither poison the entropy
  // nor be kept before tokens that have mass.
  Candidates c = all_of({0.0f, -200.0f, 0.0f});
  apply_typical(c, 0.99f);
  EXPECT_EQ(ids(c), (std::vector<std::int32_t>{0, 2}));
}

TEST(TemperatureTest, DividesLogits) {
  Candidates c = all_of({2.0f, -1.0f});
  apply_temperature(c, 0.5f);
  EXPECT_FLOAT_EQ(c.items[0].logit, 4.0f);
  EXPECT_FLOAT_EQ(c.items[1].logit, -2.0f);
}

TEST(DrawTest, PicksByCumulativeMassAndSkipsEmptyEntries) {
  Candidates c;
  c.items = {{7, 0.0f, 0.25f}, {8, 0.0f, 0.0f}, {9, 0.0f, 0.75f}};
  EXPECT_EQ(draw(c, 0.0), 0u);
  EXPECT_EQ(draw(c, 0.2499), 0u);
  EXPECT_EQ(draw(c, 0.25), 2u);  // mass must exceed the target: the empty entry is skipped
  EXPECT_EQ(draw(c, 0.9999), 2u);
  c.items = {{1, 0.0f, 0.0f}, {2, 0.0f, 1.0f}};
  EXPECT_EQ(draw(c, 0.0), 1u);
}

}  // namespace
}  // namespace corral::sample
