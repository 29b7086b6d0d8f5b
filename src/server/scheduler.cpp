// The scheduler: loading, slot hand-out, eviction, keep-alive expiry.
#include "server/scheduler.h"

#include <algorithm>

#include "api/status_error.h"
#include "util/log.h"

namespace corral::server {

using SteadyClock = std::chrono::steady_clock;
using SystemClock = std::chrono::system_clock;

struct SchedulerEntry {
  LoadSpec spec;
  std::string name;
  std::string digest;
  api::ModelDetails details;
  std::shared_ptr<Engine> engine;
  bool ready = false;  // false while loading
  int active = 0;
  api::KeepAlive keep_alive;
  SteadyClock::time_point expires{};  // idle deadline (steady clock)
  SteadyClock::time_point last_used{};
  bool unload_when_idle = false;
};

namespace {

SteadyClock::time_point deadline(SteadyClock::time_point from, const api::KeepAlive& k) {
  if (k.forever) return SteadyClock::time_point::max();
  return from + std::chrono::duration_cast<SteadyClock::duration>(k.value);
}

api::TimePoint to_system(SteadyClock::time_point t, const api::KeepAlive& k) {
  // "Forever": Go reports now + 292 years; nanosecond clocks end in 2262.
  if (k.forever || t == SteadyClock::time_point::max())
    return api::TimePoint(SystemClock::duration::max() - std::chrono::duration_cast<SystemClock::duration>(std::chrono::hours(24 * 366)));
  return SystemClock::now() + std::chrono::duration_cast<SystemClock::duration>(t - SteadyClock::now());
}

}  // namespace

Lease::~Lease() {
  if (sched_) sched_->release(entry_);
}

Scheduler::Scheduler(SchedulerConfig config, EngineFactory factory, MemoryProbe probe)
    : config_(std::move(config)), factory_(std::move(factory)), probe_(std::move(probe)) {
  if (config_.max_loaded_models < 1) config_.max_loaded_models = 1;
  if (config_.max_queue < 1) config_.max_queue = 1;
  reaper_thread_ = std::thread([this] { reaper(); });
}

Scheduler::~Scheduler() {
  std::vector<std::shared_ptr<Engine>> graveyard;
  {
    std::lock_guard lock(mu_);
    stop_ = true;
    for (auto& [path, e] : entries_)
      if (e->engine) graveyard.push_back(std::move(e->engine));
    entries_.clear();
  }
  cv_.notify_all();
  reaper_cv_.notify_all();
  reaper_thread_.join();
  graveyard.clear();
}

bool Scheduler::satisfies(const Entry& e, const ModelRequest& r) const {
  const LoadSpec& a = e.spec;
  const LoadSpec& b = r.spec;
  return a.model_path == b.model_path && a.num_parallel == b.num_parallel && a.kv_type == b.kv_type &&
         (!r.ctx_fixed || a.num_ctx == b.num_ctx) && (!r.batch_fixed || a.num_batch == b.num_batch) &&
         (!r.threads_fixed || a.num_thread == b.num_thread);
}

void Scheduler::detach_locked(const std::shared_ptr<Entry>& e, std::vector<std::shared_ptr<Engine>>& graveyard) {
  auto it = entries_.find(e->spec.model_path.string());
  if (it != entries_.end() && it->second == e) entries_.erase(it);
  if (e->engine) {
    log::info("unloading model {}", e->name);
    graveyard.push_back(std::move(e->engine));
    unloading_++;
  }
}

void Scheduler::drop(std::unique_lock<std::mutex>& lock, std::vector<std::shared_ptr<Engine>>& graveyard) {
  if (graveyard.empty()) return;
  const int n = static_cast<int>(graveyard.size());
  lock.unlock();
  graveyard.clear();  // joins the runners' threads, frees the KV caches
  lock.lock();
  unloading_ -= n;
  cv_.notify_all();
}

std::shared_ptr<Scheduler::Entry> Scheduler::lru_idle_locked() const {
  std::shared_ptr<Entry> best;
  for (const auto& [path, e] : entries_)
    if (e->ready && e->active == 0 && (!best || e->last_used < best->last_used)) best = e;
  return best;
}

std::unique_ptr<Lease> Scheduler::acquire(const ModelRequest& req, const std::atomic<bool>* cancel) {
  const std::string path = req.spec.model_path.string();
  std::unique_lock lock(mu_);
  if (static_cast<int>(waiting_.size()) >= config_.max_queue)
    throw api::StatusError(503, "server busy, please try again.  maximum pending requests exceeded");
  const std::uint64_t ticket = ++next_ticket_;
  waiting_.push_back({ticket, path});
  struct Unqueue {
    Scheduler* s;
    std::uint64_t t;
    ~Unqueue() {
      s->waiting_.remove_if([&](const Waiter& w) { return w.ticket == t; });
      s->cv_.notify_all();
    }
  } unqueue{this, ticket};  // runs with the lock held (declared after it)

  std::vector<std::shared_ptr<Engine>> graveyard;
  for (;;) {
    if (stop_) throw api::StatusError(503, "server is shutting down");
    if (cancel && cancel->load()) throw api::StatusError(499, "request canceled");
    bool first = true;
    for (const auto& w : waiting_) {
      if (w.ticket == ticket) break;
      if (w.path == path) {
        first = false;
        break;
      }
    }
    auto found = entries_.find(path);
    std::shared_ptr<Entry> e = found == entries_.end() ? nullptr : found->second;
    if (e) {
      if (e->ready && satisfies(*e, req)) {
        if (first && e->active < e->spec.num_parallel) {
          e->active++;
          if (req.keep_alive) {
            e->keep_alive = *req.keep_alive;
            e->unload_when_idle = req.keep_alive->is_zero();
          }
          return std::unique_ptr<Lease>(new Lease(this, e, e->engine, e->spec, false));
        }
      } else if (e->ready && first && e->active == 0 && !loading_) {
        // Loaded with other load options: reload.
        detach_locked(e, graveyard);
        drop(lock, graveyard);
        continue;
      }
      cv_.wait_for(lock, std::chrono::milliseconds(50));
      continue;
    }
    // Not loaded: one load at a time, in arrival order per model.
    if (!first || loading_ || unloading_ > 0) {
      cv_.wait_for(lock, std::chrono::milliseconds(50));
      continue;
    }
    if (static_cast<int>(entries_.size()) >= config_.max_loaded_models) {
      if (auto victim = lru_idle_locked()) {
        detach_locked(victim, graveyard);
        drop(lock, graveyard);
      } else {
        cv_.wait_for(lock, std::chrono::milliseconds(50));
      }
      continue;
    }
    const std::int64_t avail = probe_ ? probe_() : -1;
    if (avail >= 0 && req.estimated_bytes > avail) {
      if (auto victim = lru_idle_locked()) {
        detach_locked(victim, graveyard);
        drop(lock, graveyard);
        continue;
      }
      if (!entries_.empty()) {  // busy models will become idle
        cv_.wait_for(lock, std::chrono::milliseconds(50));
        continue;
      }
      throw api::StatusError(500, memory_error(req.estimated_bytes, avail));
    }
    auto entry = std::make_shared<Entry>();
    entry->spec = req.spec;
    entry->name = req.name;
    entry->digest = req.digest;
    entry->details = req.details;
    entry->keep_alive = req.keep_alive.value_or(config_.default_keep_alive);
    entry->unload_when_idle = false;
    entries_[path] = entry;
    loading_ = true;
    lock.unlock();
    std::shared_ptr<Engine> engine;
    std::string error;
    try {
      log::info("loading model {} (ctx {} x {} slots, batch {})", req.name, req.spec.num_ctx, req.spec.num_parallel,
                req.spec.num_batch);
      engine = factory_(req.spec);
      if (!engine) error = "the model could not be loaded";
    } catch (const std::exception& ex) {
      error = ex.what();
    }
    lock.lock();
    loading_ = false;
    cv_.notify_all();
    if (!error.empty()) {
      if (entries_[path] == entry) entries_.erase(path);
      throw api::StatusError(500, error);
    }
    if (stop_) throw api::StatusError(503, "server is shutting down");
    entry->engine = engine;
    entry->ready = true;
    entry->active = 1;
    entry->last_used = SteadyClock::now();
    return std::unique_ptr<Lease>(new Lease(this, entry, engine, entry->spec, true));
  }
}

void Scheduler::release(const std::shared_ptr<Entry>& e) {
  std::vector<std::shared_ptr<Engine>> graveyard;
  std::unique_lock lock(mu_);
  e->active--;
  e->last_used = SteadyClock::now();
  if (e->active == 0) {
    if (e->unload_when_idle || e->keep_alive.is_zero()) {
      detach_locked(e, graveyard);
    } else {
      e->expires = deadline(e->last_used, e->keep_alive);
    }
  }
  cv_.notify_all();
  reaper_cv_.notify_all();
  drop(lock, graveyard);
}

bool Scheduler::expire(const std::filesystem::path& model_path) {
  std::vector<std::shared_ptr<Engine>> graveyard;
  std::unique_lock lock(mu_);
  auto it = entries_.find(model_path.string());
  if (it == entries_.end()) return false;
  auto e = it->second;
  e->keep_alive = api::KeepAlive{};
  if (e->ready && e->active == 0) {
    detach_locked(e, graveyard);
  } else {
    e->unload_when_idle = true;
  }
  drop(lock, graveyard);
  return true;
}

bool Scheduler::is_loaded(const std::filesystem::path& model_path) const {
  std::lock_guard lock(mu_);
  auto it = entries_.find(model_path.string());
  return it != entries_.end() && it->second->ready;
}

std::vector<LoadedModelInfo> Scheduler::loaded() const {
  std::vector<LoadedModelInfo> out;
  std::lock_guard lock(mu_);
  const auto now = SteadyClock::now();
  for (const auto& [path, e] : entries_) {
    if (!e->ready) continue;
    LoadedModelInfo i;
    i.name = e->name;
    i.digest = e->digest;
    i.details = e->details;
    i.spec = e->spec;
    i.size = e->engine ? e->engine->memory_bytes() : 0;
    i.active = e->active;
    i.expires_at = e->active > 0 ? to_system(deadline(now, e->keep_alive), e->keep_alive)
                                 : to_system(e->expires, e->keep_alive);
    out.push_back(std::move(i));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.expires_at > b.expires_at; });
  return out;
}

