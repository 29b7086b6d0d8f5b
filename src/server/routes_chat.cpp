// POST /api/chat (§1.3): a conversation rendered through the model's
// template (Modelfile MESSAGEs first, its SYSTEM unless the request starts
// with one, oldest messages dropped to fit num_ctx), streamed as NDJSON by
// default, with thinking split into message.thinking and tool calls into
// message.tool_calls (each call in a chunk of its own). Empty messages load
// the model; with keep_alive 0 they unload it.
#include <httplib.h>

#include "api/requests.h"
#include "api/responses.h"
#include "api/status_error.h"
#include "server/chat_session.h"
#include "server/http_util.h"
#include "server/json_route.h"
#include "server/routes.h"

namespace corral::server {

namespace {

api::ChatResponse base_response(const std::string& model) {
  api::ChatResponse r;
  r.model = model;
  r.created_at = std::chrono::system_clock::now();
  r.message.role = "assistant";
  return r;
}

api::ChatResponse chunk_response(const std::string& model, const ChatDelta& d) {
  api::ChatResponse r = base_response(model);
  r.message.content = d.content;
  r.message.thinking = d.thinking;
  r.message.tool_calls = d.tool_calls;
  r.logprobs = d.logprobs;
  return r;
}

void handle_chat(ServerContext& ctx, const httplib::Request& http_req, const std::string& body,
                 httplib::Response& res) {
  const auto started = Clock::now();
  auto req = api::parse_chat_request(api::parse_body(body));
  if (req.model.empty()) throw api::StatusError(400, "model is required");
  ResolvedModel m = ctx.catalog.resolve(req.model);

  if (req.messages.empty() && req.keep_alive && req.keep_alive->is_zero()) {
    if (!m.stored.model_path.empty()) ctx.scheduler.expire(m.stored.model_path);
    auto out = base_response(req.model);
    out.done = true;
    out.done_reason = "unload";
    write_json(res, 200, api::to_json(out));
    return;
  }
  ChatInput in;
  in.model_name = req.model;
  in.messages = std::move(req.messages);
  in.tools = req.tools;
  in.options = req.options;
  in.format = req.format;
  in.think = req.think;
  in.keep_alive = req.keep_alive;
  in.truncate = req.truncate.value_or(true);
  in.shift = req.shift.value_or(true);
  in.logprobs = req.logprobs;
  in.top_logprobs = req.top_logprobs;
  auto session = start_chat(ctx, std::move(m), std::move(in), http_req, started);
  if (session->load_only) {
    auto out = base_response(req.model);
    out.done = true;
    out.done_reason = "load";
    write_json(res, 200, api::to_json(out));
    return;
  }
  if (req.debug_render_only) {
    auto out = base_response(req.model);
    out.debug_info = api::Json{{"rendered_template", session->prompt_text}, {"image_count", session->image_count}};
    write_json(res, 200, api::to_json(out));
    return;
  }
  const std::string model = req.model;
  if (!req.stream) {
    api::ChatResponse total = base_response(model);
    const bool had_tools = session->has_tools;
    auto done = run_chat(ctx, *session, [&](ChatDelta&& d) {
      total.message.content += d.content;
      total.message.thinking += d.thinking;
      if (had_tools)
        for (auto& c : d.tool_calls) total.message.tool_calls.push_back(std::move(c));
      for (auto& l : d.logprobs) total.logprobs.push_back(std::move(l));
      return true;
    });
    total.created_at = std::chrono::system_clock::now();
    total.done = true;
    total.done_reason = done.done_reason;
    total.metrics = done.metrics;
    write_json(res, 200, api::to_json(total));
    return;
  }
  stream_response(
      res, kNdjsonType,
      [&ctx, session, model](const std::function<bool(const std::string&)>& write) {
        auto line = [&](const api::ChatResponse& r) { return write(dump_json(api::to_json(r)) + "\n"); };
        auto done = run_chat(ctx, *session, [&](ChatDelta&& d) {
          if (!d.tool_calls.empty() && (!d.content.empty() || !d.thinking.empty())) {
            // Tool calls travel in a chunk of their own.
            ChatDelta text{d.content, d.thinking, {}, std::move(d.logprobs)};
            if (!line(chunk_response(model, text))) return false;
            return line(chunk_response(model, ChatDelta{"", "", std::move(d.tool_calls), {}}));
          }
          return line(chunk_response(model, d));
        });
        auto final = base_response(model);
        final.done = true;
        final.done_reason = done.done_reason;
        final.metrics = done.metrics;
        line(final);
        session->gen.lease.reset();
      },
      [](const std::string& msg) { return dump_json(api::error_json(msg)) + "\n"; });
}

}  // namespace

void register_chat_routes(httplib::Server& http, ServerContext& ctx) {
  post_json(http, ctx, "/api/chat", [&ctx](const httplib::Request& req, const std::string& body, httplib::Response& res) {
    respond(res, [&] { handle_chat(ctx, req, body, res); });
  });
}

}  // namespace corral::server
