// ProgressBar and Spinner lines (times are given, so lines are exact).
#include <gtest/gtest.h>

#include "cli/progress_bar.h"
#include "cli/spinner.h"
#include "cli/text_width.h"

namespace corral::cli {
namespace {

using Clock = ProgressBar::Clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(ProgressBar, FinishedBarShowsOnlyTheSize) {
  const auto t0 = Clock::time_point{} + seconds(1000);
  ProgressBar bar("pulling dde5aa3fc5ff:", 2'019'377'376, 0, t0);
  bar.set(2'019'377'376, t0 + seconds(10));
  EXPECT_TRUE(bar.finished());
  const std::string line = bar.render(80, t0 + seconds(10));
  EXPECT_EQ(line.rfind("pulling dde5aa3fc5ff: 100% ▕", 0), 0u) << line;
  EXPECT_NE(line.find("▏ 2.0 GB"), std::string::npos) << line;
  EXPECT_EQ(line.find("/s"), std::string::npos) << line;
  EXPECT_LE(display_width(line), 80u);
  // The bar is full: no space between the ends.
  const auto open = line.find("▕");
  const auto close = line.find("▏");
  EXPECT_EQ(line.substr(open + 3, close - open - 3).find(' '), std::string::npos);
}

TEST(ProgressBar, RunningBarShowsAmountsRateAndTimeLeft) {
  const auto t0 = Clock::time_point{} + seconds(1000);
  ProgressBar bar("pulling 966de95ca8a6:", 100'000'000, 0, t0);
  bar.set(10'000'000, t0 + seconds(2));   // first sample: 10 MB in 2 s
  bar.set(30'000'000, t0 + seconds(4));   // 20 MB more in 2 s
  const std::string line = bar.render(100, t0 + seconds(4));
  // 30% of the way; rate from the samples = 10 MB/s; 70 MB left = 7s.
  EXPECT_NE(line.find("  30% ▕"), std::string::npos) << line;
  EXPECT_NE(line.find(" 30 MB/100 MB"), std::string::npos) << line;
  EXPECT_NE(line.find(" 10 MB/s"), std::string::npos) << line;
  EXPECT_EQ(line.substr(line.size() - 2), "7s") << line;
  EXPECT_EQ(display_width(line), 99u) << line;  // the bar fills the width but the last column
}

TEST(ProgressBar, BarFillMatchesThePercentage) {
  const auto t0 = Clock::time_point{};
  ProgressBar bar("x", 1000, 0, t0);
  bar.set(500, t0 + milliseconds(10));
  const std::string line = bar.render(60, t0 + milliseconds(10));
  const auto open = line.find("▕") + 3;
  const auto close = line.find("▏");
  const std::string inside = line.substr(open, close - open);
  std::size_t full = 0, blank = 0;
  for (std::size_t i = 0; i < inside.size();) {
    if (inside.compare(i, 3, "█") == 0) ++full, i += 3;
    else ++blank, ++i;
  }
  EXPECT_GT(full, 0u);
  EXPECT_EQ(full, (full + blank) / 2) << line;
}

TEST(ProgressBar, NarrowTerminalDropsTheBarNotTheNumbers) {
  const auto t0 = Clock::time_point{};
  ProgressBar bar("pulling abc:", 2000, 0, t0);
  bar.set(2000, t0);
  EXPECT_EQ(bar.render(0, t0), "pulling abc: 100%   2 KB");
}

TEST(ProgressBar, CompletedIsClampedToTotal) {
  const auto t0 = Clock::time_point{};
  ProgressBar bar("b", 100, 0, t0);
  bar.set(250, t0);
  EXPECT_EQ(bar.completed(), 100);
  EXPECT_DOUBLE_EQ(bar.percent(), 100.0);
}

TEST(ProgressBar, AnEmptyBlobIsFinishedAtOnce) {
  const auto t0 = Clock::time_point{};
  ProgressBar bar("b", 0, 0, t0);
  EXPECT_TRUE(bar.finished());
  EXPECT_EQ(bar.render(0, t0), "b   0%    0 B");
}

TEST(Spinner, FrameFollowsTimeAndStoppingLeavesTheMessage) {
  const auto t0 = Spinner::Clock::time_point{};
  Spinner s("pulling manifest", t0);
  EXPECT_EQ(s.render(t0), "pulling manifest ⠋");
  EXPECT_EQ(s.render(t0 + milliseconds(250)), "pulling manifest ⠹");
  EXPECT_EQ(s.render(t0 + milliseconds(1050)), "pulling manifest ⠋");
  s.stop();
  EXPECT_EQ(s.render(t0 + milliseconds(250)), "pulling manifest");
  Spinner empty("", t0);
  EXPECT_EQ(empty.render(t0 + milliseconds(100)), "⠙");
}

}  // namespace
}  // namespace corral::cli
