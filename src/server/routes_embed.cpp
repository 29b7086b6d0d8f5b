// POST /api/embed (§1.5: batch input, L2-normalised, optional truncation to
// `dimensions`, inputs longer than the context cut unless truncate:false)
// and the legacy POST /api/embeddings (§1.6: one prompt, raw vector).
#include <httplib.h>

#include "api/requests.h"
#include "api/responses.h"
#include "server/embed_service.h"
#include "server/http_util.h"
#include "server/json_route.h"
#include "server/routes.h"

namespace corral::server {

void register_embed_routes(httplib::Server& http, ServerContext& ctx) {
  post_json(http, ctx, "/api/embed", [&ctx](const httplib::Request& req, const std::string& body, httplib::Response& res) {
    respond(res, [&] {
      api::Json j = api::to_json(run_embed(ctx, req, api::parse_embed_request(api::parse_body(body))));
      // Clients (ollama-ai-provider-v2) require these fields even when zero.
      if (!j.contains("prompt_eval_count")) j["prompt_eval_count"] = 0;
      if (!j.contains("load_duration")) j["load_duration"] = 0;
      write_json(res, 200, j);
    });
  });
  post_json(http, ctx, "/api/embeddings",
            [&ctx](const httplib::Request& req, const std::string& body, httplib::Response& res) {
              respond(res, [&] {
                write_json(res, 200,
                           api::to_json(run_legacy_embedding(ctx, req, api::parse_embedding_request(api::parse_body(body)))));
              });
            });
}

}  // namespace corral::server
