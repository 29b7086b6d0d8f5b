// The runner loop: admission into slots, batched decoding, sampling, stop
// strings and streaming text.
#include "runner/runner.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "runner/prompt_fit.h"
#include "sample/sampler.h"
#include "sample/stop_matcher.h"
#include "tokenizer/streaming_decoder.h"
#include "util/error.h"
#include "util/log.h"

namespace corral::runner {

using Clock = std::chrono::steady_clock;

struct Runner::Slot {
  std::int32_t seq = 0;
  std::vector<std::int32_t> cached;  // the tokens in this sequence's KV cache
  std::shared_ptr<Job> job;
  enum class Phase { idle, prompt, generate } phase = Phase::idle;
  std::vector<std::int32_t> pending;  // prompt tokens still to evaluate
  std::size_t next_pending = 0;
  std::optional<sample::Sampler> sampler;
  std::optional<sample::StopMatcher> stop;
  std::optional<tokenizer::StreamingDecoder> detok;
  std::vector<float> logits;
  std::int32_t next_token = -1;
  int n_prompt = 0;
  int n_generated = 0;
  int max_tokens = 0;
  std::vector<std::int32_t> context_out;
  std::chrono::nanoseconds prompt_ns{0}, eval_ns{0};
  TokenOutput out;  // ids and logprobs whose text is still held back
  std::string last_piece;
  int repeats = 0;

  bool active() const { return phase != Phase::idle; }
};

Runner::Runner(std::shared_ptr<const model::Model> model, std::shared_ptr<const tokenizer::Tokenizer> tokenizer,
               const RunnerOptions& options)
    : model_(std::move(model)),
      tokenizer_(std::move(tokenizer)),
      options_(options),
      ctx_(model_, [&] {
        model::ContextParams cp;
        cp.n_ctx = options.n_ctx;
        cp.n_seq = options.n_parallel;
        cp.n_batch = options.n_batch;
        cp.kv_type = options.kv_type;
        cp.n_threads = options.n_threads;
        return cp;
      }()) {
  if (static_cast<std::int64_t>(tokenizer_->size()) > model_->params().n_vocab)
    fail("the vocabulary ({} tokens) is larger than the model's output ({})", tokenizer_->size(),
         model_->params().n_vocab);
  for (std::int64_t s = 0; s < options_.n_parallel; ++s) {
    auto slot = std::make_unique<Slot>();
    slot->seq = static_cast<std::int32_t>(s);
    slots_.push_back(std::move(slot));
  }
  thread_ = std::thread([this] { loop(); });
}

Runner::~Runner() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void Runner::submit(const std::shared_ptr<Job>& job) {
  busy_++;
  {
    std::lock_guard lock(mu_);
    queue_.push_back(job);
  }
  cv_.notify_all();
}

std::shared_ptr<Job> Runner::wait_job(const std::shared_ptr<Job>& job,
                                      const std::function<bool(const TokenOutput&)>& on_output,
                                      const std::atomic<bool>* cancel) {
  for (;;) {
    std::deque<TokenOutput> outs;
    bool finished;
    {
      std::unique_lock lock(job->mu);
      job->cv.wait_for(lock, std::chrono::milliseconds(50), [&] { return job->finished || !job->outputs.empty(); });
      outs.swap(job->outputs);
      finished = job->finished;
    }
    for (const auto& o : outs) {
      if (on_output && !on_output(o)) {
        job->cancelled = true;
        cv_.notify_all();
        fail("request canceled");
      }
    }
    if (finished) {
      if (job->error) std::rethrow_exception(job->error);
      return job;
    }
    if (cancel && cancel->load()) {
      job->cancelled = true;
      cv_.notify_all();
      fail("request canceled");
    }
  }
}

CompletionResult Runner::complete(const CompletionRequest& request,
                                  const std::function<bool(const TokenOutput&)>& on_output,
                                  const std::atomic<bool>* cancel) {
  if (request.prompt.empty()) fail("the prompt is empty");
  for (auto id : request.prompt) tokenizer_->check_id(id);
  sample::validate(request.sampling);
  if (request.top_logprobs < 0 || request.top_logprobs > 20) fail("top_logprobs must be between 0 and 20");
  auto job = std::make_shared<Job>();
  job->kind = Job::Kind::completion;
  job->completion = request;
  submit(job);
  return wait_job(job, on_output, cancel)->result;
}

EmbedResult Runner::embed(const EmbedRequest& request, const std::atomic<bool>* cancel) {
  for (const auto& in : request.inputs)
    for (auto id : in) tokenizer_->check_id(id);
  auto job = std::make_shared<Job>();
  job->kind = Job::Kind::embedding;
  job->embedding = request;
  submit(job);
  return wait_job(job, nullptr, cancel)->embed_result;
}

void Runner::loop() {
  for (;;) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] {
        if (stop_ || !queue_.empty()) return true;
        return std::any_of(slots_.begin(), slots_.end(), [](const auto& s) { return s->active(); });
      });
      if (stop_) break;
    }
    admit();
    try {
      step();
    } catch (const std::exception& e) {
      // A failed forward pass fails every request in it; the cache rolled back.
      log::error("runner: {}", e.what());
      for (auto& s : slots_)
        if (s->active()) finish_slot(*s, "", std::current_exception());
    }
  }
  std::lock_guard lock(mu_);
  for (auto& job : queue_) job->finish(std::make_exception_ptr(Error("the model was unloaded")));
  for (auto& s : slots_)
    if (s->job) s->job->finish(std::make_exception_ptr(Error("the model was unloaded")));
}

