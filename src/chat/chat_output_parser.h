// The per-request pipeline Ollama runs over generated text for Go-template
// models: thinking extraction first (when enabled), then tool-call
// extraction (when the request has tools) on the remaining content. Each
// chunk yields what can be sent now; held-back text comes out later or at
// finish().
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chat/thinking_parser.h"
#include "chat/tool_call_parser.h"

namespace corral::chat {

struct ChatDelta {
  std::string thinking;
  std::string content;
  std::vector<ToolCall> tool_calls;
  bool empty() const { return thinking.empty() && content.empty() && tool_calls.empty(); }
};

class ChatOutputParser {
 public:
  ChatOutputParser(std::optional<ThinkingParser> thinking, std::optional<ToolCallParser> tools);
  // As Ollama sets it up for a chat request on a Go template.
  static ChatOutputParser for_request(const tmpl::PromptTemplate& t, const std::vector<tmpl::Tool>& tools,
                                      const tmpl::ThinkSetting& think, std::string_view rendered_prompt,
                                      ToolCallIdSource ids = random_tool_call_id);

  ChatDelta add(std::string_view chunk);
  ChatDelta finish();

  bool parses_thinking() const { return thinking_.has_value(); }
  bool parses_tools() const { return tools_.has_value(); }

 private:
  std::optional<ThinkingParser> thinking_;
  std::optional<ToolCallParser> tools_;
};

}  // namespace corral::chat
