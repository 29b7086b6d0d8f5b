// Part planning and the resume-state check.
#include <gtest/gtest.h>

#include "registry/part_plan.h"

namespace corral::registry {
namespace {

constexpr std::int64_t MiB = 1 << 20;

TEST(PartPlan, SmallBlobsAreOnePart) {
  EXPECT_EQ(choose_part_size(5 * MiB, 100'000'000, 0), 5 * MiB);
  const auto parts = plan_parts(5 * MiB, 5 * MiB);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].offset, 0);
  EXPECT_EQ(parts[0].size, 5 * MiB);
}

TEST(PartPlan, BigBlobsSplitBetween64And256MiB) {
  EXPECT_EQ(choose_part_size(200'000'000, 100'000'000, 0), 64 * MiB);
  EXPECT_EQ(choose_part_size(4'000'000'000, 100'000'000, 0), 4'000'000'000 / 32);
  EXPECT_EQ(choose_part_size(40'000'000'000, 100'000'000, 0), 256 * MiB);
  EXPECT_EQ(choose_part_size(200'000'000, 100'000'000, 10 * MiB), 10 * MiB);
}

TEST(PartPlan, PartsTileTheBlob) {
  const auto parts = plan_parts(10 * MiB + 3, 4 * MiB);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[2].offset, 8 * MiB);
  EXPECT_EQ(parts[2].size, 2 * MiB + 3);
  EXPECT_TRUE(parts_tile(parts, 10 * MiB + 3));
  EXPECT_FALSE(parts_tile(parts, 10 * MiB + 4));
  EXPECT_TRUE(plan_parts(0, 4).empty());
}

TEST(PartPlan, RejectsStateThatDoesNotDescribeTheBlob) {
  auto parts = plan_parts(100, 40);
  parts[1].completed = 40;
  EXPECT_TRUE(parts_tile(parts, 100));
  EXPECT_EQ(completed_bytes(parts), 40);

  auto gap = parts;
  gap.erase(gap.begin() + 1);
  EXPECT_FALSE(parts_tile(gap, 100));
  auto overlap = parts;
  overlap[1].offset = 30;
  EXPECT_FALSE(parts_tile(overlap, 100));
  auto over = parts;
  over[2].completed = over[2].size + 1;
  EXPECT_FALSE(parts_tile(over, 100));
  auto numbering = parts;
  numbering[0].n = 5;
  EXPECT_FALSE(parts_tile(numbering, 100));
  auto empty_part = plan_parts(100, 40);
  empty_part[2].size = 0;
  EXPECT_FALSE(parts_tile(empty_part, 80));
  EXPECT_FALSE(parts_tile({}, 100));
}

}  // namespace
}  // namespace corral::registry
