// A simulated model: random (uniform) logits masked by the constraint, a token drawn
// from what is left, many seeds, real vocabularies. Every generation must end
// (the constraint complete or an end-of-generation token drawn only where
// the text is complete) with text that parses with nlohmann::json and
// validates against the schema. After a budget of tokens the "model" prefers
// closing tokens so that generations finish.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "grammar/grammar_constraint.h"
#include "grammar/json_constraint.h"
#include "schema_validator.h"
#include "test_vocab.h"

namespace corral::grammar {
namespace {

using ojson = nlohmann::ordered_json;

const char* const kFormats[] = {
    R"("json")",
    R"({"type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer","minimum":0,"maximum":120},
        "email":{"type":["string","null"],"format":"email"},"role":{"enum":["admin","user","guest"]}},
        "required":["name","age","role"]})",
    R"({"$ref":"#/$defs/Tree","$defs":{"Tree":{"type":"object","properties":{"label":{"type":"string","maxLength":8},
        "kids":{"type":"array","items":{"$ref":"#/$defs/Tree"},"maxItems":2}},"required":["label"],"additionalProperties":false}}})",
    R"({"type":"object","properties":{"shape":{"anyOf":[
        {"type":"object","properties":{"kind":{"const":"circle"},"r":{"type":"number","minimum":0}},"required":["kind","r"]},
        {"type":"object","properties":{"kind":{"const":"rect"},"w":{"type":"number"},"h":{"type":"number"}},"required":["kind","w","h"]}]},
        "grid":{"type":"array","items":{"type":"array","items":{"type":"integer"},"minItems":1,"maxItems":3},"minItems":2,"maxItems":2},
        "when":{"type":"string","format":"date-time"},"id":{"type":"string","format":"uuid"}},
        "required":["shape","grid","when","id"]})",
    R"({"type":"object","properties":{"id":{"type":"integer"},"note":{"type":"string","minLength":3,"maxLength":6}},
        "required":["id","note"],"additionalProperties":{"type":"boolean"}})",
    R"({"type":"array","prefixItems":[{"type":"boolean"},{"type":"null"}],"items":{"type":"number","exclusiveMinimum":0},"minItems":3,"maxItems":5})",
    // A root that can be complete and still go on: ends with an end-of-generation token.
    R"({"anyOf":[{"type":"number"},{"type":"boolean"}]})",
};

// Pieces the model prefers when it should finish, most wanted first (a quote
// first: "}" is also ordinary text inside a string).
const char* const kClosers[] = {"\"", "}", "]", "\":", ":", "0", "1", "null", "true", ",", " "};

struct Result {
  std::string text;
  bool ended_with_eog = false;
  int tokens = 0;
};

Result generate(const std::shared_ptr<const tokenizer::Tokenizer>& tok, const ojson& format, unsigned seed) {
  auto c = std::dynamic_pointer_cast<GrammarConstraint>(make_json_constraint(format, tok));
  std::uint64_t state = seed * 0x9E3779B97F4A7C15ull + 1;
  auto noise = [&] {  // SplitMix64 -> uniform [0, 4)
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return static_cast<float>((z ^ (z >> 31)) >> 40) * (4.0f / 16777216.0f);
  };
  std::vector<float> logits(tok->size());
  std::vector<std::int32_t> closers;
  for (const char* p : kClosers)
    for (std::size_t i = 0; i < tok->size(); ++i)
      if (const auto t = tok->type(static_cast<std::int32_t>(i));
          (t == tokenizer::TokenType::NORMAL || t == tokenizer::TokenType::BYTE) && tok->piece(static_cast<std::int32_t>(i)) == p) {
        closers.push_back(static_cast<std::int32_t>(i));
        break;
      }
  const auto eog = TokenTrie::for_tokenizer(tok)->eog();
  Result r;
  for (; r.tokens < 2000 && !c->complete(); ++r.tokens) {
    for (auto& x : logits) x = noise();
    c->apply(logits);
    // End of generation is allowed exactly where the text is complete.
    for (auto id : eog) EXPECT_EQ(std::isfinite(logits[static_cast<std::size_t>(id)]), c->can_end());
    std::int32_t pick = -1;
    if (r.tokens >= 120) {
      for (auto id : eog)
        if (std::isfinite(logits[static_cast<std::size_t>(id)])) pick = id;
      for (std::size_t k = 0; k < closers.size() && pick < 0; ++k)
        if (std::isfinite(logits[static_cast<std::size_t>(closers[k])])) pick = closers[k];
    }
    if (pick < 0) {
      float best = -INFINITY;
      for (std::size_t i = 0; i < logits.size(); ++i)
        if (logits[i] > best) best = logits[i], pick = static_cast<std::int32_t>(i);
    }
    EXPECT_TRUE(std::isfinite(logits[static_cast<std::size_t>(pick)]));
    c->accept(pick);
    EXPECT_FALSE(c->broken());
    if (tok->is_eog(pick)) {
      r.ended_with_eog = true;
    } else {
      r.text += tok->piece(pick);
    }
  }
  EXPECT_TRUE(c->complete()) << "no end after " << r.tokens << " tokens: " << r.text;
  return r;
}

void run_seeds(const std::shared_ptr<const tokenizer::Tokenizer>& tok, int seeds) {
  for (std::size_t f = 0; f < std::size(kFormats); ++f) {
    const ojson format = ojson::parse(kFormats[f]);
    int eog_endings = 0;
    for (int seed = 0; seed < seeds; ++seed) {
      const Result r = generate(tok, format, static_cast<unsigned>(seed * 131 + f));
      eog_endings += r.ended_with_eog;
      ojson doc;
      try {
        doc = ojson::parse(r.text);
      } catch (const std::exception& e) {
        ADD_FAILURE() << "format " << f << " seed " << seed << ": does not parse (" << e.what() << "): " << r.text;
        continue;
      }
      if (format.is_string()) {
        EXPECT_TRUE(doc.is_object()) << r.text;
      } else {
        EXPECT_EQ(test::validate(doc, format), "") << "format " << f << " seed " << seed << ": " << r.text;
      }
    }
    // Objects and arrays end with their closing bracket; the open-ended last
    // format needs end-of-generation tokens, at least sometimes.
    if (f + 1 == std::size(kFormats)) {
      EXPECT_GT(eog_endings, 0);
    }
    if (f == 0) {
      EXPECT_EQ(eog_endings, 0);
    }
  }
}

TEST(RandomModel, Llama3VocabularyAlwaysGivesValidDocuments) {
  auto tok = test::shared_vocab("llama-bpe");
  if (!tok) GTEST_SKIP() << "shared data not found: vocab/ggml-vocab-llama-bpe.gguf (set CORRAL_SHARED)";
  run_seeds(tok, 12);
}

TEST(RandomModel, Qwen2VocabularyAlwaysGivesValidDocuments) {
  auto tok = test::shared_vocab("qwen2");
  if (!tok) GTEST_SKIP() << "shared data not found: vocab/ggml-vocab-qwen2.gguf (set CORRAL_SHARED)";
  run_seeds(tok, 12);
}

TEST(RandomModel, SyntheticVocabularyAlwaysGivesValidDocuments) { run_seeds(test::synthetic_vocab(), 25); }

}  // namespace
}  // namespace corral::grammar
