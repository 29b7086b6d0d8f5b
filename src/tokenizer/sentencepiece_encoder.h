// SentencePiece-style encoding (tokenizer.ggml.model = llama): spaces become
// ▁ (with a leading ▁ when add_space_prefix is set and the text starts the
// input or follows a special token), then pieces are merged; characters no
// token covers fall back to <0xXX> byte tokens.
//  - ScoredSentencePieceEncoder: llama.cpp's algorithm, merging the adjacent
//    pair whose concatenation is the highest-scoring token.
//  - RankedSentencePieceEncoder: Hugging Face's BPE with byte fallback
//    (Gemma 3's tokenizer.json): merges by rank from the merges list.
#pragma once

#include <array>
#include <string>

#include "tokenizer/bpe_merge.h"
#include "tokenizer/piece_cache.h"
#include "tokenizer/text_encoder.h"

namespace corral::tokenizer {

// Shared by both: the ▁-escaped text and the byte fallback ids.
class SentencePieceBase : public TextEncoder {
 protected:
  SentencePieceBase(const Vocab& vocab, const TextIndex& index);
  // Appends (prefix ? "▁" : "") + text with ' ' replaced by ▁.
  static void escape(std::string_view text, bool prefix, std::string& out);
  // Appends the byte-fallback ids for the bytes of s.
  void append_bytes(std::string_view s, std::vector<TokenId>& out) const;
  // Encodes escaped text. When no token contains a character followed by ▁,
  // no merge can cross the start of a ▁-word, so each word is merged on its
  // own (with caching) and the result is the same as for the whole text.
  void encode_escaped(std::string_view text, std::vector<TokenId>& out) const;
  // Merges one stretch of escaped text.
  virtual void merge(std::string_view text, std::vector<TokenId>& out) const = 0;

  const Vocab& vocab_;
  const TextIndex& index_;
  std::array<TokenId, 256> byte_ids_{};
  bool words_independent_ = false;
  PieceCache shared_cache_;
};

class ScoredSentencePieceEncoder final : public SentencePieceBase {
 public:
  ScoredSentencePieceEncoder(const Vocab& vocab, const TextIndex& index) : SentencePieceBase(vocab, index) {}
  void encode(std::string_view text, bool after_special, std::vector<TokenId>& out) const override;

 private:
  void merge(std::string_view text, std::vector<TokenId>& out) const override;
};

class RankedSentencePieceEncoder final : public SentencePieceBase {
 public:
  RankedSentencePieceEncoder(const Vocab& vocab, const TextIndex& index);
  void encode(std::string_view text, bool after_special, std::vector<TokenId>& out) const override;

 private:
  void merge(std::string_view text, std::vector<TokenId>& out) const override;
  PairIndex merges_;
};

}  // namespace corral::tokenizer
