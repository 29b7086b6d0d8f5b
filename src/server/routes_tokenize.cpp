// POST /api/tokenize {"model","text"} -> {"model","tokens"} and
// POST /api/detokenize {"model","tokens"} -> {"model","text"} (corral's
// addition, long requested of Ollama). They use the model's tokenizer
// without loading its weights.
#include <httplib.h>

#include "api/requests.h"
#include "api/responses.h"
#include "api/status_error.h"
#include "server/http_util.h"
#include "server/json_route.h"
#include "server/routes.h"
#include "server/server_context.h"

namespace corral::server {

namespace {

std::shared_ptr<const tokenizer::Tokenizer> tokenizer_for(ServerContext& ctx, const std::string& name,
                                                           std::string& display) {
  if (name.empty()) throw api::StatusError(400, "model is required");
  ResolvedModel m = ctx.catalog.resolve(name);
  if (m.stored.model_path.empty()) throw api::StatusError(400, "model '" + name + "' has no weights");
  display = m.stored.short_name;
  try {
    return ctx.catalog.tokenizer(m.stored.model_path);
  } catch (const Error& e) {
    throw api::StatusError(500, e.what());
  }
}

}  // namespace

void register_tokenize_routes(httplib::Server& http, ServerContext& ctx) {
  post_json(http, ctx, "/api/tokenize", [&ctx](const httplib::Request&, const std::string& body, httplib::Response& res) {
    respond(res, [&] {
      const auto r = api::parse_tokenize_request(api::parse_body(body));
      std::string display;
      auto tok = tokenizer_for(ctx, r.model, display);
      api::TokenizeResponse out{r.model, tok->encode(r.text, r.add_special, true)};
      write_json(res, 200, api::to_json(out));
    });
  });
  post_json(http, ctx, "/api/detokenize", [&ctx](const httplib::Request&, const std::string& body,
                                                 httplib::Response& res) {
    respond(res, [&] {
      const auto r = api::parse_detokenize_request(api::parse_body(body));
      std::string display;
      auto tok = tokenizer_for(ctx, r.model, display);
      for (auto id : r.tokens) {
        try {
          tok->check_id(id);
        } catch (const Error& e) {
          throw api::StatusError(400, e.what());
        }
      }
      api::DetokenizeResponse out{r.model, tok->decode(r.tokens)};
      write_json(res, 200, api::to_json(out));
    });
  });
}

}  // namespace corral::server
