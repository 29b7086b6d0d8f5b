// The combined pipeline: thinking first, then tool calls on the remaining
// content, as a streamed chat response needs them.
#include <gtest/gtest.h>

#include "chat/chat_output_parser.h"
#include "streaming.h"

namespace corral::chat {
namespace {

const char* kTemplate =
    "{{- range .Messages }}<|im_start|>{{ .Role }}\n"
    "{{- if .Thinking }}<think>{{ .Thinking }}</think>{{ end }}"
    "{{- if .ToolCalls }}<tool_call>\n{{ range .ToolCalls }}{{ json .Function }}{{ end }}</tool_call>"
    "{{- else }}{{ .Content }}{{ end }}<|im_end|>\n{{ end }}<|im_start|>assistant\n";

TEST(ChatOutputParser, ThinkingThenToolCall) {
  auto t = tmpl::PromptTemplate::parse(kTemplate);
  tmpl::Tool tool;
  tool.function.name = "get_weather";
  const std::string output =
      "<think>I should call the tool.</think>\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>";
  for (const auto& chunks : test::all_chunkings(output, false)) {
    auto p = ChatOutputParser::for_request(t, {tool}, tmpl::ThinkSetting::from_bool(true), "...", [] { return std::string("call_x"); });
    ChatDelta all;
    for (const auto& c : chunks) {
      auto d = p.add(c);
      all.thinking += d.thinking;
      all.content += d.content;
      for (auto& tc : d.tool_calls) all.tool_calls.push_back(tc);
    }
    auto end = p.finish();
    all.content += end.content;
    all.thinking += end.thinking;
    ASSERT_EQ(all.thinking, "I should call the tool.") << test::describe(chunks);
    ASSERT_EQ(all.content, "") << test::describe(chunks);
    ASSERT_EQ(all.tool_calls.size(), 1u) << test::describe(chunks);
    EXPECT_EQ(all.tool_calls[0].arguments, "{\"city\":\"Paris\"}");
    EXPECT_EQ(all.tool_calls[0].id, "call_x");
  }
}

TEST(ChatOutputParser, PassThroughWithoutThinkingOrTools) {
  auto t = tmpl::PromptTemplate::parse(kTemplate);
  auto p = ChatOutputParser::for_request(t, {}, {}, "...");
  EXPECT_FALSE(p.parses_thinking());
  EXPECT_FALSE(p.parses_tools());
  EXPECT_EQ(p.add("<think>x</think>").content, "<think>x</think>");
  EXPECT_TRUE(p.finish().empty());
}

TEST(ChatOutputParser, ToolTagTextAfterThinkingWithoutTools) {
  auto t = tmpl::PromptTemplate::parse(kTemplate);
  auto p = ChatOutputParser::for_request(t, {}, tmpl::ThinkSetting::from_level("high"), "...");
  EXPECT_TRUE(p.parses_thinking());
  auto d = p.add("<think>a</think>b");
  EXPECT_EQ(d.thinking, "a");
  EXPECT_EQ(d.content, "b");
}

}  // namespace
}  // namespace corral::chat
