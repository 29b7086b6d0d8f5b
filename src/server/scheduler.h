// Scheduler: which models are loaded and who may use them. A request asks
// for a model (acquire) and gets a Lease on one of the model's parallel
// slots, loading the model first when needed (one load at a time) and
// unloading another when OLLAMA_MAX_LOADED_MODELS is reached (the least
// recently used idle one) or when the memory check says it would not fit.
// Requests waiting for a load or a slot form one bounded queue
// (OLLAMA_MAX_QUEUE): beyond it acquire answers 503. Slots of one model are
// handed out first come, first served. When a lease ends the model stays
// loaded for its keep_alive (the latest request's, else OLLAMA_KEEP_ALIVE);
// 0 unloads as soon as it is idle, a negative value keeps it forever.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "api/duration.h"
#include "api/types.h"
#include "server/engine.h"
#include "server/memory_check.h"
#include "server/metrics.h"

namespace corral::server {

struct SchedulerConfig {
  int max_loaded_models = 3;
  int max_queue = 512;
  api::KeepAlive default_keep_alive{std::chrono::minutes(5), false};
};

// What a request asks the scheduler for.
struct ModelRequest {
  LoadSpec spec;               // with every default resolved (used for a new load)
  bool ctx_fixed = false;      // num_ctx was set by the request or the Modelfile
  bool batch_fixed = false;    // likewise num_batch
  bool threads_fixed = false;  // likewise num_thread
  std::string name;            // display name (for /api/ps)
  std::string digest;          // manifest digest
  api::ModelDetails details;
  std::int64_t estimated_bytes = 0;
  std::optional<api::KeepAlive> keep_alive;
};

// A loaded model as /api/ps reports it.
struct LoadedModelInfo {
  std::string name;
  std::string digest;
  api::ModelDetails details;
  LoadSpec spec;
  std::int64_t size = 0;
  api::TimePoint expires_at{};
  int active = 0;
};

class Scheduler;
struct SchedulerEntry;

class Lease {
 public:
  ~Lease();
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  Engine& engine() const { return *engine_; }
  const LoadSpec& spec() const { return spec_; }
  bool loaded_now() const { return loaded_now_; }

 private:
  friend class Scheduler;
  Lease(Scheduler* s, std::shared_ptr<SchedulerEntry> entry, std::shared_ptr<Engine> engine, LoadSpec spec,
        bool loaded_now)
      : sched_(s), entry_(std::move(entry)), engine_(std::move(engine)), spec_(std::move(spec)), loaded_now_(loaded_now) {}
  Scheduler* sched_;
  std::shared_ptr<SchedulerEntry> entry_;
  std::shared_ptr<Engine> engine_;
  LoadSpec spec_;
  bool loaded_now_;
};

class Scheduler {
 public:
  Scheduler(SchedulerConfig config, EngineFactory factory, MemoryProbe probe);
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Blocks until the model is loaded and a slot is free. Throws StatusError:
  // 503 when the queue is full, 499 "request canceled" when *cancel becomes
  // true while waiting, 500 when loading fails or memory is short.
  std::unique_ptr<Lease> acquire(const ModelRequest& request, const std::atomic<bool>* cancel);

  // An unload request (keep_alive 0 with no prompt): unloads the model now if
  // it is idle, else as soon as its requests finish. False if not loaded.
  bool expire(const std::filesystem::path& model_path);

  bool is_loaded(const std::filesystem::path& model_path) const;
  std::vector<LoadedModelInfo> loaded() const;
  SchedulerGauges gauges() const;
  // Unloads every model (idle ones now; busy ones when their requests end).
  void unload_all();

 private:
  friend class Lease;
  using Entry = SchedulerEntry;
  struct Waiter {
    std::uint64_t ticket;
    std::string path;
  };

  void release(const std::shared_ptr<Entry>& e);
  // Removes an entry from the table; its engine is destroyed by the caller
  // after unlocking (see drop()).
  void detach_locked(const std::shared_ptr<Entry>& e, std::vector<std::shared_ptr<Engine>>& graveyard);
  void drop(std::unique_lock<std::mutex>& lock, std::vector<std::shared_ptr<Engine>>& graveyard);
  std::shared_ptr<Entry> lru_idle_locked() const;
  bool satisfies(const Entry& e, const ModelRequest& r) const;
  void reaper();

  SchedulerConfig config_;
  EngineFactory factory_;
  MemoryProbe probe_;

  mutable std::mutex mu_;
  std::condition_variable cv_;         // waiters
  std::condition_variable reaper_cv_;  // keep-alive timer
  std::map<std::string, std::shared_ptr<Entry>> entries_;  // by model path
  std::list<Waiter> waiting_;
  std::uint64_t next_ticket_ = 0;
  bool loading_ = false;
  int unloading_ = 0;
  bool stop_ = false;
  std::thread reaper_thread_;
};

}  // namespace corral::server
