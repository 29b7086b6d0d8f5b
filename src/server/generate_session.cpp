// Generate sessions: checks, prompt, generation into deltas.
#include "server/generate_session.h"

#include "api/status_error.h"
#include "server/prompt_builder.h"
#include "server/structured_output.h"

namespace corral::server {

std::shared_ptr<GenerateSession> start_generate(ServerContext& ctx, api::GenerateRequest req,
                                                const httplib::Request& http_req, Clock::time_point started) {
  auto s = std::make_shared<GenerateSession>();
  s->gen.started = started;
  s->req = std::move(req);
  const api::GenerateRequest& r = s->req;
  if (r.model.empty()) throw api::StatusError(404, "model '' not found");
  s->model = ctx.catalog.resolve(r.model);
  const ResolvedModel& m = s->model;
  s->gen.model_name = r.model;

  if (r.prompt.empty() && r.keep_alive && r.keep_alive->is_zero()) {
    if (!m.stored.model_path.empty()) ctx.scheduler.expire(m.stored.model_path);
    s->outcome = GenerateSession::Outcome::unloaded;
    return s;
  }
  if (r.raw && (r.template_text || !r.system.empty() || r.context))
    throw api::StatusError(400, "raw mode does not support template, system, or context");
  if (!m.has_capability("completion")) throw api::StatusError(400, "\"" + r.model + "\" does not support generate");
  if (!r.suffix.empty() && !m.has_capability("insert"))
    throw api::StatusError(400, m.full_name() + " does not support insert");
  const api::Think think = effective_think(m, r.think);
  const api::ModelOptions options = merged_options(m, r.options);

  acquire(ctx, s->gen, m, options, r.options, r.keep_alive, http_req);
  if (r.prompt.empty() && r.suffix.empty()) {
    s->outcome = GenerateSession::Outcome::loaded;
    return s;
  }
  const BuiltPrompt prompt = build_generate_prompt(m, r, *s->gen.tokenizer, s->gen.lease->spec().num_ctx, think);
  s->prompt_text = prompt.text;
  s->image_count = prompt.image_count;
  if (r.debug_render_only) {
    s->outcome = GenerateSession::Outcome::rendered;
    return s;
  }
  s->gen.request.constraint = make_format_constraint(r.format, s->gen.tokenizer);
  prepare_completion(s->gen, prompt.tokens, options, r.truncate.value_or(true), r.shift.value_or(true), r.logprobs,
                     r.top_logprobs);
  s->parser = parser_config(m, think, prompt.text, api::Json());
  return s;
}

GenerateDone run_generate(ServerContext& ctx, GenerateSession& s, const std::function<bool(ChatDelta&&)>& emit) {
  OutputParser parser(s.parser);
  auto deliver = [&](ParsedOutput&& p, std::vector<api::Logprob>&& logprobs) {
    ChatDelta d{std::move(p.content), std::move(p.thinking), std::move(p.tool_calls), std::move(logprobs)};
    if (d.empty()) return true;
    return emit(std::move(d));
  };
  auto result =
      run_generation(ctx, s.gen, [&](TextChunk&& c) { return deliver(parser.push(c.text), std::move(c.logprobs)); });
  if (!deliver(parser.finish(), {})) throw api::StatusError(499, "request canceled");
  GenerateDone done;
  done.done_reason = result.done_reason;
  if (!s.req.raw) done.context = std::move(result.context);
  done.metrics = final_metrics(s.gen, result);
  return done;
}

}  // namespace corral::server
