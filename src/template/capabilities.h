// Capabilities a chat template gives a model (Ollama's server/images.go):
// from a Go TEMPLATE (tools: uses .Tools; insert: uses .Suffix; thinking:
// thinking tags inferable) or from a GGUF Jinja chat_template (substring
// checks), and the rule that prefers the Jinja template over the Go one.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "template/prompt_template.h"

namespace corral::tmpl {

std::vector<std::string> go_template_capabilities(const PromptTemplate& t);
std::vector<std::string> chat_template_capabilities(std::string_view jinja);

bool chat_template_has_tool_support(std::string_view jinja);
bool chat_template_has_tool_round_trip(std::string_view jinja);
bool chat_template_has_thinking_support(std::string_view jinja);
bool go_template_has_tool_round_trip(const PromptTemplate& t);

// shouldPreferChatTemplate: use the GGUF Jinja template instead of the Go one.
bool should_prefer_chat_template(std::string_view jinja, const PromptTemplate& go_template);

}  // namespace corral::tmpl
