// Ollama's chatPrompt: render a chat through a prompt template, dropping the
// oldest messages (keeping every system message and always the last
// message) until the rendered prompt fits num_ctx tokens, then tagging
// images with [img-N] markers.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "template/prompt_data.h"
#include "template/prompt_template.h"

namespace corral::tmpl {

// Counts the tokens of a rendered prompt (the model's tokenizer).
using TokenCounter = std::function<std::size_t(const std::string& prompt)>;

struct ChatPromptOptions {
  std::size_t num_ctx = 4096;
  bool truncate = true;
  bool has_projector = false;  // vision model: each image counts 768 tokens
  bool tag_images = true;      // false when a built-in renderer handles images
};

struct ChatPrompt {
  std::string prompt;
  std::vector<std::string> images;  // image bytes in [img-N] order
  std::size_t first_message = 0;    // index of the first message kept
};

ChatPrompt chat_prompt(const PromptTemplate& tmpl, const std::vector<Message>& messages,
                       const std::vector<Tool>& tools, const ThinkSetting& think, const TokenCounter& count_tokens,
                       const ChatPromptOptions& options = {});

// Strips <think>...</think> spans from assistant messages before the last
// user message (what Ollama does for qwen3 / deepseek-r1 models).
std::vector<Message> strip_history_thinking(std::vector<Message> messages);

}  // namespace corral::tmpl
