// Building scheduler requests from resolved models and options.
#include "server/server_context.h"

#include <algorithm>

#include "api/status_error.h"

namespace corral::server {

ServerContext::ServerContext(ServerConfig cfg, EngineFactory factory, MemoryProbe probe)
    : config(std::move(cfg)),
      store(config.models_dir),
      catalog(store),
      scheduler(SchedulerConfig{config.max_loaded_models, config.max_queue, config.keep_alive}, std::move(factory),
                std::move(probe)) {
  metrics.set_gauge_source([this] { return scheduler.gauges(); });
}

ModelRequest ServerContext::model_request(const ResolvedModel& m, const api::ModelOptions& options,
                                          const nlohmann::ordered_json& request_options,
                                          const std::optional<api::KeepAlive>& keep_alive) const {
  if (m.stored.model_path.empty() || !m.gguf)
    throw api::StatusError(400, "model '" + m.request_name + "' has no weights to run");
  auto has = [&](const char* key) {
    return request_options.is_object() && request_options.contains(key) && !request_options[key].is_null();
  };
  ModelRequest r;
  r.spec.model_path = m.stored.model_path;
  std::int64_t ctx = options.load.num_ctx > 0 ? options.load.num_ctx : config.context_length;
  if (m.gguf->n_ctx_train > 0) ctx = std::min(ctx, m.gguf->n_ctx_train);
  r.spec.num_ctx = std::max<std::int64_t>(ctx, 4);
  r.spec.num_batch = options.load.num_batch > 0 ? std::min<std::int64_t>(options.load.num_batch, 1 << 16) : 512;
  r.spec.num_parallel = config.num_parallel;
  r.spec.num_thread = options.load.num_thread > 0 ? static_cast<int>(std::min<std::int64_t>(options.load.num_thread, 1024))
                                                  : config.num_threads;
  r.spec.kv_type = config.kv_type;
  r.ctx_fixed = has("num_ctx") || m.ctx_from_modelfile;
  r.batch_fixed = has("num_batch") || m.batch_from_modelfile;
  r.threads_fixed = has("num_thread") || m.threads_from_modelfile;
  r.name = m.stored.short_name;
  r.digest = m.stored.manifest.digest_hex;
  r.details = m.stored.details();
  r.keep_alive = keep_alive;
  if (m.gguf->params) {
    r.estimated_bytes = estimate_memory(*m.gguf->params, m.gguf->file_size, r.spec.num_ctx, r.spec.num_parallel,
                                        r.spec.num_batch, r.spec.kv_type)
                            .total();
  } else {
    r.estimated_bytes = m.gguf->file_size;
  }
  return r;
}

}  // namespace corral::server
