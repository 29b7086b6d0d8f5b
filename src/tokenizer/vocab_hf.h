// Reading a Hugging Face model folder's tokenizer: tokenizer.json (preferred)
// or tokenizer.model, plus tokenizer_config.json, config.json and
// chat_template.jinja when present.
#pragma once

#include <filesystem>

#include "tokenizer/vocab.h"

namespace corral::tokenizer {

// Throws Error naming the folder or file when nothing usable is there.
Vocab vocab_from_hf(const std::filesystem::path& dir);

}  // namespace corral::tokenizer
