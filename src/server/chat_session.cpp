// Chat sessions: validation, prompt, generation into deltas.
#include "server/chat_session.h"

#include "api/status_error.h"
#include "server/prompt_builder.h"
#include "server/structured_output.h"

namespace corral::server {

std::shared_ptr<ChatSession> start_chat(ServerContext& ctx, ResolvedModel model, ChatInput input,
                                        const httplib::Request& req, Clock::time_point started) {
  auto s = std::make_shared<ChatSession>();
  s->gen.started = started;
  s->gen.model_name = input.model_name;
  s->model = std::move(model);
  s->input = std::move(input);
  const ResolvedModel& m = s->model;
  ChatInput& in = s->input;
  if (!m.has_capability("completion"))
    throw api::StatusError(400, "\"" + in.model_name + "\" does not support chat");
  s->has_tools = in.tools.is_array() && !in.tools.empty();
  if (s->has_tools && !m.has_capability("tools")) throw api::StatusError(400, m.full_name() + " does not support tools");
  const api::Think think = effective_think(m, in.think);
  const api::ModelOptions options = merged_options(m, in.options);

  acquire(ctx, s->gen, m, options, in.options, in.keep_alive, req);
  if (in.messages.empty()) {
    s->load_only = true;
    return s;
  }
  const BuiltPrompt prompt = build_chat_prompt(m, in.messages, in.tools, *s->gen.tokenizer,
                                               s->gen.lease->spec().num_ctx, in.truncate, think);
  s->prompt_text = prompt.text;
  s->image_count = prompt.image_count;
  s->gen.request.constraint = make_format_constraint(in.format, s->gen.tokenizer);
  prepare_completion(s->gen, prompt.tokens, options, in.truncate, in.shift, in.logprobs, in.top_logprobs);
  s->parser = parser_config(m, think, prompt.text, in.tools);
  return s;
}

ChatDone run_chat(ServerContext& ctx, ChatSession& s, const std::function<bool(ChatDelta&&)>& emit) {
  OutputParser parser(s.parser);
  ChatDone done;
  auto deliver = [&](ParsedOutput&& p, std::vector<api::Logprob>&& logprobs) {
    ChatDelta d{std::move(p.content), std::move(p.thinking), std::move(p.tool_calls), std::move(logprobs)};
    if (!d.tool_calls.empty()) done.had_tool_calls = true;
    if (d.empty()) return true;
    return emit(std::move(d));
  };
  auto result = run_generation(ctx, s.gen, [&](TextChunk&& c) { return deliver(parser.push(c.text), std::move(c.logprobs)); });
  if (!deliver(parser.finish(), {})) throw api::StatusError(499, "request canceled");
  done.done_reason = result.done_reason;
  done.metrics = final_metrics(s.gen, result);
  return done;
}

}  // namespace corral::server
