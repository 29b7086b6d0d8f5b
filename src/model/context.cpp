// The transformer forward pass for llama / qwen2 / qwen3, read top to bottom:
// embed -> per layer [norm, Q/K/V, (bias), (QK-norm), RoPE, cache, attention,
// output projection, residual, norm, SwiGLU FFN, residual] -> final norm ->
// logits for the requested positions.
#include "model/context.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

#include "kernels/attention.h"
#include "kernels/attention_lanes.h"
#include "kernels/matmul.h"
#include "kernels/ops.h"
#include "quant/dequantize.h"
#include "util/error.h"

namespace corral::model {

using kernels::ActFormat;
using kernels::act_format_for;

Context::Context(std::shared_ptr<const Model> model, const ContextParams& params)
    : model_(std::move(model)),
      params_(params),
      pool_(params.n_threads),
      cache_(model_->params().n_layer, params.n_seq, params.n_ctx, model_->params().kv_dim_k(),
             model_->params().kv_dim_v(), params.kv_type),
      isa_(kernels::best_isa()) {
  const ModelParams& p = model_->params();
  if (params_.n_batch < 1) params_.n_batch = 512;
  const auto nb = static_cast<std::size_t>(params_.n_batch);
  x_.resize(nb * p.n_embd);
  xn_.resize(nb * p.n_embd);
  q_.resize(nb * p.q_dim());
  k_.resize(nb * p.kv_dim_k());
  v_.resize(nb * p.kv_dim_v());
  attn_.resize(nb * p.q_dim());
  tmp_.resize(nb * std::max(p.n_embd, p.q_dim()));
  gate_.resize(nb * p.n_ff);
  up_.resize(nb * p.n_ff);
  rope_cos_.resize(nb * p.n_rot / 2);
  rope_sin_.resize(nb * p.n_rot / 2);
  attn_scratch_.resize(static_cast<std::size_t>(pool_.size()));
}

void Context::check_abort() const {
  if (abort_ && abort_->load(std::memory_order_relaxed)) fail("aborted");
}

void Context::truncate(std::int32_t seq, std::int64_t n) {
  if (seq < 0 || seq >= cache_.n_seq()) fail("invalid sequence id {}", seq);
  if (n < cache_.length(seq)) cache_.set_length(seq, std::max<std::int64_t>(0, n));
}

const std::vector<float>& Context::decode(std::span<const BatchEntry> batch) { return run(batch, true); }

const std::vector<float>& Context::decode_hidden(std::span<const BatchEntry> batch) {
  run(batch, false);
  return hidden_out_;
}

const std::vector<float>& Context::run(std::span<const BatchEntry> batch, bool want_logits) {
  const ModelParams& p = model_->params();
  // Validate everything first so that a bad batch changes nothing.
  std::vector<std::int64_t> next(static_cast<std::size_t>(cache_.n_seq()));
  for (std::int64_t s = 0; s < cache_.n_seq(); ++s) next[static_cast<std::size_t>(s)] = cache_.length(s);
  std::vector<std::int64_t> pos(batch.size());
  std::int64_t n_out = 0;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const auto& e = batch[i];
    if (e.seq < 0 || e.seq >= cache_.n_seq()) fail("invalid sequence id {}", e.seq);
    if (e.token < 0 || e.token >= p.n_vocab) fail("token id {} is out of range (vocabulary size {})", e.token, p.n_vocab);
    auto& n = next[static_cast<std::size_t>(e.seq)];
    if (n >= cache_.n_ctx()) fail("context window of {} tokens is full", cache_.n_ctx());
    pos[i] = n++;
    if (e.logits) ++n_out;
  }
  logits_.assign(want_logits ? static_cast<std::size_t>(n_out * p.n_vocab) : 0, 0.0f);
  hidden_out_.assign(static_cast<std::size_t>(n_out * p.n_embd), 0.0f);
  const std::vector<std::int64_t> before = [&] {
    std::vector<std::int64_t> b(static_cast<std::size_t>(cache_.n_seq()));
    for (std::int64_t s = 0; s < cache_.n_seq(); ++s) b[static_cast<std::size_t>(s)] = cache_.length(s);
    return b;
  }();
  try {
    std::int64_t out_row = 0;
    for (std::size_t start = 0; start < batch.size(); start += static_cast<std::size_t>(params_.n_batch)) {
      const std::size_t end = std::min(batch.size(), start + static_cast<std::size_t>(params_.n_batch));
      auto sub = batch.subspan(start, end - start);
      auto sub_pos = std::span<const std::int64_t>(pos).subspan(start, end - start);
      forward(sub, sub_pos, out_row, want_logits);
      for (const auto& e : sub) out_row += e.logits ? 1 : 0;
      // The rows of this chunk are now valid: later chunks attend to them.
      for (std::size_t i = 0; i < sub.size(); ++i) {
        auto s = sub[i].seq;
        cache_.set_length(s, std::max(cache_.length(s), sub_pos[i] + 1));
      }
    }
  } catch (...) {
    for (std::int64_t s = 0; s < cache_.n_seq(); ++s) cache_.set_length(s, before[static_cast<std::size_t>(s)]);
    throw;
  }
  return logits_;
}

