// Request parsing (defaults, aliases, Go's error texts) and response JSON
// (field order, omitempty) of src/api, against hand-written Ollama JSON.
#include <gtest/gtest.h>

#include "api/json_fields.h"
#include "api/options.h"
#include "api/requests.h"
#include "api/responses.h"
#include "api/status_error.h"
#include "api/time_format.h"

namespace corral::api {
namespace {

Json J(const char* s) { return Json::parse(s); }

std::string error_of(const std::function<void()>& f, int* status = nullptr) {
  try {
    f();
  } catch (const StatusError& e) {
    if (status) *status = e.status();
    return e.what();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(Requests, GenerateDefaultsAndFields) {
  auto r = parse_generate_request(J(R"({"model":"m","prompt":"hi"})"));
  EXPECT_EQ(r.model, "m");
  EXPECT_TRUE(r.stream);
  EXPECT_FALSE(r.raw);
  EXPECT_FALSE(r.keep_alive);
  EXPECT_FALSE(r.format.is_set());
  r = parse_generate_request(J(R"({"model":"m","stream":false,"raw":true,"format":"json","keep_alive":"1m",
      "context":[1,2,3],"think":"high","top_logprobs":5,"_debug_render_only":true,"options":{"num_ctx":64},
      "unknown":{"ignored":true}})"));
  EXPECT_FALSE(r.stream);
  EXPECT_TRUE(r.raw);
  EXPECT_EQ(r.format.kind, Format::Kind::json);
  EXPECT_EQ(r.keep_alive->value, std::chrono::minutes(1));
  EXPECT_EQ(*r.context, (std::vector<std::int32_t>{1, 2, 3}));
  EXPECT_EQ(r.think.level, "high");
  EXPECT_EQ(r.top_logprobs, 5);
  EXPECT_TRUE(r.debug_render_only);
  EXPECT_EQ(r.options["num_ctx"], 64);
}

TEST(Requests, GoUnmarshalErrors) {
  int status = 0;
  EXPECT_EQ(error_of([] { parse_generate_request(J(R"({"model":"m","prompt":5})")); }, &status),
            "json: cannot unmarshal number into Go struct field GenerateRequest.prompt of type string");
  EXPECT_EQ(status, 400);
  EXPECT_EQ(error_of([] { parse_generate_request(J(R"([1])")); }),
            "json: cannot unmarshal array into Go value of type api.GenerateRequest");
  EXPECT_EQ(error_of([] { parse_chat_request(J(R"({"model":"m","stream":"yes"})")); }),
            "json: cannot unmarshal string into Go struct field ChatRequest.stream of type bool");
  EXPECT_EQ(error_of([] { parse_generate_request(J(R"({"model":"m","keep_alive":"3600"})")); }, &status),
            "time: missing unit in duration \"3600\"");
  EXPECT_EQ(status, 400);
  EXPECT_EQ(error_of([] { parse_generate_request(J(R"({"model":"m","top_logprobs":21})")); }),
            "top_logprobs must be between 0 and 20");
  EXPECT_EQ(error_of([] { parse_generate_request(J(R"({"model":"m","format":"yaml"})")); }),
            "invalid format: \"yaml\"; expected \"json\" or a valid JSON Schema object");
  EXPECT_EQ(error_of([] { parse_chat_request(J(R"({"model":"m","think":"extreme"})")); }),
            "invalid think value: \"extreme\" (must be \"high\", \"medium\", \"low\", \"max\", true, or false)");
  EXPECT_EQ(error_of([] { parse_embed_request(J(R"({"model":"m","input":[1,2]})")); }), "invalid input type");
  EXPECT_EQ(error_of([] { parse_generate_request(J(R"({"model":"m","images":["!!!"]})")); }),
            "illegal base64 data at input byte 0");
  EXPECT_EQ(error_of([] { parse_body(""); }, &status), "missing request body");
  EXPECT_EQ(status, 400);
  EXPECT_NE(error_of([] { parse_body("{bad"); }).find("invalid JSON"), std::string::npos);
}

TEST(Requests, NullKeepsDefaultsAndAliases) {
  auto r = parse_generate_request(J(R"({"model":"m","prompt":null,"stream":null,"format":null})"));
  EXPECT_EQ(r.prompt, "");
  EXPECT_TRUE(r.stream);
  EXPECT_FALSE(r.format.is_set());
  EXPECT_EQ(parse_show_request(J(R"({"name":"legacy"})")).model, "legacy");
  EXPECT_EQ(parse_delete_request(J(R"({"name":"x"})")).model, "x");
  EXPECT_EQ(parse_pull_request(J(R"({"name":"x","insecure":true})")).model, "x");
  EXPECT_EQ(parse_embed_request(J(R"({"model":"m","input":""})")).input.size(), 0u);
  EXPECT_EQ(parse_embed_request(J(R"({"model":"m","input":"a"})")).input, std::vector<std::string>{"a"});
}

TEST(Requests, ChatMessagesWithToolCalls) {
  auto r = parse_chat_request(J(R"({"model":"m","messages":[{"role":"USER","content":"hi"},
    {"role":"assistant","content":"","tool_calls":[{"function":{"name":"f","arguments":{"b":1,"a":2}}}]},
    {"role":"tool","content":"3","tool_name":"f"}],"tools":[{"type":"function","function":{"name":"f"}}]})"));
  ASSERT_EQ(r.messages.size(), 3u);
  EXPECT_EQ(r.messages[0].role, "user");
  ASSERT_EQ(r.messages[1].tool_calls.size(), 1u);
  EXPECT_EQ(r.messages[1].tool_calls[0].arguments.dump(), R"({"b":1,"a":2})");  // order kept
  EXPECT_EQ(r.messages[2].tool_name, "f");
  EXPECT_TRUE(r.tools.is_array());
}

TEST(Responses, GenerateFieldOrderAndOmitEmpty) {
  GenerateResponse g;
  g.model = "m";
  g.created_at = *parse_time("2025-10-26T17:15:24.097767Z");
  g.response = "";
  Json j = to_json(g);
  EXPECT_EQ(j.dump(), R"({"model":"m","created_at":"2025-10-26T17:15:24.097767Z","response":"","done":false})");
  g.done = true;
  g.done_reason = "stop";
  g.context = std::vector<std::int32_t>{1, 2};
  g.metrics.total_duration = 10;
  g.metrics.eval_count = 3;
  EXPECT_EQ(to_json(g).dump(),
            R"({"model":"m","created_at":"2025-10-26T17:15:24.097767Z","response":"","done":true,"done_reason":"stop",)"
            R"("context":[1,2],"total_duration":10,"eval_count":3})");
}

TEST(Responses, ChatPutsDoneReasonBeforeDone) {
  ChatResponse c;
  c.model = "m";
  c.created_at = *parse_time("2024-01-01T00:00:00Z");
  c.message.role = "assistant";
  c.done = true;
  c.done_reason = "load";
  EXPECT_EQ(to_json(c).dump(), R"({"model":"m","created_at":"2024-01-01T00:00:00Z","message":{"role":"assistant","content":""},)"
                               R"("done_reason":"load","done":true})");
  c.message.tool_calls.push_back(ToolCall{"call_1", 0, "f", Json::parse(R"({"x":1})")});
  EXPECT_EQ(to_json(c)["message"]["tool_calls"].dump(), R"([{"id":"call_1","function":{"name":"f","arguments":{"x":1}}}])");
}

TEST(Responses, ClientSideRoundTrip) {
  GenerateResponse g;
  g.model = "m";
  g.created_at = *parse_time("2025-10-26T17:15:24.5Z");
  g.response = "hi";
  g.done = true;
  g.metrics.eval_count = 7;
  const auto back = parse_generate_response(to_json(g));
  EXPECT_EQ(back.response, "hi");
  EXPECT_EQ(back.metrics.eval_count, 7);
  EXPECT_EQ(back.created_at, g.created_at);
  EXPECT_EQ(response_error(J(R"({"error":"boom"})")), "boom");
  EXPECT_EQ(response_error(J(R"({"error":{"message":"oa"}})")), "oa");
}

TEST(TimeFormat, Rfc3339Nano) {
  const auto t = *parse_time("2024-06-04T14:38:31.83753-07:00");
  EXPECT_EQ(format_time_utc(t), "2024-06-04T21:38:31.83753Z");
  EXPECT_FALSE(parse_time("2024-06-04 14:38"));
  EXPECT_FALSE(parse_time("2024-13-01T00:00:00Z"));
}

TEST(Options, TypedWithOllamaErrors) {
  ModelOptions o;
  apply_options(J(R"({"num_ctx":64.9,"temperature":0,"stop":["a","b"],"use_mmap":false,"typo_key":1,"seed":null})"), o);
  EXPECT_EQ(o.load.num_ctx, 64);
  EXPECT_EQ(o.sampling.temperature, 0.0f);
  EXPECT_EQ(o.sampling.stop, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(o.load.use_mmap, false);
  EXPECT_EQ(o.sampling.seed, -1);
  EXPECT_EQ(error_of([&] { apply_options(J(R"({"num_ctx":"x"})"), o); }), "option \"num_ctx\" must be of type integer");
  EXPECT_EQ(error_of([&] { apply_options(J(R"({"temperature":"hot"})"), o); }),
            "option \"temperature\" must be of type float32");
  EXPECT_EQ(error_of([&] { apply_options(J(R"({"stop":"x"})"), o); }), "option \"stop\" must be of type array");
  EXPECT_EQ(error_of([&] { apply_options(J(R"({"stop":[1]})"), o); }), "option \"stop\" must be of an array of strings");
  EXPECT_EQ(unknown_option_keys(J(R"({"ctx_num":1,"top_k":2})")), std::vector<std::string>{"ctx_num"});
}

}  // namespace
}  // namespace corral::api
