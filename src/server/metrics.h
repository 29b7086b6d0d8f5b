// Metrics: the counters and gauges behind GET /metrics (corral's addition),
// rendered in the Prometheus text format 0.0.4: requests by route and
// status with their total duration, prompt and generated tokens by model,
// the last generation speed by model, requests in flight, queue depth,
// loaded models with their memory, and the process's resident memory.
// Thread-safe; updates are cheap (one mutex).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace corral::server {

struct LoadedModelGauge {
  std::string model;
  std::int64_t bytes = 0;
};

// Point-in-time values the registry asks for when rendering.
struct SchedulerGauges {
  int queue_depth = 0;    // requests waiting for a model or a slot
  int running = 0;        // requests holding a slot
  std::vector<LoadedModelGauge> loaded;
};

class Metrics {
 public:
  void record_request(const std::string& route, int status, std::chrono::nanoseconds duration);
  void record_generation(const std::string& model, std::int64_t prompt_tokens, std::int64_t generated_tokens,
                         std::chrono::nanoseconds eval_duration);
  void record_embedding(const std::string& model, std::int64_t prompt_tokens);
  void set_gauge_source(std::function<SchedulerGauges()> source);

  // The exposition text.
  std::string render() const;

 private:
  struct RequestStat {
    std::uint64_t count = 0;
    double seconds = 0;
  };
  struct ModelStat {
    std::uint64_t prompt_tokens = 0;
    std::uint64_t generated_tokens = 0;
    std::uint64_t generations = 0;
    double eval_seconds = 0;
    double last_tokens_per_second = 0;
  };
  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, RequestStat> requests_;
  std::map<std::string, ModelStat> models_;
  std::function<SchedulerGauges()> gauges_;
};

// Resident set size of this process in bytes (0 if unknown).
std::int64_t resident_memory_bytes();

}  // namespace corral::server
