// OutputParser: the server's view of src/chat's output parsing. It splits a
// model's streamed text into content, thinking (between the template's
// thinking tags) and tool calls (after the template's tool-call tag), and
// turns the calls into api::ToolCall (arguments as a JSON object, key order
// kept). The set-up follows Ollama: thinking only when enabled and the tags
// can be inferred from the template; tool calls only when the request has
// tools.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "api/types.h"
#include "template/prompt_data.h"
#include "template/prompt_template.h"

namespace corral::chat {
class ChatOutputParser;
}

namespace corral::server {

struct ParsedOutput {
  std::string content;
  std::string thinking;
  std::vector<api::ToolCall> tool_calls;
  bool empty() const { return content.empty() && thinking.empty() && tool_calls.empty(); }
};

struct OutputParserConfig {
  std::shared_ptr<const tmpl::PromptTemplate> prompt_template;  // null: pass-through
  std::vector<tmpl::Tool> tools;
  tmpl::ThinkSetting think;
  std::string rendered_prompt;
};

class OutputParser {
 public:
  explicit OutputParser(const OutputParserConfig& config);
  ~OutputParser();
  OutputParser(const OutputParser&) = delete;
  OutputParser& operator=(const OutputParser&) = delete;

  ParsedOutput push(std::string_view text);
  // End of output: whatever is held back.
  ParsedOutput finish();

 private:
  std::unique_ptr<chat::ChatOutputParser> parser_;
};

}  // namespace corral::server
