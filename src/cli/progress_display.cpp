// ProgressDisplay drawing (see progress_display.h).
#include "cli/progress_display.h"

#include <unistd.h>

#include "cli/terminal.h"
#include "cli/text_width.h"

namespace corral::cli {

namespace {

void write_stderr(const std::string& s) {
  std::size_t off = 0;
  while (off < s.size()) {
    const auto n = ::write(2, s.data() + off, s.size() - off);
    if (n <= 0) return;
    off += static_cast<std::size_t>(n);
  }
}

}  // namespace

ProgressDisplay::ProgressDisplay()
    : ProgressDisplay(write_stderr, is_terminal(2), [] { return terminal_width(2); },
                      [] { return terminal_height(2); }) {}

ProgressDisplay::ProgressDisplay(Writer write, bool live, std::function<int()> width, std::function<int()> height)
    : write_(std::move(write)), live_(live), width_(std::move(width)), height_(std::move(height)) {
  if (live_) {
    thread_ = std::thread([this] {
      std::unique_lock lock(mu_);
      while (!stopped_) {
        cv_.wait_for(lock, std::chrono::milliseconds(100));
        if (!stopped_) render_locked(Clock::now());
      }
    });
  }
}

ProgressDisplay::~ProgressDisplay() { stop(); }

void ProgressDisplay::stop_thread() {
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

int ProgressDisplay::add_spinner(const std::string& message) {
  std::lock_guard lock(mu_);
  const auto now = Clock::now();
  items_.push_back({Spinner(message, now)});
  if (!live_) print_plain_locked(items_.back(), now);
  return static_cast<int>(items_.size()) - 1;
}

void ProgressDisplay::set_spinner_message(int id, const std::string& message) {
  std::lock_guard lock(mu_);
  if (auto* s = std::get_if<Spinner>(&items_.at(static_cast<std::size_t>(id)).state)) s->set_message(message);
}

void ProgressDisplay::stop_spinner(int id) {
  std::lock_guard lock(mu_);
  auto& item = items_.at(static_cast<std::size_t>(id));
  if (auto* s = std::get_if<Spinner>(&item.state)) {
    if (s->stopped()) return;
    s->stop();
    if (!live_) print_plain_locked(item, Clock::now());
  }
}

int ProgressDisplay::add_bar(const std::string& message, std::int64_t total, std::int64_t completed) {
  std::lock_guard lock(mu_);
  const auto now = Clock::now();
  items_.push_back({ProgressBar(message, total, completed, now)});
  if (!live_) print_plain_locked(items_.back(), now);
  return static_cast<int>(items_.size()) - 1;
}

void ProgressDisplay::set_bar(int id, std::int64_t completed) {
  std::lock_guard lock(mu_);
  auto& item = items_.at(static_cast<std::size_t>(id));
  if (auto* b = std::get_if<ProgressBar>(&item.state)) {
    const auto now = Clock::now();
    b->set(completed, now);
    if (!live_) print_plain_locked(item, now);
  }
}

// Plain output: a spinner's message when it first shows and again if it
// changed by the time it stops; a bar once, when it is complete.
void ProgressDisplay::print_plain_locked(Item& item, Clock::time_point now) {
  if (auto* s = std::get_if<Spinner>(&item.state)) {
    std::string msg = s->message();
    while (!msg.empty() && msg.back() == ' ') msg.pop_back();
    if (msg.empty() || msg == item.printed_message) return;
    if (item.printed && !s->stopped()) return;  // intermediate updates are not logged
    write_(msg + "\n");
    item.printed = true;
    item.printed_message = msg;
  } else if (auto* b = std::get_if<ProgressBar>(&item.state)) {
    if (item.printed || (!b->finished() && !finished_)) return;
    write_(b->render(0, now) + "\n");
    item.printed = true;
  }
}

void ProgressDisplay::render() {
  std::lock_guard lock(mu_);
  render_locked(Clock::now());
}

void ProgressDisplay::render_locked(Clock::time_point now) {
  if (!live_) return;
  int width = width_ ? width_() : 0;
  if (width <= 0) width = 80;
  int height = height_ ? height_() : 0;
  if (height <= 0) height = 24;

  std::string out = "\x1b[?2026h\x1b[?25l";
  for (int i = 1; i < lines_drawn_; ++i) out += "\x1b[A";
  out += "\x1b[1G";
  const std::size_t first = items_.size() > static_cast<std::size_t>(height) ? items_.size() - static_cast<std::size_t>(height) : 0;
  int drawn = 0;
  for (std::size_t i = first; i < items_.size(); ++i) {
    std::string line = std::visit(
        [&](const auto& state) {
          if constexpr (std::is_same_v<std::decay_t<decltype(state)>, Spinner>) return state.render(now);
          else return state.render(width, now);
        },
        items_[i].state);
    // A line as wide as the terminal would wrap and spoil the cursor arithmetic.
    out += truncate_to_width(line, static_cast<std::size_t>(width - 1));
    out += "\x1b[K";
    if (i + 1 < items_.size()) out += "\n";
    ++drawn;
  }
  out += "\x1b[?25h\x1b[?2026l";
  lines_drawn_ = drawn;
  write_(out);
}

void ProgressDisplay::stop() {
  stop_thread();
  std::lock_guard lock(mu_);
  if (finished_) return;
  finished_ = true;
  const auto now = Clock::now();
  for (auto& item : items_)
    if (auto* s = std::get_if<Spinner>(&item.state)) s->stop();
  if (live_) {
    if (!items_.empty()) {
      render_locked(now);
      write_("\n");
    }
    return;
  }
  for (auto& item : items_) print_plain_locked(item, now);
}

void ProgressDisplay::stop_and_clear() {
  stop_thread();
  std::lock_guard lock(mu_);
  if (finished_) return;
  finished_ = true;
  if (!live_ || lines_drawn_ == 0) return;
  std::string out = "\x1b[?25l";
  for (int i = 0; i < lines_drawn_; ++i) {
    if (i > 0) out += "\x1b[A";
    out += "\x1b[2K\x1b[1G";
  }
  out += "\x1b[?25h";
  write_(out);
  lines_drawn_ = 0;
}

}  // namespace corral::cli
