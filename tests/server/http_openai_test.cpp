// The OpenAI-compatible routes over HTTP (real engine): chat and
// completions with and without SSE streaming (usage chunk, [DONE]),
// embeddings as floats and as base64 little-endian float32, model listing,
// and OpenAI-shaped errors.
#include <gtest/gtest.h>

#include <cstring>

#include "util/base64.h"
#include "shared_models.h"
#include "test_server.h"

namespace corral::server::test {
namespace {

class OpenAIApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new TestServer(shared_models_dir()); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static TestServer& s() { return *server_; }
  static TestServer* server_;
};
TestServer* OpenAIApi::server_ = nullptr;

const Json kMessages = Json::array({{{"role", "user"}, {"content", "Say something"}}});

TEST_F(OpenAIApi, ChatCompletionNonStreaming) {
  auto r = s().post("/v1/chat/completions", Json{{"model", "tiny"}, {"messages", kMessages}, {"max_tokens", 5},
                                                 {"temperature", 0}, {"reasoning_effort", "none"}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.json();
  EXPECT_EQ(j["object"], "chat.completion");
  EXPECT_EQ(j["id"].get<std::string>().rfind("chatcmpl-", 0), 0u);
  EXPECT_EQ(j["system_fingerprint"], "fp_ollama");
  EXPECT_EQ(j["model"], "tiny");
  EXPECT_EQ(j["choices"][0]["message"]["role"], "assistant");
  EXPECT_TRUE(j["choices"][0]["finish_reason"] == "length" || j["choices"][0]["finish_reason"] == "stop");
  EXPECT_LE(j["usage"]["completion_tokens"].get<int>(), 5);
  EXPECT_EQ(j["usage"]["total_tokens"].get<int>(),
            j["usage"]["prompt_tokens"].get<int>() + j["usage"]["completion_tokens"].get<int>());
}

TEST_F(OpenAIApi, ChatCompletionStreamingMatchesNonStreaming) {
  Json body = {{"model", "tiny"}, {"messages", kMessages}, {"max_tokens", 6}, {"temperature", 0}, {"reasoning_effort", "none"}};
  const std::string whole = s().post("/v1/chat/completions", body).json()["choices"][0]["message"]["content"];
  body["stream"] = true;
  body["stream_options"] = {{"include_usage", true}};
  auto r = s().post("/v1/chat/completions", body);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/event-stream");
  bool done = false;
  auto events = TestServer::sse(r.body, &done);
  EXPECT_TRUE(done);
  ASSERT_GE(events.size(), 3u);
  std::string text;
  for (std::size_t i = 0; i + 2 < events.size(); ++i) {
    EXPECT_EQ(events[i]["object"], "chat.completion.chunk");
    EXPECT_EQ(events[i]["choices"][0]["delta"]["role"], "assistant");
    EXPECT_TRUE(events[i]["choices"][0]["finish_reason"].is_null());
    text += events[i]["choices"][0]["delta"].value("content", "");
  }
  EXPECT_EQ(text, whole);
  const auto& finish = events[events.size() - 2];
  EXPECT_EQ(finish["choices"][0]["delta"], Json::object());
  EXPECT_FALSE(finish["choices"][0]["finish_reason"].is_null());
  const auto& usage = events.back();
  EXPECT_TRUE(usage["choices"].empty());
  EXPECT_GT(usage["usage"]["prompt_tokens"].get<int>(), 0);
  for (const auto& e : events) EXPECT_EQ(e["id"], events[0]["id"]);
}

TEST_F(OpenAIApi, Completions) {
  auto j = s().post("/v1/completions", Json{{"model", "plain"}, {"prompt", "Once"}, {"max_tokens", 4}, {"temperature", 0}}).json();
  EXPECT_EQ(j["object"], "text_completion");
  EXPECT_EQ(j["id"].get<std::string>().rfind("cmpl-", 0), 0u);
  EXPECT_TRUE(j["choices"][0]["text"].is_string());
  EXPECT_LE(j["usage"]["completion_tokens"].get<int>(), 4);
  bool done = false;
  auto events = TestServer::sse(s().post("/v1/completions", Json{{"model", "plain"}, {"prompt", "Once"}, {"max_tokens", 4},
                                                                 {"temperature", 0}, {"stream", true}}).body, &done);
  EXPECT_TRUE(done);
  std::string text;
  for (const auto& e : events) text += e["choices"][0]["text"].get<std::string>();
  EXPECT_EQ(text, j["choices"][0]["text"].get<std::string>());
  EXPECT_EQ(s().post("/v1/completions", Json{{"model", "plain"}, {"prompt", {1, 2}}}).status, 400);
}

TEST_F(OpenAIApi, EmbeddingsFloatAndBase64Agree) {
  auto f = s().post("/v1/embeddings", Json{{"model", "plain"}, {"input", {"a", "b"}}}).json();
  ASSERT_EQ(f["data"].size(), 2u);
  EXPECT_EQ(f["object"], "list");
  EXPECT_EQ(f["data"][1]["index"], 1);
  auto b = s().post("/v1/embeddings", Json{{"model", "plain"}, {"input", "a"}, {"encoding_format", "base64"}}).json();
  const auto bytes = base64_decode(b["data"][0]["embedding"].get<std::string>());
  ASSERT_TRUE(bytes);
  ASSERT_EQ(bytes->size(), f["data"][0]["embedding"].size() * 4);
  for (std::size_t i = 0; i < f["data"][0]["embedding"].size(); ++i) {
    float x;
    std::memcpy(&x, bytes->data() + i * 4, 4);
    EXPECT_FLOAT_EQ(x, f["data"][0]["embedding"][i].get<float>());
  }
  auto bad = s().post("/v1/embeddings", Json{{"model", "plain"}, {"input", "a"}, {"encoding_format", "hex"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json()["error"]["message"], "Invalid value for 'encoding_format' = hex. Supported values: ['float', 'base64'].");
  EXPECT_EQ(s().post("/v1/embeddings", Json{{"model", "plain"}, {"input", Json::array()}}).json()["error"]["message"],
            "invalid input");
}

TEST_F(OpenAIApi, ModelsAndErrors) {
  auto list = s().get("/v1/models").json();
  EXPECT_EQ(list["object"], "list");
  EXPECT_EQ(list["data"].size(), 3u);
  for (const auto& m : list["data"]) {
    EXPECT_EQ(m["object"], "model");
    EXPECT_EQ(m["owned_by"], "library");
  }
  auto one = s().get("/v1/models/tiny:latest");
  EXPECT_EQ(one.status, 200);
  EXPECT_EQ(one.json()["id"], "tiny:latest");
  auto missing = s().get("/v1/models/nope");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.json()["error"]["type"], "not_found_error");
  auto r = s().post("/v1/chat/completions", Json{{"model", "nope"}, {"messages", kMessages}});
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.json()["error"]["message"], "model 'nope' not found");
  r = s().post("/v1/chat/completions", Json{{"model", "tiny"}, {"messages", Json::array()}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()["error"]["message"], "[] is too short - 'messages'");
  EXPECT_EQ(r.json()["error"]["type"], "invalid_request_error");
  r = s().post("/v1/chat/completions",
               Json{{"model", "tiny"}, {"messages", {{{"role", "user"}, {"content", {{{"type", "image_url"}, {"image_url", {{"url", "https://x/y.png"}}}}}}}}}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()["error"]["message"], "image URLs are not currently supported, please use base64 encoded data instead");
}

}  // namespace
}  // namespace corral::server::test
