// Numbers, sizes and times the way Ollama's CLI prints them: decimal byte
// sizes ("2.0 GB", "561 B"), parameter counts ("3.2B"), relative times
// ("2 days ago", "4 minutes from now", "Forever") and the short remaining
// time of a progress bar ("18s", "1h5m", "99h+").
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace corral::cli {

// Decimal units: B, KB, MB, GB, TB. One decimal below 10 unless whole
// ("1.4 KB", "2 GB", "12 MB", "561 B").
std::string human_bytes(std::int64_t bytes);

// Parameter counts: "950", "15K", "2.89M", "12M", "3.2B", "8B" (no decimals
// when whole; otherwise two for millions, one for billions).
std::string human_number(std::uint64_t n);

// An approximate duration: "Less than a second", "1 second", "5 seconds",
// "About a minute", "7 minutes", "About an hour", "5 hours", "3 days",
// "2 weeks", "4 months", "2 years".
std::string human_duration(std::chrono::duration<double> d);

// "<duration> ago" / "<duration> from now" relative to `now` ("Forever" more
// than 20 years ahead, `zero_value` for a zero time point).
std::string human_time(std::chrono::system_clock::time_point t, std::chrono::system_clock::time_point now,
                       const std::string& zero_value = "Never");

// A remaining time limited to two units: "0s", "45s", "3m20s", "1h5m", "99h+".
std::string short_duration(std::chrono::seconds d);

}  // namespace corral::cli
