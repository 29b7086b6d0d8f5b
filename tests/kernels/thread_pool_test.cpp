// ThreadPool: every thread runs each job once; parallel_for covers the range exactly.
#include <gtest/gtest.h>

#include <atomic>
#include <vector>

#include "util/thread_pool.h"

namespace corral {
namespace {

TEST(ThreadPool, RunsOnEveryThread) {
  ThreadPool pool(3);
  for (int rep = 0; rep < 200; ++rep) {
    std::vector<std::atomic<int>> hits(3);
    pool.run([&](int ti, int nt) {
      EXPECT_EQ(nt, 3);
      hits[static_cast<std::size_t>(ti)]++;
    });
    for (auto& h : hits) ASSERT_EQ(h.load(), 1);
  }
}

TEST(ThreadPool, ParallelForCoversRangeOnce) {
  ThreadPool pool(2);
  for (std::int64_t n : {0, 1, 2, 7, 1000}) {
    std::vector<std::atomic<int>> seen(static_cast<std::size_t>(n));
    pool.parallel_for(n, [&](std::int64_t b, std::int64_t e, int) {
      for (std::int64_t i = b; i < e; ++i) seen[static_cast<std::size_t>(i)]++;
    });
    for (auto& s : seen) ASSERT_EQ(s.load(), 1);
  }
}

TEST(ThreadPool, SurvivesIdleSleepAndWake) {
  ThreadPool pool(2);
  std::atomic<int> count{0};
  for (int i = 0; i < 5; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // workers go to sleep
    pool.run([&](int, int) { count++; });
  }
  EXPECT_EQ(count.load(), 10);
}

}  // namespace
}  // namespace corral
