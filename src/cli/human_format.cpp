// Human-readable sizes and times (see human_format.h).
#include "cli/human_format.h"

#include <fmt/format.h>

#include <cmath>

namespace corral::cli {

namespace {

std::string scaled(double value, const char* unit, const char* sep) {
  if (value >= 10 || value == std::trunc(value)) return fmt::format("{}{}{}", static_cast<std::int64_t>(value), sep, unit);
  return fmt::format("{:.1f}{}{}", value, sep, unit);
}

}  // namespace

std::string human_bytes(std::int64_t b) {
  constexpr double kB = 1000, MB = kB * 1000, GB = MB * 1000, TB = GB * 1000;
  const double v = static_cast<double>(b);
  if (v >= TB) return scaled(v / TB, "TB", " ");
  if (v >= GB) return scaled(v / GB, "GB", " ");
  if (v >= MB) return scaled(v / MB, "MB", " ");
  if (v >= kB) return scaled(v / kB, "KB", " ");
  return fmt::format("{} B", b);
}

std::string human_number(std::uint64_t n) {
  const double v = static_cast<double>(n);
  if (n >= 1'000'000'000) {
    const double b = v / 1e9;
    return b == std::floor(b) ? fmt::format("{:.0f}B", b) : fmt::format("{:.1f}B", b);
  }
  if (n >= 1'000'000) {
    const double m = v / 1e6;
    return m == std::floor(m) ? fmt::format("{:.0f}M", m) : fmt::format("{:.2f}M", m);
  }
  if (n >= 1000) return fmt::format("{:.0f}K", v / 1e3);
  return std::to_string(n);
}

std::string human_duration(std::chrono::duration<double> d) {
  const auto seconds = static_cast<std::int64_t>(d.count());
  if (seconds < 1) return "Less than a second";
  if (seconds == 1) return "1 second";
  if (seconds < 60) return fmt::format("{} seconds", seconds);
  const auto minutes = seconds / 60;
  if (minutes == 1) return "About a minute";
  if (minutes < 60) return fmt::format("{} minutes", minutes);
  const auto hours = static_cast<std::int64_t>(std::llround(d.count() / 3600));
  if (hours == 1) return "About an hour";
  if (hours < 48) return fmt::format("{} hours", hours);
  if (hours < 24 * 7 * 2) return fmt::format("{} days", hours / 24);
  if (hours < 24 * 30 * 2) return fmt::format("{} weeks", hours / 24 / 7);
  if (hours < 24 * 365 * 2) return fmt::format("{} months", hours / 24 / 30);
  return fmt::format("{} years", hours / 24 / 365);
}

std::string human_time(std::chrono::system_clock::time_point t, std::chrono::system_clock::time_point now,
                       const std::string& zero_value) {
  using namespace std::chrono;
  if (t == system_clock::time_point{}) return zero_value;
  // In seconds: keep-alive "forever" puts times centuries ahead, past what
  // a nanosecond difference can hold.
  const auto delta = duration_cast<duration<double>>(now.time_since_epoch()) -
                     duration_cast<duration<double>>(t.time_since_epoch());
  if (delta.count() < -20.0 * 365 * 24 * 3600) return "Forever";
  if (delta.count() < 0) return human_duration(-delta) + " from now";
  return human_duration(delta) + " ago";
}

std::string short_duration(std::chrono::seconds d) {
  const auto s = d.count() < 0 ? 0 : d.count();
  if (s >= 100 * 3600) return "99h+";
  if (s >= 3600) return fmt::format("{}h{}m", s / 3600, (s / 60) % 60);
  if (s >= 60) return fmt::format("{}m{}s", s / 60, s % 60);
  return fmt::format("{}s", s);
}

}  // namespace corral::cli
