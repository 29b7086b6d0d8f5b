// Algorithm details on small hand-made vocabularies: SentencePiece score
// order, space prefix after special tokens, byte fallback; byte-level BPE
// merge ranks; leftmost-longest special tokens; WordPiece; BOS/EOS.
#include <gtest/gtest.h>

#include "tokenizer/byte_level.h"
#include "tokenizer/tokenizer.h"
#include "tokenizer/vocab_test_data.h"
#include "util/error.h"

namespace corral::tokenizer::test {
namespace {

const std::string kMark = "\xe2\x96\x81";  // ▁

struct Builder {
  Vocab v;
  TokenId add(const std::string& text, float score = 0.0f, TokenType type = TokenType::NORMAL) {
    v.tokens.push_back(text);
    v.scores.push_back(score);
    v.types.push_back(type);
    return static_cast<TokenId>(v.tokens.size() - 1);
  }
  TokenId id(const std::string& text) const {
    for (std::size_t i = 0; i < v.tokens.size(); ++i)
      if (v.tokens[i] == text) return static_cast<TokenId>(i);
    return kNoToken;
  }
};

// <unk> <s> </s>, the 256 byte tokens, and the given pieces.
Builder spm_base() {
  Builder b;
  b.v.model = "llama";
  b.v.unk = b.add("<unk>", 0, TokenType::UNKNOWN);
  b.v.bos = b.add("<s>", 0, TokenType::CONTROL);
  b.v.eos = b.add("</s>", 0, TokenType::CONTROL);
  for (int i = 0; i < 256; ++i) {
    char name[8];
    std::snprintf(name, sizeof name, "<0x%02X>", i);
    b.add(name, 0, TokenType::BYTE);
  }
  b.v.add_bos = true;
  b.v.add_space_prefix = true;
  for (const char* piece : {"a", "b", "c"}) b.add(piece, -100);
  b.add(kMark, -50);
  return b;
}

TEST(SentencePiece, MergesTheHighestScoringPairFirst) {
  {
    Builder b = spm_base();
    b.add(kMark + "a", -1);
    b.add("ab", -2);
    auto tok = Tokenizer::from_vocab(b.v);
    EXPECT_EQ(tok->encode("ab", false, false), (std::vector<TokenId>{b.id(kMark + "a"), b.id("b")}));
  }
  {
    Builder b = spm_base();
    b.add(kMark + "a", -2);
    b.add("ab", -1);
    auto tok = Tokenizer::from_vocab(b.v);
    EXPECT_EQ(tok->encode("ab", false, false), (std::vector<TokenId>{b.id(kMark), b.id("ab")}));
  }
}

TEST(SentencePiece, EqualScoresMergeLeftmostFirst) {
  Builder b = spm_base();
  b.add("ab", -1);
  b.add("bc", -1);
  b.v.add_space_prefix = false;
  auto tok = Tokenizer::from_vocab(b.v);
  EXPECT_EQ(tok->encode("abc", false, false), (std::vector<TokenId>{b.id("ab"), b.id("c")}));
}

TEST(SentencePiece, SpacePrefixAtStartAndAfterSpecialTokensOnly) {
  Builder b = spm_base();
  auto tok = Tokenizer::from_vocab(b.v);
  const TokenId mark = b.id(kMark), a = b.id("a");
  // "a</s>a a": ▁ a </s> ▁ a ▁ a
  EXPECT_EQ(tok->encode("a</s>a a", false, true), (std::vector<TokenId>{mark, a, b.v.eos, mark, a, mark, a}));
  // Without parse_special, "</s>" is plain text (bytes, no merges here) and no extra prefix appears.
  auto plain = tok->encode("a</s>", false, false);
  EXPECT_EQ(plain.front(), mark);
  EXPECT_EQ(std::count(plain.begin(), plain.end(), b.v.eos), 0);
  // add_space_prefix off: no ▁ anywhere but for real spaces.
  b.v.add_space_prefix = false;
  auto tok2 = Tokenizer::from_vocab(b.v);
  EXPECT_EQ(tok2->encode("a</s>a", false, true), (std::vector<TokenId>{a, b.v.eos, a}));
}

TEST(SentencePiece, ByteFallbackForUncoveredCharacters) {
  Builder b = spm_base();
  b.v.add_space_prefix = false;
  auto tok = Tokenizer::from_vocab(b.v);
  // é = C3 A9, then a NUL byte and an invalid byte FF.
  const std::string text = "a\xc3\xa9" + std::string(1, '\0') + "\xff";
  auto ids = tok->encode(text, false, false);
  EXPECT_EQ(ids, (std::vector<TokenId>{b.id("a"), 3 + 0xc3, 3 + 0xa9, 3 + 0x00, 3 + 0xff}));
  EXPECT_EQ(tok->decode(ids), text);
}

TEST(SentencePiece, BosAndEosFollowTheFlags) {
  Builder b = spm_base();
  b.v.add_eos = true;
  auto tok = Tokenizer::from_vocab(b.v);
  auto ids = tok->encode("a", true, false);
  EXPECT_EQ(ids, (std::vector<TokenId>{b.v.bos, b.id(kMark), b.id("a"), b.v.eos}));
  EXPECT_EQ(tok->encode("", true, false), (std::vector<TokenId>{b.v.bos, b.v.eos}));
  EXPECT_TRUE(tok->encode("", false, false).empty());
  b.v.add_bos = b.v.add_eos = false;
  EXPECT_EQ(Tokenizer::from_vocab(b.v)->encode("a", true, false).size(), 2u);
}

TEST(SentencePiece, DecodeMapsMarksBytesAndDropsOneLeadingSpace) {
  Builder b = spm_base();
  b.add(kMark + "a", -1);
  auto tok = Tokenizer::from_vocab(b.v);
  const std::vector<TokenId> ids{b.id(kMark + "a"), b.id(kMark + "a"), 3 + 'x'};
  EXPECT_EQ(tok->token_to_piece(ids[0]), " a");
  EXPECT_EQ(tok->token_to_piece(3 + 'x'), "x");
  EXPECT_EQ(tok->decode(ids), "a ax");
  EXPECT_EQ(tok->token_to_piece(b.v.bos), "<s>");
  EXPECT_EQ(tok->token_to_piece(b.v.bos, /*render_special=*/false), "");
}

TEST(SentencePiece, UserDefinedTokensMatchRawTextAndDecodeMarksAsSpaces) {
  Builder b = spm_base();
  const TokenId marks = b.add(kMark + kMark, 0, TokenType::USER_DEFINED);
  const TokenId nl = b.add("\n\n", 0, TokenType::USER_DEFINED);
  b.v.add_space_prefix = false;
  auto tok = Tokenizer::from_vocab(b.v);
  // Matched in the raw text (even without parse_special), before spaces become ▁.
  EXPECT_EQ(tok->encode("a\n\n" + kMark + kMark, false, false), (std::vector<TokenId>{b.id("a"), nl, marks}));
  EXPECT_EQ(tok->token_to_piece(marks), "  ");
  EXPECT_EQ(tok->token_to_piece(b.v.bos, true), "<s>");
}

// A byte-level vocabulary: all 256 byte tokens plus the given merges.
Builder byte_level_base(const std::vector<std::string>& merges, const std::string& pre = "gpt-2") {
  Builder b;
  b.v.model = "gpt2";
  b.v.pre = pre;
  for (int i = 0; i < 256; ++i) b.add(byte_level::encode(std::string(1, static_cast<char>(i))));
  for (const std::string& m : merges) {
    auto sp = m.find(' ');
    b.add(m.substr(0, sp) + m.substr(sp + 1));
  }
  b.v.merges = merges;
  return b;
}

TEST(ByteLevelBpe, MergesByRank) {
  {
    Builder b = byte_level_base({"b c", "a b"});
    auto tok = Tokenizer::from_vocab(b.v);
    EXPECT_EQ(tok->encode("abc", false, false), (std::vector<TokenId>{'a', b.id("bc")}));
  }
  {
    Builder b = byte_level_base({"a b", "b c"});
    auto tok = Tokenizer::from_vocab(b.v);
    EXPECT_EQ(tok->encode("abc", false, false), (std::vector<TokenId>{b.id("ab"), 'c'}));
  }
}

TEST(ByteLevelBpe, MergesNeverCrossPreTokenizerPieces) {
  const std::string space = byte_level::encode(" ");
  Builder b = byte_level_base({"a " + space, space + " a"});
  auto tok = Tokenizer::from_vocab(b.v);
  // GPT-2 splits "a a" into "a" and " a": only the second merge can apply.
  EXPECT_EQ(tok->encode("a a", false, false), (std::vector<TokenId>{'a', b.id(space + "a")}));
}

TEST(ByteLevelBpe, SpacesAndNonAsciiUseTheByteAlphabet) {
  Builder b = byte_level_base({});
  auto tok = Tokenizer::from_vocab(b.v);
  const std::string text(" \xc3\xa9\n\x00\xff", 6);
  auto ids = tok->encode(text, false, false);
  // The byte tokens were added in byte order, so each id is the byte value.
  EXPECT_EQ(ids, (std::vector<TokenId>{' ', 0xc3, 0xa9, '\n', 0, 0xff}));
  EXPECT_EQ(tok->decode(ids), text);
  EXPECT_EQ(tok->token_to_piece(' '), " ");
  EXPECT_EQ(b.v.tokens[' '], "\xc4\xa0");  // Ġ
}

TEST(ByteLevelBpe, IgnoreMergesUsesWholeWordTokens) {
  // Llama 3's pre-tokenizer takes a piece that is a token as is, even
  // when the merges could not build it.
  Builder b = byte_level_base({"a b"}, "llama-bpe");
  const TokenId abc = b.add("abc");
  EXPECT_EQ(Tokenizer::from_vocab(b.v)->encode("abc", false, false), (std::vector<TokenId>{abc}));
  b.v.pre = "qwen2";
  EXPECT_EQ(Tokenizer::from_vocab(b.v)->encode("abc", false, false), (std::vector<TokenId>{b.id("ab"), 'c'}));
}

TEST(SpecialTokens, LongestMatchAndOnlySpecialTypes) {
  Builder b = byte_level_base({});
  const TokenId x = b.add("<x>", 0, TokenType::CONTROL);
  const TokenId xy = b.add("<x><y>", 0, TokenType::CONTROL);
  const TokenId user = b.add("<u>", 0, TokenType::USER_DEFINED);
  b.add("<n>");
  auto tok = Tokenizer::from_vocab(b.v);
  EXPECT_EQ(tok->encode("<x><y><x>", false, true), (std::vector<TokenId>{xy, x}));
  // Control tokens need parse_special; user-defined ones are always matched.
  EXPECT_EQ(tok->encode("<u>", false, false), (std::vector<TokenId>{user}));
  auto plain = tok->encode("<x>", false, false);
  EXPECT_EQ(plain, (std::vector<TokenId>{'<', 'x', '>'}));
  // A NORMAL token's text is not a special token: it goes through the pre-tokenizer and merges.
  EXPECT_EQ(tok->encode("<n>", false, true), (std::vector<TokenId>{'<', 'n', '>'}));
}

TEST(WordPiece, GreedyLongestMatchWithUnknownWords) {
  Builder b;
  b.v.model = "bert";
  b.v.unk = b.add("[UNK]", 0, TokenType::CONTROL);
  b.v.bos = b.add("[CLS]", 0, TokenType::CONTROL);
  b.v.sep = b.add("[SEP]", 0, TokenType::CONTROL);
  const TokenId hello = b.add(kMark + "hello"), world = b.add(kMark + "world"), ing = b.add("ing"),
                bang = b.add(kMark + "!"), cafe = b.add(kMark + "cafe");
  auto tok = Tokenizer::from_vocab(b.v);
  EXPECT_EQ(tok->encode("Hello  WORLDing! xyz Café", false, false),
            (std::vector<TokenId>{hello, world, ing, bang, b.v.unk, cafe}));
  EXPECT_EQ(tok->encode("hello", true, false), (std::vector<TokenId>{b.v.bos, hello, b.v.sep}));
  EXPECT_EQ(tok->decode(std::vector<TokenId>{hello, world, ing}), " hello worlding");
}

TEST(Vocab, EndOfGenerationSetAsLlamaCpp) {
  Builder b = byte_level_base({});
  const TokenId eos = b.add("<|endoftext|>", 0, TokenType::CONTROL);
  const TokenId im_end = b.add("<|im_end|>", 0, TokenType::USER_DEFINED);
  const TokenId fim_pad = b.add("<|fim_pad|>", 0, TokenType::USER_DEFINED);
  b.add("<|im_start|>", 0, TokenType::CONTROL);
  b.v.eos = eos;
  auto tok = Tokenizer::from_vocab(b.v);
  EXPECT_EQ(tok->vocab().eog_ids, (std::vector<TokenId>{eos, im_end, fim_pad}));
  EXPECT_TRUE(tok->is_eog(im_end));
  EXPECT_FALSE(tok->is_eog('a'));
  EXPECT_FALSE(tok->is_eog(-5));
  // llama.cpp treats detected end-of-turn / FIM tokens as control tokens.
  EXPECT_EQ(tok->type(im_end), TokenType::CONTROL);
  EXPECT_EQ(tok->type(fim_pad), TokenType::CONTROL);
  EXPECT_EQ(tok->encode("<|im_end|>", false, false).size(), 10u);
}

TEST(Vocab, RejectsInconsistentVocabularies) {
  Builder b = spm_base();
  b.v.scores.pop_back();
  EXPECT_THROW(Tokenizer::from_vocab(b.v), Error);
  Builder c = spm_base();
  c.v.types.push_back(TokenType::NORMAL);
  EXPECT_THROW(Tokenizer::from_vocab(c.v), Error);
  Builder d = byte_level_base({});
  d.v.types[5] = static_cast<TokenType>(77);  // unknown type numbers are tolerated as UNDEFINED
  EXPECT_EQ(Tokenizer::from_vocab(d.v)->type(5), TokenType::UNDEFINED);
  Builder e = spm_base();
  e.v.model = "t5";
  EXPECT_THROW(Tokenizer::from_vocab(e.v), Error);
  EXPECT_THROW(Tokenizer::from_vocab(Vocab{}), Error);
}

}  // namespace
}  // namespace corral::tokenizer::test
