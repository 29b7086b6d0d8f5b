// Model management routes: GET|HEAD /api/tags, POST /api/show,
// POST /api/copy, DELETE /api/delete, GET /api/ps.
#include <httplib.h>

#include "api/requests.h"
#include "api/responses.h"
#include "api/status_error.h"
#include "gguf/gguf_file.h"
#include "server/http_util.h"
#include "server/json_route.h"
#include "server/routes.h"
#include "server/server_context.h"
#include "store/model_info.h"
#include "store/model_ops.h"
#include "store/model_view.h"
#include "util/log.h"

namespace corral::server {

namespace {

void handle_tags(ServerContext& ctx, httplib::Response& res) {
  std::vector<api::ListModel> out;
  for (const auto& s : store::list_models(ctx.store)) {
    api::ListModel m;
    m.name = m.model = s.display_name;
    m.remote_model = s.config.remote_model;
    m.remote_host = s.config.remote_host;
    m.modified_at = s.modified;
    m.size = s.size;
    m.digest = s.digest_hex;
    m.details = s.details;
    try {
      const auto stored = store::load_model(ctx.store, s.name);
      std::shared_ptr<const GgufFacts> facts;
      if (!stored.model_path.empty()) facts = ctx.catalog.gguf_facts(stored.model_path);
      const auto tmpl = tmpl::PromptTemplate::parse(stored.template_text);
      m.capabilities = ctx.catalog.capabilities(stored, facts.get(), &tmpl);
    } catch (const std::exception& e) {
      log::debug("capabilities of {}: {}", s.display_name, e.what());
    }
    out.push_back(std::move(m));
  }
  write_json(res, 200, api::to_json(out));
}

void handle_show(ServerContext& ctx, const std::string& body, httplib::Response& res) {
  const auto r = api::parse_show_request(api::parse_body(body));
  if (r.model.empty()) throw api::StatusError(400, "model is required");
  ResolvedModel m = ctx.catalog.resolve(r.model);
  store::StoredModel shown = m.stored;
  if (!r.system.empty()) shown.system = r.system;
  if (r.options.is_object())
    for (auto it = r.options.begin(); it != r.options.end(); ++it) shown.options[it.key()] = it.value();

  api::ShowResponse out;
  for (std::size_t i = 0; i < shown.license.size(); ++i) out.license += (i ? "\n" : "") + shown.license[i];
  out.modelfile = store::render_show_modelfile(shown);
  out.parameters = store::format_show_parameters(shown.options);
  out.template_text = shown.template_text;
  out.system = shown.system;
  out.renderer = shown.config.renderer;
  out.parser = shown.config.parser;
  out.details = shown.details();
  for (const auto& msg : shown.messages) {
    api::Message am;
    am.role = msg.role;
    am.content = msg.content;
    am.thinking = msg.thinking;
    out.messages.push_back(std::move(am));
  }
  out.remote_model = shown.config.remote_model;
  out.remote_host = shown.config.remote_host;
  if (!shown.model_path.empty()) {
    const auto file = gguf::File::open(shown.model_path.string());
    out.model_info = api::Json(store::gguf_model_info(file, r.verbose));
    if (r.verbose) {
      for (const auto& t : store::gguf_tensor_list(file)) {
        api::TensorInfo ti;
        ti.name = t.value("name", "");
        ti.type = t.value("type", "");
        if (t.contains("shape")) ti.shape = t["shape"].get<std::vector<std::uint64_t>>();
        out.tensors.push_back(std::move(ti));
      }
    }
  }
  if (!shown.projector_paths.empty()) {
    try {
      const auto file = gguf::File::open(shown.projector_paths.front().string());
      out.projector_info = api::Json(store::gguf_model_info(file, r.verbose));
    } catch (const Error& e) {
      log::warn("projector of {}: {}", shown.short_name, e.what());
    }
  }
  out.capabilities = m.capabilities;
  out.modified_at = shown.manifest.modified;
  out.requires_version = shown.config.requires_version;
  write_json(res, 200, api::to_json(out));
}

void handle_copy(ServerContext& ctx, const std::string& body, httplib::Response& res) {
  const auto r = api::parse_copy_request(api::parse_body(body));
  const auto src = store::ModelName::parse(r.source);
  if (!src.is_valid()) throw api::StatusError(400, "source \"" + r.source + "\" is invalid");
  const auto dst = store::ModelName::parse(r.destination);
  if (!dst.is_valid()) throw api::StatusError(400, "destination \"" + r.destination + "\" is invalid");
  const auto src_resolved = ctx.store.resolve_name(src);
  if (!ctx.store.read_manifest(src_resolved)) throw api::StatusError(404, "model \"" + r.source + "\" not found");
  store::copy_model(ctx.store, src_resolved, ctx.store.resolve_name(dst));
  res.status = 200;
}

void handle_delete(ServerContext& ctx, const std::string& body, httplib::Response& res) {
  const auto r = api::parse_delete_request(api::parse_body(body));
  if (r.model.empty()) throw api::StatusError(400, "model is required");
  const auto name = store::ModelName::parse(r.model);
  if (!name.is_valid()) throw api::StatusError(400, "invalid model name");
  const auto resolved = ctx.store.resolve_name(name);
  if (!ctx.store.read_manifest(resolved)) throw api::StatusError(404, "model '" + r.model + "' not found");
  store::delete_model(ctx.store, resolved);
  res.status = 200;
}

void handle_ps(ServerContext& ctx, httplib::Response& res) {
  std::vector<api::ProcessModel> out;
  for (const auto& l : ctx.scheduler.loaded()) {
    api::ProcessModel p;
    p.name = p.model = l.name;
    p.size = l.size;
    p.digest = l.digest;
    p.details = l.details;
    p.details.parent_model.clear();
    p.expires_at = l.expires_at;
    p.size_vram = 0;
    p.context_length = l.spec.num_ctx;
    out.push_back(std::move(p));
  }
  write_json(res, 200, api::to_json(out));
}

}  // namespace

void register_model_routes(httplib::Server& http, ServerContext& ctx) {
  http.Get("/api/tags", [&ctx](const httplib::Request&, httplib::Response& res) {
    respond(res, [&] { handle_tags(ctx, res); });
  });
  post_json(http, ctx, "/api/show", [&ctx](const httplib::Request&, const std::string& body, httplib::Response& res) {
    respond(res, [&] { handle_show(ctx, body, res); });
  });
  post_json(http, ctx, "/api/copy", [&ctx](const httplib::Request&, const std::string& body, httplib::Response& res) {
    respond(res, [&] { handle_copy(ctx, body, res); });
  });
  delete_json(http, ctx, "/api/delete",
              [&ctx](const httplib::Request&, const std::string& body, httplib::Response& res) {
                respond(res, [&] { handle_delete(ctx, body, res); });
              });
  http.Get("/api/ps", [&ctx](const httplib::Request&, httplib::Response& res) {
    respond(res, [&] { handle_ps(ctx, res); });
  });
}

}  // namespace corral::server
