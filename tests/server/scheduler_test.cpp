// The scheduler with fake engines: loading once, slots per model, the
// bounded queue (503), LRU eviction at OLLAMA_MAX_LOADED_MODELS, keep-alive
// expiry, unload requests, reloads on changed load options, the memory
// check, and cancellation while queued.
#include <gtest/gtest.h>

#include <future>

#include "api/status_error.h"
#include "fake_engine.h"
#include "server/scheduler.h"

namespace corral::server {
namespace {

using namespace std::chrono_literals;
using test::FakeEngine;
using test::FakeScript;
using test::FakeStats;

struct Fixture {
  std::shared_ptr<FakeStats> stats = std::make_shared<FakeStats>();
  std::int64_t available = -1;
  std::unique_ptr<Scheduler> sched;

  explicit Fixture(SchedulerConfig cfg) {
    sched = std::make_unique<Scheduler>(
        cfg, [s = stats](const LoadSpec& spec) { return std::make_shared<FakeEngine>(s, nullptr, FakeScript{}, spec); },
        [this] { return available; });
  }
};

ModelRequest request(const std::string& path, int parallel = 1) {
  ModelRequest r;
  r.spec.model_path = path;
  r.spec.num_parallel = parallel;
  r.name = path;
  r.estimated_bytes = 100;
  return r;
}

int status_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const api::StatusError& e) {
    return e.status();
  }
  return 0;
}

TEST(Scheduler, LoadsOnceAndSharesAcrossRequests) {
  Fixture f({3, 10, api::KeepAlive{5min, false}});
  {
    auto a = f.sched->acquire(request("/m1", 2), nullptr);
    auto b = f.sched->acquire(request("/m1", 2), nullptr);
    EXPECT_TRUE(a->loaded_now());
    EXPECT_FALSE(b->loaded_now());
  }
  EXPECT_EQ(f.stats->loads, 1);
  EXPECT_EQ(f.stats->alive, 1);
  ASSERT_EQ(f.sched->loaded().size(), 1u);
  EXPECT_EQ(f.sched->loaded()[0].active, 0);
}

TEST(Scheduler, SlotsLimitConcurrencyAndQueueOverflowIs503) {
  Fixture f({3, 2, api::KeepAlive{5min, false}});
  auto held = f.sched->acquire(request("/m1"), nullptr);  // the only slot
  std::atomic<bool> cancel{false};
  auto w1 = std::async(std::launch::async, [&] { return f.sched->acquire(request("/m1"), &cancel) != nullptr; });
  auto w2 = std::async(std::launch::async, [&] { return f.sched->acquire(request("/m1"), &cancel) != nullptr; });
  while (f.sched->gauges().queue_depth < 2) std::this_thread::sleep_for(1ms);
  EXPECT_EQ(status_of([&] { f.sched->acquire(request("/m1"), nullptr); }), 503);
  held.reset();
  // One waiter gets the slot (and returns it at once), then the other.
  EXPECT_TRUE(w1.get());
  EXPECT_TRUE(w2.get());
}

TEST(Scheduler, CancelWhileQueuedIs499AndLeavesTheQueue) {
  Fixture f({3, 5, api::KeepAlive{5min, false}});
  auto held = f.sched->acquire(request("/m1"), nullptr);
  std::atomic<bool> cancel{false};
  auto w = std::async(std::launch::async, [&] { return status_of([&] { f.sched->acquire(request("/m1"), &cancel); }); });
  while (f.sched->gauges().queue_depth < 1) std::this_thread::sleep_for(1ms);
  cancel = true;
  EXPECT_EQ(w.get(), 499);
  EXPECT_EQ(f.sched->gauges().queue_depth, 0);
}

TEST(Scheduler, EvictsLeastRecentlyUsedIdleModel) {
  Fixture f({2, 10, api::KeepAlive{5min, false}});
  f.sched->acquire(request("/a"), nullptr).reset();
  std::this_thread::sleep_for(2ms);
  f.sched->acquire(request("/b"), nullptr).reset();
  std::this_thread::sleep_for(2ms);
  f.sched->acquire(request("/a"), nullptr).reset();  // a is now the most recent
  f.sched->acquire(request("/c"), nullptr).reset();  // evicts b
  EXPECT_TRUE(f.sched->is_loaded("/a"));
  EXPECT_FALSE(f.sched->is_loaded("/b"));
  EXPECT_TRUE(f.sched->is_loaded("/c"));
  EXPECT_EQ(f.stats->alive, 2);
}

TEST(Scheduler, BusyModelsAreNotEvictedTheNewOneWaits) {
  Fixture f({1, 10, api::KeepAlive{5min, false}});
  auto a = f.sched->acquire(request("/a"), nullptr);
  auto w = std::async(std::launch::async, [&] { return f.sched->acquire(request("/b"), nullptr) != nullptr; });
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(w.wait_for(0ms), std::future_status::timeout);
  EXPECT_TRUE(f.sched->is_loaded("/a"));
  a.reset();
  EXPECT_TRUE(w.get());
  EXPECT_FALSE(f.sched->is_loaded("/a"));
}

