// Embedding requests run on a loaded model: tokenizing (cut to the context
// unless truncate is false), running, checking for NaN/Inf, normalising and
// Matryoshka truncation to `dimensions`. Shared by /api/embed,
// /api/embeddings and /v1/embeddings.
#include "server/embed_service.h"

#include <cmath>

#include "api/status_error.h"
#include "server/generation.h"

namespace corral::server {

namespace {

void normalize(std::vector<float>& v) {
  double sum = 0;
  for (float x : v) sum += static_cast<double>(x) * x;
  if (sum <= 0) return;
  const double inv = 1.0 / std::sqrt(sum);
  for (float& x : v) x = static_cast<float>(x * inv);
}

struct EmbedRun {
  std::vector<std::vector<float>> vectors;
  std::int64_t prompt_tokens = 0;
};

EmbedRun embed_texts(ServerContext& ctx, Generation& g, const ResolvedModel& m, const std::vector<std::string>& texts,
                     bool truncate, bool normalized) {
  const auto& tok = *g.tokenizer;
  std::int64_t limit = g.lease->spec().num_ctx;
  if (m.gguf && m.gguf->n_ctx_train > 0) limit = std::min(limit, m.gguf->n_ctx_train);
  runner::EmbedRequest er;
  er.truncate = truncate;
  er.normalize = normalized;
  for (const auto& t : texts) {
    auto ids = tok.encode(t, true, true);
    if (static_cast<std::int64_t>(ids.size()) > limit) {
      if (!truncate) throw api::StatusError(400, "the input length exceeds the context length");
      if (limit <= 0) throw api::StatusError(400, "input after truncation exceeds maximum context length");
      ids.resize(static_cast<std::size_t>(limit));
    }
    if (ids.empty()) ids.push_back(tok.vocab().bos >= 0 ? tok.vocab().bos : 0);
    er.inputs.push_back(std::move(ids));
  }
  runner::EmbedResult result;
  try {
    result = g.lease->engine().embed(er, g.watch ? g.watch->flag() : nullptr);
  } catch (const api::StatusError&) {
    throw;
  } catch (const Error& e) {
    if (std::string(e.what()) == "request canceled") throw api::StatusError(499, e.what());
    throw api::StatusError(400, e.what());
  }
  for (const auto& v : result.embeddings)
    for (float x : v)
      if (!std::isfinite(x)) throw api::StatusError(400, "embedding contains NaN or Inf values");
  ctx.metrics.record_embedding(g.metrics_name, result.prompt_eval_count);
  return EmbedRun{std::move(result.embeddings), result.prompt_eval_count};
}

}  // namespace

api::EmbedResponse run_embed(ServerContext& ctx, const httplib::Request& http_req, const api::EmbedRequest& r) {
  Generation g;
  g.started = Clock::now();
  if (r.model.empty()) throw api::StatusError(404, "model '' not found");
  ResolvedModel m = ctx.catalog.resolve(r.model);
  const api::ModelOptions options = merged_options(m, r.options);
  acquire(ctx, g, m, options, r.options, r.keep_alive, http_req);
  api::EmbedResponse out;
  out.model = r.model;
  if (!r.input.empty()) {
    auto run = embed_texts(ctx, g, m, r.input, r.truncate.value_or(true), true);
    for (auto& v : run.vectors) {
      if (r.dimensions > 0 && static_cast<std::size_t>(r.dimensions) < v.size()) {
        v.resize(static_cast<std::size_t>(r.dimensions));
        normalize(v);
      }
    }
    out.embeddings = std::move(run.vectors);
    out.prompt_eval_count = run.prompt_tokens;
  }
  out.load_duration = std::chrono::duration_cast<std::chrono::nanoseconds>(g.loaded - g.started).count();
  out.total_duration = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - g.started).count();
  return out;
}

api::EmbeddingResponse run_legacy_embedding(ServerContext& ctx, const httplib::Request& http_req,
                                            const api::EmbeddingRequest& r) {
  Generation g;
  g.started = Clock::now();
  if (r.model.empty()) throw api::StatusError(404, "model '' not found");
  ResolvedModel m = ctx.catalog.resolve(r.model);
  const api::ModelOptions options = merged_options(m, r.options);
  acquire(ctx, g, m, options, r.options, r.keep_alive, http_req);
  api::EmbeddingResponse out;
  if (!r.prompt.empty()) {
    try {
      auto run = embed_texts(ctx, g, m, {r.prompt}, true, false);
      for (float x : run.vectors.at(0)) out.embedding.push_back(x);
    } catch (const api::StatusError& e) {
      if (e.status() == 499) throw;
      throw api::StatusError(500, e.what());
    }
  }
  return out;
}

}  // namespace corral::server
