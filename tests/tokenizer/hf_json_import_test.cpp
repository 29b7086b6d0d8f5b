// tokenizer.json import on small hand-written files: which GGUF model and
// pre-tokenizer name it becomes, token types and ids as convert_hf_to_gguf.py
// assigns them, flags from tokenizer_config.json and the post-processor.
#include <gtest/gtest.h>

#include "tokenizer/hf_import.h"
#include "tokenizer/tokenizer.h"
#include "util/error.h"

namespace corral::tokenizer {
namespace {

const std::string kLlama3Split =
    R"({"type": "Split", "pattern": {"Regex": "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"}, "behavior": "Isolated", "invert": false})";

// A byte-level BPE tokenizer.json with the given pre_tokenizer.
std::string byte_level_json(const std::string& pre, bool ignore_merges, const std::string& extra = "") {
  return R"({"added_tokens": [{"id": 6, "content": "<|begin|>", "special": true},
                               {"id": 7, "content": "<|tool|>", "special": false},
                               {"id": 8, "content": "<tool>", "special": false}],
             "pre_tokenizer": )" +
         pre + R"(, "decoder": {"type": "ByteLevel"}, )" + extra + R"(
             "model": {"type": "BPE", "ignore_merges": )" +
         (ignore_merges ? "true" : "false") + R"(,
                       "vocab": {"a": 0, "b": 1, "\u0120": 2, "ab": 3, "\u0120a": 4},
                       "merges": ["a b", ["\u0120", "a"]]}})";
}

TEST(HfJsonImport, ByteLevelPreTokenizerNames) {
  const HfConfig none;
  auto pre_of = [&](const std::string& pre, bool ignore) {
    return vocab_from_tokenizer_json(byte_level_json(pre, ignore), none, "t").pre;
  };
  const std::string bytelevel_no_regex = R"({"type": "ByteLevel", "use_regex": false})";
  EXPECT_EQ(pre_of(R"({"type": "Sequence", "pretokenizers": [)" + kLlama3Split + "," + bytelevel_no_regex + "]}", true),
            "llama-bpe");
  EXPECT_EQ(pre_of(R"({"type": "Sequence", "pretokenizers": [)" + kLlama3Split + "," + bytelevel_no_regex + "]}", false),
            "dbrx");
  EXPECT_EQ(pre_of(R"({"type": "ByteLevel", "add_prefix_space": false})", false), "gpt-2");
  EXPECT_EQ(pre_of(R"({"type": "Sequence", "pretokenizers": [{"type": "Digits", "individual_digits": true},
                       {"type": "ByteLevel"}]})",
                   false),
            "smollm");
  EXPECT_THROW(pre_of(R"({"type": "Split", "pattern": {"String": " "}, "behavior": "Removed"})", false), Error);
  EXPECT_THROW(pre_of(R"({"type": "Whitespace"})", false), Error);
}

TEST(HfJsonImport, ByteLevelTokensTypesAndMerges) {
  HfConfig config;
  config.bos_token = "<|begin|>";
  config.vocab_size = 12;
  const Vocab v = vocab_from_tokenizer_json(
      byte_level_json(R"({"type": "ByteLevel"})", false,
                      R"("post_processor": {"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "<|begin|>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}]},)"),
      config, "t");
  EXPECT_EQ(v.model, "gpt2");
  ASSERT_EQ(v.size(), 12u);
  EXPECT_EQ(v.tokens[2], "\xc4\xa0");
  EXPECT_EQ(v.types[3], TokenType::NORMAL);
  EXPECT_EQ(v.types[6], TokenType::CONTROL);       // special
  EXPECT_EQ(v.types[7], TokenType::CONTROL);       // not special, but looks it: <|...|>
  EXPECT_EQ(v.types[8], TokenType::USER_DEFINED);  // plain added token
  EXPECT_EQ(v.tokens[5], "[PAD5]");                // holes and padding up to vocab_size
  EXPECT_EQ(v.types[11], TokenType::UNUSED);
  EXPECT_EQ(v.merges, (std::vector<std::string>{"a b", "\xc4\xa0 a"}));
  EXPECT_EQ(v.bos, 6);
  EXPECT_TRUE(v.add_bos);  // from the post-processor template
  EXPECT_FALSE(v.add_eos);

  auto tok = Tokenizer::from_vocab(v);
  // "ab" merges; in " ab" the lower-ranked a+b wins, and nothing merges Ġ with "ab".
  EXPECT_EQ(tok->encode("ab ab<tool>", true, false), (std::vector<TokenId>{6, 3, 2, 3, 8}));
}

