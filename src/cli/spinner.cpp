// Spinner rendering (see spinner.h).
#include "cli/spinner.h"

namespace corral::cli {

std::string Spinner::render(Clock::time_point now) const {
  std::string line = message_;
  while (!line.empty() && (line.back() == ' ' || line.back() == '\n')) line.pop_back();
  if (stopped_) return line;
  const auto steps = std::chrono::duration_cast<std::chrono::milliseconds>(now - started_).count() / 100;
  const std::size_t n = std::size(kFrames);
  if (!line.empty()) line += ' ';
  line += kFrames[static_cast<std::size_t>(steps < 0 ? 0 : steps) % n];
  return line;
}

}  // namespace corral::cli
