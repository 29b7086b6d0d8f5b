// KvCache: the keys and values of every layer for a fixed number of
// independent sequences, each with room for n_ctx positions. Sequence s owns
// rows [s * n_ctx, (s + 1) * n_ctx) of every layer; the row of a token is its
// position in the sequence, so a sequence is a contiguous run of rows.
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/attention.h"
#include "util/anon_buffer.h"

namespace corral::model {

using kernels::KvType;

class KvCache {
 public:
  KvCache(std::int64_t n_layer, std::int64_t n_seq, std::int64_t n_ctx, std::int64_t kv_dim_k,
          std::int64_t kv_dim_v, KvType type);

  std::int64_t n_seq() const { return n_seq_; }
  std::int64_t n_ctx() const { return n_ctx_; }
  KvType type() const { return type_; }
  std::size_t k_row_bytes() const { return k_row_; }
  std::size_t v_row_bytes() const { return v_row_; }
  std::size_t bytes() const { return k_.size() + v_.size(); }

  // Tokens currently cached for sequence s.
  std::int64_t length(std::int64_t s) const { return len_[static_cast<std::size_t>(s)]; }
  void set_length(std::int64_t s, std::int64_t n) { len_[static_cast<std::size_t>(s)] = n; }
  void clear(std::int64_t s) { set_length(s, 0); }

  std::uint8_t* k_row(std::int64_t layer, std::int64_t s, std::int64_t pos) {
    return k_.data() + offset(layer, s, pos) * k_row_;
  }
  std::uint8_t* v_row(std::int64_t layer, std::int64_t s, std::int64_t pos) {
    return v_.data() + offset(layer, s, pos) * v_row_;
  }

  // Moves rows [from, from + n) of sequence s to start at row `to` (to < from), in every layer.
  void move_rows(std::int64_t s, std::int64_t from, std::int64_t to, std::int64_t n);

 private:
  std::size_t offset(std::int64_t layer, std::int64_t s, std::int64_t pos) const {
    return static_cast<std::size_t>((layer * n_seq_ + s) * n_ctx_ + pos);
  }
  std::int64_t n_layer_, n_seq_, n_ctx_;
  KvType type_;
  std::size_t k_row_, v_row_;
  AnonBuffer k_, v_;
  std::vector<std::int64_t> len_;
};

}  // namespace corral::model
