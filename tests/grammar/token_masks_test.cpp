// Token masks against brute force: in many states, the mask must equal the
// set of tokens whose bytes the matcher accepts one by one (plus the
// end-of-generation tokens exactly when the text is complete). Real Llama 3
// and Qwen2 vocabularies (skipped when absent) and a synthetic one.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <random>

#include "grammar/grammar_constraint.h"
#include "grammar/json_constraint.h"
#include "grammar/token_masks.h"
#include "test_vocab.h"

namespace corral::grammar {
namespace {

using ojson = nlohmann::ordered_json;
using tokenizer::TokenType;

TokenBits brute_force(const tokenizer::Tokenizer& tok, Matcher& m) {
  TokenBits b(tok.size());
  for (std::size_t i = 0; i < tok.size(); ++i) {
    const auto id = static_cast<std::int32_t>(i);
    if (tok.is_eog(id)) {
      if (m.can_end()) b.set(id);
      continue;
    }
    if (tok.type(id) != TokenType::NORMAL && tok.type(id) != TokenType::BYTE) continue;
    const auto piece = tok.piece(id);
    if (!piece.empty() && m.can_accept(piece)) b.set(id);
  }
  return b;
}

std::string first_difference(const tokenizer::Tokenizer& tok, const TokenBits& got, const TokenBits& want) {
  for (std::size_t i = 0; i < tok.size(); ++i) {
    const auto id = static_cast<std::int32_t>(i);
    if (got.test(id) != want.test(id))
      return "token " + std::to_string(id) + " '" + std::string(tok.piece(id)) + "' is " + (got.test(id) ? "" : "not ") +
             "in the mask";
  }
  return "";
}

const char* kSchema = R"({"type":"object","properties":{
    "name":{"type":"string","maxLength":12},"age":{"type":"integer","minimum":0,"maximum":150},
    "tags":{"type":"array","items":{"type":"string"},"maxItems":3},"kind":{"enum":["circle","square"]},
    "extra":{"anyOf":[{"type":"number"},{"type":"null"}]}},"required":["name","age"],"additionalProperties":true})";

struct Probe {
  int format;  // 0: "json", 1: kSchema
  const char* text;
};
const Probe kProbes[] = {
    {0, ""}, {0, "{"}, {0, "{\"na"}, {0, "{\"name\":"}, {0, "{\"name\": \"Hello wor"}, {0, "{\"a\": \"caf\xc3"},
    {0, "{\"a\": \"\\u00"}, {0, "{\"age\": 12"}, {0, "{\"age\": 1.5e"}, {0, "{\"a\": [1, [true, {\"b\": null}], "},
    {0, "{\"a\": {}}"}, {0, "{\n  \"a\": 1,\n  "},
    {1, ""}, {1, "{\"name\": \"Hello"}, {1, "{\"name\": \"abcdefghijk"}, {1, "{\"name\": \"x\", \"age\": 1"},
    {1, "{\"name\": \"x\", \"age\": 15"}, {1, "{\"name\": \"x\", \"age\": 150, "}, {1, "{\"name\": \"x\", \"age\": 0, \"kind\": \"c"},
    {1, "{\"name\": \"x\", \"age\": 0, \"tags\": [\"a\", \"b\", \"c\""}, {1, "{\"name\": \"x\", \"age\": 0, \"ki"},
    {1, "{\"name\": \"x\", \"age\": 0, \"extra\": -"}, {1, "{\"name\": \"x\", \"age\": 0, \"other\": {\"deep\": [1"},
};

void check_probes(const std::shared_ptr<const tokenizer::Tokenizer>& tok) {
  for (int format = 0; format < 2; ++format) {
    const ojson f = format == 0 ? ojson("json") : ojson::parse(kSchema);
    auto table = std::make_shared<const TokenMaskTable>(compile_format(f), TokenTrie::for_tokenizer(tok));
    MaskBuilder builder(table);
    for (const auto& p : kProbes) {
      if (p.format != format) continue;
      Matcher m(table->automaton_ptr());
      ASSERT_TRUE(m.accept(p.text)) << p.text;
      TokenBits got(tok->size());
      builder.build(m, got);
      const TokenBits want = brute_force(*tok, m);
      EXPECT_EQ(first_difference(*tok, got, want), "") << "after: " << p.text;
      EXPECT_GT(want.count(), 0u) << p.text;
    }
  }
}

TEST(TokenMasks, EqualBruteForceOnLlama3Vocabulary) {
  auto tok = test::shared_vocab("llama-bpe");
  if (!tok) GTEST_SKIP() << "shared data not found: vocab/ggml-vocab-llama-bpe.gguf (set CORRAL_SHARED)";
  check_probes(tok);
}

