// libFuzzer target for the tokenizer. The first byte picks what the rest is:
//   0: text to encode and decode (and ids to detokenize) with a vocabulary
//      picked by the second byte: small built-in SentencePiece, byte-level
//      BPE and WordPiece vocabularies, or the Llama 2 / Llama 3 / Qwen 2
//      vocabularies from ../shared when present (CORRAL_SHARED);
//   1: a tokenizer.json;  2: a SentencePiece tokenizer.model;  3: a GGUF file.
// Anything may be rejected with an Error; nothing may crash, hang or read
// out of bounds, and byte-level BPE must give the input bytes back.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "gguf/gguf_file.h"
#include "tokenizer/byte_level.h"
#include "tokenizer/hf_import.h"
#include "tokenizer/sentencepiece_model.h"
#include "tokenizer/streaming_decoder.h"
#include "tokenizer/tokenizer.h"
#include "tokenizer/vocab_gguf.h"
#include "util/error.h"
#include "util/utf8.h"

namespace tk = corral::tokenizer;

namespace {

tk::Vocab small_spm() {
  tk::Vocab v;
  v.model = "llama";
  auto add = [&](std::string t, float s, tk::TokenType ty) {
    v.tokens.push_back(std::move(t));
    v.scores.push_back(s);
    v.types.push_back(ty);
  };
  add("<unk>", 0, tk::TokenType::UNKNOWN);
  add("<s>", 0, tk::TokenType::CONTROL);
  add("</s>", 0, tk::TokenType::CONTROL);
  for (int i = 0; i < 256; ++i) {
    char name[8];
    std::snprintf(name, sizeof name, "<0x%02X>", i);
    add(name, 0, tk::TokenType::BYTE);
  }
  const char* pieces[] = {"\xe2\x96\x81", "a", "b", "c", "ab", "bc", "\xe2\x96\x81" "a", "abc", "\xc3\xa9"};
  float score = -1;
  for (const char* p : pieces) add(p, score--, tk::TokenType::NORMAL);
  add("<user>", 0, tk::TokenType::USER_DEFINED);
  v.bos = 1, v.eos = 2, v.unk = 0;
  v.add_bos = v.add_space_prefix = true;
  return v;
}

tk::Vocab small_bpe() {
  tk::Vocab v;
  v.model = "gpt2";
  v.pre = "llama-bpe";
  for (int i = 0; i < 256; ++i) v.tokens.push_back(tk::byte_level::encode(std::string(1, static_cast<char>(i))));
  v.merges = {"a b", "ab c", "\xc4\xa0 a", "1 2"};
  for (const char* t : {"ab", "abc", "\xc4\xa0" "a", "12"}) v.tokens.push_back(t);
  v.tokens.push_back("<|end|>");
  v.types.assign(v.tokens.size(), tk::TokenType::NORMAL);
  v.types.back() = tk::TokenType::CONTROL;
  v.eos = static_cast<tk::TokenId>(v.tokens.size() - 1);
  return v;
}

tk::Vocab small_wordpiece() {
  tk::Vocab v;
  v.model = "bert";
  for (const char* t : {"[UNK]", "[CLS]", "[SEP]", "\xe2\x96\x81" "a", "\xe2\x96\x81" "ab", "b", "c", "\xe2\x96\x81!"})
    v.tokens.push_back(t);
  v.types.assign(v.tokens.size(), tk::TokenType::NORMAL);
  v.unk = 0, v.bos = 1, v.sep = 2;
  return v;
}

std::shared_ptr<const tk::Tokenizer> shared_vocab(const char* name) {
  std::filesystem::path dir;
  if (const char* s = std::getenv("CORRAL_SHARED"); s && *s)
    dir = s;
  else
    dir = std::filesystem::path(CORRAL_SOURCE_DIR_DEFAULT) / ".." / "shared";
  const auto path = dir / "vocab" / (std::string("ggml-vocab-") + name + ".gguf");
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return nullptr;
  return tk::Tokenizer::from_gguf(corral::gguf::File::open(path.string()));
}

struct Tokenizers {
  std::vector<std::shared_ptr<const tk::Tokenizer>> all;
  Tokenizers() {
    all.push_back(tk::Tokenizer::from_vocab(small_spm()));
    all.push_back(tk::Tokenizer::from_vocab(small_bpe()));
    all.push_back(tk::Tokenizer::from_vocab(small_wordpiece()));
    for (const char* name : {"llama-spm", "llama-bpe", "qwen2"})
      if (auto t = shared_vocab(name)) all.push_back(t);
  }
};

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz_tokenizer: %s\n", what);
    std::abort();
  }
}

void exercise(const tk::Tokenizer& tok, std::string_view text, unsigned flags) {
  const bool add_special = flags & 1, parse_special = flags & 2;
  const auto ids = tok.encode(text, add_special, parse_special);
  for (tk::TokenId id : ids) check(tok.vocab().valid_id(id), "encode produced an invalid id");
  const std::string back = tok.decode(ids);
  if (tok.vocab().model == "gpt2" && !add_special && !parse_special) check(back == text, "byte-level round trip");
  // The same bytes read as little-endian ids, some out of range.
  tk::StreamingDecoder stream(std::shared_ptr<const tk::Tokenizer>(&tok, [](const tk::Tokenizer*) {}));
  for (std::size_t i = 0; i + 2 <= text.size(); i += 2) {
    const auto id = static_cast<tk::TokenId>((static_cast<unsigned char>(text[i]) | static_cast<unsigned char>(text[i + 1]) << 8) %
                                             (tok.size() + 16));
    try {
      check(corral::utf8::is_valid(stream.push(id)), "streaming output is not UTF-8");
    } catch (const corral::Error&) {
      check(!tok.vocab().valid_id(id), "error for a valid id");
    }
  }
  check(corral::utf8::is_valid(stream.flush()), "flushed output is not UTF-8");
}

void after_import(const tk::Vocab& v) {
  if (v.size() > 100000) return;  // building a tokenizer that large is slow, not interesting
  auto tok = tk::Tokenizer::from_vocab(v);
  exercise(*tok, "Hello world! <s> \xe2\x96\x81 12345 caf\xc3\xa9 \xff", 3);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Tokenizers tokenizers;
  if (size < 2) return 0;
  const unsigned mode = data[0] % 4;
  const std::span<const std::uint8_t> rest(data + 1, size - 1);
  const std::string_view text(reinterpret_cast<const char*>(rest.data()), rest.size());
  try {
    switch (mode) {
      case 0: {
        const auto& tok = tokenizers.all[data[1] % tokenizers.all.size()];
        exercise(*tok, text.substr(1), data[1] >> 6);
        break;
      }
      case 1:
        after_import(tk::vocab_from_tokenizer_json(text, tk::HfConfig{}, "fuzz"));
        break;
      case 2:
        after_import(tk::vocab_from_sentencepiece(tk::parse_sentencepiece_model(rest, "fuzz"), tk::HfConfig{}, "fuzz"));
        break;
      case 3:
        after_import(tk::vocab_from_gguf(corral::gguf::File::parse(rest, "fuzz")));
        break;
    }
  } catch (const corral::Error&) {
  }
  return 0;
}
