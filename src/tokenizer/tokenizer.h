// Tokenizer: text <-> token ids exactly as the model was trained, for the
// vocabularies GGUF files carry (SentencePiece "llama", byte-level BPE
// "gpt2", WordPiece "bert") and Hugging Face folders. Built once, then
// immutable: every method is safe to call from many threads at once.
//
//   auto tok = Tokenizer::from_gguf(gguf::File::open(path));
//   auto ids = tok->encode("Hello", /*add_special=*/true, /*parse_special=*/true);
//   std::string text = tok->decode(ids);
#pragma once

#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tokenizer/vocab.h"

namespace corral::gguf {
class File;
}

namespace corral::tokenizer {

class TextEncoder;
class TextIndex;
class SpecialSplitter;

class Tokenizer {
 public:
  // From a model file's tokenizer.ggml.* metadata (a vocab-only GGUF is enough).
  static std::shared_ptr<const Tokenizer> from_gguf(const gguf::File& file);
  // From a Hugging Face folder: tokenizer.json (+ tokenizer_config.json),
  // or a SentencePiece tokenizer.model.
  static std::shared_ptr<const Tokenizer> from_hf(const std::filesystem::path& dir);
  static std::shared_ptr<const Tokenizer> from_vocab(Vocab vocab);

  ~Tokenizer();
  Tokenizer(const Tokenizer&) = delete;
  Tokenizer& operator=(const Tokenizer&) = delete;

  const Vocab& vocab() const { return vocab_; }
  std::size_t size() const { return vocab_.size(); }

  // Text -> ids. add_special: BOS/EOS as the vocabulary asks (add_bos_token,
  // add_eos_token). parse_special: control tokens written in the text (such
  // as <|im_start|>) become their ids; user-defined tokens always do.
  // Any bytes are accepted (invalid UTF-8 is encoded byte by byte).
  std::vector<TokenId> encode(std::string_view text, bool add_special, bool parse_special) const;

  // The bytes a token stands for (SentencePiece ▁ -> space, <0xXX> -> that
  // byte, byte-level BPE alphabet -> raw bytes). Control tokens give their
  // text, or "" when render_special is false. Throws Error for an id
  // outside the vocabulary.
  std::string token_to_piece(TokenId id, bool render_special = true) const;
  std::string_view piece(TokenId id, bool render_special = true) const;
  // The pieces concatenated; with add_space_prefix the first piece loses
  // one leading space (as llama.cpp's detokenizer does). Throws Error for
  // an id outside the vocabulary.
  std::string decode(std::span<const TokenId> ids, bool render_special = true) const;

  bool is_eog(TokenId id) const;
  // The type the tokenizer uses (llama.cpp promotes some tokens to CONTROL).
  TokenType type(TokenId id) const;
  // Throws Error naming the id unless it is in the vocabulary.
  void check_id(TokenId id) const;

 private:
  explicit Tokenizer(Vocab vocab);

  Vocab vocab_;
  std::vector<TokenType> types_;
  std::vector<std::string> pieces_;
  std::vector<bool> eog_;
  std::unique_ptr<TextIndex> index_;
  std::unique_ptr<SpecialSplitter> splitter_;
  std::unique_ptr<TextEncoder> encoder_;
};

}  // namespace corral::tokenizer
