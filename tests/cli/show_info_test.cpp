// `show` sections.
#include <gtest/gtest.h>

#include "cli/show_info.h"

namespace corral::cli {
namespace {

api::ShowResponse sample() {
  api::ShowResponse r;
  r.details.family = "llama";
  r.details.parameter_size = "2.89M";
  r.details.quantization_level = "Q8_0";
  r.model_info = api::Json{{"general.architecture", "llama"},
                           {"general.parameter_count", 2890000},
                           {"llama.context_length", 256},
                           {"llama.embedding_length", 256},
                           {"tokenizer.ggml.tokens", api::Json::array({"<unk>", "<s>", "</s>", "a", "b", "c"})}};
  r.capabilities = {"completion"};
  r.parameters = "num_ctx                        256\nstop                           \"USER:\"\ntemperature                    0.7";
  r.system = "\n  You are Prince Andrei.\n\nYou speak briefly.\nThird line.\n";
  r.license = "Public domain text.";
  return r;
}

TEST(ShowInfo, Sections) {
  EXPECT_EQ(render_show_info(sample(), false),
            "  Model\n"
            "    architecture        llama\n"
            "    parameters          2.89M\n"
            "    context length      256\n"
            "    embedding length    256\n"
            "    quantization        Q8_0\n"
            "\n"
            "  Capabilities\n"
            "    completion\n"
            "\n"
            "  Parameters\n"
            "    num_ctx        256\n"
            "    stop           \"USER:\"\n"
            "    temperature    0.7\n"
            "\n"
            "  System\n"
            "    You are Prince Andrei.\n"
            "    You speak briefly.\n"
            "    ...\n"
            "\n"
            "  License\n"
            "    Public domain text.\n"
            "\n");
}

TEST(ShowInfo, VerboseAddsMetadataWithShortArrays) {
  const std::string s = render_show_info(sample(), true);
  EXPECT_NE(s.find("  Metadata\n"), std::string::npos);
  EXPECT_NE(s.find("    general.architecture       llama\n"), std::string::npos) << s;
  EXPECT_NE(s.find("tokenizer.ggml.tokens      [<unk> ...+5 more]"), std::string::npos) << s;
}

TEST(ShowInfo, GoValueStrings) {
  EXPECT_EQ(go_value_string(api::Json(0.7)), "0.7");
  EXPECT_EQ(go_value_string(api::Json(0.0)), "0");
  EXPECT_EQ(go_value_string(api::Json(256)), "256");
  EXPECT_EQ(go_value_string(api::Json("x y")), "x y");
  EXPECT_EQ(go_value_string(api::Json::array({"USER:", "ASSISTANT:"})), "[USER: ASSISTANT:]");
  EXPECT_EQ(go_value_string(api::Json(true)), "true");
}

}  // namespace
}  // namespace corral::cli
