// Go durations as Ollama's API carries them: keep_alive is a JSON number
// (seconds, may be fractional) or a string in time.ParseDuration syntax
// ("5m", "1h30m", "-1s", "0"); any negative value means "forever". The
// OLLAMA_KEEP_ALIVE variable additionally accepts bare integer seconds.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace corral::api {

// A keep-alive time. `forever` for negative inputs; otherwise a non-negative
// number of nanoseconds (0 = unload as soon as idle).
struct KeepAlive {
  std::chrono::nanoseconds value{0};
  bool forever = false;

  static KeepAlive from(std::chrono::nanoseconds d) {
    return d.count() < 0 ? KeepAlive{std::chrono::nanoseconds(0), true} : KeepAlive{d, false};
  }
  static KeepAlive never_expires() { return KeepAlive{std::chrono::nanoseconds(0), true}; }
  bool is_zero() const { return !forever && value.count() == 0; }
  bool operator==(const KeepAlive&) const = default;
};

// Go's time.ParseDuration. Errors: `time: invalid duration "x"`,
// `time: missing unit in duration "3600"`, `time: unknown unit "q" in duration "1q"`.
std::chrono::nanoseconds parse_go_duration(std::string_view s);

// Go's Duration.String(): "5m0s", "1h30m0s", "300ms", "0s".
std::string format_go_duration(std::chrono::nanoseconds d);

// api.Duration.UnmarshalJSON: number = seconds, string = Go duration; other
// types: `Unsupported type: 'bool'`.
KeepAlive keep_alive_from_json(const nlohmann::ordered_json& j);

// The JSON Ollama clients send for a keep-alive: a Go duration string, or -1.
nlohmann::ordered_json keep_alive_to_json(const KeepAlive& k);

// OLLAMA_KEEP_ALIVE: integer seconds or a Go duration; unparsable values give
// the default (5m) with a warning, as Ollama does.
KeepAlive keep_alive_from_env(std::string_view value);

}  // namespace corral::api
