// ProgressBar rendering and rate estimate (see progress_bar.h).
#include "cli/progress_bar.h"

#include <fmt/format.h>

#include <cmath>

#include "cli/human_format.h"
#include "cli/text_width.h"

namespace corral::cli {

namespace {

constexpr std::size_t kMaxSamples = 10;

std::string pad_left(const std::string& s, std::size_t width) {
  const auto w = display_width(s);
  return w >= width ? s : std::string(width - w, ' ') + s;
}

std::string repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

double round_seconds(ProgressBar::Clock::duration d) {
  return std::round(std::chrono::duration<double>(d).count());
}

}  // namespace

ProgressBar::ProgressBar(std::string message, std::int64_t total, std::int64_t initial, Clock::time_point now)
    : message_(std::move(message)), total_(total), initial_(initial), current_(initial), started_(now) {
  if (initial_ >= total_) stopped_ = now;
}

void ProgressBar::set(std::int64_t completed, Clock::time_point now) {
  if (completed >= total_) completed = total_;
  current_ = completed;
  if (current_ >= total_ && !stopped_) stopped_ = now;
  if (samples_.empty() || now - samples_.back().at > std::chrono::seconds(1)) {
    samples_.push_back({now, completed});
    if (samples_.size() > kMaxSamples) samples_.pop_front();
  }
}

double ProgressBar::percent() const {
  if (total_ <= 0) return 0;
  return static_cast<double>(current_) / static_cast<double>(total_) * 100.0;
}

double ProgressBar::rate(Clock::time_point) const {
  double amount = 0, seconds = 0;
  if (stopped_) {
    amount = static_cast<double>(current_ - initial_);
    seconds = round_seconds(*stopped_ - started_);
  } else if (samples_.size() == 1) {
    amount = static_cast<double>(samples_.front().value - initial_);
    seconds = round_seconds(samples_.front().at - started_);
  } else if (samples_.size() > 1) {
    amount = static_cast<double>(samples_.back().value - samples_.front().value);
    seconds = round_seconds(samples_.back().at - samples_.front().at);
  }
  return seconds > 0 ? amount / seconds : 0;
}

std::string ProgressBar::render(int width, Clock::time_point now) const {
  std::string pre;
  if (!message_.empty()) pre = message_ + " ";
  pre += fmt::format("{:3.0f}%", percent());

  std::string suf;
  const double r = rate(now);
  const bool running = !stopped_;
  if (running) {
    suf += pad_left(human_bytes(current_), 6) + "/" + pad_left(human_bytes(total_), 6);
  } else {
    suf += pad_left(human_bytes(total_), 6) + std::string(7, ' ');
  }
  if (running && r > 0) {
    suf += "  " + pad_left(human_bytes(static_cast<std::int64_t>(r)), 6) + "/s";
    const auto remaining = std::chrono::seconds(static_cast<std::int64_t>(static_cast<double>(total_ - current_) / r));
    suf += "  " + pad_left(short_duration(remaining), 6);
  } else {
    suf += std::string(18, ' ');
  }

  // Two bar ends plus a space on each side.
  const int room = width - static_cast<int>(display_width(pre)) - static_cast<int>(display_width(suf)) - 5;
  std::string line = pre;
  if (room >= 10) {
    const int filled = std::min(room, static_cast<int>(room * percent() / 100.0));
    line += " ▕" + repeat("█", filled) + std::string(static_cast<std::size_t>(room - filled), ' ') + "▏ ";
  } else {
    line += " ";
  }
  line += suf;
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line;
}

}  // namespace corral::cli