TEST(TokenMasks, EqualBruteForceOnQwen2Vocabulary) {
  auto tok = test::shared_vocab("qwen2");
  if (!tok) GTEST_SKIP() << "shared data not found: vocab/ggml-vocab-qwen2.gguf (set CORRAL_SHARED)";
  check_probes(tok);
}

TEST(TokenMasks, EqualBruteForceAlongRandomGenerations) {
  // Every state met while sampling random allowed tokens, on the synthetic
  // vocabulary (small enough to check each state in full).
  auto tok = test::synthetic_vocab();
  for (int format = 0; format < 2; ++format) {
    const ojson f = format == 0 ? ojson("json") : ojson::parse(kSchema);
    auto table = std::make_shared<const TokenMaskTable>(compile_format(f), TokenTrie::for_tokenizer(tok));
    MaskBuilder builder(table);
    std::mt19937 rng(static_cast<unsigned>(format) + 1);
    for (int run = 0; run < 15; ++run) {
      Matcher m(table->automaton_ptr());
      TokenBits got(tok->size());
      for (int step = 0; step < 60; ++step) {
        builder.build(m, got);
        const TokenBits want = brute_force(*tok, m);
        ASSERT_EQ(first_difference(*tok, got, want), "") << "format " << format << " run " << run << " step " << step;
        std::vector<std::int32_t> ids;
        for (std::size_t i = 0; i < tok->size(); ++i)
          if (got.test(static_cast<std::int32_t>(i)) && !tok->is_eog(static_cast<std::int32_t>(i))) ids.push_back(static_cast<std::int32_t>(i));
        if (ids.empty()) break;
        ASSERT_TRUE(m.accept(tok->piece(ids[rng() % ids.size()])));
      }
    }
  }
}

TEST(TokenMasks, TrieKeepsOnlyTextTokens) {
  auto tok = test::synthetic_vocab();
  const TokenTrie trie(*tok);
  std::size_t listed = 0;
  for (std::size_t i = 0; i < trie.size(); ++i) {
    for (auto id : trie.tokens(i)) {
      ++listed;
      EXPECT_TRUE(tok->type(id) == TokenType::NORMAL || tok->type(id) == TokenType::BYTE) << id;
      EXPECT_EQ(tok->piece(id).size(), trie.depth(i)) << id;
    }
    if (i > 0) {
      EXPECT_GT(trie.end(i), i);
    }
  }
  EXPECT_EQ(listed, trie.text_tokens());
  ASSERT_FALSE(trie.eog().empty());
  for (auto id : trie.eog()) EXPECT_TRUE(tok->is_eog(id));
}

TEST(TokenMasks, ConstraintMasksLogitsAndEndsWithTheGrammar) {
  auto tok = test::synthetic_vocab();
  auto c = std::dynamic_pointer_cast<GrammarConstraint>(make_json_constraint(ojson("json"), tok));
  ASSERT_TRUE(c);
  std::vector<float> logits(tok->size() + 3, 1.0f);  // a model row may be longer than the vocabulary
  c->apply(logits);
  const TokenBits& allowed = c->allowed();
  for (std::size_t i = 0; i < logits.size(); ++i) {
    const bool ok = i < tok->size() && allowed.test(static_cast<std::int32_t>(i));
    EXPECT_EQ(std::isfinite(logits[i]), ok) << i;
    if (ok) {
      EXPECT_EQ(logits[i], 1.0f);
    }
  }
  for (const char* piece : {"{", "\"", "a", "\"", ":", "1", "}"}) {
    EXPECT_FALSE(c->complete());
    EXPECT_FALSE(c->can_end());
    std::int32_t id = -1;
    for (std::size_t i = 0; i < tok->size(); ++i)
      if (tok->type(static_cast<std::int32_t>(i)) == TokenType::NORMAL && tok->piece(static_cast<std::int32_t>(i)) == piece)
        id = static_cast<std::int32_t>(i);
    if (id < 0) id = static_cast<std::int32_t>(5 + static_cast<unsigned char>(piece[0]));  // the byte token
    c->accept(id);
  }
  EXPECT_TRUE(c->can_end());
  EXPECT_TRUE(c->complete());
  EXPECT_FALSE(c->broken());
  const TokenTrie trie(*tok);
  for (auto id : trie.eog()) EXPECT_TRUE(c->allowed().test(id));
}

TEST(TokenMasks, TokenThatDoesNotFitEndsTheConstraint) {
  auto tok = test::synthetic_vocab();
  auto c = std::dynamic_pointer_cast<GrammarConstraint>(make_json_constraint(ojson("json"), tok));
  c->accept(5 + 'x');  // byte token "x": not a JSON start
  EXPECT_TRUE(c->broken());
  EXPECT_TRUE(c->complete());
}

}  // namespace
}  // namespace corral::grammar