TEST(HfJsonImport, SentencePieceStyleBpe) {
  const std::string json = R"({
    "normalizer": {"type": "Sequence", "normalizers": [{"type": "Prepend", "prepend": "\u2581"},
                   {"type": "Replace", "pattern": {"String": " "}, "content": "\u2581"}]},
    "pre_tokenizer": null,
    "added_tokens": [{"id": 0, "content": "<unk>", "special": true}, {"id": 1, "content": "<s>", "special": true}],
    "model": {"type": "BPE", "byte_fallback": true, "unk_token": "<unk>",
              "vocab": {"<unk>": 0, "<s>": 1, "<0x41>": 2, "\u2581": 3, "h": 4, "i": 5, "hi": 6, "\u2581hi": 7},
              "merges": ["h i", "\u2581 hi"]}})";
  HfConfig config;
  config.bos_token = "<s>";
  config.add_bos = true;
  config.chat_template = "{{ x }}";
  const Vocab v = vocab_from_tokenizer_json(json, config, "t");
  EXPECT_EQ(v.model, "llama");
  EXPECT_TRUE(v.add_space_prefix);
  EXPECT_EQ(v.types[0], TokenType::UNKNOWN);
  EXPECT_EQ(v.types[1], TokenType::CONTROL);
  EXPECT_EQ(v.types[2], TokenType::BYTE);
  EXPECT_EQ(v.scores[6], -0.0f);
  EXPECT_EQ(v.scores[7], -1.0f);
  EXPECT_EQ(v.unk, 0);
  EXPECT_EQ(v.bos, 1);
  EXPECT_EQ(v.chat_template, "{{ x }}");
  auto tok = Tokenizer::from_vocab(v);
  EXPECT_EQ(tok->encode("hi A", true, false), (std::vector<TokenId>{1, 7, 3, 2}));
  EXPECT_EQ(tok->decode(std::vector<TokenId>{7, 3, 2}), "hi A");
}

TEST(HfJsonImport, WordPieceGetsGgufBertTexts) {
  const std::string json = R"({
    "added_tokens": [{"id": 0, "content": "[UNK]", "special": true}, {"id": 1, "content": "[CLS]", "special": true},
                     {"id": 2, "content": "[SEP]", "special": true}],
    "model": {"type": "WordPiece", "unk_token": "[UNK]",
              "vocab": {"[UNK]": 0, "[CLS]": 1, "[SEP]": 2, "play": 3, "##ing": 4}}})";
  HfConfig config;
  config.cls_token = "[CLS]";
  config.sep_token = "[SEP]";
  const Vocab v = vocab_from_tokenizer_json(json, config, "t");
  EXPECT_EQ(v.model, "bert");
  EXPECT_EQ(v.tokens[3], "\xe2\x96\x81play");
  EXPECT_EQ(v.tokens[4], "ing");
  EXPECT_EQ(v.tokens[1], "[CLS]");
  auto tok = Tokenizer::from_vocab(v);
  EXPECT_EQ(tok->encode("Playing", true, false), (std::vector<TokenId>{1, 3, 4, 2}));
}

TEST(HfJsonImport, ConfigFiles) {
  const HfConfig c = parse_hf_config(
      R"({"bos_token": {"content": "<s>", "lstrip": false}, "eos_token": "</s>", "add_bos_token": false,
          "chat_template": [{"name": "tool_use", "template": "T"}, {"name": "default", "template": "D"}],
          "added_tokens_decoder": {"5": {"content": "<x>", "special": true}, "bad": {"content": "y"}}})",
      R"({"text_config": {"vocab_size": 77, "eos_token_id": [9, 10]}})", "cfg");
  EXPECT_EQ(c.bos_token, "<s>");
  EXPECT_EQ(c.eos_token, "</s>");
  EXPECT_EQ(c.add_bos, false);
  EXPECT_FALSE(c.add_eos.has_value());
  EXPECT_EQ(c.chat_template, "D");
  ASSERT_EQ(c.added_tokens.size(), 1u);
  EXPECT_EQ(c.added_tokens[0].id, 5);
  EXPECT_EQ(c.vocab_size, 77);
  EXPECT_EQ(c.eos_id, 9);
  EXPECT_THROW(parse_hf_config("{", "", "cfg"), Error);
  EXPECT_THROW(parse_hf_config("", "[]", "cfg"), Error);
}

TEST(HfJsonImport, MalformedStructureIsAnError) {
  const HfConfig none;
  EXPECT_THROW(vocab_from_tokenizer_json("[]", none, "t"), Error);
  EXPECT_THROW(vocab_from_tokenizer_json(R"({"model": 5})", none, "t"), Error);
  EXPECT_THROW(vocab_from_tokenizer_json(R"({"model": {"type": "BPE", "vocab": {"a": "x"}}})", none, "t"), Error);
  EXPECT_THROW(vocab_from_tokenizer_json(R"({"model": {"type": "BPE", "vocab": {"a": -3}, "merges": []},
                                             "pre_tokenizer": {"type": "ByteLevel"}})",
                                         none, "t"),
               Error);
  EXPECT_THROW(vocab_from_tokenizer_json(R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": [7]},
                                             "pre_tokenizer": {"type": "ByteLevel"}})",
                                         none, "t"),
               Error);
  EXPECT_THROW(vocab_from_tokenizer_json(R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}})", none, "t"),
               Error);  // neither byte-level nor SentencePiece-style
}

}  // namespace
}  // namespace corral::tokenizer
