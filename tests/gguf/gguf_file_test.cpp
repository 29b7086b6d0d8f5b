// GGUF reader: every value type, nested arrays, alignment, and corrupt input
// (truncation at every length, hostile counts and offsets) giving errors.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "gguf/gguf_file.h"
#include "gguf/gguf_writer.h"
#include "util/error.h"

namespace corral::gguf {
namespace {

std::vector<std::uint8_t> sample_file() {
  Writer w;
  w.set("general.architecture", Value::string("llama"));
  w.set("u8", Value::u(ValueType::UINT8, 200));
  w.set("i8", Value::i(ValueType::INT8, -5));
  w.set("u16", Value::u(ValueType::UINT16, 65000));
  w.set("i16", Value::i(ValueType::INT16, -30000));
  w.set("u32", Value::u32(4000000000u));
  w.set("i32", Value::i32(-2000000000));
  w.set("f32", Value::f32(1.5f));
  w.set("b", Value::boolean(true));
  w.set("u64", Value::u64(1ull << 60));
  w.set("i64", Value::i(ValueType::INT64, -(1ll << 60)));
  w.set("f64", Value::f(ValueType::FLOAT64, 0.1));
  w.set("strs", Value::string_array({"a", "", "ü"}));
  Array inner1{ValueType::INT32, {Value::i32(1), Value::i32(2)}};
  Array inner2{ValueType::INT32, {Value::i32(3)}};
  Array outer{ValueType::ARRAY, {Value::array(inner1), Value::array(inner2)}};
  w.set("nested", Value::array(outer));
  static float data[64];
  for (int i = 0; i < 64; ++i) data[i] = static_cast<float>(i);
  w.add_tensor("a", TensorType::F32, {8, 2}, data);
  w.add_tensor("b", TensorType::F32, {3}, data);
  w.add_tensor("c", TensorType::F32, {16}, data);
  return w.to_bytes();
}

TEST(GgufFile, ReadsEveryValueType) {
  auto bytes = sample_file();
  auto f = File::parse(bytes);
  EXPECT_EQ(f.version(), 3u);
  EXPECT_EQ(f.architecture(), "llama");
  EXPECT_EQ(f.get_uint("u8"), 200u);
  EXPECT_EQ(f.get_int("i8"), -5);
  EXPECT_EQ(f.get_uint("u16"), 65000u);
  EXPECT_EQ(f.get_int("i16"), -30000);
  EXPECT_EQ(f.get_uint("u32"), 4000000000u);
  EXPECT_EQ(f.get_int("i32"), -2000000000);
  EXPECT_EQ(f.get_float("f32"), 1.5);
  EXPECT_EQ(f.get_bool("b"), true);
  EXPECT_EQ(f.get_uint("u64"), 1ull << 60);
  EXPECT_EQ(f.get_int("i64"), -(1ll << 60));
  EXPECT_DOUBLE_EQ(*f.get_float("f64"), 0.1);
  EXPECT_EQ(f.get_string_array("strs"), (std::vector<std::string>{"a", "", "ü"}));
  const Value* n = f.find("nested");
  ASSERT_NE(n, nullptr);
  ASSERT_EQ(n->as_array().items.size(), 2u);
  EXPECT_EQ(n->as_array().items[0].as_array().items[1].as_i64(), 2);
  EXPECT_EQ(n->as_array().items[1].as_array().items[0].as_i64(), 3);
  EXPECT_FALSE(f.get_string("missing").has_value());
}

TEST(GgufFile, WrongTypeIsAnError) {
  auto bytes = sample_file();
  auto f = File::parse(bytes);
  EXPECT_THROW(f.get_string("u32"), Error);
  EXPECT_THROW(f.get_uint("i8"), Error);  // negative
  EXPECT_THROW(f.get_string_array("nested"), Error);
}

TEST(GgufFile, TensorsAreAlignedAndInBounds) {
  auto bytes = sample_file();
  auto f = File::parse(bytes);
  ASSERT_EQ(f.tensors().size(), 3u);
  EXPECT_EQ(f.data_offset() % 32, 0u);
  const auto* b = f.find_tensor("b");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->offset, 64u);  // 16 floats, already aligned
  EXPECT_EQ(f.find_tensor("c")->offset, 96u);  // 3 floats padded to 32
  const float* c = reinterpret_cast<const float*>(f.tensor_data(*f.find_tensor("c")));
  EXPECT_EQ(c[5], 5.0f);
  EXPECT_EQ(f.find_tensor("a")->rows(), 2);
}

TEST(GgufFile, EveryTruncationIsAnErrorNotACrash) {
  auto bytes = sample_file();
  // The last tensor's padding is not needed, so truncations inside it may still parse.
  const auto f = File::parse(bytes);
  const auto* c = f.find_tensor("c");
  const std::size_t needed = f.data_offset() + c->offset + c->n_bytes;
  for (std::size_t len = 0; len < needed; ++len) {
    std::vector<std::uint8_t> prefix(bytes.begin(), bytes.begin() + static_cast<long>(len));
    EXPECT_THROW(File::parse(prefix, "trunc.gguf"), Error) << "length " << len;
  }
}

TEST(GgufFile, ErrorNamesTheFile) {
  std::vector<std::uint8_t> junk = {'G', 'G', 'U', 'F', 3, 0, 0, 0};
  try {
    File::parse(junk, "model.gguf");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("model.gguf"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("truncated"), std::string::npos);
  }
}

void put_u64(std::vector<std::uint8_t>& b, std::size_t at, std::uint64_t v) { std::memcpy(b.data() + at, &v, 8); }

TEST(GgufFile, HostileCountsAreRejected) {
  auto bytes = sample_file();
  auto t = bytes;
  put_u64(t, 8, ~0ull);  // tensor count
  EXPECT_THROW(File::parse(t), Error);
  t = bytes;
  put_u64(t, 16, 1ull << 40);  // kv count
  EXPECT_THROW(File::parse(t), Error);
  t = bytes;
  put_u64(t, 24, ~0ull);  // first key length
  EXPECT_THROW(File::parse(t), Error);
  t = bytes;
  t[4] = 1;  // version 1
  EXPECT_THROW(File::parse(t), Error);
  t[4] = 9;
  EXPECT_THROW(File::parse(t), Error);
  t = bytes;
  t[0] = 'X';
  EXPECT_THROW(File::parse(t), Error);
}

TEST(GgufFile, BadTensorInfoIsRejected) {
  // One tensor whose offset points past the end, one with an unknown type, one unaligned.
  for (int variant = 0; variant < 4; ++variant) {
    Writer w;
    static float data[32] = {};
    w.add_tensor("t", TensorType::F32, {32}, data);
    auto b = w.to_bytes();
    // Layout: 24-byte header, then name(8+1), n_dims(4), dim(8), type(4), offset(8).
    const std::size_t at = 24 + 9;
    switch (variant) {
      case 0: put_u64(b, at + 4 + 8 + 4, 1u << 20); break;  // offset past end
      case 1: b[at + 4 + 8] = 99; break;                     // unknown type
      case 2: put_u64(b, at + 4 + 8 + 4, 4); break;          // unaligned
      case 3: b[at] = 7; break;                              // 7 dims
    }
    EXPECT_THROW(File::parse(b), Error) << "variant " << variant;
  }
}

TEST(GgufFile, DeepNestingIsRejected) {
  Value v = Value::i32(1);
  for (int i = 0; i < 12; ++i) v = Value::array(Array{v.type(), {v}});
  Writer w;
  w.set("deep", v);
  auto b = w.to_bytes();
  EXPECT_THROW(File::parse(b), Error);
}

TEST(GgufFile, CustomAlignment) {
  Writer w;
  w.set("general.alignment", Value::u32(64));
  static float data[20] = {};
  w.add_tensor("a", TensorType::F32, {3}, data);
  w.add_tensor("b", TensorType::F32, {5}, data);
  auto b = w.to_bytes();
  auto f = File::parse(b);
  EXPECT_EQ(f.alignment(), 64u);
  EXPECT_EQ(f.data_offset() % 64, 0u);
  EXPECT_EQ(f.find_tensor("b")->offset, 64u);
  Writer bad;
  bad.set("general.alignment", Value::u32(48));
  auto bb = bad.to_bytes();
  EXPECT_THROW(File::parse(bb), Error);
}

}  // namespace
}  // namespace corral::gguf
