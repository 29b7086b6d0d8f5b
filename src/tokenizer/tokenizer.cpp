// Tokenizer: splitting out special tokens, running the model's encoder on
// the text between them, adding BOS/EOS; and the id -> bytes pieces.
#include "tokenizer/tokenizer.h"

#include <cstdlib>

#include "tokenizer/byte_level.h"
#include "tokenizer/special_splitter.h"
#include "tokenizer/text_encoder.h"
#include "tokenizer/text_index.h"
#include "tokenizer/vocab_gguf.h"
#include "tokenizer/vocab_hf.h"
#include "util/error.h"

namespace corral::tokenizer {

namespace {

std::string replace_space_marks(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s.compare(i, 3, "\xe2\x96\x81") == 0) {
      out.push_back(' ');
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// The bytes of token `text` of type `type` (control tokens included).
std::string make_piece(ModelKind kind, TokenType type, const std::string& text) {
  switch (type) {
    case TokenType::CONTROL:
    case TokenType::UNKNOWN:
      return text;
    case TokenType::USER_DEFINED:
      // SentencePiece user-defined tokens imported from tokenizer.json keep ▁
      // for spaces (Gemma's "▁▁" ...); llama.cpp's converter writes spaces.
      return kind == ModelKind::SentencePiece ? replace_space_marks(text) : text;
    case TokenType::NORMAL:
      if (kind == ModelKind::BytePairBPE) return byte_level::decode(text);
      return replace_space_marks(text);
    case TokenType::BYTE:
      if (kind == ModelKind::SentencePiece && text.size() == 6 && text.compare(0, 3, "<0x") == 0 && text[5] == '>') {
        int hi = hex_digit(text[3]), lo = hex_digit(text[4]);
        if (hi >= 0 && lo >= 0) return std::string(1, static_cast<char>(hi * 16 + lo));
      }
      return kind == ModelKind::SentencePiece ? text : std::string();
    case TokenType::UNUSED:
    case TokenType::UNDEFINED:
      return {};
  }
  return {};
}

}  // namespace

std::shared_ptr<const Tokenizer> Tokenizer::from_vocab(Vocab vocab) {
  return std::shared_ptr<const Tokenizer>(new Tokenizer(std::move(vocab)));
}

std::shared_ptr<const Tokenizer> Tokenizer::from_gguf(const gguf::File& file) {
  return from_vocab(vocab_from_gguf(file));
}

std::shared_ptr<const Tokenizer> Tokenizer::from_hf(const std::filesystem::path& dir) {
  return from_vocab(vocab_from_hf(dir));
}

Tokenizer::Tokenizer(Vocab vocab) : vocab_(std::move(vocab)) {
  finish_vocab(vocab_, "vocabulary");
  const std::size_t n = vocab_.size();
  types_ = vocab_.types;
  for (TokenId id : control_overrides(vocab_)) types_[static_cast<std::size_t>(id)] = TokenType::CONTROL;
  eog_.assign(n, false);
  for (TokenId id : vocab_.eog_ids) eog_[static_cast<std::size_t>(id)] = true;
  pieces_.resize(n);
  for (std::size_t i = 0; i < n; ++i) pieces_[i] = make_piece(vocab_.kind(), types_[i], vocab_.tokens[i]);
  index_ = std::make_unique<TextIndex>();
  index_->build(vocab_.tokens);
  splitter_ = std::make_unique<SpecialSplitter>(vocab_.tokens, types_);
  encoder_ = make_text_encoder(vocab_, *index_);
}

Tokenizer::~Tokenizer() = default;

std::vector<TokenId> Tokenizer::encode(std::string_view text, bool add_special, bool parse_special) const {
  std::vector<TokenId> out;
  out.reserve(text.size() / 3 + 4);
  const bool wordpiece = vocab_.kind() == ModelKind::WordPiece;
  if (add_special) {
    if (wordpiece) {
      TokenId cls = vocab_.bos != kNoToken ? vocab_.bos : vocab_.cls;
      if (cls != kNoToken) out.push_back(cls);
    } else if (vocab_.add_bos && vocab_.bos != kNoToken) {
      out.push_back(vocab_.bos);
    }
  }
  std::vector<Fragment> fragments;
  splitter_->split(text, parse_special, fragments);
  bool after_special = true;
  for (const Fragment& f : fragments) {
    if (f.is_token()) {
      out.push_back(f.token);
      after_special = true;
    } else {
      encoder_->encode(f.text, after_special, out);
      after_special = false;
    }
  }
  if (add_special) {
    if (wordpiece) {
      if (vocab_.sep != kNoToken) out.push_back(vocab_.sep);
    } else if (vocab_.add_eos && vocab_.eos != kNoToken) {
      out.push_back(vocab_.eos);
    }
  }
  return out;
}

void Tokenizer::check_id(TokenId id) const {
  if (!vocab_.valid_id(id)) fail("token id {} is out of range (the vocabulary has {} tokens)", id, vocab_.size());
}

std::string_view Tokenizer::piece(TokenId id, bool render_special) const {
  check_id(id);
  const auto i = static_cast<std::size_t>(id);
  if (!render_special && (types_[i] == TokenType::CONTROL || types_[i] == TokenType::UNKNOWN)) return {};
  return pieces_[i];
}

std::string Tokenizer::token_to_piece(TokenId id, bool render_special) const {
  return std::string(piece(id, render_special));
}

std::string Tokenizer::decode(std::span<const TokenId> ids, bool render_special) const {
  std::string out;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    std::string_view p = piece(ids[i], render_special);
    if (i == 0 && vocab_.add_space_prefix && !p.empty() && p[0] == ' ') p.remove_prefix(1);
    out.append(p);
  }
  return out;
}

bool Tokenizer::is_eog(TokenId id) const { return vocab_.valid_id(id) && eog_[static_cast<std::size_t>(id)]; }

TokenType Tokenizer::type(TokenId id) const {
  check_id(id);
  return types_[static_cast<std::size_t>(id)];
}

}  // namespace corral::tokenizer
