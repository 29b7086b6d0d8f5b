// Sizes, counts and relative times as Ollama's CLI prints them.
#include <gtest/gtest.h>

#include "cli/human_format.h"

namespace corral::cli {
namespace {

using namespace std::chrono;

TEST(HumanBytes, DecimalUnits) {
  EXPECT_EQ(human_bytes(0), "0 B");
  EXPECT_EQ(human_bytes(561), "561 B");
  EXPECT_EQ(human_bytes(999), "999 B");
  EXPECT_EQ(human_bytes(1000), "1 KB");
  EXPECT_EQ(human_bytes(1400), "1.4 KB");
  EXPECT_EQ(human_bytes(7700), "7.7 KB");
  EXPECT_EQ(human_bytes(12'345'678), "12 MB");
  EXPECT_EQ(human_bytes(2'019'377'376), "2.0 GB");
  EXPECT_EQ(human_bytes(3'098'240), "3.1 MB");
  EXPECT_EQ(human_bytes(999'999'999'999), "999 GB");
  EXPECT_EQ(human_bytes(1'500'000'000'000), "1.5 TB");
}

TEST(HumanNumber, ParameterCounts) {
  EXPECT_EQ(human_number(950), "950");
  EXPECT_EQ(human_number(15'400), "15K");
  EXPECT_EQ(human_number(2'890'000), "2.89M");
  EXPECT_EQ(human_number(12'000'000), "12M");
  EXPECT_EQ(human_number(3'212'749'888), "3.2B");
  EXPECT_EQ(human_number(8'000'000'000), "8B");
}

TEST(HumanTime, PastAndFuture) {
  const auto now = system_clock::time_point{} + hours(24 * 365 * 50);
  EXPECT_EQ(human_time(now - milliseconds(300), now), "Less than a second ago");
  EXPECT_EQ(human_time(now - seconds(1), now), "1 second ago");
  EXPECT_EQ(human_time(now - seconds(42), now), "42 seconds ago");
  EXPECT_EQ(human_time(now - seconds(90), now), "About a minute ago");
  EXPECT_EQ(human_time(now - minutes(7), now), "7 minutes ago");
  EXPECT_EQ(human_time(now - minutes(65), now), "About an hour ago");
  EXPECT_EQ(human_time(now - hours(5), now), "5 hours ago");
  EXPECT_EQ(human_time(now - hours(24 * 3), now), "3 days ago");
  EXPECT_EQ(human_time(now - hours(24 * 20), now), "2 weeks ago");
  EXPECT_EQ(human_time(now - hours(24 * 100), now), "3 months ago");
  EXPECT_EQ(human_time(now - hours(24 * 365 * 3), now), "3 years ago");
  EXPECT_EQ(human_time(now + minutes(4) + seconds(30), now), "4 minutes from now");
  EXPECT_EQ(human_time(now + hours(24 * 365 * 100), now), "Forever");
  EXPECT_EQ(human_time(system_clock::time_point{}, now), "Never");
}

TEST(ShortDuration, TwoUnitsAtMost) {
  EXPECT_EQ(short_duration(seconds(0)), "0s");
  EXPECT_EQ(short_duration(seconds(45)), "45s");
  EXPECT_EQ(short_duration(seconds(200)), "3m20s");
  EXPECT_EQ(short_duration(seconds(3900)), "1h5m");
  EXPECT_EQ(short_duration(hours(100)), "99h+");
}

}  // namespace
}  // namespace corral::cli