void Runner::admit() {
  for (;;) {
    std::shared_ptr<Job> job;
    Slot* best = nullptr;
    {
      std::lock_guard lock(mu_);
      if (queue_.empty()) return;
      job = queue_.front();
      // The free slot whose cache shares the longest prefix with the prompt.
      std::size_t best_prefix = 0;
      for (auto& s : slots_) {
        if (s->active()) continue;
        const std::size_t pre =
            job->kind == Job::Kind::completion ? common_prefix(s->cached, job->completion.prompt) : 0;
        if (!best || pre > best_prefix) {
          best = s.get();
          best_prefix = pre;
        }
      }
      if (!best) return;  // all slots busy: the job waits
      queue_.pop_front();
    }
    if (job->cancelled) {
      busy_--;
      job->finish(std::make_exception_ptr(Error("request canceled")));
      continue;
    }
    Slot& s = *best;
    s.job = job;
    if (job->kind == Job::Kind::embedding) {
      run_embedding(s);
      continue;
    }
    const CompletionRequest& r = job->completion;
    try {
      const int keep = r.num_keep + (tokenizer_->vocab().add_bos ? 1 : 0);
      std::vector<std::int32_t> prompt = fit_prompt(r.prompt, options_.n_ctx, keep, r.truncate);
      std::size_t reuse = std::min(common_prefix(s.cached, prompt), prompt.size() - 1);
      ctx_.truncate(s.seq, static_cast<std::int64_t>(reuse));
      s.cached.resize(reuse);
      s.pending = std::move(prompt);
      s.next_pending = reuse;
      s.sampler.emplace(r.sampling, static_cast<std::size_t>(model_->params().n_vocab),
                        static_cast<std::size_t>(options_.n_ctx));
      for (auto id : s.pending) s.sampler->accept(id);
      s.stop.emplace(r.sampling.stop);
      s.detok.emplace(tokenizer_, true);
      s.n_prompt = static_cast<int>(s.pending.size());
      s.n_generated = 0;
      s.max_tokens = r.sampling.num_predict >= 0 ? r.sampling.num_predict : static_cast<int>(10 * options_.n_ctx);
      s.context_out = s.pending;
      s.prompt_ns = s.eval_ns = std::chrono::nanoseconds(0);
      s.out = TokenOutput{};
      s.last_piece.clear();
      s.repeats = 0;
      s.phase = Slot::Phase::prompt;
      if (s.max_tokens == 0) finish_slot(s, "length");
    } catch (...) {
      finish_slot(s, "", std::current_exception());
    }
  }
}

