// StreamingDecoder with real vocabularies: characters split across tokens
// are held back, special tokens, invalid and unfinished bytes.
#include <gtest/gtest.h>

#include "testutil/shared_data.h"
#include "tokenizer/streaming_decoder.h"
#include "tokenizer/vocab_test_data.h"
#include "util/error.h"
#include "util/utf8.h"

namespace corral::tokenizer::test {
namespace {

const std::string kReplacement = "\xef\xbf\xbd";

TEST(StreamingDecoder, HoldsBackACharacterSplitAcrossTokens) {
  CORRAL_SHARED_FILE_OR_SKIP(path, "vocab/ggml-vocab-llama-bpe.gguf");
  auto tok = cached_gguf(path);
  // Llama 3 writes " 🦙" as three tokens: " \xf0\x9f", "\xa6", "\x99".
  const auto ids = tok->encode(" \xf0\x9f\xa6\x99 ok", false, false);
  ASSERT_EQ(ids.size(), 4u);
  StreamingDecoder d(tok);
  EXPECT_EQ(d.push(ids[0]), " ");
  EXPECT_EQ(d.pending(), 2u);
  EXPECT_EQ(d.push(ids[1]), "");
  EXPECT_EQ(d.push(ids[2]), "\xf0\x9f\xa6\x99");
  EXPECT_EQ(d.pending(), 0u);
  EXPECT_EQ(d.push(ids[3]), " ok");
  EXPECT_EQ(d.flush(), "");
}

TEST(StreamingDecoder, EveryChunkIsValidAndTheWholeIsTheText) {
  CORRAL_SHARED_FILE_OR_SKIP(path, "vocab/ggml-vocab-qwen2.gguf");
  auto tok = cached_gguf(path);
  const std::string text = "Grüße, 世界! 🦙🦙 Ünïcödé — ok? 😶‍🌫️ ကြ";
  StreamingDecoder d(tok);
  std::string all;
  for (TokenId id : tok->encode(text, false, false)) {
    std::string chunk = d.push(id);
    EXPECT_TRUE(utf8::is_valid(chunk));
    all += chunk;
  }
  all += d.flush();
  EXPECT_EQ(all, text);
}

TEST(StreamingDecoder, SpecialTokens) {
  CORRAL_SHARED_FILE_OR_SKIP(path, "vocab/ggml-vocab-llama-bpe.gguf");
  auto tok = cached_gguf(path);
  StreamingDecoder shown(tok);
  EXPECT_EQ(shown.push(128009), "<|eot_id|>");
  StreamingDecoder hidden(tok, /*render_special=*/false);
  EXPECT_EQ(hidden.push(128009), "");
  EXPECT_EQ(hidden.push(9906), "Hello");
}

TEST(StreamingDecoder, InvalidAndUnfinishedBytesBecomeReplacementCharacters) {
  CORRAL_SHARED_FILE_OR_SKIP(path, "vocab/ggml-vocab-llama-spm.gguf");
  auto tok = cached_gguf(path);
  const TokenId byte_base = 3;  // <0x00> is id 3 in Llama 2's vocabulary
  StreamingDecoder d(tok);
  EXPECT_EQ(d.push(byte_base + 0x80), kReplacement);  // a lone continuation byte
  EXPECT_EQ(d.push(byte_base + 0xe4), "");             // start of a 3-byte character...
  EXPECT_EQ(d.push(byte_base + 0xb8), "");
  // ...cut short by a special token: each stranded byte becomes U+FFFD.
  EXPECT_EQ(d.push(2), kReplacement + kReplacement + "</s>");
  EXPECT_EQ(d.push(byte_base + 0xf0), "");
  EXPECT_EQ(d.flush(), kReplacement);                   // unfinished at the end
  EXPECT_EQ(d.pending(), 0u);
}

TEST(StreamingDecoder, BadIdThrowsAndKeepsState) {
  CORRAL_SHARED_FILE_OR_SKIP(path, "vocab/ggml-vocab-llama-spm.gguf");
  auto tok = cached_gguf(path);
  StreamingDecoder d(tok);
  EXPECT_EQ(d.push(3 + 0xc3), "");
  EXPECT_THROW(d.push(32000), Error);
  EXPECT_THROW(d.push(-1), Error);
  EXPECT_EQ(d.push(3 + 0xa9), "\xc3\xa9");
}

}  // namespace
}  // namespace corral::tokenizer::test
