// POST /api/create (§1.7: a model from an existing one or from uploaded
// blobs, with Ollama's progress stream) and the blob routes (§1.8):
// HEAD /api/blobs/:digest (exists?) and POST /api/blobs/:digest (upload,
// streamed to a temporary file and verified against the digest).
#include <httplib.h>

#include "api/requests.h"
#include "api/responses.h"
#include "api/status_error.h"
#include "server/generation.h"
#include "server/http_util.h"
#include "server/json_route.h"
#include "server/routes.h"
#include "store/create.h"
#include "store/create_request.h"
#include "store/digest.h"
#include "store/store_errors.h"
#include "registry/registry.h"
#include "server/registry_options.h"
#include "template/named_templates.h"
#include "template/prompt_template.h"
#include "util/log.h"
#include "util/sha256.h"

namespace corral::server {

namespace {

store::CreateOptions create_options(ServerContext& ctx) {
  store::CreateOptions o = store::default_create_options();
  o.prune_replaced = !ctx.config.noprune;
  if (!o.detect_template) {
    o.detect_template = [](std::string_view chat_template) -> std::optional<store::NamedTemplate> {
      const auto d = tmpl::detect_named_template(chat_template);
      if (!d || !d->named) return std::nullopt;
      return store::NamedTemplate{d->named->name, d->named->go_template, d->named->stop};
    };
  }
  if (!o.validate_template)
    o.validate_template = [](std::string_view text) { (void)tmpl::PromptTemplate::parse(text); };
  o.threads = ctx.config.num_threads;
  // A FROM model missing locally is pulled, its progress interleaved.
  o.pull = [&ctx](const store::ModelName& name, const store::CreateProgressFn& progress) {
    registry::pull(ctx.store, name, pull_options(ctx, false), [&](const registry::Progress& p) {
      if (progress) progress(store::CreateProgress{p.status, p.digest, p.total, p.completed});
    });
  };
  return o;
}

api::ProgressResponse to_progress(const store::CreateProgress& p) {
  return api::ProgressResponse{p.status, p.digest, p.total, p.completed};
}

void handle_create(ServerContext& ctx, const std::string& body, httplib::Response& res) {
  const api::Json j = api::parse_body(body);
  api::Fields f(j, "CreateRequest");
  const bool stream = f.boolean("stream").value_or(true);
  store::CreateRequest cr;
  try {
    cr = store::parse_create_request(nlohmann::json(j));
  } catch (const store::BadRequestError& e) {
    throw api::StatusError(400, e.what());
  } catch (const api::StatusError&) {
    throw;
  } catch (const Error& e) {
    throw api::StatusError(400, e.what());
  }
  if (!store::ModelName::parse(cr.model).is_valid()) throw api::StatusError(400, "invalid model name");
  if (cr.from.empty() && cr.files.empty()) throw api::StatusError(400, "neither 'from' or 'files' was specified");

  auto run = [&ctx, cr](const store::CreateProgressFn& progress) {
    store::create_model(ctx.store, cr, progress, create_options(ctx));
  };
  if (!stream) {
    run({});
    write_json(res, 200, api::to_json(api::ProgressResponse{"success", "", 0, 0}));
    return;
  }
  stream_response(
      res, kNdjsonType,
      [run](const std::function<bool(const std::string&)>& write) {
        bool alive = true;
        run([&](const store::CreateProgress& p) {
          if (alive) alive = write(dump_json(api::to_json(to_progress(p))) + "\n");
        });
        if (alive) write(dump_json(api::to_json(api::ProgressResponse{"success", "", 0, 0})) + "\n");
      },
      [](const std::string& msg) { return dump_json(api::error_json(msg)) + "\n"; });
}

std::optional<std::string> digest_param(const httplib::Request& req) {
  if (req.matches.size() < 2) return std::nullopt;
  return store::normalize_digest(req.matches[1].str());
}

void handle_blob_head(ServerContext& ctx, const httplib::Request& req, httplib::Response& res) {
  if (req.method != "HEAD") {
    res.status = 405;
    res.set_content("405 method not allowed", "text/plain");
    return;
  }
  const auto digest = digest_param(req);
  if (!digest) throw api::StatusError(400, "invalid digest format");
  if (!ctx.store.has_blob(*digest)) throw api::StatusError(404, "blob \"" + *digest + "\" not found");
  res.status = 200;
}

void handle_blob_upload(ServerContext& ctx, const httplib::Request& req, httplib::Response& res,
                        const httplib::ContentReader* reader) {
  const auto digest = digest_param(req);
  auto drain = [&] {
    if (reader) (*reader)([](const char*, std::size_t) { return true; });
  };
  if (!digest) {
    drain();
    throw api::StatusError(400, "invalid digest format");
  }
  if (ctx.store.has_blob(*digest)) {
    drain();
    res.status = 200;
    return;
  }
  store::TempFile tmp = ctx.store.new_temp_blob();
  std::string write_error_text;
  if (reader) {
    const bool ok = (*reader)([&](const char* data, std::size_t n) {
      if (!write_error_text.empty()) return true;  // keep draining
      try {
        tmp.write(data, n);
      } catch (const std::exception& e) {
        write_error_text = e.what();
      }
      return true;
    });
    if (!ok) throw api::StatusError(400, "failed to read the upload");
  }
  if (!write_error_text.empty()) throw api::StatusError(500, write_error_text);
  tmp.finish();
  try {
    ctx.store.commit_blob(tmp.path(), *digest);
  } catch (const store::DigestMismatchError& e) {
    throw api::StatusError(400, e.what());
  }
  tmp.release();
  res.status = 201;
}

}  // namespace

void register_create_routes(httplib::Server& http, ServerContext& ctx) {
  post_json(http, ctx, "/api/create", [&ctx](const httplib::Request&, const std::string& body, httplib::Response& res) {
    respond(res, [&] { handle_create(ctx, body, res); });
  });
  const std::string blob = "/api/blobs/([^/]+)";
  http.Get(blob, [&ctx](const httplib::Request& req, httplib::Response& res) {
    respond(res, [&] { handle_blob_head(ctx, req, res); });
  });
  http.Post(blob, [&ctx](const httplib::Request& req, httplib::Response& res) {
    respond(res, [&] { handle_blob_upload(ctx, req, res, nullptr); });
  });
  http.Post(blob, [&ctx](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
    respond(res, [&] { handle_blob_upload(ctx, req, res, &reader); });
  });
}

}  // namespace corral::server