bool Runner::step() {
  std::vector<model::BatchEntry> batch;
  std::vector<Slot*> owners;        // per logits row
  std::vector<Slot*> prompt_slots, gen_slots;
  std::int64_t budget = options_.n_batch;
  for (auto& sp : slots_) {
    Slot& s = *sp;
    if (s.active() && s.job->cancelled) finish_slot(s, "", std::make_exception_ptr(Error("request canceled")));
  }
  // Generating slots first: one token each.
  for (auto& sp : slots_) {
    Slot& s = *sp;
    if (s.phase != Slot::Phase::generate) continue;
    if (ctx_.length(s.seq) >= options_.n_ctx) {
      if (!s.job->completion.shift) {
        finish_slot(s, "length");
        continue;
      }
      const std::int64_t len = ctx_.length(s.seq);
      const std::int64_t keep = std::clamp<std::int64_t>(
          s.job->completion.num_keep + (tokenizer_->vocab().add_bos ? 1 : 0), 0, len - 2);
      const std::int64_t discard = std::max<std::int64_t>((len - keep) / 2, 1);
      ctx_.shift(s.seq, keep, discard);
      s.cached.erase(s.cached.begin() + keep, s.cached.begin() + keep + discard);
      log::debug("context shift: slot {} kept {} discarded {}", s.seq, keep, discard);
    }
    batch.push_back({s.next_token, s.seq, true});
    owners.push_back(&s);
    gen_slots.push_back(&s);
    --budget;
  }
  // Then prompt chunks with what is left of the batch.
  for (auto& sp : slots_) {
    Slot& s = *sp;
    if (s.phase != Slot::Phase::prompt || budget <= 0) continue;
    const auto remaining = static_cast<std::int64_t>(s.pending.size() - s.next_pending);
    const std::int64_t take = std::min(budget, remaining);
    for (std::int64_t i = 0; i < take; ++i) {
      const bool last = s.next_pending + 1 == s.pending.size();
      batch.push_back({s.pending[s.next_pending], s.seq, last});
      if (last) owners.push_back(&s);
      ++s.next_pending;
    }
    prompt_evaluated_ += take;
    budget -= take;
    prompt_slots.push_back(&s);
  }
  if (batch.empty()) return false;

  const auto t0 = Clock::now();
  const std::vector<float>* logits = nullptr;
  try {
    logits = &ctx_.decode(batch);
  } catch (...) {
    // Undo the prompt progress of this step; the cache rolled back already.
    for (Slot* s : prompt_slots) s->next_pending = s->cached.size();
    throw;
  }
  const auto dt = Clock::now() - t0;
  for (const auto& e : batch) slots_[static_cast<std::size_t>(e.seq)]->cached.push_back(e.token);
  for (Slot* s : prompt_slots) s->prompt_ns += dt;
  for (Slot* s : gen_slots) s->eval_ns += dt;

  const auto n_vocab = static_cast<std::size_t>(model_->params().n_vocab);
  for (std::size_t r = 0; r < owners.size(); ++r)
    after_logits(*owners[r], std::span<const float>(logits->data() + r * n_vocab, n_vocab));
  return true;
}

void Runner::after_logits(Slot& s, std::span<const float> row) {
  const CompletionRequest& r = s.job->completion;
  s.logits.assign(row.begin(), row.end());
  if (r.constraint) r.constraint->apply(s.logits);
  std::int32_t id;
  if (r.logprobs) {
    sample::TokenLogprobs lp;
    id = s.sampler->sample(s.logits, r.top_logprobs, lp);
    s.out.logprobs.push_back(std::move(lp));
  } else {
    id = s.sampler->sample(s.logits);
  }
  s.sampler->accept(id);
  if (r.constraint) r.constraint->accept(id);
  s.phase = Slot::Phase::generate;
  if (tokenizer_->is_eog(id)) {
    if (r.logprobs) s.out.logprobs.pop_back();
    finish_slot(s, "stop");
    return;
  }
  ++s.n_generated;
  s.context_out.push_back(id);
  s.out.ids.push_back(id);
  const std::string piece = s.detok->push(id);
  sample::StopResult sr = s.stop->push(piece);
  s.out.text += sr.text;
  if (!s.out.text.empty()) {
    s.job->push(std::move(s.out));
    s.out = TokenOutput{};
  }
  if (sr.stopped() || (r.constraint && r.constraint->complete())) {
    finish_slot(s, "stop");
    return;
  }
  // Ollama's guard against a model stuck repeating one token.
  std::string trimmed = piece;
  trimmed.erase(0, trimmed.find_first_not_of(" \t\n\r"));
  if (!trimmed.empty() && trimmed == s.last_piece) {
    if (++s.repeats > 30) {
      finish_slot(s, "stop");
      return;
    }
  } else {
    s.last_piece = trimmed;
    s.repeats = 0;
  }
  if (s.n_generated >= s.max_tokens) {
    finish_slot(s, "length");
    return;
  }
  s.next_token = id;
}

