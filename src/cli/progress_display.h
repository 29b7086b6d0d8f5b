// ProgressDisplay: the block of status lines (spinners and bars) shown while
// a model is pulled, pushed, created or loaded. On a terminal it is redrawn
// in place every 100 ms (cursor up, rewrite, clear to end of line), like
// Ollama's progress package; elsewhere (a pipe, a log) each status is
// written once, as a plain line, when it starts and bars when they finish.
// Items are addressed by the id their add_* call returned. Thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "cli/progress_bar.h"
#include "cli/spinner.h"

namespace corral::cli {

class ProgressDisplay {
 public:
  using Clock = std::chrono::steady_clock;
  using Writer = std::function<void(const std::string&)>;

  // Draws on stderr; live when stderr is a terminal.
  ProgressDisplay();
  // For tests: `write` receives the bytes; `width`/`height` give the terminal size.
  ProgressDisplay(Writer write, bool live, std::function<int()> width, std::function<int()> height);
  ~ProgressDisplay();
  ProgressDisplay(const ProgressDisplay&) = delete;
  ProgressDisplay& operator=(const ProgressDisplay&) = delete;

  int add_spinner(const std::string& message);
  void set_spinner_message(int id, const std::string& message);
  void stop_spinner(int id);

  int add_bar(const std::string& message, std::int64_t total, std::int64_t completed);
  void set_bar(int id, std::int64_t completed);

  // Stops the spinners, draws the final state and ends the block with a newline.
  void stop();
  // Stops and erases every line drawn (for transient spinners).
  void stop_and_clear();

  bool live() const { return live_; }
  // Draws now (live mode); the render thread calls it every 100 ms.
  void render();

 private:
  struct Item {
    std::variant<Spinner, ProgressBar> state;
    bool printed = false;           // non-live: written already
    std::string printed_message;    // non-live: what was written for a spinner
  };

  void render_locked(Clock::time_point now);
  void print_plain_locked(Item& item, Clock::time_point now);
  void stop_thread();

  Writer write_;
  bool live_;
  std::function<int()> width_;
  std::function<int()> height_;
  std::mutex mu_;
  std::vector<Item> items_;
  int lines_drawn_ = 0;
  bool stopped_ = false;   // the render thread should end
  bool finished_ = false;  // stop() or stop_and_clear() ran
  std::condition_variable cv_;
  std::thread thread_;
};

}  // namespace corral::cli
