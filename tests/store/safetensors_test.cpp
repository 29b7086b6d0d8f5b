// The safetensors reader: valid files, dtype conversion, and rejection of
// every kind of malformed header with a clear error.
#include <gtest/gtest.h>

#include <cstring>

#include "safetensors_writer.h"
#include "store/safetensors.h"
#include "util/error.h"

namespace corral::store {
namespace {

using namespace test_support;

std::span<const std::uint8_t> as_span(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

std::string with_header(const std::string& json, const std::string& data) {
  std::string out(8, '\0');
  const std::uint64_t n = json.size();
  std::memcpy(out.data(), &n, 8);
  return out + json + data;
}

std::string error_of(const std::string& bytes) {
  try {
    SafetensorsFile::parse(as_span(bytes), "t.safetensors");
  } catch (const Error& e) {
    return e.what();
  }
  return "<no error>";
}

TEST(Safetensors, ReadsTensorsAndConverts) {
  const std::string bytes = safetensors_bytes({{"a", "F32", {2, 3}, {1, 2, 3, 4, 5, 6}},
                                              {"b", "F16", {2}, {0.5f, -2.0f}},
                                              {"c", "BF16", {1}, {3.0f}}});
  const auto f = SafetensorsFile::parse(as_span(bytes));
  ASSERT_EQ(f.tensors().size(), 3u);
  EXPECT_EQ(f.metadata().at("format"), "pt");
  const StTensor* a = f.find("a");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->shape, (std::vector<std::int64_t>{2, 3}));
  EXPECT_EQ(a->n_elements, 6u);
  std::vector<float> out(6);
  f.read_f32(*a, out);
  EXPECT_EQ(out, (std::vector<float>{1, 2, 3, 4, 5, 6}));
  std::vector<float> b(2);
  f.read_f32(*f.find("b"), b);
  EXPECT_EQ(b, (std::vector<float>{0.5f, -2.0f}));
  std::vector<float> c(1);
  f.read_f32(*f.find("c"), c);
  EXPECT_EQ(c[0], 3.0f);
  EXPECT_FALSE(f.find("missing"));
}

TEST(Safetensors, RejectsMalformedFiles) {
  const std::string data(16, '\0');
  EXPECT_NE(error_of("short").find("too short"), std::string::npos);
  std::string huge(8, '\xff');
  EXPECT_NE(error_of(huge).find("exceeds"), std::string::npos);
  std::string past(8, '\0');
  past[0] = 100;
  EXPECT_NE(error_of(past + "{}").find("runs past the end"), std::string::npos);
  EXPECT_NE(error_of(with_header("{nope", data)).find("not valid JSON"), std::string::npos);
  EXPECT_NE(error_of(with_header("[]", data)).find("must be a JSON object"), std::string::npos);
  EXPECT_NE(error_of(with_header(R"({"t":{"dtype":"Q4","shape":[1],"data_offsets":[0,1]}})", data)).find("unknown dtype"),
            std::string::npos);
  EXPECT_NE(error_of(with_header(R"({"t":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}})", data))
                .find("has 4 bytes but its shape and dtype need 8"),
            std::string::npos);
  EXPECT_NE(error_of(with_header(R"({"t":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}})", data)).find("outside"),
            std::string::npos);
  EXPECT_NE(error_of(with_header(R"({"t":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}})", data)).find("outside"),
            std::string::npos);
  EXPECT_NE(error_of(with_header(R"({"t":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,16]}})", data))
                .find("overflows"),
            std::string::npos);
  EXPECT_NE(error_of(with_header(R"({"t":{"dtype":"F32","shape":[-1],"data_offsets":[0,16]}})", data)).find("invalid dimension"),
            std::string::npos);
  EXPECT_NE(error_of(with_header(R"({"t":{"dtype":"F32","shape":[4]}})", data)).find("data_offsets"), std::string::npos);
  EXPECT_NE(error_of(with_header(R"({"t":{"dtype":"F32","shape":[1,1,1,1,1,1,1,1,1],"data_offsets":[0,4]}})", data))
                .find("dimensions"),
            std::string::npos);
  EXPECT_NE(error_of(with_header(R"({"__metadata__":{"a":1}})", data)).find("__metadata__.a must be a string"),
            std::string::npos);
  EXPECT_NE(error_of(with_header(R"({"t":5})", data)).find("must be an object"), std::string::npos);
}

TEST(Safetensors, ReadF32RefusesOtherDtypes) {
  const std::string bytes = with_header(R"({"t":{"dtype":"I32","shape":[2],"data_offsets":[0,8]}})", std::string(8, '\0'));
  const auto f = SafetensorsFile::parse(as_span(bytes));
  std::vector<float> out(2);
  EXPECT_THROW(f.read_f32(*f.find("t"), out), Error);
  std::vector<float> wrong(3);
  EXPECT_THROW(f.read_f32(*f.find("t"), wrong), Error);
}

}  // namespace
}  // namespace corral::store