void Context::embed(std::span<const BatchEntry> batch) {
  const ModelParams& p = model_->params();
  const auto& emb = model_->weights().token_embd;
  pool_.parallel_for(static_cast<std::int64_t>(batch.size()), [&](std::int64_t i0, std::int64_t i1, int) {
    for (std::int64_t i = i0; i < i1; ++i)
      quant::dequantize_row(emb.type, emb.row(batch[static_cast<std::size_t>(i)].token),
                            x_.data() + i * p.n_embd, p.n_embd);
  });
}

void Context::forward(std::span<const BatchEntry> batch, std::span<const std::int64_t> pos, std::int64_t out_row,
                      bool want_logits) {
  const ModelParams& p = model_->params();
  const ModelWeights& w = model_->weights();
  const std::int64_t n = static_cast<std::int64_t>(batch.size());
  const std::int64_t E = p.n_embd, QD = p.q_dim(), KD = p.kv_dim_k(), VD = p.kv_dim_v(), FF = p.n_ff;
  const std::int64_t D = p.head_dim_k, half_rot = p.n_rot / 2;
  const bool neox = p.rope_layout == RopeLayout::neox;

  embed(batch);

  // RoPE tables for each token's position.
  for (std::int64_t i = 0; i < n; ++i)
    kernels::rope_cache(static_cast<float>(pos[i]), p.n_rot, p.rope_freq_base, p.rope_freq_scale,
                        w.rope_freqs ? w.rope_freqs.data : nullptr, rope_cos_.data() + i * half_rot,
                        rope_sin_.data() + i * half_rot);

  auto norm_rows = [&](const float* src, const float* weight, float* dst) {
    pool_.parallel_for(n, [&](std::int64_t i0, std::int64_t i1, int) {
      for (std::int64_t i = i0; i < i1; ++i) kernels::rms_norm(src + i * E, weight, dst + i * E, E, p.rms_eps);
    });
  };
  // Multiplies rows of `in` (width w.n_in) by a weight; reuses the converted
  // activations when consecutive weights share an activation format.
  ActFormat cached_format{};
  const float* cached_src = nullptr;
  kernels::ActRows cached;
  auto mul = [&](const Matrix& m, const float* in, float* out) {
    const ActFormat f = act_format_for(m.type);
    if (cached_src != in || cached_format != f || cached.n != m.n_in) {
      cached = act_.quantize(&pool_, f, in, n, m.n_in, m.n_in);
      cached_src = in;
      cached_format = f;
    }
    kernels::matmul(pool_, m, cached, out, m.n_out, isa_);
  };
  auto invalidate = [&] { cached_src = nullptr; };

  const kernels::AttentionShape shape{p.n_head, p.n_head_kv, D, 1.0f / std::sqrt(static_cast<float>(D)),
                                      cache_.type()};

  for (std::int64_t l = 0; l < p.n_layer; ++l) {
    check_abort();
    const LayerWeights& L = w.layers[static_cast<std::size_t>(l)];

    // --- attention block
    norm_rows(x_.data(), L.attn_norm.data, xn_.data());
    invalidate();
    mul(L.wq, xn_.data(), q_.data());
    mul(L.wk, xn_.data(), k_.data());
    mul(L.wv, xn_.data(), v_.data());
    pool_.parallel_for(n, [&](std::int64_t i0, std::int64_t i1, int) {
      for (std::int64_t i = i0; i < i1; ++i) {
        float* qi = q_.data() + i * QD;
        float* ki = k_.data() + i * KD;
        float* vi = v_.data() + i * VD;
        if (L.bq) kernels::add_inplace(qi, L.bq.data, QD);
        if (L.bk) kernels::add_inplace(ki, L.bk.data, KD);
        if (L.bv) kernels::add_inplace(vi, L.bv.data, VD);
        if (L.q_norm) {
          for (std::int64_t h = 0; h < p.n_head; ++h) kernels::rms_norm(qi + h * D, L.q_norm.data, qi + h * D, D, p.rms_eps);
          for (std::int64_t h = 0; h < p.n_head_kv; ++h)
            kernels::rms_norm(ki + h * D, L.k_norm.data, ki + h * D, D, p.rms_eps);
        }
        const float* c = rope_cos_.data() + i * half_rot;
        const float* s = rope_sin_.data() + i * half_rot;
        kernels::rope_apply(qi, p.n_head, D, p.n_rot, c, s, neox);
        kernels::rope_apply(ki, p.n_head_kv, D, p.n_rot, c, s, neox);
        const auto& e = batch[static_cast<std::size_t>(i)];
        kernels::kv_store_row(cache_.type(), ki, cache_.k_row(l, e.seq, pos[i]), KD);
        kernels::kv_store_row(cache_.type(), vi, cache_.v_row(l, e.seq, pos[i]), VD);
      }
    });
    attention(batch, pos, l, shape);
    mul(L.wo, attn_.data(), tmp_.data());
    pool_.parallel_for(n, [&](std::int64_t i0, std::int64_t i1, int) {
      for (std::int64_t i = i0; i < i1; ++i) kernels::add_inplace(x_.data() + i * E, tmp_.data() + i * E, E);
    });

    // --- feed-forward block (SwiGLU)
    norm_rows(x_.data(), L.ffn_norm.data, xn_.data());
    invalidate();
    mul(L.ffn_gate, xn_.data(), gate_.data());
    mul(L.ffn_up, xn_.data(), up_.data());
    pool_.parallel_for(n * FF, [&](std::int64_t j0, std::int64_t j1, int) {
      kernels::silu_mul(gate_.data() + j0, up_.data() + j0, j1 - j0);
    });
    mul(L.ffn_down, gate_.data(), tmp_.data());
    pool_.parallel_for(n, [&](std::int64_t i0, std::int64_t i1, int) {
      for (std::int64_t i = i0; i < i1; ++i) kernels::add_inplace(x_.data() + i * E, tmp_.data() + i * E, E);
    });
  }
  check_abort();

  // --- output: final norm and logits for the requested rows only
  std::int64_t n_out = 0;
  for (const auto& e : batch) n_out += e.logits ? 1 : 0;
  if (n_out == 0) return;
  out_norm_.resize(static_cast<std::size_t>(n_out * E));
  std::int64_t j = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    if (!batch[static_cast<std::size_t>(i)].logits) continue;
    kernels::rms_norm(x_.data() + i * E, w.output_norm.data, out_norm_.data() + j * E, E, p.rms_eps);
    ++j;
  }
  std::memcpy(hidden_out_.data() + out_row * E, out_norm_.data(), static_cast<std::size_t>(n_out * E) * 4);
  if (!want_logits) return;
  kernels::matmul(pool_, w.output, out_norm_.data(), n_out, E, logits_.data() + out_row * p.n_vocab, p.n_vocab,
                  act2_, isa_);
}

