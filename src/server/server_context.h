// ServerContext: the parts every route uses (configuration, store, model
// catalog, scheduler, metrics, disconnect watcher), owned by Server and
// handed to the route files by reference.
#pragma once

#include <optional>

#include "api/duration.h"
#include "api/options.h"
#include "server/disconnect_watcher.h"
#include "server/metrics.h"
#include "server/model_catalog.h"
#include "server/scheduler.h"
#include "server/server_config.h"
#include "store/store.h"

namespace corral::server {

struct ServerContext {
  ServerContext(ServerConfig cfg, EngineFactory factory, MemoryProbe probe);

  ServerConfig config;
  store::Store store;
  ModelCatalog catalog;
  Metrics metrics;
  Scheduler scheduler;
  DisconnectWatcher watcher;

  // What to ask the scheduler for: `options` are the model's merged with the
  // request's; `request_options` is the request's own object (to know which
  // load options it fixed).
  ModelRequest model_request(const ResolvedModel& m, const api::ModelOptions& options,
                             const nlohmann::ordered_json& request_options,
                             const std::optional<api::KeepAlive>& keep_alive) const;
};

}  // namespace corral::server
