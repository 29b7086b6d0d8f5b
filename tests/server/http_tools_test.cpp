// Tool calls and thinking over HTTP with scripted model output (a fake
// engine using the real tokenizer): native chat (streaming: each call in a
// chunk of its own; non-streaming: merged), generate's thinking field, and
// the OpenAI chat route (string arguments, finish_reason tool_calls).
#include <gtest/gtest.h>

#include "shared_models.h"
#include "test_server.h"

namespace corral::server::test {
namespace {

const Json kTools = Json::array({{{"type", "function"},
                                  {"function", {{"name", "get_weather"},
                                                {"description", "Weather of a city"},
                                                {"parameters", {{"type", "object"},
                                                                {"properties", {{"city", {{"type", "string"}}}}},
                                                                {"required", {"city"}}}}}}}});

Json user(const std::string& text) { return Json::array({{{"role", "user"}, {"content", text}}}); }

FakeScript tool_script() {
  FakeScript s;
  s.pieces = {"<think>", "The user wants", " weather.", "</think>", "Checking.", "<tool_", "call>{\"name\": \"get_",
              "weather\", \"arguments\": {\"city\": \"Paris\"}}</tool_call>"};
  return s;
}

TEST(HttpTools, ChatNonStreamingMergesThinkingContentAndCalls) {
  auto stats = std::make_shared<FakeStats>();
  TestServer s(shared_models_dir(), {}, fake_factory(stats, tool_script()));
  auto r = s.post("/api/chat", Json{{"model", "tiny"}, {"messages", user("Weather in Paris?")}, {"tools", kTools},
                                    {"stream", false}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto msg = r.json()["message"];
  EXPECT_EQ(msg["thinking"], "The user wants weather.");
  EXPECT_EQ(msg["content"], "Checking.");
  ASSERT_EQ(msg["tool_calls"].size(), 1u);
  EXPECT_EQ(msg["tool_calls"][0]["function"]["name"], "get_weather");
  EXPECT_EQ(msg["tool_calls"][0]["function"]["arguments"], Json({{"city", "Paris"}}));
  EXPECT_EQ(msg["tool_calls"][0]["id"].get<std::string>().rfind("call_", 0), 0u);
  // The tools reached the template.
  auto dbg = s.post("/api/chat", Json{{"model", "tiny"}, {"messages", user("x")}, {"tools", kTools},
                                      {"_debug_render_only", true}}).json();
  EXPECT_NE(dbg["_debug_info"]["rendered_template"].get<std::string>().find("<|tools|>"), std::string::npos);
  EXPECT_NE(dbg["_debug_info"]["rendered_template"].get<std::string>().find("get_weather"), std::string::npos);
}

TEST(HttpTools, ChatStreamingSendsTheCallInItsOwnChunk) {
  auto stats = std::make_shared<FakeStats>();
  TestServer s(shared_models_dir(), {}, fake_factory(stats, tool_script()));
  auto lines = TestServer::ndjson(
      s.post("/api/chat", Json{{"model", "tiny"}, {"messages", user("Weather?")}, {"tools", kTools}}).body);
  std::string thinking, content;
  int call_chunks = 0;
  for (const auto& l : lines) {
    const auto& m = l["message"];
    thinking += m.value("thinking", "");
    content += m["content"].get<std::string>();
    if (m.contains("tool_calls")) {
      ++call_chunks;
      EXPECT_EQ(m["content"], "");
      EXPECT_EQ(m["tool_calls"][0]["function"]["arguments"]["city"], "Paris");
    }
  }
  EXPECT_EQ(call_chunks, 1);
  EXPECT_EQ(thinking, "The user wants weather.");
  EXPECT_EQ(content, "Checking.");
  EXPECT_EQ(lines.back()["done"], true);
}

TEST(HttpTools, ThinkFalseLeavesTheTextAlone) {
  auto stats = std::make_shared<FakeStats>();
  FakeScript script;
  script.pieces = {"<think>hm</think>", "Answer"};
  TestServer s(shared_models_dir(), {}, fake_factory(stats, script));
  auto on = s.post("/api/generate", Json{{"model", "tiny"}, {"prompt", "q"}, {"stream", false}}).json();
  EXPECT_EQ(on["thinking"], "hm");  // thinking is on by default for a thinking model
  EXPECT_EQ(on["response"], "Answer");
  auto off = s.post("/api/generate", Json{{"model", "tiny"}, {"prompt", "q"}, {"stream", false}, {"think", false}}).json();
  EXPECT_FALSE(off.contains("thinking"));
  EXPECT_EQ(off["response"], "<think>hm</think>Answer");
}

TEST(HttpTools, OpenAIChatToolCalls) {
  auto stats = std::make_shared<FakeStats>();
  TestServer s(shared_models_dir(), {}, fake_factory(stats, tool_script()));
  auto r = s.post("/v1/chat/completions", Json{{"model", "tiny"}, {"messages", user("Weather?")}, {"tools", kTools}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.json();
  const auto& choice = j["choices"][0];
  EXPECT_EQ(choice["finish_reason"], "tool_calls");
  EXPECT_EQ(choice["message"]["reasoning"], "The user wants weather.");
  const auto& call = choice["message"]["tool_calls"][0];
  EXPECT_EQ(call["type"], "function");
  EXPECT_EQ(call["function"]["name"], "get_weather");
  EXPECT_EQ(Json::parse(call["function"]["arguments"].get<std::string>()), Json({{"city", "Paris"}}));
  // Streaming: whole calls in a delta, then the finish chunk.
  bool done = false;
  auto events = TestServer::sse(
      s.post("/v1/chat/completions", Json{{"model", "tiny"}, {"messages", user("Weather?")}, {"tools", kTools},
                                          {"stream", true}}).body, &done);
  EXPECT_TRUE(done);
  int calls = 0;
  for (const auto& e : events)
    if (e["choices"][0]["delta"].contains("tool_calls")) ++calls;
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(events.back()["choices"][0]["finish_reason"], "tool_calls");
  // A tool result sent back in OpenAI form reaches the template.
  Json history = Json::array({{{"role", "user"}, {"content", "Weather?"}},
                              {{"role", "assistant"}, {"content", nullptr},
                               {"tool_calls", {{{"id", "call_1"}, {"type", "function"},
                                                {"function", {{"name", "get_weather"}, {"arguments", "{\"city\":\"Paris\"}"}}}}}}},
                              {{"role", "tool"}, {"tool_call_id", "call_1"}, {"content", "sunny"}}});
  auto dbg = s.post("/v1/chat/completions", Json{{"model", "tiny"}, {"messages", history}, {"_debug_render_only", true}}).json();
  const std::string rendered = dbg["_debug_info"]["rendered_template"];
  EXPECT_NE(rendered.find("<tool_call>{\"name\": \"get_weather\", \"arguments\": {\"city\":\"Paris\"}}</tool_call>"),
            std::string::npos) << rendered;
  EXPECT_NE(rendered.find("<|tool|>sunny"), std::string::npos) << rendered;
}

}  // namespace
}  // namespace corral::server::test