// Attention for every token of the batch in layer l. On AVX-512 with an F16
// cache, (token, query head) pairs that share a KV head of one sequence are
// evaluated 16 at a time; otherwise one task per (token, KV head).
void Context::attention(std::span<const BatchEntry> batch, std::span<const std::int64_t> pos, std::int64_t l,
                        const kernels::AttentionShape& shape) {
  const ModelParams& p = model_->params();
  const std::int64_t n = static_cast<std::int64_t>(batch.size());
  const std::int64_t QD = p.q_dim(), D = p.head_dim_k, g = p.n_head / p.n_head_kv;
  if (kernels::attend_lanes_supported(shape) && isa_ >= kernels::Isa::avx512 &&
      kernels::isa_supported(kernels::Isa::avx512)) {
    // Tasks: for each KV head, runs of lanes (token, head) of one sequence, 16 at a time.
    struct Task {
      std::int32_t seq;
      std::int64_t kv_head, first, count;  // lanes [first, first + count) of the sequence-ordered lane list
    };
    std::vector<std::int64_t> order(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::int64_t a, std::int64_t b) {
      return batch[static_cast<std::size_t>(a)].seq < batch[static_cast<std::size_t>(b)].seq;
    });
    std::vector<Task> tasks;
    for (std::int64_t kh = 0; kh < p.n_head_kv; ++kh) {
      std::int64_t i = 0;
      while (i < n) {
        const std::int32_t seq = batch[static_cast<std::size_t>(order[static_cast<std::size_t>(i)])].seq;
        std::int64_t j = i;
        while (j < n && batch[static_cast<std::size_t>(order[static_cast<std::size_t>(j)])].seq == seq) ++j;
        for (std::int64_t lane = i * g; lane < j * g; lane += 16)
          tasks.push_back({seq, kh, lane, std::min<std::int64_t>(16, j * g - lane)});
        i = j;
      }
    }
    pool_.for_chunks(static_cast<std::int64_t>(tasks.size()), [&](std::int64_t t, int ti) {
      const Task& task = tasks[static_cast<std::size_t>(t)];
      auto& scratch = attn_scratch_[static_cast<std::size_t>(ti)];
      const std::size_t need = kernels::attend_lanes_scratch_floats(D);
      if (scratch.size() < need) scratch.resize(need);
      kernels::AttnLane lanes[16];
      for (std::int64_t c = 0; c < task.count; ++c) {
        const std::int64_t lane = task.first + c;
        const std::int64_t tok = order[static_cast<std::size_t>(lane / g)];
        const std::int64_t head = task.kv_head * g + lane % g;
        lanes[c] = {q_.data() + tok * QD + head * D, pos[static_cast<std::size_t>(tok)] + 1,
                    attn_.data() + tok * QD + head * D};
      }
      kernels::attend_lanes(shape, std::span<const kernels::AttnLane>(lanes, static_cast<std::size_t>(task.count)),
                            cache_.k_row(l, task.seq, 0), cache_.k_row_bytes(), cache_.v_row(l, task.seq, 0),
                            cache_.v_row_bytes(), task.kv_head, scratch.data());
    });
    return;
  }
  const std::int64_t n_tasks = n * p.n_head_kv;
  pool_.for_chunks(n_tasks, [&](std::int64_t task, int ti) {
    auto& scratch = attn_scratch_[static_cast<std::size_t>(ti)];
    const std::int64_t i = task / p.n_head_kv, kh = task % p.n_head_kv;
    const auto& e = batch[static_cast<std::size_t>(i)];
    const std::size_t need = kernels::attention_scratch_floats(shape);
    if (scratch.size() < need) scratch.resize(need);
    kernels::attend(shape, q_.data() + i * QD, cache_.k_row(l, e.seq, 0), cache_.k_row_bytes(),
                    cache_.v_row(l, e.seq, 0), cache_.v_row_bytes(), pos[static_cast<std::size_t>(i)] + 1, kh,
                    attn_.data() + i * QD, scratch.data());
  });
}

