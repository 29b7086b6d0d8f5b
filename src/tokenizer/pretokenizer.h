// PreTokenizer: splits text into the pieces byte-level BPE merges within,
// using the regular expressions of a `tokenizer.ggml.pre` name (the lists
// llama.cpp uses, in Hugging Face's original form), compiled with PCRE2 JIT.
// The regexes apply one after another: each splits every piece from the
// previous one into its matches and the gaps between them.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace corral::tokenizer {

class PreTokenizer {
 public:
  explicit PreTokenizer(const std::vector<std::string>& regexes);
  ~PreTokenizer();
  PreTokenizer(const PreTokenizer&) = delete;
  PreTokenizer& operator=(const PreTokenizer&) = delete;

  // Calls emit(piece) for each piece of `text`, in order; the pieces
  // concatenate to `text`. Invalid UTF-8 bytes become one-byte pieces.
  // Thread-safe.
  void split(std::string_view text, const std::function<void(std::string_view)>& emit) const;

 private:
  struct Compiled;
  void split_level(std::size_t level, std::string_view text, void* match_data,
                   const std::function<void(std::string_view)>& emit) const;
  std::vector<std::unique_ptr<Compiled>> regexes_;
};

}  // namespace corral::tokenizer
