// Rendering a chat through a model's Jinja chat_template the way Hugging
// Face's apply_chat_template does: messages as OpenAI-style dicts (tool
// calls with object arguments, thinking as reasoning_content), tools as
// JSON-schema dicts (None when absent), add_generation_prompt, the special
// tokens, and extra template kwargs such as enable_thinking.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "template/jinja/template.h"
#include "template/prompt_data.h"

namespace corral::tmpl {

struct JinjaChatOptions {
  bool add_generation_prompt = true;
  // bos_token, eos_token, ... as the tokenizer config names them.
  std::vector<std::pair<std::string, std::string>> special_tokens;
  // chat_template_kwargs: e.g. {"enable_thinking", false}.
  std::vector<std::pair<std::string, jinja::Value>> extra;
  jinja::RenderLimits limits;
};

jinja::Value jinja_messages(const std::vector<Message>& messages);
jinja::Value jinja_tools(const std::vector<Tool>& tools);  // None when empty

std::string render_jinja_chat(const jinja::Template& t, const std::vector<Message>& messages,
                              const std::vector<Tool>& tools, const JinjaChatOptions& options);
// Parses `chat_template` first (throws corral::Error on syntax errors).
std::string render_jinja_chat(std::string_view chat_template, const std::vector<Message>& messages,
                              const std::vector<Tool>& tools, const JinjaChatOptions& options);

}  // namespace corral::tmpl
