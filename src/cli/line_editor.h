// LineEditor: reads one line from the terminal with editing and history
// (libedit's native API, emacs key bindings: Ctrl-A/E, Alt-B/F, Ctrl-K,
// Ctrl-U (kill to start), Ctrl-W (kill word), Ctrl-L (clear), arrows for
// history). Ctrl-C ends the read as `interrupted` and tells whether the line
// had text (the caller prints Ollama's hint on an empty one); Ctrl-D on an
// empty line is `eof`. Pasting several lines (the terminal's bracketed paste)
// ends the read with the typed text plus the pasted lines, marked `pasted`: the
// message goes on in the next read. Needs an InterruptScope (SIGINT must
// interrupt the read) and a UTF-8 locale (terminal.h).
#pragma once

#include <memory>
#include <string>

#include "cli/line_history.h"

namespace corral::cli {

class LineEditor {
 public:
  explicit LineEditor(LineHistory& history);
  ~LineEditor();
  LineEditor(const LineEditor&) = delete;
  LineEditor& operator=(const LineEditor&) = delete;

  enum class Status { line, interrupted, eof };
  struct Input {
    Status status = Status::eof;
    std::string text;        // the line, without its newline (Status::line)
    bool had_text = false;   // Status::interrupted: the line was not empty
    bool pasted = false;     // Status::line: ends in pasted lines; the message continues
  };

  Input read(const std::string& prompt);
  // Adds an entered line to the history (memory and file).
  void remember(const std::string& line);

  struct Impl;  // public for libedit's C callbacks

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace corral::cli
