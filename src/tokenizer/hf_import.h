// Building a Vocab from Hugging Face tokenizer files, with the token types,
// special ids and flags that llama.cpp's convert_hf_to_gguf.py would write:
//  - tokenizer.json: byte-level BPE (-> gpt2, the pre-tokenizer name found
//    from its regexes), BPE with byte fallback (-> llama, merges kept so the
//    tokenizer merges by rank as Hugging Face does), WordPiece (-> bert);
//  - a SentencePiece tokenizer.model (-> llama, with its scores and types).
#pragma once

#include <string>
#include <string_view>

#include "tokenizer/hf_config.h"
#include "tokenizer/sentencepiece_model.h"
#include "tokenizer/vocab.h"

namespace corral::tokenizer {

Vocab vocab_from_tokenizer_json(std::string_view tokenizer_json, const HfConfig& config, const std::string& name);
Vocab vocab_from_sentencepiece(const SentencePieceModel& model, const HfConfig& config, const std::string& name);

}  // namespace corral::tokenizer
