// The OpenAI-compatible routes (§1.15): POST /v1/chat/completions,
// POST /v1/completions (both non-streaming by default; SSE when streaming,
// ending with "data: [DONE]"), POST /v1/embeddings (float or base64),
// GET /v1/models and GET /v1/models/:model. Errors use OpenAI's error
// object; 5xx answers carry x-should-retry: false where retrying cannot help.
#include <httplib.h>

#include <cstring>

#include "util/base64.h"
#include "api/json_fields.h"
#include "api/status_error.h"
#include "server/chat_session.h"
#include "server/embed_service.h"
#include "server/generate_session.h"
#include "server/http_util.h"
#include "server/json_route.h"
#include "server/openai_convert.h"
#include "server/routes.h"
#include "store/model_ops.h"

namespace corral::server {

namespace {

constexpr const char* kSseType = "text/event-stream";

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

template <typename F>
void respond_openai(httplib::Response& res, F&& body) {
  try {
    body();
  } catch (const std::exception& e) {
    const int status = status_of(e);
    if (status >= 500 && status != 503) res.set_header("x-should-retry", "false");
    write_json(res, status, openai_error(status, e.what()));
  }
}

std::string sse(const api::Json& j) { return "data: " + dump_json(j) + "\n\n"; }

std::string sse_error(const std::string& msg) { return sse(openai_error(500, msg)); }

// ---- chat ---------------------------------------------------------------------

api::Json chat_chunk(const std::string& id, std::int64_t created, const std::string& model, api::Json delta,
                     api::Json finish, api::Json logprobs = nullptr) {
  api::Json choice = {{"index", 0}, {"delta", std::move(delta)}};
  if (!logprobs.is_null()) choice["logprobs"] = std::move(logprobs);
  choice["finish_reason"] = std::move(finish);
  return api::Json{{"id", id},
                   {"object", "chat.completion.chunk"},
                   {"created", created},
                   {"model", model},
                   {"system_fingerprint", "fp_ollama"},
                   {"choices", api::Json::array({std::move(choice)})}};
}

void handle_chat(ServerContext& ctx, const httplib::Request& http_req, const std::string& body, httplib::Response& res) {
  const auto started = Clock::now();
  OpenAIChatRequest r = parse_openai_chat(api::parse_body(body));
  if (r.input.model_name.empty()) throw api::StatusError(400, "model is required");
  ResolvedModel m = ctx.catalog.resolve(r.input.model_name);
  const std::string model = r.input.model_name;
  auto session = start_chat(ctx, std::move(m), std::move(r.input), http_req, started);
  const std::string id = openai_id("chatcmpl");
  const std::int64_t created = unix_now();
  if (r.debug_render_only) {
    write_json(res, 200, api::Json{{"id", id}, {"object", "chat.completion"}, {"created", created}, {"model", model},
                                   {"_debug_info", {{"rendered_template", session->prompt_text}, {"image_count", session->image_count}}}});
    return;
  }
  const bool want_logprobs = session->input.logprobs;
  if (!r.stream) {
    std::string content, reasoning;
    api::Json calls = api::Json::array();
    std::vector<api::Logprob> logprobs;
    auto done = run_chat(ctx, *session, [&](ChatDelta&& d) {
      content += d.content;
      reasoning += d.thinking;
      for (const auto& c : d.tool_calls) calls.push_back(openai_tool_call(c, static_cast<int>(calls.size())));
      for (auto& l : d.logprobs) logprobs.push_back(std::move(l));
      return true;
    });
    api::Json message = {{"role", "assistant"}, {"content", content}};
    if (!reasoning.empty()) message["reasoning"] = reasoning;
    if (!calls.empty()) message["tool_calls"] = calls;
    api::Json choice = {{"index", 0}, {"message", message}, {"finish_reason", finish_reason(done.done_reason, !calls.empty())}};
    if (want_logprobs) choice["logprobs"] = openai_logprobs(logprobs);
    write_json(res, 200, api::Json{{"id", id}, {"object", "chat.completion"}, {"created", created}, {"model", model},
                                   {"system_fingerprint", "fp_ollama"}, {"choices", api::Json::array({choice})},
                                   {"usage", openai_usage(done.metrics)}});
    return;
  }
  const bool include_usage = r.include_usage;
  stream_response(
      res, kSseType,
      [&ctx, session, id, created, model, include_usage, want_logprobs](const std::function<bool(const std::string&)>& write) {
        int call_index = 0;
        auto send = [&](api::Json delta, const std::vector<api::Logprob>& lp) {
          delta["role"] = "assistant";
          api::Json logprobs = want_logprobs && !lp.empty() ? openai_logprobs(lp) : api::Json(nullptr);
          return write(sse(chat_chunk(id, created, model, std::move(delta), nullptr, std::move(logprobs))));
        };
        auto done = run_chat(ctx, *session, [&](ChatDelta&& d) {
          if (!d.thinking.empty() && !send(api::Json{{"content", ""}, {"reasoning", d.thinking}}, {})) return false;
          if (!d.content.empty() || d.tool_calls.empty()) {
            if (!send(api::Json{{"content", d.content}}, d.logprobs)) return false;
          }
          if (!d.tool_calls.empty()) {
            api::Json calls = api::Json::array();
            for (const auto& c : d.tool_calls) calls.push_back(openai_tool_call(c, call_index++));
            if (!send(api::Json{{"tool_calls", calls}}, {})) return false;
          }
          return true;
        });
        write(sse(chat_chunk(id, created, model, api::Json::object(),
                             finish_reason(done.done_reason, done.had_tool_calls))));
        if (include_usage) {
          write(sse(api::Json{{"id", id}, {"object", "chat.completion.chunk"}, {"created", created}, {"model", model},
                              {"system_fingerprint", "fp_ollama"}, {"choices", api::Json::array()},
                              {"usage", openai_usage(done.metrics)}}));
        }
        write("data: [DONE]\n\n");
        session->gen.lease.reset();
      },
      sse_error);
}

// ---- completions ------------------------------------------------------------------

api::Json completion_object(const std::string& id, std::int64_t created, const std::string& model, const std::string& text,
                            api::Json finish, bool chunk) {
  return api::Json{{"id", id},
                   {"object", "text_completion"},
                   {"created", created},
                   {"model", model},
                   {"system_fingerprint", "fp_ollama"},
                   {"choices", api::Json::array({{{"text", text}, {"index", 0}, {"finish_reason", std::move(finish)}}})}};
  (void)chunk;
}

void handle_completion(ServerContext& ctx, const httplib::Request& http_req, const std::string& body,
                       httplib::Response& res) {
  const auto started = Clock::now();
  OpenAICompletionRequest r = parse_openai_completion(api::parse_body(body));
  if (r.generate.model.empty()) throw api::StatusError(400, "model is required");
  const std::string model = r.generate.model;
  auto s = start_generate(ctx, std::move(r.generate), http_req, started);
  const std::string id = openai_id("cmpl");
  const std::int64_t created = unix_now();
  if (s->outcome != GenerateSession::Outcome::run) {
    write_json(res, 200, completion_object(id, created, model, "", "stop", false));
    return;
  }
  if (!r.stream) {
    std::string text;
    auto done = run_generate(ctx, *s, [&](ChatDelta&& d) {
      text += d.content;
      return true;
    });
    api::Json out = completion_object(id, created, model, text, finish_reason(done.done_reason, false), false);
    out["usage"] = openai_usage(done.metrics);
    write_json(res, 200, out);
    return;
  }
  const bool include_usage = r.include_usage;
  stream_response(
      res, kSseType,
      [&ctx, s, id, created, model, include_usage](const std::function<bool(const std::string&)>& write) {
        auto done = run_generate(ctx, *s, [&](ChatDelta&& d) {
          if (d.content.empty()) return true;
          return write(sse(completion_object(id, created, model, d.content, nullptr, true)));
        });
        write(sse(completion_object(id, created, model, "", finish_reason(done.done_reason, false), true)));
        if (include_usage) {
          api::Json u = completion_object(id, created, model, "", nullptr, true);
          u["choices"] = api::Json::array();
          u["usage"] = openai_usage(done.metrics);
          write(sse(u));
        }
        write("data: [DONE]\n\n");
        s->gen.lease.reset();
      },
      sse_error);
}

// ---- embeddings -----------------------------------------------------------------

void handle_embeddings(ServerContext& ctx, const httplib::Request& http_req, const std::string& body,
                       httplib::Response& res) {
  const OpenAIEmbeddingRequest r = parse_openai_embedding(api::parse_body(body));
  if (r.model.empty()) throw api::StatusError(400, "model is required");
  api::EmbedRequest native;
  native.model = r.model;
  native.input = r.input;
  native.dimensions = r.dimensions;
  const api::EmbedResponse er = run_embed(ctx, http_req, native);
  api::Json data = api::Json::array();
  for (std::size_t i = 0; i < er.embeddings.size(); ++i) {
    api::Json e = {{"object", "embedding"}};
    if (r.base64) {
      std::string bytes(er.embeddings[i].size() * sizeof(float), '\0');
      std::memcpy(bytes.data(), er.embeddings[i].data(), bytes.size());  // little-endian hosts
      e["embedding"] = base64_encode(bytes);
    } else {
      e["embedding"] = er.embeddings[i];
    }
    e["index"] = i;
    data.push_back(std::move(e));
  }
  write_json(res, 200, api::Json{{"object", "list"}, {"data", data}, {"model", r.model},
                                 {"usage", {{"prompt_tokens", er.prompt_eval_count}, {"total_tokens", er.prompt_eval_count}}}});
}

// ---- models ------------------------------------------------------------------------

api::Json model_object(const store::ModelSummary& s) {
  return api::Json{{"id", s.display_name},
                   {"object", "model"},
                   {"created", std::chrono::duration_cast<std::chrono::seconds>(s.modified.time_since_epoch()).count()},
                   {"owned_by", s.name.ns}};
}

void handle_models(ServerContext& ctx, httplib::Response& res) {
  api::Json data = api::Json::array();
  for (const auto& s : store::list_models(ctx.store, store::ListOptions{false})) data.push_back(model_object(s));
  write_json(res, 200, api::Json{{"object", "list"}, {"data", data}});
}

void handle_model(ServerContext& ctx, const httplib::Request& req, httplib::Response& res) {
  const std::string name = req.matches.size() > 1 ? req.matches[1].str() : "";
  const auto parsed = store::ModelName::parse(name);
  if (parsed.is_valid()) {
    const auto resolved = ctx.store.resolve_name(parsed);
    for (const auto& s : store::list_models(ctx.store, store::ListOptions{false})) {
      if (store::equal_fold(s.name.to_string(), resolved.to_string())) {
        write_json(res, 200, model_object(s));
        return;
      }
    }
  }
  throw api::StatusError(404, "model \"" + name + "\" not found");
}

}  // namespace

void register_openai_routes(httplib::Server& http, ServerContext& ctx) {
  post_json(http, ctx, "/v1/chat/completions",
            [&ctx](const httplib::Request& req, const std::string& body, httplib::Response& res) {
              respond_openai(res, [&] { handle_chat(ctx, req, body, res); });
            });
  post_json(http, ctx, "/v1/completions",
            [&ctx](const httplib::Request& req, const std::string& body, httplib::Response& res) {
              respond_openai(res, [&] { handle_completion(ctx, req, body, res); });
            });
  post_json(http, ctx, "/v1/embeddings",
            [&ctx](const httplib::Request& req, const std::string& body, httplib::Response& res) {
              respond_openai(res, [&] { handle_embeddings(ctx, req, body, res); });
            });
  http.Get("/v1/models", [&ctx](const httplib::Request&, httplib::Response& res) {
    respond_openai(res, [&] { handle_models(ctx, res); });
  });
  http.Get("/v1/models/([^/]+)", [&ctx](const httplib::Request& req, httplib::Response& res) {
    respond_openai(res, [&] { handle_model(ctx, req, res); });
  });
}

}  // namespace corral::server
