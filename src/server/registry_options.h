// Registry transfer options as the server uses them (OLLAMA_NOPRUNE honoured).
#pragma once

#include "registry/registry.h"
#include "server/server_context.h"

namespace corral::server {

registry::PullOptions pull_options(const ServerContext& ctx, bool insecure);

}  // namespace corral::server
