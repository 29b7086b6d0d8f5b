// Repetition penalties change exactly the expected logits (llama.cpp's rule:
// divide positive logits by repeat_penalty, multiply the others).
#include "sample/penalties.h"

#include <gtest/gtest.h>

#include <vector>

namespace corral::sample {
namespace {

TEST(TokenHistoryTest, CountsOnlyTheWindow) {
  TokenHistory h(3);
  for (std::int32_t t : {5, 6, 5, 7, 7}) h.push(t);  // window: 5, 7, 7
  EXPECT_EQ(h.size(), 3u);
  ASSERT_EQ(h.counts().size(), 2u);
  EXPECT_EQ(h.counts().at(5), 1);
  EXPECT_EQ(h.counts().at(7), 2);
  EXPECT_EQ(h.counts().count(6), 0u);
  h.clear();
  EXPECT_EQ(h.size(), 0u);
  EXPECT_TRUE(h.counts().empty());
}

TEST(TokenHistoryTest, ZeroWindowRecordsNothingAndUnlimitedKeepsAll) {
  TokenHistory none(0);
  none.push(1);
  EXPECT_TRUE(none.counts().empty());
  TokenHistory all(TokenHistory::kUnlimited);
  for (int i = 0; i < 1000; ++i) all.push(i % 10);
  EXPECT_EQ(all.size(), 1000u);
  EXPECT_EQ(all.counts().at(3), 100);
}

TEST(PenaltiesTest, RepeatPenaltyDividesPositiveAndMultipliesNonPositive) {
  std::vector<float> logits = {2.0f, -1.0f, 0.5f, 0.0f, 3.0f};
  TokenHistory h(64);
  for (std::int32_t t : {0, 1, 1, 3}) h.push(t);
  apply_penalties(logits, h, {2.0f, 0.0f, 0.0f});
  EXPECT_FLOAT_EQ(logits[0], 1.0f);   // 2 / 2
  EXPECT_FLOAT_EQ(logits[1], -2.0f);  // -1 * 2, once although it occurs twice
  EXPECT_FLOAT_EQ(logits[2], 0.5f);   // not in the window
  EXPECT_FLOAT_EQ(logits[3], 0.0f);   // 0 * 2
  EXPECT_FLOAT_EQ(logits[4], 3.0f);
}

TEST(PenaltiesTest, FrequencyAndPresenceSubtractPerCountAndOnce) {
  std::vector<float> logits = {2.0f, -1.0f, 0.5f, 0.0f, 3.0f};
  TokenHistory h(64);
  for (std::int32_t t : {0, 1, 1, 3}) h.push(t);
  apply_penalties(logits, h, {2.0f, 0.5f, 0.25f});
  EXPECT_FLOAT_EQ(logits[0], 0.25f);   // 2/2 - 1*0.5 - 0.25
  EXPECT_FLOAT_EQ(logits[1], -3.25f);  // -1*2 - 2*0.5 - 0.25
  EXPECT_FLOAT_EQ(logits[2], 0.5f);
  EXPECT_FLOAT_EQ(logits[3], -0.75f);  // 0 - 0.5 - 0.25
  EXPECT_FLOAT_EQ(logits[4], 3.0f);
}

TEST(PenaltiesTest, OnlyTheLastNTokensCount) {
  std::vector<float> logits = {2.0f, -1.0f, 0.5f, 0.0f};
  TokenHistory h(2);
  for (std::int32_t t : {0, 1, 1, 3}) h.push(t);  // window: 1, 3
  apply_penalties(logits, h, {2.0f, 1.0f, 0.0f});
  EXPECT_FLOAT_EQ(logits[0], 2.0f);
  EXPECT_FLOAT_EQ(logits[1], -3.0f);  // -1*2 - 1
  EXPECT_FLOAT_EQ(logits[3], -1.0f);  // 0*2 - 1
}

TEST(PenaltiesTest, NeutralWeightsChangeNothing) {
  std::vector<float> logits = {2.0f, -1.0f};
  TokenHistory h(8);
  h.push(0);
  h.push(1);
  apply_penalties(logits, h, {1.0f, 0.0f, 0.0f});
  EXPECT_EQ(logits, (std::vector<float>{2.0f, -1.0f}));
}

}  // namespace
}  // namespace corral::sample
