// Vocab loading and writing: GGUF -> Vocab -> GGUF keeps every tokenizer
// key; the Hugging Face imports (tokenizer.model, tokenizer.json) give the
// vocabularies llama.cpp's converter put into the shared GGUF files; bad
// files give errors.
#include <gtest/gtest.h>

#include "gguf/gguf_file.h"
#include "gguf/gguf_writer.h"
#include "testutil/shared_data.h"
#include "testutil/temp_dir.h"
#include "tokenizer/vocab_gguf.h"
#include "tokenizer/vocab_hf.h"
#include "tokenizer/vocab_test_data.h"
#include "util/error.h"

namespace corral::tokenizer::test {
namespace {

void expect_same_vocab(const Vocab& a, const Vocab& b, std::size_t n_compare) {
  ASSERT_GE(a.tokens.size(), n_compare);
  ASSERT_GE(b.tokens.size(), n_compare);
  EXPECT_EQ(a.model, b.model);
  std::size_t token_diffs = 0, type_diffs = 0, score_diffs = 0;
  for (std::size_t i = 0; i < n_compare; ++i) {
    if (a.tokens[i] != b.tokens[i] && ++token_diffs < 5) ADD_FAILURE() << "token " << i << ": " << a.tokens[i] << " vs " << b.tokens[i];
    if (a.types[i] != b.types[i] && ++type_diffs < 5) ADD_FAILURE() << "type of token " << i << " (" << a.tokens[i] << ")";
    if (!a.scores.empty() && !b.scores.empty() && a.scores[i] != b.scores[i] && ++score_diffs < 5)
      ADD_FAILURE() << "score of token " << i;
  }
  EXPECT_EQ(token_diffs + type_diffs + score_diffs, 0u);
}

Vocab roundtrip(const Vocab& v) {
  gguf::Writer w;
  w.set("general.architecture", gguf::Value::string("llama"));
  write_vocab_metadata(v, w);
  const auto bytes = w.to_bytes();
  return vocab_from_gguf(gguf::File::parse(bytes, "roundtrip"));
}

class GgufRoundTrip : public ::testing::TestWithParam<const char*> {};

TEST_P(GgufRoundTrip, WriterKeepsEveryTokenizerKey) {
  CORRAL_SHARED_FILE_OR_SKIP(path, GetParam());
  auto original = gguf::File::open(path.string());
  gguf::Writer w;
  write_vocab_metadata(vocab_from_gguf(original), w);
  const auto bytes = w.to_bytes();
  auto written = gguf::File::parse(bytes, "written");
  for (const auto& kv : original.metadata()) {
    if (kv.key.rfind("tokenizer.", 0) != 0 || kv.key == "tokenizer.ggml.token_type_count") continue;
    const gguf::Value* v = written.find(kv.key);
    ASSERT_NE(v, nullptr) << kv.key;
    EXPECT_EQ(v->to_display(SIZE_MAX), kv.value.to_display(SIZE_MAX)) << kv.key;
  }
  for (const auto& kv : written.metadata()) {
    if (kv.key == "tokenizer.ggml.add_bos_token" || kv.key == "tokenizer.ggml.add_eos_token") continue;
    EXPECT_NE(original.find(kv.key), nullptr) << "extra key " << kv.key;
  }
  const Vocab a = vocab_from_gguf(original), b = vocab_from_gguf(written);
  expect_same_vocab(a, b, a.size());
  EXPECT_EQ(a.merges, b.merges);
  EXPECT_EQ(a.eog_ids, b.eog_ids);
}

INSTANTIATE_TEST_SUITE_P(SharedFiles, GgufRoundTrip,
                         ::testing::Values("vocab/ggml-vocab-llama-spm.gguf", "vocab/ggml-vocab-qwen2.gguf",
                                           "vocab/ggml-vocab-bert-bge.gguf", "vocab/ggml-vocab-phi-3.gguf",
                                           "models/tolstoy/tolstoy-f32.gguf"));

TEST(HfImport, TolstoySentencePieceModelMatchesItsGguf) {
  CORRAL_SHARED_FILE_OR_SKIP(dir, "models/tolstoy/hf");
  CORRAL_SHARED_FILE_OR_SKIP(gguf_path, "models/tolstoy/tolstoy-f32.gguf");
  const Vocab hf = vocab_from_hf(dir);
  const Vocab ref = vocab_from_gguf(gguf::File::open(gguf_path.string()));
  ASSERT_EQ(hf.size(), ref.size());
  expect_same_vocab(hf, ref, ref.size());
  EXPECT_EQ(hf.model, "llama");
  EXPECT_EQ(hf.bos, ref.bos);
  EXPECT_EQ(hf.eos, ref.eos);
  EXPECT_EQ(hf.unk, ref.unk);
  EXPECT_EQ(hf.pad, ref.pad);
  EXPECT_EQ(hf.add_bos, ref.add_bos);
  EXPECT_EQ(hf.add_eos, ref.add_eos);
  EXPECT_EQ(hf.add_space_prefix, ref.add_space_prefix);
  EXPECT_EQ(hf.chat_template, ref.chat_template);
  // And it tokenizes the golden prompt as documented in models/README.md.
  auto tok = Tokenizer::from_vocab(hf);
  EXPECT_EQ(tok->encode("The prince said", true, false), (std::vector<TokenId>{1, 365, 673, 317, 384}));
}

TEST(HfImport, Llama31TokenizerJsonMatchesTheConvertedVocabulary) {
  CORRAL_SHARED_FILE_OR_SKIP(dir, "tokenizers/llama3_1");
  CORRAL_SHARED_FILE_OR_SKIP(gguf_path, "vocab/ggml-vocab-llama-bpe.gguf");
  auto hf = cached_hf(dir);
  const Vocab ref = vocab_from_gguf(gguf::File::open(gguf_path.string()));
  ASSERT_EQ(hf->size(), ref.size());
  expect_same_vocab(hf->vocab(), ref, ref.size());
  EXPECT_EQ(hf->vocab().merges, ref.merges);
  EXPECT_EQ(hf->vocab().pre, ref.pre);
  EXPECT_EQ(hf->vocab().bos, ref.bos);
  EXPECT_EQ(hf->vocab().eos, ref.eos);
  EXPECT_EQ(hf->vocab().add_bos, ref.add_bos);
  EXPECT_EQ(hf->vocab().add_eos, ref.add_eos);
  EXPECT_EQ(hf->vocab().eog_ids, ref.eog_ids);
  EXPECT_FALSE(hf->vocab().chat_template.empty());
}

TEST(HfImport, Qwen3TokenizerJsonMatchesTheConvertedVocabulary) {
  CORRAL_SHARED_FILE_OR_SKIP(dir, "tokenizers/qwen3");
  CORRAL_SHARED_FILE_OR_SKIP(gguf_path, "vocab/ggml-vocab-qwen2.gguf");
  auto hf = cached_hf(dir);
  const Vocab ref = vocab_from_gguf(gguf::File::open(gguf_path.string()));
  // The GGUF pads the vocabulary to the model's 151,936 rows; the tokenizer has 151,669 tokens.
  ASSERT_EQ(hf->size(), 151669u);
  expect_same_vocab(hf->vocab(), ref, hf->size());
  EXPECT_EQ(hf->vocab().merges, ref.merges);
  EXPECT_EQ(hf->vocab().pre, "qwen2");
  EXPECT_EQ(hf->vocab().eos, ref.eos);
  EXPECT_EQ(hf->vocab().pad, ref.pad);
  EXPECT_EQ(hf->vocab().add_bos, ref.add_bos);
  EXPECT_EQ(hf->vocab().eog_ids, ref.eog_ids);
  // Writing it out and reading it back changes nothing.
  const Vocab back = roundtrip(hf->vocab());
  expect_same_vocab(back, hf->vocab(), hf->size());
  EXPECT_EQ(back.merges, hf->vocab().merges);
  EXPECT_EQ(back.eos, hf->vocab().eos);
}

TEST(HfImport, VocabSizeFromConfigPadsWithUnusedTokens) {
  CORRAL_SHARED_FILE_OR_SKIP(dir, "models/tolstoy/hf");
  corral::test::TempDir tmp;
  for (const char* f : {"tokenizer.model", "tokenizer_config.json"})
    corral::test::write_file(tmp / f, corral::test::read_file(dir / f));
  corral::test::write_file(tmp / "config.json", R"({"vocab_size": 1030, "eos_token_id": [2, 5]})");
  const Vocab v = vocab_from_hf(tmp.path());
  ASSERT_EQ(v.size(), 1030u);
  EXPECT_EQ(v.tokens[1029], "[PAD1029]");
  EXPECT_EQ(v.types[1029], TokenType::UNUSED);
  EXPECT_EQ(v.eos, 2);
}

TEST(BadFiles, GgufWithoutTokenizer) {
  gguf::Writer w;
  w.set("general.architecture", gguf::Value::string("llama"));
  auto bytes = w.to_bytes();
  EXPECT_THROW(vocab_from_gguf(gguf::File::parse(bytes, "x")), Error);
  w.set("tokenizer.ggml.model", gguf::Value::string("llama"));
  bytes = w.to_bytes();
  EXPECT_THROW(vocab_from_gguf(gguf::File::parse(bytes, "x")), Error);  // no tokens
  w.set("tokenizer.ggml.tokens", gguf::Value::string_array({"a", "b"}));
  w.set("tokenizer.ggml.scores", gguf::Value::f32_array({0.0f}));
  bytes = w.to_bytes();
  EXPECT_THROW(vocab_from_gguf(gguf::File::parse(bytes, "x")), Error);  // 1 score for 2 tokens
  w.set("tokenizer.ggml.scores", gguf::Value::string_array({"x", "y"}));
  bytes = w.to_bytes();
  EXPECT_THROW(vocab_from_gguf(gguf::File::parse(bytes, "x")), Error);  // scores of the wrong type
  w.remove("tokenizer.ggml.scores");
  w.set("tokenizer.ggml.model", gguf::Value::string("gpt2"));
  bytes = w.to_bytes();
  EXPECT_THROW(vocab_from_gguf(gguf::File::parse(bytes, "x")), Error);  // gpt2 without merges
  w.set("tokenizer.ggml.model", gguf::Value::string("rwkv"));
  bytes = w.to_bytes();
  EXPECT_THROW(vocab_from_gguf(gguf::File::parse(bytes, "x")), Error);
  w.set("tokenizer.ggml.model", gguf::Value::string("llama"));
  w.set("tokenizer.ggml.bos_token_id", gguf::Value::u32(99));  // out of range: the default stays
  bytes = w.to_bytes();
  EXPECT_EQ(vocab_from_gguf(gguf::File::parse(bytes, "x")).bos, 1);
}

TEST(BadFiles, HfFolders) {
  corral::test::TempDir tmp;
  EXPECT_THROW(vocab_from_hf(tmp.path()), Error);                 // nothing there
  EXPECT_THROW(vocab_from_hf(tmp / "missing"), Error);            // not a folder
  corral::test::write_file(tmp / "tokenizer.json", "{ not json");
  EXPECT_THROW(vocab_from_hf(tmp.path()), Error);
  corral::test::write_file(tmp / "tokenizer.json", R"({"model": {"type": "Unigram", "vocab": []}})");
  EXPECT_THROW(vocab_from_hf(tmp.path()), Error);
  corral::test::write_file(tmp / "tokenizer.json", R"({"model": {"type": "BPE", "vocab": [1, 2], "merges": []}})");
  EXPECT_THROW(vocab_from_hf(tmp.path()), Error);
  corral::test::write_file(tmp / "tokenizer.json",
                           R"({"model": {"type": "BPE", "vocab": {"a": 99999999}, "merges": []},
                               "pre_tokenizer": {"type": "ByteLevel"}})");
  EXPECT_THROW(vocab_from_hf(tmp.path()), Error);
  corral::test::write_file(tmp / "tokenizer.json", "{}");
  corral::test::write_file(tmp / "tokenizer_config.json", "[1, 2]");
  EXPECT_THROW(vocab_from_hf(tmp.path()), Error);
}

}  // namespace
}  // namespace corral::tokenizer::test
