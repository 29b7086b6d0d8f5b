// WordPiece (tokenizer.ggml.model = bert): BERT normalisation with utf8proc
// (drop control characters, NFD and strip accents, lowercase, isolate CJK
// characters and punctuation, split on whitespace), then greedy longest
// match per word. GGUF BERT vocabularies mark word starts with ▁ and store
// continuation pieces without "##"; a word no pieces cover becomes [UNK].
#pragma once

#include <string>
#include <vector>

#include "tokenizer/text_encoder.h"

namespace corral::tokenizer {

class WordPieceEncoder final : public TextEncoder {
 public:
  WordPieceEncoder(const Vocab& vocab, const TextIndex& index);
  void encode(std::string_view text, bool after_special, std::vector<TokenId>& out) const override;

  // The normalised words of `text` (exposed for tests).
  static std::vector<std::string> words(std::string_view text);

 private:
  const Vocab& vocab_;
  const TextIndex& index_;
  std::size_t max_token_length_ = 0;
};

}  // namespace corral::tokenizer
