// Go's number and string formatting, reproduced for byte-identical files.
// Expected strings are what Go 1.22+ prints for the same values.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "store/go_format.h"
#include "store/go_json.h"
#include "util/error.h"

namespace corral::store::go {
namespace {

TEST(GoFormat, PercentV) {
  EXPECT_EQ(format_v(0.7), "0.7");
  EXPECT_EQ(format_v(4096), "4096");
  EXPECT_EQ(format_v(100), "100");
  EXPECT_EQ(format_v(123456), "123456");
  EXPECT_EQ(format_v(1e6), "1e+06");
  EXPECT_EQ(format_v(1048576), "1.048576e+06");
  EXPECT_EQ(format_v(0.0001), "0.0001");
  EXPECT_EQ(format_v(0.00001), "1e-05");
  EXPECT_EQ(format_v(1.5e-7), "1.5e-07");
  EXPECT_EQ(format_v(-2.5), "-2.5");
  EXPECT_EQ(format_v(1e21), "1e+21");
  EXPECT_EQ(format_v(1e100), "1e+100");
  EXPECT_EQ(format_v(0), "0");
  EXPECT_EQ(format_v(std::nan("")), "NaN");
  EXPECT_EQ(format_v(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(format_v(0.1 + 0.2), "0.30000000000000004");
}

TEST(GoFormat, FormatFloat32) {
  EXPECT_EQ(format_float(0.7, 'f', 32), "0.7");
  EXPECT_EQ(format_float(static_cast<double>(0.7f), 'f', 64), "0.699999988079071");
  EXPECT_EQ(format_float(3.4028234663852886e38, 'e', 32), "3.4028235e+38");
  EXPECT_EQ(format_float(1.0, 'e', 64), "1e+00");
  EXPECT_EQ(format_float(123.456, 'e', 64), "1.23456e+02");
}

TEST(GoFormat, JsonFloat) {
  EXPECT_EQ(json_float(0.7, 64), "0.7");
  EXPECT_EQ(json_float(4096, 64), "4096");
  EXPECT_EQ(json_float(1e6, 64), "1000000");
  EXPECT_EQ(json_float(1e20, 64), "100000000000000000000");
  EXPECT_EQ(json_float(1e21, 64), "1e+21");
  EXPECT_EQ(json_float(0.000001, 64), "0.000001");
  EXPECT_EQ(json_float(1e-7, 64), "1e-7");
  EXPECT_EQ(json_float(1.5e-7, 64), "1.5e-7");
  EXPECT_EQ(json_float(1e-10, 64), "1e-10");
  EXPECT_EQ(json_float(-0.5, 64), "-0.5");
  EXPECT_EQ(json_float(static_cast<double>(0.7f), 32), "0.7");
  EXPECT_THROW(json_float(std::nan(""), 64), Error);
}

TEST(GoFormat, Quote) {
  EXPECT_EQ(quote("<|eot_id|>"), "\"<|eot_id|>\"");
  EXPECT_EQ(quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(quote("\n\t\r"), "\"\\n\\t\\r\"");
  EXPECT_EQ(quote(std::string("\x01\x7f", 2)), "\"\\x01\\x7f\"");
  EXPECT_EQ(quote("h\xc3\xa9llo"), "\"h\xc3\xa9llo\"");
  EXPECT_EQ(quote("\xff"), "\"\\xff\"");
  EXPECT_EQ(quote("\xe2\x80\x8b"), "\"\\u200b\"");          // zero-width space (Cf)
  EXPECT_EQ(quote("\xc2\xa0"), "\"\\u00a0\"");              // no-break space is not "printable" in Go
  EXPECT_EQ(quote("\xf0\x9f\x91\x8b"), "\"\xf0\x9f\x91\x8b\"");  // emoji (So) kept
  EXPECT_EQ(quote("\xf4\x8f\xbf\xbf"), "\"\\U0010ffff\"");  // noncharacter
}

TEST(GoJson, StringEscaping) {
  std::string out;
  append_json_string(out, "<a & b>");
  EXPECT_EQ(out, "\"\\u003ca \\u0026 b\\u003e\"");
  out.clear();
  append_json_string(out, std::string("\x01\b\f\n\r\t\"\\\x7f", 9));
  EXPECT_EQ(out, "\"\\u0001\\b\\f\\n\\r\\t\\\"\\\\\x7f\"");
  out.clear();
  append_json_string(out, "\xe2\x80\xa8|\xe2\x80\xa9|\xff|\xc3\xa9");
  EXPECT_EQ(out, "\"\\u2028|\\u2029|\\ufffd|\xc3\xa9\"");
}

TEST(GoJson, MapsSortKeysAndNumbersAreFloat64) {
  const auto j = nlohmann::json::parse(R"({"temperature":0.7,"stop":["<|eot_id|>"],"num_ctx":4096,"big":1e21})");
  EXPECT_EQ(to_json(j), R"({"big":1e+21,"num_ctx":4096,"stop":["\u003c|eot_id|\u003e"],"temperature":0.7})");
  EXPECT_EQ(encode(j).back(), '\n');
}

TEST(GoJson, OrderedKeepsFieldOrder) {
  nlohmann::ordered_json j;
  j["z"] = 1;
  j["a"] = nullptr;
  j["m"] = true;
  EXPECT_EQ(to_json(j), R"({"z":1,"a":null,"m":true})");
}

}  // namespace
}  // namespace corral::store::go
