// TextEncoder: turns plain text (special tokens already cut out) into ids
// with one model's algorithm. make_text_encoder() picks the implementation
// for a vocabulary: byte-level BPE, SentencePiece (score- or merge-ranked)
// or WordPiece. Implementations are immutable and safe to share between threads.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "tokenizer/text_index.h"
#include "tokenizer/vocab.h"

namespace corral::tokenizer {

class TextEncoder {
 public:
  virtual ~TextEncoder() = default;
  // Appends the ids of `text`. `after_special` is true for the first
  // fragment of an input and for a fragment right after a special token
  // (where SentencePiece adds its space prefix, as llama.cpp does).
  virtual void encode(std::string_view text, bool after_special, std::vector<TokenId>& out) const = 0;
};

// `vocab` and `index` must outlive the encoder.
std::unique_ptr<TextEncoder> make_text_encoder(const Vocab& vocab, const TextIndex& index);

}  // namespace corral::tokenizer
