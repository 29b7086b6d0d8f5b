// Vocab <-> GGUF metadata: reading the tokenizer.ggml.* keys of a model file
// (with llama.cpp's defaults for absent keys) and writing them the way
// llama.cpp's convert_hf_to_gguf.py does.
#pragma once

#include "tokenizer/vocab.h"

namespace corral::gguf {
class File;
class Writer;
}  // namespace corral::gguf

namespace corral::tokenizer {

// Throws Error naming the file when the tokenizer keys are missing or inconsistent.
Vocab vocab_from_gguf(const gguf::File& file);

// Sets tokenizer.ggml.model/pre/tokens/scores/token_type/merges, the special
// token ids, add_bos_token/add_eos_token/add_space_prefix and
// tokenizer.chat_template (keys for absent values are removed).
void write_vocab_metadata(const Vocab& vocab, gguf::Writer& writer);

}  // namespace corral::tokenizer
