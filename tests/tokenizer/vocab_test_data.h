// Test helpers for the tokenizer tests: llama.cpp's tokenizer test vectors
// (NAME.gguf.inp / NAME.gguf.out in shared/vocab) and cached tokenizers, so
// that each large vocabulary is loaded once per test program.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tokenizer/tokenizer.h"

namespace corral::tokenizer::test {

struct Vector {
  std::string text;
  std::vector<TokenId> ids;
};

// Reads the .inp/.out pair of `gguf_path` (texts end with "\n__ggml_vocab_test__\n";
// one line of ids per text). Throws if the files disagree in count.
std::vector<Vector> read_vectors(const std::filesystem::path& gguf_path);

// Loads (once per path) a tokenizer from a GGUF file or a Hugging Face folder.
std::shared_ptr<const Tokenizer> cached_gguf(const std::filesystem::path& path);
std::shared_ptr<const Tokenizer> cached_hf(const std::filesystem::path& dir);

std::string join(const std::vector<TokenId>& ids);

}  // namespace corral::tokenizer::test
