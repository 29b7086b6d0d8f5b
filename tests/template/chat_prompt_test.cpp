// History truncation to fit num_ctx (Ollama's chatPrompt), image markers,
// and stripping of old <think> blocks.
#include <gtest/gtest.h>

#include "template/chat_prompt.h"

namespace corral::tmpl {
namespace {

const char* kChatml =
    "{{- range .Messages }}<|im_start|>{{ .Role }}\n{{ .Content }}<|im_end|>\n{{ end }}<|im_start|>assistant\n";

std::size_t bytes(const std::string& s) { return s.size(); }

std::string turn(const std::string& role, const std::string& content) {
  return "<|im_start|>" + role + "\n" + content + "<|im_end|>\n";
}
const std::string kGen = "<|im_start|>assistant\n";

std::vector<Message> history() {
  return {{"system", "S"}, {"user", std::string(100, 'u')}, {"assistant", std::string(100, 'a')}, {"user", "last?"}};
}

TEST(ChatPrompt, FitsWithoutTruncation) {
  auto t = PromptTemplate::parse(kChatml);
  auto p = chat_prompt(t, history(), {}, {}, bytes, {100000});
  EXPECT_EQ(p.first_message, 0u);
  EXPECT_EQ(p.prompt, turn("system", "S") + turn("user", std::string(100, 'u')) + turn("assistant", std::string(100, 'a')) +
                          turn("user", "last?") + kGen);
}

TEST(ChatPrompt, DropsOldestTurnsButKeepsSystemAndLast) {
  auto t = PromptTemplate::parse(kChatml);
  const std::string keep_assistant = turn("system", "S") + turn("assistant", std::string(100, 'a')) + turn("user", "last?") + kGen;
  auto p = chat_prompt(t, history(), {}, {}, bytes, {keep_assistant.size()});
  EXPECT_EQ(p.first_message, 2u);
  EXPECT_EQ(p.prompt, keep_assistant);

  auto tiny = chat_prompt(t, history(), {}, {}, bytes, {1});
  EXPECT_EQ(tiny.first_message, 3u);
  EXPECT_EQ(tiny.prompt, turn("system", "S") + turn("user", "last?") + kGen);

  ChatPromptOptions off{1};
  off.truncate = false;
  EXPECT_EQ(chat_prompt(t, history(), {}, {}, bytes, off).first_message, 0u);
}

TEST(ChatPrompt, ImagesCountForVisionModelsAndGetMarkers) {
  auto t = PromptTemplate::parse(kChatml);
  std::vector<Message> msgs{{"user", "first"}, {"assistant", "ok"}, {"user", "look [img] here"}};
  msgs[0].images = {"IMG0", "IMG1"};
  msgs[2].images = {"IMG2"};
  auto p = chat_prompt(t, msgs, {}, {}, bytes, {100000});
  EXPECT_EQ(p.prompt, turn("user", "[img-0][img-1]first") + turn("assistant", "ok") + turn("user", "look [img-2] here") + kGen);
  EXPECT_EQ(p.images, (std::vector<std::string>{"IMG0", "IMG1", "IMG2"}));

  ChatPromptOptions vision{800};
  vision.has_projector = true;  // from message 1 on: one image (768) + ~86 bytes > 800, so only the last fits
  auto v = chat_prompt(t, msgs, {}, {}, bytes, vision);
  EXPECT_EQ(v.first_message, 2u);
  EXPECT_EQ(v.prompt, turn("user", "look [img-0] here") + kGen);
  EXPECT_EQ(v.images, std::vector<std::string>{"IMG2"});
}

TEST(ChatPrompt, StripsThinkingFromEarlierAssistantTurns) {
  auto out = strip_history_thinking({{"user", "q1"},
                                     {"assistant", "  <think>\nplan\n</think>\n\nanswer 1"},
                                     {"assistant", "no tags"},
                                     {"user", "q2"},
                                     {"assistant", "<think>kept: after the last user turn</think>x"}});
  EXPECT_EQ(out[1].content, "answer 1");
  EXPECT_EQ(out[2].content, "no tags");
  EXPECT_EQ(out[4].content, "<think>kept: after the last user turn</think>x");
}

}  // namespace
}  // namespace corral::tmpl
