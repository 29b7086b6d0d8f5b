// Byte-level BPE (tokenizer.ggml.model = gpt2): regex pre-tokenization, then
// BPE merges over the bytes of each piece (as GPT-2's byte alphabet tokens).
// Merged pieces are cached, within a call and across calls.
#pragma once

#include <array>

#include "tokenizer/piece_cache.h"
#include "tokenizer/pretokenizer.h"
#include "tokenizer/text_encoder.h"

namespace corral::tokenizer {

class ByteLevelBpeEncoder final : public TextEncoder {
 public:
  ByteLevelBpeEncoder(const Vocab& vocab, const TextIndex& index);
  void encode(std::string_view text, bool after_special, std::vector<TokenId>& out) const override;

 private:
  const TextIndex& index_;
  PreTokenizer pre_;
  bool ignore_merges_;
  PairIndex merges_;
  std::array<TokenId, 256> byte_ids_{};
  std::array<std::string, 256> byte_text_;  // each byte in the byte-level alphabet, as UTF-8
  PieceCache shared_cache_;
};

}  // namespace corral::tokenizer
