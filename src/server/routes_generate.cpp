// POST /api/generate (§1.2): completion of a prompt rendered through the
// model's template (or raw), streamed as NDJSON by default; empty prompt
// loads the model, with keep_alive 0 unloads it; `context` round-trips the
// conversation as token ids; `_debug_render_only` returns the prompt.
#include <httplib.h>

#include "api/requests.h"
#include "api/responses.h"
#include "server/generate_session.h"
#include "server/http_util.h"
#include "server/json_route.h"
#include "server/routes.h"

namespace corral::server {

namespace {

api::GenerateResponse response(const std::string& model) {
  api::GenerateResponse r;
  r.model = model;
  r.created_at = std::chrono::system_clock::now();
  return r;
}

api::GenerateResponse chunk(const std::string& model, ChatDelta&& d) {
  api::GenerateResponse r = response(model);
  r.response = std::move(d.content);
  r.thinking = std::move(d.thinking);
  r.tool_calls = std::move(d.tool_calls);
  r.logprobs = std::move(d.logprobs);
  return r;
}

void finish(api::GenerateResponse& r, GenerateDone&& done) {
  r.created_at = std::chrono::system_clock::now();
  r.done = true;
  r.done_reason = done.done_reason;
  if (!done.context.empty()) r.context = std::move(done.context);
  r.metrics = done.metrics;
}

void handle_generate(ServerContext& ctx, const httplib::Request& http_req, const std::string& body,
                     httplib::Response& res) {
  const auto started = Clock::now();
  auto s = start_generate(ctx, api::parse_generate_request(api::parse_body(body)), http_req, started);
  const std::string model = s->req.model;
  switch (s->outcome) {
    case GenerateSession::Outcome::unloaded:
    case GenerateSession::Outcome::loaded: {
      auto out = response(model);
      out.done = true;
      out.done_reason = s->outcome == GenerateSession::Outcome::loaded ? "load" : "unload";
      write_json(res, 200, api::to_json(out));
      return;
    }
    case GenerateSession::Outcome::rendered: {
      auto out = response(model);
      out.debug_info = api::Json{{"rendered_template", s->prompt_text}, {"image_count", s->image_count}};
      write_json(res, 200, api::to_json(out));
      return;
    }
    case GenerateSession::Outcome::run: break;
  }
  if (!s->req.stream) {
    api::GenerateResponse total = response(model);
    auto done = run_generate(ctx, *s, [&](ChatDelta&& d) {
      total.response += d.content;
      total.thinking += d.thinking;
      for (auto& c : d.tool_calls) total.tool_calls.push_back(std::move(c));
      for (auto& l : d.logprobs) total.logprobs.push_back(std::move(l));
      return true;
    });
    finish(total, std::move(done));
    write_json(res, 200, api::to_json(total));
    return;
  }
  stream_response(
      res, kNdjsonType,
      [&ctx, s, model](const std::function<bool(const std::string&)>& write) {
        auto line = [&](const api::GenerateResponse& g) { return write(dump_json(api::to_json(g)) + "\n"); };
        auto done = run_generate(ctx, *s, [&](ChatDelta&& d) { return line(chunk(model, std::move(d))); });
        api::GenerateResponse final = response(model);
        finish(final, std::move(done));
        line(final);
        s->gen.lease.reset();
      },
      [](const std::string& msg) { return dump_json(api::error_json(msg)) + "\n"; });
}

}  // namespace

void register_generate_routes(httplib::Server& http, ServerContext& ctx) {
  post_json(http, ctx, "/api/generate",
            [&ctx](const httplib::Request& req, const std::string& body, httplib::Response& res) {
              respond(res, [&] { handle_generate(ctx, req, body, res); });
            });
}

}  // namespace corral::server
