// A SentencePiece tokenizer.model file (a serialized ModelProto), read with a
// small protobuf wire-format parser of our own: the pieces (text, score,
// type), the trainer's model type and special ids, and the normalizer's
// add_dummy_prefix flag. Everything else in the message is skipped.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace corral::tokenizer {

struct SentencePieceModel {
  struct Piece {
    std::string text;
    float score = 0.0f;
    std::int32_t type = 1;  // NORMAL=1 UNKNOWN=2 CONTROL=3 USER_DEFINED=4 UNUSED=5 BYTE=6
  };
  std::vector<Piece> pieces;
  std::int32_t model_type = 1;  // UNIGRAM=1 BPE=2 WORD=3 CHAR=4
  bool byte_fallback = false;
  std::int32_t unk_id = 0, bos_id = 1, eos_id = 2, pad_id = -1;
  bool add_dummy_prefix = true;
  bool remove_extra_whitespaces = true;
};

// Throws Error("<name>: ...") on malformed input.
SentencePieceModel parse_sentencepiece_model(std::span<const std::uint8_t> bytes, const std::string& name);

}  // namespace corral::tokenizer
