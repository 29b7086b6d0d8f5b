// The reference engine's tokenization of the golden prompts (shared/golden/
// *.json: llama_tokenize with add_special=true, parse_special=true) with the
// vocabularies of the golden and test models, its special ids and
// end-of-generation set, and its pieces of the generated ids.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "testutil/shared_data.h"
#include "tokenizer/vocab_test_data.h"
#include "util/utf8.h"

namespace corral::tokenizer::test {
namespace {

using nlohmann::json;

std::optional<std::filesystem::path> model_path(const std::string& file) {
  for (const char* dir : {"golden/", "models/", "models/tolstoy/"})
    if (auto p = corral::test::shared_file(dir + file)) return p;
  return std::nullopt;
}

std::string unhex(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

class GoldenPrompts : public ::testing::TestWithParam<const char*> {};

TEST_P(GoldenPrompts, MatchReference) {
  const std::string rel = std::string("golden/") + GetParam() + ".json";
  CORRAL_SHARED_FILE_OR_SKIP(json_path, rel);
  const json g = json::parse(corral::test::read_file(json_path));
  const auto path = model_path(g.at("model_file").get<std::string>());
  if (!path) GTEST_SKIP() << "model file not found: " << g.at("model_file");
  auto tok = cached_gguf(*path);

  const json& m = g.at("model");
  EXPECT_EQ(tok->vocab().bos, m.at("bos_id").get<int>());
  EXPECT_EQ(tok->vocab().eos, m.at("eos_id").get<int>());
  EXPECT_EQ(tok->vocab().eot, m.at("eot_id").get<int>());
  EXPECT_EQ(tok->vocab().add_bos, m.at("add_bos").get<bool>());
  EXPECT_EQ(tok->vocab().eog_ids, m.at("eog_ids").get<std::vector<TokenId>>());
  for (TokenId id : m.at("eog_ids").get<std::vector<TokenId>>()) EXPECT_TRUE(tok->is_eog(id)) << id;

  for (const json& p : g.at("prompts")) {
    const std::string prompt = p.at("prompt").get<std::string>();
    const auto expected = p.at("prompt_ids").get<std::vector<TokenId>>();
    const auto ids = tok->encode(prompt, /*add_special=*/true, /*parse_special=*/true);
    EXPECT_EQ(join(ids), join(expected)) << "prompt: " << prompt;

    const auto pieces = p.at("prompt_pieces").get<std::vector<std::string>>();
    ASSERT_EQ(pieces.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
      // The JSON shows pieces that are not valid UTF-8 with U+FFFD in place of the bad bytes.
      const std::string piece = tok->token_to_piece(expected[i]);
      if (utf8::is_valid(piece))
        EXPECT_EQ(piece, pieces[i]) << "id " << expected[i];
      else
        EXPECT_NE(pieces[i].find("\xef\xbf\xbd"), std::string::npos) << "id " << expected[i];
    }

    std::string generated;
    for (TokenId id : p.at("greedy_ids").get<std::vector<TokenId>>()) generated += tok->token_to_piece(id);
    EXPECT_EQ(generated, unhex(p.at("greedy_text_hex").get<std::string>())) << "prompt: " << prompt;
  }
}

INSTANTIATE_TEST_SUITE_P(AllGoldenModels, GoldenPrompts,
                         ::testing::Values("g-llama-spm-Q4_K_M", "g-llama3-Q8_0", "g-qwen2-Q8_0", "g-qwen3-Q8_0",
                                           "llama-2-tiny-random", "tolstoy-f32", "tolstoy-f16", "tolstoy-q8_0"),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& c : n)
                             if (c == '-') c = '_';
                           return n;
                         });

}  // namespace
}  // namespace corral::tokenizer::test
