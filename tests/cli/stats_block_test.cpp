// The --verbose statistics block.
#include <gtest/gtest.h>

#include "cli/stats_block.h"

namespace corral::cli {
namespace {

TEST(StatsBlock, AllLines) {
  api::Metrics m;
  m.total_duration = 4'567'890'123;
  m.load_duration = 12'345'670;
  m.prompt_eval_count = 26;
  m.prompt_eval_duration = 123'456'000;
  m.eval_count = 290;
  m.eval_duration = 4'400'000'000;
  EXPECT_EQ(format_stats_block(m),
            "total duration:       4.567890123s\n"
            "load duration:        12.34567ms\n"
            "prompt eval count:    26 token(s)\n"
            "prompt eval duration: 123.456ms\n"
            "prompt eval rate:     210.60 tokens/s\n"
            "eval count:           290 token(s)\n"
            "eval duration:        4.4s\n"
            "eval rate:            65.91 tokens/s\n");
}

TEST(StatsBlock, ZeroValuesAreLeftOut) {
  api::Metrics m;
  m.total_duration = 850'000;
  m.eval_count = 3;
  EXPECT_EQ(format_stats_block(m),
            "total duration:       850µs\n"
            "eval count:           3 token(s)\n");
  EXPECT_EQ(format_stats_block(api::Metrics{}), "");
}

}  // namespace
}  // namespace corral::cli
