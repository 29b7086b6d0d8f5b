// Spinner: a status line with a turning braille frame ("pulling manifest ⠙"),
// the frame chosen from the time since it started (one step per 100 ms).
// A stopped spinner renders its message alone. Time is passed in.
#pragma once

#include <chrono>
#include <string>

namespace corral::cli {

class Spinner {
 public:
  using Clock = std::chrono::steady_clock;

  Spinner(std::string message, Clock::time_point now) : message_(std::move(message)), started_(now) {}

  void set_message(std::string message) { message_ = std::move(message); }
  const std::string& message() const { return message_; }
  void stop() { stopped_ = true; }
  bool stopped() const { return stopped_; }

  std::string render(Clock::time_point now) const;

  static constexpr const char* kFrames[] = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};

 private:
  std::string message_;
  Clock::time_point started_;
  bool stopped_ = false;
};

}  // namespace corral::cli
