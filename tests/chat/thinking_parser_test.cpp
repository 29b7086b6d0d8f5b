// Streaming thinking extraction (Ollama's thinking parser): opening/closing
// tags, whitespace eating, held-back partial tags, output without thinking,
// the pre-opened prompt, tag inference, and chunking independence.
#include <gtest/gtest.h>

#include "chat/thinking_parser.h"
#include "streaming.h"

namespace corral::chat {
namespace {

struct Result {
  std::string thinking, content;
};

Result run(ThinkingParser p, const std::vector<std::string>& chunks, bool finish = true) {
  Result r;
  for (const auto& c : chunks) {
    auto o = p.add(c);
    r.thinking += o.thinking;
    r.content += o.content;
  }
  if (finish) {
    auto o = p.finish();
    r.thinking += o.thinking;
    r.content += o.content;
  }
  return r;
}

void expect_all_chunkings(const ThinkingParser& p, const std::string& output, const std::string& thinking,
                          const std::string& content) {
  for (const auto& chunks : test::all_chunkings(output)) {
    Result r = run(p, chunks);
    ASSERT_EQ(r.thinking, thinking) << test::describe(chunks);
    ASSERT_EQ(r.content, content) << test::describe(chunks);
  }
}

const ThinkingParser kThink("<think>", "</think>");

TEST(ThinkingParser, SplitsThinkingFromContent) {
  expect_all_chunkings(kThink, "<think>Let me think.</think>The answer is 4.", "Let me think.", "The answer is 4.");
  expect_all_chunkings(kThink, "  \n<think>\n\nreasoning\n</think>\n\n  answer", "reasoning\n", "answer");
}

TEST(ThinkingParser, OutputWithoutOpeningTagIsAllContent) {
  expect_all_chunkings(kThink, "  Hello <think>not thinking</think>", "", "  Hello <think>not thinking</think>");
}

TEST(ThinkingParser, UnclosedThinkingAndHeldBackTags) {
  expect_all_chunkings(kThink, "<think>still thinking", "still thinking", "");
  ThinkingParser p = kThink;
  auto o = p.add("<think>abc</thi");
  EXPECT_EQ(o.thinking, "abc");
  EXPECT_EQ(o.content, "");
  EXPECT_EQ(p.finish().thinking, "</thi");  // released at the end
  ThinkingParser q = kThink;
  EXPECT_EQ(q.add("<thi").content, "");
  EXPECT_EQ(q.add("s is content").content, "<this is content");
}

TEST(ThinkingParser, PreOpenedByThePrompt) {
  ThinkingParser p = kThink;
  p.add("<think>");
  EXPECT_TRUE(p.in_thinking());
  expect_all_chunkings(p, "reasoning</think>answer", "reasoning", "answer");
  expect_all_chunkings(p, "\n\n</think>\n\nanswer", "", "answer");
}

const char* kThinkingTemplate =
    "{{- range .Messages }}{{ if eq .Role \"assistant\" }}<|im_start|>assistant\n"
    "{{ if .Thinking }}<think>{{ .Thinking }}</think>{{ end }}{{ .Content }}<|im_end|>\n"
    "{{ else }}<|im_start|>{{ .Role }}\n{{ .Content }}<|im_end|>\n{{ end }}{{ end }}<|im_start|>assistant\n"
    "{{ if and .IsThinkSet (not .Think) }}<think>\n\n</think>\n\n{{ else }}<think>\n{{ end }}";

TEST(ThinkingParser, ForRequestFollowsTemplateAndThinkSetting) {
  auto t = tmpl::PromptTemplate::parse(kThinkingTemplate);
  tmpl::ThinkSetting on = tmpl::ThinkSetting::from_bool(true);
  EXPECT_FALSE(ThinkingParser::for_request(t, tmpl::ThinkSetting::from_bool(false), "x").has_value());
  EXPECT_FALSE(ThinkingParser::for_request(t, {}, "x").has_value());
  auto p = ThinkingParser::for_request(t, on, "<|im_start|>assistant\n<think>\n");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->opening(), "<think>");
  EXPECT_EQ(p->closing(), "</think>");
  EXPECT_TRUE(p->in_thinking());
  auto o = p->add("plan</think>done");
  EXPECT_EQ(o.thinking, "plan");
  EXPECT_EQ(o.content, "done");
  auto plain = tmpl::PromptTemplate::parse("{{ range .Messages }}{{ .Content }}{{ end }}");
  EXPECT_FALSE(ThinkingParser::for_request(plain, on, "x").has_value());
}

TEST(ThinkingParser, OtherTagPairs) {
  ThinkingParser p("<|begin_of_thought|>", "<|end_of_thought|>");
  expect_all_chunkings(p, "<|begin_of_thought|>a < b<|end_of_thought|> yes", "a < b", "yes");
}

}  // namespace
}  // namespace corral::chat
