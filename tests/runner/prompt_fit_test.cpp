// Prompt truncation as Ollama does it, and prefix matching.
#include <gtest/gtest.h>

#include <numeric>

#include "runner/prompt_fit.h"
#include "util/error.h"

namespace corral::runner {
namespace {

TEST(PromptFit, ShortPromptsAreUnchanged) {
  std::vector<std::int32_t> p = {1, 2, 3};
  EXPECT_EQ(fit_prompt(p, 8, 4, true), p);
}

TEST(PromptFit, LongPromptKeepsHeadAndRecentTail) {
  std::vector<std::int32_t> p(100);
  std::iota(p.begin(), p.end(), 0);
  // n_ctx 32, keep 4: fits in 32 - (32-4)/2 = 18 tokens: 4 kept + the last 14.
  auto out = fit_prompt(p, 32, 4, true);
  ASSERT_EQ(out.size(), 18u);
  EXPECT_EQ(out[0], 0);
  EXPECT_EQ(out[3], 3);
  EXPECT_EQ(out[4], 86);
  EXPECT_EQ(out.back(), 99);
}

TEST(PromptFit, NoTruncationGivesOllamasError) {
  std::vector<std::int32_t> p(40, 5);
  try {
    fit_prompt(p, 32, 4, false);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("the prompt is longer than the context length"), std::string::npos);
  }
}

TEST(PromptFit, CommonPrefix) {
  std::vector<std::int32_t> a = {1, 2, 3, 4}, b = {1, 2, 9}, c;
  EXPECT_EQ(common_prefix(a, b), 2u);
  EXPECT_EQ(common_prefix(a, a), 4u);
  EXPECT_EQ(common_prefix(a, c), 0u);
}

}  // namespace
}  // namespace corral::runner
