// InputAssembler: turns the lines typed at the REPL into messages, with
// Ollama's multi-line rules. A line starting with """ opens a block that
// ends at the first line ending with """ (the quotes are removed, text on
// the opening and closing lines is kept, lines are joined with "\n");
// """text""" on one line is a single message. `/set system """...` opens a
// block whose text becomes the system message. Lines starting with '/'
// outside a block are commands.
#pragma once

#include <string>
#include <string_view>

namespace corral::cli {

class InputAssembler {
 public:
  enum class Kind {
    need_more,  // inside a block: read another line (prompt "... ")
    message,    // a user message is complete (may be empty: nothing to send)
    system,     // a /set system block is complete
    command,    // a slash command line
  };
  struct Step {
    Kind kind;
    std::string text;
  };

  Step feed(std::string_view line);
  // `/set system <rest>`: rest may open a """ block; completes at once otherwise.
  Step begin_system(std::string_view rest);
  bool in_block() const { return mode_ != Mode::none; }
  // Drops a partly typed block (Ctrl-C).
  void reset();

 private:
  enum class Mode { none, prompt, system };
  Mode mode_ = Mode::none;
  std::string text_;
};

}  // namespace corral::cli
