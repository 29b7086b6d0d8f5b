// Bad input never crashes: invalid UTF-8, NUL bytes, very long texts and
// runs, out-of-range ids; bytes survive encode -> decode where the
// vocabulary can represent every byte.
#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <thread>

#include "testutil/shared_data.h"
#include "tokenizer/vocab_test_data.h"
#include "util/error.h"

namespace corral::tokenizer::test {
namespace {

std::string random_bytes(std::mt19937& rng, std::size_t n) {
  // Mostly ASCII and UTF-8 lead/continuation bytes, so both valid and broken sequences occur.
  static const std::string alphabet = std::string("ab c\n\t'1.<|>") + "\xc3\xa9\xe4\xb8\x96\xf0\x9f\x98\x80\xff\x80";
  std::string s;
  for (std::size_t i = 0; i < n; ++i) {
    unsigned r = rng() % 4;
    s.push_back(r == 0 ? static_cast<char>(rng() % 256) : alphabet[rng() % alphabet.size()]);
  }
  return s;
}

class ByteRoundTrip : public ::testing::TestWithParam<const char*> {};

TEST_P(ByteRoundTrip, DecodeOfEncodeGivesTheBytesBack) {
  CORRAL_SHARED_FILE_OR_SKIP(path, std::string("vocab/ggml-vocab-") + GetParam() + ".gguf");
  auto tok = cached_gguf(path);
  std::mt19937 rng(1234);
  for (int i = 0; i < 200; ++i) {
    std::string text = random_bytes(rng, rng() % 64);
    auto ids = tok->encode(text, false, false);
    for (TokenId id : ids) ASSERT_TRUE(tok->vocab().valid_id(id));
    EXPECT_EQ(tok->decode(ids), text) << "case " << i;
  }
}

// Byte-level BPE and SentencePiece with byte fallback can write any bytes.
INSTANTIATE_TEST_SUITE_P(ByteComplete, ByteRoundTrip, ::testing::Values("llama-bpe", "qwen2", "gpt-2", "llama-spm"),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& c : n)
                             if (c == '-') c = '_';
                           return n;
                         });

TEST(BadInput, NulBytesAreOrdinaryText) {
  CORRAL_SHARED_FILE_OR_SKIP(path, "vocab/ggml-vocab-llama-bpe.gguf");
  auto tok = cached_gguf(path);
  const std::string text("a\0b\0\0c", 6);
  auto ids = tok->encode(text, true, true);
  EXPECT_EQ(ids.front(), 128000);
  EXPECT_EQ(tok->decode(std::vector<TokenId>(ids.begin() + 1, ids.end())), text);
}

TEST(BadInput, LongTextsAndLongRuns) {
  CORRAL_SHARED_FILE_OR_SKIP(path, "vocab/ggml-vocab-qwen2.gguf");
  auto tok = cached_gguf(path);
  for (const std::string& text : {std::string(200000, 'a'), std::string(200000, ' ') + "x",
                                  std::string(100000, '\n'), std::string(150000, '7')}) {
    auto ids = tok->encode(text, false, false);
    EXPECT_FALSE(ids.empty());
    EXPECT_EQ(tok->decode(ids), text);
  }
}

TEST(BadInput, LongTextSentencePiece) {
  CORRAL_SHARED_FILE_OR_SKIP(path, "vocab/ggml-vocab-llama-spm.gguf");
  auto tok = cached_gguf(path);
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "word" + std::to_string(i % 97) + " ";
  auto ids = tok->encode(text, false, false);
  EXPECT_EQ(tok->decode(ids), text);
}

TEST(BadInput, OutOfRangeIdsThrow) {
  CORRAL_SHARED_FILE_OR_SKIP(path, "vocab/ggml-vocab-llama-spm.gguf");
  auto tok = cached_gguf(path);
  EXPECT_THROW(tok->token_to_piece(-1), Error);
  EXPECT_THROW(tok->token_to_piece(32000), Error);
  EXPECT_THROW(tok->decode(std::vector<TokenId>{1, 2, 40000}), Error);
  EXPECT_THROW(tok->type(1 << 30), Error);
  try {
    tok->token_to_piece(32000);
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("32000"), std::string::npos);
  }
}

TEST(BadInput, ConcurrentUseGivesTheSameIds) {
  CORRAL_SHARED_FILE_OR_SKIP(path, "vocab/ggml-vocab-llama-bpe.gguf");
  auto tok = cached_gguf(path);
  const std::string text = "The quick brown fox jumps over the lazy dog. 1234567 🦙 <|eot_id|>";
  const auto expected = tok->encode(text, true, true);
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i)
        if (tok->encode(text, true, true) != expected) ++mismatches;
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
}

}  // namespace
}  // namespace corral::tokenizer::test