SchedulerGauges Scheduler::gauges() const {
  SchedulerGauges g;
  std::lock_guard lock(mu_);
  g.queue_depth = static_cast<int>(waiting_.size());
  for (const auto& [path, e] : entries_) {
    if (!e->ready) continue;
    g.running += e->active;
    g.loaded.push_back({e->name, e->engine ? e->engine->memory_bytes() : 0});
  }
  return g;
}

void Scheduler::unload_all() {
  std::vector<std::shared_ptr<Engine>> graveyard;
  std::unique_lock lock(mu_);
  std::vector<std::shared_ptr<Entry>> all;
  for (auto& [path, e] : entries_) all.push_back(e);
  for (auto& e : all) {
    if (e->ready && e->active == 0) {
      detach_locked(e, graveyard);
    } else {
      e->unload_when_idle = true;
    }
  }
  drop(lock, graveyard);
}

void Scheduler::reaper() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    auto next = SteadyClock::time_point::max();
    const auto now = SteadyClock::now();
    std::vector<std::shared_ptr<Entry>> expired;
    for (const auto& [path, e] : entries_) {
      if (!e->ready || e->active > 0) continue;
      if (e->expires <= now) {
        expired.push_back(e);
      } else {
        next = std::min(next, e->expires);
      }
    }
    if (!expired.empty()) {
      std::vector<std::shared_ptr<Engine>> graveyard;
      for (auto& e : expired) detach_locked(e, graveyard);
      drop(lock, graveyard);
      continue;
    }
    if (next == SteadyClock::time_point::max()) {
      reaper_cv_.wait(lock);
    } else {
      reaper_cv_.wait_until(lock, next);
    }
  }
}

}  // namespace corral::server
