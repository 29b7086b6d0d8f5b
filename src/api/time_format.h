// Timestamps as Ollama's JSON carries them (Go's time.Time marshalling,
// RFC 3339 with nanoseconds, trailing zeros of the fraction dropped):
// created_at in UTC ("2025-10-26T17:15:24.097767Z"), modified_at and
// expires_at in local time with the offset ("2024-06-04T14:38:31.83753-07:00").
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace corral::api {

using TimePoint = std::chrono::system_clock::time_point;

std::string format_time_utc(TimePoint t);
std::string format_time_local(TimePoint t);

// Parses an RFC 3339 timestamp (with "Z" or a numeric offset, optional
// fraction); nullopt when malformed.
std::optional<TimePoint> parse_time(std::string_view s);

}  // namespace corral::api
