// Scheduling seen over HTTP: 8 concurrent clients (real engine, greedy:
// each equals its sequential answer), queue overflow answered 503, a client
// that hangs up cancels its generation (streaming and while queued),
// keep_alive expiry, and eviction at OLLAMA_MAX_LOADED_MODELS.
#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "server/server_context.h"
#include "shared_models.h"
#include "test_server.h"

namespace corral::server::test {
namespace {

using namespace std::chrono_literals;

Json generate_body(const std::string& model, const std::string& prompt, bool stream, int n = 8) {
  return Json{{"model", model}, {"prompt", prompt}, {"stream", stream},
              {"options", {{"temperature", 0}, {"num_predict", n}}}};
}

bool wait_for(const std::function<bool()>& cond, std::chrono::milliseconds limit = 10s) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (cond()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return cond();
}

TEST(HttpScheduling, EightConcurrentClientsGetTheirSequentialAnswers) {
  TestServer s(shared_models_dir(), [](ServerConfig& c) { c.num_parallel = 4; });
  std::vector<std::string> prompts;
  for (int i = 0; i < 8; ++i) prompts.push_back("prompt number " + std::to_string(i) + std::string(i, '!'));
  std::vector<std::string> expected;
  for (const auto& p : prompts) expected.push_back(s.post("/api/generate", generate_body("plain", p, false)).json()["response"]);
  std::vector<std::future<std::string>> futures;
  for (int i = 0; i < 8; ++i) {
    futures.push_back(std::async(std::launch::async, [&, i] {
      // Half stream, half do not.
      auto r = s.post("/api/generate", generate_body("plain", prompts[i], i % 2 == 0));
      if (r.status != 200) return "status " + std::to_string(r.status) + ": " + r.body;
      if (i % 2) return r.json()["response"].get<std::string>();
      std::string text;
      for (const auto& l : TestServer::ndjson(r.body)) text += l["response"].get<std::string>();
      return text;
    }));
  }
  for (int i = 0; i < 8; ++i) EXPECT_EQ(futures[i].get(), expected[i]) << i;
}

TEST(HttpScheduling, QueueOverflowIs503) {
  auto stats = std::make_shared<FakeStats>();
  FakeScript script;
  script.delay = 150ms;
  TestServer s(shared_models_dir(), [](ServerConfig& c) { c.max_queue = 2; c.num_parallel = 1; },
               fake_factory(stats, script));
  std::vector<std::future<Reply>> replies;
  for (int i = 0; i < 6; ++i) {
    replies.push_back(std::async(std::launch::async, [&] { return s.post("/api/generate", generate_body("tiny", "x", false)); }));
    std::this_thread::sleep_for(20ms);
  }
  int ok = 0, busy = 0;
  for (auto& f : replies) {
    auto r = f.get();
    if (r.status == 200) {
      ++ok;
    } else {
      ASSERT_EQ(r.status, 503) << r.body;
      EXPECT_EQ(r.json()["error"], "server busy, please try again.  maximum pending requests exceeded");
      ++busy;
    }
  }
  EXPECT_GE(ok, 2);
  EXPECT_GE(busy, 1);
  EXPECT_EQ(stats->max_running, 1);
}

TEST(HttpScheduling, HangingUpCancelsAStreamingGeneration) {
  auto stats = std::make_shared<FakeStats>();
  FakeScript script;
  script.pieces.assign(200, "tok ");
  script.delay = 20ms;
  TestServer s(shared_models_dir(), {}, fake_factory(stats, script));
  {
    RawConnection c(s.port());
    c.send_post("/api/generate", Json{{"model", "tiny"}, {"prompt", "x"}}.dump());
    const auto got = c.read_until("\"response\":\"tok \"");
    ASSERT_NE(got.find("\"response\":\"tok \""), std::string::npos) << got;
  }  // hang up
  ASSERT_TRUE(wait_for([&] { return stats->cancelled.load() == 1; }));
  const int sent = stats->pieces_sent;
  EXPECT_LT(sent, 50);
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(stats->pieces_sent, sent);  // nothing more was generated
  EXPECT_EQ(stats->running, 0);
  // The slot is free again.
  EXPECT_EQ(s.post("/api/generate", Json{{"model", "tiny"}, {"prompt", "x"}, {"stream", false},
                                         {"options", {{"num_predict", 2}}}}).status, 200);
}

TEST(HttpScheduling, HangingUpWhileQueuedNeverRuns) {
  auto stats = std::make_shared<FakeStats>();
  FakeScript script;
  script.pieces.assign(20, "a");
  script.delay = 25ms;
  TestServer s(shared_models_dir(), {}, fake_factory(stats, script));
  auto busy = std::async(std::launch::async, [&] { return s.post("/api/generate", generate_body("tiny", "x", false, 100)); });
  ASSERT_TRUE(wait_for([&] { return stats->running.load() == 1; }));
  {
    RawConnection c(s.port());
    c.send_post("/api/generate", Json{{"model", "tiny"}, {"prompt", "y"}, {"stream", false}}.dump());
    ASSERT_TRUE(wait_for([&] { return s.context().scheduler.gauges().queue_depth == 1; }));
  }  // hang up while queued
  ASSERT_TRUE(wait_for([&] { return s.context().scheduler.gauges().queue_depth == 0; }));
  EXPECT_EQ(busy.get().status, 200);
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(stats->pieces_sent, 20);  // only the first request ran
}

TEST(HttpScheduling, RealEngineStopsWhenTheClientLeaves) {
  TestServer s(shared_models_dir(), [](ServerConfig& c) { c.num_parallel = 1; });
  {
    RawConnection c(s.port());
    c.send_post("/api/generate", generate_body("plain", "go on", true, 100000).dump());
    ASSERT_NE(c.read_until("\"done\":false").find("\"done\":false"), std::string::npos);
  }
  // The only slot comes back: a new request finishes promptly.
  auto r = s.post("/api/generate", generate_body("plain", "next", false, 3));
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["eval_count"], 3);
}

TEST(HttpScheduling, KeepAliveExpiresAndDefaultComesFromConfig) {
  TestServer s(shared_models_dir(), [](ServerConfig& c) { c.keep_alive = api::KeepAlive{300ms, false}; });
  ASSERT_EQ(s.post("/api/generate", Json{{"model", "plain"}}).status, 200);
  EXPECT_EQ(s.get("/api/ps").json()["models"].size(), 1u);
  EXPECT_TRUE(wait_for([&] { return s.get("/api/ps").json()["models"].empty(); }));
  // A request's keep_alive wins: -1 keeps it.
  ASSERT_EQ(s.post("/api/generate", Json{{"model", "plain"}, {"keep_alive", -1}}).status, 200);
  std::this_thread::sleep_for(600ms);
  EXPECT_EQ(s.get("/api/ps").json()["models"].size(), 1u);
  ASSERT_EQ(s.post("/api/generate", Json{{"model", "plain"}, {"keep_alive", "0s"}}).json()["done_reason"], "unload");
  EXPECT_TRUE(s.get("/api/ps").json()["models"].empty());
}

TEST(HttpScheduling, MultipleModelsEvictLeastRecentlyUsed) {
  TestServer s(shared_models_dir(), [](ServerConfig& c) { c.max_loaded_models = 2; });
  for (const char* m : {"tiny", "plain", "tiny", "other"})
    ASSERT_EQ(s.post("/api/generate", generate_body(m, "hi", false, 2)).status, 200) << m;
  std::vector<std::string> names;
  const Json ps = s.get("/api/ps").json();
  for (const auto& m : ps["models"]) names.push_back(m["name"]);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"other:latest", "tiny:latest"}));
}

TEST(HttpScheduling, MemoryShortageIsAClearError) {
  TestServer s(shared_models_dir(), {}, {}, [] { return std::int64_t{1000}; });
  auto r = s.post("/api/generate", generate_body("plain", "hi", false));
  EXPECT_EQ(r.status, 500);
  EXPECT_NE(r.json()["error"].get<std::string>().find("model requires more system memory"), std::string::npos);
  EXPECT_TRUE(s.get("/api/ps").json()["models"].empty());
}

}  // namespace
}  // namespace corral::server::test
