// Picks the encoder for a vocabulary.
#include "tokenizer/text_encoder.h"

#include "tokenizer/byte_level_bpe_encoder.h"
#include "tokenizer/sentencepiece_encoder.h"
#include "tokenizer/wordpiece_encoder.h"

namespace corral::tokenizer {

std::unique_ptr<TextEncoder> make_text_encoder(const Vocab& vocab, const TextIndex& index) {
  switch (vocab.kind()) {
    case ModelKind::BytePairBPE:
      return std::make_unique<ByteLevelBpeEncoder>(vocab, index);
    case ModelKind::WordPiece:
      return std::make_unique<WordPieceEncoder>(vocab, index);
    case ModelKind::SentencePiece:
      break;
  }
  // A SentencePiece vocabulary that comes with merges (imported from a
  // Hugging Face tokenizer.json) is merged by rank, as Hugging Face does.
  if (!vocab.merges.empty()) return std::make_unique<RankedSentencePieceEncoder>(vocab, index);
  return std::make_unique<ScoredSentencePieceEncoder>(vocab, index);
}

}  // namespace corral::tokenizer
