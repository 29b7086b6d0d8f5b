// Shared steps of a generation.
#include "server/generation.h"

#include "api/status_error.h"
#include "runner/prompt_fit.h"
#include "server/prompt_builder.h"
#include "util/log.h"

namespace corral::server {

api::Think effective_think(const ResolvedModel& m, const api::Think& requested) {
  const bool can = m.has_capability("thinking");
  if (requested.enabled() && !can)
    throw api::StatusError(400, "\"" + m.request_name + "\" does not support thinking");
  if (!requested.is_set() && can) return api::Think::from_bool(true);
  return requested;
}

OutputParserConfig parser_config(const ResolvedModel& m, const api::Think& think, const std::string& prompt,
                                 const api::Json& tools) {
  OutputParserConfig c;
  c.prompt_template = m.prompt_template;
  c.tools = to_template_tools(tools);
  c.think = think;
  c.rendered_prompt = prompt;
  return c;
}

api::ModelOptions merged_options(const ResolvedModel& m, const api::Json& request_options) {
  api::ModelOptions o = m.options;
  try {
    api::apply_options(request_options, o);
  } catch (const api::StatusError&) {
    throw;
  } catch (const Error& e) {
    throw api::StatusError(500, e.what());
  }
  return o;
}

void acquire(ServerContext& ctx, Generation& g, const ResolvedModel& m, const api::ModelOptions& options,
             const api::Json& request_options, const std::optional<api::KeepAlive>& keep_alive,
             const httplib::Request& req) {
  const ModelRequest mr = ctx.model_request(m, options, request_options, keep_alive);
  g.metrics_name = m.stored.short_name;
  g.watch = ctx.watcher.watch(req);
  g.lease = ctx.scheduler.acquire(mr, g.watch->flag());
  g.loaded = Clock::now();
  g.tokenizer = g.lease->engine().tokenizer();
}

void prepare_completion(Generation& g, std::vector<std::int32_t> prompt, const api::ModelOptions& options,
                        bool truncate, bool shift, bool logprobs, int top_logprobs) {
  runner::CompletionRequest& r = g.request;
  r.prompt = std::move(prompt);
  r.sampling = options.sampling;
  r.num_keep = options.num_keep;
  r.shift = shift;
  r.truncate = truncate && shift;
  r.logprobs = logprobs || top_logprobs > 0;
  r.top_logprobs = top_logprobs;
  try {
    sample::validate(r.sampling);
  } catch (const Error& e) {
    throw api::StatusError(400, e.what());
  }
  if (r.prompt.empty()) throw api::StatusError(400, "the prompt is empty after rendering");
  const int keep = r.num_keep + (g.tokenizer->vocab().add_bos ? 1 : 0);
  try {
    (void)runner::fit_prompt(r.prompt, g.lease->spec().num_ctx, keep, r.truncate);
  } catch (const Error& e) {
    throw api::StatusError(400, e.what());
  }
}

namespace {

api::TokenLogprob token_entry(const tokenizer::Tokenizer& tok, const sample::TokenLogprob& t) {
  api::TokenLogprob e;
  try {
    e.token = tok.token_to_piece(t.token);
  } catch (const Error&) {
  }
  e.logprob = t.logprob;
  for (unsigned char c : e.token) e.bytes.push_back(c);
  return e;
}

}  // namespace

runner::CompletionResult run_generation(ServerContext& ctx, Generation& g,
                                        const std::function<bool(TextChunk&&)>& on_chunk) {
  const auto& tok = *g.tokenizer;
  auto on_output = [&](const runner::TokenOutput& o) {
    TextChunk c;
    c.text = o.text;
    for (const auto& lp : o.logprobs) {
      api::Logprob l;
      l.chosen = token_entry(tok, lp.chosen);
      for (const auto& t : lp.top) l.top_logprobs.push_back(token_entry(tok, t));
      c.logprobs.push_back(std::move(l));
    }
    if (c.text.empty() && c.logprobs.empty()) return true;
    return on_chunk(std::move(c));
  };
  runner::CompletionResult result;
  try {
    result = g.lease->engine().complete(g.request, on_output, g.watch ? g.watch->flag() : nullptr);
  } catch (const api::StatusError&) {
    throw;
  } catch (const Error& e) {
    const std::string what = e.what();
    if (what == "request canceled") throw api::StatusError(499, what);
    if (what.find("the prompt is longer than the context") != std::string::npos) throw api::StatusError(400, what);
    throw api::StatusError(500, what);
  }
  ctx.metrics.record_generation(g.metrics_name, result.prompt_eval_count, result.eval_count, result.eval_duration);
  return result;
}

api::Metrics final_metrics(const Generation& g, const runner::CompletionResult& r) {
  api::Metrics m;
  m.total_duration = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - g.started).count();
  m.load_duration = std::chrono::duration_cast<std::chrono::nanoseconds>(g.loaded - g.started).count();
  m.prompt_eval_count = r.prompt_eval_count;
  m.prompt_eval_duration = r.prompt_eval_duration.count();
  m.eval_count = r.eval_count;
  m.eval_duration = r.eval_duration.count();
  // Clients (ollama-ai-provider) require the durations: never report 0.
  if (m.eval_duration == 0 && m.eval_count > 0) m.eval_duration = 1;
  if (m.total_duration == 0) m.total_duration = 1;
  return m;
}

void stream_response(httplib::Response& res, const char* content_type,
                     std::function<void(const std::function<bool(const std::string&)>& write)> produce,
                     std::function<std::string(const std::string& message)> error_line) {
  res.status = 200;
  res.set_chunked_content_provider(
      content_type, [produce = std::move(produce), error_line = std::move(error_line)](std::size_t, httplib::DataSink& sink) {
        bool alive = true;
        auto write = [&](const std::string& bytes) {
          if (!alive) return false;
          alive = sink.write(bytes.data(), bytes.size());
          return alive;
        };
        try {
          produce(write);
        } catch (const std::exception& e) {
          if (alive) write(error_line(e.what()));
        }
        if (!alive) return false;  // drop the connection
        sink.done();
        return true;
      });
}

}  // namespace corral::server
