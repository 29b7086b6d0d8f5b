// Context: the mutable state for running a Model: KV cache for a number of
// independent sequences, scratch buffers and the thread pool. decode()
// appends a batch of tokens (possibly from several sequences) and evaluates
// them in one forward pass; logits are produced only where asked.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "kernels/act_rows.h"
#include "kernels/attention.h"
#include "kernels/isa.h"
#include "model/kv_cache.h"
#include "model/model.h"
#include "util/thread_pool.h"

namespace corral::model {

struct ContextParams {
  std::int64_t n_ctx = 2048;  // positions per sequence
  std::int64_t n_seq = 1;     // independent sequences (the server's parallel slots)
  std::int64_t n_batch = 512; // tokens evaluated per forward pass (larger batches are split)
  KvType kv_type = KvType::f16;
  int n_threads = 0;          // 0: physical cores
};

struct BatchEntry {
  std::int32_t token = 0;
  std::int32_t seq = 0;
  bool logits = false;  // produce logits (and the final hidden state) for this position
};

class Context {
 public:
  Context(std::shared_ptr<const Model> model, const ContextParams& params);

  const Model& model() const { return *model_; }
  const ContextParams& params() const { return params_; }
  ThreadPool& pool() { return pool_; }
  const KvCache& cache() const { return cache_; }

  // Evaluates the batch; returns one row of n_vocab logits per entry with
  // logits=true, in order. Throws Error on a bad token id, an unknown
  // sequence or a full context; on abort (see set_abort) it throws Error
  // "aborted" and leaves every sequence as it was before the call.
  const std::vector<float>& decode(std::span<const BatchEntry> batch);
  // Like decode(), but computes only the final-norm hidden states of the marked
  // entries (no output projection): for embeddings. Returns hidden().
  const std::vector<float>& decode_hidden(std::span<const BatchEntry> batch);

  // Final-norm hidden states [n_embd] of the entries with logits=true of the last decode.
  const std::vector<float>& hidden() const { return hidden_out_; }

  std::int64_t length(std::int32_t seq) const { return cache_.length(seq); }
  // Forgets tokens from position n on (prefix reuse).
  void truncate(std::int32_t seq, std::int64_t n);
  void clear(std::int32_t seq) { truncate(seq, 0); }
  // Context shift: drops n_discard tokens after the first n_keep and slides the
  // rest down, re-rotating their keys to the new positions.
  void shift(std::int32_t seq, std::int64_t n_keep, std::int64_t n_discard);

  // A flag checked between layers; when it becomes true decode() aborts.
  void set_abort(const std::atomic<bool>* flag) { abort_ = flag; }
  // Restricts the kernels to an ISA level (tests compare levels).
  void set_isa(kernels::Isa isa) { isa_ = isa; }

 private:
  const std::vector<float>& run(std::span<const BatchEntry> batch, bool want_logits);
  void forward(std::span<const BatchEntry> batch, std::span<const std::int64_t> pos, std::int64_t n_out,
               bool want_logits);
  void embed(std::span<const BatchEntry> batch);
  void attention(std::span<const BatchEntry> batch, std::span<const std::int64_t> pos, std::int64_t layer,
                 const kernels::AttentionShape& shape);
  void check_abort() const;

  std::shared_ptr<const Model> model_;
  ContextParams params_;
  ThreadPool pool_;
  KvCache cache_;
  kernels::Isa isa_;
  const std::atomic<bool>* abort_ = nullptr;

  // Scratch, sized for n_batch tokens.
  std::vector<float> x_, xn_, q_, k_, v_, attn_, tmp_, gate_, up_, out_norm_;
  std::vector<float> rope_cos_, rope_sin_;
  std::vector<std::vector<float>> attn_scratch_;
  kernels::ActBuffer act_, act2_;
  std::vector<float> logits_, hidden_out_;
};

}  // namespace corral::model
