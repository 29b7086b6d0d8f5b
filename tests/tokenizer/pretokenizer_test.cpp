// Pre-tokenizer regex lists: every known name compiles, the names the
// shared vocabularies and the task need are known, and typical texts split
// as the Hugging Face patterns define.
#include <gtest/gtest.h>

#include <algorithm>

#include "tokenizer/pre_config.h"
#include "tokenizer/pretokenizer.h"
#include "util/error.h"

namespace corral::tokenizer {
namespace {

std::vector<std::string> split(const std::string& pre, std::string_view text) {
  PreTokenizer p(pre_config(pre).regexes);
  std::vector<std::string> out;
  p.split(text, [&](std::string_view piece) { out.emplace_back(piece); });
  return out;
}

using Pieces = std::vector<std::string>;

TEST(PreTokenizer, EveryKnownNameCompiles) {
  for (const std::string& name : known_pre_names()) {
    EXPECT_TRUE(pre_config(name).known) << name;
    EXPECT_NO_THROW(PreTokenizer(pre_config(name).regexes)) << name;
  }
  for (const char* name : {"default", "llama-bpe", "qwen2", "gpt-2", "falcon", "deepseek-coder", "deepseek-llm",
                           "smollm", "command-r", "gpt-4o", "tekken", "deepseek-v3", "chameleon"})
    EXPECT_TRUE(pre_config(name).known) << name;
  EXPECT_FALSE(pre_config("no-such-pre").known);
  EXPECT_EQ(pre_config("no-such-pre").regexes, pre_config("default").regexes);
  EXPECT_TRUE(pre_config("llama-bpe").ignore_merges);
  EXPECT_FALSE(pre_config("qwen2").ignore_merges);
}

TEST(PreTokenizer, Llama3Qwen2Gpt2) {
  const std::string text = "Hello world's 12345  x\n\n";
  EXPECT_EQ(split("llama-bpe", text), (Pieces{"Hello", " world", "'s", " ", "123", "45", " ", " x", "\n\n"}));
  EXPECT_EQ(split("qwen2", text), (Pieces{"Hello", " world", "'s", " ", "1", "2", "3", "4", "5", " ", " x", "\n\n"}));
  EXPECT_EQ(split("gpt-2", text), (Pieces{"Hello", " world", "'s", " 12345", " ", " x", "\n\n"}));
  EXPECT_EQ(split("llama-bpe", "DON'T"), (Pieces{"DON", "'T"}));  // case-insensitive contractions
}

TEST(PreTokenizer, SequentialListsSplitTheirPieces) {
  EXPECT_EQ(split("gpt-4o", "HelloWorld's ABCdef"), (Pieces{"Hello", "World's", " ABCdef"}));
  EXPECT_EQ(split("command-r", "abc 123"), (Pieces{"abc", " ", "1", "2", "3"}));
  EXPECT_EQ(split("smollm", "abc 123"), (Pieces{"abc", " ", "1", "2", "3"}));
  EXPECT_EQ(split("deepseek-coder", "a\nb"), (Pieces{"a", "\n", "b"}));
  EXPECT_EQ(split("default", "Hello, world!"), (Pieces{"Hello", ",", " world", "!"}));
}

TEST(PreTokenizer, InvalidBytesArePiecesOfTheirOwnAndNothingIsLost) {
  const std::string text = "ab\xff" "cd \xe4\xb8 \xc3\xa9";
  const auto pieces = split("llama-bpe", text);
  std::string joined;
  for (const auto& p : pieces) joined += p;
  EXPECT_EQ(joined, text);
  EXPECT_NE(std::find(pieces.begin(), pieces.end(), "\xff"), pieces.end());
  EXPECT_NE(std::find(pieces.begin(), pieces.end(), "\xe4"), pieces.end());
  EXPECT_TRUE(split("qwen2", "").empty());
}

TEST(PreTokenizer, BadRegexIsAnError) {
  EXPECT_THROW(PreTokenizer({"(unclosed"}), Error);
}

}  // namespace
}  // namespace corral::tokenizer
