// TerminalSession: a program running in a real terminal (a detached tmux
// session on a private socket) that a test types into and whose screen it
// reads, as a person would see it. Skips when tmux is not installed.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "testutil/temp_dir.h"

namespace corral::test {

class TerminalSession {
 public:
  static bool available();

  TerminalSession(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env, int width = 100,
                  int height = 40);
  ~TerminalSession();
  TerminalSession(const TerminalSession&) = delete;
  TerminalSession& operator=(const TerminalSession&) = delete;

  // Types text literally (no Enter).
  void type(const std::string& text);
  // Pastes text as a terminal does (bracketed when the program asked for it).
  void paste(const std::string& text);
  // Named keys: "Enter", "C-c", "C-d", "Up", ...
  void key(const std::string& name);
  void line(const std::string& text) {
    type(text);
    key("Enter");
  }

  // The screen and its scrollback, one string per row, trailing spaces removed.
  std::vector<std::string> screen() const;
  std::string screen_text() const;
  // Waits until `pred(screen_text())` holds; returns false on timeout.
  bool wait_for(const std::function<bool(const std::string&)>& pred,
                std::chrono::milliseconds timeout = std::chrono::seconds(60)) const;
  bool wait_for_text(const std::string& text, std::chrono::milliseconds timeout = std::chrono::seconds(60)) const {
    return wait_for([&](const std::string& s) { return s.find(text) != std::string::npos; }, timeout);
  }
  // Waits for an empty input prompt: a row that is exactly `prompt` once its
  // trailing spaces are gone (">>>" for ">>> ").
  bool wait_for_prompt(const std::string& prompt = ">>>",
                       std::chrono::milliseconds timeout = std::chrono::seconds(60)) const {
    return wait_for([&](const std::string& s) { return ("\n" + s).find("\n" + prompt + "\n") != std::string::npos; },
                    timeout);
  }
  // True once the program has exited.
  bool exited() const;

 private:
  std::string tmux(const std::vector<std::string>& args) const;
  TempDir dir_;
  std::string socket_;
};

// Counts the occurrences of `needle` in `hay`.
std::size_t count_of(const std::string& hay, const std::string& needle);

}  // namespace corral::test

#define CORRAL_TERMINAL_OR_SKIP()                                                                    \
  if (!::corral::test::TerminalSession::available())                                                \
  GTEST_SKIP() << "tmux is not installed (the terminal tests drive corral through it)"
