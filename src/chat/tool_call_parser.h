// Streaming extraction of tool calls from model output, as Ollama's tools
// package does for Go-template models: text before the tool-call tag is
// content (a partial tag at the end of a chunk is held back); after the tag
// the earliest tool name is located and the first balanced JSON object
// that parses supplies the arguments (arguments / parameters / <tool name>
// members, nested objects, or the object itself). With the "{" or "["
// tags (no tag in the template) calls are parsed only when the output
// starts with that character, and unparsed text is returned at the end.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "chat/tool_call.h"
#include "template/prompt_template.h"

namespace corral::chat {

class ToolCallParser {
 public:
  // `tag`: see tmpl::infer_tool_call_tag; `tool_names`: the request's tools.
  ToolCallParser(std::string tag, std::vector<std::string> tool_names, ToolCallIdSource ids = random_tool_call_id);
  // The parser for a model's template and the request's tools.
  static ToolCallParser for_template(const tmpl::PromptTemplate& t, const std::vector<tmpl::Tool>& tools,
                                     ToolCallIdSource ids = random_tool_call_id);

  struct Output {
    std::string content;
    std::vector<ToolCall> calls;
  };
  // Feeds the next chunk of generated text.
  Output add(std::string_view chunk);
  // At the end of generation: content still held back (only for "{"/"["
  // tags when no call was parsed), as Ollama's Parser.Content().
  std::string finish();

  const std::string& tag() const { return tag_; }
  int calls_parsed() const { return n_; }

 private:
  enum class State { LookingForTag, ToolCalling, Done };

  // Scan state kept between chunks so that each byte is looked at once
  // (the buffer only changes at its end until a call is consumed).
  struct ObjectScan {
    std::size_t pos = 0;
    int braces = 0;
    bool in_string = false, escaped = false;
    std::ptrdiff_t start = -1;
    bool has_result = false;  // an object parsed: its arguments are final
    std::string arguments;    // "" = the object named no arguments
    std::size_t end = 0;      // index of its closing brace
  };
  struct BalanceScan {
    std::size_t pos = 0;
    int count = 0;
    bool in_string = false, escaped = false;
    bool balanced = false;
  };

  std::string tag_;
  std::vector<std::string> tools_;
  ToolCallIdSource ids_;
  State state_ = State::LookingForTag;
  std::string buffer_;
  int n_ = 0;
  std::size_t names_searched_ = 0;  // no tool name starts before this (when none found)
  const std::string* found_tool_ = nullptr;
  std::size_t found_end_ = 0;
  ObjectScan scan_;
  BalanceScan balance_;

  void consume(std::size_t n);  // drops n bytes from the buffer and resets the scans
  bool find_arguments(const std::string& tool);

  bool brace_tag() const { return tag_ == "{" || tag_ == "["; }
  std::pair<std::ptrdiff_t, bool> find_tag() const;
  bool parse_tool_call(ToolCall& out);
  bool done();
};

}  // namespace corral::chat
