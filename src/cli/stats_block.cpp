// The --verbose statistics block (see stats_block.h).
#include "cli/stats_block.h"

#include <fmt/format.h>

#include <chrono>

#include "api/duration.h"

namespace corral::cli {

namespace {

std::string go_duration(std::int64_t ns) { return api::format_go_duration(std::chrono::nanoseconds(ns)); }

double per_second(std::int64_t count, std::int64_t ns) {
  return static_cast<double>(count) / (static_cast<double>(ns) / 1e9);
}

}  // namespace

std::string format_stats_block(const api::Metrics& m) {
  std::string out;
  if (m.total_duration > 0) out += fmt::format("total duration:       {}\n", go_duration(m.total_duration));
  if (m.load_duration > 0) out += fmt::format("load duration:        {}\n", go_duration(m.load_duration));
  if (m.prompt_eval_count > 0) out += fmt::format("prompt eval count:    {} token(s)\n", m.prompt_eval_count);
  if (m.prompt_eval_duration > 0) {
    out += fmt::format("prompt eval duration: {}\n", go_duration(m.prompt_eval_duration));
    out += fmt::format("prompt eval rate:     {:.2f} tokens/s\n", per_second(m.prompt_eval_count, m.prompt_eval_duration));
  }
  if (m.eval_count > 0) out += fmt::format("eval count:           {} token(s)\n", m.eval_count);
  if (m.eval_duration > 0) {
    out += fmt::format("eval duration:        {}\n", go_duration(m.eval_duration));
    out += fmt::format("eval rate:            {:.2f} tokens/s\n", per_second(m.eval_count, m.eval_duration));
  }
  return out;
}

}  // namespace corral::cli
