// Thinking then tool-call parsing of streamed output.
#include "chat/chat_output_parser.h"

namespace corral::chat {

ChatOutputParser::ChatOutputParser(std::optional<ThinkingParser> thinking, std::optional<ToolCallParser> tools)
    : thinking_(std::move(thinking)), tools_(std::move(tools)) {}

ChatOutputParser ChatOutputParser::for_request(const tmpl::PromptTemplate& t, const std::vector<tmpl::Tool>& tools,
                                               const tmpl::ThinkSetting& think, std::string_view rendered_prompt,
                                               ToolCallIdSource ids) {
  std::optional<ToolCallParser> tp;
  if (!tools.empty()) tp = ToolCallParser::for_template(t, tools, std::move(ids));
  return ChatOutputParser(ThinkingParser::for_request(t, think, rendered_prompt), std::move(tp));
}

ChatDelta ChatOutputParser::add(std::string_view chunk) {
  ChatDelta d;
  std::string content(chunk);
  if (thinking_) {
    auto out = thinking_->add(chunk);
    d.thinking = std::move(out.thinking);
    content = std::move(out.content);
  }
  if (tools_) {
    auto out = tools_->add(content);
    d.content = std::move(out.content);
    d.tool_calls = std::move(out.calls);
  } else {
    d.content = std::move(content);
  }
  return d;
}

ChatDelta ChatOutputParser::finish() {
  ChatDelta d;
  std::string content;
  if (thinking_) {
    auto out = thinking_->finish();
    d.thinking = std::move(out.thinking);
    content = std::move(out.content);
  }
  if (tools_) {
    if (!content.empty()) {
      auto out = tools_->add(content);
      d.content = std::move(out.content);
      d.tool_calls = std::move(out.calls);
    }
    d.content += tools_->finish();
  } else {
    d.content = std::move(content);
  }
  return d;
}

}  // namespace corral::chat
