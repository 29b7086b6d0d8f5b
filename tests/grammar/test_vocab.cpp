// Test vocabularies (see test_vocab.h).
#include "test_vocab.h"

#include <cstdio>
#include <map>
#include <mutex>
#include <random>
#include <set>

#include "gguf/gguf_file.h"
#include "testutil/shared_data.h"

namespace corral::grammar::test {

std::shared_ptr<const tokenizer::Tokenizer> shared_vocab(const std::string& name) {
  static std::mutex mu;
  static std::map<std::string, std::shared_ptr<const tokenizer::Tokenizer>> cache;
  std::lock_guard lock(mu);
  auto& t = cache[name];
  if (!t) {
    auto path = corral::test::shared_file("vocab/ggml-vocab-" + name + ".gguf");
    if (!path) return nullptr;
    t = tokenizer::Tokenizer::from_gguf(gguf::File::open(path->string()));
  }
  return t;
}

std::shared_ptr<const tokenizer::Tokenizer> synthetic_vocab() {
  using tokenizer::TokenType;
  static const auto tok = [] {
    tokenizer::Vocab v;
    v.model = "llama";
    auto add = [&](const std::string& text, TokenType type) {
      v.tokens.push_back(text);
      v.scores.push_back(0.0f);
      v.types.push_back(type);
      return static_cast<tokenizer::TokenId>(v.tokens.size() - 1);
    };
    v.unk = add("<unk>", TokenType::UNKNOWN);
    v.bos = add("<s>", TokenType::CONTROL);
    v.eos = add("</s>", TokenType::CONTROL);
    add("<|im_end|>", TokenType::CONTROL);
    add("<tool_call>", TokenType::USER_DEFINED);
    for (int i = 0; i < 256; ++i) {
      char name[8];
      std::snprintf(name, sizeof name, "<0x%02X>", i);
      add(name, TokenType::BYTE);
    }
    const std::string text =
        "{\"name\": \"Ann\", \"age\": 31, \"tags\": [\"a\", \"b\"], \"ok\": true, \"none\": null, \"x\": -1.5e3}\n"
        "{\n  \"kind\": \"circle\",\n  \"r\": 0.25,\n  \"children\": [{\"value\": 1}, {\"value\": 2}]\n}"
        "[[1,2],[3]] \"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\" \\n \\\" \\u00e9 \"status\": \"inactive\", \"2024-01-02\"";
    std::set<std::string> pieces;
    std::mt19937 rng(11);
    for (std::size_t i = 0; i < text.size(); ++i)
      for (std::size_t len = 2; len <= 7 && i + len <= text.size(); ++len)
        if (rng() % 3 == 0) pieces.insert(text.substr(i, len));
    const std::string mark = "\xe2\x96\x81";  // SentencePiece writes spaces as U+2581
    for (auto p : pieces) {
      std::string t;
      for (char c : p) t += c == ' ' ? mark : std::string(1, c);
      if (std::find(v.tokens.begin(), v.tokens.end(), t) == v.tokens.end()) add(t, TokenType::NORMAL);
    }
    return tokenizer::Tokenizer::from_vocab(std::move(v));
  }();
  return tok;
}

}  // namespace corral::grammar::test
