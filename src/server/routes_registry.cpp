// POST /api/pull and POST /api/push (§1.13): transfers with the registry
// client (src/registry), progress streamed as NDJSON (or one final
// {"status":"success"} when stream is false). A client that disconnects
// cancels the transfer; partial downloads stay for resume.
#include <httplib.h>

#include "api/requests.h"
#include "api/responses.h"
#include "api/status_error.h"
#include "registry/registry.h"
#include "server/generation.h"
#include "server/http_util.h"
#include "server/json_route.h"
#include "server/registry_options.h"
#include "server/routes.h"
#include "store/store_errors.h"

namespace corral::server {

namespace {

using Transfer = std::function<void(const registry::ProgressFn&, const std::atomic<bool>* cancel)>;

[[noreturn]] void rethrow_as_status(const std::exception& e) {
  if (dynamic_cast<const store::BadRequestError*>(&e)) throw api::StatusError(400, e.what());
  if (dynamic_cast<const store::NotFoundError*>(&e)) throw api::StatusError(404, e.what());
  if (dynamic_cast<const registry::CancelledError*>(&e)) throw api::StatusError(499, "request canceled");
  if (auto* s = dynamic_cast<const api::StatusError*>(&e)) throw *s;
  throw api::StatusError(500, e.what());
}

void run_transfer(ServerContext& ctx, const httplib::Request& req, httplib::Response& res, bool stream, Transfer t) {
  auto watch = ctx.watcher.watch(req);
  if (!stream) {
    try {
      t({}, watch->flag());
    } catch (const std::exception& e) {
      rethrow_as_status(e);
    }
    write_json(res, 200, api::to_json(api::ProgressResponse{"success", "", 0, 0}));
    return;
  }
  stream_response(
      res, kNdjsonType,
      [t, watch](const std::function<bool(const std::string&)>& write) {
        bool alive = true;
        try {
          t(
              [&](const registry::Progress& p) {
                if (alive) alive = write(dump_json(api::to_json(api::ProgressResponse{p.status, p.digest, p.total, p.completed})) + "\n");
                if (!alive) watch->cancel();
              },
              watch->flag());
        } catch (const registry::CancelledError&) {
          return;  // the client is gone
        }
      },
      [](const std::string& msg) { return dump_json(api::error_json(msg)) + "\n"; });
}

store::ModelName parse_name(const std::string& name) {
  if (name.empty()) throw api::StatusError(400, "model is required");
  const auto parsed = store::ModelName::parse(name);
  if (!parsed.is_valid()) throw api::StatusError(400, "invalid model name");
  return parsed;
}

}  // namespace

registry::PullOptions pull_options(const ServerContext& ctx, bool insecure) {
  registry::PullOptions o = registry::default_pull_options();
  o.insecure = insecure;
  o.prune_replaced = !ctx.config.noprune;
  return o;
}

void register_registry_routes(httplib::Server& http, ServerContext& ctx) {
  post_json(http, ctx, "/api/pull", [&ctx](const httplib::Request& req, const std::string& body, httplib::Response& res) {
    respond(res, [&] {
      const auto r = api::parse_pull_request(api::parse_body(body), "PullRequest");
      const auto name = parse_name(r.model);
      const auto opts = pull_options(ctx, r.insecure);
      run_transfer(ctx, req, res, r.stream, [&ctx, name, opts](const registry::ProgressFn& p, const std::atomic<bool>* c) {
        registry::pull(ctx.store, name, opts, p, c);
      });
    });
  });
  post_json(http, ctx, "/api/push", [&ctx](const httplib::Request& req, const std::string& body, httplib::Response& res) {
    respond(res, [&] {
      const auto r = api::parse_pull_request(api::parse_body(body), "PushRequest");
      const auto name = parse_name(r.model);
      const auto resolved = ctx.store.resolve_name(name);
      if (!ctx.store.read_manifest(resolved)) throw api::StatusError(404, "model '" + r.model + "' not found");
      registry::PushOptions opts;
      opts.insecure = r.insecure;
      run_transfer(ctx, req, res, r.stream, [&ctx, resolved, opts](const registry::ProgressFn& p, const std::atomic<bool>* c) {
        registry::push(ctx.store, resolved, opts, p, c);
      });
    });
  });
}

}  // namespace corral::server
