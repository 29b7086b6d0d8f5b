// PARAMETER typing with Go's parsing rules and Ollama's error texts.
#include <gtest/gtest.h>

#include <cmath>

#include "store/model_options.h"
#include "util/error.h"

namespace corral::store {
namespace {

std::string error_of(const std::string& name, const std::string& value) {
  try {
    format_parameter(name, {value});
  } catch (const Error& e) {
    return e.what();
  }
  return "<no error>";
}

TEST(ModelOptions, Types) {
  EXPECT_EQ(format_parameter("num_ctx", {"4096"}), nlohmann::json(4096));
  EXPECT_EQ(format_parameter("seed", {"-1"}), nlohmann::json(-1));
  EXPECT_EQ(format_parameter("main_gpu", {"+2"}), nlohmann::json(2));
  EXPECT_EQ(format_parameter("temperature", {"0.7"}).get<double>(), 0.7) << "float32 shortest digits, not 0.69999...";
  EXPECT_EQ(format_parameter("top_p", {"1"}).get<double>(), 1.0);
  EXPECT_EQ(format_parameter("min_p", {"0x1p-2"}).get<double>(), 0.25);
  EXPECT_EQ(format_parameter("repeat_penalty", {"1e-50"}).get<double>(), 0.0) << "underflow is not an error";
  EXPECT_EQ(format_parameter("use_mmap", {"T"}), nlohmann::json(true));
  EXPECT_EQ(format_parameter("use_mmap", {"0"}), nlohmann::json(false));
  EXPECT_EQ(format_parameter("stop", {"a", "b"}), nlohmann::json({"a", "b"}));
}

TEST(ModelOptions, ErrorTexts) {
  EXPECT_EQ(error_of("nope", "1"), "unknown parameter 'nope'");
  EXPECT_EQ(error_of("Temperature", "1"), "unknown parameter 'Temperature'");
  EXPECT_EQ(error_of("num_gqa", "1"), "unknown parameter 'num_gqa'");
  EXPECT_EQ(error_of("num_ctx", "4k"), "invalid int value [4k]");
  EXPECT_EQ(error_of("num_ctx", "1.0"), "invalid int value [1.0]");
  EXPECT_EQ(error_of("num_ctx", "1_000"), "invalid int value [1_000]");
  EXPECT_EQ(error_of("num_ctx", "9223372036854775808"), "invalid int value [9223372036854775808]");
  EXPECT_EQ(error_of("temperature", "hot"), "invalid float value [hot]");
  EXPECT_EQ(error_of("temperature", "1e39"), "invalid float value [1e39]");
  EXPECT_EQ(error_of("temperature", "0x1"), "invalid float value [0x1]");
  EXPECT_EQ(error_of("temperature", "1_0"), "invalid float value [1_0]");
  EXPECT_EQ(error_of("temperature", "a b"), "invalid float value [a b]");
  EXPECT_EQ(error_of("use_mmap", "yes"), "invalid bool value [yes]");
  EXPECT_TRUE(is_deprecated_parameter("mirostat"));
  EXPECT_FALSE(is_deprecated_parameter("temperature"));
}

TEST(ModelOptions, GoParsers) {
  EXPECT_EQ(go_parse_int("-9223372036854775808"), INT64_MIN);
  EXPECT_EQ(go_parse_int("9223372036854775807"), INT64_MAX);
  EXPECT_FALSE(go_parse_int(""));
  EXPECT_FALSE(go_parse_int("-"));
  EXPECT_FALSE(go_parse_int(" 1"));
  EXPECT_TRUE(std::isinf(*go_parse_float32("-Infinity")));
  EXPECT_TRUE(std::isnan(*go_parse_float32("NaN")));
  EXPECT_FALSE(go_parse_float32("+nan"));
  EXPECT_FALSE(go_parse_float32("."));
  EXPECT_FALSE(go_parse_float32("1e"));
  EXPECT_EQ(*go_parse_float32(".5"), 0.5f);
  EXPECT_EQ(*go_parse_float32("5."), 5.0f);
  EXPECT_EQ(*go_parse_float32("0x_1p0"), 1.0f);
  EXPECT_FALSE(go_parse_bool("TrUe"));
}

}  // namespace
}  // namespace corral::store
