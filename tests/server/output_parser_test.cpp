// The server's output-parser adapter over src/chat: set-up from a template,
// tools and think (thinking tags and tool-call tag inferred from the
// template), tool calls turned into API calls with object arguments,
// pass-through without a template. Fed in pieces of every size.
#include <gtest/gtest.h>

#include "server/output_parser.h"
#include "template/request_json.h"

namespace corral::server {
namespace {

const char* kTemplate =
    "{{- range .Messages }}<|{{ .Role }}|>{{ if .Thinking }}<think>{{ .Thinking }}</think>{{ end }}{{ .Content }}"
    "{{ if .ToolCalls }}<tool_call>{{ range .ToolCalls }}{{ .Function.Name }}{{ end }}</tool_call>{{ end }}{{ end }}"
    "{{ if .Tools }}{{ .Tools }}{{ end }}<|assistant|>";

OutputParserConfig config(bool think, bool tools) {
  OutputParserConfig c;
  c.prompt_template = std::make_shared<tmpl::PromptTemplate>(tmpl::PromptTemplate::parse(kTemplate));
  c.think = tmpl::ThinkSetting::from_bool(think);
  if (tools)
    c.tools = tmpl::tools_from_json(nlohmann::ordered_json::parse(
        R"([{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}])"));
  c.rendered_prompt = "<|user|>hi<|assistant|>";
  return c;
}

ParsedOutput run(const OutputParserConfig& cfg, const std::string& text, std::size_t piece) {
  OutputParser p(cfg);
  ParsedOutput all;
  auto add = [&](ParsedOutput o) {
    all.content += o.content;
    all.thinking += o.thinking;
    for (auto& c : o.tool_calls) all.tool_calls.push_back(std::move(c));
  };
  for (std::size_t i = 0; i < text.size(); i += piece) add(p.push(std::string_view(text).substr(i, piece)));
  add(p.finish());
  return all;
}

TEST(OutputParser, ThinkingAndToolCallsFromTheTemplate) {
  const std::string text =
      "<think>need the weather</think>Checking.<tool_call>{\"name\": \"get_weather\", \"arguments\": {\"city\": "
      "\"Paris\", \"days\": 2}}</tool_call>";
  for (std::size_t piece : {1u, 3u, 1000u}) {
    auto o = run(config(true, true), text, piece);
    EXPECT_EQ(o.thinking, "need the weather") << piece;
    EXPECT_EQ(o.content, "Checking.") << piece;
    ASSERT_EQ(o.tool_calls.size(), 1u) << piece;
    EXPECT_EQ(o.tool_calls[0].name, "get_weather");
    EXPECT_TRUE(o.tool_calls[0].arguments.is_object());
    EXPECT_EQ(o.tool_calls[0].arguments["city"], "Paris");
    EXPECT_EQ(o.tool_calls[0].arguments.begin().key(), "city");  // order kept
    EXPECT_EQ(o.tool_calls[0].id.rfind("call_", 0), 0u);
  }
}

TEST(OutputParser, ThinkOffAndNoToolsLeaveTextAlone) {
  const std::string text = "<think>x</think>y<tool_call>{\"name\":\"get_weather\"}</tool_call>";
  auto o = run(config(false, false), text, 2);
  EXPECT_EQ(o.content, text);
  EXPECT_EQ(o.thinking, "");
  EXPECT_TRUE(o.tool_calls.empty());
}

TEST(OutputParser, NoTemplateIsPassThrough) {
  auto o = run(OutputParserConfig{}, "<think>a</think>b", 1);
  EXPECT_EQ(o.content, "<think>a</think>b");
}

}  // namespace
}  // namespace corral::server