TEST(Scheduler, KeepAliveExpiresIdleModels) {
  Fixture f({3, 10, api::KeepAlive{5min, false}});
  auto r = request("/a");
  r.keep_alive = api::KeepAlive{50ms, false};
  f.sched->acquire(r, nullptr).reset();
  EXPECT_TRUE(f.sched->is_loaded("/a"));
  for (int i = 0; i < 200 && f.sched->is_loaded("/a"); ++i) std::this_thread::sleep_for(10ms);
  EXPECT_FALSE(f.sched->is_loaded("/a"));
  EXPECT_EQ(f.stats->alive, 0);
  // keep_alive 0 unloads as soon as the request ends; negative keeps forever.
  r.keep_alive = api::KeepAlive{0ms, false};
  f.sched->acquire(r, nullptr).reset();
  EXPECT_FALSE(f.sched->is_loaded("/a"));
  r.keep_alive = api::KeepAlive::never_expires();
  f.sched->acquire(r, nullptr).reset();
  ASSERT_EQ(f.sched->loaded().size(), 1u);
  EXPECT_GT(f.sched->loaded()[0].expires_at, std::chrono::system_clock::now() + std::chrono::hours(24 * 365 * 100));
}

TEST(Scheduler, UnloadRequestWaitsForRunningRequests) {
  Fixture f({3, 10, api::KeepAlive{5min, false}});
  auto a = f.sched->acquire(request("/a"), nullptr);
  EXPECT_TRUE(f.sched->expire("/a"));
  EXPECT_TRUE(f.sched->is_loaded("/a"));
  a.reset();
  EXPECT_FALSE(f.sched->is_loaded("/a"));
  EXPECT_FALSE(f.sched->expire("/a"));
}

TEST(Scheduler, ChangedLoadOptionsReload) {
  Fixture f({3, 10, api::KeepAlive{5min, false}});
  auto r = request("/a");
  r.spec.num_ctx = 128;
  r.ctx_fixed = true;
  f.sched->acquire(r, nullptr).reset();
  r.ctx_fixed = false;  // not asked for: the loaded one will do
  r.spec.num_ctx = 4096;
  f.sched->acquire(r, nullptr).reset();
  EXPECT_EQ(f.stats->loads, 1);
  r.ctx_fixed = true;
  f.sched->acquire(r, nullptr).reset();
  EXPECT_EQ(f.stats->loads, 2);
  EXPECT_EQ(f.sched->loaded().at(0).spec.num_ctx, 4096);
}

TEST(Scheduler, MemoryCheckRefusesOrEvicts) {
  Fixture f({3, 10, api::KeepAlive{5min, false}});
  f.available = 50;
  auto r = request("/big");
  r.estimated_bytes = 1024ll * 1024 * 1024 * 3;
  try {
    f.sched->acquire(r, nullptr);
    FAIL();
  } catch (const api::StatusError& e) {
    EXPECT_EQ(e.status(), 500);
    EXPECT_STREQ(e.what(), "model requires more system memory (3.0 GiB) than is available (0.0 GiB)");
  }
  EXPECT_EQ(f.stats->loads, 0);
  // An idle model is unloaded to make room when that is enough.
  f.available = 1000;
  f.sched->acquire(request("/small"), nullptr).reset();
  f.available = -2;  // below: room only once no model is loaded
  f.sched.reset();
  auto stats = f.stats;
  Scheduler s({3, 10, api::KeepAlive{5min, false}},
              [stats](const LoadSpec& spec) { return std::make_shared<FakeEngine>(stats, nullptr, FakeScript{}, spec); },
              [stats] { return std::int64_t{stats->alive.load() > 0 ? 0 : 1000}; });
  s.acquire(request("/small"), nullptr).reset();
  auto big = request("/b2");
  big.estimated_bytes = 500;
  auto lease = s.acquire(big, nullptr);
  EXPECT_FALSE(s.is_loaded("/small"));
  EXPECT_TRUE(s.is_loaded("/b2"));
}

TEST(Scheduler, LoadFailureIs500AndNothingStays) {
  auto stats = std::make_shared<FakeStats>();
  Scheduler s({3, 10, api::KeepAlive{5min, false}}, [](const LoadSpec&) -> std::shared_ptr<Engine> {
    throw Error("model.gguf: not a GGUF file");
  }, {});
  try {
    s.acquire(request("/bad"), nullptr);
    FAIL();
  } catch (const api::StatusError& e) {
    EXPECT_EQ(e.status(), 500);
    EXPECT_STREQ(e.what(), "model.gguf: not a GGUF file");
  }
  EXPECT_TRUE(s.loaded().empty());
  EXPECT_EQ(s.gauges().queue_depth, 0);
}

}  // namespace
}  // namespace corral::server