void Context::shift(std::int32_t seq, std::int64_t n_keep, std::int64_t n_discard) {
  const ModelParams& p = model_->params();
  const ModelWeights& w = model_->weights();
  if (seq < 0 || seq >= cache_.n_seq()) fail("invalid sequence id {}", seq);
  const std::int64_t len = cache_.length(seq);
  if (n_keep < 0 || n_discard <= 0 || n_keep + n_discard > len) fail("invalid context shift");
  const std::int64_t n_move = len - n_keep - n_discard;
  cache_.move_rows(seq, n_keep + n_discard, n_keep, n_move);
  // Keys carry their position's rotation: rotate the moved ones back by n_discard.
  const std::int64_t half = p.n_rot / 2, KD = p.kv_dim_k();
  std::vector<float> c(static_cast<std::size_t>(half)), s(static_cast<std::size_t>(half));
  kernels::rope_cache(static_cast<float>(-n_discard), p.n_rot, p.rope_freq_base, p.rope_freq_scale,
                      w.rope_freqs ? w.rope_freqs.data : nullptr, c.data(), s.data());
  const bool neox = p.rope_layout == RopeLayout::neox;
  pool_.parallel_for(p.n_layer, [&](std::int64_t l0, std::int64_t l1, int) {
    std::vector<float> row(static_cast<std::size_t>(KD));
    for (std::int64_t l = l0; l < l1; ++l) {
      for (std::int64_t r = n_keep; r < n_keep + n_move; ++r) {
        std::uint8_t* kr = cache_.k_row(l, seq, r);
        kernels::kv_load_row(cache_.type(), kr, row.data(), KD);
        kernels::rope_apply(row.data(), p.n_head_kv, p.head_dim_k, p.n_rot, c.data(), s.data(), neox);
        kernels::kv_store_row(cache_.type(), row.data(), kr, KD);
      }
    }
  });
  cache_.set_length(seq, n_keep + n_move);
}

}  // namespace corral::model
