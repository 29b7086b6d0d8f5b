// ResponsePrinter: writes a streamed answer to the terminal. Thinking text
// comes first, between "Thinking..." and "...done thinking." (grey on a
// terminal; left out with --hidethinking); then the content, word-wrapped
// when asked. Tool calls the model made are shown as one line each, since
// the CLI offers no tools.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "api/types.h"
#include "cli/word_wrap.h"

namespace corral::cli {

class ResponsePrinter {
 public:
  using Writer = std::function<void(std::string_view)>;

  struct Style {
    bool colors = false;        // ANSI grey/bold for thinking
    int wrap_columns = 0;       // 0: no wrapping
    bool hide_thinking = false;
  };

  ResponsePrinter(Writer out, Style style);

  void thinking(std::string_view text);
  void content(std::string_view text);
  void tool_calls(const std::vector<api::ToolCall>& calls);
  // Writes held-back bytes.
  void finish();

  // True once anything was written.
  bool wrote() const { return wrote_; }
  // The content written so far ended with a newline (or nothing was written).
  bool at_line_start() const { return at_line_start_; }

 private:
  void close_thinking();
  void emit(std::string_view s);

  Writer out_;
  Style style_;
  WordWrapper wrap_;
  bool thinking_open_ = false;
  bool thinking_done_ = false;
  bool thinking_ended_with_newline_ = true;
  bool wrote_ = false;
  bool at_line_start_ = true;
};

// stdout writer (fwrite + fflush).
void write_stdout(std::string_view s);

}  // namespace corral::cli