void Runner::finish_slot(Slot& s, const std::string& reason, std::exception_ptr err) {
  auto job = s.job;
  s.phase = Slot::Phase::idle;
  s.job.reset();
  if (!job) return;
  busy_--;
  if (err) {
    job->finish(err);
    return;
  }
  if (job->kind == Job::Kind::completion) {
    if (s.stop && !s.stop->stopped()) {
      std::string rest = s.stop->push(s.detok->flush()).text;
      if (!s.stop->stopped()) rest += s.stop->flush();
      s.out.text += rest;
    }
    if (!s.out.text.empty() || !s.out.ids.empty()) job->push(std::move(s.out));
    s.out = TokenOutput{};
    CompletionResult& res = job->result;
    res.done_reason = reason;
    res.prompt_eval_count = s.n_prompt;
    res.prompt_eval_duration = s.prompt_ns;
    res.eval_count = s.n_generated;
    res.eval_duration = s.eval_ns;
    res.context = std::move(s.context_out);
  }
  job->finish();
}

void Runner::run_embedding(Slot& s) {
  const EmbedRequest& r = s.job->embedding;
  const model::ModelParams& p = model_->params();
  try {
    EmbedResult res;
    for (const auto& input : r.inputs) {
      if (s.job->cancelled) fail("request canceled");
      if (input.empty()) fail("input is empty");
      std::vector<std::int32_t> toks = input;
      if (static_cast<std::int64_t>(toks.size()) > options_.n_ctx) {
        if (!r.truncate) fail("input length exceeds the context length");
        toks.resize(static_cast<std::size_t>(options_.n_ctx));
      }
      ctx_.clear(s.seq);
      s.cached.clear();
      std::vector<model::BatchEntry> batch;
      const bool all = p.pooling != model::Pooling::last && p.pooling != model::Pooling::cls;
      for (std::size_t i = 0; i < toks.size(); ++i) {
        const bool want = all || (p.pooling == model::Pooling::last && i + 1 == toks.size()) ||
                          (p.pooling == model::Pooling::cls && i == 0);
        batch.push_back({toks[i], s.seq, want});
      }
      const std::vector<float>& h = ctx_.decode_hidden(batch);
      s.cached = toks;
      const std::int64_t E = p.n_embd;
      const std::int64_t rows = static_cast<std::int64_t>(h.size()) / E;
      std::vector<float> v(static_cast<std::size_t>(E), 0.0f);
      for (std::int64_t i = 0; i < rows; ++i)
        for (std::int64_t j = 0; j < E; ++j) v[static_cast<std::size_t>(j)] += h[static_cast<std::size_t>(i * E + j)];
      for (auto& x : v) x /= static_cast<float>(rows);
      if (r.normalize) {
        double norm = 0;
        for (float x : v) norm += static_cast<double>(x) * x;
        norm = std::sqrt(norm);
        if (norm > 0)
          for (auto& x : v) x = static_cast<float>(x / norm);
      }
      res.embeddings.push_back(std::move(v));
      res.prompt_eval_count += static_cast<int>(toks.size());
    }
    s.job->embed_result = std::move(res);
    finish_slot(s, "");
  } catch (...) {
    ctx_.clear(s.seq);
    s.cached.clear();
    finish_slot(s, "", std::current_exception());
  }
}

}  // namespace corral::runner
