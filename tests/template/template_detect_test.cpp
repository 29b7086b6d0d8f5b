// Auto-detection of a named template from a GGUF Jinja chat template
// (Ollama's template.Named): the testdata pairs, real tokenizer templates,
// the distance threshold and the Levenshtein distance itself.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>

#include "template/named_templates.h"
#include "testutil/shared_data.h"

namespace corral::tmpl {
namespace {

TEST(Levenshtein, ClassicDistances) {
  EXPECT_EQ(levenshtein("kitten", "sitting", 100), 3u);
  EXPECT_EQ(levenshtein("", "abc", 100), 3u);
  EXPECT_EQ(levenshtein("abc", "abc", 100), 0u);
  EXPECT_EQ(levenshtein("flaw", "lawn", 100), 2u);
}

TEST(Levenshtein, CountsCodePointsNotBytes) {
  // "é" is two bytes but one code point; "—" three bytes.
  EXPECT_EQ(levenshtein("caf\xC3\xA9", "cafe", 100), 1u);
  EXPECT_EQ(levenshtein("a\xE2\x80\x94" "b", "a-b", 100), 1u);
}

TEST(Levenshtein, StopsAtTheLimit) {
  std::string a(500, 'a'), b(500, 'b');
  EXPECT_EQ(levenshtein(a, b, 100), 100u);
  EXPECT_EQ(levenshtein(std::string(300, 'x'), "x", 100), 100u);
  EXPECT_EQ(levenshtein(a, a + "bb", 100), 2u);
}

TEST(NamedTemplates, CatalogueIsComplete) {
  const char* names[] = {"alfred", "alpaca", "chatml", "chatqa", "codellama-70b-instruct", "command-r",
                         "falcon-instruct", "gemma-instruct", "gemma3-instruct", "granite-instruct", "llama2-chat",
                         "llama3-instruct", "magicoder", "mistral-instruct", "openchat", "phi-3", "solar-instruct",
                         "starcoder2-instruct", "vicuna", "zephyr"};
  EXPECT_EQ(named_templates().size(), std::size(names));
  for (const char* n : names) EXPECT_NE(find_named_template(n), nullptr) << n;
  EXPECT_EQ(known_chat_templates().size(), 37u);
  for (const auto& k : known_chat_templates()) EXPECT_NE(find_named_template(k.name), nullptr) << k.name;
}

TEST(NamedTemplates, StopListsAndParamsLayer) {
  const NamedTemplate* chatml = find_named_template("chatml");
  ASSERT_NE(chatml, nullptr);
  EXPECT_EQ(chatml->stop, (std::vector<std::string>{"<|im_start|>", "<|im_end|>"}));
  EXPECT_EQ(chatml->params_json(), "{\"stop\":[\"\\u003c|im_start|\\u003e\",\"\\u003c|im_end|\\u003e\"]}\n");
  const NamedTemplate* llama3 = find_named_template("llama3-instruct");
  ASSERT_NE(llama3, nullptr);
  EXPECT_EQ(llama3->stop, (std::vector<std::string>{"<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"}));
  EXPECT_EQ(find_named_template("gemma3-instruct")->stop, std::vector<std::string>{"<end_of_turn>"});
  EXPECT_EQ(find_named_template("alpaca")->params_json(), "{\"stop\":[\"### Instruction:\",\"### Response\"]}\n");
}

TEST(Detection, EveryTestdataTemplateMapsToItsName) {
  CORRAL_SHARED_FILE_OR_SKIP(path, "templates/testdata/templates.jsonl");
  std::ifstream in(path);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto j = nlohmann::json::parse(line);
    for (auto it = j.begin(); it != j.end(); ++it) {
      auto found = detect_named_template(it.value().get<std::string>());
      ASSERT_TRUE(found.has_value()) << it.key();
      EXPECT_EQ(found->named->name, it.key());
      EXPECT_EQ(found->distance, 0u) << it.key();
      ++n;
    }
  }
  EXPECT_EQ(n, 35);
}

TEST(Detection, SmallEditsStillMatchButUnrelatedTextDoesNot) {
  const auto& known = known_chat_templates();
  std::string edited = known[6].jinja;  // plain chatml
  edited.insert(10, "{# a comment added by a converter #}");
  auto found = detect_named_template(edited);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->named->name, "chatml");
  EXPECT_GT(found->distance, 0u);
  EXPECT_LT(found->distance, 100u);
  EXPECT_FALSE(detect_named_template("Hello {{ messages }} world"));
  EXPECT_FALSE(detect_named_template(""));
}

std::string tokenizer_template(const std::string& rel) {
  auto p = test::shared_file(rel);
  if (!p) return "";
  auto j = nlohmann::json::parse(test::read_file(*p));
  return j.contains("chat_template") && j["chat_template"].is_string() ? j["chat_template"].get<std::string>() : "";
}

TEST(Detection, RealTokenizerTemplates) {
  CORRAL_SHARED_FILE_OR_SKIP(dir, "tokenizers");
  auto gemma3 = detect_named_template(tokenizer_template("tokenizers/gemma3/tokenizer_config.json"));
  ASSERT_TRUE(gemma3);
  EXPECT_EQ(gemma3->named->name, "gemma3-instruct");
  auto llama3 = detect_named_template(tokenizer_template("tokenizers/llama3_1/tokenizer_config.json"));
  ASSERT_TRUE(llama3);
  EXPECT_EQ(llama3->named->name, "llama3-instruct");
  // Qwen 3's template (tools, thinking) is far from every known one.
  EXPECT_FALSE(detect_named_template(tokenizer_template("tokenizers/qwen3/tokenizer_config.json")));
}

}  // namespace
}  // namespace corral::tmpl
