// llama.cpp's tokenizer test vectors (shared/vocab/*.inp/.out, produced with
// the Hugging Face tokenizers, add_special=false, parse_special=false) with
// every GGUF vocabulary there, and for Llama 3 and Qwen with the vocabulary
// imported from the Hugging Face tokenizer.json instead.
#include <gtest/gtest.h>

#include "testutil/shared_data.h"
#include "tokenizer/vocab_test_data.h"

namespace corral::tokenizer::test {
namespace {

class VocabVectors : public ::testing::TestWithParam<const char*> {};

void expect_vectors(const Tokenizer& tok, const std::filesystem::path& vectors_for) {
  const auto vectors = read_vectors(vectors_for);
  ASSERT_EQ(vectors.size(), 46u) << vectors_for;
  for (std::size_t i = 0; i < vectors.size(); ++i) {
    const auto got = tok.encode(vectors[i].text, /*add_special=*/false, /*parse_special=*/false);
    EXPECT_EQ(join(got), join(vectors[i].ids)) << "vector " << i << ": '" << vectors[i].text << "'";
  }
}

TEST_P(VocabVectors, MatchesReferenceIds) {
  const std::string rel = std::string("vocab/ggml-vocab-") + GetParam() + ".gguf";
  CORRAL_SHARED_FILE_OR_SKIP(path, rel);
  expect_vectors(*cached_gguf(path), path);
}

INSTANTIATE_TEST_SUITE_P(AllSharedVocabularies, VocabVectors,
                         ::testing::Values("llama-spm", "phi-3", "llama-bpe", "qwen2", "gpt-2", "falcon",
                                           "deepseek-coder", "deepseek-llm", "bert-bge"),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& c : n)
                             if (c == '-') c = '_';
                           return n;
                         });

TEST(VocabVectorsFromHf, Llama31TokenizerJson) {
  CORRAL_SHARED_FILE_OR_SKIP(vectors, "vocab/ggml-vocab-llama-bpe.gguf");
  CORRAL_SHARED_FILE_OR_SKIP(dir, "tokenizers/llama3_1");
  auto tok = cached_hf(dir);
  EXPECT_EQ(tok->vocab().model, "gpt2");
  EXPECT_EQ(tok->vocab().pre, "llama-bpe");
  expect_vectors(*tok, vectors);
}

TEST(VocabVectorsFromHf, Qwen3TokenizerJson) {
  CORRAL_SHARED_FILE_OR_SKIP(vectors, "vocab/ggml-vocab-qwen2.gguf");
  CORRAL_SHARED_FILE_OR_SKIP(dir, "tokenizers/qwen3");
  auto tok = cached_hf(dir);
  EXPECT_EQ(tok->vocab().model, "gpt2");
  EXPECT_EQ(tok->vocab().pre, "qwen2");
  expect_vectors(*tok, vectors);
}

}  // namespace
}  // namespace corral::tokenizer::test
