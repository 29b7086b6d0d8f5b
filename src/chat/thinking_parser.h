// Streaming separation of thinking from content, as Ollama's thinking
// package does for Go-template models: leading whitespace is skipped; output
// that starts with the opening tag is thinking until the closing tag
// (partial closing tags are held back); whitespace after either tag is
// eaten; output that does not start with the opening tag is all content.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "template/prompt_data.h"
#include "template/prompt_template.h"

namespace corral::chat {

class ThinkingParser {
 public:
  ThinkingParser(std::string opening, std::string closing);

  // The parser Ollama uses for a request: only when thinking is enabled and
  // the template's thinking tags can be inferred. If the rendered prompt
  // already ends with the opening tag the parser starts inside thinking.
  static std::optional<ThinkingParser> for_request(const tmpl::PromptTemplate& t, const tmpl::ThinkSetting& think,
                                                   std::string_view rendered_prompt);

  struct Output {
    std::string thinking;
    std::string content;
  };
  Output add(std::string_view chunk);
  // End of output: text still held back (a partial tag), as content or
  // thinking depending on the state. (Ollama drops it.)
  Output finish();

  const std::string& opening() const { return opening_; }
  const std::string& closing() const { return closing_; }
  bool in_thinking() const { return state_ == State::StartedEatingWhitespace || state_ == State::Thinking; }

 private:
  enum class State { LookingForOpening, StartedEatingWhitespace, Thinking, DoneEatingWhitespace, Done };

  std::string opening_, closing_;
  State state_ = State::LookingForOpening;
  std::string acc_;
  std::size_t blank_prefix_ = 0;  // leading bytes of acc_ already known to be whitespace

  bool eat(Output& out);
};

}  // namespace corral::chat
