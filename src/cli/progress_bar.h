// ProgressBar: one transfer's bar as Ollama draws it,
//   "pulling dde5aa3fc5ff:  45% ▕████      ▏ 1.2 GB/2.0 GB   45 MB/s     18s"
// and, once complete, "pulling dde5aa3fc5ff: 100% ▕██████████▏ 2.0 GB".
// The rate averages the last ten one-second samples; the remaining time is
// (total - completed) / rate. Time is passed in, so rendering is pure.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>

namespace corral::cli {

class ProgressBar {
 public:
  using Clock = std::chrono::steady_clock;

  ProgressBar(std::string message, std::int64_t total, std::int64_t initial, Clock::time_point now);

  // Records the completed amount (clamped to total); the bar stops at total.
  void set(std::int64_t completed, Clock::time_point now);

  const std::string& message() const { return message_; }
  std::int64_t total() const { return total_; }
  std::int64_t completed() const { return current_; }
  bool finished() const { return stopped_.has_value(); }
  // 0..100.
  double percent() const;
  // Bytes per second (0 while unknown).
  double rate(Clock::time_point now) const;

  // The line for a terminal `width` columns wide. Below about 40 columns the
  // bar itself is left out.
  std::string render(int width, Clock::time_point now) const;

 private:
  struct Sample {
    Clock::time_point at;
    std::int64_t value;
  };
  std::string message_;
  std::int64_t total_;
  std::int64_t initial_;
  std::int64_t current_;
  Clock::time_point started_;
  std::optional<Clock::time_point> stopped_;
  std::deque<Sample> samples_;
};

}  // namespace corral::cli
