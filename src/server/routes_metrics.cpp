// GET /metrics: Prometheus exposition of server metrics (corral's addition).
#include <httplib.h>

#include "server/routes.h"
#include "server/server_context.h"

namespace corral::server {

void register_metrics_routes(httplib::Server& http, ServerContext& ctx) {
  http.Get("/metrics", [&ctx](const httplib::Request&, httplib::Response& res) {
    res.set_content(ctx.metrics.render(), "text/plain; version=0.0.4; charset=utf-8");
  });
}

}  // namespace corral::server
