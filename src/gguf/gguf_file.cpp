// GGUF parsing with bounds checks on everything read from the file.
#include "gguf/gguf_file.h"

#include <cstring>
#include <limits>

#include "util/error.h"

namespace corral::gguf {
namespace {

constexpr int kMaxArrayDepth = 8;
constexpr std::uint64_t kMaxStringLength = std::uint64_t{1} << 30;

// A bounds-checked reader over the file bytes.
class Cursor {
 public:
  Cursor(std::span<const std::uint8_t> b, const std::string& name) : b_(b), name_(name) {}

  std::size_t pos() const { return pos_; }
  std::size_t remaining() const { return b_.size() - pos_; }

  template <typename T>
  T read(const char* what) {
    need(sizeof(T), what);
    T v;
    std::memcpy(&v, b_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return v;
  }

  std::string read_string(const char* what) {
    auto len = read<std::uint64_t>(what);
    if (len > kMaxStringLength || len > remaining())
      fail("{}: {} has length {} at offset {}, beyond the end of the file ({} bytes)", name_, what, len, pos_ - 8,
           b_.size());
    std::string s(reinterpret_cast<const char*>(b_.data() + pos_), static_cast<std::size_t>(len));
    pos_ += static_cast<std::size_t>(len);
    return s;
  }

  // A count of items, each needing at least min_item_bytes: must fit in the rest of the file.
  std::uint64_t read_count(const char* what, std::uint64_t min_item_bytes) {
    auto n = read<std::uint64_t>(what);
    if (min_item_bytes && n > remaining() / min_item_bytes)
      fail("{}: {} is {} at offset {}, more than the file could hold", name_, what, n, pos_ - 8);
    return n;
  }

  void need(std::size_t n, const char* what) {
    if (n > remaining())
      fail("{}: truncated: {} at offset {} needs {} bytes, {} left", name_, what, pos_, n, remaining());
  }

 private:
  std::span<const std::uint8_t> b_;
  const std::string& name_;
  std::size_t pos_ = 0;
};

Value read_value(Cursor& c, ValueType t, int depth, const std::string& name);

Value read_scalar(Cursor& c, ValueType t) {
  switch (t) {
    case ValueType::UINT8: return Value::u(t, c.read<std::uint8_t>("u8 value"));
    case ValueType::INT8: return Value::i(t, c.read<std::int8_t>("i8 value"));
    case ValueType::UINT16: return Value::u(t, c.read<std::uint16_t>("u16 value"));
    case ValueType::INT16: return Value::i(t, c.read<std::int16_t>("i16 value"));
    case ValueType::UINT32: return Value::u(t, c.read<std::uint32_t>("u32 value"));
    case ValueType::INT32: return Value::i(t, c.read<std::int32_t>("i32 value"));
    case ValueType::FLOAT32: return Value::f(t, c.read<float>("f32 value"));
    case ValueType::BOOL: return Value::u(t, c.read<std::uint8_t>("bool value"));
    case ValueType::UINT64: return Value::u(t, c.read<std::uint64_t>("u64 value"));
    case ValueType::INT64: return Value::i(t, c.read<std::int64_t>("i64 value"));
    case ValueType::FLOAT64: return Value::f(t, c.read<double>("f64 value"));
    default: return {};
  }
}

Value read_value(Cursor& c, ValueType t, int depth, const std::string& name) {
  if (t == ValueType::STRING) return Value::string(c.read_string("string value"));
  if (t != ValueType::ARRAY) return read_scalar(c, t);
  if (depth >= kMaxArrayDepth) fail("{}: arrays nested deeper than {} levels", name, kMaxArrayDepth);
  auto raw_elem = c.read<std::uint32_t>("array element type");
  if (!is_valid_value_type(raw_elem)) fail("{}: invalid array element type {} at offset {}", name, raw_elem, c.pos() - 4);
  auto elem = static_cast<ValueType>(raw_elem);
  std::uint64_t min_size = scalar_size(elem);
  if (elem == ValueType::STRING) min_size = 8;
  if (elem == ValueType::ARRAY) min_size = 12;
  auto n = c.read_count("array length", min_size);
  Array a;
  a.elem_type = elem;
  a.items.reserve(static_cast<std::size_t>(n));
  for (std::uint64_t i = 0; i < n; ++i) a.items.push_back(read_value(c, elem, depth + 1, name));
  return Value::array(std::move(a));
}

bool mul_overflows(std::uint64_t a, std::uint64_t b, std::uint64_t& out) { return __builtin_mul_overflow(a, b, &out); }

}  // namespace

File File::open(const std::string& path) {
  File f;
  f.name_ = path;
  f.map_ = MappedFile(path);
  f.bytes_ = f.map_.bytes();
  f.parse_all();
  return f;
}

File File::parse(std::span<const std::uint8_t> bytes, const std::string& name) {
  File f;
  f.name_ = name;
  f.bytes_ = bytes;
  f.parse_all();
  return f;
}

void File::parse_all() {
  Cursor c(bytes_, name_);
  if (bytes_.size() < 4 || std::memcmp(bytes_.data(), "GGUF", 4) != 0) fail("{}: not a GGUF file (bad magic)", name_);
  c.read<std::uint32_t>("magic");
  version_ = c.read<std::uint32_t>("version");
  if (version_ == 1) fail("{}: GGUF version 1 is not supported (re-convert the model)", name_);
  if (version_ != 2 && version_ != 3) fail("{}: unsupported GGUF version {}", name_, version_);
  // Minimum encoded sizes: a tensor info is name(8) + n_dims(4) + dim(8) + type(4) + offset(8);
  // a key/value is key(8) + type(4) + at least one byte.
  auto n_tensors = c.read_count("tensor count", 32);
  auto n_kv = c.read_count("metadata count", 13);

  kv_.reserve(static_cast<std::size_t>(n_kv));
  for (std::uint64_t i = 0; i < n_kv; ++i) {
    std::string key = c.read_string("metadata key");
    auto raw_type = c.read<std::uint32_t>("metadata value type");
    if (!is_valid_value_type(raw_type)) fail("{}: metadata key '{}' has invalid value type {}", name_, key, raw_type);
    Value v = read_value(c, static_cast<ValueType>(raw_type), 0, name_);
    if (kv_index_.count(key)) fail("{}: duplicate metadata key '{}'", name_, key);
    kv_index_.emplace(key, kv_.size());
    kv_.push_back({std::move(key), std::move(v)});
  }

  if (const Value* a = find("general.alignment")) {
    if (!a->is_integer()) fail("{}: general.alignment must be an integer", name_);
    std::uint64_t al = a->as_u64();
    if (al == 0 || (al & (al - 1)) != 0 || al > (1u << 20))
      fail("{}: general.alignment {} is not a power of two up to 1 MiB", name_, al);
    alignment_ = static_cast<std::uint32_t>(al);
  }

  tensors_.reserve(static_cast<std::size_t>(n_tensors));
  for (std::uint64_t i = 0; i < n_tensors; ++i) {
    TensorInfo t;
    t.name = c.read_string("tensor name");
    auto n_dims = c.read<std::uint32_t>("tensor dimension count");
    if (n_dims == 0 || n_dims > kMaxDims) fail("{}: tensor '{}' has {} dimensions (1 to {} allowed)", name_, t.name, n_dims, kMaxDims);
    std::uint64_t n_el = 1;
    for (std::uint32_t d = 0; d < n_dims; ++d) {
      auto dim = c.read<std::uint64_t>("tensor dimension");
      if (dim == 0 || dim > (std::uint64_t{1} << 40))
        fail("{}: tensor '{}' dimension {} is {}", name_, t.name, d, dim);
      if (mul_overflows(n_el, dim, n_el) || n_el > (std::uint64_t{1} << 48))
        fail("{}: tensor '{}' has too many elements", name_, t.name);
      t.dims.push_back(static_cast<std::int64_t>(dim));
    }
    auto raw_type = c.read<std::uint32_t>("tensor type");
    auto ti = tensor_type_info(raw_type);
    if (!ti) fail("{}: tensor '{}' has unknown type {}", name_, t.name, raw_type);
    t.type = ti->type;
    if (t.dims[0] % ti->block_size != 0)
      fail("{}: tensor '{}' row length {} is not a multiple of the {} block size {}", name_, t.name, t.dims[0],
           ti->name, ti->block_size);
    t.offset = c.read<std::uint64_t>("tensor data offset");
    t.n_elements = n_el;
    t.n_bytes = n_el / ti->block_size * ti->type_size;
    if (t.offset % alignment_ != 0)
      fail("{}: tensor '{}' offset {} is not aligned to {}", name_, t.name, t.offset, alignment_);
    if (tensor_index_.count(t.name)) fail("{}: duplicate tensor name '{}'", name_, t.name);
    tensor_index_.emplace(t.name, tensors_.size());
    tensors_.push_back(std::move(t));
  }

  std::uint64_t header_end = c.pos();
  data_offset_ = (header_end + alignment_ - 1) / alignment_ * alignment_;
  if (!tensors_.empty() && data_offset_ > bytes_.size())
    fail("{}: truncated: tensor data would start at {}, file has {} bytes", name_, data_offset_, bytes_.size());
  const std::uint64_t data_size = bytes_.size() > data_offset_ ? bytes_.size() - data_offset_ : 0;
  for (const auto& t : tensors_) {
    if (t.offset > data_size || t.n_bytes > data_size - t.offset)
      fail("{}: truncated: tensor '{}' ({} bytes at data offset {}) extends past the end of the file ({} data bytes)",
           name_, t.name, t.n_bytes, t.offset, data_size);
  }
}

const Value* File::find(std::string_view key) const {
  auto it = kv_index_.find(std::string(key));
  return it == kv_index_.end() ? nullptr : &kv_[it->second].value;
}

const TensorInfo* File::find_tensor(std::string_view name) const {
  auto it = tensor_index_.find(std::string(name));
  return it == tensor_index_.end() ? nullptr : &tensors_[it->second];
}

std::optional<std::string> File::get_string(std::string_view key) const {
  const Value* v = find(key);
  if (!v) return std::nullopt;
  if (!v->is_string()) fail("{}: metadata '{}' should be a string, is {}", name_, key, value_type_name(v->type()));
  return v->as_string();
}

std::optional<std::uint64_t> File::get_uint(std::string_view key) const {
  const Value* v = find(key);
  if (!v) return std::nullopt;
  if (!v->is_integer() && v->type() != ValueType::BOOL)
    fail("{}: metadata '{}' should be an integer, is {}", name_, key, value_type_name(v->type()));
  const bool is_signed = v->type() == ValueType::INT8 || v->type() == ValueType::INT16 ||
                         v->type() == ValueType::INT32 || v->type() == ValueType::INT64;
  if (is_signed && v->as_i64() < 0) fail("{}: metadata '{}' is negative ({})", name_, key, v->as_i64());
  return v->as_u64();
}

std::optional<std::int64_t> File::get_int(std::string_view key) const {
  const Value* v = find(key);
  if (!v) return std::nullopt;
  if (!v->is_integer()) fail("{}: metadata '{}' should be an integer, is {}", name_, key, value_type_name(v->type()));
  return v->as_i64();
}

std::optional<double> File::get_float(std::string_view key) const {
  const Value* v = find(key);
  if (!v) return std::nullopt;
  if (!v->is_float() && !v->is_integer())
    fail("{}: metadata '{}' should be a number, is {}", name_, key, value_type_name(v->type()));
  return v->as_f64();
}

std::optional<bool> File::get_bool(std::string_view key) const {
  const Value* v = find(key);
  if (!v) return std::nullopt;
  if (v->type() != ValueType::BOOL && !v->is_integer())
    fail("{}: metadata '{}' should be a bool, is {}", name_, key, value_type_name(v->type()));
  return v->as_u64() != 0;
}

std::optional<std::vector<std::string>> File::get_string_array(std::string_view key) const {
  const Value* v = find(key);
  if (!v) return std::nullopt;
  if (!v->is_array() || v->as_array().elem_type != ValueType::STRING)
    fail("{}: metadata '{}' should be an array of strings", name_, key);
  std::vector<std::string> out;
  out.reserve(v->as_array().items.size());
  for (const auto& item : v->as_array().items) out.push_back(item.as_string());
  return out;
}

std::optional<std::vector<float>> File::get_float_array(std::string_view key) const {
  const Value* v = find(key);
  if (!v) return std::nullopt;
  if (!v->is_array()) fail("{}: metadata '{}' should be an array of numbers", name_, key);
  const Array& a = v->as_array();
  if (a.elem_type == ValueType::STRING || a.elem_type == ValueType::ARRAY)
    fail("{}: metadata '{}' should be an array of numbers", name_, key);
  std::vector<float> out;
  out.reserve(a.items.size());
  for (const auto& item : a.items) out.push_back(static_cast<float>(item.as_f64()));
  return out;
}

std::optional<std::vector<std::int64_t>> File::get_int_array(std::string_view key) const {
  const Value* v = find(key);
  if (!v) return std::nullopt;
  if (!v->is_array()) fail("{}: metadata '{}' should be an array of integers", name_, key);
  const Array& a = v->as_array();
  if (a.elem_type == ValueType::STRING || a.elem_type == ValueType::ARRAY || a.elem_type == ValueType::FLOAT32 ||
      a.elem_type == ValueType::FLOAT64)
    fail("{}: metadata '{}' should be an array of integers", name_, key);
  std::vector<std::int64_t> out;
  out.reserve(a.items.size());
  for (const auto& item : a.items) out.push_back(item.as_i64());
  return out;
}

std::string File::architecture() const {
  auto a = get_string("general.architecture");
  return a ? *a : std::string();
}

}  // namespace corral::gguf
