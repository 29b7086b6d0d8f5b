// The metrics registry and its Prometheus rendering.
#include "server/metrics.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

namespace corral::server {

namespace {

// Label values escape backslash, double quote and newline.
std::string label(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

}  // namespace

void Metrics::record_request(const std::string& route, int status, std::chrono::nanoseconds duration) {
  std::lock_guard lock(mu_);
  auto& s = requests_[{route, status}];
  s.count++;
  s.seconds += std::chrono::duration<double>(duration).count();
}

void Metrics::record_generation(const std::string& model, std::int64_t prompt_tokens, std::int64_t generated,
                                std::chrono::nanoseconds eval_duration) {
  std::lock_guard lock(mu_);
  auto& m = models_[model];
  m.prompt_tokens += static_cast<std::uint64_t>(std::max<std::int64_t>(prompt_tokens, 0));
  m.generated_tokens += static_cast<std::uint64_t>(std::max<std::int64_t>(generated, 0));
  m.generations++;
  const double secs = std::chrono::duration<double>(eval_duration).count();
  m.eval_seconds += secs;
  if (secs > 0 && generated > 0) m.last_tokens_per_second = static_cast<double>(generated) / secs;
}

void Metrics::record_embedding(const std::string& model, std::int64_t prompt_tokens) {
  std::lock_guard lock(mu_);
  models_[model].prompt_tokens += static_cast<std::uint64_t>(std::max<std::int64_t>(prompt_tokens, 0));
}

void Metrics::set_gauge_source(std::function<SchedulerGauges()> source) {
  std::lock_guard lock(mu_);
  gauges_ = std::move(source);
}

std::string Metrics::render() const {
  std::function<SchedulerGauges()> source;
  std::string out;
  {
    std::lock_guard lock(mu_);
    source = gauges_;
    out += "# HELP corral_requests_total HTTP requests answered, by route and status.\n";
    out += "# TYPE corral_requests_total counter\n";
    for (const auto& [k, s] : requests_)
      out += fmt::format("corral_requests_total{{route=\"{}\",status=\"{}\"}} {}\n", label(k.first), k.second, s.count);
    out += "# HELP corral_request_duration_seconds_total Time spent answering requests, by route.\n";
    out += "# TYPE corral_request_duration_seconds_total counter\n";
    std::map<std::string, double> by_route;
    for (const auto& [k, s] : requests_) by_route[k.first] += s.seconds;
    for (const auto& [r, secs] : by_route)
      out += fmt::format("corral_request_duration_seconds_total{{route=\"{}\"}} {:.6f}\n", label(r), secs);
    out += "# HELP corral_prompt_tokens_total Prompt tokens processed, by model.\n";
    out += "# TYPE corral_prompt_tokens_total counter\n";
    for (const auto& [m, s] : models_)
      out += fmt::format("corral_prompt_tokens_total{{model=\"{}\"}} {}\n", label(m), s.prompt_tokens);
    out += "# HELP corral_generated_tokens_total Tokens generated, by model.\n";
    out += "# TYPE corral_generated_tokens_total counter\n";
    for (const auto& [m, s] : models_)
      out += fmt::format("corral_generated_tokens_total{{model=\"{}\"}} {}\n", label(m), s.generated_tokens);
    out += "# HELP corral_generation_seconds_total Time spent generating tokens, by model.\n";
    out += "# TYPE corral_generation_seconds_total counter\n";
    for (const auto& [m, s] : models_)
      out += fmt::format("corral_generation_seconds_total{{model=\"{}\"}} {:.6f}\n", label(m), s.eval_seconds);
    out += "# HELP corral_tokens_per_second Generation speed of the last completed request, by model.\n";
    out += "# TYPE corral_tokens_per_second gauge\n";
    for (const auto& [m, s] : models_)
      out += fmt::format("corral_tokens_per_second{{model=\"{}\"}} {:.3f}\n", label(m), s.last_tokens_per_second);
  }
  const SchedulerGauges g = source ? source() : SchedulerGauges{};
  out += "# HELP corral_queue_depth Requests waiting for a model to load or for a free slot.\n";
  out += "# TYPE corral_queue_depth gauge\n";
  out += fmt::format("corral_queue_depth {}\n", g.queue_depth);
  out += "# HELP corral_requests_running Requests holding a slot of a loaded model.\n";
  out += "# TYPE corral_requests_running gauge\n";
  out += fmt::format("corral_requests_running {}\n", g.running);
  out += "# HELP corral_loaded_models Models loaded in memory.\n";
  out += "# TYPE corral_loaded_models gauge\n";
  out += fmt::format("corral_loaded_models {}\n", g.loaded.size());
  out += "# HELP corral_model_memory_bytes Memory of a loaded model (weights and KV cache).\n";
  out += "# TYPE corral_model_memory_bytes gauge\n";
  for (const auto& m : g.loaded)
    out += fmt::format("corral_model_memory_bytes{{model=\"{}\"}} {}\n", label(m.model), m.bytes);
  out += "# HELP corral_process_resident_memory_bytes Resident memory of the server process.\n";
  out += "# TYPE corral_process_resident_memory_bytes gauge\n";
  out += fmt::format("corral_process_resident_memory_bytes {}\n", resident_memory_bytes());
  return out;
}

std::int64_t resident_memory_bytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (!f) return 0;
  long pages_total = 0, pages_resident = 0;
  const int n = std::fscanf(f, "%ld %ld", &pages_total, &pages_resident);
  std::fclose(f);
  if (n != 2) return 0;
  return static_cast<std::int64_t>(pages_resident) * sysconf(_SC_PAGESIZE);
}

}  // namespace corral::server
